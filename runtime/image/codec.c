/* PNG (libpng) and JPEG (libjpeg-turbo) codecs over bytes in memory for the
 * image package. Both libraries report errors by longjmp: every setjmp is in
 * this file and no jump leaves it, so callers (LuaJIT through the FFI) only
 * ever see a return code and nl_image_error(). */
#include <png.h>
#include <stdio.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

#define EXPORT __attribute__((visibility("default")))

static _Thread_local char err_msg[512];

__attribute__((format(printf, 1, 2))) int nl_image_fail(const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(err_msg, sizeof err_msg, fmt, ap);
   va_end(ap);
   return -1;
}

#define fail nl_image_fail

EXPORT const char *nl_image_error(void) { return err_msg; }

EXPORT void nl_image_free(void *p) { free(p); }

/* ---- PNG ---- */

typedef struct { const uint8_t *p; size_t n, pos; } mem_in;
typedef struct { uint8_t *p; size_t n, cap; int oom; } mem_out;

static void png_err(png_structp png, png_const_charp msg)
{
   snprintf(err_msg, sizeof err_msg, "%s", msg);
   png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static void png_mem_read(png_structp png, png_bytep out, png_size_t len)
{
   mem_in *in = png_get_io_ptr(png);
   if (len > in->n - in->pos) png_error(png, "truncated data (the file ends before the image does)");
   memcpy(out, in->p + in->pos, len);
   in->pos += len;
}

EXPORT int nl_image_png_decode(const uint8_t *bytes, size_t n, uint8_t **out8, uint16_t **out16,
   int *channels, int *height, int *width, int *bit_depth)
{
   *out8 = NULL;
   *out16 = NULL;
   if (n < 8 || png_sig_cmp(bytes, 0, 8)) return fail("not a PNG file (bad signature)");
   png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_err, png_warn);
   if (!png) return fail("out of memory");
   png_infop info = png_create_info_struct(png);
   if (!info) {
      png_destroy_read_struct(&png, NULL, NULL);
      return fail("out of memory");
   }
   mem_in in = { bytes, n, 0 };
   uint8_t *volatile raw = NULL;
   png_bytep *volatile rows = NULL;
   uint8_t *volatile p8 = NULL;
   uint16_t *volatile p16 = NULL;
   if (setjmp(png_jmpbuf(png))) {
      free(raw);
      free(rows);
      free(p8);
      free(p16);
      png_destroy_read_struct(&png, &info, NULL);
      return -1;
   }
   png_set_read_fn(png, &in, png_mem_read);
   png_read_info(png, info);
   png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
   int ct = png_get_color_type(png, info), bd = png_get_bit_depth(png, info);
   if (ct == PNG_COLOR_TYPE_PALETTE) {
      png_set_palette_to_rgb(png);
      if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
   }
   if (ct == PNG_COLOR_TYPE_GRAY && bd < 8) png_set_expand_gray_1_2_4_to_8(png);
   png_set_interlace_handling(png);
   png_read_update_info(png, info);
   int c = png_get_channels(png, info);
   bd = png_get_bit_depth(png, info);
   if (w == 0 || h == 0 || (size_t)w * h > ((size_t)1 << 31) / 8) png_error(png, "image too large");
   size_t rowbytes = png_get_rowbytes(png, info);
   raw = malloc(rowbytes * h);
   rows = malloc(sizeof(png_bytep) * h);
   size_t plane = (size_t)w * h;
   p8 = malloc(plane * c);
   if (bd == 16) p16 = malloc(plane * c * sizeof(uint16_t));
   if (!raw || !rows || !p8 || (bd == 16 && !p16)) png_error(png, "out of memory");
   for (png_uint_32 y = 0; y < h; y++) rows[y] = raw + y * rowbytes;
   png_read_image(png, rows);
   png_read_end(png, NULL);
   for (int k = 0; k < c; k++)
      for (png_uint_32 y = 0; y < h; y++) {
         const uint8_t *r = rows[y];
         uint8_t *d8 = p8 + k * plane + (size_t)y * w;
         if (bd == 16) {
            uint16_t *d16 = p16 + k * plane + (size_t)y * w;
            for (png_uint_32 x = 0; x < w; x++) {
               const uint8_t *s = r + 2 * ((size_t)x * c + k);
               d8[x] = s[0];
               d16[x] = (uint16_t)(s[0] << 8 | s[1]);
            }
         } else {
            for (png_uint_32 x = 0; x < w; x++) d8[x] = r[(size_t)x * c + k];
         }
      }
   free(raw);
   free(rows);
   png_destroy_read_struct(&png, &info, NULL);
   *out8 = p8;
   *out16 = p16;
   *channels = c;
   *height = (int)h;
   *width = (int)w;
   *bit_depth = bd;
   return 0;
}

static void png_mem_write(png_structp png, png_bytep data, png_size_t len)
{
   mem_out *o = png_get_io_ptr(png);
   if (o->n + len > o->cap) {
      size_t cap = o->cap ? o->cap * 2 : 4096;
      while (cap < o->n + len) cap *= 2;
      uint8_t *p = realloc(o->p, cap);
      if (!p) png_error(png, "out of memory");
      o->p = p;
      o->cap = cap;
   }
   memcpy(o->p + o->n, data, len);
   o->n += len;
}

static void png_mem_flush(png_structp png) { (void)png; }

static int check_dims(int channels, int height, int width, int maxc)
{
   if (channels < 1 || channels > maxc) return fail("expected 1 to %d channels, got %d", maxc, channels);
   if (height < 1 || width < 1) return fail("empty image (%dx%d)", height, width);
   return 0;
}

EXPORT int nl_image_png_encode(const uint8_t *planar, int channels, int height, int width,
   uint8_t **out, size_t *outlen)
{
   *out = NULL;
   *outlen = 0;
   if (check_dims(channels, height, width, 4)) return -1;
   static const int types[] = { PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
      PNG_COLOR_TYPE_RGB_ALPHA };
   png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_err, png_warn);
   if (!png) return fail("out of memory");
   png_infop info = png_create_info_struct(png);
   if (!info) {
      png_destroy_write_struct(&png, NULL);
      return fail("out of memory");
   }
   mem_out o = { NULL, 0, 0, 0 };
   uint8_t *volatile row = NULL;
   if (setjmp(png_jmpbuf(png))) {
      free(row);
      free(o.p);
      png_destroy_write_struct(&png, &info);
      return -1;
   }
   png_set_write_fn(png, &o, png_mem_write, png_mem_flush);
   png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, types[channels - 1],
      PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
   png_write_info(png, info);
   row = malloc((size_t)width * channels);
   if (!row) png_error(png, "out of memory");
   size_t plane = (size_t)width * height;
   for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++)
         for (int k = 0; k < channels; k++)
            row[(size_t)x * channels + k] = planar[k * plane + (size_t)y * width + x];
      png_write_row(png, row);
   }
   png_write_end(png, NULL);
   free(row);
   png_destroy_write_struct(&png, &info);
   *out = o.p;
   *outlen = o.n;
   return 0;
}

/* ---- JPEG ---- */

typedef struct {
   struct jpeg_error_mgr pub;
   jmp_buf jump;
} jerr_mgr;

static void jpeg_err_exit(j_common_ptr cinfo)
{
   jerr_mgr *e = (jerr_mgr *)cinfo->err;
   char buf[JMSG_LENGTH_MAX];
   e->pub.format_message(cinfo, buf);
   snprintf(err_msg, sizeof err_msg, "%s", buf);
   longjmp(e->jump, 1);
}

/* Warnings pass, except a premature end of data: a truncated file is an error */
static void jpeg_emit(j_common_ptr cinfo, int level)
{
   if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) jpeg_err_exit(cinfo);
}

static void jpeg_silent(j_common_ptr cinfo) { (void)cinfo; }

EXPORT int nl_image_jpeg_decode(const uint8_t *bytes, size_t n, uint8_t **out8,
   int *channels, int *height, int *width)
{
   *out8 = NULL;
   if (n < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8) return fail("not a JPEG file (bad signature)");
   struct jpeg_decompress_struct cinfo;
   jerr_mgr jerr;
   uint8_t *volatile row = NULL;
   uint8_t *volatile p8 = NULL;
   cinfo.err = jpeg_std_error(&jerr.pub);
   jerr.pub.error_exit = jpeg_err_exit;
   jerr.pub.emit_message = jpeg_emit;
   jerr.pub.output_message = jpeg_silent;
   if (setjmp(jerr.jump)) {
      free(row);
      free(p8);
      jpeg_destroy_decompress(&cinfo);
      return -1;
   }
   jpeg_create_decompress(&cinfo);
   jpeg_mem_src(&cinfo, bytes, (unsigned long)n);
   jpeg_read_header(&cinfo, TRUE);
   int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
   if (cmyk) cinfo.out_color_space = JCS_CMYK;
   else if (cinfo.jpeg_color_space != JCS_GRAYSCALE) cinfo.out_color_space = JCS_RGB;
   jpeg_start_decompress(&cinfo);
   int w = (int)cinfo.output_width, h = (int)cinfo.output_height, oc = cinfo.output_components;
   int c = cmyk ? 3 : oc;
   size_t plane = (size_t)w * h;
   row = malloc((size_t)w * oc);
   p8 = malloc(plane * c);
   if (!row || !p8) {
      snprintf(err_msg, sizeof err_msg, "out of memory");
      longjmp(jerr.jump, 1);
   }
   while (cinfo.output_scanline < cinfo.output_height) {
      size_t y = cinfo.output_scanline;
      JSAMPROW rp = row;
      jpeg_read_scanlines(&cinfo, &rp, 1);
      for (int x = 0; x < w; x++) {
         const uint8_t *s = row + (size_t)x * oc;
         if (cmyk) {
            /* Adobe's inverted CMYK: each value is 255 - ink */
            for (int k = 0; k < 3; k++) p8[k * plane + y * w + x] = (uint8_t)((s[k] * s[3] + 127) / 255);
         } else {
            for (int k = 0; k < c; k++) p8[k * plane + y * w + x] = s[k];
         }
      }
   }
   jpeg_finish_decompress(&cinfo);
   jpeg_destroy_decompress(&cinfo);
   free(row);
   *out8 = p8;
   *channels = c;
   *height = h;
   *width = w;
   return 0;
}

/* A destination manager over a growing buffer this file owns (libjpeg's
 * jpeg_mem_dest frees its buffers itself, which an error path cannot see) */
typedef struct {
   struct jpeg_destination_mgr pub;
   mem_out *out;
} jdest_mgr;

static int mem_grow(mem_out *o, size_t need)
{
   if (need <= o->cap) return 0;
   size_t cap = o->cap ? o->cap : 16384;
   while (cap < need) cap *= 2;
   uint8_t *p = realloc(o->p, cap);
   if (!p) return -1;
   o->p = p;
   o->cap = cap;
   return 0;
}

static void jdest_init(j_compress_ptr cinfo)
{
   jdest_mgr *d = (jdest_mgr *)cinfo->dest;
   if (mem_grow(d->out, 16384)) ERREXIT(cinfo, JERR_OUT_OF_MEMORY);
   d->pub.next_output_byte = d->out->p;
   d->pub.free_in_buffer = d->out->cap;
}

/* the whole buffer is full: double it */
static boolean jdest_empty(j_compress_ptr cinfo)
{
   jdest_mgr *d = (jdest_mgr *)cinfo->dest;
   size_t used = d->out->cap;
   if (mem_grow(d->out, used * 2)) ERREXIT(cinfo, JERR_OUT_OF_MEMORY);
   d->pub.next_output_byte = d->out->p + used;
   d->pub.free_in_buffer = d->out->cap - used;
   return TRUE;
}

static void jdest_term(j_compress_ptr cinfo)
{
   jdest_mgr *d = (jdest_mgr *)cinfo->dest;
   d->out->n = d->out->cap - d->pub.free_in_buffer;
}

EXPORT int nl_image_jpeg_encode(const uint8_t *planar, int channels, int height, int width, int quality,
   uint8_t **out, size_t *outlen)
{
   *out = NULL;
   *outlen = 0;
   if (check_dims(channels, height, width, 3)) return -1;
   if (channels == 2) return fail("expected 1 or 3 channels, got 2");
   if (quality < 0 || quality > 100) return fail("quality must be within 0..100, got %d", quality);
   struct jpeg_compress_struct cinfo;
   jerr_mgr jerr;
   mem_out o = { NULL, 0, 0, 0 };
   jdest_mgr dest;
   uint8_t *volatile row = NULL;
   cinfo.err = jpeg_std_error(&jerr.pub);
   jerr.pub.error_exit = jpeg_err_exit;
   jerr.pub.output_message = jpeg_silent;
   if (setjmp(jerr.jump)) {
      free(row);
      jpeg_destroy_compress(&cinfo);
      free(o.p);
      return -1;
   }
   jpeg_create_compress(&cinfo);
   dest.pub.init_destination = jdest_init;
   dest.pub.empty_output_buffer = jdest_empty;
   dest.pub.term_destination = jdest_term;
   dest.out = &o;
   cinfo.dest = &dest.pub;
   cinfo.image_width = (JDIMENSION)width;
   cinfo.image_height = (JDIMENSION)height;
   cinfo.input_components = channels;
   cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
   jpeg_set_defaults(&cinfo);
   jpeg_set_quality(&cinfo, quality, TRUE);
   jpeg_start_compress(&cinfo, TRUE);
   row = malloc((size_t)width * channels);
   if (!row) ERREXIT(&cinfo, JERR_OUT_OF_MEMORY);
   size_t plane = (size_t)width * height;
   while (cinfo.next_scanline < cinfo.image_height) {
      size_t y = cinfo.next_scanline;
      for (int x = 0; x < width; x++)
         for (int k = 0; k < channels; k++) row[(size_t)x * channels + k] = planar[k * plane + y * width + x];
      JSAMPROW rp = row;
      jpeg_write_scanlines(&cinfo, &rp, 1);
   }
   jpeg_finish_compress(&cinfo);
   jpeg_destroy_compress(&cinfo);
   free(row);
   *out = o.p;
   *outlen = o.n;
   return 0;
}

/* libnnlua_image: the image package's C side, a library of its own so that
 * libnnlua.so does not depend on libpng or libjpeg.
 *
 * Codecs work on bytes in memory (Lua reads and writes the files): decoders
 * return planar (channel-first) samples, encoders take planar 8-bit samples.
 * libpng and libjpeg report errors by longjmp; that stays inside codec.c,
 * and every function here returns 0 or -1 with a message in nl_image_error().
 * Buffers handed out are freed with nl_image_free.
 *
 * Pixel loops (ops.c) take (C, H, W) views of float (dtype 0) or double
 * (dtype 1) data, strides in elements; a 2-D image is C = 1 with stride 0.
 *
 * This header is also the FFI declaration lua/image/ffi.lua makes (lines
 * starting with # removed); tests/image/ffi_spec.lua checks they agree. */
#include <stddef.h>
#include <stdint.h>

typedef struct nl_image_view {
   void *data;
   int64_t size[3];   /* channels, height, width */
   int64_t stride[3];
} nl_image_view;

const char *nl_image_error(void);
void nl_image_free(void *p);

/* out8: c x h x w bytes (for 16-bit PNGs, the high bytes); out16: c x h x w
 * 16-bit samples for 16-bit PNGs, NULL otherwise. */
int nl_image_png_decode(const uint8_t *bytes, size_t n, uint8_t **out8, uint16_t **out16,
   int *channels, int *height, int *width, int *bit_depth);
int nl_image_jpeg_decode(const uint8_t *bytes, size_t n, uint8_t **out8,
   int *channels, int *height, int *width);
/* planar: channels x height x width bytes; channels 1, 2 (gray + alpha), 3 or 4 for PNG,
 * 1 or 3 for JPEG. */
int nl_image_png_encode(const uint8_t *planar, int channels, int height, int width,
   uint8_t **out, size_t *outlen);
int nl_image_jpeg_encode(const uint8_t *planar, int channels, int height, int width, int quality,
   uint8_t **out, size_t *outlen);

/* mode: 0 simple (nearest), 1 bilinear, 2 bicubic; dst and src have the same channels */
int nl_image_scale(int dtype, int mode, const nl_image_view *dst, const nl_image_view *src);
/* theta in radians about the centre; bilinear 0 or 1 */
int nl_image_rotate(int dtype, int bilinear, const nl_image_view *dst, const nl_image_view *src, double theta);
/* dst (already zeroed) receives src shifted by (dx, dy) */
int nl_image_translate(int dtype, const nl_image_view *dst, const nl_image_view *src, int64_t dx, int64_t dy);
/* flow: 2 x H x W (y, x) source positions (offsets when offset is 1); mode 0 simple,
 * 1 bilinear, 2 bicubic, 3 lanczos; pad 1: samples off the image take pad_value */
int nl_image_warp(int dtype, int mode, int offset, int pad, double pad_value,
   const nl_image_view *dst, const nl_image_view *src, const nl_image_view *flow);
/* dst = each channel of src convolved (flip 1) or correlated (flip 0) with
 * the kernel's matching channel (or its only one); full 1: the full result
 * (H + kh - 1), 0: the valid part (H - kh + 1); float or double */
int nl_image_conv2(int dtype, int full, int flip, const nl_image_view *dst, const nl_image_view *src,
   const nl_image_view *kernel);
/* op: 0 rgb2hsl, 1 hsl2rgb, 2 rgb2hsv, 3 hsv2rgb, 4 rgb2lab, 5 lab2rgb, 6 rgb2y (dst 1 channel),
 * 7 rgb2yuv, 8 yuv2rgb */
int nl_image_color(int dtype, int op, const nl_image_view *dst, const nl_image_view *src);

/* The image package's pixel loops (scale, rotate, translate, warp, colour
 * conversions) over float and double (C, H, W) views; the kernels are in
 * ops_impl.h, instantiated once per element type. Arguments are checked in
 * lua/image before a call; here only what would make a loop read or write
 * out of bounds is checked again. */
#include <math.h>
#include <stdlib.h>

#include "image.h"

#define EXPORT __attribute__((visibility("default")))

int nl_image_fail(const char *fmt, ...);
#define fail nl_image_fail

#define MAX3(a, b, c) ((a) > (b) ? ((a) > (c) ? (a) : (c)) : ((b) > (c) ? (b) : (c)))
#define MIN3(a, b, c) ((a) < (b) ? ((a) < (c) ? (a) : (c)) : ((b) < (c) ? (b) : (c)))

/* CIE constants and the D65 white point of rgb2lab / lab2rgb */
static const double LAB_EPS = 216.0 / 24389.0, LAB_K = 24389.0 / 27.0, LAB_XN = 0.950456, LAB_ZN = 1.088754;


static float lanczos(float t, int rad)
{
   t = t < 0 ? -t : t;
   if (t < 0.000001f) return 1;
   if (t > (float)rad) return 0;
   return ((float)rad * sin((float)M_PI * t) * sin((float)M_PI * t / (float)rad)) / ((float)(M_PI * M_PI) * t * t);
}

#define temp_t real
#define FROMI(x) (x)
#define real float
#define SUF float
#define FMA(a, x, y) fmaf((float)(a), (x), (y))
#define AXPY_BLOCK 32
#include "ops_impl.h"
#undef real
#undef SUF
#undef FMA
#undef AXPY_BLOCK
#define real double
#define SUF double
#define FMA(a, x, y) fma((a), (x), (y))
#define AXPY_BLOCK 16
#include "ops_impl.h"
#undef real
#undef SUF
#undef FMA
#undef AXPY_BLOCK
#undef temp_t
#undef FROMI

/* bytes: intermediates in float, rounded to the nearest value within 0..255 */
static uint8_t from_float_u8(float x)
{
   x += 0.5;
   if (x <= 0) return 0;
   if (x >= 255) return 255;
   return (uint8_t)x;
}
#define real uint8_t
#define temp_t float
#define FROMI(x) from_float_u8(x)
#define SUF byte
#define GEOMETRY_ONLY
#include "ops_impl.h"
#undef real
#undef temp_t
#undef FROMI
#undef SUF
#undef GEOMETRY_ONLY

static int check_views(const char *fn, int dtype, const nl_image_view *d, const nl_image_view *s)
{
   if (dtype < 0 || dtype > 2) return fail("%s: dtype must be 0 (float), 1 (double) or 2 (byte), got %d", fn, dtype);
   for (int i = 0; i < 3; i++)
      if (d->size[i] < 1 || s->size[i] < 1) return fail("%s: empty image", fn);
   return 0;
}

EXPORT int nl_image_scale(int dtype, int mode, const nl_image_view *dst, const nl_image_view *src)
{
   if (check_views("nl_image_scale", dtype, dst, src)) return -1;
   if (dst->size[0] != src->size[0]) return fail("nl_image_scale: src and dst depths do not match");
   if (mode < 0 || mode > 2) return fail("nl_image_scale: mode must be 0, 1 or 2, got %d", mode);
   return dtype == 0 ? scale_float(mode, dst, src) : dtype == 1 ? scale_double(mode, dst, src) : scale_byte(mode, dst, src);
}

EXPORT int nl_image_rotate(int dtype, int bilinear, const nl_image_view *dst, const nl_image_view *src, double theta)
{
   if (check_views("nl_image_rotate", dtype, dst, src)) return -1;
   if (dst->size[0] != src->size[0]) return fail("nl_image_rotate: src and dst depths do not match");
   if (dtype == 0) rotate_float(bilinear, dst, src, theta);
   else if (dtype == 1) rotate_double(bilinear, dst, src, theta);
   else rotate_byte(bilinear, dst, src, theta);
   return 0;
}

EXPORT int nl_image_translate(int dtype, const nl_image_view *dst, const nl_image_view *src, int64_t dx, int64_t dy)
{
   if (check_views("nl_image_translate", dtype, dst, src)) return -1;
   if (dst->size[0] != src->size[0]) return fail("nl_image_translate: src and dst depths do not match");
   if (dtype == 0) translate_float(dst, src, dx, dy);
   else if (dtype == 1) translate_double(dst, src, dx, dy);
   else translate_byte(dst, src, dx, dy);
   return 0;
}

EXPORT int nl_image_warp(int dtype, int mode, int offset, int pad, double pad_value,
   const nl_image_view *dst, const nl_image_view *src, const nl_image_view *flow)
{
   if (check_views("nl_image_warp", dtype, dst, src)) return -1;
   if (flow->size[0] != 2 || flow->size[1] != dst->size[1] || flow->size[2] != dst->size[2])
      return fail("nl_image_warp: flow field must be 2x%lldx%lld", (long long)dst->size[1], (long long)dst->size[2]);
   if (dst->size[0] != src->size[0]) return fail("nl_image_warp: src and dst depths do not match");
   if (mode < 0 || mode > 3) return fail("nl_image_warp: mode must be 0..3, got %d", mode);
   if (dtype == 0) warp_float(mode, offset != 0, pad, pad_value, dst, src, flow);
   else if (dtype == 1) warp_double(mode, offset != 0, pad, pad_value, dst, src, flow);
   else warp_byte(mode, offset != 0, pad, pad_value, dst, src, flow);
   return 0;
}

EXPORT int nl_image_conv2(int dtype, int full, int flip, const nl_image_view *dst, const nl_image_view *src,
   const nl_image_view *kernel)
{
   if (check_views("nl_image_conv2", dtype, dst, src) || check_views("nl_image_conv2", dtype, kernel, src)) return -1;
   if (dtype == 2) return fail("nl_image_conv2: float or double only");
   int64_t kr = kernel->size[1], kc = kernel->size[2];
   int64_t h = full ? src->size[1] + kr - 1 : src->size[1] - kr + 1;
   int64_t w = full ? src->size[2] + kc - 1 : src->size[2] - kc + 1;
   if (h < 1 || w < 1) return fail("nl_image_conv2: kernel larger than the image");
   if (dst->size[0] != src->size[0] || dst->size[1] != h || dst->size[2] != w)
      return fail("nl_image_conv2: dst must be %lldx%lldx%lld", (long long)src->size[0], (long long)h, (long long)w);
   if (kernel->size[0] != 1 && kernel->size[0] != src->size[0])
      return fail("nl_image_conv2: kernel has %lld channels for %lld", (long long)kernel->size[0], (long long)src->size[0]);
   return dtype == 0 ? conv2_float(full, flip, dst, src, kernel) : conv2_double(full, flip, dst, src, kernel);
}

EXPORT int nl_image_color(int dtype, int op, const nl_image_view *dst, const nl_image_view *src)
{
   if (check_views("nl_image_color", dtype, dst, src)) return -1;
   if (dtype == 2) return fail("nl_image_color: byte images are converted by the caller");
   if (op < 0 || op > 8) return fail("nl_image_color: op must be 0..8, got %d", op);
   if (src->size[0] < 3) return fail("nl_image_color: expected 3 channels, got %lld", (long long)src->size[0]);
   if (dst->size[0] != (op == 6 ? 1 : 3)) return fail("nl_image_color: dst has %lld channels", (long long)dst->size[0]);
   if (dst->size[1] != src->size[1] || dst->size[2] != src->size[2])
      return fail("nl_image_color: src and dst sizes differ");
   if (dtype == 0) color_float(op, dst, src);
   else color_double(op, dst, src);
   return 0;
}

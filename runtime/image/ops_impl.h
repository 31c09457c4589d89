/* Per-dtype pixel loops of the image package, included once per element type
 * by ops.c with `real` (float, double or uint8_t), `temp_t` (the type of
 * intermediate values), FROMI (intermediate to real: rounding and clamping
 * for bytes) and SUF (the name suffix) defined; GEOMETRY_ONLY leaves out the
 * colour conversions (not instantiated for bytes).
 * The arithmetic follows Torch7's image package step for step, including
 * where it rounds through float, so results match its recorded output.
 * Views are (C, H, W) with strides in elements (see image.h). */

#define FN(name) FN2(name, SUF)
#define FN2(name, suf) FN3(name, suf)
#define FN3(name, suf) name##_##suf

/* One row or column: dst_len samples at dst + i*dst_stride from src_len
 * samples, linear interpolation when growing, area averaging when shrinking. */
static void FN(scale_linear_line)(real *dst, int64_t dst_stride, int64_t dst_len,
   const real *src, int64_t src_stride, int64_t src_len)
{
   if (dst_len > src_len) {
      float scale = (float)(src_len - 1) / (dst_len - 1);
      for (int64_t di = 0; di < dst_len - 1; di++) {
         if (src_len == 1) {
            dst[di * dst_stride] = src[0];
            continue;
         }
         float sf = di * scale;
         int64_t si = (int64_t)sf;
         sf -= si;
         dst[di * dst_stride] = FROMI((1 - sf) * src[si * src_stride] + sf * src[(si + 1) * src_stride]);
      }
      dst[(dst_len - 1) * dst_stride] = src[(src_len - 1) * src_stride];
   } else if (dst_len < src_len) {
      float scale = (float)src_len / dst_len;
      int64_t s0 = 0;
      float f0 = 0;
      for (int64_t di = 0; di < dst_len; di++) {
         float f1 = (di + 1) * scale;
         int64_t s1 = (int64_t)f1;
         f1 -= s1;
         float acc = (1 - f0) * src[s0 * src_stride];
         float n = 1 - f0;
         for (int64_t si = s0 + 1; si < s1; si++) {
            acc += src[si * src_stride];
            n += 1;
         }
         if (s1 < src_len) {
            acc += f1 * src[s1 * src_stride];
            n += f1;
         }
         dst[di * dst_stride] = FROMI(acc / n);
         s0 = s1;
         f0 = f1;
      }
   } else {
      for (int64_t i = 0; i < dst_len; i++) dst[i * dst_stride] = src[i * src_stride];
   }
}

/* Catmull-Rom cubic through p0..p3 at x in [0, 1) between p1 and p2 */
static temp_t FN(cubic)(temp_t p0, temp_t p1, temp_t p2, temp_t p3, temp_t x)
{
   temp_t a1 = p2 - p0, a2 = 2 * p0 - 5 * p1 + 4 * p2 - p3, a3 = 3 * (p1 - p2) + p3 - p0;
   return p1 + 0.5 * x * (a1 + x * (a2 + x * a3));
}

/* Cubic interpolation along one line, ends extrapolated linearly */
static void FN(scale_cubic_line)(real *dst, int64_t dst_stride, int64_t dst_len,
   const real *src, int64_t src_stride, int64_t src_len)
{
   if (dst_len == src_len) {
      for (int64_t i = 0; i < dst_len; i++) dst[i * dst_stride] = src[i * src_stride];
      return;
   }
   if (src_len == 1) {
      for (int64_t i = 0; i < dst_len; i++) dst[i * dst_stride] = src[0];
      return;
   }
   float scale = dst_len == 1 ? (float)(src_len - 1) : (float)(src_len - 1) / (dst_len - 1);
   for (int64_t di = 0; di < dst_len - 1; di++) {
      float sf = di * scale;
      int64_t si = (int64_t)sf;
      sf -= si;
      temp_t p1 = src[si * src_stride];
      temp_t p2 = src[(si + 1) * src_stride];
      temp_t p0 = si > 0 ? src[(si - 1) * src_stride] : 2 * p1 - p2;
      temp_t p3 = si + 2 < src_len ? src[(si + 2) * src_stride] : 2 * p2 - p1;
      dst[di * dst_stride] = FROMI(FN(cubic)(p0, p1, p2, p3, sf));
   }
   dst[(dst_len - 1) * dst_stride] = src[(src_len - 1) * src_stride];
}

/* Rows first into a (H_src, W_dst) buffer, then columns; per channel */
static int FN(scale_separable)(int cubic, const nl_image_view *d, const nl_image_view *s)
{
   int64_t C = s->size[0], sh = s->size[1], sw = s->size[2], dh = d->size[1], dw = d->size[2];
   real *tmp = malloc(sizeof(real) * (size_t)(sh * dw));
   if (!tmp) return fail("out of memory");
   real *dst = d->data;
   const real *src = s->data;
   for (int64_t k = 0; k < C; k++) {
      const real *sk = src + k * s->stride[0];
      real *dk = dst + k * d->stride[0];
      for (int64_t j = 0; j < sh; j++) {
         if (cubic) FN(scale_cubic_line)(tmp + j * dw, 1, dw, sk + j * s->stride[1], s->stride[2], sw);
         else FN(scale_linear_line)(tmp + j * dw, 1, dw, sk + j * s->stride[1], s->stride[2], sw);
      }
      for (int64_t i = 0; i < dw; i++) {
         if (cubic) FN(scale_cubic_line)(dk + i * d->stride[2], d->stride[1], dh, tmp + i, dw, sh);
         else FN(scale_linear_line)(dk + i * d->stride[2], d->stride[1], dh, tmp + i, dw, sh);
      }
   }
   free(tmp);
   return 0;
}

static void FN(scale_simple)(const nl_image_view *d, const nl_image_view *s)
{
   int64_t C = s->size[0], sh = s->size[1], sw = s->size[2], dh = d->size[1], dw = d->size[2];
   float scx = (float)sw / (float)dw, scy = (float)sh / (float)dh;
   real *dst = d->data;
   const real *src = s->data;
   for (int64_t j = 0; j < dh; j++)
      for (int64_t i = 0; i < dw; i++) {
         int64_t ii = (int64_t)((float)i * scx), jj = (int64_t)((float)j * scy);
         if (ii > sw - 1) ii = sw - 1;
         if (jj > sh - 1) jj = sh - 1;
         for (int64_t k = 0; k < C; k++)
            dst[k * d->stride[0] + j * d->stride[1] + i * d->stride[2]] =
               src[k * s->stride[0] + jj * s->stride[1] + ii * s->stride[2]];
      }
}

static int FN(scale)(int mode, const nl_image_view *d, const nl_image_view *s)
{
   if (mode == 0) {
      FN(scale_simple)(d, s);
      return 0;
   }
   return FN(scale_separable)(mode == 2, d, s);
}

/* Rotation by theta about the centre ((W-1)/2, (H-1)/2); what falls
 * outside the source is 0. Bilinear takes the nearest row or column on
 * the border's inner half. */
static void FN(rotate)(int bilinear, const nl_image_view *d, const nl_image_view *s, double theta_d)
{
   int64_t C = s->size[0], sh = s->size[1], sw = s->size[2], dh = d->size[1], dw = d->size[2];
   real *dst = d->data;
   const real *src = s->data;
   float theta = (float)theta_d;
   float xc = (sw - 1) / 2.0, yc = (sh - 1) / 2.0;
   float sin_t = sin(theta), cos_t = cos(theta);
   for (int64_t j = 0; j < dh; j++) {
      float jd = j;
      for (int64_t i = 0; i < dw; i++) {
         float id = i;
         real *dp = dst + j * d->stride[1] + i * d->stride[2];
         if (!bilinear) {
            int64_t ii = (int64_t)round(cos_t * (id - xc) - sin_t * (jd - yc) + xc);
            int64_t jj = (int64_t)round(cos_t * (jd - yc) + sin_t * (id - xc) + yc);
            int out = ii > sw - 1 || jj > sh - 1 || ii < 0 || jj < 0;
            for (int64_t k = 0; k < C; k++)
               dp[k * d->stride[0]] = out ? 0 : src[k * s->stride[0] + jj * s->stride[1] + ii * s->stride[2]];
         } else {
            temp_t ri = cos(theta) * (id - xc) - sin(theta) * (jd - yc);
            temp_t rj = cos(theta) * (jd - yc) + sin(theta) * (id - xc);
            int64_t i0 = (int64_t)floor(ri + xc), j0 = (int64_t)floor(rj + yc);
            int64_t i1 = i0 + 1, j1 = j0 + 1;
            temp_t wi = ri + xc - i0, wj = rj + yc - j0;
            int out = 0;
            if (i1 == sw && wi < 0.5) i1 = i0;
            else if (i1 >= sw) out = 1;
            if (j1 == sh && wj < 0.5) j1 = j0;
            else if (j1 >= sh) out = 1;
            if (i0 == -1 && wi > 0.5) i0 = i1;
            else if (i0 < 0) out = 1;
            if (j0 == -1 && wj > 0.5) j0 = j1;
            else if (j0 < 0) out = 1;
            for (int64_t k = 0; k < C; k++) {
               float val = 0;
               if (!out) {
                  const real *sk = src + k * s->stride[0];
                  val = (1.0 - wi) * (1.0 - wj) * sk[i0 * s->stride[2] + j0 * s->stride[1]]
                     + wi * (1.0 - wj) * sk[i1 * s->stride[2] + j0 * s->stride[1]]
                     + (1.0 - wi) * wj * sk[i0 * s->stride[2] + j1 * s->stride[1]]
                     + wi * wj * sk[i1 * s->stride[2] + j1 * s->stride[1]];
               }
               dp[k * d->stride[0]] = FROMI(val);
            }
         }
      }
   }
}

static void FN(translate)(const nl_image_view *d, const nl_image_view *s, int64_t dx, int64_t dy)
{
   int64_t C = s->size[0], sh = s->size[1], sw = s->size[2], dh = d->size[1], dw = d->size[2];
   real *dst = d->data;
   const real *src = s->data;
   for (int64_t j = 0; j < sh; j++)
      for (int64_t i = 0; i < sw; i++) {
         int64_t ii = i + dx, jj = j + dy;
         if (ii < 0 || jj < 0 || ii >= dw || jj >= dh) continue;
         for (int64_t k = 0; k < C; k++)
            dst[k * d->stride[0] + jj * d->stride[1] + ii * d->stride[2]] =
               src[k * s->stride[0] + j * s->stride[1] + i * s->stride[2]];
      }
}

#define CLAMPI(v, hi) ((v) < 0 ? 0 : (v) > (hi) ? (hi) : (v))

/* Resampling at (iy, ix), clamped to the image, for warp's four modes */
static void FN(warp)(int mode, int offset, int pad, double pad_value,
   const nl_image_view *d, const nl_image_view *s, const nl_image_view *f)
{
   int64_t C = d->size[0], H = d->size[1], W = d->size[2], sh = s->size[1], sw = s->size[2];
   real *dst = d->data;
   const real *src = s->data, *flow = f->data;
   for (int64_t y = 0; y < H; y++)
      for (int64_t x = 0; x < W; x++) {
         float fy = flow[y * f->stride[1] + x * f->stride[2]];
         float fx = flow[f->stride[0] + y * f->stride[1] + x * f->stride[2]];
         float iy = offset * y + fy, ix = offset * x + fx;
         real *dp = dst + y * d->stride[1] + x * d->stride[2];
         /* a NaN position samples nothing: the pad value (0 when clamping) */
         if (isnan(ix) || isnan(iy) || (pad && (iy < 0 || iy > sh - 1 || ix < 0 || ix > sw - 1))) {
            for (int64_t k = 0; k < C; k++) dp[k * d->stride[0]] = (real)pad_value;
            continue;
         }
         ix = ix < 0 ? 0 : ix;
         ix = ix > sw - 1 ? sw - 1 : ix;
         iy = iy < 0 ? 0 : iy;
         iy = iy > sh - 1 ? sh - 1 : iy;
         if (mode == 1) {
            int64_t x0 = (int64_t)floor(ix), y0 = (int64_t)floor(iy);
            int64_t x1 = x0 + 1, y1 = y0 + 1;
            temp_t nw = (x1 - ix) * (y1 - iy);
            temp_t ne = (ix - x0) * (y1 - iy);
            temp_t sw_ = (x1 - ix) * (iy - y0);
            temp_t se = (ix - x0) * (iy - y0);
            int64_t xc1 = x1 > sw - 1 ? sw - 1 : x1, yc1 = y1 > sh - 1 ? sh - 1 : y1;
            for (int64_t k = 0; k < C; k++) {
               const real *sk = src + k * s->stride[0];
               dp[k * d->stride[0]] = FROMI(sk[y0 * s->stride[1] + x0 * s->stride[2]] * nw
                  + sk[y0 * s->stride[1] + xc1 * s->stride[2]] * ne
                  + sk[yc1 * s->stride[1] + x0 * s->stride[2]] * sw_
                  + sk[yc1 * s->stride[1] + xc1 * s->stride[2]] * se);
            }
         } else if (mode == 0) {
            int64_t xn = (int64_t)floor(ix + 0.5), yn = (int64_t)floor(iy + 0.5);
            for (int64_t k = 0; k < C; k++)
               dp[k * d->stride[0]] = src[k * s->stride[0] + yn * s->stride[1] + xn * s->stride[2]];
         } else if (mode == 2) {
            /* samples beyond the border take pad_value near the edges */
            int64_t xp = (int64_t)floor(ix), yp = (int64_t)floor(iy);
            temp_t dx = ix - xp, dy = iy - yp;
            int edge = !(iy >= 1 && iy < sh - 2 && ix >= 1 && ix < sw - 2);
            for (int64_t k = 0; k < C; k++) {
               temp_t arr[4], p[4];
               for (int a = 0; a < 4; a++) {
                  int64_t v = yp + a - 1;
                  for (int b = 0; b < 4; b++) {
                     int64_t u = xp + b - 1;
                     if (edge && (v < 0 || v >= sh || u < 0 || u >= sw)) p[b] = (real)pad_value;
                     else p[b] = src[k * s->stride[0] + v * s->stride[1] + u * s->stride[2]];
                  }
                  arr[a] = FN(cubic)(p[0], p[1], p[2], p[3], dx);
               }
               dp[k * d->stride[0]] = FROMI(FN(cubic)(arr[0], arr[1], arr[2], arr[3], dy));
            }
         } else {
            enum { RAD = 3 };
            int64_t xp = (int64_t)floor(ix), yp = (int64_t)floor(iy);
            float lu[2 * RAD], lv[2 * RAD];
            for (int t = 0; t < 2 * RAD; t++) {
               lu[t] = lanczos(ix - (float)(xp - RAD + 1 + t), RAD);
               lv[t] = lanczos(iy - (float)(yp - RAD + 1 + t), RAD);
            }
            float wsum = 0;
            for (int a = 0; a < 2 * RAD; a++)
               for (int b = 0; b < 2 * RAD; b++) wsum += lu[a] * lv[b];
            for (int64_t k = 0; k < C; k++) {
               temp_t acc = 0;  /* Lanczos-3 */
               for (int a = 0; a < 2 * RAD; a++) {
                  int64_t u = CLAMPI(xp - RAD + 1 + a, sw - 1);
                  for (int b = 0; b < 2 * RAD; b++) {
                     int64_t v = CLAMPI(yp - RAD + 1 + b, sh - 1);
                     temp_t wgt = lu[a] * lv[b];
                     acc += src[k * s->stride[0] + v * s->stride[1] + u * s->stride[2]] * wgt;
                  }
               }
               dp[k * d->stride[0]] = FROMI(acc / (float)wsum);
            }
         }
      }
}

#ifndef GEOMETRY_ONLY
/* 2-D convolution of each channel k of src with kernel channel k (or the
 * one kernel channel when the kernel has one): out(y, x) = sum over the
 * kernel of in(y + ky - p, x + kx - p) * ker(kr - 1 - ky, kc - 1 - kx), with
 * p = kernel size - 1 for 'full' (samples outside the image are 0) and 0
 * for 'valid'; xcorr (flip 0) reads the kernel unflipped. */
static int FN(conv2)(int full, int flip, const nl_image_view *d, const nl_image_view *s, const nl_image_view *kv)
{
   int64_t C = d->size[0], H = d->size[1], W = d->size[2], sh = s->size[1], sw = s->size[2];
   int64_t kr = kv->size[1], kc = kv->size[2];
   int64_t py = full ? kr - 1 : 0, px = full ? kc - 1 : 0;
   int64_t s2 = s->stride[2];
   real *dst = d->data;
   const real *src = s->data, *ker = kv->data;
   /* one output row at a time, kernel tap by tap across the row: each output
    * still sums its terms in kernel order, and the inner loop vectorises */
   real *acc = malloc(sizeof(real) * (size_t)W);
   if (!acc) return fail("out of memory");
   for (int64_t c = 0; c < C; c++) {
      const real *sc = src + c * s->stride[0];
      const real *kk = ker + (kv->size[0] == 1 ? 0 : c) * kv->stride[0];
      for (int64_t y = 0; y < H; y++) {
         for (int64_t x = 0; x < W; x++) acc[x] = 0;
         for (int64_t ky = 0; ky < kr; ky++) {
            int64_t iy = y + ky - py;
            if (iy < 0 || iy >= sh) continue;
            const real *row = sc + iy * s->stride[1];
            const real *krow = kk + (flip ? kr - 1 - ky : ky) * kv->stride[1];
            for (int64_t kx = 0; kx < kc; kx++) {
               real kval = krow[(flip ? kc - 1 - kx : kx) * kv->stride[2]];
               int64_t x0 = px - kx > 0 ? px - kx : 0, x1 = sw + px - kx < W ? sw + px - kx : W;
               const real *in = row + (x0 + kx - px) * s2;
               if (s2 == 1) {
                  for (int64_t x = x0; x < x1; x++) acc[x] += in[x - x0] * kval;
               } else {
                  for (int64_t x = x0; x < x1; x++) acc[x] += in[(x - x0) * s2] * kval;
               }
            }
         }
         real *drow = dst + c * d->stride[0] + y * d->stride[1];
         for (int64_t x = 0; x < W; x++) drow[x * d->stride[2]] = acc[x];
      }
   }
   free(acc);
   return 0;
}

/* sRGB transfer curves */
static real FN(gamma_expand)(real v) { return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4); }
static real FN(gamma_compress)(real v) { return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055; }

static real FN(hue2rgb)(real p, real q, real t)
{
   if (t < 0.) t += 1;
   if (t > 1.) t -= 1;
   if (t < 1. / 6) return p + (q - p) * 6. * t;
   if (t < 1. / 2) return q;
   if (t < 2. / 3) return p + (q - p) * (2. / 3 - t) * 6.;
   return p;
}

#define AXPY(a, x, y) (fuse ? FMA(a, x, y) : (y) + (real)(a) * (x))

/* Colour conversions per pixel; formulas as Torch7's image package has them */
static void FN(color)(int op, const nl_image_view *d, const nl_image_view *s)
{
   int64_t H = s->size[1], W = s->size[2];
   real *dst = d->data;
   const real *src = s->data;
   /* Torch7 computes yuv channel by channel with BLAS axpy, which fuses the
    * multiply-add on whole blocks (AXPY_BLOCK elements) and rounds twice on
    * the remainder; the same rounding gives the same values */
   int64_t fused = (H * W) - (H * W) % AXPY_BLOCK;
   for (int64_t y = 0; y < H; y++)
      for (int64_t x = 0; x < W; x++) {
         int fuse = y * W + x < fused;
         const real *sp = src + y * s->stride[1] + x * s->stride[2];
         real *dp = dst + y * d->stride[1] + x * d->stride[2];
         real a = sp[0], b = sp[s->stride[0]], c = sp[2 * s->stride[0]];
         real o0 = 0, o1 = 0, o2 = 0;
         switch (op) {
         case 0: { /* rgb -> hsl */
            real mx = MAX3(a, b, c), mn = MIN3(a, b, c);
            real l = (mx + mn) / 2, h = 0, sat = 0;
            if (mx != mn) {
               real dd = mx - mn;
               sat = l > 0.5 ? dd / (2 - mx - mn) : dd / (mx + mn);
               if (mx == a) h = (b - c) / dd + (b < c ? 6 : 0);
               else if (mx == b) h = (c - a) / dd + 2;
               else h = (a - b) / dd + 4;
               h /= 6;
            }
            o0 = h; o1 = sat; o2 = l;
            break;
         }
         case 1: { /* hsl -> rgb */
            real h = a, sat = b, l = c;
            if (sat == 0) {
               o0 = o1 = o2 = l;
            } else {
               real q = l < 0.5 ? l * (1 + sat) : l + sat - l * sat;
               real p = 2 * l - q;
               o0 = FN(hue2rgb)(p, q, h + 1. / 3);
               o1 = FN(hue2rgb)(p, q, h);
               o2 = FN(hue2rgb)(p, q, h - 1. / 3);
            }
            break;
         }
         case 2: { /* rgb -> hsv */
            real mx = MAX3(a, b, c), mn = MIN3(a, b, c);
            real dd = mx - mn, h = 0;
            real sat = mx == 0 ? 0 : dd / mx;
            if (mx != mn) {
               if (mx == a) h = (b - c) / dd + (b < c ? 6 : 0);
               else if (mx == b) h = (c - a) / dd + 2;
               else h = (a - b) / dd + 4;
               h /= 6;
            }
            o0 = h; o1 = sat; o2 = mx;
            break;
         }
         case 3: { /* hsv -> rgb */
            real h = a, sat = b, v = c;
            int i = (int)floor(h * 6.);
            real f = h * 6 - i, p = v * (1 - sat), q = v * (1 - f * sat), t = v * (1 - (1 - f) * sat);
            switch (((i % 6) + 6) % 6) {
            case 0: o0 = v; o1 = t; o2 = p; break;
            case 1: o0 = q; o1 = v; o2 = p; break;
            case 2: o0 = p; o1 = v; o2 = t; break;
            case 3: o0 = p; o1 = q; o2 = v; break;
            case 4: o0 = t; o1 = p; o2 = v; break;
            default: o0 = v; o1 = p; o2 = q; break;
            }
            break;
         }
         case 4: { /* rgb -> lab (D65) */
            real r = FN(gamma_expand)(a), g = FN(gamma_expand)(b), bl = FN(gamma_expand)(c);
            double X = (0.412453 * r + 0.357580 * g + 0.180423 * bl) / LAB_XN;
            double Y = 0.212671 * r + 0.715160 * g + 0.072169 * bl;
            double Z = (0.019334 * r + 0.119193 * g + 0.950227 * bl) / LAB_ZN;
            double fx = X > LAB_EPS ? pow(X, 1 / 3.0) : (LAB_K * X + 16) / 116;
            double fy = Y > LAB_EPS ? pow(Y, 1 / 3.0) : (LAB_K * Y + 16) / 116;
            double fz = Z > LAB_EPS ? pow(Z, 1 / 3.0) : (LAB_K * Z + 16) / 116;
            o0 = 116 * fy - 16; o1 = 500 * (fx - fy); o2 = 200 * (fy - fz);
            break;
         }
         case 5: { /* lab -> rgb */
            real l = a, aa = b, bb = c;
            double fy = (l + 16) / 116, fz = fy - bb / 200, fx = aa / 500 + fy;
            double X = pow(fx, 3);
            if (X <= LAB_EPS) X = (116 * fx - 16) / LAB_K;
            double Y = l > LAB_K * LAB_EPS ? pow((l + 16) / 116, 3) : l / LAB_K;
            double Z = pow(fz, 3);
            if (Z <= LAB_EPS) Z = (116 * fz - 16) / LAB_K;
            X *= LAB_XN;
            Z *= LAB_ZN;
            o0 = FN(gamma_compress)((real)(3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z));
            o1 = FN(gamma_compress)((real)(-0.9692660 * X + 1.8760108 * Y + 0.0415560 * Z));
            o2 = FN(gamma_compress)((real)(0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z));
            break;
         }
         case 7: /* rgb -> yuv */
            o0 = AXPY(0.114, c, AXPY(0.587, b, (real)0.299 * a));
            o1 = AXPY(0.436, c, AXPY(-0.28886, b, (real)-0.14713 * a));
            o2 = AXPY(-0.10001, c, AXPY(-0.51499, b, (real)0.615 * a));
            break;
         case 8: /* yuv -> rgb */
            o0 = AXPY(1.13983, c, a);
            o1 = AXPY(-0.58060, c, AXPY(-0.39465, b, a));
            o2 = AXPY(2.03211, b, a);
            break;
         default: /* rgb -> y */
            dp[0] = 0.299 * a + 0.587 * b + 0.114 * c;
            continue;
         }
         dp[0] = o0;
         dp[d->stride[0]] = o1;
         dp[2 * d->stride[0]] = o2;
      }
}

#endif

#undef CLAMPI
#undef AXPY
#undef FN
#undef FN2
#undef FN3

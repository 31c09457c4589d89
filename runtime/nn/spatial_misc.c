/* spatial_misc.c: per-plane image modules over (N,)C,H,W inputs:
 * SpatialZero/Reflection/ReplicationPadding, SpatialUpSamplingNearest,
 * SpatialUpSamplingBilinear (Torch7's align-corners grid, computed in
 * float as THNN does) and SpatialCrossMapLRN. Planes (image, channel) run
 * in parallel; LRN runs images in parallel. */
#include "../apply.h"
#include "nn_common.h"
#include <math.h>
#include <string.h>

/* common front: float/double CPU 3D/4D input, contiguous copy in tmp */
static int planes_of(const char *fn, const nl_tensor *input, int64_t *P, int64_t *H, int64_t *W) {
   char s[NL_SHAPE_BUF];
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != 3 && input->_ndim != 4)
      return nl_errorf("%s: expected a 3D (C x H x W) or 4D (N x C x H x W) input, got %s", fn,
                       nl_shape_str(s, sizeof s, input));
   *P = input->_ndim == 4 ? input->_size[0] * input->_size[1] : input->_size[0];
   *H = input->_size[input->_ndim - 2];
   *W = input->_size[input->_ndim - 1];
   if (*P < 1 || *H < 1 || *W < 1) return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   return 0;
}

/* t resized to input's leading dims with the last two replaced */
static int resize_planes(const char *fn, nl_tensor *t, const nl_tensor *like, int64_t H, int64_t W) {
   int64_t sz[4];
   for (int i = 0; i < like->_ndim - 2; i++) sz[i] = like->_size[i];
   sz[like->_ndim - 2] = H;
   sz[like->_ndim - 1] = W;
   if (t->_dtype != like->_dtype) return nl_errorf("%s: result is a %s, expected a %s", fn, nl_type_name(t), nl_type_name(like));
   if (nl_tensor_resize(t, like->_ndim, sz)) return -1;
   if (!nl_tensor_is_contiguous(t)) return nl_errorf("%s: result tensors must be contiguous", fn);
   return 0;
}

/* gradOutput must be input's leading dims x oH x oW */
static int check_go(const char *fn, const nl_tensor *go, const nl_tensor *input, int64_t oH, int64_t oW) {
   char a[NL_SHAPE_BUF];
   int ok = go->_ndim == input->_ndim && go->_dtype == input->_dtype;
   for (int i = 0; ok && i < input->_ndim - 2; i++) ok = go->_size[i] == input->_size[i];
   ok = ok && go->_size[input->_ndim - 2] == oH && go->_size[input->_ndim - 1] == oW;
   if (!ok)
      return nl_errorf("%s: gradOutput is a %s of size %s, expected the output's size (%lldx%lld planes of the input's %s)",
                       fn, nl_type_name(go), nl_shape_str(a, sizeof a, go), (long long)oH, (long long)oW,
                       nl_type_name(input));
   return 0;
}

/* ---------------------------------------------------------- padding */

/* source row/column of output position o, or -1 (zero) */
static inline int64_t pad_src(int64_t o, int64_t pad, int64_t n, int mode) {
   int64_t i = o - pad;
   if (i >= 0 && i < n) return i;
   if (mode == 0) return -1;
   if (mode == 1) return i < 0 ? -i : 2 * (n - 1) - i; /* reflection */
   return i < 0 ? 0 : n - 1;                            /* replication */
}

#define PAD(T) \
   static void pad_##T(T *out, const T *in, T *gin, const T *gout, int64_t P, int64_t H, int64_t W, int64_t oH, \
                       int64_t oW, int64_t l, int64_t t, int mode) { \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, P, P > 1 && nth > 1 && P * oH * oW >= NL_OMP_MIN, \
         for (int64_t y = 0; y < oH; y++) { \
            int64_t iy = pad_src(y, t, H, mode); \
            for (int64_t x = 0; x < oW; x++) { \
               int64_t ix = pad_src(x, l, W, mode), o = (p * oH + y) * oW + x; \
               int inside = iy >= 0 && ix >= 0; \
               if (out) out[o] = inside ? in[(p * H + iy) * W + ix] : 0; \
               else if (inside) gin[(p * H + iy) * W + ix] += gout[o]; \
            } \
         } \
      ); \
   }
PAD(float)
PAD(double)

static const char *pad_name(int mode) {
   return mode == 0 ? "nn.SpatialZeroPadding" : mode == 1 ? "nn.SpatialReflectionPadding" : "nn.SpatialReplicationPadding";
}

static int pad_geometry(const char *fn, const nl_tensor *input, int l, int r, int t, int b, int mode, int64_t *P,
                        int64_t *H, int64_t *W, int64_t *oH, int64_t *oW) {
   if (mode < 0 || mode > 2) return nl_errorf("nl_spatial_padding: unknown mode %d", mode);
   if (planes_of(fn, input, P, H, W)) return -1;
   *oH = *H + t + b;
   *oW = *W + l + r;
   if (*oH < 1 || *oW < 1)
      return nl_errorf("%s: padding %d,%d,%d,%d of a %lldx%lld image leaves an empty output", fn, l, r, t, b,
                       (long long)*H, (long long)*W);
   if (mode != 0 && (l < 0 || r < 0 || t < 0 || b < 0)) return nl_errorf("%s: padding must be non-negative", fn);
   if (mode == 1 && (l >= *W || r >= *W || t >= *H || b >= *H))
      return nl_errorf("%s: padding %d,%d,%d,%d must be smaller than the input image %lldx%lld", fn, l, r, t, b,
                       (long long)*H, (long long)*W);
   return 0;
}

NL_API int nl_spatial_padding_forward(nl_tensor *output, const nl_tensor *input, int l, int r, int t, int b, int mode) {
   const char *fn = pad_name(mode);
   int64_t P = 0, H = 0, W = 0, oH = 0, oW = 0;
   if (pad_geometry(fn, input, l, r, t, b, mode, &P, &H, &W, &oH, &oW)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_planes(fn, output, input, oH, oW);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) pad_float(nl_ptr(output), nl_ptr(in), NULL, NULL, P, H, W, oH, oW, l, t, mode);
      else pad_double(nl_ptr(output), nl_ptr(in), NULL, NULL, P, H, W, oH, oW, l, t, mode);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_padding_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput, int l,
                                       int r, int t, int b, int mode) {
   const char *fn = pad_name(mode);
   int64_t P = 0, H = 0, W = 0, oH = 0, oW = 0;
   if (pad_geometry(fn, input, l, r, t, b, mode, &P, &H, &W, &oH, &oW) || check_go(fn, gradOutput, input, oH, oW))
      return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_planes(fn, gradInput, input, H, W) || nl_zero(gradInput);
   if (!rc) {
      /* reflection and replication add several outputs into one input:
       * planes are independent, so the parallel split stays safe */
      if (input->_dtype == NL_FLOAT) pad_float(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), P, H, W, oH, oW, l, t, mode);
      else pad_double(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), P, H, W, oH, oW, l, t, mode);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* ------------------------------------------------------- upsampling */

#define NEAREST(T) \
   static void nearest_##T(T *out, const T *in, T *gin, const T *gout, int64_t P, int64_t H, int64_t W, int s) { \
      int64_t oH = H * s, oW = W * s; \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, P, P > 1 && nth > 1 && P * oH * oW >= NL_OMP_MIN, \
         for (int64_t y = 0; y < oH; y++) \
            for (int64_t x = 0; x < oW; x++) { \
               int64_t i = (p * H + y / s) * W + x / s, o = (p * oH + y) * oW + x; \
               if (out) out[o] = in[i]; \
               else gin[i] += gout[o]; \
            } \
      ); \
   }
NEAREST(float)
NEAREST(double)

NL_API int nl_spatial_upsample_nearest_forward(nl_tensor *output, const nl_tensor *input, int scale) {
   const char *fn = "nn.SpatialUpSamplingNearest";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (scale < 1) return nl_errorf("%s: scale must be a positive integer, got %d", fn, scale);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_planes(fn, output, input, H * scale, W * scale);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) nearest_float(nl_ptr(output), nl_ptr(in), NULL, NULL, P, H, W, scale);
      else nearest_double(nl_ptr(output), nl_ptr(in), NULL, NULL, P, H, W, scale);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_upsample_nearest_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                const nl_tensor *gradOutput, int scale) {
   const char *fn = "nn.SpatialUpSamplingNearest";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (scale < 1) return nl_errorf("%s: scale must be a positive integer, got %d", fn, scale);
   if (check_go(fn, gradOutput, input, H * scale, W * scale)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_planes(fn, gradInput, input, H, W) || nl_zero(gradInput);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) nearest_float(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), P, H, W, scale);
      else nearest_double(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), P, H, W, scale);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* output pixel (y, x) interpolates the input at (y*(H-1)/(oH-1), ...),
 * the ratios in float as Torch7 computes them */
#define BILINEAR(T) \
   static void bilinear_##T(T *out, const T *in, T *gin, const T *gout, int64_t P, int64_t H, int64_t W, int64_t oH, \
                            int64_t oW) { \
      float rh = oH > 1 ? (float)(H - 1) / (float)(oH - 1) : 0.f, rw = oW > 1 ? (float)(W - 1) / (float)(oW - 1) : 0.f; \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, P, P > 1 && nth > 1 && P * oH * oW >= NL_OMP_MIN, \
         for (int64_t y = 0; y < oH; y++) { \
            float yr = rh * (float)y; \
            int64_t y0 = (int64_t)yr, yp = y0 < H - 1 ? 1 : 0; \
            T ly1 = (T)yr - (T)y0, ly0 = (T)1 - ly1; \
            for (int64_t x = 0; x < oW; x++) { \
               float xr = rw * (float)x; \
               int64_t x0 = (int64_t)xr, xp = x0 < W - 1 ? 1 : 0; \
               T lx1 = (T)xr - (T)x0, lx0 = (T)1 - lx1; \
               int64_t i = (p * H + y0) * W + x0, o = (p * oH + y) * oW + x; \
               if (out) \
                  out[o] = ly0 * (lx0 * in[i] + lx1 * in[i + xp]) + ly1 * (lx0 * in[i + yp * W] + lx1 * in[i + yp * W + xp]); \
               else { \
                  T g = gout[o]; \
                  gin[i] += ly0 * lx0 * g; \
                  gin[i + xp] += ly0 * lx1 * g; \
                  gin[i + yp * W] += ly1 * lx0 * g; \
                  gin[i + yp * W + xp] += ly1 * lx1 * g; \
               } \
            } \
         } \
      ); \
   }
BILINEAR(float)
BILINEAR(double)

NL_API int nl_spatial_upsample_bilinear_forward(nl_tensor *output, const nl_tensor *input, int oH, int oW) {
   const char *fn = "nn.SpatialUpSamplingBilinear";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (oH < 1 || oW < 1) return nl_errorf("%s: the output size %dx%d must be positive", fn, oH, oW);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_planes(fn, output, input, oH, oW);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) bilinear_float(nl_ptr(output), nl_ptr(in), NULL, NULL, P, H, W, oH, oW);
      else bilinear_double(nl_ptr(output), nl_ptr(in), NULL, NULL, P, H, W, oH, oW);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_upsample_bilinear_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                 const nl_tensor *gradOutput, int oH, int oW) {
   const char *fn = "nn.SpatialUpSamplingBilinear";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W) || check_go(fn, gradOutput, input, oH, oW)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_planes(fn, gradInput, input, H, W) || nl_zero(gradInput);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) bilinear_float(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), P, H, W, oH, oW);
      else bilinear_double(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), P, H, W, oH, oW);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* ------------------------------------------------ cross-map LRN */

/* scale[c] = k + alpha/size * sum of x[c']^2 over c' in [c-h, c+h]
 * (h = (size-1)/2); out = x * scale^-beta. Backward:
 * gin[c] = go[c] scale[c]^-beta
 *        - 2 alpha beta/size x[c] sum_{c' within h of c} go[c'] out[c'] / scale[c'] */
#define LRN(T) \
   static void lrn_##T(T *out, T *sc, const T *in, T *gin, const T *gout, int64_t N, int64_t Cn, int64_t S, int size, \
                       double alpha, double beta, double k) { \
      int64_t h = (size - 1) / 2; \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(n, N, N > 1 && nth > 1 && N * Cn * S >= NL_OMP_MIN, \
         const T *x = in + n * Cn * S; \
         T *s = sc + n * Cn * S, *o = out + n * Cn * S; \
         for (int64_t c = 0; c < Cn; c++) { \
            int64_t lo = c - h < 0 ? 0 : c - h, hi = c + h < Cn - 1 ? c + h : Cn - 1; \
            if (!gin) { \
               T *sr = s + c * S; \
               for (int64_t i = 0; i < S; i++) sr[i] = 0; \
               for (int64_t d = lo; d <= hi; d++) \
                  for (int64_t i = 0; i < S; i++) sr[i] += x[d * S + i] * x[d * S + i]; \
               for (int64_t i = 0; i < S; i++) { \
                  sr[i] = (T)(k + alpha / size * sr[i]); \
                  o[c * S + i] = (T)(x[c * S + i] * pow(sr[i], -beta)); \
               } \
            } else { \
               const T *g = gout + n * Cn * S; \
               T *gi = gin + n * Cn * S + c * S; \
               for (int64_t i = 0; i < S; i++) { \
                  double acc = 0; \
                  for (int64_t d = lo; d <= hi; d++) acc += g[d * S + i] * o[d * S + i] / s[d * S + i]; \
                  gi[i] = (T)(g[c * S + i] * pow(s[c * S + i], -beta) - 2 * alpha * beta / size * x[c * S + i] * acc); \
               } \
            } \
         } \
      ); \
   }
LRN(float)
LRN(double)

static int lrn_geometry(const char *fn, const nl_tensor *input, int size, int64_t *N, int64_t *Cn, int64_t *S) {
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (size < 1) return nl_errorf("%s: size must be positive, got %d", fn, size);
   *N = input->_ndim == 4 ? input->_size[0] : 1;
   *Cn = P / *N;
   *S = H * W;
   return 0;
}

NL_API int nl_spatial_lrn_forward(nl_tensor *output, nl_tensor *scale, const nl_tensor *input, int size, double alpha,
                                  double beta, double k) {
   const char *fn = "nn.SpatialCrossMapLRN";
   int64_t N = 0, Cn = 0, S = 0;
   if (lrn_geometry(fn, input, size, &N, &Cn, &S)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_planes(fn, output, input, input->_size[input->_ndim - 2], input->_size[input->_ndim - 1]);
   if (!rc) rc = resize_planes(fn, scale, input, input->_size[input->_ndim - 2], input->_size[input->_ndim - 1]);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) lrn_float(nl_ptr(output), nl_ptr(scale), nl_ptr(in), NULL, NULL, N, Cn, S, size, alpha, beta, k);
      else lrn_double(nl_ptr(output), nl_ptr(scale), nl_ptr(in), NULL, NULL, N, Cn, S, size, alpha, beta, k);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_lrn_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                   nl_tensor *output, nl_tensor *scale, int size, double alpha, double beta, double k) {
   const char *fn = "nn.SpatialCrossMapLRN";
   int64_t N = 0, Cn = 0, S = 0;
   if (lrn_geometry(fn, input, size, &N, &Cn, &S)) return -1;
   if (check_go(fn, gradOutput, input, input->_size[input->_ndim - 2], input->_size[input->_ndim - 1])) return -1;
   if (nl_numel(output) != nl_numel(input) || nl_numel(scale) != nl_numel(input) || output->_dtype != input->_dtype ||
       scale->_dtype != input->_dtype || !nl_tensor_is_contiguous(output) || !nl_tensor_is_contiguous(scale))
      return nl_errorf("%s: backward needs the forward of this input first", fn);
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   if (!rc) rc = resize_planes(fn, gradInput, input, input->_size[input->_ndim - 2], input->_size[input->_ndim - 1]);
   if (!rc) {
      if (input->_dtype == NL_FLOAT)
         lrn_float(nl_ptr(output), nl_ptr(scale), nl_ptr(in), nl_ptr(gradInput), nl_ptr(go), N, Cn, S, size, alpha, beta, k);
      else
         lrn_double(nl_ptr(output), nl_ptr(scale), nl_ptr(in), nl_ptr(gradInput), nl_ptr(go), N, Cn, S, size, alpha, beta, k);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc;
}

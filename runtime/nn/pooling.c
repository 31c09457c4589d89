/* pooling.c: SpatialMaxPooling and SpatialAveragePooling over (N,)C,H,W,
 * forward and backward, with padding and ceil mode as Torch7's THNN.
 * Planes (image, channel) run in parallel. */
#include "../apply.h"
#include "nn_common.h"
#include <math.h>
#include <string.h>

struct pgeom { int64_t planes, H, W, oH, oW; int batch; };

static int64_t out_size(int64_t in, int k, int d, int pad, int ceil_mode) {
   int64_t o = ceil_mode ? (int64_t)ceil((double)(in - k + 2 * pad) / d) + 1 : (in - k + 2 * pad) / d + 1;
   /* the last window must start inside the image or its left padding */
   if (pad && (o - 1) * d >= in + pad) o--;
   return o;
}

static int pool_geometry(const char *fn, struct pgeom *g, const nl_tensor *input, int kW, int kH, int dW, int dH,
                         int padW, int padH, int ceil_mode) {
   char s[NL_SHAPE_BUF];
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != 3 && input->_ndim != 4)
      return nl_errorf("%s: expected a 3D or 4D input, got %s", fn, nl_shape_str(s, sizeof s, input));
   if (kW < 1 || kH < 1 || dW < 1 || dH < 1) return nl_errorf("%s: kernel and stride must be positive", fn);
   if (padW < 0 || padH < 0 || padW > kW / 2 || padH > kH / 2)
      return nl_errorf("%s: padding should be at most half the kernel size", fn);
   g->batch = input->_ndim == 4;
   g->planes = g->batch ? input->_size[0] * input->_size[1] : input->_size[0];
   g->H = input->_size[input->_ndim - 2];
   g->W = input->_size[input->_ndim - 1];
   if (g->H + 2 * padH < kH || g->W + 2 * padW < kW)
      return nl_errorf("%s: input image %lldx%lld is smaller than the %dx%d kernel", fn, (long long)g->H, (long long)g->W,
                       kH, kW);
   g->oH = out_size(g->H, kH, dH, padH, ceil_mode);
   g->oW = out_size(g->W, kW, dW, padW, ceil_mode);
   return 0;
}

static int resize_out(nl_tensor *t, const nl_tensor *input, const struct pgeom *g) {
   int64_t sz[4];
   for (int i = 0; i < input->_ndim - 2; i++) sz[i] = input->_size[i];
   sz[input->_ndim - 2] = g->oH;
   sz[input->_ndim - 1] = g->oW;
   return nl_tensor_resize(t, input->_ndim, sz);
}

/* Output columns whose windows lie inside the image run window tap by
 * window tap along the row (vector selects, no data-dependent branches);
 * the clipped columns at the edges window by window. Ties keep the first
 * maximum and NaN wins, as Torch7's (v > best || isnan(v)). */
#define MAXPOOL(T) \
   static void maxf_##T(T *restrict out, int64_t *restrict ind, const T *restrict in, const struct pgeom *g, int kW, \
                        int kH, int dW, int dH, int padW, int padH) { \
      /* locals: the stores through ind could alias g's int64_t fields */ \
      const int64_t P = g->planes, H = g->H, W = g->W, oH = g->oH, oW = g->oW; \
      int64_t x0, x1; /* columns with ws >= 0 and ws + kW <= W */ \
      x0 = padW > 0 ? (padW + dW - 1) / dW : 0; \
      x1 = W - kW + padW < 0 ? 0 : (W - kW + padW) / dW + 1; \
      if (x1 > oW) x1 = oW; \
      if (x0 > x1) x0 = x1; \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, P, P > 1 && nth > 1 && P * oH * oW * kH * kW >= NL_OMP_MIN, \
         const T *ip = in + p * H * W; \
         for (int64_t y = 0; y < oH; y++) { \
            T *op = out + (p * oH + y) * oW; \
            int64_t *xp = ind + (p * oH + y) * oW; \
            int64_t hs = y * dH - padH, he = hs + kH < H ? hs + kH : H; \
            if (hs < 0) hs = 0; \
            for (int64_t x = x0; x < x1; x++) { op[x] = -INFINITY; xp[x] = hs * W + x * dW - padW; } \
            for (int64_t i = hs; i < he; i++) \
               for (int j = 0; j < kW; j++) { \
                  const T *r = ip + i * W + j - padW; \
                  int64_t base = i * W + j - padW; \
                  for (int64_t x = x0; x < x1; x++) { \
                     T v = r[x * dW]; \
                     int take = (v > op[x]) | (v != v); \
                     op[x] = take ? v : op[x]; \
                     xp[x] = take ? base + x * dW : xp[x]; \
                  } \
               } \
            for (int64_t x = 0; x < oW; x++) { \
               if (x == x0) x = x1; \
               if (x >= oW) break; \
               int64_t ws = x * dW - padW, we = ws + kW < W ? ws + kW : W; \
               if (ws < 0) ws = 0; \
               T best = -INFINITY; \
               int64_t bi = hs * W + ws; \
               for (int64_t i = hs; i < he; i++) \
                  for (int64_t j = ws; j < we; j++) { \
                     T v = ip[i * W + j]; \
                     if (v > best || isnan(v)) { best = v; bi = i * W + j; } \
                  } \
               op[x] = best; \
               xp[x] = bi; \
            } \
         } \
      ); \
   }
MAXPOOL(float)
MAXPOOL(double)

NL_API int nl_spatial_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int kH,
                                       int dW, int dH, int padW, int padH, int ceil_mode) {
   const char *fn = "nn.SpatialMaxPooling";
   struct pgeom g = {0};
   if (pool_geometry(fn, &g, input, kW, kH, dW, dH, padW, padH, ceil_mode) || nl_check_same_dtype(fn, output, input)) return -1;
   if (indices->_dtype != NL_LONG) return nl_errorf("%s: indices must be a LongTensor", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_out(output, input, &g) || resize_out(indices, input, &g);
   if (!rc && (!nl_tensor_is_contiguous(output) || !nl_tensor_is_contiguous(indices)))
      rc = nl_errorf("%s: output buffers must be contiguous", fn);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) maxf_float(nl_ptr(output), nl_ptr(indices), nl_ptr(in), &g, kW, kH, dW, dH, padW, padH);
      else maxf_double(nl_ptr(output), nl_ptr(indices), nl_ptr(in), &g, kW, kH, dW, dH, padW, padH);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                        const nl_tensor *indices) {
   const char *fn = "nn.SpatialMaxPooling";
   if (nl_check_same_dtype(fn, gradOutput, input) || nl_check_same_dtype(fn, gradInput, input)) return -1;
   if (nl_numel(gradOutput) != nl_numel(indices) || indices->_ndim < 2)
      return nl_errorf("%s: gradOutput does not match the output of the last forward", fn);
   if (nl_tensor_resize_as(gradInput, input) || nl_zero(gradInput)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int64_t oHW = indices->_size[indices->_ndim - 2] * indices->_size[indices->_ndim - 1];
   int64_t HW = input->_size[input->_ndim - 2] * input->_size[input->_ndim - 1];
   int64_t planes = nl_numel(indices) / oHW;
   const int64_t *ind = nl_ptr(indices);
   for (int64_t p = 0; p < planes; p++)
      for (int64_t i = 0; i < oHW; i++) {
         int64_t k = ind[p * oHW + i];
         if (k < 0 || k >= HW) { nl_tensor_release(&tmp); return nl_errorf("%s: corrupted indices", fn); }
         if (input->_dtype == NL_FLOAT) ((float *)nl_ptr(gradInput))[p * HW + k] += ((const float *)nl_ptr(go))[p * oHW + i];
         else ((double *)nl_ptr(gradInput))[p * HW + k] += ((const double *)nl_ptr(go))[p * oHW + i];
      }
   nl_tensor_release(&tmp);
   return 0;
}

/* Average pooling: window clipped to the padded image gives the divisor
 * with count_include_pad; clipped to the image, without. */
#define AVGPOOL(T) \
   static void avg_##T(T *out, const T *in, T *gin, const T *gout, const struct pgeom *g, int kW, int kH, int dW, int dH, \
                       int padW, int padH, int include_pad) { \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, g->planes, g->planes > 1 && nth > 1 && g->planes * g->oH * g->oW * kH * kW >= NL_OMP_MIN, \
         for (int64_t y = 0; y < g->oH; y++) \
            for (int64_t x = 0; x < g->oW; x++) { \
               int64_t hs = y * dH - padH, ws = x * dW - padW; \
               int64_t he = hs + kH < g->H + padH ? hs + kH : g->H + padH; \
               int64_t we = ws + kW < g->W + padW ? ws + kW : g->W + padW; \
               int64_t pool = (he - hs) * (we - ws); \
               if (hs < 0) hs = 0; \
               if (ws < 0) ws = 0; \
               if (he > g->H) he = g->H; \
               if (we > g->W) we = g->W; \
               int64_t div = include_pad ? pool : (he - hs) * (we - ws); \
               if (div <= 0) div = 1; \
               int64_t o = (p * g->oH + y) * g->oW + x; \
               if (out) { \
                  double s = 0; \
                  for (int64_t i = hs; i < he; i++) \
                     for (int64_t j = ws; j < we; j++) s += in[(p * g->H + i) * g->W + j]; \
                  out[o] = (T)(s / div); \
               } else { \
                  T v = gout[o] / (T)div; \
                  for (int64_t i = hs; i < he; i++) \
                     for (int64_t j = ws; j < we; j++) gin[(p * g->H + i) * g->W + j] += v; \
               } \
            } \
      ); \
   }
AVGPOOL(float)
AVGPOOL(double)

NL_API int nl_spatial_avg_pool_forward(nl_tensor *output, const nl_tensor *input, int kW, int kH, int dW, int dH, int padW,
                                       int padH, int ceil_mode, int count_include_pad) {
   const char *fn = "nn.SpatialAveragePooling";
   struct pgeom g = {0};
   if (pool_geometry(fn, &g, input, kW, kH, dW, dH, padW, padH, ceil_mode) || nl_check_same_dtype(fn, output, input)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_out(output, input, &g);
   if (!rc && !nl_tensor_is_contiguous(output)) rc = nl_errorf("%s: the output must be contiguous", fn);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) avg_float(nl_ptr(output), nl_ptr(in), NULL, NULL, &g, kW, kH, dW, dH, padW, padH, count_include_pad);
      else avg_double(nl_ptr(output), nl_ptr(in), NULL, NULL, &g, kW, kH, dW, dH, padW, padH, count_include_pad);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput, int kW,
                                        int kH, int dW, int dH, int padW, int padH, int ceil_mode, int count_include_pad) {
   const char *fn = "nn.SpatialAveragePooling";
   struct pgeom g = {0};
   if (pool_geometry(fn, &g, input, kW, kH, dW, dH, padW, padH, ceil_mode) || nl_check_same_dtype(fn, gradOutput, input))
      return -1;
   if (nl_numel(gradOutput) != g.planes * g.oH * g.oW) return nl_errorf("%s: gradOutput does not match the output size", fn);
   if (nl_tensor_resize_as(gradInput, input) || nl_zero(gradInput)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      /* windows overlap when the stride is below the kernel: serial then */
      struct pgeom g1 = g;
      if (input->_dtype == NL_FLOAT) avg_float(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), &g1, kW, kH, dW, dH, padW, padH, count_include_pad);
      else avg_double(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), &g1, kW, kH, dW, dH, padW, padH, count_include_pad);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* Adaptive pooling: output cell i covers input rows [floor(i*H/oH),
 * ceil((i+1)*H/oH)); max records flat indices for the max backward. */
#define ADAPTIVE(T) \
   static void adaptive_##T(T *out, int64_t *ind, const T *in, T *gin, const T *gout, int64_t P, int64_t H, int64_t W, \
                            int64_t oH, int64_t oW, int max) { \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, P, P > 1 && nth > 1 && P * H * W >= NL_OMP_MIN, \
         for (int64_t y = 0; y < oH; y++) { \
            int64_t hs = y * H / oH, he = ((y + 1) * H + oH - 1) / oH; \
            for (int64_t x = 0; x < oW; x++) { \
               int64_t ws = x * W / oW, we = ((x + 1) * W + oW - 1) / oW, o = (p * oH + y) * oW + x; \
               const T *ip = in ? in + p * H * W : NULL; \
               if (max) { \
                  T best = -INFINITY; \
                  int64_t bi = hs * W + ws; \
                  for (int64_t i = hs; i < he; i++) \
                     for (int64_t j = ws; j < we; j++) { \
                        T v = ip[i * W + j]; \
                        if (v > best || isnan(v)) { best = v; bi = i * W + j; } \
                     } \
                  out[o] = best; \
                  ind[o] = bi; \
               } else if (out) { \
                  double s = 0; \
                  for (int64_t i = hs; i < he; i++) \
                     for (int64_t j = ws; j < we; j++) s += ip[i * W + j]; \
                  out[o] = (T)(s / ((he - hs) * (we - ws))); \
               } else { \
                  T v = gout[o] / (T)((he - hs) * (we - ws)); \
                  for (int64_t i = hs; i < he; i++) \
                     for (int64_t j = ws; j < we; j++) gin[(p * H + i) * W + j] += v; \
               } \
            } \
         } \
      ); \
   }
ADAPTIVE(float)
ADAPTIVE(double)

static int adaptive_geometry(const char *fn, struct pgeom *g, const nl_tensor *input, int oW, int oH) {
   if (pool_geometry(fn, g, input, 1, 1, 1, 1, 0, 0, 0)) return -1;
   if (oW < 1 || oH < 1) return nl_errorf("%s: the output size %dx%d must be positive", fn, oW, oH);
   g->oH = oH;
   g->oW = oW;
   return 0;
}

NL_API int nl_spatial_adaptive_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int oW,
                                            int oH) {
   const char *fn = indices ? "nn.SpatialAdaptiveMaxPooling" : "nn.SpatialAdaptiveAveragePooling";
   struct pgeom g = {0};
   if (adaptive_geometry(fn, &g, input, oW, oH) || nl_check_same_dtype(fn, output, input)) return -1;
   if (indices && indices->_dtype != NL_LONG) return nl_errorf("%s: indices must be a LongTensor", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_out(output, input, &g) || (indices && resize_out(indices, input, &g));
   if (!rc && (!nl_tensor_is_contiguous(output) || (indices && !nl_tensor_is_contiguous(indices))))
      rc = nl_errorf("%s: output buffers must be contiguous", fn);
   if (!rc) {
      int64_t *ip = indices ? nl_ptr(indices) : NULL;
      if (input->_dtype == NL_FLOAT) adaptive_float(nl_ptr(output), ip, nl_ptr(in), NULL, NULL, g.planes, g.H, g.W, oH, oW, indices != NULL);
      else adaptive_double(nl_ptr(output), ip, nl_ptr(in), NULL, NULL, g.planes, g.H, g.W, oH, oW, indices != NULL);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_adaptive_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                 const nl_tensor *gradOutput, int oW, int oH) {
   const char *fn = "nn.SpatialAdaptiveAveragePooling";
   struct pgeom g = {0};
   if (adaptive_geometry(fn, &g, input, oW, oH) || nl_check_same_dtype(fn, gradOutput, input)) return -1;
   if (nl_numel(gradOutput) != g.planes * g.oH * g.oW) return nl_errorf("%s: gradOutput does not match the output size", fn);
   if (nl_check_same_dtype(fn, gradInput, input) || nl_tensor_resize_as(gradInput, input) || nl_zero(gradInput)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) adaptive_float(NULL, NULL, NULL, nl_ptr(gradInput), nl_ptr(go), g.planes, g.H, g.W, oH, oW, 0);
      else adaptive_double(NULL, NULL, NULL, nl_ptr(gradInput), nl_ptr(go), g.planes, g.H, g.W, oH, oW, 0);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* Max unpooling: output (planes, oH, oW) zero but for out[ind] = input;
 * backward gathers gradOutput at the same indices. */
NL_API int nl_spatial_max_unpool(nl_tensor *result, const nl_tensor *input, const nl_tensor *src,
                                 const nl_tensor *indices, int oW, int oH, int backward) {
   const char *fn = "nn.SpatialMaxUnpooling";
   char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
   struct pgeom g = {0};
   if (pool_geometry(fn, &g, input, 1, 1, 1, 1, 0, 0, 0) || nl_check_same_dtype(fn, src, input) ||
       nl_check_same_dtype(fn, result, input))
      return -1;
   if (indices->_dtype != NL_LONG || nl_numel(indices) != nl_numel(input))
      return nl_errorf("%s: input %s does not match the pooling module's indices %s (run the pooling forward first)", fn,
                       nl_shape_str(a, sizeof a, input), nl_shape_str(b, sizeof b, indices));
   if (oW < 1 || oH < 1) return nl_errorf("%s: the output size %dx%d must be positive", fn, oW, oH);
   int64_t HW = g.H * g.W, oHW = (int64_t)oH * oW;
   if (backward && nl_numel(src) != g.planes * oHW)
      return nl_errorf("%s: gradOutput %s does not match the output size %dx%d", fn, nl_shape_str(a, sizeof a, src), oH, oW);
   struct pgeom og = g;
   og.oH = oH;
   og.oW = oW;
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *s = nl_nn_contig(src, &t1, &rc);
   const nl_tensor *ix = nl_nn_contig(indices, &t2, &rc2);
   rc = rc || rc2;
   if (!rc) rc = backward ? nl_tensor_resize_as(result, input) : (resize_out(result, input, &og) || nl_zero(result));
   if (!rc && !nl_tensor_is_contiguous(result)) rc = nl_errorf("%s: result tensors must be contiguous", fn);
   const int64_t *ip = rc ? NULL : nl_ptr(ix);
   for (int64_t p = 0; !rc && p < g.planes; p++)
      for (int64_t i = 0; i < HW; i++) {
         int64_t k = ip[p * HW + i];
         if (k < 0 || k >= oHW) { rc = nl_errorf("%s: index %lld is outside the %dx%d output", fn, (long long)k, oH, oW); break; }
         if (input->_dtype == NL_FLOAT) {
            if (backward) ((float *)nl_ptr(result))[p * HW + i] = ((const float *)nl_ptr(s))[p * oHW + k];
            else ((float *)nl_ptr(result))[p * oHW + k] = ((const float *)nl_ptr(s))[p * HW + i];
         } else {
            if (backward) ((double *)nl_ptr(result))[p * HW + i] = ((const double *)nl_ptr(s))[p * oHW + k];
            else ((double *)nl_ptr(result))[p * oHW + k] = ((const double *)nl_ptr(s))[p * HW + i];
         }
      }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc;
}

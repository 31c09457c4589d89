/* pooling.c: SpatialMaxPooling, SpatialAveragePooling, the adaptive
 * poolings and SpatialMaxUnpooling over (N,)C,H,W, forward and backward,
 * with padding and ceil mode as Torch7's THNN. Front functions validate
 * the headers, resize the outputs and pass the device gate; the per-dtype
 * kernels (pooling_impl.h) run planes (image, channel) in parallel. */
#include "../apply.h"
#include "../backend.h"
#include "nn_common.h"
#include <math.h>
#include <string.h>

struct pgeom { int64_t planes, H, W, oH, oW; int batch; };

/* what a kernel of pooling_impl.h works on: element pointers (NULL where
 * a pass has none) and the geometry; bad: set by a kernel that met an
 * index outside its plane */
struct pool_ctx {
   void *out, *gin;
   const void *in, *gout;
   int64_t *ind;
   struct pgeom g;
   int kW, kH, dW, dH, padW, padH, include_pad;
   int bad;
};

/* the input window [hs, he) x [ws, we) of one output cell and its
 * divisor for an average */
struct window { int64_t hs, he, ws, we, div; };

/* average pooling: the window clipped to the padded image gives the
 * divisor with count_include_pad; clipped to the image, without */
static inline struct window avg_window(const struct pool_ctx *c, int64_t y, int64_t x) {
   const int64_t H = c->g.H, W = c->g.W;
   int64_t hs = y * c->dH - c->padH, ws = x * c->dW - c->padW;
   int64_t he = hs + c->kH < H + c->padH ? hs + c->kH : H + c->padH;
   int64_t we = ws + c->kW < W + c->padW ? ws + c->kW : W + c->padW;
   int64_t pool = (he - hs) * (we - ws);
   if (hs < 0) hs = 0;
   if (ws < 0) ws = 0;
   if (he > H) he = H;
   if (we > W) we = W;
   int64_t div = c->include_pad ? pool : (he - hs) * (we - ws);
   return (struct window){hs, he, ws, we, div <= 0 ? 1 : div};
}

/* adaptive pooling: output cell (y, x) covers input rows [floor(y*H/oH),
 * ceil((y+1)*H/oH)) and the same for columns */
static inline struct window adaptive_window(int64_t H, int64_t W, int64_t oH, int64_t oW, int64_t y, int64_t x) {
   int64_t hs = y * H / oH, he = ((y + 1) * H + oH - 1) / oH;
   int64_t ws = x * W / oW, we = ((x + 1) * W + oW - 1) / oW;
   return (struct window){hs, he, ws, we, (he - hs) * (we - ws)};
}

#define PCAT_(a, b) a##b
#define PCAT(a, b) PCAT_(a, b)
#define NL_IMPL "nn/pooling_impl.h"
#include "dtype_each_float.h"

/* per-dtype kernels, indexed by dtype (float types only: pool_geometry
 * admits no other) */
#define FLOAT_KERNELS(prefix) { [NL_FLOAT] = prefix##Float, [NL_DOUBLE] = prefix##Double }
static const nl_range_fn maxpool_fwd[NL_NUM_DTYPES] = FLOAT_KERNELS(maxpool_fwd_);
static const nl_range_fn maxpool_bwd[NL_NUM_DTYPES] = FLOAT_KERNELS(maxpool_bwd_);
static const nl_range_fn avgpool_fwd[NL_NUM_DTYPES] = FLOAT_KERNELS(avgpool_fwd_);
static const nl_range_fn avgpool_bwd[NL_NUM_DTYPES] = FLOAT_KERNELS(avgpool_bwd_);
static const nl_range_fn adaptive_max[NL_NUM_DTYPES] = FLOAT_KERNELS(adaptive_max_);
static const nl_range_fn adaptive_avg_fwd[NL_NUM_DTYPES] = FLOAT_KERNELS(adaptive_avg_fwd_);
static const nl_range_fn adaptive_avg_bwd[NL_NUM_DTYPES] = FLOAT_KERNELS(adaptive_avg_bwd_);
static const nl_range_fn unpool[NL_NUM_DTYPES] = FLOAT_KERNELS(unpool_);

static int64_t out_size(int64_t in, int k, int d, int pad, int ceil_mode) {
   int64_t o = ceil_mode ? (int64_t)ceil((double)(in - k + 2 * pad) / d) + 1 : (in - k + 2 * pad) / d + 1;
   /* the last window must start inside the image or its left padding */
   if (pad && (o - 1) * d >= in + pad) o--;
   return o;
}

static int pool_geometry(const char *fn, struct pgeom *g, const nl_tensor *input, int kW, int kH, int dW, int dH,
                         int padW, int padH, int ceil_mode) {
   char s[NL_SHAPE_BUF];
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

NL_API int nl_spatial_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int kH,
                                       int dW, int dH, int padW, int padH, int ceil_mode) {
   const char *fn = "nn.SpatialMaxPooling";
   struct pgeom g = {0};
   if (pool_geometry(fn, &g, input, kW, kH, dW, dH, padW, padH, ceil_mode) || nl_check_same_dtype(fn, output, input)) return -1;
   if (indices->_dtype != NL_LONG) return nl_errorf("%s: indices must be a LongTensor", fn);
   if (resize_out(output, input, &g) || resize_out(indices, input, &g)) return -1;
   if (!nl_tensor_is_contiguous(output) || !nl_tensor_is_contiguous(indices))
      return nl_errorf("%s: output buffers must be contiguous", fn);
   NL_DEVICE_CALL(fn, spatial_max_pool_forward, (output, indices, input), output, indices, input, kW, kH, dW, dH, padW,
                  padH, ceil_mode);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct pool_ctx c = {.out = nl_ptr(output), .ind = nl_ptr(indices), .in = nl_ptr(in), .g = g, .kW = kW,
                           .kH = kH, .dW = dW, .dH = dH, .padW = padW, .padH = padH};
      nl_parallel_for(g.planes, g.planes * g.oH * g.oW * kH * kW, maxpool_fwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* also the backward of adaptive max pooling: indices give the geometry */
NL_API int nl_spatial_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                        const nl_tensor *indices) {
   const char *fn = "nn.SpatialMaxPooling";
   if (nl_check_same_dtype(fn, gradOutput, input) || nl_check_same_dtype(fn, gradInput, input)) return -1;
   if (indices->_dtype != NL_LONG) return nl_errorf("%s: indices must be a LongTensor", fn);
   if (nl_numel(gradOutput) != nl_numel(indices) || indices->_ndim < 2 || input->_ndim < 2)
      return nl_errorf("%s: gradOutput does not match the output of the last forward", fn);
   struct pgeom g = {.H = input->_size[input->_ndim - 2], .W = input->_size[input->_ndim - 1],
                     .oH = indices->_size[indices->_ndim - 2], .oW = indices->_size[indices->_ndim - 1]};
   g.planes = g.oH * g.oW != 0 ? nl_numel(indices) / (g.oH * g.oW) : 0;
   if (g.planes * g.H * g.W != nl_numel(input))
      return nl_errorf("%s: gradOutput does not match the output of the last forward", fn);
   if (nl_tensor_resize_as(gradInput, input)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   NL_DEVICE_CALL(fn, spatial_max_pool_backward, (gradInput, input, gradOutput, indices), gradInput, input, gradOutput,
                  indices);
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *go = nl_nn_contig(gradOutput, &t1, &rc);
   const nl_tensor *ix = nl_nn_contig(indices, &t2, &rc2);
   rc = rc || rc2 || nl_zero(gradInput);
   if (!rc) {
      struct pool_ctx c = {.gin = nl_ptr(gradInput), .gout = nl_ptr(go), .ind = nl_ptr(ix), .g = g};
      nl_parallel_for(g.planes, g.planes * g.oH * g.oW, maxpool_bwd[input->_dtype], &c);
      if (c.bad) rc = nl_errorf("%s: corrupted indices", fn);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc;
}

NL_API int nl_spatial_avg_pool_forward(nl_tensor *output, const nl_tensor *input, int kW, int kH, int dW, int dH, int padW,
                                       int padH, int ceil_mode, int count_include_pad) {
   const char *fn = "nn.SpatialAveragePooling";
   struct pgeom g = {0};
   if (pool_geometry(fn, &g, input, kW, kH, dW, dH, padW, padH, ceil_mode) || nl_check_same_dtype(fn, output, input)) return -1;
   if (resize_out(output, input, &g)) return -1;
   if (!nl_tensor_is_contiguous(output)) return nl_errorf("%s: the output must be contiguous", fn);
   NL_DEVICE_CALL(fn, spatial_avg_pool_forward, (output, input), output, input, kW, kH, dW, dH, padW, padH, ceil_mode,
                  count_include_pad);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct pool_ctx c = {.out = nl_ptr(output), .in = nl_ptr(in), .g = g, .kW = kW, .kH = kH, .dW = dW, .dH = dH,
                           .padW = padW, .padH = padH, .include_pad = count_include_pad};
      nl_parallel_for(g.planes, g.planes * g.oH * g.oW * kH * kW, avgpool_fwd[input->_dtype], &c);
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
   if (nl_check_same_dtype(fn, gradInput, input) || nl_tensor_resize_as(gradInput, input)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   NL_DEVICE_CALL(fn, spatial_avg_pool_backward, (gradInput, input, gradOutput), gradInput, input, gradOutput, kW, kH,
                  dW, dH, padW, padH, ceil_mode, count_include_pad);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_zero(gradInput);
   if (!rc) {
      /* windows of one plane overlap when the stride is below the kernel:
       * the split is over planes, each plane's sums stay serial */
      struct pool_ctx c = {.gin = nl_ptr(gradInput), .gout = nl_ptr(go), .g = g, .kW = kW, .kH = kH, .dW = dW,
                           .dH = dH, .padW = padW, .padH = padH, .include_pad = count_include_pad};
      nl_parallel_for(g.planes, g.planes * g.oH * g.oW * kH * kW, avgpool_bwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

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
   if (resize_out(output, input, &g) || (indices && resize_out(indices, input, &g))) return -1;
   if (!nl_tensor_is_contiguous(output) || (indices && !nl_tensor_is_contiguous(indices)))
      return nl_errorf("%s: output buffers must be contiguous", fn);
   NL_DEVICE_CALL(fn, spatial_adaptive_pool_forward, (output, indices, input), output, indices, input, oW, oH);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct pool_ctx c = {.out = nl_ptr(output), .ind = indices ? nl_ptr(indices) : NULL, .in = nl_ptr(in), .g = g};
      nl_parallel_for(g.planes, g.planes * g.H * g.W, (indices ? adaptive_max : adaptive_avg_fwd)[input->_dtype], &c);
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
   if (nl_check_same_dtype(fn, gradInput, input) || nl_tensor_resize_as(gradInput, input)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   NL_DEVICE_CALL(fn, spatial_adaptive_avg_pool_backward, (gradInput, input, gradOutput), gradInput, input, gradOutput,
                  oW, oH);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_zero(gradInput);
   if (!rc) {
      struct pool_ctx c = {.gin = nl_ptr(gradInput), .gout = nl_ptr(go), .g = g};
      nl_parallel_for(g.planes, g.planes * g.H * g.W, adaptive_avg_bwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* the first index of ind[0, n) outside [0, lim) (an error's message) */
static int64_t first_bad(const int64_t *ind, int64_t n, int64_t lim) {
   for (int64_t i = 0; i < n; i++)
      if (ind[i] < 0 || ind[i] >= lim) return ind[i];
   return 0;
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
   if (!backward && nl_numel(src) != nl_numel(input))
      return nl_errorf("%s: input %s does not match the source %s", fn, nl_shape_str(a, sizeof a, input),
                       nl_shape_str(b, sizeof b, src));
   g.oH = oH;
   g.oW = oW;
   if (backward ? nl_tensor_resize_as(result, input) : resize_out(result, input, &g)) return -1;
   if (!nl_tensor_is_contiguous(result)) return nl_errorf("%s: result tensors must be contiguous", fn);
   NL_DEVICE_CALL(fn, spatial_max_unpool, (result, input, src, indices), result, input, src, indices, oW, oH, backward);
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *s = nl_nn_contig(src, &t1, &rc);
   const nl_tensor *ix = nl_nn_contig(indices, &t2, &rc2);
   rc = rc || rc2 || (!backward && nl_zero(result));
   if (!rc) {
      struct pool_ctx c = {.ind = nl_ptr(ix), .g = g};
      if (backward) {
         c.gin = nl_ptr(result);
         c.gout = nl_ptr(s);
      } else {
         c.out = nl_ptr(result);
         c.in = nl_ptr(s);
      }
      nl_parallel_for(g.planes, g.planes * HW, unpool[input->_dtype], &c);
      if (c.bad)
         rc = nl_errorf("%s: index %lld is outside the %dx%d output", fn, (long long)first_bad(c.ind, g.planes * HW, oHW),
                        oH, oW);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc;
}

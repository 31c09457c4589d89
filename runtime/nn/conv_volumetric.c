/* conv_volumetric.c: 3D modules over volumes (C, T, H, W) or batches
 * (N, C, T, H, W): VolumetricConvolution (forward, backward, parameter
 * gradients), its dilated and transposed (full) forms through the unfold +
 * GEMM driver of conv_driver.c, and
 * VolumetricMaxPooling and VolumetricAveragePooling (padding, ceil mode)
 * as Torch7's THNN, planes (volume, channel) in parallel; the pooling
 * kernels per dtype in conv_vpool_impl.h. */
#include "../backend.h"
#include "conv_driver.h"
#include <math.h>
#include <string.h>

/* adj: the transposed convolution's extra output cells (T, H, W), NULL
 * for a plain convolution; w->dil gives the dilation of either */
static int conv_geometry(nl_conv *g, const char *fn, const nl_tensor *input, const nl_tensor *weight, int nIn,
                         int nOut, const nl_conv_win *w, const int *adj) {
   char s[NL_SHAPE_BUF];
   memset(g, 0, sizeof *g);
   g->fn = fn;
   g->nd = 3;
   g->w = *w;
   g->full = adj != NULL;
   const int *k = w->k, *d = w->d, *p = w->pad, *dl = w->dil;
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (nl_check_same_dtype(fn, weight, input)) return -1;
   if (nIn < 1 || nOut < 1) return nl_errorf("%s: plane counts must be positive, got %d and %d", fn, nIn, nOut);
   if (k[0] < 1 || k[2] < 1 || k[1] < 1 || d[0] < 1 || d[2] < 1 || d[1] < 1)
      return nl_errorf("%s: kernel size and stride must be positive, got kernel %dx%dx%d, stride %dx%dx%d", fn, k[0],
                       k[2], k[1], d[0], d[2], d[1]);
   if (dl[0] < 1 || dl[1] < 1 || dl[2] < 1)
      return nl_errorf("%s: dilation must be positive, got %dx%dx%d", fn, dl[0], dl[2], dl[1]);
   if (p[0] < 0 || p[2] < 0 || p[1] < 0)
      return nl_errorf("%s: padding must be non-negative, got %d,%d,%d", fn, p[0], p[2], p[1]);
   if (adj)
      for (int i = 0; i < 3; i++)
         if (adj[i] < 0 || adj[i] >= d[i])
            return nl_errorf("%s: adjT, adjW and adjH must be non-negative and smaller than the stride (%d, %d, %d), "
                             "got %d, %d, %d", fn, d[0], d[2], d[1], adj[0], adj[2], adj[1]);
   if (input->_ndim != 4 && input->_ndim != 5)
      return nl_errorf("%s: expected a 4D (%d x T x H x W) or 5D (N x %d x T x H x W) input, got %s", fn, nIn, nIn,
                       nl_shape_str(s, sizeof s, input));
   g->batch = input->_ndim == 5;
   g->N = g->batch ? input->_size[0] : 1;
   g->nIn = input->_size[g->batch];
   for (int i = 0; i < 3; i++) g->in[i] = input->_size[g->batch + 1 + i];
   g->nOut = nOut;
   if (g->nIn != nIn) return nl_errorf("%s: input has %lld planes, expected %d", fn, (long long)g->nIn, nIn);
   int64_t wn = (int64_t)nOut * nIn * k[0] * k[1] * k[2];
   if (nl_numel(weight) != wn)
      return nl_errorf("%s: weight has %lld elements, expected %lld", fn, (long long)nl_numel(weight), (long long)wn);
   if (!nl_tensor_is_contiguous(weight)) return nl_errorf("%s: the weight must be contiguous", fn);
   if (g->N < 1 || g->in[0] < 1 || g->in[1] < 1 || g->in[2] < 1)
      return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   int64_t ek[3];
   for (int i = 0; i < 3; i++) ek[i] = (int64_t)dl[i] * (k[i] - 1) + 1;
   for (int i = 0; i < 3; i++) {
      if (adj) {
         g->out[i] = (g->in[i] - 1) * d[i] - 2 * p[i] + ek[i] + adj[i];
         if (g->out[i] < 1)
            return nl_errorf("%s: input volume %lldx%lldx%lld (T x H x W) gives an empty output", fn,
                             (long long)g->in[0], (long long)g->in[1], (long long)g->in[2]);
         continue;
      }
      if (g->in[i] + 2 * p[i] < ek[i])
         return nl_errorf("%s: input volume %lldx%lldx%lld (padded %lldx%lldx%lld) is smaller than the "
                          "%lldx%lldx%lld kernel (T x H x W)", fn, (long long)g->in[0], (long long)g->in[1],
                          (long long)g->in[2], (long long)(g->in[0] + 2 * p[0]), (long long)(g->in[1] + 2 * p[1]),
                          (long long)(g->in[2] + 2 * p[2]), (long long)ek[0], (long long)ek[1], (long long)ek[2]);
      g->out[i] = (g->in[i] + 2 * p[i] - ek[i]) / d[i] + 1;
   }
   nl_conv_shape(g);
   const int64_t *small = adj ? g->in : g->out, *big = adj ? g->out : g->in;
   int64_t bigPlanes = adj ? g->nOut : g->nIn, smallPlanes = adj ? g->nIn : g->nOut;
   if (g->crows * g->ccols > INT32_MAX || smallPlanes * small[0] * small[1] * small[2] > INT32_MAX ||
       bigPlanes * big[0] * big[1] * big[2] > INT32_MAX)
      return nl_errorf("%s: one volume is too large for a 32-bit BLAS", fn);
   g->dt = input->_dtype;
   g->es = nl_dtypes[g->dt].size;
   return 0;
}

/* (T, H, W) order inside; the arguments come as T, W, H */
#define WIN nl_conv_win w = {{kT, kH, kW}, {dT, dH, dW}, {padT, padH, padW}, {1, 1, 1}}

NL_API int nl_volumetric_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                      const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kT, int kW,
                                      int kH, int dT, int dW, int dH, int padT, int padW, int padH) {
   const char *fn = "nn.VolumetricConvolution";
   WIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w, NULL) || nl_conv_check_bias(fn, g.dt, bias, "bias", g.nOut) ||
       nl_check_same_dtype(fn, output, input) || (nt = nl_conv_prepare_forward(&g, output, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_conv_forward, (output, columns, input, weight, bias), output, columns, input, weight,
                  bias, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH);
   return nl_conv_forward(&g, nt, output, columns, input, weight, bias);
}

NL_API int nl_volumetric_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                       const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kT,
                                       int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH) {
   const char *fn = "nn.VolumetricConvolution";
   WIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w, NULL) || nl_conv_check_grad_output(&g, gradOutput) ||
       nl_check_same_dtype(fn, gradInput, input) || (nt = nl_conv_prepare_backward(&g, gradInput, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_conv_backward, (gradInput, columns, input, gradOutput, weight), gradInput, columns,
                  input, gradOutput, weight, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH);
   return nl_conv_backward(&g, nt, gradInput, columns, gradOutput, weight);
}

NL_API int nl_volumetric_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                       nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                       int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH, int padT,
                                       int padW, int padH, double scale) {
   const char *fn = "nn.VolumetricConvolution";
   WIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, gradWeight, nIn, nOut, &w, NULL) || nl_conv_check_grad_output(&g, gradOutput) ||
       nl_conv_check_bias(fn, g.dt, gradBias, "gradBias", g.nOut) ||
       (nt = nl_conv_prepare_acc_grad(&g, gradWeight, columns, partial)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_conv_acc_grad, (gradWeight, gradBias, columns, partial, input, gradOutput),
                  gradWeight, gradBias, columns, partial, input, gradOutput, nIn, nOut, kT, kW, kH, dT, dW, dH, padT,
                  padW, padH, scale);
   return nl_conv_acc_grad(&g, nt, gradWeight, gradBias, columns, partial, input, gradOutput, scale);
}

/* The checks and resizes of each pass once a geometry is filled (shared
 * by the dilated and transposed forms): the thread count, or -1 */
static int prep_forward(nl_conv *g, nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                        const nl_tensor *bias) {
   if (nl_conv_check_bias(g->fn, g->dt, bias, "bias", g->nOut) || nl_check_same_dtype(g->fn, output, input)) return -1;
   return nl_conv_prepare_forward(g, output, columns);
}

static int prep_backward(nl_conv *g, nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                         const nl_tensor *gradOutput) {
   if (nl_conv_check_grad_output(g, gradOutput) || nl_check_same_dtype(g->fn, gradInput, input)) return -1;
   return nl_conv_prepare_backward(g, gradInput, columns);
}

static int prep_acc_grad(nl_conv *g, nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                         nl_tensor *partial, const nl_tensor *gradOutput) {
   if (nl_conv_check_grad_output(g, gradOutput) || nl_conv_check_bias(g->fn, g->dt, gradBias, "gradBias", g->nOut))
      return -1;
   return nl_conv_prepare_acc_grad(g, gradWeight, columns, partial);
}

#define DWIN nl_conv_win w = {{kT, kH, kW}, {dT, dH, dW}, {padT, padH, padW}, {dilT, dilH, dilW}}

NL_API int nl_volumetric_dilated_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                              const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kT,
                                              int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH,
                                              int dilT, int dilW, int dilH) {
   const char *fn = "nn.VolumetricDilatedConvolution";
   DWIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w, NULL) ||
       (nt = prep_forward(&g, output, columns, input, bias)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_dilated_conv_forward, (output, columns, input, weight, bias), output, columns, input,
                  weight, bias, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH, dilT, dilW, dilH);
   return nl_conv_forward(&g, nt, output, columns, input, weight, bias);
}

NL_API int nl_volumetric_dilated_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                               const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                               int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW,
                                               int padH, int dilT, int dilW, int dilH) {
   const char *fn = "nn.VolumetricDilatedConvolution";
   DWIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w, NULL) ||
       (nt = prep_backward(&g, gradInput, columns, input, gradOutput)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_dilated_conv_backward, (gradInput, columns, input, gradOutput, weight), gradInput,
                  columns, input, gradOutput, weight, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH, dilT, dilW,
                  dilH);
   return nl_conv_backward(&g, nt, gradInput, columns, gradOutput, weight);
}

NL_API int nl_volumetric_dilated_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                               nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                               int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH,
                                               int padT, int padW, int padH, int dilT, int dilW, int dilH,
                                               double scale) {
   const char *fn = "nn.VolumetricDilatedConvolution";
   DWIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, gradWeight, nIn, nOut, &w, NULL) ||
       (nt = prep_acc_grad(&g, gradWeight, gradBias, columns, partial, gradOutput)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_dilated_conv_acc_grad, (gradWeight, gradBias, columns, partial, input, gradOutput),
                  gradWeight, gradBias, columns, partial, input, gradOutput, nIn, nOut, kT, kW, kH, dT, dW, dH, padT,
                  padW, padH, dilT, dilW, dilH, scale);
   return nl_conv_acc_grad(&g, nt, gradWeight, gradBias, columns, partial, input, gradOutput, scale);
}

/* the transposed convolution: weight (nIn, nOut, kT, kH, kW) */
#define FWIN nl_conv_win w = {{kT, kH, kW}, {dT, dH, dW}, {padT, padH, padW}, {1, 1, 1}}; \
   int adj[3] = {adjT, adjH, adjW}

NL_API int nl_volumetric_full_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                           const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kT,
                                           int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH,
                                           int adjT, int adjW, int adjH) {
   const char *fn = "nn.VolumetricFullConvolution";
   FWIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w, adj) ||
       (nt = prep_forward(&g, output, columns, input, bias)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_full_conv_forward, (output, columns, input, weight, bias), output, columns, input,
                  weight, bias, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH, adjT, adjW, adjH);
   return nl_conv_forward(&g, nt, output, columns, input, weight, bias);
}

NL_API int nl_volumetric_full_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                            const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                            int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW,
                                            int padH, int adjT, int adjW, int adjH) {
   const char *fn = "nn.VolumetricFullConvolution";
   FWIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w, adj) ||
       (nt = prep_backward(&g, gradInput, columns, input, gradOutput)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_full_conv_backward, (gradInput, columns, input, gradOutput, weight), gradInput,
                  columns, input, gradOutput, weight, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH, adjT, adjW,
                  adjH);
   return nl_conv_backward(&g, nt, gradInput, columns, gradOutput, weight);
}

NL_API int nl_volumetric_full_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                            nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                            int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH,
                                            int padT, int padW, int padH, int adjT, int adjW, int adjH, double scale) {
   const char *fn = "nn.VolumetricFullConvolution";
   FWIN;
   nl_conv g;
   int nt;
   if (conv_geometry(&g, fn, input, gradWeight, nIn, nOut, &w, adj) ||
       (nt = prep_acc_grad(&g, gradWeight, gradBias, columns, partial, gradOutput)) < 0)
      return -1;
   NL_DEVICE_CALL(fn, volumetric_full_conv_acc_grad, (gradWeight, gradBias, columns, partial, input, gradOutput),
                  gradWeight, gradBias, columns, partial, input, gradOutput, nIn, nOut, kT, kW, kH, dT, dW, dH, padT,
                  padW, padH, adjT, adjW, adjH, scale);
   return nl_conv_acc_grad(&g, nt, gradWeight, gradBias, columns, partial, input, gradOutput, scale);
}

/* ---------------------------------------------------------------- pooling */

struct pgeom { int64_t planes, in[3], out[3]; int ndim; };

static int64_t out_size(int64_t in, int k, int d, int pad, int ceil_mode) {
   int64_t o = ceil_mode ? (int64_t)ceil((double)(in - k + 2 * pad) / d) + 1 : (in - k + 2 * pad) / d + 1;
   /* the last window must start inside the volume or its leading padding */
   if (pad && (o - 1) * d >= in + pad) o--;
   return o;
}

static int pool_geometry(const char *fn, struct pgeom *g, const nl_tensor *input, const nl_conv_win *w, int ceil_mode) {
   char s[NL_SHAPE_BUF];
   const int *k = w->k, *d = w->d, *p = w->pad;
   memset(g, 0, sizeof *g);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != 4 && input->_ndim != 5)
      return nl_errorf("%s: expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got %s", fn,
                       nl_shape_str(s, sizeof s, input));
   if (k[0] < 1 || k[2] < 1 || k[1] < 1 || d[0] < 1 || d[2] < 1 || d[1] < 1)
      return nl_errorf("%s: kernel size and stride must be positive, got kernel %dx%dx%d, stride %dx%dx%d", fn, k[0],
                       k[2], k[1], d[0], d[2], d[1]);
   if (p[0] < 0 || p[2] < 0 || p[1] < 0 || p[0] > k[0] / 2 || p[2] > k[2] / 2 || p[1] > k[1] / 2)
      return nl_errorf("%s: padding %d,%d,%d should be non-negative and at most half the %dx%dx%d kernel", fn, p[0],
                       p[2], p[1], k[0], k[2], k[1]);
   g->ndim = input->_ndim;
   g->planes = 1;
   for (int i = 0; i < input->_ndim - 3; i++) g->planes *= input->_size[i];
   for (int i = 0; i < 3; i++) g->in[i] = input->_size[input->_ndim - 3 + i];
   if (g->planes < 1 || g->in[0] < 1 || g->in[1] < 1 || g->in[2] < 1)
      return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   for (int i = 0; i < 3; i++) {
      if (g->in[i] + 2 * p[i] < k[i])
         return nl_errorf("%s: input volume %lldx%lldx%lld (T x H x W) is smaller than the %dx%dx%d kernel", fn,
                          (long long)g->in[0], (long long)g->in[1], (long long)g->in[2], k[0], k[1], k[2]);
      g->out[i] = out_size(g->in[i], k[i], d[i], p[i], ceil_mode);
   }
   return 0;
}

static int resize_pool(const char *fn, nl_tensor *t, const nl_tensor *input, const struct pgeom *g) {
   int64_t sz[5];
   for (int i = 0; i < input->_ndim - 3; i++) sz[i] = input->_size[i];
   for (int d = 0; d < 3; d++) sz[input->_ndim - 3 + d] = g->out[d];
   if (nl_tensor_resize(t, input->_ndim, sz)) return -1;
   if (!nl_tensor_is_contiguous(t)) return nl_errorf("%s: result tensors must be contiguous", fn);
   return 0;
}

/* The window of output cell (z, y, x) clipped to the padded volume (for
 * the count_include_pad divisor), then to the volume. */
struct box { int64_t s[3], e[3], padded; };

static struct box window(const struct pgeom *g, const nl_conv_win *w, int64_t z, int64_t y, int64_t x) {
   struct box b;
   int64_t pos[3] = {z, y, x};
   b.padded = 1;
   for (int i = 0; i < 3; i++) {
      int64_t s = pos[i] * w->d[i] - w->pad[i], e = s + w->k[i];
      if (e > g->in[i] + w->pad[i]) e = g->in[i] + w->pad[i];
      b.padded *= e - s;
      b.s[i] = s < 0 ? 0 : s;
      b.e[i] = e > g->in[i] ? g->in[i] : e;
   }
   return b;
}

/* one pooling call: forward (out, in; ind for max) or backward (gin,
 * gout; ind for max) over planes of iV input and oV output elements */
struct vpool {
   const struct pgeom *g;
   const nl_conv_win *w;
   void *out, *gin;
   const void *in, *gout;
   int64_t *ind;
   int64_t iV, oV;
   int include_pad;
};

#define NL_IMPL "nn/conv_vpool_impl.h"
#include "dtype_each_float.h"

static const struct { nl_range_fn max, max_back, avg; } vpool_kern[NL_NUM_DTYPES] = {
   [NL_FLOAT] = {vmax_Float, vmax_back_Float, vavg_Float},
   [NL_DOUBLE] = {vmax_Double, vmax_back_Double, vavg_Double},
};

/* elementary steps of a pass over every window */
static int64_t pool_work(const struct pgeom *g, const nl_conv_win *w) {
   return g->planes * g->out[0] * g->out[1] * g->out[2] * w->k[0] * w->k[1] * w->k[2];
}

NL_API int nl_volumetric_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kT, int kW,
                                          int kH, int dT, int dW, int dH, int padT, int padW, int padH, int ceil_mode) {
   const char *fn = "nn.VolumetricMaxPooling";
   WIN;
   struct pgeom g;
   if (pool_geometry(fn, &g, input, &w, ceil_mode) || nl_check_same_dtype(fn, output, input)) return -1;
   if (indices->_dtype != NL_LONG) return nl_errorf("%s: indices must be a LongTensor", fn);
   if (resize_pool(fn, output, input, &g) || resize_pool(fn, indices, input, &g)) return -1;
   NL_DEVICE_CALL(fn, volumetric_max_pool_forward, (output, indices, input), output, indices, input, kT, kW, kH, dT, dW,
                  dH, padT, padW, padH, ceil_mode);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct vpool c = {.g = &g, .w = &w, .out = nl_ptr(output), .ind = nl_ptr(indices), .in = nl_ptr(in)};
      nl_parallel_for(g.planes, pool_work(&g, &w), vpool_kern[input->_dtype].max, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_volumetric_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                           const nl_tensor *indices) {
   const char *fn = "nn.VolumetricMaxPooling";
   char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (nl_check_same_dtype(fn, gradOutput, input) || nl_check_same_dtype(fn, gradInput, input)) return -1;
   if (input->_ndim != 4 && input->_ndim != 5)
      return nl_errorf("%s: expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got %s", fn,
                       nl_shape_str(a, sizeof a, input));
   if (indices->_dtype != NL_LONG || indices->_ndim != input->_ndim || !nl_tensor_is_contiguous(indices))
      return nl_errorf("%s: no indices for input %s (run forward first)", fn, nl_shape_str(a, sizeof a, input));
   int ok = gradOutput->_ndim == indices->_ndim;
   for (int i = 0; ok && i < indices->_ndim; i++) ok = gradOutput->_size[i] == indices->_size[i];
   for (int i = 0; ok && i < input->_ndim - 3; i++) ok = input->_size[i] == indices->_size[i];
   if (!ok)
      return nl_errorf("%s: gradOutput has size %s, expected the output's %s", fn, nl_shape_str(a, sizeof a, gradOutput),
                       nl_shape_str(b, sizeof b, indices));
   if (nl_tensor_resize_as(gradInput, input)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   NL_DEVICE_CALL(fn, volumetric_max_pool_backward, (gradInput, input, gradOutput, indices), gradInput, input,
                  gradOutput, indices);
   int nd = input->_ndim;
   int64_t iV = input->_size[nd - 3] * input->_size[nd - 2] * input->_size[nd - 1];
   int64_t oV = indices->_size[nd - 3] * indices->_size[nd - 2] * indices->_size[nd - 1];
   int64_t planes = nl_numel(indices) / (oV ? oV : 1);
   int64_t *ind = nl_ptr(indices);
   for (int64_t i = 0, n = nl_numel(indices); i < n; i++)
      if (ind[i] < 0 || ind[i] >= iV) return nl_errorf("%s: corrupted indices (%lld outside the volume)", fn, (long long)ind[i]);
   if (nl_zero(gradInput)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      struct vpool c = {.gin = nl_ptr(gradInput), .gout = nl_ptr(go), .ind = ind, .iV = iV, .oV = oV};
      nl_parallel_for(planes, planes * oV, vpool_kern[input->_dtype].max_back, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_volumetric_avg_pool_forward(nl_tensor *output, const nl_tensor *input, int kT, int kW, int kH, int dT,
                                          int dW, int dH, int padT, int padW, int padH, int ceil_mode,
                                          int count_include_pad) {
   const char *fn = "nn.VolumetricAveragePooling";
   WIN;
   struct pgeom g;
   if (pool_geometry(fn, &g, input, &w, ceil_mode) || nl_check_same_dtype(fn, output, input) ||
       resize_pool(fn, output, input, &g))
      return -1;
   NL_DEVICE_CALL(fn, volumetric_avg_pool_forward, (output, input), output, input, kT, kW, kH, dT, dW, dH, padT, padW,
                  padH, ceil_mode, count_include_pad);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct vpool c = {.g = &g, .w = &w, .out = nl_ptr(output), .in = nl_ptr(in), .include_pad = count_include_pad};
      nl_parallel_for(g.planes, pool_work(&g, &w), vpool_kern[input->_dtype].avg, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_volumetric_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                           int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH,
                                           int ceil_mode, int count_include_pad) {
   const char *fn = "nn.VolumetricAveragePooling";
   char a[NL_SHAPE_BUF];
   WIN;
   struct pgeom g;
   if (pool_geometry(fn, &g, input, &w, ceil_mode) || nl_check_same_dtype(fn, gradOutput, input) ||
       nl_check_same_dtype(fn, gradInput, input))
      return -1;
   int ok = gradOutput->_ndim == input->_ndim;
   for (int i = 0; ok && i < input->_ndim; i++)
      ok = gradOutput->_size[i] == (i < input->_ndim - 3 ? input->_size[i] : g.out[i - (input->_ndim - 3)]);
   if (!ok)
      return nl_errorf("%s: gradOutput has size %s, expected an output of %lldx%lldx%lld per plane", fn,
                       nl_shape_str(a, sizeof a, gradOutput), (long long)g.out[0], (long long)g.out[1],
                       (long long)g.out[2]);
   if (nl_tensor_resize_as(gradInput, input)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   NL_DEVICE_CALL(fn, volumetric_avg_pool_backward, (gradInput, input, gradOutput), gradInput, input, gradOutput, kT,
                  kW, kH, dT, dW, dH, padT, padW, padH, ceil_mode, count_include_pad);
   if (nl_zero(gradInput)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      struct vpool c = {.g = &g, .w = &w, .gin = nl_ptr(gradInput), .gout = nl_ptr(go),
                        .include_pad = count_include_pad};
      nl_parallel_for(g.planes, pool_work(&g, &w), vpool_kern[input->_dtype].avg, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

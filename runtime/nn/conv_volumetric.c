/* conv_volumetric.c: 3D modules over volumes (C, T, H, W) or batches
 * (N, C, T, H, W): VolumetricConvolution by vol2col + GEMM (forward,
 * backward, parameter gradients), VolumetricMaxPooling and
 * VolumetricAveragePooling (padding, ceil mode) as Torch7's THNN.
 *
 * The convolution follows conv_spatial.c: a batch runs one volume per
 * OpenMP thread, each with its own column buffer and single-threaded
 * GEMMs; weight gradients are summed per thread, then added. Pooling runs
 * planes (volume, channel) in parallel. */
#include "../apply.h"
#include "nn_common.h"
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <string.h>

/* sliding window: kernel, stride, padding along time, width, height */
struct vwin { int kT, kW, kH, dT, dW, dH, padT, padW, padH; };

/* vol: (C, iT, iH, iW); col: (C*kT*kH*kW, oT*oH*oW), row (c, a, i, j),
 * column (z, y, x) holds vol[c][z*dT-padT+a][y*dH-padH+i][x*dW-padW+j]
 * (0 outside). col2vol adds the columns back into a zeroed volume. */
#define VCOLS(TY) \
   static void vol2col_##TY(TY *col, const TY *vol, int64_t C, const int64_t *in, const int64_t *out, \
                            const struct vwin *w) { \
      const int64_t iT = in[0], iH = in[1], iW = in[2], oT = out[0], oH = out[1], oW = out[2]; \
      for (int64_t c = 0; c < C; c++) \
         for (int a = 0; a < w->kT; a++) \
            for (int i = 0; i < w->kH; i++) \
               for (int j = 0; j < w->kW; j++) { \
                  TY *row = col + (((c * w->kT + a) * w->kH + i) * w->kW + j) * oT * oH * oW; \
                  int64_t xoff = (int64_t)j - w->padW, x0, x1; \
                  nl_nn_valid_range(xoff, w->dW, iW, oW, &x0, &x1); \
                  for (int64_t z = 0; z < oT; z++) { \
                     int64_t it = z * w->dT - w->padT + a; \
                     for (int64_t y = 0; y < oH; y++) { \
                        int64_t iy = y * w->dH - w->padH + i; \
                        TY *r = row + (z * oH + y) * oW; \
                        if (it < 0 || it >= iT || iy < 0 || iy >= iH) { memset(r, 0, sizeof(TY) * oW); continue; } \
                        const TY *src = vol + ((c * iT + it) * iH + iy) * iW; \
                        for (int64_t x = 0; x < x0; x++) r[x] = 0; \
                        for (int64_t x = x0; x < x1; x++) r[x] = src[x * w->dW + xoff]; \
                        for (int64_t x = x1; x < oW; x++) r[x] = 0; \
                     } \
                  } \
               } \
   } \
   static void col2vol_##TY(TY *vol, const TY *col, int64_t C, const int64_t *in, const int64_t *out, \
                            const struct vwin *w) { \
      const int64_t iT = in[0], iH = in[1], iW = in[2], oT = out[0], oH = out[1], oW = out[2]; \
      memset(vol, 0, sizeof(TY) * C * iT * iH * iW); \
      for (int64_t c = 0; c < C; c++) \
         for (int a = 0; a < w->kT; a++) \
            for (int i = 0; i < w->kH; i++) \
               for (int j = 0; j < w->kW; j++) { \
                  const TY *row = col + (((c * w->kT + a) * w->kH + i) * w->kW + j) * oT * oH * oW; \
                  int64_t xoff = (int64_t)j - w->padW, x0, x1; \
                  nl_nn_valid_range(xoff, w->dW, iW, oW, &x0, &x1); \
                  for (int64_t z = 0; z < oT; z++) { \
                     int64_t it = z * w->dT - w->padT + a; \
                     if (it < 0 || it >= iT) continue; \
                     for (int64_t y = 0; y < oH; y++) { \
                        int64_t iy = y * w->dH - w->padH + i; \
                        if (iy < 0 || iy >= iH) continue; \
                        TY *dst = vol + ((c * iT + it) * iH + iy) * iW; \
                        const TY *r = row + (z * oH + y) * oW; \
                        for (int64_t x = x0; x < x1; x++) dst[x * w->dW + xoff] += r[x]; \
                     } \
                  } \
               } \
   }
VCOLS(float)
VCOLS(double)

/* One layer's geometry: input (N, nIn, in[0..2]) -> output (N, nOut,
 * out[0..2]); columns (crows, ccols) per thread. */
struct vgeom {
   const char *fn;
   int64_t N, nIn, nOut, in[3], out[3], crows, ccols;
   int batch, dt, es;
   struct vwin w;
};

static int conv_geometry(struct vgeom *g, const char *fn, const nl_tensor *input, const nl_tensor *weight, int nIn,
                         int nOut, const struct vwin *w) {
   char s[NL_SHAPE_BUF];
   memset(g, 0, sizeof *g);
   g->fn = fn;
   g->w = *w;
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (nl_check_same_dtype(fn, weight, input)) return -1;
   if (nIn < 1 || nOut < 1) return nl_errorf("%s: plane counts must be positive, got %d and %d", fn, nIn, nOut);
   if (w->kT < 1 || w->kW < 1 || w->kH < 1 || w->dT < 1 || w->dW < 1 || w->dH < 1)
      return nl_errorf("%s: kernel size and stride must be positive, got kernel %dx%dx%d, stride %dx%dx%d", fn, w->kT,
                       w->kW, w->kH, w->dT, w->dW, w->dH);
   if (w->padT < 0 || w->padW < 0 || w->padH < 0)
      return nl_errorf("%s: padding must be non-negative, got %d,%d,%d", fn, w->padT, w->padW, w->padH);
   if (input->_ndim != 4 && input->_ndim != 5)
      return nl_errorf("%s: expected a 4D (%d x T x H x W) or 5D (N x %d x T x H x W) input, got %s", fn, nIn, nIn,
                       nl_shape_str(s, sizeof s, input));
   g->batch = input->_ndim == 5;
   g->N = g->batch ? input->_size[0] : 1;
   g->nIn = input->_size[g->batch];
   for (int d = 0; d < 3; d++) g->in[d] = input->_size[g->batch + 1 + d];
   g->nOut = nOut;
   if (g->nIn != nIn) return nl_errorf("%s: input has %lld planes, expected %d", fn, (long long)g->nIn, nIn);
   int64_t wn = (int64_t)nOut * nIn * w->kT * w->kH * w->kW;
   if (nl_numel(weight) != wn)
      return nl_errorf("%s: weight has %lld elements, expected %lld", fn, (long long)nl_numel(weight), (long long)wn);
   if (!nl_tensor_is_contiguous(weight)) return nl_errorf("%s: the weight must be contiguous", fn);
   if (g->N < 1 || g->in[0] < 1 || g->in[1] < 1 || g->in[2] < 1)
      return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   int k[3] = {w->kT, w->kH, w->kW}, d[3] = {w->dT, w->dH, w->dW}, p[3] = {w->padT, w->padH, w->padW};
   for (int i = 0; i < 3; i++) {
      if (g->in[i] + 2 * p[i] < k[i])
         return nl_errorf("%s: input volume %lldx%lldx%lld (padded %lldx%lldx%lld) is smaller than the %dx%dx%d kernel "
                          "(T x H x W)", fn, (long long)g->in[0], (long long)g->in[1], (long long)g->in[2],
                          (long long)(g->in[0] + 2 * p[0]), (long long)(g->in[1] + 2 * p[1]),
                          (long long)(g->in[2] + 2 * p[2]), k[0], k[1], k[2]);
      g->out[i] = (g->in[i] + 2 * p[i] - k[i]) / d[i] + 1;
   }
   g->crows = g->nIn * w->kT * w->kH * w->kW;
   g->ccols = g->out[0] * g->out[1] * g->out[2];
   if (g->crows * g->ccols > INT32_MAX || g->nOut * g->ccols > INT32_MAX ||
       g->nIn * g->in[0] * g->in[1] * g->in[2] > INT32_MAX)
      return nl_errorf("%s: one volume is too large for a 32-bit BLAS", fn);
   g->dt = input->_dtype;
   g->es = nl_dtypes[g->dt].size;
   return 0;
}

static int batch_threads(int64_t N) {
   int nth = nl_threads();
   if (nl_omp_in_parallel() || nth < 2 || N < 2) return 1;
   return N < nth ? (int)N : nth;
}

static int resize_vol(nl_tensor *t, const struct vgeom *g, int64_t C, const int64_t *v) {
   int64_t sz[5] = {g->N, C, v[0], v[1], v[2]};
   int rc = g->batch ? nl_tensor_resize(t, 5, sz) : nl_tensor_resize(t, 4, sz + 1);
   if (!rc && !nl_tensor_is_contiguous(t)) rc = nl_errorf("%s: result tensors must be contiguous", g->fn);
   return rc;
}

static int resize_columns(nl_tensor *columns, const struct vgeom *g, int nt) {
   int64_t sz[3] = {nt, g->crows, g->ccols};
   if (columns->_dtype != g->dt) return nl_errorf("%s: the column buffer must be a %s", g->fn, nl_dtypes[g->dt].name);
   if (nl_tensor_resize(columns, 3, sz)) return -1;
   if (!nl_tensor_is_contiguous(columns)) return nl_errorf("%s: the column buffer must be contiguous", g->fn);
   return 0;
}

static int check_grad_output(const struct vgeom *g, const nl_tensor *gradOutput) {
   char s[NL_SHAPE_BUF];
   if (gradOutput->_dtype != g->dt)
      return nl_errorf("%s: gradOutput is a %s, expected a %s", g->fn, nl_type_name(gradOutput), nl_dtypes[g->dt].name);
   int64_t want[5] = {g->N, g->nOut, g->out[0], g->out[1], g->out[2]};
   int ok = gradOutput->_ndim == (g->batch ? 5 : 4);
   for (int i = 0; ok && i < gradOutput->_ndim; i++) ok = gradOutput->_size[i] == want[i + !g->batch];
   if (!ok) {
      if (g->batch)
         return nl_errorf("%s: gradOutput has size %s, expected %lldx%lldx%lldx%lldx%lld", g->fn,
                          nl_shape_str(s, sizeof s, gradOutput), (long long)g->N, (long long)g->nOut,
                          (long long)g->out[0], (long long)g->out[1], (long long)g->out[2]);
      return nl_errorf("%s: gradOutput has size %s, expected %lldx%lldx%lldx%lld", g->fn,
                       nl_shape_str(s, sizeof s, gradOutput), (long long)g->nOut, (long long)g->out[0],
                       (long long)g->out[1], (long long)g->out[2]);
   }
   return 0;
}

static int check_bias(const struct vgeom *g, const nl_tensor *bias, const char *what) {
   if (!bias) return 0;
   if (bias->_dtype != g->dt)
      return nl_errorf("%s: %s is a %s, expected a %s", g->fn, what, nl_type_name(bias), nl_dtypes[g->dt].name);
   if (nl_numel(bias) != g->nOut || bias->_ndim != 1)
      return nl_errorf("%s: %s must be a vector of %lld elements", g->fn, what, (long long)g->nOut);
   return 0;
}

static void vol2col(const struct vgeom *g, void *col, const void *vol) {
   if (g->dt == NL_FLOAT) vol2col_float(col, vol, g->nIn, g->in, g->out, &g->w);
   else vol2col_double(col, vol, g->nIn, g->in, g->out, &g->w);
}

#define WIN struct vwin w = {kT, kW, kH, dT, dW, dH, padT, padW, padH}

NL_API int nl_volumetric_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                      const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kT, int kW,
                                      int kH, int dT, int dW, int dH, int padT, int padW, int padH) {
   const char *fn = "nn.VolumetricConvolution";
   WIN;
   struct vgeom g;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w) || check_bias(&g, bias, "bias") ||
       nl_check_same_dtype(fn, output, input))
      return -1;
   int nt = batch_threads(g.N), rc;
   nl_tensor tmp;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_vol(output, &g, g.nOut, g.out);
   if (!rc) rc = resize_columns(columns, &g, nt);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int64_t isz = g.nIn * g.in[0] * g.in[1] * g.in[2] * g.es, osz = g.nOut * g.ccols * g.es, csz = g.crows * g.ccols * g.es;
   const char *ip = nl_ptr(in), *wp = nl_ptr(weight);
   char *op = nl_ptr(output), *cp = nl_ptr(columns);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *out = op + n * osz, *col = cp + omp_get_thread_num() * csz;
      vol2col(&g, col, ip + n * isz);
      /* out (nOut, cols) = weight (nOut, crows) x col (crows, cols) */
      nl_nn_gemm(g.dt, 0, 0, g.nOut, g.ccols, g.crows, 1, wp, g.crows, col, g.ccols, 0, out, g.ccols);
      if (bias) {
         if (g.dt == NL_FLOAT) nl_nn_add_bias_float((float *)out, nl_ptr(bias), bias->_stride[0], g.nOut, g.ccols);
         else nl_nn_add_bias_double((double *)out, nl_ptr(bias), bias->_stride[0], g.nOut, g.ccols);
      }
   }
   nl_tensor_release(&tmp);
   return 0;
}

NL_API int nl_volumetric_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                       const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kT,
                                       int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH) {
   const char *fn = "nn.VolumetricConvolution";
   WIN;
   struct vgeom g;
   if (conv_geometry(&g, fn, input, weight, nIn, nOut, &w) || check_grad_output(&g, gradOutput) ||
       nl_check_same_dtype(fn, gradInput, input))
      return -1;
   int nt = batch_threads(g.N), rc;
   nl_tensor tmp;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_vol(gradInput, &g, g.nIn, g.in);
   if (!rc) rc = resize_columns(columns, &g, nt);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int64_t isz = g.nIn * g.in[0] * g.in[1] * g.in[2] * g.es, osz = g.nOut * g.ccols * g.es, csz = g.crows * g.ccols * g.es;
   const char *gop = nl_ptr(go), *wp = nl_ptr(weight);
   char *gip = nl_ptr(gradInput), *cp = nl_ptr(columns);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *col = cp + omp_get_thread_num() * csz;
      /* col (crows, cols) = weight^T (crows, nOut) x go (nOut, cols) */
      nl_nn_gemm(g.dt, 1, 0, g.crows, g.ccols, g.nOut, 1, wp, g.crows, gop + n * osz, g.ccols, 0, col, g.ccols);
      if (g.dt == NL_FLOAT) col2vol_float((float *)(gip + n * isz), (const float *)col, g.nIn, g.in, g.out, &g.w);
      else col2vol_double((double *)(gip + n * isz), (const double *)col, g.nIn, g.in, g.out, &g.w);
   }
   nl_tensor_release(&tmp);
   return 0;
}

NL_API int nl_volumetric_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                       nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                       int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH, int padT,
                                       int padW, int padH, double scale) {
   const char *fn = "nn.VolumetricConvolution";
   WIN;
   struct vgeom g;
   if (conv_geometry(&g, fn, input, gradWeight, nIn, nOut, &w) || check_grad_output(&g, gradOutput) ||
       check_bias(&g, gradBias, "gradBias"))
      return -1;
   if (partial->_dtype != g.dt) return nl_errorf("%s: the partial-sum buffer must be a %s", fn, nl_dtypes[g.dt].name);
   int nt = batch_threads(g.N), rc, rc2;
   nl_tensor t1, t2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   int64_t wn = nl_numel(gradWeight), psz[2] = {nt, wn};
   if (!rc) rc = resize_columns(columns, &g, nt);
   if (!rc && nt > 1) rc = nl_tensor_resize(partial, 2, psz) || nl_zero(partial);
   if (!rc && !nl_tensor_is_contiguous(partial)) rc = nl_errorf("%s: the partial-sum buffer must be contiguous", fn);
   if (rc) { nl_tensor_release(&t1); nl_tensor_release(&t2); return -1; }
   int64_t isz = g.nIn * g.in[0] * g.in[1] * g.in[2] * g.es, osz = g.nOut * g.ccols * g.es, csz = g.crows * g.ccols * g.es;
   const char *ip = nl_ptr(in), *gop = nl_ptr(go);
   char *cp = nl_ptr(columns), *gwp = nl_ptr(gradWeight), *pp = nt > 1 ? nl_ptr(partial) : NULL;
   if (scale != 0) {
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
      for (int64_t n = 0; n < g.N; n++) {
         int t = omp_get_thread_num();
         char *col = cp + t * csz;
         vol2col(&g, col, ip + n * isz);
         /* gw (nOut, crows) += scale * go (nOut, cols) x col^T (cols, crows) */
         nl_nn_gemm(g.dt, 0, 1, g.nOut, g.crows, g.ccols, scale, gop + n * osz, g.ccols, col, g.ccols, 1,
              nt > 1 ? pp + t * wn * g.es : gwp, g.crows);
      }
      for (int t = 0; nt > 1 && t < nt; t++) {
         if (g.dt == NL_FLOAT) {
            float *d = (float *)gwp;
            const float *s = (const float *)pp + t * wn;
            for (int64_t i = 0; i < wn; i++) d[i] += s[i];
         } else {
            double *d = (double *)gwp;
            const double *s = (const double *)pp + t * wn;
            for (int64_t i = 0; i < wn; i++) d[i] += s[i];
         }
      }
      if (gradBias) {
         if (g.dt == NL_FLOAT) nl_nn_grad_bias_float(nl_ptr(gradBias), gradBias->_stride[0], (const float *)gop, g.N, g.nOut, g.ccols, scale);
         else nl_nn_grad_bias_double(nl_ptr(gradBias), gradBias->_stride[0], (const double *)gop, g.N, g.nOut, g.ccols, scale);
      }
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return 0;
}

/* ---------------------------------------------------------------- pooling */

struct pgeom { int64_t planes, in[3], out[3]; int ndim; };

static int64_t out_size(int64_t in, int k, int d, int pad, int ceil_mode) {
   int64_t o = ceil_mode ? (int64_t)ceil((double)(in - k + 2 * pad) / d) + 1 : (in - k + 2 * pad) / d + 1;
   /* the last window must start inside the volume or its leading padding */
   if (pad && (o - 1) * d >= in + pad) o--;
   return o;
}

static int pool_geometry(const char *fn, struct pgeom *g, const nl_tensor *input, const struct vwin *w, int ceil_mode) {
   char s[NL_SHAPE_BUF];
   memset(g, 0, sizeof *g);
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != 4 && input->_ndim != 5)
      return nl_errorf("%s: expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got %s", fn,
                       nl_shape_str(s, sizeof s, input));
   if (w->kT < 1 || w->kW < 1 || w->kH < 1 || w->dT < 1 || w->dW < 1 || w->dH < 1)
      return nl_errorf("%s: kernel size and stride must be positive, got kernel %dx%dx%d, stride %dx%dx%d", fn, w->kT,
                       w->kW, w->kH, w->dT, w->dW, w->dH);
   if (w->padT < 0 || w->padW < 0 || w->padH < 0 || w->padT > w->kT / 2 || w->padW > w->kW / 2 || w->padH > w->kH / 2)
      return nl_errorf("%s: padding %d,%d,%d should be non-negative and at most half the %dx%dx%d kernel", fn, w->padT,
                       w->padW, w->padH, w->kT, w->kW, w->kH);
   g->ndim = input->_ndim;
   g->planes = 1;
   for (int i = 0; i < input->_ndim - 3; i++) g->planes *= input->_size[i];
   for (int d = 0; d < 3; d++) g->in[d] = input->_size[input->_ndim - 3 + d];
   if (g->planes < 1 || g->in[0] < 1 || g->in[1] < 1 || g->in[2] < 1)
      return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   int k[3] = {w->kT, w->kH, w->kW}, d[3] = {w->dT, w->dH, w->dW}, p[3] = {w->padT, w->padH, w->padW};
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

static struct box window(const struct pgeom *g, const struct vwin *w, int64_t z, int64_t y, int64_t x) {
   struct box b;
   int64_t pos[3] = {z, y, x};
   int k[3] = {w->kT, w->kH, w->kW}, d[3] = {w->dT, w->dH, w->dW}, p[3] = {w->padT, w->padH, w->padW};
   b.padded = 1;
   for (int i = 0; i < 3; i++) {
      int64_t s = pos[i] * d[i] - p[i], e = s + k[i];
      if (e > g->in[i] + p[i]) e = g->in[i] + p[i];
      b.padded *= e - s;
      b.s[i] = s < 0 ? 0 : s;
      b.e[i] = e > g->in[i] ? g->in[i] : e;
   }
   return b;
}

/* Max: first maximum of each window (NaN wins), flat index within the
 * plane (t*H*W + h*W + w). Average: sum / divisor. Backward of the
 * average spreads gradOutput / divisor over the window. */
#define VPOOL(TY) \
   static void vmax_##TY(TY *out, int64_t *ind, const TY *in, const struct pgeom *g, const struct vwin *w) { \
      const int64_t iHW = g->in[1] * g->in[2], iV = g->in[0] * iHW, oV = g->out[0] * g->out[1] * g->out[2]; \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, g->planes, g->planes > 1 && nth > 1, \
         const TY *ip = in + p * iV; \
         int64_t o = p * oV; \
         for (int64_t z = 0; z < g->out[0]; z++) \
            for (int64_t y = 0; y < g->out[1]; y++) \
               for (int64_t x = 0; x < g->out[2]; x++, o++) { \
                  struct box b = window(g, w, z, y, x); \
                  TY best = -INFINITY; \
                  int64_t bi = (b.s[0] * g->in[1] + b.s[1]) * g->in[2] + b.s[2]; \
                  for (int64_t t = b.s[0]; t < b.e[0]; t++) \
                     for (int64_t h = b.s[1]; h < b.e[1]; h++) \
                        for (int64_t c = b.s[2]; c < b.e[2]; c++) { \
                           int64_t k = t * iHW + h * g->in[2] + c; \
                           TY v = ip[k]; \
                           if (v > best || (isnan(v) && !isnan(best))) { best = v; bi = k; } \
                        } \
                  out[o] = best; \
                  ind[o] = bi; \
               } \
      ); \
   } \
   static void vavg_##TY(TY *out, const TY *in, TY *gin, const TY *gout, const struct pgeom *g, const struct vwin *w, \
                         int include_pad) { \
      const int64_t iHW = g->in[1] * g->in[2], iV = g->in[0] * iHW, oV = g->out[0] * g->out[1] * g->out[2]; \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(p, g->planes, g->planes > 1 && nth > 1, \
         int64_t o = p * oV; \
         for (int64_t z = 0; z < g->out[0]; z++) \
            for (int64_t y = 0; y < g->out[1]; y++) \
               for (int64_t x = 0; x < g->out[2]; x++, o++) { \
                  struct box b = window(g, w, z, y, x); \
                  int64_t div = include_pad ? b.padded : (b.e[0] - b.s[0]) * (b.e[1] - b.s[1]) * (b.e[2] - b.s[2]); \
                  if (div <= 0) div = 1; \
                  if (out) { \
                     const TY *ip = in + p * iV; \
                     double s = 0; \
                     for (int64_t t = b.s[0]; t < b.e[0]; t++) \
                        for (int64_t h = b.s[1]; h < b.e[1]; h++) \
                           for (int64_t c = b.s[2]; c < b.e[2]; c++) s += ip[t * iHW + h * g->in[2] + c]; \
                     out[o] = (TY)(s / div); \
                  } else { \
                     TY *gp = gin + p * iV, v = gout[o] / (TY)div; \
                     for (int64_t t = b.s[0]; t < b.e[0]; t++) \
                        for (int64_t h = b.s[1]; h < b.e[1]; h++) \
                           for (int64_t c = b.s[2]; c < b.e[2]; c++) gp[t * iHW + h * g->in[2] + c] += v; \
                  } \
               } \
      ); \
   }
VPOOL(float)
VPOOL(double)

NL_API int nl_volumetric_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kT, int kW,
                                          int kH, int dT, int dW, int dH, int padT, int padW, int padH, int ceil_mode) {
   const char *fn = "nn.VolumetricMaxPooling";
   WIN;
   struct pgeom g;
   if (pool_geometry(fn, &g, input, &w, ceil_mode) || nl_check_same_dtype(fn, output, input)) return -1;
   if (indices->_dtype != NL_LONG || indices->_device != NL_CPU) return nl_errorf("%s: indices must be a LongTensor", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_pool(fn, output, input, &g) || resize_pool(fn, indices, input, &g);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) vmax_float(nl_ptr(output), nl_ptr(indices), nl_ptr(in), &g, &w);
      else vmax_double(nl_ptr(output), nl_ptr(indices), nl_ptr(in), &g, &w);
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
   int nd = input->_ndim;
   int64_t iV = input->_size[nd - 3] * input->_size[nd - 2] * input->_size[nd - 1];
   int64_t oV = indices->_size[nd - 3] * indices->_size[nd - 2] * indices->_size[nd - 1];
   int64_t planes = nl_numel(indices) / (oV ? oV : 1);
   const int64_t *ind = nl_ptr(indices);
   for (int64_t i = 0, n = nl_numel(indices); i < n; i++)
      if (ind[i] < 0 || ind[i] >= iV) return nl_errorf("%s: corrupted indices (%lld outside the volume)", fn, (long long)ind[i]);
   if (nl_tensor_resize_as(gradInput, input) || nl_zero(gradInput)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      int nth = nl_threads();
      if (input->_dtype == NL_FLOAT) {
         float *gi = nl_ptr(gradInput);
         const float *gp = nl_ptr(go);
#pragma omp parallel for if (planes > 1 && nth > 1) num_threads(nth)
         for (int64_t p = 0; p < planes; p++)
            for (int64_t i = 0; i < oV; i++) gi[p * iV + ind[p * oV + i]] += gp[p * oV + i];
      } else {
         double *gi = nl_ptr(gradInput);
         const double *gp = nl_ptr(go);
#pragma omp parallel for if (planes > 1 && nth > 1) num_threads(nth)
         for (int64_t p = 0; p < planes; p++)
            for (int64_t i = 0; i < oV; i++) gi[p * iV + ind[p * oV + i]] += gp[p * oV + i];
      }
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
   if (pool_geometry(fn, &g, input, &w, ceil_mode) || nl_check_same_dtype(fn, output, input)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_pool(fn, output, input, &g);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) vavg_float(nl_ptr(output), nl_ptr(in), NULL, NULL, &g, &w, count_include_pad);
      else vavg_double(nl_ptr(output), nl_ptr(in), NULL, NULL, &g, &w, count_include_pad);
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
   if (nl_tensor_resize_as(gradInput, input) || nl_zero(gradInput)) return -1;
   if (!nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      if (input->_dtype == NL_FLOAT) vavg_float(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), &g, &w, count_include_pad);
      else vavg_double(NULL, NULL, nl_ptr(gradInput), nl_ptr(go), &g, &w, count_include_pad);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

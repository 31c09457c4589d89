/* conv_local.c: SpatialConvolutionLocal, a 2D convolution whose filters
 * are not shared: every output location l = (y, x) has its own weight
 * (nOut, nIn*kH*kW) and its own bias per plane. An image is unfolded into
 * one patch row per location (L, K), K = nIn*kH*kW; each location is then
 * one matrix-vector product (forward, input gradient) or one rank-1
 * update (weight gradient). A batch runs one image per OpenMP thread for
 * forward and backward; the weight gradient runs locations in parallel. */
#include "../apply.h"
#include "nn_common.h"
#include <cblas.h>
#include <omp.h>
#include <string.h>

struct lgeom {
   const char *fn;
   int64_t N, nIn, nOut, H, W, oH, oW, L, K;
   int kW, kH, dW, dH, padW, padH, batch, dt, es;
};

static int local_geometry(struct lgeom *g, const nl_tensor *input, const nl_tensor *weight, const int *p) {
   const char *fn = "nn.SpatialConvolutionLocal";
   char s[NL_SHAPE_BUF];
   memset(g, 0, sizeof *g);
   g->fn = fn;
   int nIn = p[0], nOut = p[1], iW = p[2], iH = p[3];
   g->kW = p[4], g->kH = p[5], g->dW = p[6], g->dH = p[7], g->padW = p[8], g->padH = p[9];
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (nl_check_same_dtype(fn, weight, input)) return -1;
   if (nIn < 1 || nOut < 1 || iW < 1 || iH < 1 || g->kW < 1 || g->kH < 1 || g->dW < 1 || g->dH < 1 || g->padW < 0 ||
       g->padH < 0)
      return nl_errorf("%s: sizes, kernel and stride must be positive and padding non-negative", fn);
   if (input->_ndim != 3 && input->_ndim != 4)
      return nl_errorf("%s: expected a 3D (%d x %d x %d) or 4D (N x %d x %d x %d) input, got %s", fn, nIn, iH, iW, nIn,
                       iH, iW, nl_shape_str(s, sizeof s, input));
   g->batch = input->_ndim == 4;
   g->N = g->batch ? input->_size[0] : 1;
   g->nIn = nIn;
   g->nOut = nOut;
   g->H = iH;
   g->W = iW;
   if (input->_size[g->batch] != nIn || input->_size[g->batch + 1] != iH || input->_size[g->batch + 2] != iW)
      return nl_errorf("%s: input has size %s, expected %s%dx%dx%d", fn, nl_shape_str(s, sizeof s, input),
                       g->batch ? "N x " : "", nIn, iH, iW);
   if (g->N < 1) return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   g->oH = (iH + 2 * g->padH - g->kH) / g->dH + 1;
   g->oW = (iW + 2 * g->padW - g->kW) / g->dW + 1;
   if (iH + 2 * g->padH < g->kH || iW + 2 * g->padW < g->kW || g->oH < 1 || g->oW < 1)
      return nl_errorf("%s: the %dx%d kernel does not fit the padded %dx%d image", fn, g->kH, g->kW, iH + 2 * g->padH,
                       iW + 2 * g->padW);
   g->L = g->oH * g->oW;
   g->K = (int64_t)nIn * g->kH * g->kW;
   if (nl_numel(weight) != g->L * nOut * g->K)
      return nl_errorf("%s: weight has %lld elements, expected %lldx%lldx%d x %lld", fn, (long long)nl_numel(weight),
                       (long long)g->oH, (long long)g->oW, nOut, (long long)g->K);
   if (!nl_tensor_is_contiguous(weight)) return nl_errorf("%s: the weight must be contiguous", fn);
   if (g->L * g->K > INT32_MAX || nOut * g->K > INT32_MAX) return nl_errorf("%s: the layer is too large for a 32-bit BLAS", fn);
   g->dt = input->_dtype;
   g->es = nl_dtypes[g->dt].size;
   return 0;
}

static int check_bias(const struct lgeom *g, const nl_tensor *b, const char *what) {
   if (!b) return 0;
   if (b->_dtype != g->dt) return nl_errorf("%s: %s is a %s, expected a %s", g->fn, what, nl_type_name(b), nl_dtypes[g->dt].name);
   if (nl_numel(b) != g->nOut * g->L || !nl_tensor_is_contiguous(b))
      return nl_errorf("%s: %s must be a contiguous %lldx%lldx%lld tensor", g->fn, what, (long long)g->nOut,
                       (long long)g->oH, (long long)g->oW);
   return 0;
}

static int check_grad_output(const struct lgeom *g, const nl_tensor *go) {
   char s[NL_SHAPE_BUF];
   if (go->_dtype != g->dt)
      return nl_errorf("%s: gradOutput is a %s, expected a %s", g->fn, nl_type_name(go), nl_dtypes[g->dt].name);
   int64_t want[4] = {g->N, g->nOut, g->oH, g->oW};
   int ok = go->_ndim == (g->batch ? 4 : 3);
   for (int i = 0; ok && i < go->_ndim; i++) ok = go->_size[i] == want[i + !g->batch];
   if (!ok)
      return nl_errorf("%s: gradOutput has size %s, expected %s%lldx%lldx%lld", g->fn, nl_shape_str(s, sizeof s, go),
                       g->batch ? "N x " : "", (long long)g->nOut, (long long)g->oH, (long long)g->oW);
   return 0;
}

static int resize_img(nl_tensor *t, const struct lgeom *g, int64_t C, int64_t H, int64_t W) {
   int64_t sz[4] = {g->N, C, H, W};
   int rc = g->batch ? nl_tensor_resize(t, 4, sz) : nl_tensor_resize(t, 3, sz + 1);
   if (!rc && !nl_tensor_is_contiguous(t)) rc = nl_errorf("%s: result tensors must be contiguous", g->fn);
   return rc;
}

static int resize_rows(nl_tensor *rows, const struct lgeom *g, int nt) {
   int64_t sz[3] = {nt, g->L, g->K};
   if (rows->_dtype != g->dt) return nl_errorf("%s: the patch buffer must be a %s", g->fn, nl_dtypes[g->dt].name);
   if (nl_tensor_resize(rows, 3, sz)) return -1;
   if (!nl_tensor_is_contiguous(rows)) return nl_errorf("%s: the patch buffer must be contiguous", g->fn);
   return 0;
}

static int batch_threads(int64_t N) {
   int nth = nl_threads();
   if (nl_omp_in_parallel() || nth < 2 || N < 2) return 1;
   return N < nth ? (int)N : nth;
}

/* rows: (L, K); row l = (y, x), column (c, i, j) holds
 * im[c][y*dH - padH + i][x*dW - padW + j] (0 outside). rows2im adds the
 * rows back into a zeroed image. */
#define LOCAL(TY) \
   static void im2rows_##TY(TY *rows, const TY *im, const struct lgeom *g) { \
      for (int64_t y = 0; y < g->oH; y++) \
         for (int64_t x = 0; x < g->oW; x++) { \
            TY *r = rows + (y * g->oW + x) * g->K; \
            for (int64_t c = 0; c < g->nIn; c++) \
               for (int i = 0; i < g->kH; i++) { \
                  int64_t iy = y * g->dH - g->padH + i; \
                  for (int j = 0; j < g->kW; j++, r++) { \
                     int64_t ix = x * g->dW - g->padW + j; \
                     *r = (iy >= 0 && iy < g->H && ix >= 0 && ix < g->W) ? im[(c * g->H + iy) * g->W + ix] : 0; \
                  } \
               } \
         } \
   } \
   static void rows2im_##TY(TY *im, const TY *rows, const struct lgeom *g) { \
      memset(im, 0, sizeof(TY) * g->nIn * g->H * g->W); \
      for (int64_t y = 0; y < g->oH; y++) \
         for (int64_t x = 0; x < g->oW; x++) { \
            const TY *r = rows + (y * g->oW + x) * g->K; \
            for (int64_t c = 0; c < g->nIn; c++) \
               for (int i = 0; i < g->kH; i++) { \
                  int64_t iy = y * g->dH - g->padH + i; \
                  for (int j = 0; j < g->kW; j++, r++) { \
                     int64_t ix = x * g->dW - g->padW + j; \
                     if (iy >= 0 && iy < g->H && ix >= 0 && ix < g->W) im[(c * g->H + iy) * g->W + ix] += *r; \
                  } \
               } \
         } \
   }
LOCAL(float)
LOCAL(double)

static void im2rows(const struct lgeom *g, void *rows, const void *im) {
   if (g->dt == NL_FLOAT) im2rows_float(rows, im, g);
   else im2rows_double(rows, im, g);
}

/* y (m) with stride incy = alpha * op(A) (m, n) . x + beta * y */
static void gemv(int dt, int trans, int64_t m, int64_t n, double alpha, const void *a, int64_t lda, const void *x,
                 int64_t incx, double beta, void *y, int64_t incy) {
   if (dt == NL_FLOAT)
      cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, (int)m, (int)n, (float)alpha, a, (int)lda, x,
                  (int)incx, (float)beta, y, (int)incy);
   else
      cblas_dgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, (int)m, (int)n, alpha, a, (int)lda, x, (int)incx,
                  beta, y, (int)incy);
}

#define PARAMS int p[10] = {nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH}

NL_API int nl_spatial_conv_local_forward(nl_tensor *output, nl_tensor *rows, const nl_tensor *input,
                                         const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int iW,
                                         int iH, int kW, int kH, int dW, int dH, int padW, int padH) {
   PARAMS;
   struct lgeom g;
   if (local_geometry(&g, input, weight, p) || check_bias(&g, bias, "bias") || nl_check_same_dtype(g.fn, output, input))
      return -1;
   int nt = batch_threads(g.N), rc;
   nl_tensor tmp;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_img(output, &g, g.nOut, g.oH, g.oW) || resize_rows(rows, &g, nt);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int64_t isz = g.nIn * g.H * g.W * g.es, osz = g.nOut * g.L * g.es, rsz = g.L * g.K * g.es;
   const char *ip = nl_ptr(in), *wp = nl_ptr(weight), *bp = bias ? nl_ptr(bias) : NULL;
   char *op = nl_ptr(output), *rp = nl_ptr(rows);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *out = op + n * osz, *r = rp + omp_get_thread_num() * rsz;
      im2rows(&g, r, ip + n * isz);
      if (bp) memcpy(out, bp, osz);
      else memset(out, 0, osz);
      /* out[:, l] (nOut, stride L) += weight[l] (nOut, K) . rows[l] (K) */
      for (int64_t l = 0; l < g.L; l++)
         gemv(g.dt, 0, g.nOut, g.K, 1, wp + l * g.nOut * g.K * g.es, g.K, r + l * g.K * g.es, 1, 1, out + l * g.es, g.L);
   }
   nl_tensor_release(&tmp);
   return 0;
}

NL_API int nl_spatial_conv_local_backward(nl_tensor *gradInput, nl_tensor *rows, const nl_tensor *input,
                                          const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                          int iW, int iH, int kW, int kH, int dW, int dH, int padW, int padH) {
   PARAMS;
   struct lgeom g;
   if (local_geometry(&g, input, weight, p) || check_grad_output(&g, gradOutput) ||
       nl_check_same_dtype(g.fn, gradInput, input))
      return -1;
   int nt = batch_threads(g.N), rc;
   nl_tensor tmp;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_img(gradInput, &g, g.nIn, g.H, g.W) || resize_rows(rows, &g, nt);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int64_t isz = g.nIn * g.H * g.W * g.es, osz = g.nOut * g.L * g.es, rsz = g.L * g.K * g.es;
   const char *gop = nl_ptr(go), *wp = nl_ptr(weight);
   char *gip = nl_ptr(gradInput), *rp = nl_ptr(rows);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *r = rp + omp_get_thread_num() * rsz;
      const char *o = gop + n * osz;
      /* rows[l] (K) = weight[l]^T (K, nOut) . go[:, l] (nOut, stride L) */
      for (int64_t l = 0; l < g.L; l++)
         gemv(g.dt, 1, g.nOut, g.K, 1, wp + l * g.nOut * g.K * g.es, g.K, o + l * g.es, g.L, 0, r + l * g.K * g.es, 1);
      if (g.dt == NL_FLOAT) rows2im_float((float *)(gip + n * isz), (const float *)r, &g);
      else rows2im_double((double *)(gip + n * isz), (const double *)r, &g);
   }
   nl_tensor_release(&tmp);
   return 0;
}

NL_API int nl_spatial_conv_local_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *rows,
                                          const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut,
                                          int iW, int iH, int kW, int kH, int dW, int dH, int padW, int padH,
                                          double scale) {
   PARAMS;
   struct lgeom g;
   if (local_geometry(&g, input, gradWeight, p) || check_grad_output(&g, gradOutput) ||
       check_bias(&g, gradBias, "gradBias"))
      return -1;
   int rc, rc2;
   nl_tensor t1, t2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   if (!rc) rc = resize_rows(rows, &g, 1);
   if (rc) { nl_tensor_release(&t1); nl_tensor_release(&t2); return -1; }
   int64_t isz = g.nIn * g.H * g.W * g.es, osz = g.nOut * g.L * g.es;
   const char *ip = nl_ptr(in), *gop = nl_ptr(go);
   char *gwp = nl_ptr(gradWeight), *r = nl_ptr(rows);
   int nth = nl_omp_in_parallel() ? 1 : nl_threads();
   for (int64_t n = 0; scale != 0 && n < g.N; n++) {
      const char *o = gop + n * osz;
      im2rows(&g, r, ip + n * isz);
      /* gradWeight[l] (nOut, K) += scale * go[:, l] (stride L) outer rows[l] */
#pragma omp parallel for num_threads(nth) if (nth > 1 && g.L > 1) schedule(static)
      for (int64_t l = 0; l < g.L; l++) {
         if (g.dt == NL_FLOAT)
            cblas_sger(CblasRowMajor, (int)g.nOut, (int)g.K, (float)scale, (const float *)(o + l * g.es), (int)g.L,
                       (const float *)(r + l * g.K * g.es), 1, (float *)(gwp + l * g.nOut * g.K * g.es), (int)g.K);
         else
            cblas_dger(CblasRowMajor, (int)g.nOut, (int)g.K, scale, (const double *)(o + l * g.es), (int)g.L,
                       (const double *)(r + l * g.K * g.es), 1, (double *)(gwp + l * g.nOut * g.K * g.es), (int)g.K);
      }
      if (gradBias) {
         int64_t nb = g.nOut * g.L;
         if (g.dt == NL_FLOAT) {
            float *b = nl_ptr(gradBias);
            const float *s = (const float *)o;
            for (int64_t i = 0; i < nb; i++) b[i] += (float)scale * s[i];
         } else {
            double *b = nl_ptr(gradBias);
            const double *s = (const double *)o;
            for (int64_t i = 0; i < nb; i++) b[i] += scale * s[i];
         }
      }
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return 0;
}

/* conv_local.c: SpatialConvolutionLocal, a 2D convolution whose filters
 * are not shared: every output location l = (y, x) has its own weight
 * (nOut, nIn*kH*kW) and its own bias per plane. An image is unfolded into
 * one patch row per location (L, K), K = nIn*kH*kW; each location is then
 * one matrix-vector product (forward, input gradient) or one rank-1
 * update (weight gradient). A batch runs one image per OpenMP thread for
 * forward and backward (the batch loop of conv_driver.c); the weight
 * gradient runs locations in parallel. The patch layout is the transpose
 * of the driver's columns, so the unfold is this file's own
 * (conv_local_impl.h, per dtype). */
#include "../backend.h"
#include "conv_driver.h"
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
   return nl_conv_resize(g->fn, t, g->batch, 4, sz);
}

static int resize_rows(nl_tensor *rows, const struct lgeom *g, int nt) {
   int64_t sz[3] = {nt, g->L, g->K};
   return nl_conv_buffer(g->fn, "patch buffer", rows, g->dt, 3, sz);
}

#define NL_IMPL "nn/conv_local_impl.h"
#include "dtype_each_float.h"

static const struct {
   void (*im2rows)(void *rows, const void *im, const struct lgeom *g);
   void (*rows2im)(void *im, const void *rows, const struct lgeom *g);
   void (*axpy)(void *b, const void *s, int64_t n, double scale);
} lkern[NL_NUM_DTYPES] = {
   [NL_FLOAT] = {im2rows_Float, rows2im_Float, axpy_Float},
   [NL_DOUBLE] = {im2rows_Double, rows2im_Double, axpy_Double},
};

/* y (m) with stride incy = alpha * op(A) (m, n) . x + beta * y */
static void gemv(int dt, int trans, int64_t m, int64_t n, double alpha, const void *a, int64_t lda, const void *x,
                 int64_t incx, double beta, void *y, int64_t incy) {
   switch (dt) {
   case NL_FLOAT:
      cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, (int)m, (int)n, (float)alpha, a, (int)lda, x,
                  (int)incx, (float)beta, y, (int)incy);
      break;
   default:
      cblas_dgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, (int)m, (int)n, alpha, a, (int)lda, x, (int)incx,
                  beta, y, (int)incy);
      break;
   }
}

/* gradWeight[l] (nOut, K) += scale * go[:, l] (stride L) outer rows[l] */
static void ger(int dt, const struct lgeom *g, double scale, const void *go, const void *rows, void *gw) {
   switch (dt) {
   case NL_FLOAT:
      cblas_sger(CblasRowMajor, (int)g->nOut, (int)g->K, (float)scale, go, (int)g->L, rows, 1, gw, (int)g->K);
      break;
   default:
      cblas_dger(CblasRowMajor, (int)g->nOut, (int)g->K, scale, go, (int)g->L, rows, 1, gw, (int)g->K);
      break;
   }
}

/* one call: out, in the image-major operands (output/input,
 * gradInput/gradOutput), rows the per-thread patch buffers */
struct lrun {
   const struct lgeom *g;
   char *out, *rows;
   const char *in, *wt, *bias;
   int64_t osz, isz, rsz;
};

static void forward_image(void *ctx, int64_t n, int tid) {
   const struct lrun *c = ctx;
   const struct lgeom *g = c->g;
   char *out = c->out + n * c->osz, *r = c->rows + tid * c->rsz;
   lkern[g->dt].im2rows(r, c->in + n * c->isz, g);
   if (c->bias) memcpy(out, c->bias, c->osz);
   else memset(out, 0, c->osz);
   /* out[:, l] (nOut, stride L) += weight[l] (nOut, K) . rows[l] (K) */
   for (int64_t l = 0; l < g->L; l++)
      gemv(g->dt, 0, g->nOut, g->K, 1, c->wt + l * g->nOut * g->K * g->es, g->K, r + l * g->K * g->es, 1, 1,
           out + l * g->es, g->L);
}

static void backward_image(void *ctx, int64_t n, int tid) {
   const struct lrun *c = ctx;
   const struct lgeom *g = c->g;
   char *r = c->rows + tid * c->rsz;
   const char *o = c->in + n * c->isz;
   /* rows[l] (K) = weight[l]^T (K, nOut) . go[:, l] (nOut, stride L) */
   for (int64_t l = 0; l < g->L; l++)
      gemv(g->dt, 1, g->nOut, g->K, 1, c->wt + l * g->nOut * g->K * g->es, g->K, o + l * g->es, g->L, 0,
           r + l * g->K * g->es, 1);
   lkern[g->dt].rows2im(c->out + n * c->osz, r, g);
}

#define PARAMS int p[10] = {nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH}

NL_API int nl_spatial_conv_local_forward(nl_tensor *output, nl_tensor *rows, const nl_tensor *input,
                                         const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int iW,
                                         int iH, int kW, int kH, int dW, int dH, int padW, int padH) {
   PARAMS;
   struct lgeom g;
   if (local_geometry(&g, input, weight, p) || check_bias(&g, bias, "bias") || nl_check_same_dtype(g.fn, output, input))
      return -1;
   int nt = nl_conv_threads(g.N), rc;
   if (resize_img(output, &g, g.nOut, g.oH, g.oW) || resize_rows(rows, &g, nt)) return -1;
   NL_DEVICE_CALL(g.fn, spatial_conv_local_forward, (output, rows, input, weight, bias), output, rows, input, weight,
                  bias, nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH);
   nl_tensor tmp;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct lrun c = {.g = &g, .out = nl_ptr(output), .rows = nl_ptr(rows), .in = nl_ptr(in), .wt = nl_ptr(weight),
                       .bias = bias ? nl_ptr(bias) : NULL, .osz = g.nOut * g.L * g.es,
                       .isz = g.nIn * g.H * g.W * g.es, .rsz = g.L * g.K * g.es};
      nl_conv_batch(nt, g.N, forward_image, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_spatial_conv_local_backward(nl_tensor *gradInput, nl_tensor *rows, const nl_tensor *input,
                                          const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                          int iW, int iH, int kW, int kH, int dW, int dH, int padW, int padH) {
   PARAMS;
   struct lgeom g;
   if (local_geometry(&g, input, weight, p) || check_grad_output(&g, gradOutput) ||
       nl_check_same_dtype(g.fn, gradInput, input))
      return -1;
   int nt = nl_conv_threads(g.N), rc;
   if (resize_img(gradInput, &g, g.nIn, g.H, g.W) || resize_rows(rows, &g, nt)) return -1;
   NL_DEVICE_CALL(g.fn, spatial_conv_local_backward, (gradInput, rows, input, gradOutput, weight), gradInput, rows,
                  input, gradOutput, weight, nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH);
   nl_tensor tmp;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      struct lrun c = {.g = &g, .out = nl_ptr(gradInput), .rows = nl_ptr(rows), .in = nl_ptr(go),
                       .wt = nl_ptr(weight), .osz = g.nIn * g.H * g.W * g.es, .isz = g.nOut * g.L * g.es,
                       .rsz = g.L * g.K * g.es};
      nl_conv_batch(nt, g.N, backward_image, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_spatial_conv_local_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *rows,
                                          const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut,
                                          int iW, int iH, int kW, int kH, int dW, int dH, int padW, int padH,
                                          double scale) {
   PARAMS;
   struct lgeom g;
   if (local_geometry(&g, input, gradWeight, p) || check_grad_output(&g, gradOutput) ||
       check_bias(&g, gradBias, "gradBias") || resize_rows(rows, &g, 1))
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_conv_local_acc_grad, (gradWeight, gradBias, rows, input, gradOutput), gradWeight,
                  gradBias, rows, input, gradOutput, nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH, scale);
   int rc, rc2;
   nl_tensor t1, t2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   int64_t isz = g.nIn * g.H * g.W * g.es, osz = g.nOut * g.L * g.es;
   const char *ip = rc ? NULL : nl_ptr(in), *gop = rc ? NULL : nl_ptr(go);
   char *gwp = nl_ptr(gradWeight), *r = nl_ptr(rows);
   int nth = nl_omp_in_parallel() ? 1 : nl_threads();
   for (int64_t n = 0; !rc && scale != 0 && n < g.N; n++) {
      const char *o = gop + n * osz;
      lkern[g.dt].im2rows(r, ip + n * isz, &g);
#pragma omp parallel for num_threads(nth) if (nth > 1 && g.L > 1) schedule(static)
      for (int64_t l = 0; l < g.L; l++)
         ger(g.dt, &g, scale, o + l * g.es, r + l * g.K * g.es, gwp + l * g.nOut * g.K * g.es);
      if (gradBias) lkern[g.dt].axpy(nl_ptr(gradBias), o, g.nOut * g.L, scale);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc ? -1 : 0;
}

/* conv_spatial.c: SpatialConvolution(MM) forward, backward and parameter
 * gradients by im2col + GEMM (OpenBLAS). A batch runs one image per
 * OpenMP thread with single-threaded GEMMs inside (OpenBLAS's OpenMP
 * build does that within a parallel region); the column buffer (finput)
 * is kept from forward so the weight gradient is one GEMM per image. */
#include "../apply.h"
#include <cblas.h>
#include <omp.h>
#include <string.h>

/* columns: (nIn*kH*kW, oH*oW); row (c, i, j), column (y, x) */
#define IM2COL(T) \
   static void im2col_##T(T *col, const T *in, int64_t nIn, int64_t H, int64_t W, int64_t oH, int64_t oW, int kW, \
                          int kH, int dW, int dH, int padW, int padH) { \
      for (int64_t c = 0; c < nIn; c++) \
         for (int i = 0; i < kH; i++) \
            for (int j = 0; j < kW; j++) { \
               T *row = col + ((c * kH + i) * kW + j) * oH * oW; \
               for (int64_t y = 0; y < oH; y++) { \
                  int64_t iy = y * dH - padH + i; \
                  T *r = row + y * oW; \
                  if (iy < 0 || iy >= H) { memset(r, 0, sizeof(T) * oW); continue; } \
                  const T *src = in + (c * H + iy) * W; \
                  for (int64_t x = 0; x < oW; x++) { \
                     int64_t ix = x * dW - padW + j; \
                     r[x] = (ix >= 0 && ix < W) ? src[ix] : 0; \
                  } \
               } \
            } \
   } \
   static void col2im_##T(T *in, const T *col, int64_t nIn, int64_t H, int64_t W, int64_t oH, int64_t oW, int kW, \
                          int kH, int dW, int dH, int padW, int padH) { \
      memset(in, 0, sizeof(T) * nIn * H * W); \
      for (int64_t c = 0; c < nIn; c++) \
         for (int i = 0; i < kH; i++) \
            for (int j = 0; j < kW; j++) { \
               const T *row = col + ((c * kH + i) * kW + j) * oH * oW; \
               for (int64_t y = 0; y < oH; y++) { \
                  int64_t iy = y * dH - padH + i; \
                  if (iy < 0 || iy >= H) continue; \
                  T *dst = in + (c * H + iy) * W; \
                  const T *r = row + y * oW; \
                  for (int64_t x = 0; x < oW; x++) { \
                     int64_t ix = x * dW - padW + j; \
                     if (ix >= 0 && ix < W) dst[ix] += r[x]; \
                  } \
               } \
            } \
   }
IM2COL(float)
IM2COL(double)

static void gemm_f(int ta, int tb, int m, int n, int k, double alpha, const void *a, int lda, const void *b, int ldb,
                   double beta, void *c, int ldc, int dtype) {
   if (dtype == NL_FLOAT)
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, (float)alpha,
                  a, lda, b, ldb, (float)beta, c, ldc);
   else
      cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda,
                  b, ldb, beta, c, ldc);
}

struct geom { int64_t N, nIn, H, W, nOut, oH, oW, K; int batch; };

static int conv_geometry(const char *fn, struct geom *g, const nl_tensor *input, const nl_tensor *weight, int kW, int kH,
                         int dW, int dH, int padW, int padH) {
   char s[NL_SHAPE_BUF];
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (nl_check_same_dtype(fn, input, weight)) return -1;
   if (input->_ndim != 3 && input->_ndim != 4)
      return nl_errorf("%s: expected a 3D (nInputPlane x H x W) or 4D (batch x nInputPlane x H x W) input, got %s", fn,
                       nl_shape_str(s, sizeof s, input));
   if (kW < 1 || kH < 1 || dW < 1 || dH < 1 || padW < 0 || padH < 0)
      return nl_errorf("%s: kernel and stride must be positive, padding non-negative", fn);
   g->batch = input->_ndim == 4;
   g->N = g->batch ? input->_size[0] : 1;
   g->nIn = input->_size[g->batch];
   g->H = input->_size[g->batch + 1];
   g->W = input->_size[g->batch + 2];
   g->nOut = weight->_size[0];
   g->K = g->nIn * kH * kW;
   if (nl_numel(weight) != g->nOut * g->K)
      return nl_errorf("%s: input has %lld planes, expected %lld", fn, (long long)g->nIn,
                       (long long)(nl_numel(weight) / g->nOut / kH / kW));
   g->oH = (g->H + 2 * padH - kH) / dH + 1;
   g->oW = (g->W + 2 * padW - kW) / dW + 1;
   if (g->H + 2 * padH < kH || g->W + 2 * padW < kW || g->oH < 1 || g->oW < 1)
      return nl_errorf("%s: input image %lldx%lld (padded %lldx%lld) is smaller than the %dx%d kernel", fn,
                       (long long)g->H, (long long)g->W, (long long)(g->H + 2 * padH), (long long)(g->W + 2 * padW), kH, kW);
   return 0;
}

NL_API int nl_spatial_conv_forward(nl_tensor *output, nl_tensor *finput, const nl_tensor *input, const nl_tensor *weight,
                                   const nl_tensor *bias, int kW, int kH, int dW, int dH, int padW, int padH) {
   const char *fn = "SpatialConvolution";
   struct geom g;
   if (conv_geometry(fn, &g, input, weight, kW, kH, dW, dH, padW, padH)) return -1;
   if (!nl_tensor_is_contiguous(weight)) return nl_errorf("%s: the weight must be contiguous", fn);
   if (bias && (nl_check_same_dtype(fn, bias, input) || nl_numel(bias) != g.nOut))
      return nl_errorf("%s: bias must have %lld elements", fn, (long long)g.nOut);
   nl_tensor tmp;
   nl_tensor_init(&tmp, input->_dtype, NL_CPU);
   const nl_tensor *in = input;
   if (!nl_tensor_is_contiguous(input)) {
      if (nl_tensor_resize_as(&tmp, input) || nl_copy(&tmp, input)) { nl_tensor_release(&tmp); return -1; }
      in = &tmp;
   }
   int64_t osz[4] = {g.N, g.nOut, g.oH, g.oW}, fsz[3] = {g.N, g.K, g.oH * g.oW};
   int rc = g.batch ? nl_tensor_resize(output, 4, osz) : nl_tensor_resize(output, 3, osz + 1);
   if (!rc) rc = nl_tensor_resize(finput, 3, fsz);
   if (!rc && (!nl_tensor_is_contiguous(output) || !nl_tensor_is_contiguous(finput)))
      rc = nl_errorf("%s: output buffers must be contiguous", fn);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int es = nl_dtypes[input->_dtype].size, dt = input->_dtype;
   char *ip = nl_ptr(in), *op = nl_ptr(output), *fp = nl_ptr(finput);
   const char *wp = nl_ptr(weight), *bp = bias ? nl_ptr(bias) : NULL;
   int64_t oHW = g.oH * g.oW;
   int nth = nl_threads();
   /* several images at once with single-threaded GEMMs, or one image with
    * a threaded GEMM */
#pragma omp parallel for if (g.N > 1 && nth > 1) num_threads(nth) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *col = fp + n * g.K * oHW * es, *out = op + n * g.nOut * oHW * es;
      const char *img = ip + n * g.nIn * g.H * g.W * es;
      if (dt == NL_FLOAT) im2col_float((float *)col, (const float *)img, g.nIn, g.H, g.W, g.oH, g.oW, kW, kH, dW, dH, padW, padH);
      else im2col_double((double *)col, (const double *)img, g.nIn, g.H, g.W, g.oH, g.oW, kW, kH, dW, dH, padW, padH);
      for (int64_t o = 0; o < g.nOut; o++) {
         if (dt == NL_FLOAT) {
            float v = bp ? ((const float *)bp)[o * bias->_stride[0]] : 0, *r = (float *)out + o * oHW;
            for (int64_t i = 0; i < oHW; i++) r[i] = v;
         } else {
            double v = bp ? ((const double *)bp)[o * bias->_stride[0]] : 0, *r = (double *)out + o * oHW;
            for (int64_t i = 0; i < oHW; i++) r[i] = v;
         }
      }
      /* out (nOut, oHW) += weight (nOut, K) x col (K, oHW) */
      gemm_f(0, 0, (int)g.nOut, (int)oHW, (int)g.K, 1, wp, (int)g.K, col, (int)oHW, 1, out, (int)oHW, dt);
   }
   nl_tensor_release(&tmp);
   return 0;
}

NL_API int nl_spatial_conv_backward(nl_tensor *gradInput, nl_tensor *fgradInput, const nl_tensor *input,
                                    const nl_tensor *gradOutput, const nl_tensor *weight, int kW, int kH, int dW, int dH,
                                    int padW, int padH) {
   const char *fn = "SpatialConvolution";
   struct geom g;
   if (conv_geometry(fn, &g, input, weight, kW, kH, dW, dH, padW, padH)) return -1;
   if (nl_check_same_dtype(fn, gradOutput, input)) return -1;
   if (nl_numel(gradOutput) != g.N * g.nOut * g.oH * g.oW) {
      char a[NL_SHAPE_BUF];
      return nl_errorf("%s: gradOutput has size %s, expected %lldx%lldx%lld per image", fn,
                       nl_shape_str(a, sizeof a, gradOutput), (long long)g.nOut, (long long)g.oH, (long long)g.oW);
   }
   nl_tensor tmp;
   nl_tensor_init(&tmp, input->_dtype, NL_CPU);
   const nl_tensor *go = gradOutput;
   if (!nl_tensor_is_contiguous(gradOutput)) {
      if (nl_tensor_resize_as(&tmp, gradOutput) || nl_copy(&tmp, gradOutput)) { nl_tensor_release(&tmp); return -1; }
      go = &tmp;
   }
   int nth = nl_threads();
   int64_t oHW = g.oH * g.oW, fsz[3] = {nth, g.K, oHW};
   int rc = nl_tensor_resize_as(gradInput, input);
   if (!rc) rc = nl_tensor_resize(fgradInput, 3, fsz);
   if (!rc && (!nl_tensor_is_contiguous(gradInput) || !nl_tensor_is_contiguous(fgradInput)))
      rc = nl_errorf("%s: gradInput buffers must be contiguous", fn);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int es = nl_dtypes[input->_dtype].size, dt = input->_dtype;
   char *gip = nl_ptr(gradInput), *fgp = nl_ptr(fgradInput);
   const char *gop = nl_ptr(go), *wp = nl_ptr(weight);
#pragma omp parallel for if (g.N > 1 && nth > 1) num_threads(nth) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *col = fgp + (int64_t)omp_get_thread_num() * g.K * oHW * es;
      /* col (K, oHW) = weight^T (K, nOut) x gradOutput (nOut, oHW) */
      gemm_f(1, 0, (int)g.K, (int)oHW, (int)g.nOut, 1, wp, (int)g.K, gop + n * g.nOut * oHW * es, (int)oHW, 0, col,
             (int)oHW, dt);
      char *gi = gip + n * g.nIn * g.H * g.W * es;
      if (dt == NL_FLOAT) col2im_float((float *)gi, (const float *)col, g.nIn, g.H, g.W, g.oH, g.oW, kW, kH, dW, dH, padW, padH);
      else col2im_double((double *)gi, (const double *)col, g.nIn, g.H, g.W, g.oH, g.oW, kW, kH, dW, dH, padW, padH);
   }
   nl_tensor_release(&tmp);
   return 0;
}

NL_API int nl_spatial_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, const nl_tensor *finput,
                                    const nl_tensor *gradOutput, double scale) {
   const char *fn = "SpatialConvolution";
   if (nl_check_same_dtype(fn, gradWeight, finput) || nl_check_same_dtype(fn, gradOutput, finput)) return -1;
   if (finput->_ndim != 3) return nl_errorf("%s: accGradParameters called before forward", fn);
   int64_t N = finput->_size[0], K = finput->_size[1], oHW = finput->_size[2];
   int64_t nOut = nl_numel(gradWeight) / K;
   if (nl_numel(gradWeight) != nOut * K || nl_numel(gradOutput) != N * nOut * oHW)
      return nl_errorf("%s: gradOutput does not match the last forward's geometry", fn);
   if (!nl_tensor_is_contiguous(gradWeight)) return nl_errorf("%s: gradWeight must be contiguous", fn);
   nl_tensor tmp;
   nl_tensor_init(&tmp, finput->_dtype, NL_CPU);
   const nl_tensor *go = gradOutput;
   if (!nl_tensor_is_contiguous(gradOutput)) {
      if (nl_tensor_resize_as(&tmp, gradOutput) || nl_copy(&tmp, gradOutput)) { nl_tensor_release(&tmp); return -1; }
      go = &tmp;
   }
   int es = nl_dtypes[finput->_dtype].size, dt = finput->_dtype;
   const char *fp = nl_ptr(finput), *gop = nl_ptr(go);
   for (int64_t n = 0; n < N; n++)
      /* gradWeight (nOut, K) += scale * gradOutput (nOut, oHW) x finput^T (oHW, K) */
      gemm_f(0, 1, (int)nOut, (int)K, (int)oHW, scale, gop + n * nOut * oHW * es, (int)oHW, fp + n * K * oHW * es,
             (int)oHW, 1, nl_ptr(gradWeight), (int)K, dt);
   if (gradBias) {
      for (int64_t o = 0; o < nOut; o++) {
         double acc = 0;
         for (int64_t n = 0; n < N; n++) {
            if (dt == NL_FLOAT) {
               const float *r = (const float *)gop + (n * nOut + o) * oHW;
               for (int64_t i = 0; i < oHW; i++) acc += r[i];
            } else {
               const double *r = (const double *)gop + (n * nOut + o) * oHW;
               for (int64_t i = 0; i < oHW; i++) acc += r[i];
            }
         }
         int64_t off = o * gradBias->_stride[0];
         if (dt == NL_FLOAT) ((float *)nl_ptr(gradBias))[off] += (float)(scale * acc);
         else ((double *)nl_ptr(gradBias))[off] += scale * acc;
      }
   }
   nl_tensor_release(&tmp);
   return 0;
}

/* nn_common.h: helpers the nn kernel families share (convolutions,
 * pooling, normalisation): a contiguous view or copy, a row-major GEMM on
 * float or double, the valid output range of a strided tap, and the bias
 * loops of the im2col convolutions. */
#ifndef NL_NN_COMMON_H
#define NL_NN_COMMON_H
#include "../apply.h"
#include <cblas.h>

/* A contiguous version of t: t itself, or a copy in tmp (released by the
 * caller with nl_tensor_release, in both cases). *rc: 0 or -1. */
static inline const nl_tensor *nl_nn_contig(const nl_tensor *t, nl_tensor *tmp, int *rc) {
   nl_tensor_init(tmp, t->_dtype, t->_device);
   *rc = 0;
   if (nl_tensor_is_contiguous(t)) return t;
   *rc = nl_tensor_resize_as(tmp, t) || nl_copy(tmp, t);
   return tmp;
}

/* row-major C (m, n) = alpha * op(A) (m, k) x op(B) (k, n) + beta * C */
static inline void nl_nn_gemm(int dt, int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha, const void *a,
                              int64_t lda, const void *b, int64_t ldb, double beta, void *c, int64_t ldc) {
   if (dt == NL_FLOAT)
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                  (float)alpha, a, (int)lda, b, (int)ldb, (float)beta, c, (int)ldc);
   else
      cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                  alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
}

/* first and one-past-last grid position x (of g) whose tap x*d + off lies
 * in [0, n) */
static inline void nl_nn_valid_range(int64_t off, int d, int64_t n, int64_t g, int64_t *x0, int64_t *x1) {
   int64_t a = off >= 0 ? 0 : (-off + d - 1) / d;
   int64_t b = n - off <= 0 ? 0 : (n - off - 1) / d + 1;
   if (b > g) b = g;
   if (a > b) a = b;
   *x0 = a;
   *x1 = b;
}

/* out (nOut, S) += bias (stride bs) broadcast along S */
#define NL_NN_BIAS(T) \
   static inline void nl_nn_add_bias_##T(T *out, const T *b, int64_t bs, int64_t nOut, int64_t S) { \
      for (int64_t o = 0; o < nOut; o++) { \
         T v = b[o * bs], *r = out + o * S; \
         for (int64_t i = 0; i < S; i++) r[i] += v; \
      } \
   } \
   /* gb[o] (stride gbs) += scale * sum over n, i of go (N, nOut, S) */ \
   static inline void nl_nn_grad_bias_##T(T *gb, int64_t gbs, const T *go, int64_t N, int64_t nOut, int64_t S, \
                                          double scale) { \
      for (int64_t o = 0; o < nOut; o++) { \
         double acc = 0; \
         for (int64_t n = 0; n < N; n++) { \
            const T *r = go + (n * nOut + o) * S; \
            T s = 0; \
            for (int64_t i = 0; i < S; i++) s += r[i]; \
            acc += s; \
         } \
         gb[o * gbs] += (T)(scale * acc); \
      } \
   }
NL_NN_BIAS(float)
NL_NN_BIAS(double)
#undef NL_NN_BIAS

#endif

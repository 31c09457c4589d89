/* nn_common.h: helpers the nn kernel families share (convolutions,
 * pooling, normalisation): a contiguous view or copy, a row-major GEMM on
 * float or double, the valid output range of a strided tap. The
 * convolution driver built on them is conv_driver.h. */
#ifndef NL_NN_COMMON_H
#define NL_NN_COMMON_H
#include "../apply.h"
#include <cblas.h>

/* token pasting for the per-dtype names of *_impl.h files:
 * #define FN(name) NL_NN_CAT(name, SUF) */
#define NL_NN_CAT_(a, b) a##b
#define NL_NN_CAT(a, b) NL_NN_CAT_(a, b)

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
   switch (dt) {
   case NL_FLOAT:
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                  (float)alpha, a, (int)lda, b, (int)ldb, (float)beta, c, (int)ldc);
      break;
   default:
      cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                  alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
      break;
   }
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

#endif

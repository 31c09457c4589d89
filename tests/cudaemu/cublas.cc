// cublas.cc: the emulator's cuBLAS (include/cublas_v2.h) over CBLAS. The
// checks are cuBLAS's: sizes and leading dimensions (CUBLAS_STATUS_INVALID_
// VALUE, not a message from BLAS's xerbla), a handle from cublasCreate, and
// matrices and vectors in device memory.
#include "cublas_v2.h"
#include <cblas.h>
#include <stdlib.h>


struct nl_emu_cublas {
   cudaStream_t stream;
   cublasPointerMode_t mode;
};

cublasStatus_t cublasCreate(cublasHandle_t *h) {
   *h = new nl_emu_cublas{nullptr, CUBLAS_POINTER_MODE_HOST};
   return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasDestroy(cublasHandle_t h) {
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   delete h;
   return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasSetStream(cublasHandle_t h, cudaStream_t s) {
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   h->stream = s;
   return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasGetStream(cublasHandle_t h, cudaStream_t *s) {
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   *s = h->stream;
   return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasSetMathMode(cublasHandle_t h, cublasMath_t) {
   return h ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_NOT_INITIALIZED;
}
cublasStatus_t cublasSetPointerMode(cublasHandle_t h, cublasPointerMode_t m) {
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   h->mode = m;
   return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasGetPointerMode(cublasHandle_t h, cublasPointerMode_t *m) {
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   *m = h->mode;
   return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasSetWorkspace(cublasHandle_t h, void *, size_t) {
   return h ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_NOT_INITIALIZED;
}
const char *cublasGetStatusName(cublasStatus_t s) {
   switch (s) {
   case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
   case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
   case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
   case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
   case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
   case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
   case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
   case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
   case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
   case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
   }
   return "CUBLAS_STATUS_UNKNOWN";
}
const char *cublasGetStatusString(cublasStatus_t s) { return cublasGetStatusName(s); }

namespace {

const char *verbose = getenv("NNLUA_CUDAEMU_VERBOSE");
cublasStatus_t invalid(const char *fn, const char *what) {
   if (verbose) fprintf(stderr, "cudaemu: %s: %s\n", fn, what);
   return CUBLAS_STATUS_INVALID_VALUE;
}
bool dev(const void *p) { return nl_emu::is_device_pointer(p); }
CBLAS_TRANSPOSE tr(cublasOperation_t t) { return t == CUBLAS_OP_N ? CblasNoTrans : CblasTrans; }
bool op_ok(cublasOperation_t t) { return t == CUBLAS_OP_N || t == CUBLAS_OP_T || t == CUBLAS_OP_C; }
int imax(int a, int b) { return a > b ? a : b; }

cublasStatus_t check_gemm(const char *fn, cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
                          int k, int lda, int ldb, int ldc) {
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   if (!op_ok(ta) || !op_ok(tb)) return invalid(fn, "bad operation");
   if (m < 0 || n < 0 || k < 0) return invalid(fn, "negative size");
   if (lda < imax(1, ta == CUBLAS_OP_N ? m : k)) return invalid(fn, "lda too small");
   if (ldb < imax(1, tb == CUBLAS_OP_N ? k : n)) return invalid(fn, "ldb too small");
   if (ldc < imax(1, m)) return invalid(fn, "ldc too small");
   return CUBLAS_STATUS_SUCCESS;
}

// the BLAS calls of one element type
template <class T> struct Blas;
template <> struct Blas<float> {
   static void gemm(CBLAS_TRANSPOSE a, CBLAS_TRANSPOSE b, int m, int n, int k, float al, const float *A, int lda,
                    const float *B, int ldb, float be, float *C, int ldc) {
      cblas_sgemm(CblasColMajor, a, b, m, n, k, al, A, lda, B, ldb, be, C, ldc);
   }
   static void gemv(CBLAS_TRANSPOSE t, int m, int n, float al, const float *A, int lda, const float *x, int ix,
                    float be, float *y, int iy) {
      cblas_sgemv(CblasColMajor, t, m, n, al, A, lda, x, ix, be, y, iy);
   }
   static void ger(int m, int n, float al, const float *x, int ix, const float *y, int iy, float *A, int lda) {
      cblas_sger(CblasColMajor, m, n, al, x, ix, y, iy, A, lda);
   }
   static float dot(int n, const float *x, int ix, const float *y, int iy) { return cblas_sdot(n, x, ix, y, iy); }
   static void axpy(int n, float a, const float *x, int ix, float *y, int iy) { cblas_saxpy(n, a, x, ix, y, iy); }
   static void scal(int n, float a, float *x, int ix) { cblas_sscal(n, a, x, ix); }
   static void copy(int n, const float *x, int ix, float *y, int iy) { cblas_scopy(n, x, ix, y, iy); }
   static float nrm2(int n, const float *x, int ix) { return cblas_snrm2(n, x, ix); }
   static float asum(int n, const float *x, int ix) { return cblas_sasum(n, x, ix); }
};
template <> struct Blas<double> {
   static void gemm(CBLAS_TRANSPOSE a, CBLAS_TRANSPOSE b, int m, int n, int k, double al, const double *A, int lda,
                    const double *B, int ldb, double be, double *C, int ldc) {
      cblas_dgemm(CblasColMajor, a, b, m, n, k, al, A, lda, B, ldb, be, C, ldc);
   }
   static void gemv(CBLAS_TRANSPOSE t, int m, int n, double al, const double *A, int lda, const double *x, int ix,
                    double be, double *y, int iy) {
      cblas_dgemv(CblasColMajor, t, m, n, al, A, lda, x, ix, be, y, iy);
   }
   static void ger(int m, int n, double al, const double *x, int ix, const double *y, int iy, double *A, int lda) {
      cblas_dger(CblasColMajor, m, n, al, x, ix, y, iy, A, lda);
   }
   static double dot(int n, const double *x, int ix, const double *y, int iy) { return cblas_ddot(n, x, ix, y, iy); }
   static void axpy(int n, double a, const double *x, int ix, double *y, int iy) { cblas_daxpy(n, a, x, ix, y, iy); }
   static void scal(int n, double a, double *x, int ix) { cblas_dscal(n, a, x, ix); }
   static void copy(int n, const double *x, int ix, double *y, int iy) { cblas_dcopy(n, x, ix, y, iy); }
   static double nrm2(int n, const double *x, int ix) { return cblas_dnrm2(n, x, ix); }
   static double asum(int n, const double *x, int ix) { return cblas_dasum(n, x, ix); }
};

// a scalar argument: a host pointer, or device memory in device mode
template <class T> bool scalar_ok(cublasHandle_t h, const T *p) {
   return p && (h->mode == CUBLAS_POINTER_MODE_HOST || dev(p));
}

template <class T>
cublasStatus_t gemm(const char *fn, cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                    const T *alpha, const T *A, int lda, const T *B, int ldb, const T *beta, T *C, int ldc) {
   nl_emu::Open open_;
   cublasStatus_t st = check_gemm(fn, h, ta, tb, m, n, k, lda, ldb, ldc);
   if (st) return st;
   if (!scalar_ok(h, alpha) || !scalar_ok(h, beta)) return invalid(fn, "alpha or beta");
   if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
   if (!dev(C) || (k > 0 && (!dev(A) || !dev(B)))) return invalid(fn, "a matrix is not device memory");
   Blas<T>::gemm(tr(ta), tr(tb), m, n, k, *alpha, A, lda, B, ldb, *beta, C, ldc);
   return CUBLAS_STATUS_SUCCESS;
}

template <class T>
cublasStatus_t gemm_strided(const char *fn, cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
                            int k, const T *alpha, const T *A, int lda, long long sa, const T *B, int ldb,
                            long long sb, const T *beta, T *C, int ldc, long long sc, int batch) {
   cublasStatus_t st = check_gemm(fn, h, ta, tb, m, n, k, lda, ldb, ldc);
   if (st) return st;
   if (batch < 0) return invalid(fn, "negative batch count");
   for (int i = 0; i < batch; i++)
      if ((st = gemm(fn, h, ta, tb, m, n, k, alpha, A + i * sa, lda, B + i * sb, ldb, beta, C + i * sc, ldc)))
         return st;
   return CUBLAS_STATUS_SUCCESS;
}

template <class T>
cublasStatus_t gemm_batched(const char *fn, cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
                            int k, const T *alpha, const T *const A[], int lda, const T *const B[], int ldb,
                            const T *beta, T *const C[], int ldc, int batch) {
   nl_emu::Open open_;
   cublasStatus_t st = check_gemm(fn, h, ta, tb, m, n, k, lda, ldb, ldc);
   if (st) return st;
   if (batch < 0) return invalid(fn, "negative batch count");
   if (batch > 0 && (!dev(A) || !dev(B) || !dev(C))) return invalid(fn, "the pointer arrays are not device memory");
   for (int i = 0; i < batch; i++)
      if ((st = gemm(fn, h, ta, tb, m, n, k, alpha, A[i], lda, B[i], ldb, beta, C[i], ldc))) return st;
   return CUBLAS_STATUS_SUCCESS;
}

template <class T>
cublasStatus_t gemv(const char *fn, cublasHandle_t h, cublasOperation_t t, int m, int n, const T *alpha, const T *A,
                    int lda, const T *x, int incx, const T *beta, T *y, int incy) {
   nl_emu::Open open_;
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   if (!op_ok(t) || m < 0 || n < 0 || lda < imax(1, m) || incx == 0 || incy == 0) return invalid(fn, "arguments");
   if (!scalar_ok(h, alpha) || !scalar_ok(h, beta)) return invalid(fn, "alpha or beta");
   if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
   if (!dev(A) || !dev(x) || !dev(y)) return invalid(fn, "not device memory");
   Blas<T>::gemv(tr(t), m, n, *alpha, A, lda, x, incx, *beta, y, incy);
   return CUBLAS_STATUS_SUCCESS;
}

template <class T>
cublasStatus_t ger(const char *fn, cublasHandle_t h, int m, int n, const T *alpha, const T *x, int incx, const T *y,
                   int incy, T *A, int lda) {
   nl_emu::Open open_;
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   if (m < 0 || n < 0 || lda < imax(1, m) || incx == 0 || incy == 0) return invalid(fn, "arguments");
   if (!scalar_ok(h, alpha)) return invalid(fn, "alpha");
   if (m == 0 || n == 0) return CUBLAS_STATUS_SUCCESS;
   if (!dev(A) || !dev(x) || !dev(y)) return invalid(fn, "not device memory");
   Blas<T>::ger(m, n, *alpha, x, incx, y, incy, A, lda);
   return CUBLAS_STATUS_SUCCESS;
}

// results of the level-1 reductions: host or device memory by the mode
template <class T> cublasStatus_t put(cublasHandle_t h, T *result, T v) {
   if (!result || (h->mode == CUBLAS_POINTER_MODE_DEVICE && !dev(result))) return CUBLAS_STATUS_INVALID_VALUE;
   *result = v;
   return CUBLAS_STATUS_SUCCESS;
}

template <class T> cublasStatus_t dot(cublasHandle_t h, int n, const T *x, int incx, const T *y, int incy, T *r) {
   nl_emu::Open open_;
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   if (n <= 0) return put(h, r, (T)0);
   if (!dev(x) || !dev(y)) return invalid("cublas<t>dot", "not device memory");
   return put(h, r, Blas<T>::dot(n, x, incx, y, incy));
}

template <class T>
cublasStatus_t geam(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, const T *alpha,
                    const T *A, int lda, const T *beta, const T *B, int ldb, T *C, int ldc) {
   nl_emu::Open open_;
   if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
   if (m < 0 || n < 0 || ldc < imax(1, m) || lda < imax(1, ta == CUBLAS_OP_N ? m : n) ||
       ldb < imax(1, tb == CUBLAS_OP_N ? m : n))
      return invalid("cublas<t>geam", "arguments");
   T a = *alpha, b = *beta;
   for (int j = 0; j < n; j++)
      for (int i = 0; i < m; i++) {
         T va = a == 0 ? 0 : a * (ta == CUBLAS_OP_N ? A[i + (long)j * lda] : A[j + (long)i * lda]);
         T vb = b == 0 ? 0 : b * (tb == CUBLAS_OP_N ? B[i + (long)j * ldb] : B[j + (long)i * ldb]);
         C[i + (long)j * ldc] = va + vb;
      }
   return CUBLAS_STATUS_SUCCESS;
}

}  // namespace

#define NL_EMU_CUBLAS_DEF(P, T)                                                                                     \
   cublasStatus_t cublas##P##gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,     \
                                  int k, const T *alpha, const T *A, int lda, const T *B, int ldb, const T *beta,    \
                                  T *C, int ldc) {                                                                 \
      return gemm("cublas" #P "gemm", h, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);                     \
   }                                                                                                               \
   cublasStatus_t cublas##P##gemmStridedBatched(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,       \
                                                int m, int n, int k, const T *alpha, const T *A, int lda,           \
                                                long long sa, const T *B, int ldb, long long sb, const T *beta,     \
                                                T *C, int ldc, long long sc, int batch) {                           \
      return gemm_strided("cublas" #P "gemmStridedBatched", h, ta, tb, m, n, k, alpha, A, lda, sa, B, ldb, sb,     \
                          beta, C, ldc, sc, batch);                                                                \
   }                                                                                                               \
   cublasStatus_t cublas##P##gemmBatched(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,       \
                                         int n, int k, const T *alpha, const T *const A[], int lda,                 \
                                         const T *const B[], int ldb, const T *beta, T *const C[], int ldc,         \
                                         int batch) {                                                              \
      return gemm_batched("cublas" #P "gemmBatched", h, ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc,     \
                          batch);                                                                                  \
   }                                                                                                               \
   cublasStatus_t cublas##P##gemv(cublasHandle_t h, cublasOperation_t t, int m, int n, const T *alpha, const T *A,  \
                                  int lda, const T *x, int incx, const T *beta, T *y, int incy) {                  \
      return gemv("cublas" #P "gemv", h, t, m, n, alpha, A, lda, x, incx, beta, y, incy);                          \
   }                                                                                                               \
   cublasStatus_t cublas##P##ger(cublasHandle_t h, int m, int n, const T *alpha, const T *x, int incx, const T *y, \
                                 int incy, T *A, int lda) {                                                        \
      return ger("cublas" #P "ger", h, m, n, alpha, x, incx, y, incy, A, lda);                                     \
   }                                                                                                               \
   cublasStatus_t cublas##P##dot(cublasHandle_t h, int n, const T *x, int incx, const T *y, int incy, T *r) {      \
      return dot(h, n, x, incx, y, incy, r);                                                                       \
   }                                                                                                               \
   cublasStatus_t cublas##P##axpy(cublasHandle_t h, int n, const T *alpha, const T *x, int incx, T *y, int incy) { \
      if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;                                                                \
      nl_emu::Open open_;                                                                                          \
      if (n > 0) Blas<T>::axpy(n, *alpha, x, incx, y, incy);                                                       \
      return CUBLAS_STATUS_SUCCESS;                                                                                \
   }                                                                                                               \
   cublasStatus_t cublas##P##scal(cublasHandle_t h, int n, const T *alpha, T *x, int incx) {                        \
      if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;                                                                \
      nl_emu::Open open_;                                                                                          \
      if (n > 0 && incx > 0) Blas<T>::scal(n, *alpha, x, incx);                                                    \
      return CUBLAS_STATUS_SUCCESS;                                                                                \
   }                                                                                                               \
   cublasStatus_t cublas##P##copy(cublasHandle_t h, int n, const T *x, int incx, T *y, int incy) {                 \
      if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;                                                                \
      nl_emu::Open open_;                                                                                          \
      if (n > 0) Blas<T>::copy(n, x, incx, y, incy);                                                               \
      return CUBLAS_STATUS_SUCCESS;                                                                                \
   }                                                                                                               \
   cublasStatus_t cublas##P##nrm2(cublasHandle_t h, int n, const T *x, int incx, T *r) {                           \
      if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;                                                                \
      nl_emu::Open open_;                                                                                          \
      return put(h, r, n > 0 && incx > 0 ? Blas<T>::nrm2(n, x, incx) : (T)0);                                      \
   }                                                                                                               \
   cublasStatus_t cublas##P##asum(cublasHandle_t h, int n, const T *x, int incx, T *r) {                           \
      if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;                                                                \
      nl_emu::Open open_;                                                                                          \
      return put(h, r, n > 0 && incx > 0 ? Blas<T>::asum(n, x, incx) : (T)0);                                      \
   }                                                                                                               \
   cublasStatus_t cublas##P##geam(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,     \
                                  const T *alpha, const T *A, int lda, const T *beta, const T *B, int ldb, T *C,   \
                                  int ldc) {                                                                       \
      return geam(h, ta, tb, m, n, alpha, A, lda, beta, B, ldb, C, ldc);                                           \
   }
NL_EMU_CUBLAS_DEF(S, float)
NL_EMU_CUBLAS_DEF(D, double)

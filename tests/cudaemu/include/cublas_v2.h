// cublas_v2.h of the CUDA emulator: the cuBLAS calls of cuda/*.cu over the
// host's CBLAS (OpenBLAS), column-major as cuBLAS, arguments checked as
// cuBLAS checks them (tests/cudaemu/cublas.cc).
#pragma once
#include "cuda_runtime.h"

typedef enum {
   CUBLAS_STATUS_SUCCESS = 0,
   CUBLAS_STATUS_NOT_INITIALIZED = 1,
   CUBLAS_STATUS_ALLOC_FAILED = 3,
   CUBLAS_STATUS_INVALID_VALUE = 7,
   CUBLAS_STATUS_ARCH_MISMATCH = 8,
   CUBLAS_STATUS_MAPPING_ERROR = 11,
   CUBLAS_STATUS_EXECUTION_FAILED = 13,
   CUBLAS_STATUS_INTERNAL_ERROR = 14,
   CUBLAS_STATUS_NOT_SUPPORTED = 15,
   CUBLAS_STATUS_LICENSE_ERROR = 16,
} cublasStatus_t;
typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 } cublasOperation_t;
typedef enum { CUBLAS_POINTER_MODE_HOST = 0, CUBLAS_POINTER_MODE_DEVICE = 1 } cublasPointerMode_t;
typedef enum {
   CUBLAS_DEFAULT_MATH = 0,
   CUBLAS_TENSOR_OP_MATH = 1,
   CUBLAS_PEDANTIC_MATH = 2,
   CUBLAS_TF32_TENSOR_OP_MATH = 3,
} cublasMath_t;
typedef enum { CUBLAS_FILL_MODE_LOWER = 0, CUBLAS_FILL_MODE_UPPER = 1 } cublasFillMode_t;
typedef enum { CUBLAS_SIDE_LEFT = 0, CUBLAS_SIDE_RIGHT = 1 } cublasSideMode_t;
struct nl_emu_cublas;
typedef struct nl_emu_cublas *cublasHandle_t;

cublasStatus_t cublasCreate(cublasHandle_t *h);
cublasStatus_t cublasDestroy(cublasHandle_t h);
cublasStatus_t cublasSetStream(cublasHandle_t h, cudaStream_t s);
cublasStatus_t cublasGetStream(cublasHandle_t h, cudaStream_t *s);
cublasStatus_t cublasSetMathMode(cublasHandle_t h, cublasMath_t m);
cublasStatus_t cublasSetPointerMode(cublasHandle_t h, cublasPointerMode_t m);
cublasStatus_t cublasGetPointerMode(cublasHandle_t h, cublasPointerMode_t *m);
cublasStatus_t cublasSetWorkspace(cublasHandle_t h, void *w, size_t bytes);
const char *cublasGetStatusName(cublasStatus_t s);
const char *cublasGetStatusString(cublasStatus_t s);

#define NL_EMU_CUBLAS_DECL(P, T)                                                                                 \
   cublasStatus_t cublas##P##gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,  \
                                  int k, const T *alpha, const T *A, int lda, const T *B, int ldb, const T *beta, \
                                  T *C, int ldc);                                                               \
   cublasStatus_t cublas##P##gemmStridedBatched(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,    \
                                                int m, int n, int k, const T *alpha, const T *A, int lda,        \
                                                long long sa, const T *B, int ldb, long long sb, const T *beta,  \
                                                T *C, int ldc, long long sc, int batch);                         \
   cublasStatus_t cublas##P##gemmBatched(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,    \
                                         int n, int k, const T *alpha, const T *const A[], int lda,              \
                                         const T *const B[], int ldb, const T *beta, T *const C[], int ldc,      \
                                         int batch);                                                             \
   cublasStatus_t cublas##P##gemv(cublasHandle_t h, cublasOperation_t t, int m, int n, const T *alpha,         \
                                  const T *A, int lda, const T *x, int incx, const T *beta, T *y, int incy);    \
   cublasStatus_t cublas##P##ger(cublasHandle_t h, int m, int n, const T *alpha, const T *x, int incx,          \
                                 const T *y, int incy, T *A, int lda);                                          \
   cublasStatus_t cublas##P##dot(cublasHandle_t h, int n, const T *x, int incx, const T *y, int incy,           \
                                 T *result);                                                                    \
   cublasStatus_t cublas##P##axpy(cublasHandle_t h, int n, const T *alpha, const T *x, int incx, T *y,          \
                                  int incy);                                                                    \
   cublasStatus_t cublas##P##scal(cublasHandle_t h, int n, const T *alpha, T *x, int incx);                     \
   cublasStatus_t cublas##P##copy(cublasHandle_t h, int n, const T *x, int incx, T *y, int incy);               \
   cublasStatus_t cublas##P##nrm2(cublasHandle_t h, int n, const T *x, int incx, T *result);                    \
   cublasStatus_t cublas##P##asum(cublasHandle_t h, int n, const T *x, int incx, T *result);                    \
   cublasStatus_t cublas##P##geam(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n,  \
                                  const T *alpha, const T *A, int lda, const T *beta, const T *B, int ldb,      \
                                  T *C, int ldc);
NL_EMU_CUBLAS_DECL(S, float)
NL_EMU_CUBLAS_DECL(D, double)
#undef NL_EMU_CUBLAS_DECL

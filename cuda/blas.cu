// blas.cu: the CUDA backend's matrix products through cuBLAS, mirroring
// runtime/blas.c.
#include "cuda_common.h"
#include <cublas_v2.h>
#include <limits.h>
#include <stdlib.h>

// ------------------------------------------------------------------ addmm

static cublasHandle_t handle;

static int cublas_error(const char *fn, cublasStatus_t st) {
   return nl_errorf("%s: cuBLAS error %s (%d)", fn, cublasGetStatusName(st), (int)st);
}

static int need_handle(const char *fn) {
   cublasStatus_t st;
   if (!handle && (st = cublasCreate(&handle)) != CUBLAS_STATUS_SUCCESS) {
      handle = nullptr;
      return nl_errorf("%s: cannot create a cuBLAS handle (%s)", fn, cublasGetStatusName(st));
   }
   return 0;
}

// cuBLAS takes int sizes and leading dimensions: larger ones are refused
// by name rather than truncated.
static int int_limits(const char *fn, int n, const int64_t *v) {
   for (int i = 0; i < n; i++)
      if (v[i] > INT_MAX)
         return nl_errorf("%s: a size or stride of %lld exceeds cuBLAS's int limit (%d)", fn, (long long)v[i], INT_MAX);
   return 0;
}

static bool shares(const nl_tensor *x, const nl_tensor *y) { return x->_storage && x->_storage == y->_storage; }

// How a 2-D view can be handed to cuBLAS: 'N' row-major (contiguous rows),
// 'T' column-major, or 0 (needs a contiguous copy).
static char layout(const nl_tensor *t, int64_t *ld) {
   if (t->_stride[1] == 1 && t->_stride[0] >= (t->_size[1] > 1 ? t->_size[1] : 1)) { *ld = t->_stride[0]; return 'N'; }
   if (t->_stride[0] == 1 && t->_stride[1] >= (t->_size[0] > 1 ? t->_size[0] : 1)) { *ld = t->_stride[1]; return 'T'; }
   return 0;
}

static int cuda_addmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a, const nl_tensor *b) {
   const char *fn = "addmm";
   if (res->_dtype != NL_FLOAT && res->_dtype != NL_DOUBLE)
      return nl_errorf("%s: only float and double CUDA tensors are supported, got %s", fn, nl_type_name(res));
   if (need_handle(fn)) return -1;
   int64_t n = a->_size[0], k = a->_size[1], p = b->_size[1];
   int64_t size[2] = {n, p};
   // the product goes into a row-major contiguous target
   nl_tensor tgt, ta, tb;
   nl_tensor_init(&tgt, res->_dtype, NL_CUDA);
   nl_tensor_init(&ta, a->_dtype, NL_CUDA);
   nl_tensor_init(&tb, b->_dtype, NL_CUDA);
   int rc = 0;
   // a result sharing memory with a factor is built aside first
   bool alias = shares(res, a) || shares(res, b);
   bool direct = res->_ndim == 2 && res->_size[0] == n && res->_size[1] == p && nl_tensor_is_contiguous(res) && !alias;
   if (res->_ndim != 2 || res->_size[0] != n || res->_size[1] != p) {
      if (nl_tensor_resize(res, 2, size)) return -1;
      direct = nl_tensor_is_contiguous(res) && !alias;
   }
   nl_tensor *out = direct ? res : &tgt;
   if (!direct) rc = nl_tensor_resize(&tgt, 2, size);
   if (!rc && beta != 0 && out != m) rc = nl_copy(out, m);
   int64_t lda, ldb;
   char la = layout(a, &lda), lb = layout(b, &ldb);
   const nl_tensor *A = a, *B = b;
   if (!rc && !la) { rc = nl_tensor_resize_as(&ta, a) || nl_copy(&ta, a); A = &ta; la = 'N'; lda = k; }
   if (!rc && !lb) { rc = nl_tensor_resize_as(&tb, b) || nl_copy(&tb, b); B = &tb; lb = 'N'; ldb = p; }
   if (!rc) {
      int64_t dims[6] = {n, k, p, lda, ldb, p};
      rc = int_limits(fn, 6, dims);
   }
   if (!rc && n > 0 && p > 0) {
      // row-major C = A B  <=>  column-major C^T = B^T A^T
      cublasOperation_t opB = lb == 'N' ? CUBLAS_OP_N : CUBLAS_OP_T;
      cublasOperation_t opA = la == 'N' ? CUBLAS_OP_N : CUBLAS_OP_T;
      cublasStatus_t st;
      if (res->_dtype == NL_FLOAT) {
         float fa = (float)alpha, fb = (float)(beta == 0 ? 0 : beta);
         st = cublasSgemm(handle, opB, opA, (int)p, (int)n, (int)k, &fa, (const float *)nl_ptr(B), (int)ldb,
                          (const float *)nl_ptr(A), (int)lda, &fb, (float *)nl_ptr(out), (int)p);
      } else {
         double db = beta == 0 ? 0 : beta;
         st = cublasDgemm(handle, opB, opA, (int)p, (int)n, (int)k, &alpha, (const double *)nl_ptr(B), (int)ldb,
                          (const double *)nl_ptr(A), (int)lda, &db, (double *)nl_ptr(out), (int)p);
      }
      if (st != CUBLAS_STATUS_SUCCESS) rc = cublas_error(fn, st);
   }
   if (!rc && !direct) rc = nl_copy(res, &tgt);
   nl_tensor_release(&tgt);
   nl_tensor_release(&ta);
   nl_tensor_release(&tb);
   return rc;
}

static int cuda_mm(nl_tensor *res, const nl_tensor *a, const nl_tensor *b) { return cuda_addmm(res, 0, res, 1, a, b); }

// ------------------------------------------- matrix-vector products as GEMMs

// A 2-D view of vector v: a column (n, 1) or a row (1, n).
static nl_tensor as_matrix(const nl_tensor *v, bool column) {
   nl_tensor m = *v;
   int64_t n = v->_size[0], s = v->_stride[0];
   m._ndim = 2;
   if (column) {
      m._size[0] = n, m._size[1] = 1;
      m._stride[0] = s, m._stride[1] = 1;
   } else {
      m._size[0] = 1, m._size[1] = n;
      m._stride[0] = n * s, m._stride[1] = s;
   }
   return m;
}

// res: (n) = beta * m + alpha * mat: (n, k) @ vec: (k), as (n, 1) = (n, k) @ (k, 1)
static int cuda_addmv(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *mat,
                      const nl_tensor *vec) {
   nl_tensor r = as_matrix(res, true), mm = as_matrix(m, true), v = as_matrix(vec, true);
   return cuda_addmm(&r, beta, m == res ? &r : &mm, alpha, mat, &v);
}

static int cuda_mv(nl_tensor *res, const nl_tensor *mat, const nl_tensor *vec) {
   return cuda_addmv(res, 0, res, 1, mat, vec);
}

// res: (n, p) = beta * m + alpha * x: (n, 1) @ y: (1, p)
static int cuda_addr(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *x,
                     const nl_tensor *y) {
   nl_tensor xc = as_matrix(x, true), yr = as_matrix(y, false);
   return cuda_addmm(res, beta, m, alpha, &xc, &yr);
}

static int cuda_ger(nl_tensor *res, const nl_tensor *x, const nl_tensor *y) { return cuda_addr(res, 0, res, 1, x, y); }

// ------------------------------------------------------- batched products

// Matrix i of a batch (b, n, k): a 2-D view.
static nl_tensor slice0(const nl_tensor *t, int64_t i) {
   nl_tensor s = *t;
   s._offset = t->_offset + i * t->_stride[0];
   s._ndim = t->_ndim - 1;
   for (int d = 0; d < s._ndim; d++) s._size[d] = t->_size[d + 1], s._stride[d] = t->_stride[d + 1];
   return s;
}

// One cublas<t>gemmStridedBatched when res is contiguous, shares no memory
// with a or b, and each factor's matrices have a layout cuBLAS takes;
// 1 when it does not apply (the caller loops over GEMMs instead).
static int batched_gemm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                        const nl_tensor *b, const char *fn) {
   if (!nl_tensor_is_contiguous(res) || shares(res, a) || shares(res, b)) return 1;
   nl_tensor a0 = slice0(a, 0), b0 = slice0(b, 0);
   int64_t lda, ldb;
   char la = layout(&a0, &lda), lb = layout(&b0, &ldb);
   if (!la || !lb) return 1;
   int64_t B = a->_size[0], n = a->_size[1], k = a->_size[2], p = b->_size[2];
   int64_t dims[8] = {B, n, k, p, lda, ldb, a->_stride[0], b->_stride[0]};
   if (int_limits(fn, 8, dims)) return -1;
   if (need_handle(fn)) return -1;
   if (beta != 0 && m != res && nl_copy(res, m)) return -1;
   cublasOperation_t opA = la == 'N' ? CUBLAS_OP_N : CUBLAS_OP_T, opB = lb == 'N' ? CUBLAS_OP_N : CUBLAS_OP_T;
   cublasStatus_t st;
   if (res->_dtype == NL_FLOAT) {
      float fa = (float)alpha, fb = (float)beta;
      st = cublasSgemmStridedBatched(handle, opB, opA, (int)p, (int)n, (int)k, &fa, (const float *)nl_ptr(b), (int)ldb,
                                     b->_stride[0], (const float *)nl_ptr(a), (int)lda, a->_stride[0], &fb,
                                     (float *)nl_ptr(res), (int)p, n * p, (int)B);
   } else {
      st = cublasDgemmStridedBatched(handle, opB, opA, (int)p, (int)n, (int)k, &alpha, (const double *)nl_ptr(b),
                                     (int)ldb, b->_stride[0], (const double *)nl_ptr(a), (int)lda, a->_stride[0], &beta,
                                     (double *)nl_ptr(res), (int)p, n * p, (int)B);
   }
   return st == CUBLAS_STATUS_SUCCESS ? 0 : cublas_error(fn, st);
}

// res: (B, n, p) = beta * m + alpha * a[i] @ b[i]; res was resized by the
// front function (runtime/blas.c)
static int cuda_baddbmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                        const nl_tensor *b) {
   const char *fn = "baddbmm";
   if (res->_dtype != NL_FLOAT && res->_dtype != NL_DOUBLE)
      return nl_errorf("%s: only float and double CUDA tensors are supported, got %s", fn, nl_type_name(res));
   int64_t B = a->_size[0];
   if (B == 0 || res->_size[1] == 0 || res->_size[2] == 0) return 0;
   if (beta == 0) m = res;
   if (a->_size[2] > 0) {
      int rc = batched_gemm(res, beta, m, alpha, a, b, fn);
      if (rc <= 0) return rc;
   }
   for (int64_t i = 0; i < B; i++) {
      nl_tensor ri = slice0(res, i), mi = slice0(m, i), ai = slice0(a, i), bi = slice0(b, i);
      if (cuda_addmm(&ri, beta, m == res ? &ri : &mi, alpha, &ai, &bi)) return -1;
   }
   return 0;
}

static int cuda_bmm(nl_tensor *res, const nl_tensor *a, const nl_tensor *b) { return cuda_baddbmm(res, 0, res, 1, a, b); }

// res: (n, p) = beta * m + alpha * sum_i a[i] @ b[i]: the first product
// takes beta * m, the others add to res
static int cuda_addbmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                       const nl_tensor *b) {
   const char *fn = "addbmm";
   if (res->_dtype != NL_FLOAT && res->_dtype != NL_DOUBLE)
      return nl_errorf("%s: only float and double CUDA tensors are supported, got %s", fn, nl_type_name(res));
   int64_t B = a->_size[0];
   if (B == 0) {
      if (beta == 0) return nl_fill(res, 0);
      if (m != res && nl_copy(res, m)) return -1;
      return beta == 1 ? 0 : nl_unary(res, res, NL_U_MUL, beta, 0);
   }
   for (int64_t i = 0; i < B; i++) {
      nl_tensor ai = slice0(a, i), bi = slice0(b, i);
      if (cuda_addmm(res, i == 0 ? beta : 1, i == 0 ? m : res, alpha, &ai, &bi)) return -1;
   }
   return 0;
}

// *out = sum a .* b, any shapes with the same number of elements: cuBLAS
// dot over contiguous copies where needed, in chunks of int size
static int cuda_dot(double *out, const nl_tensor *a, const nl_tensor *b) {
   const char *fn = "dot";
   if (a->_dtype != NL_FLOAT && a->_dtype != NL_DOUBLE)
      return nl_errorf("%s: only float and double CUDA tensors are supported, got %s", fn, nl_type_name(a));
   *out = 0;
   int64_t n = nl_numel(a);
   if (n == 0) return 0;
   if (need_handle(fn)) return -1;
   nl_tensor ta, tb;
   nl_tensor_init(&ta, a->_dtype, NL_CUDA);
   nl_tensor_init(&tb, b->_dtype, NL_CUDA);
   int rc = 0;
   const nl_tensor *A = a, *B = b;
   if (!nl_tensor_is_contiguous(a)) { rc = nl_tensor_resize(&ta, 1, &n) || nl_copy(&ta, a); A = &ta; }
   if (!rc && !nl_tensor_is_contiguous(b)) { rc = nl_tensor_resize(&tb, 1, &n) || nl_copy(&tb, b); B = &tb; }
   const int64_t chunk = INT_MAX;
   for (int64_t i = 0; !rc && i < n; i += chunk) {
      int len = (int)(n - i < chunk ? n - i : chunk);
      cublasStatus_t st;
      if (a->_dtype == NL_FLOAT) {
         float r = 0;
         st = cublasSdot(handle, len, (const float *)nl_ptr(A) + i, 1, (const float *)nl_ptr(B) + i, 1, &r);
         *out += r;
      } else {
         double r = 0;
         st = cublasDdot(handle, len, (const double *)nl_ptr(A) + i, 1, (const double *)nl_ptr(B) + i, 1, &r);
         *out += r;
      }
      if (st != CUBLAS_STATUS_SUCCESS) rc = cublas_error(fn, st);
   }
   nl_tensor_release(&ta);
   nl_tensor_release(&tb);
   return rc;
}

extern "C" void nl_cuda_register_blas(nl_backend *b) {
   b->ops.addmm = cuda_addmm;
   b->ops.mm = cuda_mm;
   b->ops.addmv = cuda_addmv;
   b->ops.mv = cuda_mv;
   b->ops.addr = cuda_addr;
   b->ops.ger = cuda_ger;
   b->ops.baddbmm = cuda_baddbmm;
   b->ops.bmm = cuda_bmm;
   b->ops.addbmm = cuda_addbmm;
   b->ops.dot = cuda_dot;
}

// blas.cu: the CUDA backend's matrix products through cuBLAS, mirroring
// runtime/blas.c.
#include "cuda_common.h"
#include <cublas_v2.h>
#include <stdlib.h>

// ------------------------------------------------------------------ addmm

static cublasHandle_t handle;

static int cublas_error(const char *fn, cublasStatus_t st) {
   return nl_errorf("%s: cuBLAS error %d", fn, (int)st);
}

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
   if (!handle && cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS) return nl_errorf("%s: cannot create a cuBLAS handle", fn);
   int64_t n = a->_size[0], k = a->_size[1], p = b->_size[1];
   int64_t size[2] = {n, p};
   // the product goes into a row-major contiguous target
   nl_tensor tgt, ta, tb;
   nl_tensor_init(&tgt, res->_dtype, NL_CUDA);
   nl_tensor_init(&ta, a->_dtype, NL_CUDA);
   nl_tensor_init(&tb, b->_dtype, NL_CUDA);
   int rc = 0;
   bool direct = res->_ndim == 2 && res->_size[0] == n && res->_size[1] == p && nl_tensor_is_contiguous(res);
   if (res->_ndim != 2 || res->_size[0] != n || res->_size[1] != p) {
      if (nl_tensor_resize(res, 2, size)) return -1;
      direct = nl_tensor_is_contiguous(res);
   }
   nl_tensor *out = direct ? res : &tgt;
   if (!direct) rc = nl_tensor_resize(&tgt, 2, size);
   if (!rc && beta != 0 && out != m) rc = nl_copy(out, m);
   int64_t lda, ldb;
   char la = layout(a, &lda), lb = layout(b, &ldb);
   const nl_tensor *A = a, *B = b;
   if (!rc && !la) { rc = nl_tensor_resize_as(&ta, a) || nl_copy(&ta, a); A = &ta; la = 'N'; lda = k; }
   if (!rc && !lb) { rc = nl_tensor_resize_as(&tb, b) || nl_copy(&tb, b); B = &tb; lb = 'N'; ldb = p; }
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

extern "C" void nl_cuda_register_blas(nl_backend *b) {
   b->ops.addmm = cuda_addmm;
   b->ops.mm = cuda_mm;
   b->ops.addmv = cuda_addmv;
   b->ops.mv = cuda_mv;
   b->ops.addr = cuda_addr;
   b->ops.ger = cuda_ger;
}

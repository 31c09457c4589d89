/* linalg.c: Torch7's LAPACK functions on CPU float and double tensors
 * (gesv, gels, inverse, symeig, eig, svd, potrf, potrs, potri, qr).
 *
 * LAPACK is column-major. As Torch7's TH does, every input matrix is first
 * copied into a column-major scratch buffer (a contiguous (cols, ld) tensor
 * whose transpose is the matrix), so inputs may have any strides and may
 * alias the results; LAPACK then works in the buffer, and the buffer
 * becomes the result: a result tensor that already has the right size is
 * written in place, any other is made a view of the buffer, which gives
 * Torch7's column-major (stride 1, m) results.
 *
 * LAPACK is reached through its Fortran symbols, exported by OpenBLAS.
 * Character arguments carry gfortran's hidden length arguments at the end
 * (harmless to a routine that does not read them). */
#include "core.h"
#include <limits.h>
#include <math.h>
#include <string.h>

typedef int lp_int;
typedef size_t lp_len;

void sgesv_(const lp_int *n, const lp_int *nrhs, float *a, const lp_int *lda, lp_int *ipiv, float *b,
            const lp_int *ldb, lp_int *info);
void dgesv_(const lp_int *n, const lp_int *nrhs, double *a, const lp_int *lda, lp_int *ipiv, double *b,
            const lp_int *ldb, lp_int *info);
void sgels_(const char *trans, const lp_int *m, const lp_int *n, const lp_int *nrhs, float *a, const lp_int *lda,
            float *b, const lp_int *ldb, float *work, const lp_int *lwork, lp_int *info, lp_len);
void dgels_(const char *trans, const lp_int *m, const lp_int *n, const lp_int *nrhs, double *a, const lp_int *lda,
            double *b, const lp_int *ldb, double *work, const lp_int *lwork, lp_int *info, lp_len);
void sgetrf_(const lp_int *m, const lp_int *n, float *a, const lp_int *lda, lp_int *ipiv, lp_int *info);
void dgetrf_(const lp_int *m, const lp_int *n, double *a, const lp_int *lda, lp_int *ipiv, lp_int *info);
void sgetri_(const lp_int *n, float *a, const lp_int *lda, const lp_int *ipiv, float *work, const lp_int *lwork,
             lp_int *info);
void dgetri_(const lp_int *n, double *a, const lp_int *lda, const lp_int *ipiv, double *work, const lp_int *lwork,
             lp_int *info);
void ssyev_(const char *jobz, const char *uplo, const lp_int *n, float *a, const lp_int *lda, float *w, float *work,
            const lp_int *lwork, lp_int *info, lp_len, lp_len);
void dsyev_(const char *jobz, const char *uplo, const lp_int *n, double *a, const lp_int *lda, double *w,
            double *work, const lp_int *lwork, lp_int *info, lp_len, lp_len);
void sgeev_(const char *jobvl, const char *jobvr, const lp_int *n, float *a, const lp_int *lda, float *wr, float *wi,
            float *vl, const lp_int *ldvl, float *vr, const lp_int *ldvr, float *work, const lp_int *lwork,
            lp_int *info, lp_len, lp_len);
void dgeev_(const char *jobvl, const char *jobvr, const lp_int *n, double *a, const lp_int *lda, double *wr,
            double *wi, double *vl, const lp_int *ldvl, double *vr, const lp_int *ldvr, double *work,
            const lp_int *lwork, lp_int *info, lp_len, lp_len);
void sgesdd_(const char *jobz, const lp_int *m, const lp_int *n, float *a, const lp_int *lda, float *s, float *u,
             const lp_int *ldu, float *vt, const lp_int *ldvt, float *work, const lp_int *lwork, lp_int *iwork,
             lp_int *info, lp_len);
void dgesdd_(const char *jobz, const lp_int *m, const lp_int *n, double *a, const lp_int *lda, double *s, double *u,
             const lp_int *ldu, double *vt, const lp_int *ldvt, double *work, const lp_int *lwork, lp_int *iwork,
             lp_int *info, lp_len);
void spotrf_(const char *uplo, const lp_int *n, float *a, const lp_int *lda, lp_int *info, lp_len);
void dpotrf_(const char *uplo, const lp_int *n, double *a, const lp_int *lda, lp_int *info, lp_len);
void spotrs_(const char *uplo, const lp_int *n, const lp_int *nrhs, const float *a, const lp_int *lda, float *b,
             const lp_int *ldb, lp_int *info, lp_len);
void dpotrs_(const char *uplo, const lp_int *n, const lp_int *nrhs, const double *a, const lp_int *lda, double *b,
             const lp_int *ldb, lp_int *info, lp_len);
void spotri_(const char *uplo, const lp_int *n, float *a, const lp_int *lda, lp_int *info, lp_len);
void dpotri_(const char *uplo, const lp_int *n, double *a, const lp_int *lda, lp_int *info, lp_len);
void sgeqrf_(const lp_int *m, const lp_int *n, float *a, const lp_int *lda, float *tau, float *work,
             const lp_int *lwork, lp_int *info);
void dgeqrf_(const lp_int *m, const lp_int *n, double *a, const lp_int *lda, double *tau, double *work,
             const lp_int *lwork, lp_int *info);
void sorgqr_(const lp_int *m, const lp_int *n, const lp_int *k, float *a, const lp_int *lda, const float *tau,
             float *work, const lp_int *lwork, lp_int *info);
void dorgqr_(const lp_int *m, const lp_int *n, const lp_int *k, double *a, const lp_int *lda, const double *tau,
             double *work, const lp_int *lwork, lp_int *info);

/* ------------------------------------------------------------ helpers */

/* Scratch buffers are tensors, so their bytes are counted like any other;
 * a call owns up to this many and releases them all on exit. */
enum { MAX_BUFS = 8 };
typedef struct call {
   const char *fn;
   int dtype;
   int nbufs;
   nl_tensor bufs[MAX_BUFS];
   void *ints;            /* one int workspace (pivots, iwork) */
   size_t ints_bytes;
} call;

static void call_init(call *c, const char *fn, int dtype) {
   memset(c, 0, sizeof *c);
   c->fn = fn;
   c->dtype = dtype;
}

static void call_end(call *c) {
   for (int i = 0; i < c->nbufs; i++) nl_tensor_release(&c->bufs[i]);
   if (c->ints) nl_mem_free(NL_CPU, c->ints, c->ints_bytes);
   c->nbufs = 0;
   c->ints = NULL;
}

static nl_tensor *buf_new(call *c, int ndim, const int64_t *size) {
   nl_tensor *t = &c->bufs[c->nbufs++];
   nl_tensor_init(t, c->dtype, NL_CPU);
   if (nl_tensor_resize(t, ndim, size)) return NULL;
   return t;
}

/* A column-major (rows, cols) matrix with leading dimension ld >= rows:
 * storage is a contiguous (cols, ld) tensor. */
static nl_tensor *cm_new(call *c, int64_t rows, int64_t cols, int64_t ld) {
   (void)rows;
   int64_t size[2] = {cols > 0 ? cols : 1, ld > 0 ? ld : 1};
   return buf_new(c, 2, size);
}

/* The (rows, cols) matrix view of a column-major buffer (shares storage,
 * no reference taken: valid while the buffer lives). */
static nl_tensor cm_view(const nl_tensor *buf, int64_t rows, int64_t cols) {
   nl_tensor v = *buf;
   v._size[0] = rows, v._size[1] = cols;
   v._stride[0] = 1, v._stride[1] = buf->_size[1];
   return v;
}

/* A column-major copy of the (rows, cols) matrix t, leading dimension ld;
 * rows past t's are zero. */
static nl_tensor *cm_copy(call *c, const nl_tensor *t, int64_t ld) {
   int64_t rows = t->_size[0], cols = t->_ndim == 2 ? t->_size[1] : 1;
   nl_tensor *b = cm_new(c, rows, cols, ld);
   if (!b) return NULL;
   if (ld > rows && nl_zero(b)) return NULL;
   nl_tensor v = cm_view(b, rows, cols);
   nl_tensor src = *t;
   if (t->_ndim == 1) {   /* a vector is one column */
      src._ndim = 2;
      src._size[1] = 1, src._stride[1] = 1;
   }
   if (nl_copy(&v, &src)) return NULL;
   return b;
}

static void *data(const nl_tensor *t) { return nl_ptr(t); }

static int resize_same(const nl_tensor *t, int ndim, const int64_t *size) {
   if (t->_ndim != ndim) return 0;
   for (int i = 0; i < ndim; i++)
      if (t->_size[i] != size[i]) return 0;
   return 1;
}

/* res receives src (a view of a scratch buffer): written in place when res
 * already has src's size, else made a view of the buffer. */
static int emit(nl_tensor *res, const nl_tensor *src) {
   if (resize_same(res, src->_ndim, src->_size) && res->_storage != NULL) return nl_copy(res, src);
   return nl_tensor_set(res, src);
}

static int emit_cm(nl_tensor *res, const nl_tensor *buf, int64_t rows, int64_t cols) {
   nl_tensor v = cm_view(buf, rows, cols);
   return emit(res, &v);
}

static int emit_vec(nl_tensor *res, const nl_tensor *buf, int64_t n) {
   nl_tensor v = *buf;
   v._ndim = 1;
   v._size[0] = n, v._stride[0] = 1;
   for (int i = 1; i < NL_MAX_DIMS; i++) v._size[i] = 0, v._stride[i] = 0;
   return emit(res, &v);
}

static int *ints_new(call *c, int64_t n) {
   c->ints_bytes = (size_t)(n > 0 ? n : 1) * sizeof(int);
   c->ints = nl_mem_alloc(NL_CPU, c->ints_bytes);
   if (!c->ints) c->ints_bytes = 0;
   return c->ints;
}

/* A LAPACK workspace of the size a query (lwork = -1) answered in *q. */
static nl_tensor *work_new(call *c, double q, lp_int *lwork) {
   int64_t n = (int64_t)q;
   if (n < 1) n = 1;
   if (n > INT_MAX) {
      nl_errorf("%s: LAPACK asks for a workspace too large (%lld elements)", c->fn, (long long)n);
      return NULL;
   }
   *lwork = (lp_int)n;
   return buf_new(c, 1, &n);
}

static int check_input(const char *fn, const char *what, const nl_tensor *t, int allow_vector) {
   char s[NL_SHAPE_BUF];
   if (nl_check_cpu(fn, t)) return -1;
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("%s: %s should be a FloatTensor or DoubleTensor, got a %s", fn, what, nl_type_name(t));
   if (t->_ndim != 2 && !(allow_vector && t->_ndim == 1))
      return nl_errorf("%s: %s should be %s, got a %s of size %s", fn, what, allow_vector ? "1D or 2D" : "2D",
                       nl_type_name(t), nl_shape_str(s, sizeof s, t));
   for (int i = 0; i < t->_ndim; i++)
      if (t->_size[i] == 0)
         return nl_errorf("%s: %s is empty (size %s)", fn, what, nl_shape_str(s, sizeof s, t));
      else if (t->_size[i] > INT_MAX / 4)
         return nl_errorf("%s: %s of size %s is too large for LAPACK (32-bit sizes)", fn, what,
                          nl_shape_str(s, sizeof s, t));
   return 0;
}

static int check_square(const char *fn, const char *what, const nl_tensor *t) {
   if (t->_size[0] != t->_size[1]) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: %s should be square, got size %s", fn, what, nl_shape_str(s, sizeof s, t));
   }
   return 0;
}

/* Results: CPU tensors of the inputs' type (NULL: not wanted). */
static int check_results(const char *fn, const nl_tensor *a, int n, nl_tensor *const *rs) {
   for (int i = 0; i < n; i++) {
      if (!rs[i]) continue;
      if (nl_check_cpu(fn, rs[i]) || nl_check_same_dtype(fn, a, rs[i])) return -1;
   }
   return 0;
}

static int check_char(const char *fn, const char *what, int v, const char *allowed) {
   if (v <= 0 || v > 127 || !strchr(allowed, v)) {
      if (v > 31 && v < 127)
         return nl_errorf("%s: %s should be one of '%s', got '%c'", fn, what, allowed, v);
      return nl_errorf("%s: %s should be one of '%s'", fn, what, allowed);
   }
   return 0;
}

/* LAPACK does not promise to stop on NaN or Inf (some drivers loop), so
 * they are refused before the call. */
static int check_finite(const char *fn, const char *what, const nl_tensor *buf) {
   int64_t n = nl_numel(buf);
   int ok = 1;
   if (buf->_dtype == NL_FLOAT) {
      const float *p = data(buf);
      for (int64_t i = 0; i < n && ok; i++) ok = isfinite(p[i]);
   } else {
      const double *p = data(buf);
      for (int64_t i = 0; i < n && ok; i++) ok = isfinite(p[i]);
   }
   if (!ok) return nl_errorf("%s: %s contains NaN or infinite values", fn, what);
   return 0;
}

/* Sets the strict lower ('U') or upper ('L') triangle of a column-major
 * n x n buffer to zero, or (mirror) to the other triangle's values. */
static void triangle(nl_tensor *buf, int64_t n, int64_t ld, int keep_upper, int mirror) {
   for (int64_t j = 0; j < n; j++)
      for (int64_t i = 0; i < n; i++) {
         int in_other = keep_upper ? i > j : i < j;
         if (!in_other) continue;
         if (buf->_dtype == NL_FLOAT) {
            float *p = data(buf);
            p[i + j * ld] = mirror ? p[j + i * ld] : 0;
         } else {
            double *p = data(buf);
            p[i + j * ld] = mirror ? p[j + i * ld] : 0;
         }
      }
}

#define IS_F(c) ((c)->dtype == NL_FLOAT)
#define FP(t) ((float *)data(t))
#define DP(t) ((double *)data(t))

/* ---------------------------------------------------------- gesv */

NL_API int nl_gesv(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a) {
   const char *fn = "gesv";
   if (check_input(fn, "A", a, 0) || check_input(fn, "B", b, 1) || check_square(fn, "A", a)) return -1;
   if (nl_check_same_dtype(fn, a, b)) return -1;
   nl_tensor *rs[2] = {rb, ra};
   if (check_results(fn, a, 2, rs)) return -1;
   if (b->_size[0] != a->_size[0]) {
      char sa[NL_SHAPE_BUF], sb[NL_SHAPE_BUF];
      return nl_errorf("%s: size mismatch, A is %s and B is %s: expected B to have %lld rows", fn,
                       nl_shape_str(sa, sizeof sa, a), nl_shape_str(sb, sizeof sb, b), (long long)a->_size[0]);
   }
   lp_int n = (lp_int)a->_size[0], k = b->_ndim == 2 ? (lp_int)b->_size[1] : 1, info = 0;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   nl_tensor *A = cm_copy(&c, a, n), *B = A ? cm_copy(&c, b, n) : NULL;
   int *ipiv = B ? ints_new(&c, n) : NULL;
   if (!ipiv || check_finite(fn, "A", A) || check_finite(fn, "B", B)) goto done;
   if (IS_F(&c)) sgesv_(&n, &k, FP(A), &n, ipiv, FP(B), &n, &info);
   else dgesv_(&n, &k, DP(A), &n, ipiv, DP(B), &n, &info);
   if (info > 0) {
      nl_errorf("%s: the matrix is singular (U(%d,%d) is zero)", fn, info, info);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_cm(rb, B, n, k) || emit_cm(ra, A, n, n) ? -1 : 0;
done:
   call_end(&c);
   return rc;
}

/* ---------------------------------------------------------- gels */

NL_API int nl_gels(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a) {
   const char *fn = "gels";
   if (check_input(fn, "A", a, 0) || check_input(fn, "B", b, 1)) return -1;
   if (nl_check_same_dtype(fn, a, b)) return -1;
   nl_tensor *rs[2] = {rb, ra};
   if (check_results(fn, a, 2, rs)) return -1;
   if (b->_size[0] != a->_size[0]) {
      char sa[NL_SHAPE_BUF], sb[NL_SHAPE_BUF];
      return nl_errorf("%s: size mismatch, A is %s and B is %s: expected B to have %lld rows", fn,
                       nl_shape_str(sa, sizeof sa, a), nl_shape_str(sb, sizeof sb, b), (long long)a->_size[0]);
   }
   lp_int m = (lp_int)a->_size[0], n = (lp_int)a->_size[1], k = b->_ndim == 2 ? (lp_int)b->_size[1] : 1;
   lp_int ldb = m > n ? m : n, info = 0, lwork = -1;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   nl_tensor *A = cm_copy(&c, a, m), *B = A ? cm_copy(&c, b, ldb) : NULL;
   if (!B || check_finite(fn, "A", A) || check_finite(fn, "B", B)) goto done;
   double q = 0;
   if (IS_F(&c)) {
      float fq = 0;
      sgels_("N", &m, &n, &k, FP(A), &m, FP(B), &ldb, &fq, &lwork, &info, 1);
      q = fq;
   } else {
      dgels_("N", &m, &n, &k, DP(A), &m, DP(B), &ldb, &q, &lwork, &info, 1);
   }
   nl_tensor *W = work_new(&c, q, &lwork);
   if (!W) goto done;
   if (IS_F(&c)) sgels_("N", &m, &n, &k, FP(A), &m, FP(B), &ldb, FP(W), &lwork, &info, 1);
   else dgels_("N", &m, &n, &k, DP(A), &m, DP(B), &ldb, DP(W), &lwork, &info, 1);
   if (info > 0) {
      nl_errorf("%s: A does not have full rank (diagonal element %d of its triangular factor is zero)", fn, info);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_cm(rb, B, ldb, k) || emit_cm(ra, A, m, n) ? -1 : 0;
done:
   call_end(&c);
   return rc;
}

/* ------------------------------------------------------- inverse */

NL_API int nl_inverse(nl_tensor *res, const nl_tensor *a) {
   const char *fn = "inverse";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, a, 1, rs)) return -1;
   lp_int n = (lp_int)a->_size[0], info = 0, lwork = -1;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   nl_tensor *A = cm_copy(&c, a, n);
   int *ipiv = A ? ints_new(&c, n) : NULL;
   if (!ipiv || check_finite(fn, "the matrix", A)) goto done;
   if (IS_F(&c)) sgetrf_(&n, &n, FP(A), &n, ipiv, &info);
   else dgetrf_(&n, &n, DP(A), &n, ipiv, &info);
   if (info > 0) {
      nl_errorf("%s: the matrix is singular (U(%d,%d) is zero)", fn, info, info);
      goto done;
   }
   double q = 0;
   if (IS_F(&c)) {
      float fq = 0;
      sgetri_(&n, FP(A), &n, ipiv, &fq, &lwork, &info);
      q = fq;
   } else {
      dgetri_(&n, DP(A), &n, ipiv, &q, &lwork, &info);
   }
   nl_tensor *W = work_new(&c, q, &lwork);
   if (!W) goto done;
   if (IS_F(&c)) sgetri_(&n, FP(A), &n, ipiv, FP(W), &lwork, &info);
   else dgetri_(&n, DP(A), &n, ipiv, DP(W), &lwork, &info);
   if (info > 0) {
      nl_errorf("%s: the matrix is singular (U(%d,%d) is zero)", fn, info, info);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_cm(res, A, n, n);
done:
   call_end(&c);
   return rc;
}

/* -------------------------------------------------------- symeig */

NL_API int nl_symeig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobz, int uplo) {
   const char *fn = "symeig";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   if (check_char(fn, "the job", jobz, "NV") || check_char(fn, "the triangle", uplo, "UL")) return -1;
   nl_tensor *rs[2] = {re, rv};
   if (check_results(fn, a, 2, rs)) return -1;
   lp_int n = (lp_int)a->_size[0], info = 0, lwork = -1;
   char jz = (char)jobz, ul = (char)uplo;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   int64_t nn = n;
   nl_tensor *A = cm_copy(&c, a, n), *E = A ? buf_new(&c, 1, &nn) : NULL;
   if (!E || check_finite(fn, "the matrix", A)) goto done;
   double q = 0;
   if (IS_F(&c)) {
      float fq = 0;
      ssyev_(&jz, &ul, &n, FP(A), &n, FP(E), &fq, &lwork, &info, 1, 1);
      q = fq;
   } else {
      dsyev_(&jz, &ul, &n, DP(A), &n, DP(E), &q, &lwork, &info, 1, 1);
   }
   nl_tensor *W = work_new(&c, q, &lwork);
   if (!W) goto done;
   if (IS_F(&c)) ssyev_(&jz, &ul, &n, FP(A), &n, FP(E), FP(W), &lwork, &info, 1, 1);
   else dsyev_(&jz, &ul, &n, DP(A), &n, DP(E), DP(W), &lwork, &info, 1, 1);
   if (info > 0) {
      nl_errorf("%s: the algorithm failed to converge (%d off-diagonal elements did not reach zero)", fn, info);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_vec(re, E, n);
   if (!rc && jz == 'V' && rv) rc = emit_cm(rv, A, n, n);
done:
   call_end(&c);
   return rc;
}

/* ----------------------------------------------------------- eig */

NL_API int nl_eig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobvr) {
   const char *fn = "eig";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   if (check_char(fn, "the job", jobvr, "NV")) return -1;
   nl_tensor *rs[2] = {re, rv};
   if (check_results(fn, a, 2, rs)) return -1;
   lp_int n = (lp_int)a->_size[0], info = 0, lwork = -1, one = 1;
   lp_int ldvr = jobvr == 'V' ? n : 1;
   char jl = 'N', jr = (char)jobvr;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   /* e: column-major n x 2 (real parts, then imaginary parts) */
   nl_tensor *A = cm_copy(&c, a, n), *E = A ? cm_new(&c, n, 2, n) : NULL;
   nl_tensor *V = E ? cm_new(&c, ldvr, ldvr, ldvr) : NULL;
   if (!V || check_finite(fn, "the matrix", A)) goto done;
   double q = 0, dvl = 0;
   float fvl = 0;
   if (IS_F(&c)) {
      float fq = 0;
      sgeev_(&jl, &jr, &n, FP(A), &n, FP(E), FP(E) + n, &fvl, &one, FP(V), &ldvr, &fq, &lwork, &info, 1, 1);
      q = fq;
   } else {
      dgeev_(&jl, &jr, &n, DP(A), &n, DP(E), DP(E) + n, &dvl, &one, DP(V), &ldvr, &q, &lwork, &info, 1, 1);
   }
   nl_tensor *W = work_new(&c, q, &lwork);
   if (!W) goto done;
   if (IS_F(&c))
      sgeev_(&jl, &jr, &n, FP(A), &n, FP(E), FP(E) + n, &fvl, &one, FP(V), &ldvr, FP(W), &lwork, &info, 1, 1);
   else
      dgeev_(&jl, &jr, &n, DP(A), &n, DP(E), DP(E) + n, &dvl, &one, DP(V), &ldvr, DP(W), &lwork, &info, 1, 1);
   if (info > 0) {
      nl_errorf("%s: the QR algorithm failed to compute all the eigenvalues (%d did not converge)", fn, info);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_cm(re, E, n, 2);
   if (!rc && jr == 'V' && rv) rc = emit_cm(rv, V, n, n);
done:
   call_end(&c);
   return rc;
}

/* ----------------------------------------------------------- svd */

NL_API int nl_svd(nl_tensor *ru, nl_tensor *rs_, nl_tensor *rv, const nl_tensor *a, int jobu) {
   const char *fn = "svd";
   if (check_input(fn, "the matrix", a, 0)) return -1;
   if (check_char(fn, "the job", jobu, "SA")) return -1;
   nl_tensor *rs[3] = {ru, rs_, rv};
   if (check_results(fn, a, 3, rs)) return -1;
   lp_int m = (lp_int)a->_size[0], n = (lp_int)a->_size[1], k = m < n ? m : n, info = 0, lwork = -1;
   lp_int ucols = jobu == 'A' ? m : k, vtrows = jobu == 'A' ? n : k;
   char jz = (char)jobu;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   int64_t kk = k;
   nl_tensor *A = cm_copy(&c, a, m), *S = A ? buf_new(&c, 1, &kk) : NULL;
   nl_tensor *U = S ? cm_new(&c, m, ucols, m) : NULL, *VT = U ? cm_new(&c, vtrows, n, vtrows) : NULL;
   int *iwork = VT ? ints_new(&c, 8 * (int64_t)k) : NULL;
   if (!iwork || check_finite(fn, "the matrix", A)) goto done;
   double q = 0;
   if (IS_F(&c)) {
      float fq = 0;
      sgesdd_(&jz, &m, &n, FP(A), &m, FP(S), FP(U), &m, FP(VT), &vtrows, &fq, &lwork, iwork, &info, 1);
      q = fq;
   } else {
      dgesdd_(&jz, &m, &n, DP(A), &m, DP(S), DP(U), &m, DP(VT), &vtrows, &q, &lwork, iwork, &info, 1);
   }
   nl_tensor *W = work_new(&c, q, &lwork);
   if (!W) goto done;
   if (IS_F(&c)) sgesdd_(&jz, &m, &n, FP(A), &m, FP(S), FP(U), &m, FP(VT), &vtrows, FP(W), &lwork, iwork, &info, 1);
   else dgesdd_(&jz, &m, &n, DP(A), &m, DP(S), DP(U), &m, DP(VT), &vtrows, DP(W), &lwork, iwork, &info, 1);
   if (info > 0) {
      nl_errorf("%s: the algorithm failed to converge", fn);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_cm(ru, U, m, ucols) || emit_vec(rs_, S, k) ? -1 : 0;
   if (!rc) {
      /* V = VT^T: VT's column-major storage is V in row-major order */
      nl_tensor v = *VT;
      v._size[0] = n, v._size[1] = vtrows;
      v._stride[0] = vtrows, v._stride[1] = 1;
      rc = emit(rv, &v);
   }
done:
   call_end(&c);
   return rc;
}

/* ------------------------------------------------------ cholesky */

NL_API int nl_potrf(nl_tensor *res, const nl_tensor *a, int uplo) {
   const char *fn = "potrf";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   if (check_char(fn, "the triangle", uplo, "UL")) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, a, 1, rs)) return -1;
   lp_int n = (lp_int)a->_size[0], info = 0;
   char ul = (char)uplo;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   nl_tensor *A = cm_copy(&c, a, n);
   if (!A || check_finite(fn, "the matrix", A)) goto done;
   if (IS_F(&c)) spotrf_(&ul, &n, FP(A), &n, &info, 1);
   else dpotrf_(&ul, &n, DP(A), &n, &info, 1);
   if (info > 0) {
      nl_errorf("%s: the matrix is not positive definite (the leading minor of order %d is not positive)", fn,
                info);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   triangle(A, n, n, ul == 'U', 0);
   rc = emit_cm(res, A, n, n);
done:
   call_end(&c);
   return rc;
}

NL_API int nl_potrs(nl_tensor *res, const nl_tensor *b, const nl_tensor *chol, int uplo) {
   const char *fn = "potrs";
   if (check_input(fn, "the Cholesky factor", chol, 0) || check_input(fn, "B", b, 1) ||
       check_square(fn, "the Cholesky factor", chol))
      return -1;
   if (check_char(fn, "the triangle", uplo, "UL") || nl_check_same_dtype(fn, chol, b)) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, chol, 1, rs)) return -1;
   if (b->_size[0] != chol->_size[0]) {
      char sa[NL_SHAPE_BUF], sb[NL_SHAPE_BUF];
      return nl_errorf("%s: size mismatch, the factor is %s and B is %s: expected B to have %lld rows", fn,
                       nl_shape_str(sa, sizeof sa, chol), nl_shape_str(sb, sizeof sb, b),
                       (long long)chol->_size[0]);
   }
   lp_int n = (lp_int)chol->_size[0], k = b->_ndim == 2 ? (lp_int)b->_size[1] : 1, info = 0;
   char ul = (char)uplo;
   call c;
   call_init(&c, fn, chol->_dtype);
   int rc = -1;
   nl_tensor *A = cm_copy(&c, chol, n), *B = A ? cm_copy(&c, b, n) : NULL;
   if (!B || check_finite(fn, "the Cholesky factor", A) || check_finite(fn, "B", B)) goto done;
   if (IS_F(&c)) spotrs_(&ul, &n, &k, FP(A), &n, FP(B), &n, &info, 1);
   else dpotrs_(&ul, &n, &k, DP(A), &n, DP(B), &n, &info, 1);
   if (info != 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_cm(res, B, n, k);
done:
   call_end(&c);
   return rc;
}

NL_API int nl_potri(nl_tensor *res, const nl_tensor *chol, int uplo) {
   const char *fn = "potri";
   if (check_input(fn, "the Cholesky factor", chol, 0) || check_square(fn, "the Cholesky factor", chol)) return -1;
   if (check_char(fn, "the triangle", uplo, "UL")) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, chol, 1, rs)) return -1;
   lp_int n = (lp_int)chol->_size[0], info = 0;
   char ul = (char)uplo;
   call c;
   call_init(&c, fn, chol->_dtype);
   int rc = -1;
   nl_tensor *A = cm_copy(&c, chol, n);
   if (!A || check_finite(fn, "the Cholesky factor", A)) goto done;
   if (IS_F(&c)) spotri_(&ul, &n, FP(A), &n, &info, 1);
   else dpotri_(&ul, &n, DP(A), &n, &info, 1);
   if (info > 0) {
      nl_errorf("%s: the matrix is singular (element (%d,%d) of the factor is zero)", fn, info, info);
      goto done;
   }
   if (info < 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   /* LAPACK fills one triangle; the inverse is symmetric */
   triangle(A, n, n, ul == 'U', 1);
   rc = emit_cm(res, A, n, n);
done:
   call_end(&c);
   return rc;
}

/* ------------------------------------------------------------ qr */

NL_API int nl_qr(nl_tensor *rq, nl_tensor *rr, const nl_tensor *a) {
   const char *fn = "qr";
   if (check_input(fn, "the matrix", a, 0)) return -1;
   nl_tensor *rs[2] = {rq, rr};
   if (check_results(fn, a, 2, rs)) return -1;
   lp_int m = (lp_int)a->_size[0], n = (lp_int)a->_size[1], k = m < n ? m : n, info = 0, lwork = -1;
   call c;
   call_init(&c, fn, a->_dtype);
   int rc = -1;
   int64_t kk = k;
   nl_tensor *A = cm_copy(&c, a, m), *tau = A ? buf_new(&c, 1, &kk) : NULL;
   nl_tensor *R = tau ? cm_new(&c, k, n, k) : NULL;
   if (!R || check_finite(fn, "the matrix", A)) goto done;
   double q = 0;
   if (IS_F(&c)) {
      float fq = 0;
      sgeqrf_(&m, &n, FP(A), &m, FP(tau), &fq, &lwork, &info);
      q = fq;
   } else {
      dgeqrf_(&m, &n, DP(A), &m, DP(tau), &q, &lwork, &info);
   }
   nl_tensor *W = work_new(&c, q, &lwork);
   if (!W) goto done;
   if (IS_F(&c)) sgeqrf_(&m, &n, FP(A), &m, FP(tau), FP(W), &lwork, &info);
   else dgeqrf_(&m, &n, DP(A), &m, DP(tau), DP(W), &lwork, &info);
   if (info != 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   /* R: the upper triangle of the first k rows */
   {
      nl_tensor rv = cm_view(R, k, n), av = cm_view(A, m, n);
      av._size[0] = k;
      if (nl_copy(&rv, &av)) goto done;
      for (int64_t j = 0; j < k; j++)
         for (int64_t i = j + 1; i < k; i++) {
            if (IS_F(&c)) FP(R)[i + j * k] = 0;
            else DP(R)[i + j * k] = 0;
         }
   }
   lwork = -1;
   q = 0;
   if (IS_F(&c)) {
      float fq = 0;
      sorgqr_(&m, &k, &k, FP(A), &m, FP(tau), &fq, &lwork, &info);
      q = fq;
   } else {
      dorgqr_(&m, &k, &k, DP(A), &m, DP(tau), &q, &lwork, &info);
   }
   W = work_new(&c, q, &lwork);
   if (!W) goto done;
   if (IS_F(&c)) sorgqr_(&m, &k, &k, FP(A), &m, FP(tau), FP(W), &lwork, &info);
   else dorgqr_(&m, &k, &k, DP(A), &m, DP(tau), DP(W), &lwork, &info);
   if (info != 0) { nl_errorf("%s: LAPACK argument %d was invalid", fn, -info); goto done; }
   rc = emit_cm(rq, A, m, k) || emit_cm(rr, R, k, n) ? -1 : 0;
done:
   call_end(&c);
   return rc;
}

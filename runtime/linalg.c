/* linalg.c: Torch7's LAPACK functions on float and double tensors (gesv,
 * gels, inverse, symeig, eig, svd, potrf, potrs, potri, qr). Front
 * functions validate their arguments and pass the device gate
 * (backend.h); on the CPU, each is a sequence of steps over one `call`:
 * inputs copied in, LAPACK routines run (lapack(): the workspace query,
 * the workspace, the info checks), results copied out. The routines of
 * each precision are in linalg_impl.h.
 *
 * LAPACK is column-major. As Torch7's TH does, every input matrix is first
 * copied into a column-major scratch buffer (a contiguous (cols, ld) tensor
 * whose transpose is the matrix), so inputs may have any strides and may
 * alias the results; LAPACK then works in the buffer, and the buffer
 * becomes the result: a result tensor that already has the right size is
 * written in place, any other is made a view of the buffer, which gives
 * Torch7's column-major (stride 1, m) results. Buffers live on the input's
 * device (a host-memory backend runs these kernels on its own tensors).
 *
 * LAPACK is reached through its Fortran symbols, exported by OpenBLAS.
 * Character arguments carry gfortran's hidden length arguments at the end
 * (harmless to a routine that does not read them). */
#include "backend.h"
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

/* ------------------------------------------------------- one call */

/* Scratch buffers are tensors, so their bytes are counted like any other;
 * a call owns up to this many and releases them all on exit. */
enum { MAX_BUFS = 8 };
typedef struct call {
   const char *fn;
   int dtype, device;     /* the input's */
   int nbufs;
   nl_tensor bufs[MAX_BUFS];
   lp_int *ints;          /* one int workspace (pivots, iwork), host memory */
   size_t ints_bytes;
   /* the routines' arguments (which each reads: linalg_impl.h) */
   lp_int m, n, k, ld;
   char job, uplo;
   nl_tensor *A, *B, *W, *U, *V;
} call;

#define NL_CAT_(a, b) a##b
#define NL_CAT(a, b) NL_CAT_(a, b)

#define NL_IMPL "linalg_impl.h"
#include "dtype_each_float.h"

enum { GESV, GELS, GETRF, GETRI, SYEV, GEEV, GESDD, POTRF, POTRS, POTRI, GEQRF, ORGQR, N_ROUTINES };
typedef void (*routine_fn)(const call *c, void *w, const lp_int *lwork, lp_int *info);

/* One precision: its routines and helpers (float and double only;
 * check_input refuses the other dtypes). */
typedef struct precision {
   routine_fn routine[N_ROUTINES];
   double (*work_size)(const void *q);
   int (*all_finite)(const nl_tensor *buf);
   void (*triangle)(nl_tensor *buf, int64_t n, int64_t ld, int keep_upper, int mirror);
} precision;

#define SOLVERS(S) gesv_##S, gels_##S, getrf_##S, getri_##S
#define DECOMPOSITIONS(S) syev_##S, geev_##S, gesdd_##S, potrf_##S, potrs_##S, potri_##S, geqrf_##S, orgqr_##S
static const precision precisions[NL_NUM_DTYPES] = {
   [NL_FLOAT] = {{SOLVERS(Float), DECOMPOSITIONS(Float)}, work_size_Float, all_finite_Float, triangle_Float},
   [NL_DOUBLE] = {{SOLVERS(Double), DECOMPOSITIONS(Double)}, work_size_Double, all_finite_Double, triangle_Double},
};
#undef SOLVERS
#undef DECOMPOSITIONS

static void begin(call *c, const char *fn, const nl_tensor *a) {
   memset(c, 0, sizeof *c);
   c->fn = fn;
   c->dtype = a->_dtype;
   c->device = a->_device;
}

/* Releases the call's buffers; returns -1 when rc is nonzero, else 0. */
static int end(call *c, int rc) {
   for (int i = 0; i < c->nbufs; i++) nl_tensor_release(&c->bufs[i]);
   if (c->ints) nl_mem_free(NL_CPU, c->ints, c->ints_bytes);
   c->nbufs = 0;
   c->ints = NULL;
   return rc ? -1 : 0;
}

static nl_tensor *buf_new(call *c, int ndim, const int64_t *size) {
   nl_tensor *t = &c->bufs[c->nbufs++];
   nl_tensor_init(t, c->dtype, c->device);
   if (nl_tensor_resize(t, ndim, size)) return NULL;
   return t;
}

/* *b: a vector of n elements */
static int vec(call *c, nl_tensor **b, int64_t n) {
   *b = buf_new(c, 1, &n);
   return *b ? 0 : -1;
}

/* *b: a column-major (rows, cols) matrix with leading dimension ld >=
 * rows: storage is a contiguous (cols, ld) tensor. */
static int cm(call *c, nl_tensor **b, int64_t rows, int64_t cols, int64_t ld) {
   (void)rows;
   int64_t size[2] = {cols > 0 ? cols : 1, ld > 0 ? ld : 1};
   *b = buf_new(c, 2, size);
   return *b ? 0 : -1;
}

/* The (rows, cols) matrix view of a column-major buffer (shares storage,
 * no reference taken: valid while the buffer lives). */
static nl_tensor cm_view(const nl_tensor *buf, int64_t rows, int64_t cols) {
   nl_tensor v = *buf;
   v._size[0] = rows, v._size[1] = cols;
   v._stride[0] = 1, v._stride[1] = buf->_size[1];
   return v;
}

/* *b: a column-major copy of the (rows, cols) matrix or the vector t (one
 * column), leading dimension ld; rows past t's are zero. LAPACK does not
 * promise to stop on NaN or Inf (some drivers loop), so they are refused
 * here, naming the input `what`. */
static int input(call *c, nl_tensor **b, const nl_tensor *t, int64_t ld, const char *what) {
   int64_t rows = t->_size[0], cols = t->_ndim == 2 ? t->_size[1] : 1;
   if (cm(c, b, rows, cols, ld)) return -1;
   if (ld > rows && nl_zero(*b)) return -1;
   nl_tensor v = cm_view(*b, rows, cols);
   nl_tensor src = *t;
   if (t->_ndim == 1) {
      src._ndim = 2;
      src._size[1] = 1, src._stride[1] = 1;
   }
   if (nl_copy(&v, &src)) return -1;
   if (!precisions[c->dtype].all_finite(*b)) return nl_errorf("%s: %s contains NaN or infinite values", c->fn, what);
   return 0;
}

static int ints(call *c, int64_t n) {
   c->ints_bytes = (size_t)(n > 0 ? n : 1) * sizeof(lp_int);
   c->ints = nl_mem_alloc(NL_CPU, c->ints_bytes);
   if (!c->ints) c->ints_bytes = 0;
   return c->ints ? 0 : -1;
}

/* Runs routine r on the call; with a workspace (work), first asks the
 * routine for its size (the query's own info is not checked). info > 0
 * becomes the error `fail` (a format given fn, then info twice; NULL when
 * the routine reports nothing but invalid arguments). */
static int lapack(call *c, int r, int work, const char *fail) {
   const precision *pr = &precisions[c->dtype];
   lp_int info = 0, lwork = -1;
   void *w = NULL;
   if (work) {
      double q[1] = {0};
      pr->routine[r](c, q, &lwork, &info);
      int64_t n = (int64_t)pr->work_size(q);
      if (n < 1) n = 1;
      if (n > INT_MAX)
         return nl_errorf("%s: LAPACK asks for a workspace too large (%lld elements)", c->fn, (long long)n);
      lwork = (lp_int)n;
      nl_tensor *wt = buf_new(c, 1, &n);
      if (!wt) return -1;
      w = nl_ptr(wt);
   }
   info = 0;
   pr->routine[r](c, w, &lwork, &info);
   if (info > 0 && fail) return nl_errorf(fail, c->fn, info, info);
   if (info != 0) return nl_errorf("%s: LAPACK argument %d was invalid", c->fn, -info);
   return 0;
}

static int triangle(call *c, nl_tensor *buf, int64_t n, int keep_upper, int mirror) {
   precisions[c->dtype].triangle(buf, n, buf->_size[1], keep_upper, mirror);
   return 0;
}

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

/* A matrix result in Torch7's layout (TH's checkTransposed): a result
 * that already has the size and is not contiguous (a column-major result
 * of an earlier call, a view into a larger tensor) is written in place;
 * any other is resized to (cols, rows) over its own storage (grown when
 * too small) and transposed, so it ends column-major (strides 1, rows). */
static int emit_cm(nl_tensor *res, const nl_tensor *buf, int64_t rows, int64_t cols) {
   nl_tensor v = cm_view(buf, rows, cols);
   int64_t size[2] = {rows, cols};
   if (!(resize_same(res, 2, size) && res->_storage != NULL && !nl_tensor_is_contiguous(res))) {
      int64_t t[2] = {cols, rows}, stride[2] = {1, rows};
      if (nl_tensor_resize(res, 2, t) || nl_tensor_set_storage(res, res->_storage, res->_offset, 2, size, stride))
         return -1;
   }
   return nl_copy(res, &v);
}

/* A matrix result Torch7 leaves row-major (eig's eigenvalues, qr's R):
 * written in place when it has the size, else resized (contiguous). */
static int emit_rm(nl_tensor *res, const nl_tensor *buf, int64_t rows, int64_t cols) {
   nl_tensor v = cm_view(buf, rows, cols);
   int64_t size[2] = {rows, cols};
   if (!(resize_same(res, 2, size) && res->_storage != NULL) && nl_tensor_resize(res, 2, size)) return -1;
   return nl_copy(res, &v);
}

static int emit_vec(nl_tensor *res, const nl_tensor *buf, int64_t n) {
   nl_tensor v = *buf;
   v._ndim = 1;
   v._size[0] = n, v._stride[0] = 1;
   for (int i = 1; i < NL_MAX_DIMS; i++) v._size[i] = 0, v._stride[i] = 0;
   return emit(res, &v);
}

/* ----------------------------------------------------- validation */

static int check_input(const char *fn, const char *what, const nl_tensor *t, int allow_vector) {
   char s[NL_SHAPE_BUF];
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

/* Results: tensors of the input's type and device (NULL: not wanted). */
static int check_results(const char *fn, const nl_tensor *a, int n, nl_tensor *const *rs) {
   for (int i = 0; i < n; i++)
      if (rs[i] && nl_check_same_dtype(fn, a, rs[i])) return -1;
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

/* B (a right-hand side) has as many rows as the matrix a, named what */
static int check_rows(const char *fn, const char *what, const nl_tensor *a, const nl_tensor *b) {
   if (b->_size[0] != a->_size[0]) {
      char sa[NL_SHAPE_BUF], sb[NL_SHAPE_BUF];
      return nl_errorf("%s: size mismatch, %s is %s and B is %s: expected B to have %lld rows", fn, what,
                       nl_shape_str(sa, sizeof sa, a), nl_shape_str(sb, sizeof sb, b), (long long)a->_size[0]);
   }
   return 0;
}

static lp_int cols(const nl_tensor *b) { return b->_ndim == 2 ? (lp_int)b->_size[1] : 1; }

static const char *singular = "%s: the matrix is singular (U(%d,%d) is zero)";

/* -------------------------------------------------- the functions */

NL_API int nl_gesv(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a) {
   const char *fn = "gesv";
   if (check_input(fn, "A", a, 0) || check_input(fn, "B", b, 1) || check_square(fn, "A", a)) return -1;
   if (nl_check_same_dtype(fn, a, b)) return -1;
   nl_tensor *rs[2] = {rb, ra};
   if (check_results(fn, a, 2, rs) || check_rows(fn, "A", a, b)) return -1;
   NL_DEVICE_CALL(fn, gesv, (rb, ra, b, a), rb, ra, b, a);
   call c;
   begin(&c, fn, a);
   c.n = (lp_int)a->_size[0], c.k = cols(b);
   return end(&c, input(&c, &c.A, a, c.n, "A") || input(&c, &c.B, b, c.n, "B") || ints(&c, c.n) ||
                     lapack(&c, GESV, 0, singular) || emit_cm(rb, c.B, c.n, c.k) || emit_cm(ra, c.A, c.n, c.n));
}

NL_API int nl_gels(nl_tensor *rb, nl_tensor *ra, const nl_tensor *b, const nl_tensor *a) {
   const char *fn = "gels";
   if (check_input(fn, "A", a, 0) || check_input(fn, "B", b, 1)) return -1;
   if (nl_check_same_dtype(fn, a, b)) return -1;
   nl_tensor *rs[2] = {rb, ra};
   if (check_results(fn, a, 2, rs) || check_rows(fn, "A", a, b)) return -1;
   NL_DEVICE_CALL(fn, gels, (rb, ra, b, a), rb, ra, b, a);
   call c;
   begin(&c, fn, a);
   c.m = (lp_int)a->_size[0], c.n = (lp_int)a->_size[1], c.k = cols(b), c.ld = c.m > c.n ? c.m : c.n;
   return end(&c, input(&c, &c.A, a, c.m, "A") || input(&c, &c.B, b, c.ld, "B") ||
                     lapack(&c, GELS, 1,
                            "%s: A does not have full rank (diagonal element %d of its triangular factor is zero)") ||
                     emit_cm(rb, c.B, c.ld, c.k) || emit_cm(ra, c.A, c.m, c.n) ||
                     /* over-determined: the solution is the first n rows (as Torch7) */
                     (c.m > c.n && nl_tensor_narrow(rb, rb, 0, 0, c.n)));
}

NL_API int nl_inverse(nl_tensor *res, const nl_tensor *a) {
   const char *fn = "inverse";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, a, 1, rs)) return -1;
   NL_DEVICE_CALL(fn, inverse, (res, a), res, a);
   call c;
   begin(&c, fn, a);
   c.n = (lp_int)a->_size[0];
   return end(&c, input(&c, &c.A, a, c.n, "the matrix") || ints(&c, c.n) || lapack(&c, GETRF, 0, singular) ||
                     lapack(&c, GETRI, 1, singular) || emit_cm(res, c.A, c.n, c.n));
}

NL_API int nl_symeig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobz, int uplo) {
   const char *fn = "symeig";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   if (check_char(fn, "the job", jobz, "NV") || check_char(fn, "the triangle", uplo, "UL")) return -1;
   nl_tensor *rs[2] = {re, rv};
   if (check_results(fn, a, 2, rs)) return -1;
   NL_DEVICE_CALL(fn, symeig, (re, rv, a), re, rv, a, jobz, uplo);
   call c;
   begin(&c, fn, a);
   c.n = (lp_int)a->_size[0], c.job = (char)jobz, c.uplo = (char)uplo;
   return end(&c, input(&c, &c.A, a, c.n, "the matrix") || vec(&c, &c.W, c.n) ||
                     lapack(&c, SYEV, 1,
                            "%s: the algorithm failed to converge (%d off-diagonal elements did not reach zero)") ||
                     emit_vec(re, c.W, c.n) || (c.job == 'V' && rv && emit_cm(rv, c.A, c.n, c.n)));
}

NL_API int nl_eig(nl_tensor *re, nl_tensor *rv, const nl_tensor *a, int jobvr) {
   const char *fn = "eig";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   if (check_char(fn, "the job", jobvr, "NV")) return -1;
   nl_tensor *rs[2] = {re, rv};
   if (check_results(fn, a, 2, rs)) return -1;
   NL_DEVICE_CALL(fn, eig, (re, rv, a), re, rv, a, jobvr);
   call c;
   begin(&c, fn, a);
   c.n = (lp_int)a->_size[0], c.job = (char)jobvr, c.ld = c.job == 'V' ? c.n : 1;
   /* W: column-major n x 2 (real parts, then imaginary parts) */
   return end(&c, input(&c, &c.A, a, c.n, "the matrix") || cm(&c, &c.W, c.n, 2, c.n) ||
                     cm(&c, &c.V, c.ld, c.ld, c.ld) ||
                     lapack(&c, GEEV, 1,
                            "%s: the QR algorithm failed to compute all the eigenvalues (%d did not converge)") ||
                     emit_rm(re, c.W, c.n, 2) || (c.job == 'V' && rv && emit_cm(rv, c.V, c.n, c.n)));
}

/* V = VT^T: VT's column-major storage is V in row-major order */
static int emit_v(nl_tensor *rv, const nl_tensor *vt, int64_t n, int64_t vtrows) {
   nl_tensor v = *vt;
   v._size[0] = n, v._size[1] = vtrows;
   v._stride[0] = vtrows, v._stride[1] = 1;
   return emit(rv, &v);
}

NL_API int nl_svd(nl_tensor *ru, nl_tensor *rs_, nl_tensor *rv, const nl_tensor *a, int jobu) {
   const char *fn = "svd";
   if (check_input(fn, "the matrix", a, 0)) return -1;
   if (check_char(fn, "the job", jobu, "SA")) return -1;
   nl_tensor *rs[3] = {ru, rs_, rv};
   if (check_results(fn, a, 3, rs)) return -1;
   NL_DEVICE_CALL(fn, svd, (ru, rs_, rv, a), ru, rs_, rv, a, jobu);
   call c;
   begin(&c, fn, a);
   c.m = (lp_int)a->_size[0], c.n = (lp_int)a->_size[1], c.job = (char)jobu;
   lp_int k = c.m < c.n ? c.m : c.n, ucols = c.job == 'A' ? c.m : k;
   c.ld = c.job == 'A' ? c.n : k;
   return end(&c, input(&c, &c.A, a, c.m, "the matrix") || vec(&c, &c.W, k) || cm(&c, &c.U, c.m, ucols, c.m) ||
                     cm(&c, &c.V, c.ld, c.n, c.ld) || ints(&c, 8 * (int64_t)k) ||
                     lapack(&c, GESDD, 1, "%s: the algorithm failed to converge") ||
                     emit_cm(ru, c.U, c.m, ucols) || emit_vec(rs_, c.W, k) || emit_v(rv, c.V, c.n, c.ld));
}

NL_API int nl_potrf(nl_tensor *res, const nl_tensor *a, int uplo) {
   const char *fn = "potrf";
   if (check_input(fn, "the matrix", a, 0) || check_square(fn, "the matrix", a)) return -1;
   if (check_char(fn, "the triangle", uplo, "UL")) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, a, 1, rs)) return -1;
   NL_DEVICE_CALL(fn, potrf, (res, a), res, a, uplo);
   call c;
   begin(&c, fn, a);
   c.n = (lp_int)a->_size[0], c.uplo = (char)uplo;
   return end(&c, input(&c, &c.A, a, c.n, "the matrix") ||
                     lapack(&c, POTRF, 0,
                            "%s: the matrix is not positive definite (the leading minor of order %d is not "
                            "positive)") ||
                     triangle(&c, c.A, c.n, c.uplo == 'U', 0) || emit_cm(res, c.A, c.n, c.n));
}

NL_API int nl_potrs(nl_tensor *res, const nl_tensor *b, const nl_tensor *chol, int uplo) {
   const char *fn = "potrs";
   if (check_input(fn, "the Cholesky factor", chol, 0) || check_input(fn, "B", b, 1) ||
       check_square(fn, "the Cholesky factor", chol))
      return -1;
   if (check_char(fn, "the triangle", uplo, "UL") || nl_check_same_dtype(fn, chol, b)) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, chol, 1, rs) || check_rows(fn, "the factor", chol, b)) return -1;
   NL_DEVICE_CALL(fn, potrs, (res, b, chol), res, b, chol, uplo);
   call c;
   begin(&c, fn, chol);
   c.n = (lp_int)chol->_size[0], c.k = cols(b), c.uplo = (char)uplo;
   return end(&c, input(&c, &c.A, chol, c.n, "the Cholesky factor") || input(&c, &c.B, b, c.n, "B") ||
                     lapack(&c, POTRS, 0, NULL) || emit_cm(res, c.B, c.n, c.k));
}

NL_API int nl_potri(nl_tensor *res, const nl_tensor *chol, int uplo) {
   const char *fn = "potri";
   if (check_input(fn, "the Cholesky factor", chol, 0) || check_square(fn, "the Cholesky factor", chol)) return -1;
   if (check_char(fn, "the triangle", uplo, "UL")) return -1;
   nl_tensor *rs[1] = {res};
   if (check_results(fn, chol, 1, rs)) return -1;
   NL_DEVICE_CALL(fn, potri, (res, chol), res, chol, uplo);
   call c;
   begin(&c, fn, chol);
   c.n = (lp_int)chol->_size[0], c.uplo = (char)uplo;
   /* LAPACK fills one triangle; the inverse is symmetric */
   return end(&c, input(&c, &c.A, chol, c.n, "the Cholesky factor") ||
                     lapack(&c, POTRI, 0, "%s: the matrix is singular (element (%d,%d) of the factor is zero)") ||
                     triangle(&c, c.A, c.n, c.uplo == 'U', 1) || emit_cm(res, c.A, c.n, c.n));
}

/* R (in U): the upper triangle of the first k rows of geqrf's result */
static int take_r(call *c) {
   nl_tensor rv = cm_view(c->U, c->k, c->n), av = cm_view(c->A, c->m, c->n);
   av._size[0] = c->k;
   return nl_copy(&rv, &av) || triangle(c, c->U, c->k, 1, 0);
}

NL_API int nl_qr(nl_tensor *rq, nl_tensor *rr, const nl_tensor *a) {
   const char *fn = "qr";
   if (check_input(fn, "the matrix", a, 0)) return -1;
   nl_tensor *rs[2] = {rq, rr};
   if (check_results(fn, a, 2, rs)) return -1;
   NL_DEVICE_CALL(fn, qr, (rq, rr, a), rq, rr, a);
   call c;
   begin(&c, fn, a);
   c.m = (lp_int)a->_size[0], c.n = (lp_int)a->_size[1], c.k = c.m < c.n ? c.m : c.n;
   return end(&c, input(&c, &c.A, a, c.m, "the matrix") || vec(&c, &c.W, c.k) || cm(&c, &c.U, c.k, c.n, c.k) ||
                     lapack(&c, GEQRF, 1, NULL) || take_r(&c) || lapack(&c, ORGQR, 1, NULL) ||
                     emit_cm(rq, c.A, c.m, c.k) || emit_rm(rr, c.U, c.k, c.n));
}

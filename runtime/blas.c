/* blas.c: matrix and vector products (Torch7's addmm, addmv, addr,
 * addbmm, baddbmm, their mm/mv/ger/bmm shortcuts, dot, cross). Front
 * functions validate sizes and types, resize the result, then pass the
 * device gate (backend.h): device tensors go to their backend, CPU tensors
 * to the kernels of blas_impl.h, one set per dtype. Float and double reach
 * OpenBLAS; integer dtypes use plain loops. The shortcuts are their add*
 * form with beta 0 and alpha 1 on the CPU.
 *
 * Operands are handed to BLAS in place whenever their strides allow it:
 * a row-major matrix is passed as is, a transposed one (column-major
 * layout, e.g. w:t()) with CblasTrans and its leading dimension; only
 * other layouts (narrowed both ways, expanded, ...) are copied to a
 * contiguous temporary first. Results are written through the same rule,
 * transposing the whole product (C^T = B^T A^T) when the result itself is
 * column-major. nn.Linear reaches them through the Tensor methods
 * (output:addmm(1, output, 1, input, weight:t()) over the bias rows), on
 * whichever device its tensors are.
 *
 * Small products (below SERIAL_FLOP) run OpenBLAS on one thread: waking
 * a second thread costs more than the work (MLP 1000 -> 10 layer, batch
 * 128, 2.6 MFLOP: 33-59 us on one thread, 71-320 us on two). */
#include "apply.h"
#include "backend.h"
#include <cblas.h>
#include <limits.h>
#include <string.h>

void openblas_set_num_threads(int n);

#define SERIAL_FLOP 4e6

#define NL_CAT_(a, b) a##b
#define NL_CAT(a, b) NL_CAT_(a, b)

#define NL_IMPL "blas_impl.h"
#include "dtype_each.h"

typedef void (*blas_gemm_fn)(int, int, int, int, int, double, const void *, int, const void *, int, double, void *,
                             int);
typedef void (*blas_gemv_fn)(int, int, int, double, const void *, int, const void *, int, double, void *, int);
typedef void (*blas_ger_fn)(int, int, double, const void *, int, const void *, int, void *, int);
typedef void (*loop_gemm_fn)(nl_tensor *, double, double, const nl_tensor *, const nl_tensor *);
typedef void (*loop_ger_fn)(nl_tensor *, double, const nl_tensor *, const nl_tensor *);

/* One dtype's kernels: the BLAS entries for floating types, the loops
 * for integer types (the other three are NULL). */
typedef struct kernels {
   blas_gemm_fn gemm;
   blas_gemv_fn gemv;
   blas_ger_fn ger;
   loop_gemm_fn loop_gemm, loop_gemv;
   loop_ger_fn loop_ger;
   nl_row_fn scale, dot;
   nl_slice_fn cross;
} kernels;

#define BLAS(S) .gemm = blas_gemm_##S, .gemv = blas_gemv_##S, .ger = blas_ger_##S
#define LOOPS(S) .loop_gemm = loop_gemm_##S, .loop_gemv = loop_gemv_##S, .loop_ger = loop_ger_##S
#define ROWS(S) .scale = scale_row_##S, .dot = dot_row_##S, .cross = cross_slice_##S
static const kernels kern[NL_NUM_DTYPES] = {
   [NL_BYTE] = {LOOPS(Byte), ROWS(Byte)},    [NL_CHAR] = {LOOPS(Char), ROWS(Char)},
   [NL_SHORT] = {LOOPS(Short), ROWS(Short)}, [NL_INT] = {LOOPS(Int), ROWS(Int)},
   [NL_LONG] = {LOOPS(Long), ROWS(Long)},    [NL_FLOAT] = {BLAS(Float), ROWS(Float)},
   [NL_DOUBLE] = {BLAS(Double), ROWS(Double)},
};
#undef BLAS
#undef LOOPS
#undef ROWS

/* ------------------------------------------------------------ helpers */

/* Resizes only when the sizes differ, so that a result view of the right
 * size (a narrowed or transposed res) is written in place, as in Torch7. */
static int resize_if(nl_tensor *t, int ndim, const int64_t *size) {
   int same = t->_ndim == ndim;
   for (int i = 0; same && i < ndim; i++) same = t->_size[i] == size[i];
   if (same) return 0;
   return nl_tensor_resize(t, ndim, size);
}

/* A transposed copy of a 2-D header (shares storage, no reference taken:
 * valid while the original lives, never released). */
static nl_tensor transposed(const nl_tensor *t) {
   nl_tensor r = *t;
   r._size[0] = t->_size[1], r._size[1] = t->_size[0];
   r._stride[0] = t->_stride[1], r._stride[1] = t->_stride[0];
   return r;
}

/* The i-th slice along dimension 0 as a header sharing storage (same
 * rules as transposed()). */
static nl_tensor slice0(const nl_tensor *t, int64_t i) {
   nl_tensor r = *t;
   r._offset += i * t->_stride[0];
   r._ndim = t->_ndim - 1;
   for (int d = 0; d < r._ndim; d++) r._size[d] = t->_size[d + 1], r._stride[d] = t->_stride[d + 1];
   r._size[r._ndim] = 0, r._stride[r._ndim] = 0;
   return r;
}

/* res and an operand share storage (the product would read what it writes) */
static int shares(const nl_tensor *res, const nl_tensor *x) {
   return res->_storage != NULL && res->_storage == x->_storage;
}

static int same_view(const nl_tensor *a, const nl_tensor *b) {
   if (a == b) return 1;
   if (a->_storage != b->_storage || a->_offset != b->_offset || a->_ndim != b->_ndim) return 0;
   for (int i = 0; i < a->_ndim; i++)
      if (a->_size[i] != b->_size[i] || (a->_size[i] > 1 && a->_stride[i] != b->_stride[i])) return 0;
   return 1;
}

/* How a 2-D view can be given to row-major BLAS: 0 = as is (NoTrans),
 * 1 = transposed (its memory is the row-major transpose), -1 = neither.
 * *ld receives the leading dimension. Strides of size-1 dimensions do not
 * matter and are ignored. */
static int blas_layout(const nl_tensor *t, int64_t *ld) {
   int64_t r = t->_size[0], c = t->_size[1], s0 = t->_stride[0], s1 = t->_stride[1];
   *ld = 0;
   int64_t mc = c > 1 ? c : 1, mr = r > 1 ? r : 1;
   if ((s1 == 1 || c == 1) && (r == 1 || s0 >= mc)) {
      *ld = r == 1 ? mc : s0;
      return 0;
   }
   if ((s0 == 1 || r == 1) && (c == 1 || s1 >= mr)) {
      *ld = c == 1 ? mr : s1;
      return 1;
   }
   return -1;
}

/* A contiguous copy of t in tmp (initialised here; the caller releases). */
static int contiguous_copy(nl_tensor *tmp, const nl_tensor *t) {
   nl_tensor_init(tmp, t->_dtype, t->_device);
   if (nl_tensor_resize(tmp, t->_ndim, t->_size)) return -1;
   return nl_copy(tmp, t);
}

/* r = beta * r (addr's BLAS call has no beta). beta 0 writes zeros
 * without reading r (NaN-safe). */
static int scale(nl_tensor *r, double beta) {
   if (beta == 1) return 0;
   if (beta == 0) return nl_fill(r, 0);
   nl_iter it;
   const nl_tensor *ts[1] = {r};
   if (nl_iter_init("scale", &it, 1, ts)) return -1;
   nl_iter_run(&it, kern[r->_dtype].scale, &beta);
   return 0;
}

static int too_big(const char *fn, const nl_tensor *t) {
   for (int i = 0; i < t->_ndim; i++)
      if (t->_size[i] > INT_MAX || t->_stride[i] > INT_MAX) {
         char s[NL_SHAPE_BUF];
         return nl_errorf("%s: a %s tensor is too large for BLAS (32-bit sizes)", fn, nl_shape_str(s, sizeof s, t));
      }
   return 0;
}

/* ------------------------------------------------------ BLAS drivers */

/* r: (n, p) = beta * r + alpha * a: (n, k) @ b: (k, p); sizes checked. */
static int gemm(nl_tensor *r, double beta, double alpha, const nl_tensor *a, const nl_tensor *b) {
   if (nl_numel(r) == 0) return 0;
   const kernels *k = &kern[r->_dtype];
   if (k->loop_gemm) {
      k->loop_gemm(r, beta, alpha, a, b);
      return 0;
   }
   if (a->_size[1] == 0) return scale(r, beta);
   int64_t ldr, lda, ldb;
   int lr = blas_layout(r, &ldr);
   if (lr == 1) {
      /* column-major result: compute r^T = b^T a^T into its row-major view */
      nl_tensor rt = transposed(r), at = transposed(a), bt = transposed(b);
      return gemm(&rt, beta, alpha, &bt, &at);
   }
   if (lr < 0) {
      nl_tensor tmp;
      int rc = contiguous_copy(&tmp, r);
      if (!rc) rc = gemm(&tmp, beta, alpha, a, b);
      if (!rc) rc = nl_copy(r, &tmp);
      nl_tensor_release(&tmp);
      return rc;
   }
   int la = blas_layout(a, &lda), lb = blas_layout(b, &ldb);
   if (la < 0 || lb < 0) {
      nl_tensor ta, tb;
      nl_tensor_init(&ta, a->_dtype, a->_device);
      nl_tensor_init(&tb, b->_dtype, b->_device);
      int rc = 0;
      if (la < 0) rc = contiguous_copy(&ta, a);
      if (!rc && lb < 0) rc = contiguous_copy(&tb, b);
      if (!rc) rc = gemm(r, beta, alpha, la < 0 ? &ta : a, lb < 0 ? &tb : b);
      nl_tensor_release(&ta);
      nl_tensor_release(&tb);
      return rc;
   }
   if (too_big("gemm", r) || too_big("gemm", a) || too_big("gemm", b)) return -1;
   int serial = 2.0 * r->_size[0] * r->_size[1] * a->_size[1] < SERIAL_FLOP && !nl_omp_in_parallel() && nl_threads() > 1;
   if (serial) openblas_set_num_threads(1);
   k->gemm(la, lb, (int)r->_size[0], (int)r->_size[1], (int)a->_size[1], alpha, nl_ptr(a), (int)lda, nl_ptr(b),
           (int)ldb, beta, nl_ptr(r), (int)ldr);
   if (serial) openblas_set_num_threads(nl_threads());
   return 0;
}

/* BLAS vector increment for a 1-D view, or 0 when it needs a copy (an
 * expanded stride 0 is undefined behaviour in BLAS). */
static int64_t vec_inc(const nl_tensor *v) {
   if (v->_size[0] <= 1) return 1;
   return v->_stride[0] > 0 ? v->_stride[0] : 0;
}

/* r: (n) = beta * r + alpha * m: (n, k) @ v: (k) */
static int gemv(nl_tensor *r, double beta, double alpha, const nl_tensor *m, const nl_tensor *v) {
   if (nl_numel(r) == 0) return 0;
   const kernels *k = &kern[r->_dtype];
   if (k->loop_gemv) {
      k->loop_gemv(r, beta, alpha, m, v);
      return 0;
   }
   if (m->_size[1] == 0) return scale(r, beta);
   int64_t ldm, incr = vec_inc(r), incv = vec_inc(v);
   int lm = blas_layout(m, &ldm);
   if (lm < 0 || incr == 0 || incv == 0) {
      nl_tensor tm, tv, tr;
      nl_tensor_init(&tm, m->_dtype, m->_device);
      nl_tensor_init(&tv, v->_dtype, v->_device);
      nl_tensor_init(&tr, r->_dtype, r->_device);
      int rc = 0;
      if (lm < 0) rc = contiguous_copy(&tm, m);
      if (!rc && incv == 0) rc = contiguous_copy(&tv, v);
      if (!rc && incr == 0) rc = contiguous_copy(&tr, r);
      if (!rc) rc = gemv(incr == 0 ? &tr : r, beta, alpha, lm < 0 ? &tm : m, incv == 0 ? &tv : v);
      if (!rc && incr == 0) rc = nl_copy(r, &tr);
      nl_tensor_release(&tm);
      nl_tensor_release(&tv);
      nl_tensor_release(&tr);
      return rc;
   }
   if (too_big("gemv", m) || too_big("gemv", r) || too_big("gemv", v)) return -1;
   /* BLAS sees the stored matrix: rows x cols as laid out in memory */
   int rows = (int)(lm ? m->_size[1] : m->_size[0]), cols = (int)(lm ? m->_size[0] : m->_size[1]);
   k->gemv(lm, rows, cols, alpha, nl_ptr(m), (int)ldm, nl_ptr(v), (int)incv, beta, nl_ptr(r), (int)incr);
   return 0;
}

/* r: (n, p) += alpha * x: (n) outer y: (p) */
static int ger(nl_tensor *r, double alpha, const nl_tensor *x, const nl_tensor *y) {
   if (nl_numel(r) == 0 || alpha == 0) return 0;
   const kernels *k = &kern[r->_dtype];
   if (k->loop_ger) {
      k->loop_ger(r, alpha, x, y);
      return 0;
   }
   int64_t ldr, incx = vec_inc(x), incy = vec_inc(y);
   int lr = blas_layout(r, &ldr);
   if (lr == 1) {
      nl_tensor rt = transposed(r);
      return ger(&rt, alpha, y, x);
   }
   if (lr < 0 || incx == 0 || incy == 0) {
      nl_tensor tr, tx, ty;
      nl_tensor_init(&tr, r->_dtype, r->_device);
      nl_tensor_init(&tx, x->_dtype, x->_device);
      nl_tensor_init(&ty, y->_dtype, y->_device);
      int rc = 0;
      if (lr < 0) rc = contiguous_copy(&tr, r);
      if (!rc && incx == 0) rc = contiguous_copy(&tx, x);
      if (!rc && incy == 0) rc = contiguous_copy(&ty, y);
      if (!rc) rc = ger(lr < 0 ? &tr : r, alpha, incx == 0 ? &tx : x, incy == 0 ? &ty : y);
      if (!rc && lr < 0) rc = nl_copy(r, &tr);
      nl_tensor_release(&tr);
      nl_tensor_release(&tx);
      nl_tensor_release(&ty);
      return rc;
   }
   if (too_big("ger", r) || too_big("ger", x) || too_big("ger", y)) return -1;
   k->ger((int)r->_size[0], (int)r->_size[1], alpha, nl_ptr(x), (int)incx, nl_ptr(y), (int)incy, nl_ptr(r), (int)ldr);
   return 0;
}

/* ----------------------------------------------------- validation */

static int check_dims(const char *fn, const char *what, const nl_tensor *t, int ndim) {
   if (t->_ndim != ndim) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: %s should be %dD, got a %s of size %s", fn, what, ndim, nl_type_name(t),
                       nl_shape_str(s, sizeof s, t));
   }
   return 0;
}

/* Every tensor of ts (NULL entries skipped) has ts[0]'s dtype and device. */
static int check_types(const char *fn, int n, const nl_tensor *const *ts) {
   for (int i = 1; i < n; i++)
      if (ts[i] && nl_check_same_dtype(fn, ts[0], ts[i])) return -1;
   return 0;
}

static int size_mismatch(const char *fn, const nl_tensor *a, const nl_tensor *b, const char *expected) {
   char sa[NL_SHAPE_BUF], sb[NL_SHAPE_BUF];
   return nl_errorf("%s: size mismatch, %s and %s: expected %s", fn, nl_shape_str(sa, sizeof sa, a),
                    nl_shape_str(sb, sizeof sb, b), expected);
}

/* The added tensor m has the product's size (m NULL: a shortcut, no m). */
static int check_m(const char *fn, const nl_tensor *m, int ndim, const int64_t *size, const char *what) {
   if (!m) return 0;
   int ok = m->_ndim == ndim;
   for (int i = 0; ok && i < ndim; i++) ok = m->_size[i] == size[i];
   if (!ok) {
      char sm[NL_SHAPE_BUF], se[NL_SHAPE_BUF];
      nl_tensor e;
      memset(&e, 0, sizeof e);
      e._ndim = ndim;
      for (int i = 0; i < ndim; i++) e._size[i] = size[i];
      return nl_errorf("%s: the added tensor is %s, expected %s (%s)", fn, nl_shape_str(sm, sizeof sm, m),
                       nl_shape_str(se, sizeof se, &e), what);
   }
   return 0;
}

/* Makes res hold m (copied) unless it already is m; with beta 0 the
 * contents of m are never read, so only the size is taken. */
static int init_from(nl_tensor *res, const nl_tensor *m, double beta) {
   if (same_view(res, m)) return 0;
   if (resize_if(res, m->_ndim, m->_size)) return -1;
   return beta == 0 ? 0 : nl_copy(res, m);
}

/* Each family below has one check (m NULL for the shortcut, which is its
 * add* form with res as m) and one CPU body shared by both entry points.
 * A front function checks, resizes res, passes the gate, then runs the
 * body; res sharing memory with an operand is resized by the body, which
 * builds the product aside first. */

/* ------------------------------------------------------ addmm, mm */

/* res = m + a: (n, k) @ b: (k, p); size receives (n, p) */
static int check_mm(const char *fn, const nl_tensor *res, const nl_tensor *m, const nl_tensor *a, const nl_tensor *b,
                    int64_t *size) {
   if (check_dims(fn, "the first matrix", a, 2) || check_dims(fn, "the second matrix", b, 2)) return -1;
   if (a->_size[1] != b->_size[0]) {
      char e[160];
      snprintf(e, sizeof e, "the first's columns (%lld) to equal the second's rows (%lld)",
               (long long)a->_size[1], (long long)b->_size[0]);
      return size_mismatch(fn, a, b, e);
   }
   size[0] = a->_size[0], size[1] = b->_size[1];
   if (check_m(fn, m, 2, size, "rows of the first matrix x columns of the second")) return -1;
   const nl_tensor *ts[4] = {res, m, a, b};
   return check_types(fn, 4, ts);
}

static int addmm_cpu(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                     const nl_tensor *b) {
   if (shares(res, a) || shares(res, b)) {
      /* x:addmm(x, y) style calls: the product is built aside, since BLAS
       * must not write memory it is reading */
      int64_t size[2] = {a->_size[0], b->_size[1]};
      nl_tensor tmp;
      nl_tensor_init(&tmp, res->_dtype, res->_device);
      int rc = nl_tensor_resize(&tmp, 2, size);
      if (!rc && beta != 0) rc = nl_copy(&tmp, m);
      if (!rc) rc = gemm(&tmp, beta, alpha, a, b);
      if (!rc) rc = resize_if(res, 2, size);
      if (!rc) rc = nl_copy(res, &tmp);
      nl_tensor_release(&tmp);
      return rc;
   }
   if (init_from(res, m, beta)) return -1;
   return gemm(res, beta, alpha, a, b);
}

NL_API int nl_addmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                    const nl_tensor *b) {
   int64_t size[2];
   if (check_mm("nl_addmm", res, m, a, b, size)) return -1;
   if (!shares(res, a) && !shares(res, b) && resize_if(res, 2, size)) return -1;
   NL_DEVICE_CALL("nl_addmm", addmm, (res, m, a, b), res, beta, m, alpha, a, b);
   return addmm_cpu(res, beta, m, alpha, a, b);
}

NL_API int nl_mm(nl_tensor *res, const nl_tensor *a, const nl_tensor *b) {
   int64_t size[2];
   if (check_mm("nl_mm", res, NULL, a, b, size)) return -1;
   if (!shares(res, a) && !shares(res, b) && resize_if(res, 2, size)) return -1;
   NL_DEVICE_CALL("nl_mm", mm, (res, a, b), res, a, b);
   return addmm_cpu(res, 0, res, 1, a, b);
}

/* ------------------------------------------------------ addmv, mv */

/* res = m + mat: (n, k) @ vec: (k) */
static int check_mv(const char *fn, const nl_tensor *res, const nl_tensor *m, const nl_tensor *mat,
                    const nl_tensor *vec) {
   if (check_dims(fn, "the matrix", mat, 2) || check_dims(fn, "the vector", vec, 1)) return -1;
   if (!m && nl_check_same_dtype(fn, res, mat)) return -1;
   if (mat->_size[1] != vec->_size[0]) {
      char e[160];
      snprintf(e, sizeof e, "the matrix's columns (%lld) to equal the vector's size (%lld)",
               (long long)mat->_size[1], (long long)vec->_size[0]);
      return size_mismatch(fn, mat, vec, e);
   }
   const nl_tensor *ts[4] = {res, m, mat, vec};
   if (check_types(fn, 4, ts)) return -1;
   return check_m(fn, m, 1, mat->_size, "rows of the matrix");
}

static int addmv_cpu(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *mat,
                     const nl_tensor *vec) {
   if (init_from(res, m, beta)) return -1;
   return gemv(res, beta, alpha, mat, vec);
}

NL_API int nl_addmv(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *mat,
                    const nl_tensor *vec) {
   if (check_mv("nl_addmv", res, m, mat, vec) || resize_if(res, 1, mat->_size)) return -1;
   NL_DEVICE_CALL("nl_addmv", addmv, (res, m, mat, vec), res, beta, m, alpha, mat, vec);
   return addmv_cpu(res, beta, m, alpha, mat, vec);
}

NL_API int nl_mv(nl_tensor *res, const nl_tensor *mat, const nl_tensor *vec) {
   if (check_mv("nl_mv", res, NULL, mat, vec) || resize_if(res, 1, mat->_size)) return -1;
   NL_DEVICE_CALL("nl_mv", mv, (res, mat, vec), res, mat, vec);
   return addmv_cpu(res, 0, res, 1, mat, vec);
}

/* ------------------------------------------------------- addr, ger */

/* res = m + x: (n) outer y: (p); size receives (n, p) */
static int check_r(const char *fn, const nl_tensor *res, const nl_tensor *m, const nl_tensor *x, const nl_tensor *y,
                   int64_t *size) {
   if (check_dims(fn, "the first vector", x, 1) || check_dims(fn, "the second vector", y, 1)) return -1;
   const nl_tensor *ts[4] = {res, m, x, y};
   if (check_types(fn, 4, ts)) return -1;
   size[0] = x->_size[0], size[1] = y->_size[0];
   return check_m(fn, m, 2, size, "size of the first vector x size of the second");
}

static int addr_cpu(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *x,
                    const nl_tensor *y) {
   if (init_from(res, m, beta) || scale(res, beta)) return -1;
   return ger(res, alpha, x, y);
}

NL_API int nl_addr(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *x,
                   const nl_tensor *y) {
   int64_t size[2];
   if (check_r("nl_addr", res, m, x, y, size) || resize_if(res, 2, size)) return -1;
   NL_DEVICE_CALL("nl_addr", addr, (res, m, x, y), res, beta, m, alpha, x, y);
   return addr_cpu(res, beta, m, alpha, x, y);
}

NL_API int nl_ger(nl_tensor *res, const nl_tensor *x, const nl_tensor *y) {
   int64_t size[2];
   if (check_r("nl_ger", res, NULL, x, y, size) || resize_if(res, 2, size)) return -1;
   NL_DEVICE_CALL("nl_ger", ger, (res, x, y), res, x, y);
   return addr_cpu(res, 0, res, 1, x, y);
}

/* ------------------------------------------- baddbmm, bmm, addbmm */

/* a: (b, n, k) and b: (b, k, p), then the types of res, m, a, b */
static int check_batches(const char *fn, const nl_tensor *res, const nl_tensor *m, const nl_tensor *a,
                         const nl_tensor *b) {
   if (check_dims(fn, "the first batch", a, 3) || check_dims(fn, "the second batch", b, 3)) return -1;
   if (a->_size[0] != b->_size[0] || a->_size[2] != b->_size[1]) {
      char e[200];
      snprintf(e, sizeof e, "the same number of matrices (%lld, %lld) and the first's columns (%lld) to "
               "equal the second's rows (%lld)", (long long)a->_size[0], (long long)b->_size[0],
               (long long)a->_size[2], (long long)b->_size[1]);
      return size_mismatch(fn, a, b, e);
   }
   const nl_tensor *ts[4] = {res, m, a, b};
   return check_types(fn, 4, ts);
}

static int baddbmm_cpu(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                       const nl_tensor *b) {
   if (init_from(res, m, beta)) return -1;
   for (int64_t i = 0; i < a->_size[0]; i++) {
      nl_tensor ri = slice0(res, i), ai = slice0(a, i), bi = slice0(b, i);
      if (gemm(&ri, beta, alpha, &ai, &bi)) return -1;
   }
   return 0;
}

NL_API int nl_baddbmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                      const nl_tensor *b) {
   const char *fn = "nl_baddbmm";
   if (check_batches(fn, res, m, a, b)) return -1;
   int64_t size[3] = {a->_size[0], a->_size[1], b->_size[2]};
   if (check_m(fn, m, 3, size, "batches x rows of the first x columns of the second") || resize_if(res, 3, size))
      return -1;
   NL_DEVICE_CALL(fn, baddbmm, (res, m, a, b), res, beta, m, alpha, a, b);
   return baddbmm_cpu(res, beta, m, alpha, a, b);
}

NL_API int nl_bmm(nl_tensor *res, const nl_tensor *a, const nl_tensor *b) {
   if (check_batches("nl_bmm", res, NULL, a, b)) return -1;
   int64_t size[3] = {a->_size[0], a->_size[1], b->_size[2]};
   if (resize_if(res, 3, size)) return -1;
   NL_DEVICE_CALL("nl_bmm", bmm, (res, a, b), res, a, b);
   return baddbmm_cpu(res, 0, res, 1, a, b);
}

NL_API int nl_addbmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a,
                     const nl_tensor *b) {
   const char *fn = "nl_addbmm";
   if (check_batches(fn, res, m, a, b)) return -1;
   int64_t size[2] = {a->_size[1], b->_size[2]};
   if (check_m(fn, m, 2, size, "rows of the first x columns of the second") || resize_if(res, 2, size)) return -1;
   NL_DEVICE_CALL(fn, addbmm, (res, m, a, b), res, beta, m, alpha, a, b);
   if (init_from(res, m, beta)) return -1;
   if (a->_size[0] == 0) return scale(res, beta);
   for (int64_t i = 0; i < a->_size[0]; i++) {
      nl_tensor ai = slice0(a, i), bi = slice0(b, i);
      if (gemm(res, i == 0 ? beta : 1, alpha, &ai, &bi)) return -1;
   }
   return 0;
}

/* ------------------------------------------------------ dot, cross */

NL_API int nl_dot(double *out, const nl_tensor *a, const nl_tensor *b) {
   const char *fn = "nl_dot";
   if (nl_check_same_dtype(fn, a, b) || nl_check_same_numel(fn, a, b)) return -1;
   NL_DEVICE_CALL(fn, dot, (a, b), out, a, b);
   *out = 0;
   if (nl_numel(a) == 0) return 0;
   nl_iter it;
   const nl_tensor *ts[2] = {a, b};
   if (nl_iter_init(fn, &it, 2, ts)) return -1;
   nl_iter_run_grain(&it, kern[a->_dtype].dot, out, INT64_MAX);
   return 0;
}

NL_API int nl_cross(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int dim) {
   const char *fn = "nl_cross";
   const nl_tensor *ts[3] = {res, a, b};
   if (check_types(fn, 3, ts)) return -1;
   int same = a->_ndim == b->_ndim;
   for (int i = 0; same && i < a->_ndim; i++) same = a->_size[i] == b->_size[i];
   if (!same || a->_ndim == 0) return size_mismatch(fn, a, b, "two tensors of the same size");
   int d = dim;
   if (d < 0) {
      for (int i = 0; i < a->_ndim && d < 0; i++)
         if (a->_size[i] == 3) d = i;
      if (d < 0) {
         char s[NL_SHAPE_BUF];
         return nl_errorf("%s: no dimension of size 3 in a %s tensor", fn, nl_shape_str(s, sizeof s, a));
      }
   }
   if (nl_check_dim(fn, a, d)) return -1;
   if (a->_size[d] != 3) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: dimension %d of a %s tensor has size %lld, expected 3", fn, d + 1,
                       nl_shape_str(s, sizeof s, a), (long long)a->_size[d]);
   }
   if (resize_if(res, a->_ndim, a->_size)) return -1;
   NL_DEVICE_CALL(fn, cross, (res, a, b), res, a, b, dim);
   /* an output aliasing an input would be overwritten mid-slice */
   nl_tensor tmp;
   nl_tensor_init(&tmp, a->_dtype, a->_device);
   nl_tensor *out = res;
   int alias = res->_storage == a->_storage || res->_storage == b->_storage;
   if (alias) {
      if (nl_tensor_resize(&tmp, a->_ndim, a->_size)) return -1;
      out = &tmp;
   }
   nl_iter it;
   const nl_tensor *its[3] = {out, a, b};
   int rc = nl_iter_init_dim(fn, &it, 3, its, d);
   if (!rc) nl_iter_run_slices(&it, kern[a->_dtype].cross, NULL);
   if (!rc && alias) rc = nl_copy(res, &tmp);
   nl_tensor_release(&tmp);
   return rc;
}

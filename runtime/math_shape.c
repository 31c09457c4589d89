/* math_shape.c: Torch7's tril, triu, diag, eye and cat. No kernels of
 * their own: each builds views of its result and fills or copies them
 * (nl_fill, nl_copy), so every dtype takes the same code. A front function
 * checks what the tensor headers say, then passes the device gate
 * (backend.h) before it touches an element. */
#include "backend.h"
#include "math_index.h"
#include <stdlib.h>
#include <string.h>

/* A header sharing t's storage with no reference taken: valid while t
 * lives, never released. */
static nl_tensor view2(const nl_tensor *t, int64_t off, int ndim, const int64_t *size, const int64_t *stride) {
   nl_tensor r = *t;
   r._offset = t->_offset + off;
   r._ndim = ndim;
   for (int i = 0; i < ndim; i++) r._size[i] = size[i], r._stride[i] = stride[i];
   return r;
}

/* ------------------------------------------------------ tril, triu */

/* 1 when tril/triu into res must first copy t (res is not t itself). */
static int tri_copies(const nl_tensor *res, const nl_tensor *t) {
   return res != t && !(res->_storage == t->_storage && res->_offset == t->_offset);
}

static int tri_check(const char *fn, nl_tensor *res, const nl_tensor *t) {
   if (nl_check_same_dtype(fn, res, t)) return -1;
   if (t->_ndim != 2) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: expected a matrix (2D), got a tensor of size %s", fn, nl_shape_str(s, sizeof s, t));
   }
   return tri_copies(res, t) ? nl_resize_if(res, 2, t->_size) : 0;
}

/* upper 0: keep j <= i + k (tril); upper 1: keep j >= i + k (triu). */
static int tri_run(nl_tensor *res, const nl_tensor *t, int64_t k, int upper) {
   if (tri_copies(res, t) && nl_copy(res, t)) return -1;
   int64_t rows = res->_size[0], cols = res->_size[1];
   for (int64_t i = 0; i < rows; i++) {
      int64_t a, b;    /* zeroed columns [a, b) */
      if (upper) a = 0, b = i + k < cols ? i + k : cols;
      else a = i + k + 1 > 0 ? i + k + 1 : 0, b = cols;
      if (b <= a) continue;
      int64_t n = b - a;
      nl_tensor row = view2(res, i * res->_stride[0] + a * res->_stride[1], 1, &n, &res->_stride[1]);
      if (nl_fill(&row, 0)) return -1;
   }
   return 0;
}

static int tril_body(nl_tensor *res, const nl_tensor *t, int64_t k) {
   if (tri_check("tril", res, t)) return -1;
   NL_DEVICE_CALL("tril", tril, (res, t), res, t, k);
   return tri_run(res, t, k, 0);
}

static int triu_body(nl_tensor *res, const nl_tensor *t, int64_t k) {
   if (tri_check("triu", res, t)) return -1;
   NL_DEVICE_CALL("triu", triu, (res, t), res, t, k);
   return tri_run(res, t, k, 1);
}

NL_API int nl_tril(nl_tensor *res, const nl_tensor *t, int64_t k) { return nl_named_rc("tril", tril_body(res, t, k)); }
NL_API int nl_triu(nl_tensor *res, const nl_tensor *t, int64_t k) { return nl_named_rc("triu", triu_body(res, t, k)); }

/* ------------------------------------------------------- diag, eye */

/* vector -> (n + |k|) square matrix with the vector on diagonal k */
static int diag_of_vector(nl_tensor *res, const nl_tensor *t, int64_t k) {
   int64_t ak = k < 0 ? -k : k;
   int64_t n = t->_size[0] + ak, size[2] = {n, n};
   nl_tensor out;
   nl_tensor_init(&out, t->_dtype, t->_device);
   int rc = nl_tensor_resize(&out, 2, size);
   if (!rc) rc = nl_fill(&out, 0);
   if (!rc) {
      int64_t off = k >= 0 ? k : -k * n, st = n + 1;
      nl_tensor d = view2(&out, off, 1, t->_size, &st);
      rc = nl_copy(&d, t);
   }
   if (!rc) rc = nl_tensor_set(res, &out);
   nl_tensor_release(&out);
   return rc;
}

/* matrix -> its diagonal k, len elements (checked: > 0) */
static int diag_of_matrix(nl_tensor *res, const nl_tensor *t, int64_t k, int64_t len) {
   int64_t off = k >= 0 ? k * t->_stride[1] : -k * t->_stride[0], st = t->_stride[0] + t->_stride[1];
   nl_tensor d = view2(t, off, 1, &len, &st);
   nl_tensor out;
   nl_tensor_init(&out, t->_dtype, t->_device);
   int rc = nl_tensor_resize(&out, 1, &len);
   if (!rc) rc = nl_copy(&out, &d);
   if (!rc) rc = nl_tensor_set(res, &out);
   nl_tensor_release(&out);
   return rc;
}

static int diag_body(nl_tensor *res, const nl_tensor *t, int64_t k) {
   const char *fn = "diag";
   if (nl_check_same_dtype(fn, res, t)) return -1;
   if (k > ((int64_t)1 << 40) || k < -((int64_t)1 << 40))
      return nl_errorf("%s: diagonal %lld is out of range", fn, (long long)k);
   int64_t len = 0;
   if (t->_ndim == 2) {
      int64_t r = t->_size[0], c = t->_size[1];
      len = k >= 0 ? (c - k < r ? c - k : r) : (r + k < c ? r + k : c);
      if (len <= 0) {
         char s[NL_SHAPE_BUF];
         return nl_errorf("%s: diagonal %lld is outside a %s matrix", fn, (long long)k, nl_shape_str(s, sizeof s, t));
      }
   } else if (t->_ndim != 1) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: expected a vector or a matrix, got a tensor of size %s", fn, nl_shape_str(s, sizeof s, t));
   }
   NL_DEVICE_CALL(fn, diag, (res, t), res, t, k);
   return t->_ndim == 1 ? diag_of_vector(res, t, k) : diag_of_matrix(res, t, k, len);
}

NL_API int nl_diag(nl_tensor *res, const nl_tensor *t, int64_t k) {
   return nl_named_rc("diag", diag_body(res, t, k));
}

static int eye_body(nl_tensor *res, int64_t n, int64_t m) {
   const char *fn = "eye";
   int64_t m0 = m;
   if (m <= 0) m = n;
   if (n <= 0) return nl_errorf("%s: invalid size %lldx%lld", fn, (long long)n, (long long)m);
   int64_t size[2] = {n, m};
   if (nl_resize_if(res, 2, size)) return -1;
   NL_DEVICE_CALL(fn, eye, (res), res, n, m0);
   if (nl_fill(res, 0)) return -1;
   int64_t len = n < m ? n : m, st = res->_stride[0] + res->_stride[1];
   nl_tensor d = view2(res, 0, 1, &len, &st);
   return nl_fill(&d, 1);
}

NL_API int nl_eye(nl_tensor *res, int64_t n, int64_t m) {
   return nl_named_rc("eye", eye_body(res, n, m));
}

/* ---------------------------------------------------------------- cat */

/* The gate over res and every tensor of the list (nl_gate's contract). */
static int cat_gate(const nl_backend **b, nl_tensor *res, const nl_tensor *const *ts, int n) {
   const nl_tensor *local[32];
   const nl_tensor **all = n < 32 ? local : malloc((size_t)(n + 1) * sizeof *all);
   if (!all) return nl_errorf("cat: out of memory for a list of %d tensors", n);
   all[0] = res;
   for (int i = 0; i < n; i++) all[i + 1] = ts[i];
   int g = nl_gate(b, "cat", NL_OP_cat, n + 1, all);
   if (all != local) free(all);
   return g;
}

static int cat_body(nl_tensor *res, const nl_tensor *const *ts, int n, int dim) {
   const char *fn = "cat";
   const nl_tensor *first = NULL;
   int nd = 0, dim0 = dim;
   for (int i = 0; i < n; i++) {
      if (nl_check_same_dtype(fn, res, ts[i])) return -1;
      if (ts[i]->_ndim > nd) nd = ts[i]->_ndim;
   }
   if (dim < 0) dim = nd > 0 ? nd - 1 : 0;   /* Torch7: the last dimension */
   int64_t size[NL_MAX_DIMS], total = 0;
   for (int i = 0; i < n; i++) {
      const nl_tensor *t = ts[i];
      if (t->_ndim == 0) continue;                   /* empty tensors are skipped */
      if (dim >= t->_ndim) {
         char s[NL_SHAPE_BUF];
         return nl_errorf("%s: dimension %lld out of range for a %s tensor", fn, (long long)dim + 1, nl_shape_str(s, sizeof s, t));
      }
      if (!first) {
         first = t;
         for (int d = 0; d < t->_ndim; d++) size[d] = t->_size[d];
      } else {
         int ok = t->_ndim == first->_ndim;
         for (int d = 0; ok && d < t->_ndim; d++) ok = d == dim || t->_size[d] == first->_size[d];
         if (!ok) {
            char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
            return nl_errorf("%s: sizes do not match outside dimension %d: %s (tensor 1) and %s (tensor %d)", fn,
                             dim + 1, nl_shape_str(a, sizeof a, first), nl_shape_str(b, sizeof b, t), i + 1);
         }
      }
      total += t->_size[dim];
   }
   const nl_backend *b;
   int g = cat_gate(&b, res, ts, n);
   if (g) return g < 0 ? -1 : b->ops.cat(res, ts, n, dim0);
   if (!first) return nl_tensor_resize(res, 0, NULL);
   size[dim] = total;
   nl_tensor otmp;
   nl_tensor *out = nl_out_for(res, &otmp, n, ts);
   int rc = nl_resize_if(out, first->_ndim, size);
   int64_t at = 0;
   for (int i = 0; !rc && i < n; i++) {
      const nl_tensor *t = ts[i];
      if (t->_ndim == 0) continue;
      nl_tensor part = *out;   /* narrowed copy of the header; no reference taken */
      part._offset += at * out->_stride[dim];
      part._size[dim] = t->_size[dim];
      rc = nl_copy(&part, t);
      at += t->_size[dim];
   }
   return nl_out_finish(res, out, &otmp, rc);
}

NL_API int nl_cat(nl_tensor *res, const nl_tensor *const *ts, int n, int dim) {
   return nl_named_rc("cat", cat_body(res, ts, n, dim));
}

/* math_index.c: Torch7's indexing operations: masked select/fill/copy,
 * index (select, copy, add, fill) along a dimension, gather, scatter,
 * nonzero. The per-dtype kernels are in math_index_impl.h; tril, triu,
 * diag, eye and cat are in math_shape.c.
 *
 * Index tensors are LongTensors holding Torch7's 1-based values (user data,
 * passed through unchanged); dimensions are 0-based. A front function
 * checks what the tensor headers say (types, dimensions, sizes), then
 * passes the device gate (backend.h) before it reads an index or mask
 * value: a device backend checks the values itself, and sizes the results
 * that depend on them or may share an input's storage. On the CPU every
 * index is checked before any element is written, so a bad index leaves
 * the output alone, and the message names the Lua function, the index, the
 * dimension and its size: "index: index 7 out of range for dimension 1 of
 * size 5". */
#include "apply.h"
#include "backend.h"
#include "math_index.h"
#include <string.h>
#include <stdio.h>

#define NL_CAT_(a, b) a##b
#define NL_CAT(a, b) NL_CAT_(a, b)

typedef struct {
   char *out;            /* next element of a contiguous output/source */
} seq_ctx;

typedef struct {
   const int64_t *idx;   /* 1-based, contiguous */
   int64_t n;            /* number of indices */
   double value;
} index_ctx;

/* One dtype's kernels (math_index_impl.h). */
typedef struct index_kernels {
   nl_row_fn msel, mcopy, mfill;              /* p = {tensor, mask} */
   nl_slice_fn isel, icopy, iadd, ifill;      /* ctx: index_ctx */
   nl_slice_fn gather, scatter, scatterv;
   int64_t (*nonzero)(const nl_tensor *t, int64_t *out);
} index_kernels;

#define NL_IMPL "math_index_impl.h"
#include "dtype_each.h"

static const index_kernels *const kernels[NL_NUM_DTYPES] = {
   [NL_BYTE] = &index_kernels_Byte,   [NL_CHAR] = &index_kernels_Char, [NL_SHORT] = &index_kernels_Short,
   [NL_INT] = &index_kernels_Int,     [NL_LONG] = &index_kernels_Long, [NL_FLOAT] = &index_kernels_Float,
   [NL_DOUBLE] = &index_kernels_Double,
};

/* t's dtype's kernels, or NULL with the error set. */
static const index_kernels *kernels_for(const char *fn, const nl_tensor *t) {
   const index_kernels *k = kernels[t->_dtype];
   if (!k) nl_errorf("%s: not defined for %s", fn, nl_type_name(t));
   return k;
}

/* ------------------------------------------------- shared helpers */

int nl_named_rc(const char *fn, int rc) {
   size_t n = strlen(fn);
   const char *m = nl_last_error();
   if (rc && !(strncmp(m, fn, n) == 0 && m[n] == ':')) {
      char msg[1024];
      snprintf(msg, sizeof msg, "%s", m);
      nl_errorf("%s: %s", fn, msg);
   }
   return rc;
}

int nl_resize_if(nl_tensor *t, int ndim, const int64_t *size) {
   int same = t->_ndim == ndim;
   for (int i = 0; same && i < ndim; i++) same = t->_size[i] == size[i];
   if (same) return 0;
   return nl_tensor_resize(t, ndim, size);
}

nl_tensor *nl_out_for(nl_tensor *res, nl_tensor *tmp, int n, const nl_tensor *const *inputs) {
   nl_tensor_init(tmp, res->_dtype, res->_device);
   for (int i = 0; i < n; i++)
      if (res->_storage && inputs[i] && inputs[i]->_storage == res->_storage) return tmp;
   return res;
}

int nl_out_finish(nl_tensor *res, nl_tensor *out, nl_tensor *tmp, int rc) {
   if (!rc && out == tmp) rc = nl_tensor_set(res, tmp);
   nl_tensor_release(tmp);
   return rc;
}

/* ------------------------------------------------------------ helpers */

/* A contiguous version of t: t itself, or a copy in tmp (released by the
 * caller; tmp is always initialised, on t's device). */
static const nl_tensor *contig(nl_tensor *tmp, const nl_tensor *t, int *rc) {
   nl_tensor_init(tmp, t->_dtype, t->_device);
   *rc = 0;
   if (t->_ndim == 0 || nl_tensor_is_contiguous(t)) return t;
   *rc = nl_tensor_resize(tmp, t->_ndim, t->_size);
   if (!*rc) *rc = nl_copy(tmp, t);
   return tmp;
}

/* Devices are the gate's to check: a tensor on another device than the
 * others is refused there. */
static int check_long(const char *fn, const char *what, const nl_tensor *t) {
   if (t->_dtype != NL_LONG)
      return nl_errorf("%s: %s should be a torch.LongTensor, got %s", fn, what, nl_type_name(t));
   return 0;
}

static int check_byte_mask(const char *fn, const nl_tensor *mask, const nl_tensor *t) {
   if (mask->_dtype != NL_BYTE)
      return nl_errorf("%s: the mask should be a torch.ByteTensor, got %s", fn, nl_type_name(mask));
   if (nl_numel(mask) != nl_numel(t)) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: the mask has %lld elements (%s), the tensor %lld (%s)", fn, (long long)nl_numel(mask),
                       nl_shape_str(a, sizeof a, mask), (long long)nl_numel(t), nl_shape_str(b, sizeof b, t));
   }
   return 0;
}

/* Checks every value of a contiguous LongTensor lies in [1, size]. */
static int check_indices(const char *fn, const nl_tensor *idx, int dim, int64_t size) {
   const int64_t *p = (const int64_t *)nl_ptr(idx);
   int64_t n = nl_numel(idx);
   for (int64_t i = 0; i < n; i++)
      if (p[i] < 1 || p[i] > size)
         return nl_errorf("%s: index %lld out of range for dimension %d of size %lld", fn, (long long)p[i], dim + 1,
                          (long long)size);
   return 0;
}

/* The iteration over (t, mask) in row-major order of each: same shape, or
 * the mask made contiguous (Torch7 pairs elements by flat position). */
static int mask_iter(const char *fn, nl_iter *it, const nl_tensor *t, const nl_tensor *mask, nl_tensor *tmp) {
   int rc;
   const nl_tensor *m = mask;
   nl_tensor_init(tmp, NL_BYTE, mask->_device);
   int same = t->_ndim == mask->_ndim;
   for (int i = 0; same && i < t->_ndim; i++) same = t->_size[i] == mask->_size[i];
   if (!same) {
      m = contig(tmp, mask, &rc);
      if (rc) return -1;
   }
   const nl_tensor *ts[2] = {t, m};
   return nl_iter_init(fn, it, 2, ts);
}

/* Counts the ones of a mask; fails on a value other than 0 or 1. */
static int mask_count(const char *fn, const nl_tensor *mask, int64_t *count) {
   nl_tensor tmp;
   int rc;
   const nl_tensor *m = contig(&tmp, mask, &rc);
   int64_t c = 0, n = nl_numel(m);
   if (!rc) {
      const uint8_t *p = (const uint8_t *)nl_ptr(m);
      for (int64_t i = 0; i < n; i++) {
         if (p[i] > 1) {
            rc = nl_errorf("%s: mask values should be 0 or 1, found %d", fn, p[i]);
            break;
         }
         c += p[i];
      }
   }
   nl_tensor_release(&tmp);
   *count = c;
   return rc;
}

/* ----------------------------------------------------- masked ops */

static int masked_select_body(nl_tensor *res, const nl_tensor *t, const nl_tensor *mask) {
   const char *fn = "maskedSelect";
   if (nl_check_same_dtype(fn, res, t) || check_byte_mask(fn, mask, t)) return -1;
   NL_DEVICE_CALL(fn, masked_select, (res, t, mask), res, t, mask);
   int64_t count;
   if (mask_count(fn, mask, &count)) return -1;
   nl_tensor otmp;
   const nl_tensor *in[2] = {t, mask};
   nl_tensor *out = nl_out_for(res, &otmp, 2, in);
   if (out == res && res->_ndim > 0 && !nl_tensor_is_contiguous(res)) out = &otmp;
   int rc = count ? nl_resize_if(out, 1, &count) : nl_tensor_resize(out, 0, NULL);
   if (!rc && count > 0) {
      const index_kernels *k = kernels_for(fn, t);
      nl_iter it;
      nl_tensor tmp;
      rc = k ? mask_iter(fn, &it, t, mask, &tmp) : -1;
      if (!rc) {
         seq_ctx c = {(char *)nl_ptr(out)};
         nl_iter_run_grain(&it, k->msel, &c, INT64_MAX);
      }
      if (k) nl_tensor_release(&tmp);
   }
   return nl_out_finish(res, out, &otmp, rc);
}

NL_API int nl_masked_select(nl_tensor *res, const nl_tensor *t, const nl_tensor *mask) {
   return nl_named_rc("maskedSelect", masked_select_body(res, t, mask));
}

static int masked_fill_body(nl_tensor *t, const nl_tensor *mask, double value) {
   const char *fn = "maskedFill";
   if (check_byte_mask(fn, mask, t)) return -1;
   NL_DEVICE_CALL(fn, masked_fill, (t, mask), t, mask, value);
   int64_t count;
   if (mask_count(fn, mask, &count)) return -1;
   if (count == 0) return 0;
   const index_kernels *k = kernels_for(fn, t);
   if (!k) return -1;
   nl_iter it;
   nl_tensor tmp;
   int rc = mask_iter(fn, &it, t, mask, &tmp);
   if (!rc) nl_iter_run(&it, k->mfill, &value);
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_masked_fill(nl_tensor *t, const nl_tensor *mask, double value) {
   return nl_named_rc("maskedFill", masked_fill_body(t, mask, value));
}

static int masked_copy_body(nl_tensor *t, const nl_tensor *mask, const nl_tensor *src) {
   const char *fn = "maskedCopy";
   if (nl_check_same_dtype(fn, t, src) || check_byte_mask(fn, mask, t)) return -1;
   NL_DEVICE_CALL(fn, masked_copy, (t, mask, src), t, mask, src);
   int64_t count;
   if (mask_count(fn, mask, &count)) return -1;
   if (nl_numel(src) < count) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: the mask selects %lld elements, the source (%s) has only %lld", fn, (long long)count,
                       nl_shape_str(s, sizeof s, src), (long long)nl_numel(src));
   }
   if (count == 0) return 0;
   const index_kernels *k = kernels_for(fn, t);
   if (!k) return -1;
   nl_tensor stmp, tmp;
   int rc;
   const nl_tensor *s = contig(&stmp, src, &rc);
   nl_iter it;
   if (!rc) rc = mask_iter(fn, &it, t, mask, &tmp);
   else nl_tensor_init(&tmp, NL_BYTE, mask->_device);
   if (!rc) {
      seq_ctx c = {(char *)nl_ptr(s)};
      nl_iter_run_grain(&it, k->mcopy, &c, INT64_MAX);
   }
   nl_tensor_release(&tmp);
   nl_tensor_release(&stmp);
   return rc;
}

NL_API int nl_masked_copy(nl_tensor *t, const nl_tensor *mask, const nl_tensor *src) {
   return nl_named_rc("maskedCopy", masked_copy_body(t, mask, src));
}

/* ------------------------------------------- index along a dimension */

/* What the headers say of an index vector for dimension dim of t. */
static int check_index_vector(const char *fn, const nl_tensor *t, int dim, const nl_tensor *index) {
   if (check_long(fn, "the index", index) || nl_check_dim(fn, t, dim)) return -1;
   if (index->_ndim != 1) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: the index should be a vector (1D), got a tensor of size %s", fn,
                       nl_shape_str(s, sizeof s, index));
   }
   return 0;
}

/* The index values, after the gate: checked against t's size along dim;
 * *c gets a contiguous copy's data (kept alive in tmp, always
 * initialised). */
static int index_values(const char *fn, const nl_tensor *t, int dim, const nl_tensor *index, nl_tensor *tmp,
                        index_ctx *c) {
   int rc;
   const nl_tensor *ix = contig(tmp, index, &rc);
   if (rc) return -1;
   if (check_indices(fn, ix, dim, t->_size[dim])) return -1;
   c->idx = (const int64_t *)nl_ptr(ix);
   c->n = index->_size[0];
   return 0;
}

/* Sizes of t with dimension dim replaced by n. */
static void sizes_with(int64_t *size, const nl_tensor *t, int dim, int64_t n) {
   for (int i = 0; i < t->_ndim; i++) size[i] = t->_size[i];
   size[dim] = n;
}

/* index on contiguous tensors whose slices after dim are rows of at least
 * ROW_MIN bytes (a batch of images out of (N, C, H, W), of vectors out of
 * (N, D)): one memcpy per selected row, whatever the number of
 * dimensions. rows: outer * n, each `bytes` long. */
#define ROW_MIN 64
struct row_copy {
   char *out;
   const char *src;
   const int64_t *idx;
   int64_t n, tsize, bytes;
};

static void row_copy_range(void *ctx, int64_t begin, int64_t end, int tid) {
   (void)tid;
   const struct row_copy *r = ctx;
   for (int64_t k = begin; k < end; k++) {
      int64_t o = k / r->n, j = k % r->n;
      memcpy(r->out + k * r->bytes, r->src + (o * r->tsize + r->idx[j] - 1) * r->bytes, (size_t)r->bytes);
   }
}

static int row_copy_select(nl_tensor *out, const nl_tensor *t, int dim, const index_ctx *c) {
   if (!nl_tensor_is_contiguous(out) || !nl_tensor_is_contiguous(t)) return 0;
   int64_t outer = 1, inner = 1;
   for (int i = 0; i < dim; i++) outer *= t->_size[i];
   for (int i = dim + 1; i < t->_ndim; i++) inner *= t->_size[i];
   int64_t bytes = inner * nl_dtypes[t->_dtype].size;
   if (bytes < ROW_MIN) return 0;
   struct row_copy r = {nl_ptr(out), nl_ptr(t), c->idx, c->n, t->_size[dim], bytes};
   nl_parallel_for(outer * c->n, outer * c->n * inner, row_copy_range, &r);
   return 1;
}

static int index_select_body(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   const char *fn = "index";
   if (nl_check_same_dtype(fn, res, t) || check_index_vector(fn, t, dim, index)) return -1;
   NL_DEVICE_CALL(fn, index_select, (res, t, index), res, t, dim, index);
   const index_kernels *k = kernels_for(fn, t);
   if (!k) return -1;
   nl_tensor ix, otmp;
   index_ctx c;
   const nl_tensor *in[2] = {t, index};
   nl_tensor *out = nl_out_for(res, &otmp, 2, in);
   int rc = index_values(fn, t, dim, index, &ix, &c);
   if (!rc) {
      int64_t size[NL_MAX_DIMS];
      sizes_with(size, t, dim, c.n);
      rc = nl_resize_if(out, t->_ndim, size);
   }
   if (!rc && nl_numel(out) > 0 && !row_copy_select(out, t, dim, &c)) {
      nl_iter it;
      const nl_tensor *ts[2] = {out, t};
      rc = nl_iter_init_dim(fn, &it, 2, ts, dim);
      if (!rc) nl_iter_run_slices(&it, k->isel, &c);
   }
   nl_tensor_release(&ix);
   return nl_out_finish(res, out, &otmp, rc);
}

NL_API int nl_index_select(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   return nl_named_rc("index", index_select_body(res, t, dim, index));
}

/* indexCopy and indexAdd: t's slices index[j] take (or add) src's slices
 * j. The headers' part, before the gate: */
static int check_index_write(const char *fn, const nl_tensor *t, int dim, const nl_tensor *index,
                             const nl_tensor *src) {
   if (nl_check_same_dtype(fn, t, src) || check_index_vector(fn, t, dim, index)) return -1;
   int64_t n = index->_size[0];
   int ok = src->_ndim == t->_ndim && src->_size[dim] == n;
   for (int i = 0; ok && i < t->_ndim; i++) ok = i == dim || src->_size[i] == t->_size[i];
   if (!ok) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: the source is %s, expected the size of the %s tensor with %lld in dimension %d", fn,
                       nl_shape_str(a, sizeof a, src), nl_shape_str(b, sizeof b, t), (long long)n, dim + 1);
   }
   return 0;
}

/* ... and the CPU's, after it. */
static int index_write(const char *fn, nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src, int add) {
   const index_kernels *k = kernels_for(fn, t);
   if (!k) return -1;
   nl_tensor ix;
   index_ctx c;
   int rc = index_values(fn, t, dim, index, &ix, &c);
   if (!rc && c.n > 0 && nl_numel(t) > 0) {
      nl_iter it;
      const nl_tensor *ts[2] = {t, src};
      rc = nl_iter_init_dim(fn, &it, 2, ts, dim);
      if (!rc) nl_iter_run_slices(&it, add ? k->iadd : k->icopy, &c);
   }
   nl_tensor_release(&ix);
   return rc;
}

static int index_copy_body(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   const char *fn = "indexCopy";
   if (check_index_write(fn, t, dim, index, src)) return -1;
   NL_DEVICE_CALL(fn, index_copy, (t, index, src), t, dim, index, src);
   return index_write(fn, t, dim, index, src, 0);
}

NL_API int nl_index_copy(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return nl_named_rc("indexCopy", index_copy_body(t, dim, index, src));
}

static int index_add_body(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   const char *fn = "indexAdd";
   if (check_index_write(fn, t, dim, index, src)) return -1;
   NL_DEVICE_CALL(fn, index_add, (t, index, src), t, dim, index, src);
   return index_write(fn, t, dim, index, src, 1);
}

NL_API int nl_index_add(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return nl_named_rc("indexAdd", index_add_body(t, dim, index, src));
}

static int index_fill_body(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   const char *fn = "indexFill";
   if (check_index_vector(fn, t, dim, index)) return -1;
   NL_DEVICE_CALL(fn, index_fill, (t, index), t, dim, index, value);
   const index_kernels *k = kernels_for(fn, t);
   if (!k) return -1;
   nl_tensor ix;
   index_ctx c;
   int rc = index_values(fn, t, dim, index, &ix, &c);
   c.value = value;
   if (!rc && c.n > 0) {
      nl_iter it;
      const nl_tensor *ts[1] = {t};
      rc = nl_iter_init_dim(fn, &it, 1, ts, dim);
      if (!rc) nl_iter_run_slices(&it, k->ifill, &c);
   }
   nl_tensor_release(&ix);
   return rc;
}

NL_API int nl_index_fill(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   return nl_named_rc("indexFill", index_fill_body(t, dim, index, value));
}

/* --------------------------------------------------- gather, scatter */

/* The index of gather/scatter: a LongTensor with t's number of dimensions
 * (its values are checked after the gate, by nd_index_values). */
static int check_nd_index(const char *fn, const nl_tensor *t, int dim, const nl_tensor *index) {
   if (check_long(fn, "the index", index) || nl_check_dim(fn, t, dim)) return -1;
   if (index->_ndim != t->_ndim) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: the index (%s) should have as many dimensions as the tensor (%s)", fn,
                       nl_shape_str(a, sizeof a, index), nl_shape_str(b, sizeof b, t));
   }
   return 0;
}

/* Checks the values of index against t's size along dim. */
static int nd_index_values(const char *fn, const nl_tensor *t, int dim, const nl_tensor *index) {
   nl_tensor tmp;
   int rc;
   const nl_tensor *ix = contig(&tmp, index, &rc);
   if (!rc) rc = check_indices(fn, ix, dim, t->_size[dim]);
   nl_tensor_release(&tmp);
   return rc;
}

/* scatter's iteration over slices along dim of ts (the index first),
 * built before the gate since it checks the sizes match outside dim; none
 * for an empty index. */
static int nd_iter(const char *fn, nl_iter *it, int nt, const nl_tensor *const *ts, int dim) {
   if (nl_numel(ts[0]) == 0) {
      memset(it, 0, sizeof *it);
      return 0;
   }
   return nl_iter_init_dim(fn, it, nt, ts, dim);
}

/* gather's sizes: index and t agree outside dim (as nl_iter_init_dim
 * checks them, without building the iteration twice). */
static int check_outside(const char *fn, const nl_tensor *index, const nl_tensor *t, int dim) {
   int ok = 1;
   for (int i = 0; ok && i < t->_ndim; i++) ok = i == dim || index->_size[i] == t->_size[i];
   if (!ok && nl_numel(index) > 0) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: sizes do not match outside dimension %lld: %s and %s", fn, (long long)dim + 1,
                       nl_shape_str(a, sizeof a, index), nl_shape_str(b, sizeof b, t));
   }
   return 0;
}

static int gather_body(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   const char *fn = "gather";
   if (nl_check_same_dtype(fn, res, t) || check_nd_index(fn, t, dim, index)) return -1;
   if (check_outside(fn, index, t, dim)) return -1;
   NL_DEVICE_CALL(fn, gather, (res, t, index), res, t, dim, index);
   const index_kernels *k = kernels_for(fn, t);
   if (!k || nd_index_values(fn, t, dim, index)) return -1;
   nl_tensor otmp;
   const nl_tensor *in[2] = {t, index};
   nl_tensor *out = nl_out_for(res, &otmp, 2, in);
   int rc = nl_resize_if(out, index->_ndim, index->_size);
   if (!rc && nl_numel(out) > 0) {
      nl_iter it;
      const nl_tensor *ts[3] = {out, t, index};
      rc = nl_iter_init_dim(fn, &it, 3, ts, dim);
      if (!rc) nl_iter_run_slices(&it, k->gather, NULL);
   }
   return nl_out_finish(res, out, &otmp, rc);
}

NL_API int nl_gather(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   return nl_named_rc("gather", gather_body(res, t, dim, index));
}

static int scatter_body(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   const char *fn = "scatter";
   if (nl_check_same_dtype(fn, t, src) || check_nd_index(fn, t, dim, index)) return -1;
   int ok = src->_ndim == index->_ndim;
   for (int i = 0; ok && i < index->_ndim; i++)
      ok = src->_size[i] >= index->_size[i] && (i == dim || src->_size[i] == index->_size[i]);
   if (!ok) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: the source (%s) should have the size of the index (%s)", fn,
                       nl_shape_str(a, sizeof a, src), nl_shape_str(b, sizeof b, index));
   }
   nl_iter it;
   const nl_tensor *ts[3] = {index, t, src};
   if (nd_iter(fn, &it, 3, ts, dim)) return -1;
   NL_DEVICE_CALL(fn, scatter, (t, index, src), t, dim, index, src);
   const index_kernels *k = kernels_for(fn, t);
   if (!k || nd_index_values(fn, t, dim, index)) return -1;
   if (nl_numel(index) > 0) nl_iter_run_slices(&it, k->scatter, NULL);
   return 0;
}

NL_API int nl_scatter(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return nl_named_rc("scatter", scatter_body(t, dim, index, src));
}

static int scatter_fill_body(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   const char *fn = "scatter";
   if (check_nd_index(fn, t, dim, index)) return -1;
   nl_iter it;
   const nl_tensor *ts[2] = {index, t};
   if (nd_iter(fn, &it, 2, ts, dim)) return -1;
   NL_DEVICE_CALL(fn, scatter_fill, (t, index), t, dim, index, value);
   const index_kernels *k = kernels_for(fn, t);
   if (!k || nd_index_values(fn, t, dim, index)) return -1;
   if (nl_numel(index) > 0) nl_iter_run_slices(&it, k->scatterv, &value);
   return 0;
}

NL_API int nl_scatter_fill(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   return nl_named_rc("scatter", scatter_fill_body(t, dim, index, value));
}

/* ------------------------------------------------------------ nonzero */

static int nonzero_body(nl_tensor *res, const nl_tensor *t) {
   const char *fn = "nonzero";
   if (check_long(fn, "the result", res)) return -1;
   NL_DEVICE_CALL(fn, nonzero, (res, t), res, t);
   if (nl_numel(t) == 0) return nl_tensor_resize(res, 0, NULL);
   const index_kernels *k = kernels_for(fn, t);
   if (!k) return -1;
   int64_t count = k->nonzero(t, NULL);
   int64_t size[2] = {count, t->_ndim};
   nl_tensor out;
   nl_tensor_init(&out, NL_LONG, res->_device);
   int rc = nl_tensor_resize(&out, count ? 2 : 0, size);
   if (!rc && count) k->nonzero(t, (int64_t *)nl_ptr(&out));
   if (!rc) rc = nl_tensor_set(res, &out);
   nl_tensor_release(&out);
   return rc;
}

NL_API int nl_nonzero(nl_tensor *res, const nl_tensor *t) {
   return nl_named_rc("nonzero", nonzero_body(res, t));
}

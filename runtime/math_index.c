/* math_index.c: Torch7's indexing operations on CPU tensors: masked
 * select/fill/copy, index (select, copy, add, fill) along a dimension,
 * gather, scatter, nonzero.
 *
 * Index tensors are LongTensors holding Torch7's 1-based values (user data,
 * passed through unchanged); dimensions are 0-based. Every index is checked
 * before any element is written, so a bad index leaves the output alone, and
 * the message names the Lua function, the index, the dimension and its size:
 * "index: index 7 out of range for dimension 1 of size 5". */
#include "apply.h"
#include <string.h>
#include <stdio.h>

/* Prefixes the failure message of a call with fn unless it names fn
 * already (an allocation failure deep in a resize says "resize ..."). */
static int named(const char *fn, int rc) {
   size_t n = strlen(fn);
   const char *m = nl_last_error();
   if (rc && !(strncmp(m, fn, n) == 0 && m[n] == ':')) {
      char msg[1024];
      snprintf(msg, sizeof msg, "%s", m);
      nl_errorf("%s: %s", fn, msg);
   }
   return rc;
}

/* ------------------------------------------------------------ helpers */

static int resize_if(nl_tensor *t, int ndim, const int64_t *size) {
   int same = t->_ndim == ndim;
   for (int i = 0; same && i < ndim; i++) same = t->_size[i] == size[i];
   if (same) return 0;
   return nl_tensor_resize(t, ndim, size);
}

/* Where a result is built: res itself, or (when res shares storage with
 * an input, which the kernel would overwrite while reading) the temporary
 * tmp, which finish() then hands to res. tmp is always initialised. */
static nl_tensor *out_for(nl_tensor *res, nl_tensor *tmp, int n, const nl_tensor *const *inputs) {
   nl_tensor_init(tmp, res->_dtype, res->_device);
   for (int i = 0; i < n; i++)
      if (res->_storage && inputs[i] && inputs[i]->_storage == res->_storage) return tmp;
   return res;
}

static int finish(nl_tensor *res, nl_tensor *out, nl_tensor *tmp, int rc) {
   if (!rc && out == tmp) rc = nl_tensor_set(res, tmp);
   nl_tensor_release(tmp);
   return rc;
}

/* A contiguous version of t: t itself, or a copy in tmp (released by the
 * caller; tmp is always initialised). */
static const nl_tensor *contig(nl_tensor *tmp, const nl_tensor *t, int *rc) {
   nl_tensor_init(tmp, t->_dtype, t->_device);
   *rc = 0;
   if (t->_ndim == 0 || nl_tensor_is_contiguous(t)) return t;
   *rc = nl_tensor_resize(tmp, t->_ndim, t->_size);
   if (!*rc) *rc = nl_copy(tmp, t);
   return tmp;
}

static int check_long(const char *fn, const char *what, const nl_tensor *t) {
   if (t->_dtype != NL_LONG || t->_device != NL_CPU)
      return nl_errorf("%s: %s should be a torch.LongTensor, got %s", fn, what, nl_type_name(t));
   return 0;
}

static int check_byte_mask(const char *fn, const nl_tensor *mask, const nl_tensor *t) {
   if (mask->_dtype != NL_BYTE || mask->_device != NL_CPU)
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
   nl_tensor_init(tmp, NL_BYTE, NL_CPU);
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

typedef struct {
   char *out;          /* next element of a contiguous output/source */
} seq_ctx;

/* p[0]: the tensor, p[1]: the mask. Serial (the output is sequential). */
#define MASKED_ROWS(E, T, N, F) \
   static void msel_##N(void *ctx, int64_t n, char **p, const int64_t *s) { \
      T **o = (T **)&((seq_ctx *)ctx)->out; \
      const T *a = (const T *)p[0]; \
      const uint8_t *m = (const uint8_t *)p[1]; \
      for (int64_t i = 0; i < n; i++) \
         if (m[i * s[1]]) *(*o)++ = a[i * s[0]]; \
   } \
   static void mcopy_##N(void *ctx, int64_t n, char **p, const int64_t *s) { \
      const T **src = (const T **)&((seq_ctx *)ctx)->out; \
      T *a = (T *)p[0]; \
      const uint8_t *m = (const uint8_t *)p[1]; \
      for (int64_t i = 0; i < n; i++) \
         if (m[i * s[1]]) a[i * s[0]] = *(*src)++; \
   } \
   static void mfill_##N(void *ctx, int64_t n, char **p, const int64_t *s) { \
      T v = (T)(*(const double *)ctx), *a = (T *)p[0]; \
      const uint8_t *m = (const uint8_t *)p[1]; \
      for (int64_t i = 0; i < n; i++) \
         if (m[i * s[1]]) a[i * s[0]] = v; \
   }
NL_FOR_EACH_DTYPE(MASKED_ROWS)

#define ENTRY(E, T, N, F) [E] = msel_##N,
static const nl_row_fn msel_rows[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = mcopy_##N,
static const nl_row_fn mcopy_rows[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = mfill_##N,
static const nl_row_fn mfill_rows[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY

static int masked_select_body(nl_tensor *res, const nl_tensor *t, const nl_tensor *mask) {
   const char *fn = "maskedSelect";
   if (nl_check_cpu(fn, t) || nl_check_same_dtype(fn, res, t) || check_byte_mask(fn, mask, t)) return -1;
   int64_t count;
   if (mask_count(fn, mask, &count)) return -1;
   nl_tensor otmp;
   const nl_tensor *in[2] = {t, mask};
   nl_tensor *out = out_for(res, &otmp, 2, in);
   if (out == res && res->_ndim > 0 && !nl_tensor_is_contiguous(res)) out = &otmp;
   int rc = count ? resize_if(out, 1, &count) : nl_tensor_resize(out, 0, NULL);
   if (!rc && count > 0) {
      nl_iter it;
      nl_tensor tmp;
      rc = mask_iter(fn, &it, t, mask, &tmp);
      if (!rc) {
         seq_ctx c = {(char *)nl_ptr(out)};
         nl_iter_run_grain(&it, msel_rows[t->_dtype], &c, INT64_MAX);
      }
      nl_tensor_release(&tmp);
   }
   return finish(res, out, &otmp, rc);
}

NL_API int nl_masked_select(nl_tensor *res, const nl_tensor *t, const nl_tensor *mask) {
   return named("maskedSelect", masked_select_body(res, t, mask));
}

static int masked_fill_body(nl_tensor *t, const nl_tensor *mask, double value) {
   const char *fn = "maskedFill";
   if (nl_check_cpu(fn, t) || check_byte_mask(fn, mask, t)) return -1;
   int64_t count;
   if (mask_count(fn, mask, &count)) return -1;
   if (count == 0) return 0;
   nl_iter it;
   nl_tensor tmp;
   int rc = mask_iter(fn, &it, t, mask, &tmp);
   if (!rc) nl_iter_run(&it, mfill_rows[t->_dtype], &value);
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_masked_fill(nl_tensor *t, const nl_tensor *mask, double value) {
   return named("maskedFill", masked_fill_body(t, mask, value));
}

static int masked_copy_body(nl_tensor *t, const nl_tensor *mask, const nl_tensor *src) {
   const char *fn = "maskedCopy";
   if (nl_check_cpu(fn, t) || nl_check_same_dtype(fn, t, src) || check_byte_mask(fn, mask, t)) return -1;
   int64_t count;
   if (mask_count(fn, mask, &count)) return -1;
   if (nl_numel(src) < count) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: the mask selects %lld elements, the source (%s) has only %lld", fn, (long long)count,
                       nl_shape_str(s, sizeof s, src), (long long)nl_numel(src));
   }
   if (count == 0) return 0;
   nl_tensor stmp, tmp;
   int rc;
   const nl_tensor *s = contig(&stmp, src, &rc);
   nl_iter it;
   if (!rc) rc = mask_iter(fn, &it, t, mask, &tmp);
   else nl_tensor_init(&tmp, NL_BYTE, NL_CPU);
   if (!rc) {
      seq_ctx c = {(char *)nl_ptr(s)};
      nl_iter_run_grain(&it, mcopy_rows[t->_dtype], &c, INT64_MAX);
   }
   nl_tensor_release(&tmp);
   nl_tensor_release(&stmp);
   return rc;
}

NL_API int nl_masked_copy(nl_tensor *t, const nl_tensor *mask, const nl_tensor *src) {
   return named("maskedCopy", masked_copy_body(t, mask, src));
}

/* ------------------------------------------- index along a dimension */

typedef struct {
   const int64_t *idx;   /* 1-based, contiguous */
   int64_t n;            /* number of indices */
   double value;
} index_ctx;

/* Slices along dim: p[0] the tensor written, p[1] the other (read). */
#define INDEX_SLICES(E, T, N, F) \
   static void isel_##N(void *ctx, const nl_iter *it, char **p) { \
      const index_ctx *c = (const index_ctx *)ctx; \
      T *r = (T *)p[0]; \
      const T *a = (const T *)p[1]; \
      int64_t sr = it->dstride[0], sa = it->dstride[1]; \
      for (int64_t j = 0; j < c->n; j++) r[j * sr] = a[(c->idx[j] - 1) * sa]; \
   } \
   static void icopy_##N(void *ctx, const nl_iter *it, char **p) { \
      const index_ctx *c = (const index_ctx *)ctx; \
      T *r = (T *)p[0]; \
      const T *a = (const T *)p[1]; \
      int64_t sr = it->dstride[0], sa = it->dstride[1]; \
      for (int64_t j = 0; j < c->n; j++) r[(c->idx[j] - 1) * sr] = a[j * sa]; \
   } \
   static void iadd_##N(void *ctx, const nl_iter *it, char **p) { \
      const index_ctx *c = (const index_ctx *)ctx; \
      T *r = (T *)p[0]; \
      const T *a = (const T *)p[1]; \
      int64_t sr = it->dstride[0], sa = it->dstride[1]; \
      for (int64_t j = 0; j < c->n; j++) r[(c->idx[j] - 1) * sr] = (T)(r[(c->idx[j] - 1) * sr] + a[j * sa]); \
   } \
   static void ifill_##N(void *ctx, const nl_iter *it, char **p) { \
      const index_ctx *c = (const index_ctx *)ctx; \
      T *r = (T *)p[0], v = (T)c->value; \
      int64_t sr = it->dstride[0]; \
      for (int64_t j = 0; j < c->n; j++) r[(c->idx[j] - 1) * sr] = v; \
   }
NL_FOR_EACH_DTYPE(INDEX_SLICES)

#define ENTRY(E, T, N, F) [E] = isel_##N,
static const nl_slice_fn isel_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = icopy_##N,
static const nl_slice_fn icopy_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = iadd_##N,
static const nl_slice_fn iadd_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = ifill_##N,
static const nl_slice_fn ifill_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY

/* Validates an index vector for dimension dim of t; *c gets a contiguous
 * copy's data (kept alive in tmp). */
static int index_prepare(const char *fn, const nl_tensor *t, int dim, const nl_tensor *index, nl_tensor *tmp,
                         index_ctx *c) {
   nl_tensor_init(tmp, NL_LONG, NL_CPU);
   if (nl_check_cpu(fn, t) || check_long(fn, "the index", index)) return -1;
   if (nl_check_dim(fn, t, dim)) return -1;
   if (index->_ndim != 1) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: the index should be a vector (1D), got a tensor of size %s", fn,
                       nl_shape_str(s, sizeof s, index));
   }
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

static int index_select_body(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   const char *fn = "index";
   if (nl_check_same_dtype(fn, res, t)) return -1;
   nl_tensor ix, otmp;
   index_ctx c;
   const nl_tensor *in[2] = {t, index};
   nl_tensor *out = out_for(res, &otmp, 2, in);
   int rc = index_prepare(fn, t, dim, index, &ix, &c);
   if (!rc) {
      int64_t size[NL_MAX_DIMS];
      sizes_with(size, t, dim, c.n);
      rc = resize_if(out, t->_ndim, size);
   }
   if (!rc && nl_numel(out) > 0) {
      nl_iter it;
      const nl_tensor *ts[2] = {out, t};
      rc = nl_iter_init_dim(fn, &it, 2, ts, dim);
      if (!rc) nl_iter_run_slices(&it, isel_slices[t->_dtype], &c);
   }
   nl_tensor_release(&ix);
   return finish(res, out, &otmp, rc);
}

NL_API int nl_index_select(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   return named("index", index_select_body(res, t, dim, index));
}

/* indexCopy and indexAdd: t's slices idx[j] take (or add) src's slices j. */
static int index_write(const char *fn, nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src,
                       const nl_slice_fn *table) {
   if (nl_check_same_dtype(fn, t, src)) return -1;
   nl_tensor ix;
   index_ctx c;
   int rc = index_prepare(fn, t, dim, index, &ix, &c);
   if (!rc) {
      int ok = src->_ndim == t->_ndim && src->_size[dim] == c.n;
      for (int i = 0; ok && i < t->_ndim; i++) ok = i == dim || src->_size[i] == t->_size[i];
      if (!ok) {
         char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
         rc = nl_errorf("%s: the source is %s, expected the size of the %s tensor with %lld in dimension %d", fn,
                        nl_shape_str(a, sizeof a, src), nl_shape_str(b, sizeof b, t), (long long)c.n, dim + 1);
      }
   }
   if (!rc && c.n > 0 && nl_numel(t) > 0) {
      nl_iter it;
      const nl_tensor *ts[2] = {t, src};
      rc = nl_iter_init_dim(fn, &it, 2, ts, dim);
      if (!rc) nl_iter_run_slices(&it, table[t->_dtype], &c);
   }
   nl_tensor_release(&ix);
   return rc;
}

static int index_copy_body(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return index_write("indexCopy", t, dim, index, src, icopy_slices);
}

NL_API int nl_index_copy(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return named("indexCopy", index_copy_body(t, dim, index, src));
}

static int index_add_body(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return index_write("indexAdd", t, dim, index, src, iadd_slices);
}

NL_API int nl_index_add(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return named("indexAdd", index_add_body(t, dim, index, src));
}

static int index_fill_body(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   const char *fn = "indexFill";
   nl_tensor ix;
   index_ctx c;
   int rc = index_prepare(fn, t, dim, index, &ix, &c);
   c.value = value;
   if (!rc && c.n > 0) {
      nl_iter it;
      const nl_tensor *ts[1] = {t};
      rc = nl_iter_init_dim(fn, &it, 1, ts, dim);
      if (!rc) nl_iter_run_slices(&it, ifill_slices[t->_dtype], &c);
   }
   nl_tensor_release(&ix);
   return rc;
}

NL_API int nl_index_fill(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   return named("indexFill", index_fill_body(t, dim, index, value));
}

/* --------------------------------------------------- gather, scatter */

/* Slices along dim. gather: p = {res, t, index}; scatter: p = {index, t,
 * src}. The index slice has it->dsize elements (ts[0]'s size). */
#define GATHER_SLICES(E, T, N, F) \
   static void gather_##N(void *ctx, const nl_iter *it, char **p) { \
      (void)ctx; \
      T *r = (T *)p[0]; \
      const T *a = (const T *)p[1]; \
      const int64_t *ix = (const int64_t *)p[2]; \
      for (int64_t j = 0; j < it->dsize; j++) \
         r[j * it->dstride[0]] = a[(ix[j * it->dstride[2]] - 1) * it->dstride[1]]; \
   } \
   static void scatter_##N(void *ctx, const nl_iter *it, char **p) { \
      (void)ctx; \
      const int64_t *ix = (const int64_t *)p[0]; \
      T *r = (T *)p[1]; \
      const T *a = (const T *)p[2]; \
      for (int64_t j = 0; j < it->dsize; j++) \
         r[(ix[j * it->dstride[0]] - 1) * it->dstride[1]] = a[j * it->dstride[2]]; \
   } \
   static void scatterv_##N(void *ctx, const nl_iter *it, char **p) { \
      T v = (T)(*(const double *)ctx); \
      const int64_t *ix = (const int64_t *)p[0]; \
      T *r = (T *)p[1]; \
      for (int64_t j = 0; j < it->dsize; j++) r[(ix[j * it->dstride[0]] - 1) * it->dstride[1]] = v; \
   }
NL_FOR_EACH_DTYPE(GATHER_SLICES)

#define ENTRY(E, T, N, F) [E] = gather_##N,
static const nl_slice_fn gather_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = scatter_##N,
static const nl_slice_fn scatter_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = scatterv_##N,
static const nl_slice_fn scatterv_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY

/* The index of gather/scatter: a LongTensor with t's number of dimensions,
 * values checked against t's size along dim. */
static int check_nd_index(const char *fn, const nl_tensor *t, int dim, const nl_tensor *index) {
   if (nl_check_cpu(fn, t) || check_long(fn, "the index", index) || nl_check_dim(fn, t, dim)) return -1;
   if (index->_ndim != t->_ndim) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: the index (%s) should have as many dimensions as the tensor (%s)", fn,
                       nl_shape_str(a, sizeof a, index), nl_shape_str(b, sizeof b, t));
   }
   nl_tensor tmp;
   int rc;
   const nl_tensor *ix = contig(&tmp, index, &rc);
   if (!rc) rc = check_indices(fn, ix, dim, t->_size[dim]);
   nl_tensor_release(&tmp);
   return rc;
}

static int gather_body(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   const char *fn = "gather";
   if (nl_check_same_dtype(fn, res, t) || check_nd_index(fn, t, dim, index)) return -1;
   nl_tensor otmp;
   const nl_tensor *in[2] = {t, index};
   nl_tensor *out = out_for(res, &otmp, 2, in);
   int rc = resize_if(out, index->_ndim, index->_size);
   if (!rc && nl_numel(out) > 0) {
      nl_iter it;
      const nl_tensor *ts[3] = {out, t, index};
      rc = nl_iter_init_dim(fn, &it, 3, ts, dim);
      if (!rc) nl_iter_run_slices(&it, gather_slices[t->_dtype], NULL);
   }
   return finish(res, out, &otmp, rc);
}

NL_API int nl_gather(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   return named("gather", gather_body(res, t, dim, index));
}

static int scatter_body(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   const char *fn = "scatter";
   if (nl_check_same_dtype(fn, t, src) || check_nd_index(fn, t, dim, index)) return -1;
   int ok = src->_ndim == index->_ndim;
   for (int i = 0; ok && i < index->_ndim; i++) ok = src->_size[i] >= index->_size[i] && (i == dim || src->_size[i] == index->_size[i]);
   if (!ok) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: the source (%s) should have the size of the index (%s)", fn,
                       nl_shape_str(a, sizeof a, src), nl_shape_str(b, sizeof b, index));
   }
   if (nl_numel(index) == 0) return 0;
   nl_iter it;
   const nl_tensor *ts[3] = {index, t, src};
   if (nl_iter_init_dim(fn, &it, 3, ts, dim)) return -1;
   nl_iter_run_slices(&it, scatter_slices[t->_dtype], NULL);
   return 0;
}

NL_API int nl_scatter(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return named("scatter", scatter_body(t, dim, index, src));
}

static int scatter_fill_body(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   const char *fn = "scatter";
   if (check_nd_index(fn, t, dim, index)) return -1;
   if (nl_numel(index) == 0) return 0;
   nl_iter it;
   const nl_tensor *ts[2] = {index, t};
   if (nl_iter_init_dim(fn, &it, 2, ts, dim)) return -1;
   nl_iter_run_slices(&it, scatterv_slices[t->_dtype], &value);
   return 0;
}

NL_API int nl_scatter_fill(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   return named("scatter", scatter_fill_body(t, dim, index, value));
}

/* ------------------------------------------------------------ nonzero */

/* Writes the 1-based coordinates of nonzero elements, row-major order,
 * into out: (count, ndim); with out NULL only counts. */
#define NONZERO(E, T, N, F) \
   static int64_t nonzero_##N(const nl_tensor *t, int64_t *out) { \
      const T *p = (const T *)nl_ptr(t); \
      int nd = t->_ndim; \
      int64_t c[NL_MAX_DIMS] = {0}, off = 0, k = 0, n = nl_numel(t); \
      for (int64_t i = 0; i < n; i++) { \
         if (p[off] != 0) { \
            if (out) for (int d = 0; d < nd; d++) out[k * nd + d] = c[d] + 1; \
            k++; \
         } \
         for (int d = nd - 1; d >= 0; d--) { \
            off += t->_stride[d]; \
            if (++c[d] < t->_size[d]) break; \
            off -= c[d] * t->_stride[d]; \
            c[d] = 0; \
         } \
      } \
      return k; \
   }
NL_FOR_EACH_DTYPE(NONZERO)
typedef int64_t (*nonzero_fn)(const nl_tensor *, int64_t *);
#define ENTRY(E, T, N, F) [E] = nonzero_##N,
static const nonzero_fn nonzero_fns[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY

static int nonzero_body(nl_tensor *res, const nl_tensor *t) {
   const char *fn = "nonzero";
   if (nl_check_cpu(fn, t) || check_long(fn, "the result", res)) return -1;
   if (nl_numel(t) == 0) return nl_tensor_resize(res, 0, NULL);
   int64_t count = nonzero_fns[t->_dtype](t, NULL);
   int64_t size[2] = {count, t->_ndim};
   nl_tensor out;
   nl_tensor_init(&out, NL_LONG, NL_CPU);
   int rc = nl_tensor_resize(&out, count ? 2 : 0, size);
   if (!rc && count) nonzero_fns[t->_dtype](t, (int64_t *)nl_ptr(&out));
   if (!rc) rc = nl_tensor_set(res, &out);
   nl_tensor_release(&out);
   return rc;
}

NL_API int nl_nonzero(nl_tensor *res, const nl_tensor *t) {
   return named("nonzero", nonzero_body(res, t));
}

/* ------------------------------------------ tril, triu, diag, eye */

/* A header sharing t's storage with no reference taken: valid while t
 * lives, never released. */
static nl_tensor view2(const nl_tensor *t, int64_t off, int ndim, const int64_t *size, const int64_t *stride) {
   nl_tensor r = *t;
   r._offset = t->_offset + off;
   r._ndim = ndim;
   for (int i = 0; i < ndim; i++) r._size[i] = size[i], r._stride[i] = stride[i];
   return r;
}

/* upper 0: keep j <= i + k (tril); upper 1: keep j >= i + k (triu). */
static int tri(const char *fn, nl_tensor *res, const nl_tensor *t, int64_t k, int upper) {
   if (nl_check_cpu(fn, t) || nl_check_same_dtype(fn, res, t)) return -1;
   if (t->_ndim != 2) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: expected a matrix (2D), got a tensor of size %s", fn, nl_shape_str(s, sizeof s, t));
   }
   if (res != t && !(res->_storage == t->_storage && res->_offset == t->_offset)) {
      if (resize_if(res, 2, t->_size) || nl_copy(res, t)) return -1;
   }
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

NL_API int nl_tril(nl_tensor *res, const nl_tensor *t, int64_t k) { return named("tril", tri("tril", res, t, k, 0)); }
NL_API int nl_triu(nl_tensor *res, const nl_tensor *t, int64_t k) { return named("triu", tri("triu", res, t, k, 1)); }

static int diag_body(nl_tensor *res, const nl_tensor *t, int64_t k) {
   const char *fn = "diag";
   if (nl_check_cpu(fn, t) || nl_check_same_dtype(fn, res, t)) return -1;
   if (k > ((int64_t)1 << 40) || k < -((int64_t)1 << 40))
      return nl_errorf("%s: diagonal %lld is out of range", fn, (long long)k);
   int64_t ak = k < 0 ? -k : k;
   if (t->_ndim == 1) {
      /* vector -> (n + |k|) square matrix with the vector on diagonal k */
      int64_t n = t->_size[0] + ak, size[2] = {n, n};
      nl_tensor out;
      nl_tensor_init(&out, t->_dtype, NL_CPU);
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
   if (t->_ndim == 2) {
      int64_t r = t->_size[0], c = t->_size[1];
      int64_t len = k >= 0 ? (c - k < r ? c - k : r) : (r + k < c ? r + k : c);
      if (len <= 0) {
         char s[NL_SHAPE_BUF];
         return nl_errorf("%s: diagonal %lld is outside a %s matrix", fn, (long long)k, nl_shape_str(s, sizeof s, t));
      }
      int64_t off = k >= 0 ? k * t->_stride[1] : -k * t->_stride[0], st = t->_stride[0] + t->_stride[1];
      nl_tensor d = view2(t, off, 1, &len, &st);
      nl_tensor out;
      nl_tensor_init(&out, t->_dtype, NL_CPU);
      int rc = nl_tensor_resize(&out, 1, &len);
      if (!rc) rc = nl_copy(&out, &d);
      if (!rc) rc = nl_tensor_set(res, &out);
      nl_tensor_release(&out);
      return rc;
   }
   char s[NL_SHAPE_BUF];
   return nl_errorf("%s: expected a vector or a matrix, got a tensor of size %s", fn, nl_shape_str(s, sizeof s, t));
}

NL_API int nl_diag(nl_tensor *res, const nl_tensor *t, int64_t k) {
   return named("diag", diag_body(res, t, k));
}

static int eye_body(nl_tensor *res, int64_t n, int64_t m) {
   const char *fn = "eye";
   if (nl_check_cpu(fn, res)) return -1;
   if (m <= 0) m = n;
   if (n <= 0) return nl_errorf("%s: invalid size %lldx%lld", fn, (long long)n, (long long)m);
   int64_t size[2] = {n, m};
   if (resize_if(res, 2, size) || nl_fill(res, 0)) return -1;
   int64_t len = n < m ? n : m, st = res->_stride[0] + res->_stride[1];
   nl_tensor d = view2(res, 0, 1, &len, &st);
   return nl_fill(&d, 1);
}

NL_API int nl_eye(nl_tensor *res, int64_t n, int64_t m) {
   return named("eye", eye_body(res, n, m));
}

/* ---------------------------------------------------------------- cat */

static int cat_body(nl_tensor *res, const nl_tensor *const *ts, int n, int dim) {
   const char *fn = "cat";
   const nl_tensor *first = NULL;
   int nd = 0;
   for (int i = 0; i < n; i++) {
      if (nl_check_cpu(fn, ts[i]) || nl_check_same_dtype(fn, res, ts[i])) return -1;
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
   if (!first) return nl_tensor_resize(res, 0, NULL);
   size[dim] = total;
   nl_tensor otmp;
   nl_tensor *out = out_for(res, &otmp, n, ts);
   int rc = resize_if(out, first->_ndim, size);
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
   return finish(res, out, &otmp, rc);
}

NL_API int nl_cat(nl_tensor *res, const nl_tensor *const *ts, int n, int dim) {
   return named("cat", cat_body(res, ts, n, dim));
}

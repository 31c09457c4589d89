/* sort.c: sort and topk along a dimension of a CPU tensor (Torch7's
 * torch.sort, torch.topk).
 *
 * Each slice is copied to a contiguous buffer and sorted by a merge sort of
 * positions, so equal keys keep their original order (stable; Torch7's
 * quicksort leaves their order unspecified). NaN compares above every
 * number, as in Torch7: last when ascending, first when descending.
 * Index outputs are LongTensors of 1-based positions. */
#include "apply.h"
#include <stdlib.h>
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

typedef struct {
   int descending;
   int64_t k;            /* elements written per slice (topk), or the size */
   int failed;           /* a scratch allocation failed */
} sort_ctx;

/* before(x, y): x goes strictly before y. */
#define LESS_NAN(x, y) ((x) < (y) || ((y) != (y) && (x) == (x)))

/* p[0]: input slice (it->dsize elements), p[1]: values, p[2]: indices,
 * each at its own stride along the dimension; writes c->k elements. */
#define SORT_SLICE(E, T, N, F) \
   static void msort_##N(const T *key, int64_t *a, int64_t *tmp, int64_t n, int desc) { \
      if (n < 16) { \
         for (int64_t i = 1; i < n; i++) { \
            int64_t v = a[i], j = i; \
            while (j > 0 && (desc ? LESS_NAN(key[a[j - 1]], key[v]) : LESS_NAN(key[v], key[a[j - 1]]))) \
               a[j] = a[j - 1], j--; \
            a[j] = v; \
         } \
         return; \
      } \
      int64_t h = n / 2; \
      msort_##N(key, a, tmp, h, desc); \
      msort_##N(key, a + h, tmp, n - h, desc); \
      memcpy(tmp, a, (size_t)h * sizeof *a); \
      int64_t i = 0, j = h, o = 0; \
      while (i < h && j < n) { \
         /* take from the right only when strictly before: stability */ \
         int right = desc ? LESS_NAN(key[tmp[i]], key[a[j]]) : LESS_NAN(key[a[j]], key[tmp[i]]); \
         a[o++] = right ? a[j++] : tmp[i++]; \
      } \
      while (i < h) a[o++] = tmp[i++]; \
   } \
   static void sort_##N(void *ctx, const nl_iter *it, char **p) { \
      sort_ctx *c = (sort_ctx *)ctx; \
      int64_t n = it->dsize; \
      T *key = malloc((size_t)n * sizeof(T)); \
      int64_t *perm = malloc((size_t)n * sizeof(int64_t)), *tmp = malloc((size_t)(n / 2 + 1) * sizeof(int64_t)); \
      if (!key || !perm || !tmp) { \
         c->failed = 1; \
      } else { \
         const T *x = (const T *)p[0]; \
         for (int64_t i = 0; i < n; i++) key[i] = x[i * it->dstride[0]], perm[i] = i; \
         msort_##N(key, perm, tmp, n, c->descending); \
         T *v = (T *)p[1]; \
         int64_t *ix = (int64_t *)p[2]; \
         for (int64_t i = 0; i < c->k; i++) { \
            v[i * it->dstride[1]] = key[perm[i]]; \
            ix[i * it->dstride[2]] = perm[i] + 1; \
         } \
      } \
      free(key); \
      free(perm); \
      free(tmp); \
   }
NL_FOR_EACH_DTYPE(SORT_SLICE)
#define ENTRY(E, T, N, F) [E] = sort_##N,
static const nl_slice_fn sort_slices[NL_NUM_DTYPES] = {NL_FOR_EACH_DTYPE(ENTRY)};
#undef ENTRY

/* Sorts (or takes the first k of) every slice of t along dim. values and
 * indices are resized to t's size with k along dim. */
static int sort_impl(const char *fn, nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim,
                     int descending) {
   if (nl_check_cpu(fn, t) || nl_check_same_dtype(fn, values, t)) return -1;
   if (indices->_dtype != NL_LONG || indices->_device != NL_CPU)
      return nl_errorf("%s: the indices should be a torch.LongTensor, got %s", fn, nl_type_name(indices));
   if (t->_ndim == 0) {
      if (nl_tensor_resize(values, 0, NULL) || nl_tensor_resize(indices, 0, NULL)) return -1;
      return 0;
   }
   if (nl_check_dim(fn, t, dim)) return -1;
   if (k < 0 || k > t->_size[dim]) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: k = %lld out of range for dimension %d of a %s tensor", fn, (long long)k, dim + 1,
                       nl_shape_str(s, sizeof s, t));
   }
   int64_t size[NL_MAX_DIMS];
   for (int i = 0; i < t->_ndim; i++) size[i] = t->_size[i];
   size[dim] = k;
   /* outputs that alias the input (x:sort() into x) are sorted aside */
   nl_tensor src;
   nl_tensor_init(&src, t->_dtype, NL_CPU);
   const nl_tensor *in = t;
   if (t->_storage && (values->_storage == t->_storage || indices->_storage == t->_storage)) {
      if (nl_tensor_resize(&src, t->_ndim, t->_size) || nl_copy(&src, t)) {
         nl_tensor_release(&src);
         return -1;
      }
      in = &src;
   }
   int rc = nl_tensor_resize(values, t->_ndim, size);
   if (!rc) rc = nl_tensor_resize(indices, t->_ndim, size);
   if (!rc && k > 0) {
      nl_iter it;
      const nl_tensor *ts[3] = {in, values, indices};
      sort_ctx c = {descending, k, 0};
      rc = nl_iter_init_dim(fn, &it, 3, ts, dim);
      if (!rc) nl_iter_run_slices(&it, sort_slices[t->_dtype], &c);
      if (!rc && c.failed) rc = nl_errorf("%s: cannot allocate a sort buffer of %lld elements", fn, (long long)t->_size[dim]);
   }
   nl_tensor_release(&src);
   return rc;
}

static int sort_body(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int dim, int descending) {
   return sort_impl("sort", values, indices, t, t->_ndim > 0 && dim >= 0 && dim < t->_ndim ? t->_size[dim] : 0, dim,
                    descending);
}

NL_API int nl_sort(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int dim, int descending) {
   return named("sort", sort_body(values, indices, t, dim, descending));
}

static int topk_body(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim, int largest,
                   int sorted) {
   /* a full sort gives the k extremes in order, which is also a valid
    * answer when sorted is false */
   (void)sorted;
   return sort_impl("topk", values, indices, t, k, dim, largest);
}

NL_API int nl_topk(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim, int largest,
                   int sorted) {
   return named("topk", topk_body(values, indices, t, k, dim, largest, sorted));
}

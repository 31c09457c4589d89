/* sort.c: sort and topk along a dimension (Torch7's torch.sort,
 * torch.topk). The front functions validate and resize the outputs, then
 * pass the device gate (backend.h); CPU tensors go to the per-dtype slice
 * sorts of sort_impl.h.
 *
 * Each slice is copied to a contiguous buffer and sorted by Torch7's own
 * quicksort (topk: its quickselect), so that equal keys, and NaNs, which
 * compare false both ways, come out in the order Torch7 gave them.
 * Index outputs are LongTensors of 1-based positions. */
#include "apply.h"
#include "backend.h"
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
   int descending;       /* sort: descending; topk: the k largest */
   int64_t k;            /* elements written per slice (topk), or the size */
   int failed;           /* a scratch allocation failed */
   int topk, sorted;     /* a topk, and whether its k come sorted */
} sort_ctx;

#define NL_CAT_(a, b) a##b
#define NL_CAT(a, b) NL_CAT_(a, b)

#define NL_IMPL "sort_impl.h"
#include "dtype_each.h"

static const nl_slice_fn sort_slices[NL_NUM_DTYPES] = {
   [NL_BYTE] = sort_slice_Byte, [NL_CHAR] = sort_slice_Char,   [NL_SHORT] = sort_slice_Short,
   [NL_INT] = sort_slice_Int,   [NL_LONG] = sort_slice_Long,   [NL_FLOAT] = sort_slice_Float,
   [NL_DOUBLE] = sort_slice_Double,
};

/* The outputs alias the input (x:sort() into x): the input is sorted
 * from a copy, and the outputs are resized only after the gate. */
static int aliased(const nl_tensor *values, const nl_tensor *indices, const nl_tensor *t) {
   return t->_storage && (values->_storage == t->_storage || indices->_storage == t->_storage);
}

/* values and indices: t's size with k along dim */
static int out_size(const nl_tensor *t, int64_t k, int dim, int64_t *size) {
   for (int i = 0; i < t->_ndim; i++) size[i] = t->_size[i];
   if (t->_ndim > 0) size[dim] = k;
   return t->_ndim;
}

static int resize_outputs(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim) {
   int64_t size[NL_MAX_DIMS];
   int ndim = out_size(t, k, dim, size);
   return nl_tensor_resize(values, ndim, ndim ? size : NULL) || nl_tensor_resize(indices, ndim, ndim ? size : NULL)
             ? -1
             : 0;
}

/* Validates a sort (or topk of k) of t along dim and resizes the outputs
 * unless they alias t. */
static int prepare(const char *fn, nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim) {
   if (nl_check_same_dtype(fn, values, t)) return -1;
   if (indices->_dtype != NL_LONG)
      return nl_errorf("%s: the indices should be a torch.LongTensor, got %s", fn, nl_type_name(indices));
   if (t->_ndim > 0) {
      if (nl_check_dim(fn, t, dim)) return -1;
      if (k < 0 || k > t->_size[dim]) {
         char s[NL_SHAPE_BUF];
         return nl_errorf("%s: k = %lld out of range for dimension %d of a %s tensor", fn, (long long)k, dim + 1,
                          nl_shape_str(s, sizeof s, t));
      }
   }
   if (t->_ndim > 0 && aliased(values, indices, t)) return 0;
   return resize_outputs(values, indices, t, k, dim);
}

/* The CPU body: sorts (or takes the first k of) every slice of t along
 * dim into the outputs. */
static int run(const char *fn, nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim,
               int descending, int topk, int sorted) {
   if (t->_ndim == 0) return 0;
   nl_tensor src;
   nl_tensor_init(&src, t->_dtype, t->_device);
   const nl_tensor *in = t;
   int rc = 0;
   if (aliased(values, indices, t)) {
      rc = nl_tensor_resize(&src, t->_ndim, t->_size) || nl_copy(&src, t) ? -1 : 0;
      if (!rc) rc = resize_outputs(values, indices, t, k, dim);
      in = &src;
   }
   if (!rc && k > 0) {
      nl_iter it;
      const nl_tensor *ts[3] = {in, values, indices};
      sort_ctx c = {descending, k, 0, topk, sorted};
      rc = nl_iter_init_dim(fn, &it, 3, ts, dim);
      if (!rc) nl_iter_run_slices(&it, sort_slices[t->_dtype], &c);
      if (!rc && c.failed)
         rc = nl_errorf("%s: cannot allocate a sort buffer of %lld elements", fn, (long long)t->_size[dim]);
   }
   nl_tensor_release(&src);
   return rc;
}

static int sort_body(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int dim, int descending) {
   int64_t k = t->_ndim > 0 && dim >= 0 && dim < t->_ndim ? t->_size[dim] : 0;
   if (prepare("sort", values, indices, t, k, dim)) return -1;
   NL_DEVICE_CALL("sort", sort, (values, indices, t), values, indices, t, dim, descending);
   return run("sort", values, indices, t, k, dim, descending, 0, 1);
}

NL_API int nl_sort(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int dim, int descending) {
   return named("sort", sort_body(values, indices, t, dim, descending));
}

/* Torch7's topk: quickselect, then sorted only when asked (unsorted, the k
 * come in quickselect's order, as Torch7's did). */
static int topk_body(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim, int largest,
                     int sorted) {
   if (prepare("topk", values, indices, t, k, dim)) return -1;
   NL_DEVICE_CALL("topk", topk, (values, indices, t), values, indices, t, k, dim, largest, sorted);
   return run("topk", values, indices, t, k, dim, largest, 1, sorted);
}

NL_API int nl_topk(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim, int largest,
                   int sorted) {
   return named("topk", topk_body(values, indices, t, k, dim, largest, sorted));
}

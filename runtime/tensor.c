/* tensor.c: tensor headers and views. Headers belong to the caller (Lua);
 * every function writes the new geometry into a header passed in and keeps
 * the storage refcounts right. No data is copied here. */
#include "backend.h"
#include <string.h>

NL_API int nl_tensor_init(nl_tensor *t, int dtype, int device) {
   if (dtype < 0 || dtype >= NL_NUM_DTYPES) return nl_errorf("tensor: bad dtype %d", dtype);
   if (device < 0 || device >= NL_NUM_DEVICES) return nl_errorf("tensor: bad device %d", device);
   memset(t, 0, sizeof *t);
   t->_dtype = dtype;
   t->_device = device;
   return 0;
}

NL_API void nl_tensor_release(nl_tensor *t) {
   if (t && t->_storage) {
      nl_storage *s = t->_storage;
      t->_storage = NULL;
      nl_storage_release(s);
   }
}

static void set_storage_ref(nl_tensor *t, nl_storage *s) {
   if (t->_storage == s) return;
   nl_storage_retain(s);
   nl_storage_release(t->_storage);
   t->_storage = s;
}

NL_API int nl_tensor_set(nl_tensor *t, const nl_tensor *src) {
   if (t == src) return 0;
   if (t->_dtype != src->_dtype || t->_device != src->_device)
      return nl_errorf("set: cannot view a %s as a %s", nl_type_name(src), nl_type_name(t));
   set_storage_ref(t, src->_storage);
   t->_offset = src->_offset;
   t->_ndim = src->_ndim;
   memcpy(t->_size, src->_size, sizeof t->_size);
   memcpy(t->_stride, src->_stride, sizeof t->_stride);
   return 0;
}

static void contiguous_strides(nl_tensor *t) {
   int64_t st = 1;
   for (int i = t->_ndim - 1; i >= 0; i--) {
      t->_stride[i] = st;
      st *= t->_size[i] > 0 ? t->_size[i] : 1;
   }
}

static int check_sizes(const char *fn, int ndim, const int64_t *size) {
   if (ndim < 0 || ndim > NL_MAX_DIMS)
      return nl_errorf("%s: %d dimensions requested, at most %d supported", fn, ndim, NL_MAX_DIMS);
   int64_t n = 1;
   for (int i = 0; i < ndim; i++) {
      if (size[i] < 0) return nl_errorf("%s: negative size %lld in dimension %d", fn, (long long)size[i], i + 1);
      if (__builtin_mul_overflow(n, size[i], &n) || n > ((int64_t)1 << 56))
         return nl_errorf("%s: %d dimensions of these sizes hold more than 2^56 elements", fn, ndim);
   }
   return 0;
}

/* Largest element offset reachable by a view, plus one. */
static int64_t extent(const nl_tensor *t) {
   if (t->_ndim == 0) return 0;
   int64_t e = t->_offset + 1, step;
   for (int i = 0; i < t->_ndim; i++) {
      if (t->_size[i] == 0) return 0;
      /* sizes and strides may come from a file: saturate instead of
       * overflowing, so the caller's bound check refuses the view */
      if (__builtin_mul_overflow(t->_size[i] - 1, t->_stride[i], &step) || __builtin_add_overflow(e, step, &e))
         return INT64_MAX;
   }
   return e;
}

NL_API int nl_tensor_set_storage(nl_tensor *t, nl_storage *s, int64_t offset, int ndim, const int64_t *size,
                                 const int64_t *stride) {
   if (check_sizes("set", ndim, size)) return -1;
   if (offset < 0) return nl_errorf("set: negative storage offset %lld", (long long)offset);
   if (stride)
      for (int i = 0; i < ndim; i++)
         if (stride[i] < -1) return nl_errorf("set: negative stride %lld in dimension %d", (long long)stride[i], i + 1);
   if (s && (s->_dtype != t->_dtype || s->_device != t->_device))
      return nl_errorf("set: storage of dtype %s cannot back a %s", nl_dtypes[s->_dtype].name, nl_type_name(t));
   nl_tensor n = *t;
   n._offset = offset;
   n._ndim = ndim;
   for (int i = 0; i < ndim; i++) {
      if (size[i] == 0) n._ndim = 0;
      n._size[i] = size[i];
   }
   if (n._ndim == 0) n._ndim = 0;
   else {
      contiguous_strides(&n);
      if (stride)
         for (int i = 0; i < ndim; i++)
            if (stride[i] >= 0) n._stride[i] = stride[i];
   }
   int64_t need = extent(&n);
   if (need > (s ? s->_size : 0)) {
      char b[NL_SHAPE_BUF];
      return nl_errorf("set: a %s view at offset %lld needs %lld elements, the storage has %lld",
                       nl_shape_str(b, sizeof b, &n), (long long)offset + 1, (long long)need,
                       (long long)(s ? s->_size : 0));
   }
   set_storage_ref(t, s);
   t->_offset = n._offset;
   t->_ndim = n._ndim;
   memcpy(t->_size, n._size, sizeof t->_size);
   memcpy(t->_stride, n._stride, sizeof t->_stride);
   return 0;
}

NL_API int nl_tensor_resize(nl_tensor *t, int ndim, const int64_t *size) {
   if (check_sizes("resize", ndim, size)) return -1;
   int same = ndim == t->_ndim;
   for (int i = 0; same && i < ndim; i++) same = size[i] == t->_size[i];
   /* Same sizes: keep the view as it is (Torch7), so a [res] narrowed or
    * transposed result is written in place. */
   if (same && (ndim == 0 || t->_storage)) return 0;
   nl_tensor n = *t;
   n._ndim = ndim;
   for (int i = 0; i < ndim; i++) {
      n._size[i] = size[i];
      if (size[i] == 0) n._ndim = 0;
   }
   for (int i = n._ndim; i < NL_MAX_DIMS; i++) n._size[i] = 0, n._stride[i] = 0;
   contiguous_strides(&n);
   int64_t need = extent(&n);
   if (need > 0) {
      if (!t->_storage) {
         nl_storage *s = nl_storage_create(t->_dtype, t->_device, need);
         if (!s) {
            char b[NL_SHAPE_BUF], msg[1024];
            strncpy(msg, nl_last_error(), sizeof msg - 1);
            msg[sizeof msg - 1] = 0;
            return nl_errorf("resize to %s: %s", nl_shape_str(b, sizeof b, &n), msg);
         }
         n._storage = s;
      } else if (need > t->_storage->_size) {
         if (nl_storage_resize(t->_storage, need)) return -1;
      }
   }
   *t = n;
   return 0;
}

NL_API int nl_tensor_resize_as(nl_tensor *res, const nl_tensor *src) {
   return nl_tensor_resize(res, src->_ndim, src->_size);
}

NL_API int64_t nl_tensor_numel(const nl_tensor *t) { return nl_numel(t); }

NL_API int nl_tensor_is_contiguous(const nl_tensor *t) {
   int64_t st = 1;
   for (int i = t->_ndim - 1; i >= 0; i--) {
      if (t->_size[i] != 1 && t->_stride[i] != st) return 0;
      st *= t->_size[i];
   }
   return 1;
}

NL_API void *nl_tensor_data(const nl_tensor *t) { return nl_ptr(t); }

/* Copies t's geometry into res, sharing t's storage (res may be t). */
static int begin_view(const char *fn, nl_tensor *res, const nl_tensor *t) {
   if (res->_dtype != t->_dtype || res->_device != t->_device)
      return nl_errorf("%s: result is a %s, input a %s", fn, nl_type_name(res), nl_type_name(t));
   return nl_tensor_set(res, t);
}

NL_API int nl_tensor_narrow(nl_tensor *res, const nl_tensor *t, int dim, int64_t first, int64_t size) {
   char b[NL_SHAPE_BUF];
   if (nl_check_dim("narrow", t, dim)) return -1;
   if (first < 0 || size < 1 || first + size > t->_size[dim])
      return nl_errorf("narrow: elements %lld to %lld are out of range for dimension %d of a %s tensor "
                       "(size %lld)", (long long)first + 1, (long long)(first + size), dim + 1,
                       nl_shape_str(b, sizeof b, t), (long long)t->_size[dim]);
   nl_tensor n = *t;
   n._offset += first * t->_stride[dim];
   n._size[dim] = size;
   return begin_view("narrow", res, &n);
}

NL_API int nl_tensor_select(nl_tensor *res, const nl_tensor *t, int dim, int64_t index) {
   char b[NL_SHAPE_BUF];
   if (nl_check_dim("select", t, dim)) return -1;
   if (t->_ndim == 1) return nl_errorf("select: cannot select on a 1-D tensor (it would have no dimension)");
   if (index < 0 || index >= t->_size[dim])
      return nl_errorf("select: index %lld out of range for dimension %d of a %s tensor", (long long)index + 1,
                       dim + 1, nl_shape_str(b, sizeof b, t));
   nl_tensor n = *t;
   n._offset += index * t->_stride[dim];
   for (int i = dim; i < t->_ndim - 1; i++) n._size[i] = t->_size[i + 1], n._stride[i] = t->_stride[i + 1];
   n._ndim--;
   n._size[n._ndim] = 0;
   n._stride[n._ndim] = 0;
   return begin_view("select", res, &n);
}

NL_API int nl_tensor_transpose(nl_tensor *res, const nl_tensor *t, int d1, int d2) {
   if (nl_check_dim("transpose", t, d1) || nl_check_dim("transpose", t, d2)) return -1;
   nl_tensor n = *t;
   n._size[d1] = t->_size[d2], n._size[d2] = t->_size[d1];
   n._stride[d1] = t->_stride[d2], n._stride[d2] = t->_stride[d1];
   return begin_view("transpose", res, &n);
}

NL_API int nl_tensor_unfold(nl_tensor *res, const nl_tensor *t, int dim, int64_t size, int64_t step) {
   char b[NL_SHAPE_BUF];
   if (nl_check_dim("unfold", t, dim)) return -1;
   if (t->_ndim >= NL_MAX_DIMS) return nl_errorf("unfold: too many dimensions");
   if (size < 1 || size > t->_size[dim] || step < 1)
      return nl_errorf("unfold: size %lld with step %lld does not fit dimension %d of a %s tensor", (long long)size,
                       (long long)step, dim + 1, nl_shape_str(b, sizeof b, t));
   nl_tensor n = *t;
   n._size[dim] = (t->_size[dim] - size) / step + 1;
   n._stride[dim] = step * t->_stride[dim];
   n._size[t->_ndim] = size;
   n._stride[t->_ndim] = t->_stride[dim];
   n._ndim++;
   return begin_view("unfold", res, &n);
}

NL_API int nl_tensor_view(nl_tensor *res, const nl_tensor *t, int ndim, const int64_t *size) {
   char b[NL_SHAPE_BUF];
   if (ndim < 1 || ndim > NL_MAX_DIMS) return nl_errorf("view: %d dimensions requested", ndim);
   for (int i = 0; i < ndim; i++)
      if (size[i] > ((int64_t)1 << 56)) return nl_errorf("view: size %lld is too large", (long long)size[i]);
   int64_t n = nl_numel(t), known = 1;
   int infer = -1;
   nl_tensor v = *t;
   for (int i = 0; i < ndim; i++) {
      if (size[i] == -1) {
         if (infer >= 0) return nl_errorf("view: only one dimension can be -1");
         infer = i;
      } else if (size[i] < 0) return nl_errorf("view: negative size %lld", (long long)size[i]);
      else known *= size[i];
      v._size[i] = size[i];
   }
   if (infer >= 0) {
      if (known == 0 || n % known) return nl_errorf("view: cannot infer the size of dimension %d: %lld elements "
                                                    "do not divide into %lld", infer + 1, (long long)n, (long long)known);
      v._size[infer] = n / known;
      known *= v._size[infer];
   }
   v._ndim = ndim;
   if (known != n) {
      char c[NL_SHAPE_BUF];
      return nl_errorf("view: a %s tensor (%lld elements) cannot be viewed as %s (%lld elements)",
                       nl_shape_str(b, sizeof b, t), (long long)n, nl_shape_str(c, sizeof c, &v), (long long)known);
   }
   if (!nl_tensor_is_contiguous(t))
      return nl_errorf("view: the %s input is not contiguous; call :contiguous() first", nl_shape_str(b, sizeof b, t));
   for (int i = ndim; i < NL_MAX_DIMS; i++) v._size[i] = 0, v._stride[i] = 0;
   if (known == 0) v._ndim = 0;
   contiguous_strides(&v);
   return begin_view("view", res, &v);
}

NL_API int nl_tensor_expand(nl_tensor *res, const nl_tensor *t, int ndim, const int64_t *size) {
   char b[NL_SHAPE_BUF];
   if (t->_ndim == 0) return nl_errorf("expand: cannot expand an empty tensor");
   if (ndim < t->_ndim || ndim > NL_MAX_DIMS)
      return nl_errorf("expand: cannot expand a %s tensor to %d dimensions", nl_shape_str(b, sizeof b, t), ndim);
   nl_tensor v = *t;
   int lead = ndim - t->_ndim;
   for (int i = 0; i < ndim; i++) {
      int j = i - lead;
      int64_t have = j >= 0 ? t->_size[j] : 1, st = j >= 0 ? t->_stride[j] : 0;
      if (size[i] < 1 || size[i] > ((int64_t)1 << 56))
         return nl_errorf("expand: size %lld in dimension %d is out of range", (long long)size[i], i + 1);
      if (have == size[i]) v._stride[i] = st;
      else if (have == 1) v._stride[i] = 0;
      else
         return nl_errorf("expand: dimension %d of a %s tensor has size %lld; only a size-1 dimension can be "
                          "expanded (to %lld)", j + 1, nl_shape_str(b, sizeof b, t), (long long)have, (long long)size[i]);
      v._size[i] = size[i];
   }
   v._ndim = ndim;
   return begin_view("expand", res, &v);
}

NL_API int nl_tensor_squeeze(nl_tensor *res, const nl_tensor *t, int dim) {
   nl_tensor v = *t;
   if (dim >= 0) {
      if (nl_check_dim("squeeze", t, dim)) return -1;
      if (t->_size[dim] != 1 || t->_ndim == 1) return begin_view("squeeze", res, t);
      for (int i = dim; i < t->_ndim - 1; i++) v._size[i] = t->_size[i + 1], v._stride[i] = t->_stride[i + 1];
      v._ndim--;
   } else {
      int k = 0;
      for (int i = 0; i < t->_ndim; i++)
         if (t->_size[i] != 1) v._size[k] = t->_size[i], v._stride[k] = t->_stride[i], k++;
      if (k == 0 && t->_ndim > 0) v._size[0] = 1, v._stride[0] = 1, k = 1;
      v._ndim = k;
   }
   for (int i = v._ndim; i < NL_MAX_DIMS; i++) v._size[i] = 0, v._stride[i] = 0;
   return begin_view("squeeze", res, &v);
}

NL_API int nl_tensor_unsqueeze(nl_tensor *res, const nl_tensor *t, int dim) {
   char b[NL_SHAPE_BUF];
   if (dim < 0 || dim > t->_ndim || t->_ndim >= NL_MAX_DIMS)
      return nl_errorf("unsqueeze: dimension %lld out of range for a %s tensor", (long long)dim + 1, nl_shape_str(b, sizeof b, t));
   nl_tensor v = *t;
   for (int i = t->_ndim; i > dim; i--) v._size[i] = t->_size[i - 1], v._stride[i] = t->_stride[i - 1];
   v._size[dim] = 1;
   v._stride[dim] = dim < t->_ndim ? t->_size[dim] * t->_stride[dim] : 1;
   v._ndim++;
   return begin_view("unsqueeze", res, &v);
}

NL_API int nl_tensor_permute(nl_tensor *res, const nl_tensor *t, const int *perm) {
   int seen[NL_MAX_DIMS] = {0};
   nl_tensor v = *t;
   for (int i = 0; i < t->_ndim; i++) {
      int p = perm[i];
      if (p < 0 || p >= t->_ndim || seen[p])
         return nl_errorf("permute: argument %d (%d) is not a permutation of 1..%d", i + 1, p + 1, t->_ndim);
      seen[p] = 1;
      v._size[i] = t->_size[p];
      v._stride[i] = t->_stride[p];
   }
   return begin_view("permute", res, &v);
}

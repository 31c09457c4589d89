/* copy.c: copy between any two dtypes (Half included), fill, zero and
 * single-element access on CPU tensors and storages, with device copies
 * routed through the backend table. The per-dtype kernels are in
 * copy_impl.h. */
#include "apply.h"
#include "backend.h"
#include <string.h>

#define NL_CAT_(a, b) a##b
#define NL_CAT(a, b) NL_CAT_(a, b)

/* copy_to_<Name>, fill_<Name>, get_<Name>, set_<Name> for every dtype */
#define NL_IMPL "copy_impl.h"
#define NL_IMPL_HALF
#include "dtype_each.h"

typedef double (*get_fn)(const void *data, int64_t o);
typedef void (*set_fn)(void *data, int64_t o, double v);
#define ENTRY(E, T, N, F) [E] = copy_to_##N,
static const nl_row_fn copy_rows[NL_NUM_DTYPES] = {NL_FOR_EACH_STORAGE_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = fill_##N,
static const nl_row_fn fill_rows[NL_NUM_DTYPES] = {NL_FOR_EACH_STORAGE_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = get_##N,
static const get_fn get_fns[NL_NUM_DTYPES] = {NL_FOR_EACH_STORAGE_DTYPE(ENTRY)};
#undef ENTRY
#define ENTRY(E, T, N, F) [E] = set_##N,
static const set_fn set_fns[NL_NUM_DTYPES] = {NL_FOR_EACH_STORAGE_DTYPE(ENTRY)};
#undef ENTRY

/* Element-by-element copy for two views of different shapes that are
 * both non-contiguous: walks each with its own odometer. */
static int copy_odometer(nl_tensor *dst, const nl_tensor *src) {
   int64_t n = nl_numel(dst);
   int64_t cd[NL_MAX_DIMS] = {0}, cs[NL_MAX_DIMS] = {0};
   int ed = nl_dtypes[dst->_dtype].size, es = nl_dtypes[src->_dtype].size;
   char *bd = nl_ptr(dst), *bs = nl_ptr(src);
   int64_t one = 1, od = 0, os = 0;
   int sdt = src->_dtype;
   for (int64_t i = 0; i < n; i++) {
      char *p[2] = {bd + od * ed, bs + os * es};
      int64_t s[2] = {one, one};
      copy_rows[dst->_dtype](&sdt, 1, p, s);
      for (int d = dst->_ndim - 1; d >= 0; d--) {
         od += dst->_stride[d];
         if (++cd[d] < dst->_size[d]) break;
         od -= cd[d] * dst->_stride[d];
         cd[d] = 0;
      }
      for (int d = src->_ndim - 1; d >= 0; d--) {
         os += src->_stride[d];
         if (++cs[d] < src->_size[d]) break;
         os -= cs[d] * src->_stride[d];
         cs[d] = 0;
      }
   }
   return 0;
}

static int copy_cpu(nl_tensor *dst, const nl_tensor *src) {
   if (nl_numel(dst) == 0) return 0;
   if (dst->_dtype == src->_dtype && nl_tensor_is_contiguous(dst) && nl_tensor_is_contiguous(src)) {
      char *d = nl_ptr(dst), *s = nl_ptr(src);
      if (d != s) memmove(d, s, (size_t)nl_numel(dst) * nl_dtypes[dst->_dtype].size);
      return 0;
   }
   nl_iter it;
   const nl_tensor *ts[2] = {dst, src};
   int same = dst->_ndim == src->_ndim;
   for (int i = 0; same && i < dst->_ndim; i++) same = dst->_size[i] == src->_size[i];
   if (!same && !nl_tensor_is_contiguous(dst) && !nl_tensor_is_contiguous(src)) return copy_odometer(dst, src);
   if (!same && !nl_tensor_is_contiguous(src)) {
      ts[0] = src, ts[1] = dst;   /* iterate in the source's shape */
      if (nl_iter_init("copy", &it, 2, ts)) return -1;
      /* swap roles back: row functions expect destination first */
      char *b = it.base[0]; it.base[0] = it.base[1]; it.base[1] = b;
      int e = it.esize[0]; it.esize[0] = it.esize[1]; it.esize[1] = e;
      for (int i = 0; i < it.ndim; i++) {
         int64_t t = it.stride[0][i]; it.stride[0][i] = it.stride[1][i]; it.stride[1][i] = t;
      }
   } else if (nl_iter_init("copy", &it, 2, ts)) return -1;
   int sdt = src->_dtype;
   nl_iter_run(&it, copy_rows[dst->_dtype], &sdt);
   return 0;
}

/* Copies between devices by staging through a contiguous host buffer. */
static int copy_cross_device(nl_tensor *dst, const nl_tensor *src) {
   int dev = dst->_device != NL_CPU ? dst->_device : src->_device;
   const nl_backend *b = nl_backend_get("copy", dev);
   if (!b) return -1;
   int64_t n = nl_numel(dst);
   /* device side: a contiguous tensor of the device dtype */
   const nl_tensor *dv = dst->_device != NL_CPU ? dst : src;
   nl_tensor host, dtmp;
   nl_tensor_init(&host, dv->_dtype, NL_CPU);
   nl_tensor_init(&dtmp, dv->_dtype, dv->_device);
   int rc = -1;
   int64_t sz = n;
   if (nl_tensor_resize(&host, 1, &sz)) goto done;
   size_t bytes = (size_t)n * nl_dtypes[dv->_dtype].size;
   if (dst->_device != NL_CPU) {          /* host -> device */
      if (copy_cpu(&host, src)) goto done;
      if (nl_tensor_is_contiguous(dst)) rc = b->memcpy_h2d(nl_ptr(dst), nl_ptr(&host), bytes);
      else {
         if (nl_tensor_resize(&dtmp, 1, &sz)) goto done;
         if (b->memcpy_h2d(nl_ptr(&dtmp), nl_ptr(&host), bytes)) goto done;
         rc = nl_copy(dst, &dtmp);
      }
   } else {                               /* device -> host */
      const nl_tensor *from = src;
      if (!nl_tensor_is_contiguous(src)) {
         if (nl_tensor_resize_as(&dtmp, src) || nl_copy(&dtmp, src)) goto done;
         from = &dtmp;
      }
      if (b->memcpy_d2h(nl_ptr(&host), nl_ptr(from), bytes)) goto done;
      rc = copy_cpu(dst, &host);
   }
done:
   nl_tensor_release(&host);
   nl_tensor_release(&dtmp);
   return rc;
}

NL_API int nl_copy(nl_tensor *dst, const nl_tensor *src) {
   if (nl_check_same_numel("copy", dst, src)) return -1;
   if (dst->_device != src->_device) return copy_cross_device(dst, src);
   NL_DEVICE_CALL("copy", copy, (dst, src), dst, src);
   return copy_cpu(dst, src);
}

NL_API int nl_fill(nl_tensor *t, double value) {
   if (nl_numel(t) == 0) return 0;
   NL_DEVICE_CALL("fill", fill, (t), t, value);
   nl_iter it;
   const nl_tensor *ts[1] = {t};
   if (nl_iter_init("fill", &it, 1, ts)) return -1;
   nl_iter_run(&it, fill_rows[t->_dtype], &value);
   return 0;
}

NL_API int nl_zero(nl_tensor *t) {
   NL_DEVICE_CALL("zero", zero, (t), t);
   return nl_fill(t, 0);
}

/* Element offset of the flat (row-major) index of a view. */
static int flat_offset(const char *fn, const nl_tensor *t, int64_t index, int64_t *off) {
   int64_t n = nl_numel(t);
   if (index < 0 || index >= n) {
      char b[NL_SHAPE_BUF];
      return nl_errorf("%s: index %lld out of range for a %s tensor", fn, (long long)index + 1,
                       nl_shape_str(b, sizeof b, t));
   }
   int64_t o = t->_offset;
   for (int i = t->_ndim - 1; i >= 0; i--) {
      o += (index % t->_size[i]) * t->_stride[i];
      index /= t->_size[i];
   }
   *off = o;
   return 0;
}

/* get1/set1 for a device backend: the element through a one-element copy
 * to the host, or a one-element fill (backend.h) */
NL_API int nl_device_get1(double *out, const nl_tensor *t, int64_t index) {
   int64_t o;
   if (flat_offset("get", t, index, &o)) return -1;
   nl_tensor v = *t, h;
   v._offset = o, v._ndim = 1, v._size[0] = 1, v._stride[0] = 1;
   nl_tensor_init(&h, NL_DOUBLE, NL_CPU);
   int64_t one = 1;
   int rc = nl_tensor_resize(&h, 1, &one);
   if (!rc) rc = nl_copy(&h, &v);
   if (!rc) *out = *(double *)nl_ptr(&h);
   nl_tensor_release(&h);
   return rc;
}

NL_API int nl_device_set1(nl_tensor *t, int64_t index, double value) {
   int64_t o;
   if (flat_offset("set", t, index, &o)) return -1;
   nl_tensor v = *t;
   v._offset = o, v._ndim = 1, v._size[0] = 1, v._stride[0] = 1;
   return nl_fill(&v, value);
}

NL_API int nl_get1(double *out, const nl_tensor *t, int64_t index) {
   int64_t o;
   if (flat_offset("get", t, index, &o)) return -1;
   NL_DEVICE_CALL("get", get1, (t), out, t, index);
   *out = get_fns[t->_dtype](t->_storage->_data, o);
   return 0;
}

NL_API int nl_set1(nl_tensor *t, int64_t index, double value) {
   int64_t o;
   if (flat_offset("set", t, index, &o)) return -1;
   NL_DEVICE_CALL("set", set1, (t), t, index, value);
   set_fns[t->_dtype](t->_storage->_data, o, value);
   return 0;
}

/* A storage's elements as a 1-D view (no dimension when empty). */
static nl_tensor flat_view(nl_storage *s) {
   nl_tensor t;
   memset(&t, 0, sizeof t);
   t._storage = s;
   t._dtype = s->_dtype;
   t._device = s->_device;
   t._ndim = s->_size > 0 ? 1 : 0;
   t._size[0] = s->_size;
   t._stride[0] = 1;
   return t;
}

NL_API int nl_storage_fill(nl_storage *s, double value) {
   if (!s) return nl_errorf("storage fill: no storage");
   nl_tensor t = flat_view(s);
   return t._ndim ? nl_fill(&t, value) : 0;
}

NL_API int nl_storage_copy(nl_storage *dst, const nl_storage *src) {
   if (!dst || !src) return nl_errorf("storage copy: no storage");
   if (dst->_size != src->_size)
      return nl_errorf("storage copy: sizes differ (%lld and %lld elements)", (long long)dst->_size,
                       (long long)src->_size);
   nl_tensor a = flat_view(dst), b = flat_view((nl_storage *)src);
   return a._ndim ? nl_copy(&a, &b) : 0;
}

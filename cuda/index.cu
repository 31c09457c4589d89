// index.cu: the CUDA backend's indexing, mirroring runtime/math_index.c:
// masked select/fill/copy, index (select, copy, add, fill) along a
// dimension, gather, scatter, nonzero. The front functions check what the
// tensor headers say; index and mask values are checked here, as the CPU
// checks them (before any element is written), on a host copy of the index
// or mask, which is also what sizes the results that depend on values.
// Writes that may hit one element twice (indexCopy, indexAdd, scatter) run
// one thread per slice, walking the index in order, so that the last write
// wins and sums are taken in the CPU's order.
#include "cuda_common.h"
#include <thrust/copy.h>
#include <thrust/execution_policy.h>
#include <thrust/iterator/counting_iterator.h>

static const int THREADS = 256;

// ------------------------------------------------------------ masked ops

template <typename T> __global__ void masked_fill_kernel(T *t, nl_cuda_geom gt, const uint8_t *m, nl_cuda_geom gm, int64_t n, T v) {
   NL_CUDA_LOOP(i, n) if (m[nl_cuda_offset(gm, i)]) t[nl_cuda_offset(gt, i)] = v;
}

// res[k] = t[pos[k]] (select) or t[pos[k]] = src[k] (copy); pos: flat
// positions of the mask's ones, in order
template <typename T>
__global__ void masked_move_kernel(T *t, nl_cuda_geom gt, T *o, nl_cuda_geom go, const int64_t *pos, int64_t n, bool select) {
   NL_CUDA_LOOP(k, n) {
      int64_t a = nl_cuda_offset(gt, pos[k]), b = nl_cuda_offset(go, k);
      if (select) o[b] = t[a];
      else t[a] = o[b];
   }
}

// The mask's values (0 or 1, else the CPU's error) and, when pos is given,
// the flat positions of its ones, on the device.
static int mask_positions(const char *fn, const nl_tensor *mask, int64_t *count, nl_cuda_tmp *pos) {
   nl_cuda_tmp h(NL_BYTE, NL_CPU);
   if (nl_cuda_to_host(h, mask)) return -1;
   const uint8_t *p = (const uint8_t *)nl_ptr(&h.t);
   int64_t n = nl_numel(mask), c = 0;
   for (int64_t i = 0; i < n; i++) {
      if (p[i] > 1) return nl_errorf("%s: mask values should be 0 or 1, found %d", fn, p[i]);
      c += p[i];
   }
   *count = c;
   if (!pos || c == 0) return 0;
   nl_cuda_tmp hp(NL_LONG, NL_CPU);
   if (nl_tensor_resize(&hp.t, 1, &c)) return -1;
   int64_t *q = (int64_t *)nl_ptr(&hp.t), k = 0;
   for (int64_t i = 0; i < n; i++)
      if (p[i]) q[k++] = i;
   return nl_tensor_resize(&pos->t, 1, &c) || nl_copy(&pos->t, &hp.t);
}

struct MaskedMove {
   nl_tensor *t; const nl_tensor *o; const nl_tensor *pos; int64_t n; bool select;
   template <typename T> int run() {
      masked_move_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(t), nl_cuda_geom_of(t), (T *)nl_ptr(o),
                                                                   nl_cuda_geom_of(o), (const int64_t *)nl_ptr(pos), n, select);
      NL_CUDA_CHECK(select ? "maskedSelect" : "maskedCopy", cudaGetLastError());
      return 0;
   }
};

static int cuda_masked_select(nl_tensor *res, const nl_tensor *t, const nl_tensor *mask) {
   const char *fn = "maskedSelect";
   int64_t count;
   nl_cuda_tmp pos(NL_LONG, NL_CUDA), out(res->_dtype, NL_CUDA);
   if (mask_positions(fn, mask, &count, &pos)) return -1;
   // a result sharing the input's memory is built aside
   bool aside = nl_cuda_shares(res, t) || nl_cuda_shares(res, mask);
   nl_tensor *r = aside ? &out.t : res;
   if (count == 0) return nl_tensor_resize(res, 0, NULL);
   if (!(r->_ndim == 1 && r->_size[0] == count) && nl_tensor_resize(r, 1, &count)) return -1;
   if (nl_cuda_dispatch(t->_dtype, MaskedMove{(nl_tensor *)t, r, &pos.t, count, true})) return -1;
   return aside ? nl_tensor_set(res, &out.t) : 0;
}

struct MaskedFill {
   nl_tensor *t; const nl_tensor *mask; double v;
   template <typename T> int run() {
      int64_t n = nl_numel(t);
      masked_fill_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(t), nl_cuda_geom_of(t),
                                                                   (const uint8_t *)nl_ptr(mask), nl_cuda_geom_of(mask), n, (T)v);
      NL_CUDA_CHECK("maskedFill", cudaGetLastError());
      return 0;
   }
};

static int cuda_masked_fill(nl_tensor *t, const nl_tensor *mask, double value) {
   int64_t count;
   if (mask_positions("maskedFill", mask, &count, nullptr)) return -1;
   if (count == 0) return 0;
   return nl_cuda_dispatch(t->_dtype, MaskedFill{t, mask, value});
}

static int cuda_masked_copy(nl_tensor *t, const nl_tensor *mask, const nl_tensor *src) {
   const char *fn = "maskedCopy";
   int64_t count;
   nl_cuda_tmp pos(NL_LONG, NL_CUDA);
   if (mask_positions(fn, mask, &count, &pos)) return -1;
   if (nl_numel(src) < count) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("%s: the mask selects %lld elements, the source (%s) has only %lld", fn, (long long)count,
                       nl_shape_str(s, sizeof s, src), (long long)nl_numel(src));
   }
   if (count == 0) return 0;
   return nl_cuda_dispatch(t->_dtype, MaskedMove{t, src, &pos.t, count, false});
}

// ------------------------------------------------ index along a dimension

// out[c] = t[c with c[dim] = idx[c[dim]] - 1]
template <typename T>
__global__ void index_select_kernel(T *o, nl_cuda_geom go, const T *t, nl_cuda_geom gt, const int64_t *idx, int dim, int64_t n) {
   NL_CUDA_LOOP(i, n) {
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(go, i, c);
      int64_t oo = nl_cuda_at(go, c);
      c[dim] = idx[c[dim]] - 1;
      o[oo] = t[nl_cuda_at(gt, c)];
   }
}

// one thread per slice (coordinates outside dim), walking the index in
// order: mode 0 copy, 1 add, 2 fill with v
template <typename T>
__global__ void index_write_kernel(T *t, nl_cuda_geom gt, const T *s, nl_cuda_geom gs, const int64_t *idx, int64_t nidx,
                                   int dim, nl_cuda_geom gslices, int64_t nslices, int mode, T v) {
   NL_CUDA_LOOP(i, nslices) {
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(gslices, i, c);
      for (int64_t j = 0; j < nidx; j++) {
         c[dim] = j;
         int64_t so = mode == 2 ? 0 : nl_cuda_at(gs, c);
         c[dim] = idx[j] - 1;
         T &dst = t[nl_cuda_at(gt, c)];
         if (mode == 0) dst = s[so];
         else if (mode == 1) dst = (T)(dst + s[so]);
         else dst = v;
      }
   }
}

// The index's values checked against size (on a host copy) and a
// contiguous device copy of the index for the kernels.
static const int64_t *device_index(const char *fn, const nl_tensor *index, int dim, int64_t size, nl_cuda_tmp &dtmp) {
   nl_cuda_tmp h(NL_LONG, NL_CPU);
   if (nl_cuda_to_host(h, index) || nl_cuda_check_indices(fn, &h.t, dim, size)) return nullptr;
   int rc;
   const nl_tensor *d = nl_cuda_contig(dtmp, index, &rc);
   return rc ? nullptr : (const int64_t *)nl_ptr(d);
}

struct IndexSelect {
   nl_tensor *out; const nl_tensor *t; const int64_t *idx; int dim;
   template <typename T> int run() {
      int64_t n = nl_numel(out);
      index_select_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(out), nl_cuda_geom_of(out), (const T *)nl_ptr(t),
                                                                    nl_cuda_geom_of(t), idx, dim, n);
      NL_CUDA_CHECK("index", cudaGetLastError());
      return 0;
   }
};

static int cuda_index_select(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   const char *fn = "index";
   nl_cuda_tmp dix(NL_LONG, NL_CUDA), out(res->_dtype, NL_CUDA);
   const int64_t *idx = device_index(fn, index, dim, t->_size[dim], dix);
   if (!idx && nl_numel(index) > 0) return -1;
   bool aside = nl_cuda_shares(res, t) || nl_cuda_shares(res, index);
   nl_tensor *r = aside ? &out.t : res;
   int64_t size[NL_MAX_DIMS];
   for (int d = 0; d < t->_ndim; d++) size[d] = t->_size[d];
   size[dim] = index->_size[0];
   bool same = r->_ndim == t->_ndim;
   for (int d = 0; same && d < t->_ndim; d++) same = r->_size[d] == size[d];
   if (!same && nl_tensor_resize(r, t->_ndim, size)) return -1;
   if (nl_numel(r) > 0 && nl_cuda_dispatch(t->_dtype, IndexSelect{r, t, idx, dim})) return -1;
   return aside ? nl_tensor_set(res, &out.t) : 0;
}

struct IndexWrite {
   nl_tensor *t; const nl_tensor *src; const int64_t *idx; int64_t nidx; int dim, mode; double v;
   template <typename T> int run() {
      nl_cuda_geom gs = nl_cuda_geom_with(nl_cuda_geom_of(t), dim, 1);
      int64_t ns = nl_cuda_numel(gs);
      const nl_tensor *s = src ? src : t;
      index_write_kernel<T><<<nl_cuda_blocks(ns, THREADS), THREADS>>>((T *)nl_ptr(t), nl_cuda_geom_of(t), (const T *)nl_ptr(s),
                                                                    nl_cuda_geom_of(s), idx, nidx, dim, gs, ns, mode, (T)v);
      NL_CUDA_CHECK(mode == 0 ? "indexCopy" : mode == 1 ? "indexAdd" : "indexFill", cudaGetLastError());
      return 0;
   }
};

static int index_write(const char *fn, nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src, int mode,
                       double v) {
   int64_t n = index->_size[0];
   if (n == 0 || nl_numel(t) == 0) return 0;
   nl_cuda_tmp dix(NL_LONG, NL_CUDA), stmp(t->_dtype, NL_CUDA);
   const int64_t *idx = device_index(fn, index, dim, t->_size[dim], dix);
   if (!idx) return -1;
   // a source sharing t's memory is read from a copy
   if (src && nl_cuda_shares(t, src)) {
      if (nl_tensor_resize(&stmp.t, src->_ndim, src->_size) || nl_copy(&stmp.t, src)) return -1;
      src = &stmp.t;
   }
   return nl_cuda_dispatch(t->_dtype, IndexWrite{t, src, idx, n, dim, mode, v});
}

static int cuda_index_copy(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return index_write("indexCopy", t, dim, index, src, 0, 0);
}
static int cuda_index_add(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return index_write("indexAdd", t, dim, index, src, 1, 0);
}
static int cuda_index_fill(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   return index_write("indexFill", t, dim, index, nullptr, 2, value);
}

// ------------------------------------------------------ gather, scatter

// res[c] = t[c with c[dim] = index[c] - 1]; res has index's shape
template <typename T>
__global__ void gather_kernel(T *r, nl_cuda_geom gr, const T *t, nl_cuda_geom gt, const int64_t *ix, nl_cuda_geom gi, int dim,
                              int64_t n) {
   NL_CUDA_LOOP(i, n) {
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(gi, i, c);
      int64_t ro = nl_cuda_at(gr, c);
      c[dim] = ix[nl_cuda_at(gi, c)] - 1;
      r[ro] = t[nl_cuda_at(gt, c)];
   }
}

// t[c with c[dim] = index[c] - 1] = src[c] (or v), one thread per slice of
// the index, in index order
template <typename T>
__global__ void scatter_kernel(T *t, nl_cuda_geom gt, const T *s, nl_cuda_geom gs, const int64_t *ix, nl_cuda_geom gi, int dim,
                               nl_cuda_geom gslices, int64_t nslices, bool fill, T v) {
   NL_CUDA_LOOP(i, nslices) {
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(gslices, i, c);
      for (int64_t j = 0; j < gi.size[dim]; j++) {
         c[dim] = j;
         int64_t to = ix[nl_cuda_at(gi, c)] - 1;
         T x = fill ? v : s[nl_cuda_at(gs, c)];
         c[dim] = to;
         t[nl_cuda_at(gt, c)] = x;
      }
   }
}

struct Gather {
   nl_tensor *r; const nl_tensor *t, *index; int dim;
   template <typename T> int run() {
      int64_t n = nl_numel(index);
      gather_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(r), nl_cuda_geom_of(r), (const T *)nl_ptr(t),
                                                              nl_cuda_geom_of(t), (const int64_t *)nl_ptr(index),
                                                              nl_cuda_geom_of(index), dim, n);
      NL_CUDA_CHECK("gather", cudaGetLastError());
      return 0;
   }
};

static int check_nd_values(const char *fn, const nl_tensor *index, int dim, int64_t size) {
   nl_cuda_tmp h(NL_LONG, NL_CPU);
   return nl_cuda_to_host(h, index) || nl_cuda_check_indices(fn, &h.t, dim, size) ? -1 : 0;
}

static int cuda_gather(nl_tensor *res, const nl_tensor *t, int dim, const nl_tensor *index) {
   const char *fn = "gather";
   if (check_nd_values(fn, index, dim, t->_size[dim])) return -1;
   nl_cuda_tmp out(res->_dtype, NL_CUDA);
   bool aside = nl_cuda_shares(res, t) || nl_cuda_shares(res, index);
   nl_tensor *r = aside ? &out.t : res;
   bool same = r->_ndim == index->_ndim;
   for (int d = 0; same && d < index->_ndim; d++) same = r->_size[d] == index->_size[d];
   if (!same && nl_tensor_resize(r, index->_ndim, index->_size)) return -1;
   if (nl_numel(index) > 0 && nl_cuda_dispatch(t->_dtype, Gather{r, t, index, dim})) return -1;
   return aside ? nl_tensor_set(res, &out.t) : 0;
}

struct Scatter {
   nl_tensor *t; const nl_tensor *src, *index; int dim; bool fill; double v;
   template <typename T> int run() {
      nl_cuda_geom gsl = nl_cuda_geom_with(nl_cuda_geom_of(index), dim, 1);
      int64_t ns = nl_cuda_numel(gsl);
      const nl_tensor *s = src ? src : t;
      scatter_kernel<T><<<nl_cuda_blocks(ns, THREADS), THREADS>>>((T *)nl_ptr(t), nl_cuda_geom_of(t), (const T *)nl_ptr(s),
                                                                nl_cuda_geom_of(s), (const int64_t *)nl_ptr(index),
                                                                nl_cuda_geom_of(index), dim, gsl, ns, fill, (T)v);
      NL_CUDA_CHECK("scatter", cudaGetLastError());
      return 0;
   }
};

static int scatter(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src, bool fill, double v) {
   const char *fn = "scatter";
   if (nl_numel(index) == 0) return 0;
   if (check_nd_values(fn, index, dim, t->_size[dim])) return -1;
   nl_cuda_tmp stmp(t->_dtype, NL_CUDA);
   if (src && nl_cuda_shares(t, src)) {
      if (nl_tensor_resize(&stmp.t, src->_ndim, src->_size) || nl_copy(&stmp.t, src)) return -1;
      src = &stmp.t;
   }
   return nl_cuda_dispatch(t->_dtype, Scatter{t, src, index, dim, fill, v});
}

static int cuda_scatter(nl_tensor *t, int dim, const nl_tensor *index, const nl_tensor *src) {
   return scatter(t, dim, index, src, false, 0);
}
static int cuda_scatter_fill(nl_tensor *t, int dim, const nl_tensor *index, double value) {
   return scatter(t, dim, index, nullptr, true, value);
}

// --------------------------------------------------------------- nonzero

// flags[i] = t's flat element i is nonzero
template <typename T> __global__ void nonzero_flags_kernel(uint8_t *flags, const T *t, nl_cuda_geom g, int64_t n) {
   NL_CUDA_LOOP(i, n) flags[i] = t[nl_cuda_offset(g, i)] != (T)0;
}

struct IsSet {
   __device__ bool operator()(uint8_t f) const { return f != 0; }
};

// res: (count, ndim) 1-based coordinates of the flat positions pos
__global__ void coords_kernel(int64_t *res, const int64_t *pos, nl_cuda_geom g, int64_t count) {
   NL_CUDA_LOOP(k, count) {
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(g, pos[k], c);
      for (int d = 0; d < g.ndim; d++) res[k * g.ndim + d] = c[d] + 1;
   }
}

struct NonzeroFlags {
   uint8_t *flags; const nl_tensor *t;
   template <typename T> int run() {
      int64_t n = nl_numel(t);
      nonzero_flags_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(flags, (const T *)nl_ptr(t), nl_cuda_geom_of(t), n);
      NL_CUDA_CHECK("nonzero", cudaGetLastError());
      return 0;
   }
};

// the flat positions of the nonzeros, in order (one thrust::copy_if for
// every dtype, over a byte per element), then their coordinates
static int nonzero(nl_tensor *res, const nl_tensor *t) {
   int64_t n = nl_numel(t);
   nl_cuda_tmp pos(NL_LONG, NL_CUDA), flags(NL_BYTE, NL_CUDA), out(NL_LONG, NL_CUDA);
   if (nl_tensor_resize(&pos.t, 1, &n) || nl_tensor_resize(&flags.t, 1, &n)) return -1;
   int64_t *p = (int64_t *)nl_ptr(&pos.t);
   const uint8_t *f = (const uint8_t *)nl_ptr(&flags.t);
   if (nl_cuda_dispatch(t->_dtype, NonzeroFlags{(uint8_t *)f, t})) return -1;
   int64_t count;
   try {
      int64_t *end = thrust::copy_if(thrust::device, thrust::counting_iterator<int64_t>(0),
                                     thrust::counting_iterator<int64_t>(n), f, p, IsSet());
      count = end - p;
   } catch (const std::exception &e) {
      return nl_errorf("nonzero: %s", e.what());
   }
   int64_t size[2] = {count, t->_ndim};
   if (nl_tensor_resize(&out.t, count ? 2 : 0, size)) return -1;
   if (count) {
      coords_kernel<<<nl_cuda_blocks(count, THREADS), THREADS>>>((int64_t *)nl_ptr(&out.t), p, nl_cuda_geom_of(t), count);
      NL_CUDA_CHECK("nonzero", cudaGetLastError());
   }
   return nl_tensor_set(res, &out.t);
}

static int cuda_nonzero(nl_tensor *res, const nl_tensor *t) {
   if (nl_numel(t) == 0) return nl_tensor_resize(res, 0, NULL);
   return nonzero(res, t);
}

extern "C" void nl_cuda_register_index(nl_backend *b) {
   b->ops.masked_select = cuda_masked_select;
   b->ops.masked_fill = cuda_masked_fill;
   b->ops.masked_copy = cuda_masked_copy;
   b->ops.index_select = cuda_index_select;
   b->ops.index_copy = cuda_index_copy;
   b->ops.index_add = cuda_index_add;
   b->ops.index_fill = cuda_index_fill;
   b->ops.gather = cuda_gather;
   b->ops.scatter = cuda_scatter;
   b->ops.scatter_fill = cuda_scatter_fill;
   b->ops.nonzero = cuda_nonzero;
}

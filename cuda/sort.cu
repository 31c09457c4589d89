// sort.cu: the CUDA backend's sort and topk along a dimension, mirroring
// runtime/sort.c: the same order (stable: equal keys keep their positions;
// NaN above every number, last ascending and first descending). Each
// element becomes an unsigned 64-bit key that orders as the value does
// (bits of floats made monotonic, NaN the largest, -0 as +0; inverted when
// descending), then two stable radix sorts of element ids (thrust, one
// instantiation for every dtype): by key, then by slice. A kernel writes the
// first k of each slice to the values and 1-based indices.
#include "cuda_common.h"
#include <thrust/execution_policy.h>
#include <thrust/sort.h>

static const int THREADS = 256;

// Element id e = slice * n + j: slice's coordinates (in gs, t's geometry
// with size 1 along dim) with position j along dim.
__device__ static inline int64_t elem_offset(const nl_cuda_geom &gt, const nl_cuda_geom &gs, int dim, int64_t n, int64_t e) {
   int64_t c[NL_MAX_DIMS];
   nl_cuda_coords(gs, e / n, c);
   c[dim] = e % n;
   return nl_cuda_at(gt, c);
}

// order-preserving unsigned keys
template <typename T> __device__ inline uint64_t order_key(T x) {
   return (uint64_t)(int64_t)x ^ 0x8000000000000000ull;   // signed integers
}
template <> __device__ inline uint64_t order_key<uint8_t>(uint8_t x) { return x; }
template <> __device__ inline uint64_t order_key<double>(double x) {
   if (x != x) return ~0ull;
   if (x == 0) x = 0;   // -0 ties with +0
   uint64_t u = (uint64_t)__double_as_longlong(x);
   return (u >> 63) ? ~u : u | 0x8000000000000000ull;
}
template <> __device__ inline uint64_t order_key<float>(float x) { return order_key<double>((double)x); }

template <typename T>
__global__ void keys_kernel(uint64_t *keys, int64_t *ids, const T *t, nl_cuda_geom gt, nl_cuda_geom gs, int dim, int64_t n,
                            int64_t total, bool descending) {
   NL_CUDA_LOOP(e, total) {
      uint64_t k = order_key<T>(t[elem_offset(gt, gs, dim, n, e)]);
      keys[e] = descending ? ~k : k;
      ids[e] = e;
   }
}

// the slice of each id, as the key of the second sort
__global__ void slice_keys_kernel(uint64_t *keys, const int64_t *ids, int64_t n, int64_t total) {
   NL_CUDA_LOOP(e, total) keys[e] = (uint64_t)(ids[e] / n);
}

// the first k of each sorted slice: values[.., j, ..] and indices (1-based)
template <typename T>
__global__ void take_kernel(T *v, nl_cuda_geom gv, int64_t *ix, nl_cuda_geom gi, const T *t, nl_cuda_geom gt,
                            nl_cuda_geom gs, int dim, int64_t n, int64_t k, const int64_t *ids, int64_t total) {
   NL_CUDA_LOOP(q, total) {
      int64_t s = q / k, j = q % k, e = ids[s * n + j];
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(gs, s, c);
      c[dim] = j;
      v[nl_cuda_at(gv, c)] = t[elem_offset(gt, gs, dim, n, e)];
      ix[nl_cuda_at(gi, c)] = e % n + 1;
   }
}

// stable sort of ids by keys (uint64 keys: thrust's radix sort)
static int sort_ids(const char *fn, uint64_t *keys, int64_t *ids, int64_t total) {
   try {
      thrust::stable_sort_by_key(thrust::device, keys, keys + total, ids);
   } catch (const std::exception &e) {
      return nl_errorf("%s: %s", fn, e.what());
   }
   return 0;
}

struct Sort {
   nl_tensor *values, *indices; const nl_tensor *t; int64_t k; int dim; bool descending;
   template <typename T> int run() {
      const char *fn = k == t->_size[dim] ? "sort" : "topk";
      int64_t n = t->_size[dim];
      nl_cuda_geom gt = nl_cuda_geom_of(t), gs = nl_cuda_geom_with(gt, dim, 1);
      int64_t ns = nl_cuda_numel(gs), total = ns * n;
      nl_cuda_tmp keys(NL_LONG, NL_CUDA), ids(NL_LONG, NL_CUDA);
      if (nl_tensor_resize(&keys.t, 1, &total) || nl_tensor_resize(&ids.t, 1, &total)) return -1;
      uint64_t *kp = (uint64_t *)nl_ptr(&keys.t);
      int64_t *p = (int64_t *)nl_ptr(&ids.t);
      keys_kernel<T><<<nl_cuda_blocks(total, THREADS), THREADS>>>(kp, p, (const T *)nl_ptr(t), gt, gs, dim, n, total,
                                                                descending);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      if (sort_ids(fn, kp, p, total)) return -1;
      if (ns > 1) {
         slice_keys_kernel<<<nl_cuda_blocks(total, THREADS), THREADS>>>(kp, p, n, total);
         NL_CUDA_CHECK(fn, cudaGetLastError());
         if (sort_ids(fn, kp, p, total)) return -1;
      }
      int64_t m = ns * k;
      take_kernel<T><<<nl_cuda_blocks(m, THREADS), THREADS>>>((T *)nl_ptr(values), nl_cuda_geom_of(values),
                                                            (int64_t *)nl_ptr(indices), nl_cuda_geom_of(indices),
                                                            (const T *)nl_ptr(t), gt, gs, dim, n, k, p, m);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};

// The front function resized the outputs unless one shares t's memory; then
// t is sorted from a copy and the outputs are resized here.
static int sort_k(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim, bool descending) {
   if (t->_ndim == 0) return 0;
   nl_cuda_tmp src(t->_dtype, NL_CUDA);
   if (nl_cuda_shares(values, t) || nl_cuda_shares(indices, t)) {
      if (nl_tensor_resize(&src.t, t->_ndim, t->_size) || nl_copy(&src.t, t)) return -1;
      t = &src.t;
      int64_t size[NL_MAX_DIMS];
      for (int d = 0; d < t->_ndim; d++) size[d] = t->_size[d];
      size[dim] = k;
      if (nl_tensor_resize(values, t->_ndim, size) || nl_tensor_resize(indices, t->_ndim, size)) return -1;
   }
   if (k == 0 || nl_numel(t) == 0) return 0;
   return nl_cuda_dispatch(t->_dtype, Sort{values, indices, t, k, dim, descending});
}

static int cuda_sort(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int dim, int descending) {
   return sort_k(values, indices, t, t->_ndim > 0 ? t->_size[dim] : 0, dim, descending != 0);
}

// a full sort gives the k extremes in order, also a valid answer when
// sorted is false (as on the CPU)
static int cuda_topk(nl_tensor *values, nl_tensor *indices, const nl_tensor *t, int64_t k, int dim, int largest,
                     int sorted) {
   (void)sorted;
   return sort_k(values, indices, t, k, dim, largest != 0);
}

extern "C" void nl_cuda_register_sort(nl_backend *b) {
   b->ops.sort = cuda_sort;
   b->ops.topk = cuda_topk;
}

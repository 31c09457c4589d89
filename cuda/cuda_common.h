// cuda_common.h: shared by the CUDA backend files: error capture into the
// runtime's message, launch sizes, dtype dispatch by template.
#pragma once
#include <cuda_runtime.h>
#include <stdint.h>
extern "C" {
#include "../runtime/backend.h"
}

#define NL_CUDA_CHECK(fn, expr)                                                         \
   do {                                                                                 \
      cudaError_t err_ = (expr);                                                        \
      if (err_ != cudaSuccess) return nl_set_error_cuda(fn, err_);                      \
   } while (0)

int nl_set_error_cuda(const char *fn, cudaError_t err);

static inline int nl_cuda_blocks(int64_t n, int threads) {
   int64_t b = (n + threads - 1) / threads;
   return (int)(b > 65535 * 8 ? 65535 * 8 : (b < 1 ? 1 : b));
}

// Strided geometry passed to kernels by value.
struct nl_cuda_geom {
   int ndim;
   int64_t size[NL_MAX_DIMS];
   int64_t stride[NL_MAX_DIMS];
};

static inline nl_cuda_geom nl_cuda_geom_of(const nl_tensor *t) {
   nl_cuda_geom g;
   g.ndim = t->_ndim;
   for (int i = 0; i < NL_MAX_DIMS; i++) {
      g.size[i] = i < t->_ndim ? t->_size[i] : 1;
      g.stride[i] = i < t->_ndim ? t->_stride[i] : 0;
   }
   return g;
}

// Element offset of the flat (row-major) index i in a strided view.
__device__ static inline int64_t nl_cuda_offset(const nl_cuda_geom &g, int64_t i) {
   int64_t off = 0;
   for (int d = g.ndim - 1; d >= 0; d--) {
      off += (i % g.size[d]) * g.stride[d];
      i /= g.size[d];
   }
   return off;
}

// Calls f.template run<T>() for the tensor's dtype, T from the runtime's
// dtype list (runtime/dtype.h); the storage-only dtypes have no kernels.
#define NL_CUDA_DISPATCH_CASE(E, T, N, F) case E: return f.template run<T>();
template <typename F> static int nl_cuda_dispatch(int dtype, F f) {
   switch (dtype) {
   NL_FOR_EACH_DTYPE(NL_CUDA_DISPATCH_CASE)
   default: return nl_errorf("cuda: dtype %d is not supported", dtype);
   }
}

// ------------------------------------------- helpers of the index, shape,
// sort, random and optim families

// Row-major coordinates of flat index i in g's shape.
__device__ static inline void nl_cuda_coords(const nl_cuda_geom &g, int64_t i, int64_t *c) {
   for (int d = g.ndim - 1; d >= 0; d--) {
      c[d] = i % g.size[d];
      i /= g.size[d];
   }
}

// Element offset of coordinates c in g.
__device__ static inline int64_t nl_cuda_at(const nl_cuda_geom &g, const int64_t *c) {
   int64_t off = 0;
   for (int d = 0; d < g.ndim; d++) off += c[d] * g.stride[d];
   return off;
}

// g with dimension dim of size n (the iteration space of a per-slice loop).
static inline nl_cuda_geom nl_cuda_geom_with(nl_cuda_geom g, int dim, int64_t n) {
   g.size[dim] = n;
   return g;
}

static inline int64_t nl_cuda_numel(const nl_cuda_geom &g) {
   int64_t n = 1;
   for (int d = 0; d < g.ndim; d++) n *= g.size[d];
   return n;
}

#define NL_CUDA_LOOP(i, n) \
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (n); i += (int64_t)gridDim.x * blockDim.x)

// A scratch tensor released at the end of the scope.
struct nl_cuda_tmp {
   nl_tensor t;
   nl_cuda_tmp(int dtype, int device) { nl_tensor_init(&t, dtype, device); }
   ~nl_cuda_tmp() { nl_tensor_release(&t); }
   nl_cuda_tmp(const nl_cuda_tmp &) = delete;
   nl_cuda_tmp &operator=(const nl_cuda_tmp &) = delete;
};

// t itself when contiguous, else a contiguous copy in tmp (on t's device).
static inline const nl_tensor *nl_cuda_contig(nl_cuda_tmp &tmp, const nl_tensor *t, int *rc) {
   *rc = 0;
   if (t->_ndim == 0 || nl_tensor_is_contiguous(t)) return t;
   *rc = nl_tensor_resize(&tmp.t, t->_ndim, t->_size) || nl_copy(&tmp.t, t);
   return &tmp.t;
}

// A contiguous host copy of device tensor t in tmp (an NL_CPU tensor of
// t's dtype); for small tensors whose values decide sizes or are checked
// (index and mask values), as the CPU front functions check them.
static inline int nl_cuda_to_host(nl_cuda_tmp &tmp, const nl_tensor *t) {
   if (t->_ndim == 0) return nl_tensor_resize(&tmp.t, 0, NULL);
   return nl_tensor_resize(&tmp.t, t->_ndim, t->_size) || nl_copy(&tmp.t, t);
}

// The CPU's check of index values (runtime/math_index.c): each in [1, size].
static inline int nl_cuda_check_indices(const char *fn, const nl_tensor *host_idx, int dim, int64_t size) {
   const int64_t *p = (const int64_t *)nl_ptr(host_idx);
   int64_t n = nl_numel(host_idx);
   for (int64_t i = 0; i < n; i++)
      if (p[i] < 1 || p[i] > size)
         return nl_errorf("%s: index %lld out of range for dimension %d of size %lld", fn, (long long)p[i], dim + 1,
                          (long long)size);
   return 0;
}

static inline bool nl_cuda_shares(const nl_tensor *a, const nl_tensor *b) {
   return a && b && a->_storage && a->_storage == b->_storage;
}

// Dispatch over the float dtypes only (kernels written for float and double).
template <typename F> static int nl_cuda_dispatch_float(const char *fn, const nl_tensor *t, F f) {
   if (t->_dtype == NL_FLOAT) return f.template run<float>();
   if (t->_dtype == NL_DOUBLE) return f.template run<double>();
   return nl_errorf("%s: only float and double CUDA tensors are supported, got %s", fn, nl_type_name(t));
}

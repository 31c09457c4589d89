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

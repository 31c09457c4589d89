// storage.cu: the CUDA backend's memory (a caching allocator over
// cudaMalloc), host<->device copies, strided copy and fill kernels, and the
// registration of the backend table with libnnlua (math and nn families
// fill their entries from math.cu and nn.cu).
#include "cuda_common.h"
#include <map>
#include <mutex>
#include <stdio.h>
#include <string.h>
#include <vector>

#define NL_CUDA_API extern "C" __attribute__((visibility("default")))

int nl_set_error_cuda(const char *fn, cudaError_t err) {
   return nl_errorf("%s: CUDA error: %s", fn, cudaGetErrorString(err));
}

// Caching allocator: freed blocks are kept per rounded size and reused;
// on a failed cudaMalloc the cache is emptied and the call retried.
static std::mutex cache_mu;
static std::multimap<size_t, void *> cache;

static size_t round_size(size_t bytes) {
   if (bytes < 512) return 512;
   if (bytes < (1 << 20)) return (bytes + 511) & ~(size_t)511;
   return (bytes + (1 << 20) - 1) & ~(size_t)((1 << 20) - 1);
}

static int empty_cache(void) {
   std::lock_guard<std::mutex> g(cache_mu);
   for (auto &kv : cache) cudaFree(kv.second);
   cache.clear();
   return 0;
}

static void *cuda_alloc(size_t bytes) {
   size_t r = round_size(bytes);
   {
      std::lock_guard<std::mutex> g(cache_mu);
      auto it = cache.find(r);
      if (it != cache.end()) {
         void *p = it->second;
         cache.erase(it);
         return p;
      }
   }
   void *p = nullptr;
   if (cudaMalloc(&p, r) != cudaSuccess) {
      cudaGetLastError();
      empty_cache();
      if (cudaMalloc(&p, r) != cudaSuccess) {
         cudaGetLastError();
         return nullptr;
      }
   }
   return p;
}

static void cuda_free(void *p, size_t bytes) {
   std::lock_guard<std::mutex> g(cache_mu);
   cache.emplace(round_size(bytes), p);
}

static int h2d(void *dst, const void *src, size_t bytes) {
   NL_CUDA_CHECK("copy to device", cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice));
   return 0;
}
static int d2h(void *dst, const void *src, size_t bytes) {
   NL_CUDA_CHECK("copy to host", cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost));
   return 0;
}
static int d2d(void *dst, const void *src, size_t bytes) {
   NL_CUDA_CHECK("copy on device", cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice));
   return 0;
}

template <typename D, typename S>
__global__ void copy_kernel(D *dst, nl_cuda_geom gd, const S *src, nl_cuda_geom gs, int64_t n) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
      dst[nl_cuda_offset(gd, i)] = (D)src[nl_cuda_offset(gs, i)];
}

template <typename T> __global__ void fill_kernel(T *dst, nl_cuda_geom g, T v, int64_t n) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
      dst[nl_cuda_offset(g, i)] = v;
}

struct CopySrc {
   nl_tensor *dst;
   const nl_tensor *src;
   template <typename S> struct Inner {
      nl_tensor *dst;
      const nl_tensor *src;
      template <typename D> int run() {
         int64_t n = nl_numel(dst);
         copy_kernel<D, S><<<nl_cuda_blocks(n, 256), 256>>>((D *)nl_ptr(dst), nl_cuda_geom_of(dst),
                                                            (const S *)nl_ptr(src), nl_cuda_geom_of(src), n);
         NL_CUDA_CHECK("copy", cudaGetLastError());
         return 0;
      }
   };
   template <typename S> int run() { return nl_cuda_dispatch(dst->_dtype, Inner<S>{dst, src}); }
};

static int cuda_supports(int op, int dtype);

static int cuda_copy(nl_tensor *dst, const nl_tensor *src) {
   int64_t n = nl_numel(dst);
   if (n == 0) return 0;
   if (dst->_dtype == src->_dtype && nl_tensor_is_contiguous(dst) && nl_tensor_is_contiguous(src))
      return d2d(nl_ptr(dst), nl_ptr(src), (size_t)n * nl_dtypes[dst->_dtype].size);
   // shapes may differ (same element count): iterate each in its own shape;
   // the gate asked supports() for dst's dtype only: a Half source has no
   // kernel either (worded as the gate words it)
   if (!cuda_supports(NL_OP_copy, src->_dtype)) return nl_errorf("copy: not available on CUDA for %s", nl_type_name(src));
   return nl_cuda_dispatch(src->_dtype, CopySrc{dst, src});
}

struct Fill {
   nl_tensor *t;
   double v;
   template <typename T> int run() {
      int64_t n = nl_numel(t);
      fill_kernel<T><<<nl_cuda_blocks(n, 256), 256>>>((T *)nl_ptr(t), nl_cuda_geom_of(t), (T)v, n);
      NL_CUDA_CHECK("fill", cudaGetLastError());
      return 0;
   }
};

static int cuda_fill(nl_tensor *t, double v) {
   if (nl_numel(t) == 0) return 0;
   return nl_cuda_dispatch(t->_dtype, Fill{t, v});
}

static nl_backend cuda_backend;
extern "C" void nl_cuda_register_math_pointwise(nl_backend *b);
extern "C" void nl_cuda_register_math_reduce(nl_backend *b);
extern "C" void nl_cuda_register_blas(nl_backend *b);
extern "C" void nl_cuda_register_nn(nl_backend *b);
extern "C" void nl_cuda_register_index(nl_backend *b);
extern "C" void nl_cuda_register_shape(nl_backend *b);
extern "C" void nl_cuda_register_sort(nl_backend *b);
extern "C" void nl_cuda_register_random(nl_backend *b);
extern "C" void nl_cuda_register_optim(nl_backend *b);
extern "C" void nl_cuda_register_lstm(nl_backend *b);
extern "C" void nl_cuda_register_linalg(nl_backend *b);
extern "C" void nl_cuda_register_conv(nl_backend *b);
// pooling, per-plane image modules, batch normalisation (pool.cu, spatial.cu, batchnorm.cu)
extern "C" void nl_cuda_register_pool(nl_backend *b);
extern "C" void nl_cuda_register_spatial(nl_backend *b);
extern "C" void nl_cuda_register_batchnorm(nl_backend *b);
extern "C" void nl_cuda_register_criterion(nl_backend *b);
extern "C" void nl_cuda_register_layers(nl_backend *b);
extern "C" void nl_cuda_register_math_conv(nl_backend *b);

NL_CUDA_API int nl_cuda_device_count(void) {
   int n = 0;
   if (cudaGetDeviceCount(&n) != cudaSuccess) {
      cudaGetLastError();
      return 0;
   }
   return n;
}

// Which dtypes the registered kernels serve: Half has no CUDA kernels;
// the nn, BLAS and optim kernels are written for float and double (the
// others are templates over every dtype of the runtime's list).
static int cuda_supports(int op, int dtype) {
   if (dtype == NL_HALF || dtype < 0 || dtype >= NL_NUM_DTYPES) return 0;
   switch (op) {
   case NL_OP_act_forward: case NL_OP_act_backward: case NL_OP_softmax_forward: case NL_OP_softmax_backward:
   case NL_OP_classnll_forward: case NL_OP_classnll_backward: case NL_OP_pointwise_criterion_forward:
   case NL_OP_pointwise_criterion_backward: case NL_OP_addmm: case NL_OP_mm: case NL_OP_addmv: case NL_OP_mv:
   case NL_OP_addr: case NL_OP_ger: case NL_OP_baddbmm: case NL_OP_bmm: case NL_OP_addbmm: case NL_OP_dot:
   case NL_OP_sgd_step: case NL_OP_adam_step: case NL_OP_adagrad_step: case NL_OP_rmsprop_step:
   case NL_OP_lstm_cell_forward: case NL_OP_lstm_cell_backward:
   case NL_OP_gesv: case NL_OP_gels: case NL_OP_inverse: case NL_OP_symeig: case NL_OP_eig: case NL_OP_svd:
   case NL_OP_potrf: case NL_OP_potrs: case NL_OP_potri: case NL_OP_qr:
   // convolutions (conv.cu)
   case NL_OP_spatial_conv_forward: case NL_OP_spatial_conv_backward: case NL_OP_spatial_conv_acc_grad:
   case NL_OP_spatial_full_conv_forward: case NL_OP_spatial_full_conv_backward: case NL_OP_spatial_full_conv_acc_grad:
   case NL_OP_spatial_grouped_conv_forward: case NL_OP_spatial_grouped_conv_backward:
   case NL_OP_spatial_grouped_conv_acc_grad: case NL_OP_temporal_conv_forward: case NL_OP_temporal_conv_backward:
   case NL_OP_temporal_conv_acc_grad: case NL_OP_volumetric_conv_forward: case NL_OP_volumetric_conv_backward:
   case NL_OP_volumetric_conv_acc_grad: case NL_OP_volumetric_dilated_conv_forward:
   case NL_OP_volumetric_dilated_conv_backward: case NL_OP_volumetric_dilated_conv_acc_grad:
   case NL_OP_volumetric_full_conv_forward: case NL_OP_volumetric_full_conv_backward:
   case NL_OP_volumetric_full_conv_acc_grad:
   // pool.cu, spatial.cu, batchnorm.cu
   case NL_OP_spatial_max_pool_forward: case NL_OP_spatial_max_pool_backward: case NL_OP_spatial_avg_pool_forward:
   case NL_OP_spatial_avg_pool_backward: case NL_OP_spatial_adaptive_pool_forward:
   case NL_OP_spatial_adaptive_avg_pool_backward: case NL_OP_spatial_max_unpool:
   case NL_OP_spatial_dilated_max_pool_forward: case NL_OP_volumetric_dilated_max_pool_forward:
   case NL_OP_spatial_fractional_max_pool_forward: case NL_OP_volumetric_fractional_max_pool_forward:
   case NL_OP_volumetric_max_pool_forward: case NL_OP_volumetric_max_pool_backward:
   case NL_OP_volumetric_avg_pool_forward: case NL_OP_volumetric_avg_pool_backward:
   case NL_OP_temporal_max_pool_forward: case NL_OP_temporal_max_pool_backward:
   case NL_OP_spatial_padding_forward: case NL_OP_spatial_padding_backward:
   case NL_OP_spatial_upsample_nearest_forward: case NL_OP_spatial_upsample_nearest_backward:
   case NL_OP_spatial_upsample_bilinear_forward: case NL_OP_spatial_upsample_bilinear_backward:
   case NL_OP_spatial_lrn_forward: case NL_OP_spatial_lrn_backward:
   case NL_OP_batchnorm_forward: case NL_OP_batchnorm_backward:
   // criterion.cu, layers.cu, conv_local.cu
   case NL_OP_multimargin_forward: case NL_OP_multimargin_backward: case NL_OP_multilabelmargin_forward:
   case NL_OP_multilabelmargin_backward: case NL_OP_multilabelsoftmargin_forward:
   case NL_OP_multilabelsoftmargin_backward: case NL_OP_cosine_embedding_forward:
   case NL_OP_cosine_embedding_backward: case NL_OP_l1hinge_forward: case NL_OP_l1hinge_backward:
   case NL_OP_prelu_forward: case NL_OP_prelu_backward: case NL_OP_prelu_acc_grad: case NL_OP_rrelu_forward:
   case NL_OP_rrelu_backward: case NL_OP_euclidean_forward: case NL_OP_euclidean_backward:
   case NL_OP_euclidean_acc_grad: case NL_OP_normalize_forward: case NL_OP_normalize_backward:
   case NL_OP_lookup_table_forward: case NL_OP_lookup_table_acc_grad: case NL_OP_lookup_table_renorm:
   case NL_OP_spatial_conv_local_forward: case NL_OP_spatial_conv_local_backward:
   case NL_OP_spatial_conv_local_acc_grad:
      return dtype == NL_FLOAT || dtype == NL_DOUBLE;
   case NL_OP_random_get_state: case NL_OP_random_set_state:
      return dtype == NL_BYTE;
   default:
      return 1;
   }
}

// Fills the table: function pointers only, no CUDA call, so that what the
// library serves can be asked on a machine without a device.
static void fill_table(void) {
   static bool filled = false;
   if (filled) return;
   filled = true;
   cuda_backend.name = "CUDA";
   cuda_backend.alloc = cuda_alloc;
   cuda_backend.free = cuda_free;
   cuda_backend.memcpy_h2d = h2d;
   cuda_backend.memcpy_d2h = d2h;
   cuda_backend.memcpy_d2d = d2d;
   cuda_backend.empty_cache = empty_cache;
   cuda_backend.supports = cuda_supports;
   cuda_backend.ops.copy = cuda_copy;
   cuda_backend.ops.fill = cuda_fill;
   cuda_backend.ops.zero = [](nl_tensor *t) { return cuda_fill(t, 0); };
   cuda_backend.ops.get1 = nl_device_get1;
   cuda_backend.ops.set1 = nl_device_set1;
   nl_cuda_register_math_pointwise(&cuda_backend);
   nl_cuda_register_math_reduce(&cuda_backend);
   nl_cuda_register_blas(&cuda_backend);
   nl_cuda_register_nn(&cuda_backend);
   nl_cuda_register_index(&cuda_backend);
   nl_cuda_register_shape(&cuda_backend);
   nl_cuda_register_sort(&cuda_backend);
   nl_cuda_register_random(&cuda_backend);
   nl_cuda_register_optim(&cuda_backend);
   nl_cuda_register_lstm(&cuda_backend);
   nl_cuda_register_linalg(&cuda_backend);
   nl_cuda_register_conv(&cuda_backend);
   nl_cuda_register_pool(&cuda_backend);
   nl_cuda_register_spatial(&cuda_backend);
   nl_cuda_register_batchnorm(&cuda_backend);
   nl_cuda_register_criterion(&cuda_backend);
   nl_cuda_register_layers(&cuda_backend);
   nl_cuda_register_math_conv(&cuda_backend);
}

NL_CUDA_API int nl_cuda_init(void) {
   int n = 0;
   cudaError_t err = cudaGetDeviceCount(&n);
   if (err != cudaSuccess || n == 0) {
      cudaGetLastError();
      // no driver and no device read the same to a user: no device found
      if (err == cudaSuccess || err == cudaErrorNoDevice || err == cudaErrorInsufficientDriver)
         return nl_errorf("cutorch: no CUDA device found");
      return nl_errorf("cutorch: no CUDA device found (%s)", cudaGetErrorString(err));
   }
   fill_table();
   return nl_backend_register(NL_CUDA, &cuda_backend);
}

// What the library serves, asked without a device (nothing is initialised
// or registered): for entry point op (NL_OP_*), one bit per dtype
// (1 << NL_FLOAT, ...) that the table's kernel and supports() accept; 0
// when the table has no entry. Read by the conformance spec's coverage line.
static_assert(sizeof(nl_ops) == NL_OP_COUNT * sizeof(void (*)(void)), "nl_ops: one pointer per entry point");
NL_CUDA_API int nl_cuda_op_dtypes(int op) {
   if (op < 0 || op >= NL_OP_COUNT) return 0;
   fill_table();
   void (*entries[NL_OP_COUNT])(void);
   memcpy(entries, &cuda_backend.ops, sizeof entries);
   if (!entries[op]) return 0;
   int mask = 0;
   for (int d = 0; d < NL_NUM_DTYPES; d++)
      if (cuda_supports(op, d)) mask |= 1 << d;
   return mask;
}

NL_CUDA_API int nl_cuda_empty_cache(void) { return empty_cache(); }

/* Waits for every kernel launched so far (kernels run asynchronously on
 * the default stream; copies to the host wait by themselves). */
NL_CUDA_API int nl_cuda_synchronize(void) {
   cudaError_t e = cudaDeviceSynchronize();
   if (e != cudaSuccess) return nl_errorf("cutorch.synchronize: %s", cudaGetErrorString(e));
   return 0;
}

// batchnorm.cu: the CUDA backend's (Spatial/Volumetric)BatchNormalization
// (entries of nl_ops, runtime/backend.h) for float and double, mirroring
// runtime/nn/batchnorm.c: the input seen as (N, F, S), one block per
// feature. Training: the batch mean and biased variance by block
// reductions in double, save_mean/save_invstd kept, running statistics
// updated with momentum and the unbiased variance; evaluation: the running
// statistics. Backward: the sums of gradOutput and of (x - mean) gradOutput
// per feature, then gradInput (when wanted) and gradWeight/gradBias (when
// given and scale != 0) as the CPU computes them.
#include "cuda_common.h"
#include <math.h>

// file-local: internal linkage, so that no name here meets another file's
namespace {
static const int THREADS = 256;

// a vector argument (weight, bias, statistics): data and stride, or none
template <typename T> struct Vec {
   T *p;
   int64_t s;
   __device__ double get(int64_t f, double dflt) const { return p ? (double)p[f * s] : dflt; }
   __device__ void set(int64_t f, double v) const { p[f * s] = (T)v; }
};
template <typename T> static Vec<T> vec_of(const nl_tensor *t) {
   Vec<T> v = {nullptr, 0};
   if (t) v.p = (T *)nl_ptr(t), v.s = t->_stride[0];
   return v;
}

// The block's sum of v; every thread of the block calls it (blockDim.x ==
// THREADS, a power of two).
__device__ inline double block_sum(double v, double *sh) {
   sh[threadIdx.x] = v;
   __syncthreads();
   for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
      __syncthreads();
   }
   double r = sh[0];
   __syncthreads();
   return r;
}

struct BnStats {
   int64_t N, F, S;
   int training;
   double momentum, eps, scale;
};

// x, y: (N, F, S) contiguous; features blockIdx.x, + gridDim.x, ...
template <typename T>
__global__ void bn_fwd(T *y, const T *x, BnStats g, Vec<T> w, Vec<T> b, Vec<T> rm, Vec<T> rv, Vec<T> sm, Vec<T> si) {
   __shared__ double sh[THREADS];
   const int64_t NS = g.N * g.S;
   for (int64_t f = blockIdx.x; f < g.F; f += gridDim.x) {
      double mean, invstd;
      if (g.training) {
         double sum = 0, ss = 0;
         for (int64_t m = threadIdx.x; m < NS; m += blockDim.x) sum += x[((m / g.S) * g.F + f) * g.S + m % g.S];
         mean = block_sum(sum, sh) / NS;
         for (int64_t m = threadIdx.x; m < NS; m += blockDim.x) {
            double d = x[((m / g.S) * g.F + f) * g.S + m % g.S] - mean;
            ss += d * d;
         }
         ss = block_sum(ss, sh);
         invstd = 1 / sqrt(ss / NS + g.eps);
         if (threadIdx.x == 0) {
            sm.set(f, mean);
            si.set(f, invstd);
            if (rm.p) rm.set(f, g.momentum * mean + (1 - g.momentum) * rm.get(f, 0));
            if (rv.p) rv.set(f, g.momentum * ss / (NS - 1) + (1 - g.momentum) * rv.get(f, 0));
         }
      } else {
         mean = rm.get(f, 0);
         invstd = 1 / sqrt(rv.get(f, 1) + g.eps);
      }
      double a = invstd * w.get(f, 1);
      T sc = (T)a, shift = (T)(b.get(f, 0) - mean * a);
      for (int64_t m = threadIdx.x; m < NS; m += blockDim.x) {
         int64_t k = ((m / g.S) * g.F + f) * g.S + m % g.S;
         y[k] = x[k] * sc + shift;
      }
   }
}

// gi: gradInput or NULL; x, go: (N, F, S) contiguous
template <typename T>
__global__ void bn_bwd(T *gi, const T *x, const T *go, BnStats g, Vec<T> w, Vec<T> rm, Vec<T> rv, Vec<T> sm, Vec<T> si,
                       Vec<T> gw, Vec<T> gb) {
   __shared__ double sh[THREADS];
   const int64_t NS = g.N * g.S;
   for (int64_t f = blockIdx.x; f < g.F; f += gridDim.x) {
      double mean = g.training ? sm.get(f, 0) : rm.get(f, 0);
      double invstd = g.training ? si.get(f, 1) : 1 / sqrt(rv.get(f, 1) + g.eps);
      double wf = w.get(f, 1), sum = 0, dot = 0;
      for (int64_t m = threadIdx.x; m < NS; m += blockDim.x) {
         int64_t k = ((m / g.S) * g.F + f) * g.S + m % g.S;
         sum += go[k];
         dot += (x[k] - mean) * go[k];
      }
      sum = block_sum(sum, sh);
      dot = block_sum(dot, sh);
      if (gi) {
         // training: (go - (x - mean) k - mean(go)) invstd w; evaluation: go invstd w
         double kk = g.training ? dot * invstd * invstd / NS : 0, gm = g.training ? sum / NS : 0;
         T a = (T)(invstd * wf), c1 = (T)(kk * invstd * wf), c0 = (T)((mean * kk - gm) * invstd * wf);
         for (int64_t m = threadIdx.x; m < NS; m += blockDim.x) {
            int64_t k = ((m / g.S) * g.F + f) * g.S + m % g.S;
            gi[k] = go[k] * a - x[k] * c1 + c0;
         }
      }
      if (threadIdx.x == 0 && g.scale != 0) {
         if (gw.p) gw.set(f, gw.get(f, 0) + g.scale * dot * invstd);
         if (gb.p) gb.set(f, gb.get(f, 0) + g.scale * sum);
      }
   }
}

static int blocks_for(int64_t F) { return (int)(F < 65535 * 8 ? (F < 1 ? 1 : F) : 65535 * 8); }

// (N, F, S) of the input: S the product of the dimensions after the second
static BnStats stats_of(const nl_tensor *input, int training, double momentum, double eps, double scale) {
   BnStats g = {input->_size[0], input->_size[1], 1, training, momentum, eps, scale};
   for (int d = 2; d < input->_ndim; d++) g.S *= input->_size[d];
   return g;
}

struct BnForward {
   nl_tensor *output; const nl_tensor *input, *weight, *bias; nl_tensor *rm, *rv, *sm, *si; int training;
   double momentum, eps;
   template <typename T> int run() {
      const char *fn = "nn.BatchNormalization";
      if (!nl_tensor_is_contiguous(output)) return nl_errorf("%s: the output must be contiguous", fn);
      nl_cuda_tmp tmp(input->_dtype, input->_device);
      int rc;
      const nl_tensor *in = nl_cuda_contig(tmp, input, &rc);
      if (rc) return -1;
      BnStats g = stats_of(input, training, momentum, eps, 0);
      if (g.F == 0 || g.N * g.S == 0) return 0;
      bn_fwd<T><<<blocks_for(g.F), THREADS>>>((T *)nl_ptr(output), (const T *)nl_ptr(in), g, vec_of<T>(weight),
                                              vec_of<T>(bias), vec_of<T>(rm), vec_of<T>(rv), vec_of<T>(sm),
                                              vec_of<T>(si));
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};
static int cuda_batchnorm_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight,
                                  const nl_tensor *bias, nl_tensor *running_mean, nl_tensor *running_var,
                                  nl_tensor *save_mean, nl_tensor *save_invstd, int training, double momentum,
                                  double eps) {
   return nl_cuda_dispatch_float("nn.BatchNormalization", input,
                                 BnForward{output, input, weight, bias, running_mean, running_var, save_mean,
                                           save_invstd, training, momentum, eps});
}

struct BnBackward {
   nl_tensor *gradInput, *gradWeight, *gradBias; const nl_tensor *input, *gradOutput, *weight, *rm, *rv, *sm, *si;
   int training; double scale, eps;
   template <typename T> int run() {
      const char *fn = "nn.BatchNormalization";
      if (gradInput && !nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
      nl_cuda_tmp t1(input->_dtype, input->_device), t2(input->_dtype, input->_device);
      int rc, rc2;
      const nl_tensor *in = nl_cuda_contig(t1, input, &rc);
      const nl_tensor *go = nl_cuda_contig(t2, gradOutput, &rc2);
      if (rc || rc2) return -1;
      BnStats g = stats_of(input, training, 0, eps, scale);
      if (g.F == 0) return 0;
      bn_bwd<T><<<blocks_for(g.F), THREADS>>>(
         gradInput ? (T *)nl_ptr(gradInput) : nullptr, (const T *)nl_ptr(in), (const T *)nl_ptr(go), g,
         vec_of<T>(weight), vec_of<T>(training ? nullptr : rm), vec_of<T>(training ? nullptr : rv),
         vec_of<T>(training ? sm : nullptr), vec_of<T>(training ? si : nullptr), vec_of<T>(gradWeight),
         vec_of<T>(gradBias));
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};
static int cuda_batchnorm_backward(nl_tensor *gradInput, nl_tensor *gradWeight, nl_tensor *gradBias,
                                   const nl_tensor *input, const nl_tensor *gradOutput, const nl_tensor *weight,
                                   const nl_tensor *running_mean, const nl_tensor *running_var,
                                   const nl_tensor *save_mean, const nl_tensor *save_invstd, int training, double scale,
                                   double eps) {
   return nl_cuda_dispatch_float("nn.BatchNormalization", input,
                                 BnBackward{gradInput, gradWeight, gradBias, input, gradOutput, weight, running_mean,
                                            running_var, save_mean, save_invstd, training, scale, eps});
}

} // namespace

// float and double only (see cuda_supports, storage.cu)
extern "C" void nl_cuda_register_batchnorm(nl_backend *b) {
   b->ops.batchnorm_forward = cuda_batchnorm_forward;
   b->ops.batchnorm_backward = cuda_batchnorm_backward;
}

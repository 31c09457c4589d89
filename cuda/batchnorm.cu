// batchnorm.cu: the CUDA backend's (Spatial/Volumetric)BatchNormalization
// (entries of nl_ops, runtime/backend.h) for float and double, mirroring
// runtime/nn/batchnorm.c on the input seen as (N, F, S). Per-feature sums
// in double by block reductions over chunks of each feature's values
// (enough blocks to fill the device when features are few), then one
// thread per feature adds its chunks in order (deterministic) and derives
// the statistics, then one thread per element applies them. Training: the
// batch mean and biased variance (two passes, as the CPU), save_mean and
// save_invstd kept, running statistics updated with momentum and the
// unbiased variance; evaluation: the running statistics. Backward: the sums
// of gradOutput and of (x - mean) gradOutput, then gradInput (when wanted)
// and gradWeight/gradBias (when given and scale != 0) as the CPU has them.
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

// The input as (N, F, S); each feature's N*S values split into C chunks
// of len (one block each), so that a few features still fill the device.
struct Bn {
   int64_t N, F, S, C, len;
   int training;
   double momentum, eps, scale;
};

static Bn bn_of(const nl_tensor *input, int training, double momentum, double eps, double scale) {
   Bn g = {input->_size[0], input->_size[1], 1, 1, 1, training, momentum, eps, scale};
   for (int d = 2; d < input->_ndim; d++) g.S *= input->_size[d];
   int64_t NS = g.N * g.S, want = (1024 + g.F - 1) / (g.F ? g.F : 1), most = (NS + 8 * THREADS - 1) / (8 * THREADS);
   g.C = want < most ? want : most;
   if (g.C < 1) g.C = 1;
   g.len = NS > 0 ? (NS + g.C - 1) / g.C : 1;
   return g;
}

static int blocks_for(int64_t n) { return (int)(n < 65535 * 8 ? (n < 1 ? 1 : n) : 65535 * 8); }

// Block f * C + c sums chunk c of feature f: what 0, x; 1, (x - mean)^2
// (mean: st[4 f], double); 2, gradOutput into part and (x - mean)
// gradOutput into part2 (mean: the T vector mv).
template <typename T>
__global__ void bn_partial(double *part, double *part2, const T *x, const T *go, const double *st, Vec<T> mv, Bn g,
                           int what) {
   __shared__ double sh[THREADS];
   const int64_t NS = g.N * g.S;
   for (int64_t b = blockIdx.x; b < g.F * g.C; b += gridDim.x) {
      int64_t f = b / g.C, m0 = (b % g.C) * g.len, m1 = m0 + g.len < NS ? m0 + g.len : NS;
      double mu = what == 0 ? 0 : (what == 1 ? st[4 * f] : mv.get(f, 0)), s = 0, s2 = 0;
      for (int64_t m = m0 + threadIdx.x; m < m1; m += blockDim.x) {
         int64_t k = ((m / g.S) * g.F + f) * g.S + m % g.S;
         double d = x[k] - mu;
         if (what == 0) s += x[k];
         else if (what == 1) s += d * d;
         else s += go[k], s2 += d * go[k];
      }
      s = block_sum(s, sh);
      if (what == 2) s2 = block_sum(s2, sh);
      if (threadIdx.x == 0) {
         part[b] = s;
         if (what == 2) part2[b] = s2;
      }
   }
}

// the sum of feature f's chunk partials, in chunk order
__device__ inline double chunk_sum(const double *part, const Bn &g, int64_t f) {
   double s = 0;
   for (int64_t c = 0; c < g.C; c++) s += part[f * g.C + c];
   return s;
}

// One thread per feature. Training stage 0: st[4 f] = the batch mean.
// Stage 1 (training: part holds the squared deviations): the statistics
// kept and updated as the CPU does, then y = x st[4 f + 2] + st[4 f + 3].
template <typename T>
__global__ void bn_stats_fwd(double *st, const double *part, Bn g, int stage, Vec<T> w, Vec<T> b, Vec<T> rm, Vec<T> rv,
                             Vec<T> sm, Vec<T> si) {
   const int64_t NS = g.N * g.S;
   NL_CUDA_LOOP(f, g.F) {
      double *s = st + 4 * f, mean, invstd;
      if (stage == 0) {
         s[0] = chunk_sum(part, g, f) / NS;
         continue;
      }
      if (g.training) {
         double ss = chunk_sum(part, g, f);
         mean = s[0];
         invstd = 1 / sqrt(ss / NS + g.eps);
         sm.set(f, mean);
         si.set(f, invstd);
         if (rm.p) rm.set(f, g.momentum * mean + (1 - g.momentum) * rm.get(f, 0));
         if (rv.p) rv.set(f, g.momentum * ss / (NS - 1) + (1 - g.momentum) * rv.get(f, 0));
      } else {
         mean = rm.get(f, 0);
         invstd = 1 / sqrt(rv.get(f, 1) + g.eps);
      }
      double a = invstd * w.get(f, 1);
      s[2] = a;
      s[3] = b.get(f, 0) - mean * a;
   }
}

// One thread per feature, from the sums of gradOutput (part) and of
// (x - mean) gradOutput (part2): gradInput = go st[4 f] - x st[4 f + 1] +
// st[4 f + 2] (training: (go - (x - mean) k - mean(go)) invstd w;
// evaluation: go invstd w); gradWeight and gradBias += scale * their sums.
template <typename T>
__global__ void bn_stats_bwd(double *st, const double *part, const double *part2, Bn g, Vec<T> w, Vec<T> mv, Vec<T> rv,
                             Vec<T> si, Vec<T> gw, Vec<T> gb) {
   const int64_t NS = g.N * g.S;
   NL_CUDA_LOOP(f, g.F) {
      double sum = chunk_sum(part, g, f), dot = chunk_sum(part2, g, f), mean = mv.get(f, 0);
      double invstd = g.training ? si.get(f, 1) : 1 / sqrt(rv.get(f, 1) + g.eps), wf = w.get(f, 1);
      double k = g.training ? dot * invstd * invstd / NS : 0, gm = g.training ? sum / NS : 0;
      st[4 * f] = invstd * wf;
      st[4 * f + 1] = k * invstd * wf;
      st[4 * f + 2] = (mean * k - gm) * invstd * wf;
      if (g.scale != 0 && gw.p) gw.set(f, gw.get(f, 0) + g.scale * dot * invstd);
      if (g.scale != 0 && gb.p) gb.set(f, gb.get(f, 0) + g.scale * sum);
   }
}

// y = x a + b per feature (forward), or gi = go a - x c1 + c0 (backward),
// the factors rounded to T as the CPU rounds them
template <typename T> __global__ void bn_apply(T *y, const T *x, const T *go, const double *st, int64_t n, Bn g) {
   NL_CUDA_LOOP(e, n) {
      const double *s = st + 4 * ((e / g.S) % g.F);
      if (go) y[e] = go[e] * (T)s[0] - x[e] * (T)s[1] + (T)s[2];
      else y[e] = x[e] * (T)s[2] + (T)s[3];
   }
}

// device scratch: st (4 doubles per feature), part and part2 (one double
// per block of bn_partial)
struct Scratch {
   nl_cuda_tmp st, part, part2;
   explicit Scratch(int device) : st(NL_DOUBLE, device), part(NL_DOUBLE, device), part2(NL_DOUBLE, device) {}
   int size(const Bn &g, bool two) {
      int64_t n4 = 4 * g.F, np = g.F * g.C;
      return nl_tensor_resize(&st.t, 1, &n4) || nl_tensor_resize(&part.t, 1, &np) ||
             (two && nl_tensor_resize(&part2.t, 1, &np));
   }
};
#define DP(x) ((double *)nl_ptr(&(x).t))

struct BnForward {
   nl_tensor *output; const nl_tensor *input, *weight, *bias; nl_tensor *rm, *rv, *sm, *si; int training;
   double momentum, eps;
   template <typename T> int run() {
      const char *fn = "nn.BatchNormalization";
      if (!nl_tensor_is_contiguous(output)) return nl_errorf("%s: the output must be contiguous", fn);
      nl_cuda_tmp tmp(input->_dtype, input->_device);
      int rc;
      const nl_tensor *in = nl_cuda_contig(tmp, input, &rc);
      Bn g = bn_of(input, training, momentum, eps, 0);
      Scratch sc(input->_device);
      if (rc || sc.size(g, false)) return -1;
      if (g.F == 0 || g.N * g.S == 0) return 0;
      const T *x = (const T *)nl_ptr(in);
      Vec<T> none = {nullptr, 0}, w = vec_of<T>(weight), b = vec_of<T>(bias), vrm = vec_of<T>(rm), vrv = vec_of<T>(rv),
             vsm = vec_of<T>(sm), vsi = vec_of<T>(si);
      if (training) {
         bn_partial<T><<<blocks_for(g.F * g.C), THREADS>>>(DP(sc.part), nullptr, x, nullptr, DP(sc.st), none, g, 0);
         bn_stats_fwd<T><<<nl_cuda_blocks(g.F, THREADS), THREADS>>>(DP(sc.st), DP(sc.part), g, 0, w, b, vrm, vrv, vsm, vsi);
         bn_partial<T><<<blocks_for(g.F * g.C), THREADS>>>(DP(sc.part), nullptr, x, nullptr, DP(sc.st), none, g, 1);
      }
      bn_stats_fwd<T><<<nl_cuda_blocks(g.F, THREADS), THREADS>>>(DP(sc.st), DP(sc.part), g, 1, w, b, vrm, vrv, vsm, vsi);
      int64_t n = nl_numel(input);
      bn_apply<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(output), x, nullptr, DP(sc.st), n, g);
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
      Bn g = bn_of(input, training, 0, eps, scale);
      Scratch sc(input->_device);
      if (rc || rc2 || sc.size(g, true)) return -1;
      if (g.F == 0) return 0;
      const T *x = (const T *)nl_ptr(in), *gp = (const T *)nl_ptr(go);
      Vec<T> mv = vec_of<T>(training ? sm : rm);
      bn_partial<T><<<blocks_for(g.F * g.C), THREADS>>>(DP(sc.part), DP(sc.part2), x, gp, nullptr, mv, g, 2);
      bn_stats_bwd<T><<<nl_cuda_blocks(g.F, THREADS), THREADS>>>(
         DP(sc.st), DP(sc.part), DP(sc.part2), g, vec_of<T>(weight), mv, vec_of<T>(training ? nullptr : rv),
         vec_of<T>(training ? si : nullptr), vec_of<T>(gradWeight), vec_of<T>(gradBias));
      int64_t n = nl_numel(input);
      if (gradInput && n > 0)
         bn_apply<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(gradInput), x, gp, DP(sc.st), n, g);
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

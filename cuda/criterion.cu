// criterion.cu: the CUDA backend's margin and embedding criterions
// (runtime/nn/criterion_margin.c's entry points): MultiMargin,
// MultiLabelMargin, MultiLabelSoftMargin, CosineEmbedding and
// L1HingeEmbedding, float and double. The front functions have checked
// sizes and dtypes and resized the results; targets are element data, so
// they are checked here, on a host copy (they are small), with the CPU's
// words. Rows of a 1D (C) or 2D (N, C) input run one block per row; each
// row's loss lands in a device buffer that one block then sums in a fixed
// order, so a loss does not depend on the launch (no atomics). Sums are in
// double, elements are rounded to T where the CPU rounds them.
#include "cuda_common.h"
#include <math.h>

// one namespace per file: kernels and functors of other files may share names
namespace nl_cuda_criterion {

static const int THREADS = 256;
static const int MAX_BLOCKS = 4096;

// (row, column) strides of a 1D (one row) or 2D view, in elements
struct RC {
   int64_t rs, cs;
};
static RC rc_of(const nl_tensor *t) {
   RC m;
   if (t->_ndim == 1) m.rs = 0, m.cs = t->_stride[0];
   else m.rs = t->_stride[0], m.cs = t->_stride[1];
   return m;
}
__device__ static inline int64_t at(RC m, int64_t r, int64_t c) { return r * m.rs + c * m.cs; }

// The block's sum of v; every thread of the block calls it (blockDim.x a
// power of two <= THREADS).
__device__ static inline double block_sum(double v, double *sh) {
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

// out[0] = p[0] + ... + p[n-1], one block, a fixed order
__global__ void sum_kernel(const double *p, int64_t n, double *out) {
   __shared__ double sh[THREADS];
   double acc = 0;
   for (int64_t i = threadIdx.x; i < n; i += blockDim.x) acc += p[i];
   acc = block_sum(acc, sh);
   if (threadIdx.x == 0) *out = acc;
}

static int grid_of(int64_t n) { return (int)(n < 1 ? 1 : (n > MAX_BLOCKS ? MAX_BLOCKS : n)); }

// A device buffer of n partial sums (and one more for their total).
struct Parts {
   nl_cuda_tmp tmp;
   double *p = nullptr;
   int64_t n;
   Parts(int device, int64_t n_) : tmp(NL_DOUBLE, device), n(n_) {}
   int alloc() {
      int64_t len = n + 1;
      if (nl_tensor_resize(&tmp.t, 1, &len)) return -1;
      p = (double *)nl_ptr(&tmp.t);
      return 0;
   }
   // *out = the sum of parts [from, from + count), in a fixed order
   int sum(const char *fn, double *out, int64_t from, int64_t count) {
      NL_CUDA_CHECK(fn, cudaGetLastError());
      sum_kernel<<<1, THREADS>>>(p + from, count, p + n);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      NL_CUDA_CHECK(fn, cudaMemcpy(out, p + n, sizeof *out, cudaMemcpyDeviceToHost));
      return 0;
   }
};

// --------------------------------------------------------- target checks

static int mm_targets(const char *name, const nl_tensor *target, int64_t c) {
   nl_cuda_tmp h(NL_LONG, NL_CPU);
   if (nl_cuda_to_host(h, target)) return -1;
   const int64_t *t = (const int64_t *)nl_ptr(&h.t);
   for (int64_t i = 0, n = nl_numel(&h.t); i < n; i++)
      if (t[i] < 1 || t[i] > c)
         return nl_errorf("%s: target %lld is out of range for %lld classes (targets are 1..%lld)", name,
                          (long long)t[i], (long long)c, (long long)c);
   return 0;
}

static int mlm_targets(const char *name, const nl_tensor *target, int64_t n, int64_t c) {
   nl_cuda_tmp h(NL_LONG, NL_CPU);
   if (nl_cuda_to_host(h, target)) return -1;
   const int64_t *t = (const int64_t *)nl_ptr(&h.t);
   for (int64_t i = 0; i < n; i++)
      for (int64_t k = 0; k < c; k++) {
         int64_t v = t[i * c + k];
         if (v < 1) break;
         if (v > c)
            return nl_errorf("%s: target %lld is out of range for %lld classes (targets are 1..%lld, then 0s)", name,
                             (long long)v, (long long)c, (long long)c);
      }
   return 0;
}

static int cos_targets(const char *name, const nl_tensor *y) {
   nl_cuda_tmp h(NL_DOUBLE, NL_CPU);
   if (nl_tensor_resize_as(&h.t, y) || nl_copy(&h.t, y)) return -1;
   const double *p = (const double *)nl_ptr(&h.t);
   for (int64_t i = 0, n = nl_numel(&h.t); i < n; i++)
      if (p[i] != 1 && p[i] != -1) return nl_errorf("%s: targets must be 1 or -1, got %g", name, p[i]);
   return 0;
}

static void rows_of(const nl_tensor *input, int64_t *n, int64_t *c) {
   *n = input->_ndim == 2 ? input->_size[0] : 1;
   *c = input->_size[input->_ndim - 1];
}

// ------------------------------------------------------------ MultiMargin

// row i: sum over d != t of max(0, margin - x[t] + x[d])^p (times w[t]), / c
template <typename T>
__global__ void mm_fwd_kernel(double *rowloss, const T *x, RC gx, const int64_t *t, int64_t ts, const T *w, int64_t ws,
                              int p, double margin, int64_t n, int64_t c) {
   __shared__ double sh[THREADS];
   for (int64_t i = blockIdx.x; i < n; i += gridDim.x) {
      const int64_t k = t[i * ts] - 1;
      const double xt = (double)x[at(gx, i, k)], wt = w ? (double)w[k * ws] : 1;
      double s = 0;
      for (int64_t d = threadIdx.x; d < c; d += blockDim.x) {
         double z = margin - xt + (double)x[at(gx, i, d)];
         if (d == k || z <= 0) continue;
         double h = p == 1 ? z : z * z;
         s += w ? h * wt : h;
      }
      s = block_sum(s, sh);
      if (threadIdx.x == 0) rowloss[i] = s / c;
   }
}

template <typename T>
__global__ void mm_bwd_kernel(T *gi, RC gg, const T *x, RC gx, const int64_t *t, int64_t ts, const T *w, int64_t ws,
                              int p, double margin, double g, int64_t n, int64_t c) {
   __shared__ double sh[THREADS];
   for (int64_t i = blockIdx.x; i < n; i += gridDim.x) {
      const int64_t k = t[i * ts] - 1;
      const double xt = (double)x[at(gx, i, k)], wt = w ? (double)w[k * ws] : 1;
      double gt = 0;
      for (int64_t d = threadIdx.x; d < c; d += blockDim.x) {
         if (d == k) continue;
         double z = margin - xt + (double)x[at(gx, i, d)], h = 0;
         if (z > 0) {
            h = p == 1 ? g : 2 * g * z;
            if (w) h *= wt;
            gt -= h;
         }
         gi[at(gg, i, d)] = (T)h;
      }
      gt = block_sum(gt, sh);
      if (threadIdx.x == 0) gi[at(gg, i, k)] = (T)gt;
   }
}

static const char *MM = "nn.MultiMarginCriterion";

struct MMForward {
   double *loss; const nl_tensor *input, *target, *weights; int p; double margin; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(input, &n, &c);
      if (mm_targets(MM, target, c)) return -1;
      Parts parts(input->_device, n);
      if (parts.alloc()) return -1;
      mm_fwd_kernel<T><<<grid_of(n), THREADS>>>(parts.p, (const T *)nl_ptr(input), rc_of(input),
                                                 (const int64_t *)nl_ptr(target), target->_stride[0],
                                                 weights ? (const T *)nl_ptr(weights) : nullptr,
                                                 weights ? weights->_stride[0] : 0, p, margin, n, c);
      double total;
      if (parts.sum(MM, &total, 0, n)) return -1;
      *loss = size_average ? total / n : total;
      return 0;
   }
};
static int cuda_multimargin_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                                    const nl_tensor *weights, int p, double margin, int size_average) {
   return nl_cuda_dispatch_float(MM, input, MMForward{loss, input, target, weights, p, margin, size_average});
}

struct MMBackward {
   nl_tensor *gradInput; const nl_tensor *input, *target, *weights; int p; double margin; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(input, &n, &c);
      if (mm_targets(MM, target, c)) return -1;
      double g = size_average ? 1.0 / ((double)n * c) : 1.0 / c;
      mm_bwd_kernel<T><<<grid_of(n), THREADS>>>((T *)nl_ptr(gradInput), rc_of(gradInput), (const T *)nl_ptr(input),
                                                 rc_of(input), (const int64_t *)nl_ptr(target), target->_stride[0],
                                                 weights ? (const T *)nl_ptr(weights) : nullptr,
                                                 weights ? weights->_stride[0] : 0, p, margin, g, n, c);
      NL_CUDA_CHECK(MM, cudaGetLastError());
      return 0;
   }
};
static int cuda_multimargin_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                     const nl_tensor *weights, int p, double margin, int size_average) {
   return nl_cuda_dispatch_float(MM, input, MMBackward{gradInput, input, target, weights, p, margin, size_average});
}

// ------------------------------------------------------- MultiLabelMargin

// The block's minimum of v (as block_sum).
__device__ static inline double block_min(double v, double *sh) {
   sh[threadIdx.x] = v;
   __syncthreads();
   for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) sh[threadIdx.x] = fmin(sh[threadIdx.x], sh[threadIdx.x + s]);
      __syncthreads();
   }
   double r = sh[0];
   __syncthreads();
   return r;
}

// Marks row i's targets in is_target (zeroed first); returns their count
// k (they end at the first value < 1). Every thread of the block calls it;
// a class listed twice is marked twice with the same value.
template <typename T>
__device__ static int64_t mark_targets(T *ist, RC gs, const int64_t *t, RC gt, int64_t i, int64_t c, double *sh) {
   double first = (double)c;
   for (int64_t d = threadIdx.x; d < c; d += blockDim.x) {
      ist[at(gs, i, d)] = 0;
      if (t[at(gt, i, d)] < 1 && d < first) first = (double)d;
   }
   const int64_t k = (int64_t)block_min(first, sh);
   for (int64_t j = threadIdx.x; j < k; j += blockDim.x) ist[at(gs, i, t[at(gt, i, j)] - 1)] = 1;
   __syncthreads();
   return k;
}

template <typename T>
__global__ void mlm_fwd_kernel(double *rowloss, T *ist, RC gs, const T *x, RC gx, const int64_t *t, RC gt, int64_t n,
                               int64_t c) {
   __shared__ double sh[THREADS];
   for (int64_t i = blockIdx.x; i < n; i += gridDim.x) {
      const int64_t k = mark_targets(ist, gs, t, gt, i, c, sh);
      double s = 0;
      for (int64_t d = threadIdx.x; d < c; d += blockDim.x) {
         if ((double)ist[at(gs, i, d)] != 0) continue;
         const double xd = (double)x[at(gx, i, d)];
         for (int64_t j = 0; j < k; j++) {
            double z = 1 - (double)x[at(gx, i, t[at(gt, i, j)] - 1)] + xd;
            if (z > 0) s += z;
         }
      }
      s = block_sum(s, sh);
      if (threadIdx.x == 0) rowloss[i] = s;
   }
}

// non-targets d: g per target j with 1 - x[t_j] + x[d] > 0; target t_j:
// -g per such d, added in target order by thread 0 (the only writer of
// the target entries after the barrier, so the loop needs no other)
template <typename T>
__global__ void mlm_bwd_kernel(T *gin, RC gg, T *ist, RC gs, const T *x, RC gx, const int64_t *t, RC gt, double g,
                               int64_t n, int64_t c) {
   __shared__ double sh[THREADS];
   for (int64_t i = blockIdx.x; i < n; i += gridDim.x) {
      const int64_t k = mark_targets(ist, gs, t, gt, i, c, sh);
      for (int64_t d = threadIdx.x; d < c; d += blockDim.x) {
         T acc = 0;
         if ((double)ist[at(gs, i, d)] == 0) {
            const double xd = (double)x[at(gx, i, d)];
            for (int64_t j = 0; j < k; j++)
               if (1 - (double)x[at(gx, i, t[at(gt, i, j)] - 1)] + xd > 0) acc = (T)((double)acc + g);
         }
         gin[at(gg, i, d)] = acc;
      }
      __syncthreads();
      for (int64_t j = 0; j < k; j++) {
         const int64_t tj = t[at(gt, i, j)] - 1;
         const double xt = (double)x[at(gx, i, tj)];
         double cnt = 0;
         for (int64_t d = threadIdx.x; d < c; d += blockDim.x)
            if ((double)ist[at(gs, i, d)] == 0 && 1 - xt + (double)x[at(gx, i, d)] > 0) cnt += 1;
         cnt = block_sum(cnt, sh);
         if (threadIdx.x == 0) {
            double gtj = 0;
            for (int64_t q = 0; q < (int64_t)cnt; q++) gtj -= g;
            gin[at(gg, i, tj)] = (T)((double)gin[at(gg, i, tj)] + gtj);
         }
      }
   }
}

static const char *MLM = "nn.MultiLabelMarginCriterion";

struct MLMForward {
   double *loss; nl_tensor *is_target; const nl_tensor *input, *target; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(input, &n, &c);
      if (mlm_targets(MLM, target, n, c)) return -1;
      Parts parts(input->_device, n);
      if (parts.alloc()) return -1;
      mlm_fwd_kernel<T><<<grid_of(n), THREADS>>>(parts.p, (T *)nl_ptr(is_target), rc_of(is_target),
                                                  (const T *)nl_ptr(input), rc_of(input),
                                                  (const int64_t *)nl_ptr(target), rc_of(target), n, c);
      double total;
      if (parts.sum(MLM, &total, 0, n)) return -1;
      total /= c;
      *loss = size_average ? total / n : total;
      return 0;
   }
};
static int cuda_multilabelmargin_forward(double *loss, nl_tensor *is_target, const nl_tensor *input,
                                         const nl_tensor *target, int size_average) {
   return nl_cuda_dispatch_float(MLM, input, MLMForward{loss, is_target, input, target, size_average});
}

struct MLMBackward {
   nl_tensor *gradInput, *is_target; const nl_tensor *input, *target; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(input, &n, &c);
      if (mlm_targets(MLM, target, n, c)) return -1;
      double g = size_average ? 1.0 / ((double)n * c) : 1.0 / c;
      mlm_bwd_kernel<T><<<grid_of(n), THREADS>>>((T *)nl_ptr(gradInput), rc_of(gradInput), (T *)nl_ptr(is_target),
                                                  rc_of(is_target), (const T *)nl_ptr(input), rc_of(input),
                                                  (const int64_t *)nl_ptr(target), rc_of(target), g, n, c);
      NL_CUDA_CHECK(MLM, cudaGetLastError());
      return 0;
   }
};
static int cuda_multilabelmargin_backward(nl_tensor *gradInput, nl_tensor *is_target, const nl_tensor *input,
                                          const nl_tensor *target, int size_average) {
   return nl_cuda_dispatch_float(MLM, input, MLMBackward{gradInput, is_target, input, target, size_average});
}

// --------------------------------------------------- MultiLabelSoftMargin
// Sigmoid (in T's precision) then binary cross-entropy, eps 1e-12.

__device__ static inline double sigm(float x) { return (double)(1.0f / (1.0f + expf(-x))); }
__device__ static inline double sigm(double x) { return 1 / (1 + exp(-x)); }

template <typename T>
__global__ void mlsm_fwd_kernel(double *parts, const T *x, RC gx, const T *y, RC gy, const T *w, int64_t ws, int64_t n,
                                int64_t c) {
   __shared__ double sh[THREADS];
   const double eps = 1e-12;
   double acc = 0;
   NL_CUDA_LOOP(e, n * c) {
      const int64_t i = e / c, d = e % c;
      const double p = sigm(x[at(gx, i, d)]), t = (double)y[at(gy, i, d)];
      double v = -(t * log(p + eps) + (1 - t) * log(1 - p + eps));
      if (w) v *= (double)w[d * ws];
      acc += v;
   }
   acc = block_sum(acc, sh);
   if (threadIdx.x == 0) parts[blockIdx.x] = acc;
}

template <typename T>
__global__ void mlsm_bwd_kernel(T *gi, RC gg, const T *x, RC gx, const T *y, RC gy, const T *w, int64_t ws,
                                double norm, int64_t n, int64_t c) {
   const double eps = 1e-12;
   NL_CUDA_LOOP(e, n * c) {
      const int64_t i = e / c, d = e % c;
      const double p = sigm(x[at(gx, i, d)]), t = (double)y[at(gy, i, d)];
      double gp = -(t - p) / ((1 - p + eps) * (p + eps));
      if (w) gp *= (double)w[d * ws];
      gp *= norm;
      gi[at(gg, i, d)] = (T)(gp * (1 - p) * p);
   }
}

static const char *MLSM = "nn.MultiLabelSoftMarginCriterion";

static int elem_blocks(int64_t n) {
   int64_t b = (n + THREADS - 1) / THREADS;
   return (int)(b < 1 ? 1 : (b > 256 ? 256 : b));
}

struct MLSMForward {
   double *loss; const nl_tensor *input, *target, *weights; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(input, &n, &c);
      int blocks = elem_blocks(n * c);
      Parts parts(input->_device, blocks);
      if (parts.alloc()) return -1;
      mlsm_fwd_kernel<T><<<blocks, THREADS>>>(parts.p, (const T *)nl_ptr(input), rc_of(input),
                                              (const T *)nl_ptr(target), rc_of(target),
                                              weights ? (const T *)nl_ptr(weights) : nullptr,
                                              weights ? weights->_stride[0] : 0, n, c);
      double sum;
      if (parts.sum(MLSM, &sum, 0, blocks)) return -1;
      *loss = size_average ? sum / ((double)n * c) : sum;
      return 0;
   }
};
static int cuda_multilabelsoftmargin_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                                             const nl_tensor *weights, int size_average) {
   return nl_cuda_dispatch_float(MLSM, input, MLSMForward{loss, input, target, weights, size_average});
}

struct MLSMBackward {
   nl_tensor *gradInput; const nl_tensor *input, *target, *weights; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(input, &n, &c);
      double norm = size_average ? 1.0 / ((double)n * c) : 1.0;
      mlsm_bwd_kernel<T><<<nl_cuda_blocks(n * c, THREADS), THREADS>>>(
         (T *)nl_ptr(gradInput), rc_of(gradInput), (const T *)nl_ptr(input), rc_of(input), (const T *)nl_ptr(target),
         rc_of(target), weights ? (const T *)nl_ptr(weights) : nullptr, weights ? weights->_stride[0] : 0, norm, n, c);
      NL_CUDA_CHECK(MLSM, cudaGetLastError());
      return 0;
   }
};
static int cuda_multilabelsoftmargin_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                              const nl_tensor *weights, int size_average) {
   return nl_cuda_dispatch_float(MLSM, input, MLSMBackward{gradInput, input, target, weights, size_average});
}

// -------------------------------------------------------- CosineEmbedding
// cos = x1.x2 / sqrt((|x1|^2 + eps)(|x2|^2 + eps)), eps 1e-12; loss 1 - cos
// (y = 1) or max(0, cos - margin) (y = -1).

struct CosRow {
   double dot, w22, w32, w, cos;
};

template <typename T>
__device__ static CosRow cos_row(const T *x1, RC g1, const T *x2, RC g2, int64_t i, int64_t c, double *sh) {
   double dot = 0, s1 = 0, s2 = 0;
   for (int64_t d = threadIdx.x; d < c; d += blockDim.x) {
      double a = (double)x1[at(g1, i, d)], b = (double)x2[at(g2, i, d)];
      dot += a * b;
      s1 += a * a;
      s2 += b * b;
   }
   CosRow r;
   r.dot = block_sum(dot, sh);
   r.w22 = 1 / (block_sum(s1, sh) + 1e-12);
   r.w32 = 1 / (block_sum(s2, sh) + 1e-12);
   r.w = sqrt(r.w22 * r.w32);
   r.cos = r.dot * r.w;
   return r;
}

template <typename T>
__global__ void cos_fwd_kernel(double *rowloss, const T *x1, RC g1, const T *x2, RC g2, const T *y, int64_t ys,
                               double margin, int64_t n, int64_t c) {
   __shared__ double sh[THREADS];
   for (int64_t i = blockIdx.x; i < n; i += gridDim.x) {
      CosRow r = cos_row(x1, g1, x2, g2, i, c, sh);
      if (threadIdx.x == 0)
         rowloss[i] = (double)y[i * ys] == -1 ? (r.cos - margin > 0 ? r.cos - margin : 0) : 1 - r.cos;
   }
}

template <typename T>
__global__ void cos_bwd_kernel(T *o1, RC h1, T *o2, RC h2, const T *x1, RC g1, const T *x2, RC g2, const T *y,
                               int64_t ys, double margin, int size_average, int64_t n, int64_t c) {
   __shared__ double sh[THREADS];
   for (int64_t i = blockIdx.x; i < n; i += gridDim.x) {
      CosRow r = cos_row(x1, g1, x2, g2, i, c, sh);
      const bool pos = (double)y[i * ys] == 1;
      const double out = pos ? 1 - r.cos : (r.cos - margin > 0 ? r.cos - margin : 0);
      double sign = pos ? -1 : 1;
      if (size_average) sign /= n;
      for (int64_t d = threadIdx.x; d < c; d += blockDim.x) {
         double a = (double)x1[at(g1, i, d)], b = (double)x2[at(g2, i, d)], v1 = 0, v2 = 0;
         if (out > 0) {
            v1 = (b - r.dot * r.w22 * a) * r.w * sign;
            v2 = (a - r.dot * r.w32 * b) * r.w * sign;
         }
         o1[at(h1, i, d)] = (T)v1;
         o2[at(h2, i, d)] = (T)v2;
      }
   }
}

static const char *COS = "nn.CosineEmbeddingCriterion";

struct CosForward {
   double *loss; const nl_tensor *x1, *x2, *y; double margin; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(x1, &n, &c);
      if (cos_targets(COS, y)) return -1;
      Parts parts(x1->_device, n);
      if (parts.alloc()) return -1;
      cos_fwd_kernel<T><<<grid_of(n), THREADS>>>(parts.p, (const T *)nl_ptr(x1), rc_of(x1), (const T *)nl_ptr(x2),
                                                  rc_of(x2), (const T *)nl_ptr(y), y->_stride[0], margin, n, c);
      double sum;
      if (parts.sum(COS, &sum, 0, n)) return -1;
      *loss = size_average ? sum / n : sum;
      return 0;
   }
};
static int cuda_cosine_embedding_forward(double *loss, const nl_tensor *x1, const nl_tensor *x2, const nl_tensor *y,
                                         double margin, int size_average) {
   return nl_cuda_dispatch_float(COS, x1, CosForward{loss, x1, x2, y, margin, size_average});
}

struct CosBackward {
   nl_tensor *g1, *g2; const nl_tensor *x1, *x2, *y; double margin; int size_average;
   template <typename T> int run() {
      int64_t n, c;
      rows_of(x1, &n, &c);
      if (cos_targets(COS, y)) return -1;
      cos_bwd_kernel<T><<<grid_of(n), THREADS>>>((T *)nl_ptr(g1), rc_of(g1), (T *)nl_ptr(g2), rc_of(g2),
                                                  (const T *)nl_ptr(x1), rc_of(x1), (const T *)nl_ptr(x2), rc_of(x2),
                                                  (const T *)nl_ptr(y), y->_stride[0], margin, size_average, n, c);
      NL_CUDA_CHECK(COS, cudaGetLastError());
      return 0;
   }
};
static int cuda_cosine_embedding_backward(nl_tensor *g1, nl_tensor *g2, const nl_tensor *x1, const nl_tensor *x2,
                                          const nl_tensor *y, double margin, int size_average) {
   return nl_cuda_dispatch_float(COS, x1, CosBackward{g1, g2, x1, x2, y, margin, size_average});
}

// ------------------------------------------------------- L1HingeEmbedding
// d = |x1 - x2|_1 over the elements in row-major order of each tensor's
// own shape; the gradient is sign(x1 - x2), with a random +-1 where the
// elements are equal, drawn from the device's generator (cuda/random.cu)
// as the CPU draws from its own.

// parts[b]: the block's sum of |a - b|; parts[nb + b]: its count of ties
template <typename T>
__global__ void l1_dist_kernel(double *parts, int nb, const T *a, nl_cuda_geom ga, const T *b, nl_cuda_geom gb,
                               int64_t n) {
   __shared__ double sh[THREADS];
   double acc = 0, ties = 0;
   NL_CUDA_LOOP(i, n) {
      const T u = a[nl_cuda_offset(ga, i)], v = b[nl_cuda_offset(gb, i)];
      const T d = u - v;
      acc += fabs((double)u - (double)v);
      if (!(d > 0) && !(d < 0)) ties += 1;
   }
   acc = block_sum(acc, sh);
   ties = block_sum(ties, sh);
   if (threadIdx.x == 0) parts[blockIdx.x] = acc, parts[nb + blockIdx.x] = ties;
}

// coin: n draws of 1 or 2 (or NULL when there are no ties)
template <typename T>
__global__ void l1_sign_kernel(T *g1, nl_cuda_geom h1, T *g2, nl_cuda_geom h2, const T *a, nl_cuda_geom ga, const T *b,
                               nl_cuda_geom gb, const T *coin, double f, int64_t n) {
   NL_CUDA_LOOP(i, n) {
      const T d = a[nl_cuda_offset(ga, i)] - b[nl_cuda_offset(gb, i)];
      double v = d > 0 ? 1 : (d < 0 ? -1 : (coin ? 2 * (double)coin[i] - 3 : 1));
      v = f == 0 ? 0 : v * f;
      g1[nl_cuda_offset(h1, i)] = (T)v;
      g2[nl_cuda_offset(h2, i)] = (T)(f == 0 ? 0 : -v);
   }
}

static const char *L1 = "nn.L1HingeEmbeddingCriterion";

template <typename T> static int l1_dist(const nl_tensor *x1, const nl_tensor *x2, double *dist, double *ties) {
   int64_t n = nl_numel(x1);
   int blocks = elem_blocks(n);
   Parts parts(x1->_device, 2 * (int64_t)blocks);
   if (parts.alloc()) return -1;
   l1_dist_kernel<T><<<blocks, THREADS>>>(parts.p, blocks, (const T *)nl_ptr(x1), nl_cuda_geom_of(x1),
                                          (const T *)nl_ptr(x2), nl_cuda_geom_of(x2), n);
   if (parts.sum(L1, dist, 0, blocks)) return -1;
   return ties ? parts.sum(L1, ties, blocks, blocks) : 0;
}

struct L1Forward {
   double *loss; const nl_tensor *x1, *x2; double y, margin;
   template <typename T> int run() {
      double d;
      if (l1_dist<T>(x1, x2, &d, nullptr)) return -1;
      *loss = y == -1 ? (margin - d > 0 ? margin - d : 0) : d;
      return 0;
   }
};
static int cuda_l1hinge_forward(double *loss, const nl_tensor *x1, const nl_tensor *x2, double y, double margin) {
   return nl_cuda_dispatch_float(L1, x1, L1Forward{loss, x1, x2, y, margin});
}

struct L1Backward {
   nl_tensor *g1, *g2; const nl_tensor *x1, *x2; double y, margin;
   template <typename T> int run() {
      double d, ties;
      if (l1_dist<T>(x1, x2, &d, &ties)) return -1;
      double f = y == -1 ? (d > margin ? 0 : -1) : 1;
      int64_t n = nl_numel(x1);
      nl_cuda_tmp coin(x1->_dtype, x1->_device);
      if (ties > 0 && (nl_tensor_resize(&coin.t, 1, &n) || nl_random_fill(&coin.t, NL_RNG_RANDOM1, 0, 2))) return -1;
      l1_sign_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
         (T *)nl_ptr(g1), nl_cuda_geom_of(g1), (T *)nl_ptr(g2), nl_cuda_geom_of(g2), (const T *)nl_ptr(x1),
         nl_cuda_geom_of(x1), (const T *)nl_ptr(x2), nl_cuda_geom_of(x2),
         ties > 0 ? (const T *)nl_ptr(&coin.t) : nullptr, f, n);
      NL_CUDA_CHECK(L1, cudaGetLastError());
      return 0;
   }
};
static int cuda_l1hinge_backward(nl_tensor *g1, nl_tensor *g2, const nl_tensor *x1, const nl_tensor *x2, double y,
                                 double margin) {
   return nl_cuda_dispatch_float(L1, x1, L1Backward{g1, g2, x1, x2, y, margin});
}


}  // namespace nl_cuda_criterion
using namespace nl_cuda_criterion;

// ------------------------------------------------------------ registration

extern "C" void nl_cuda_register_criterion(nl_backend *b) {
   b->ops.multimargin_forward = cuda_multimargin_forward;
   b->ops.multimargin_backward = cuda_multimargin_backward;
   b->ops.multilabelmargin_forward = cuda_multilabelmargin_forward;
   b->ops.multilabelmargin_backward = cuda_multilabelmargin_backward;
   b->ops.multilabelsoftmargin_forward = cuda_multilabelsoftmargin_forward;
   b->ops.multilabelsoftmargin_backward = cuda_multilabelsoftmargin_backward;
   b->ops.cosine_embedding_forward = cuda_cosine_embedding_forward;
   b->ops.cosine_embedding_backward = cuda_cosine_embedding_backward;
   b->ops.l1hinge_forward = cuda_l1hinge_forward;
   b->ops.l1hinge_backward = cuda_l1hinge_backward;
}

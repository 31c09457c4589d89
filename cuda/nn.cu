// nn.cu: the CUDA backend's nn family (entries of nl_ops, runtime/backend.h):
// pointwise activations, SoftMax/LogSoftMax, ClassNLLCriterion and the
// pointwise criterions, for float and double. Contracts and formulas are
// those of runtime/nn/activation.c, softmax.c and criterion.c, whose front
// functions validate and resize before dispatching here. Losses are
// reduced on the device (in double) and come back as one double.
#include "cuda_common.h"
#include <math.h>
extern "C" {
}

static const int THREADS = 256;

// Runs f.template run<T>() for the two float dtypes (the front functions
// have rejected the others).
template <typename F> static int dispatch_float(int dtype, F f) {
   if (dtype == NL_FLOAT) return f.template run<float>();
   if (dtype == NL_DOUBLE) return f.template run<double>();
   return nl_errorf("cuda nn: expected a float or double tensor, got dtype %d", dtype);
}

// Math in the element type: float calls the float functions.
__device__ inline float dexp(float x) { return expf(x); }
__device__ inline double dexp(double x) { return exp(x); }
__device__ inline float dlog(float x) { return logf(x); }
__device__ inline double dlog(double x) { return log(x); }
__device__ inline float dlog1p(float x) { return log1pf(x); }
__device__ inline double dlog1p(double x) { return log1p(x); }
__device__ inline float dtanh(float x) { return tanhf(x); }
__device__ inline double dtanh(double x) { return tanh(x); }
__device__ inline float dsqrt(float x) { return sqrtf(x); }
__device__ inline double dsqrt(double x) { return sqrt(x); }
__device__ inline float dpow(float x, float y) { return powf(x, y); }
__device__ inline double dpow(double x, double y) { return pow(x, y); }

static bool all_contig(int n, const nl_tensor *const *ts) {
   for (int i = 0; i < n; i++)
      if (!nl_tensor_is_contiguous(ts[i])) return false;
   return true;
}

// ------------------------------------------------------------ activations

// y = F(x), as FWD_ROWS in activation.c
template <typename T> __device__ inline T act_fwd(int op, T x, T p1, T p2) {
   switch (op) {
   case NL_ACT_TANH: return dtanh(x);
   case NL_ACT_SIGMOID: return (T)1 / ((T)1 + dexp(-x));
   case NL_ACT_RELU: return x > p1 ? x : p2;
   case NL_ACT_HARDTANH: return x < p1 ? p1 : (x > p2 ? p2 : x);
   case NL_ACT_LEAKYRELU: return x > 0 ? x : x * p1;
   case NL_ACT_ELU: return x > 0 ? x : (dexp(x) - 1) * p1;
   case NL_ACT_SOFTPLUS: return x * p1 > p2 ? x : dlog1p(dexp(x * p1)) / p1;
   case NL_ACT_SOFTSIGN: return x / ((T)1 + (x < 0 ? -x : x));
   case NL_ACT_SOFTSHRINK: return x > p1 ? x - p1 : (x < -p1 ? x + p1 : (T)0);
   case NL_ACT_HARDSHRINK: return (x > p1 || x < -p1) ? x : (T)0;
   case NL_ACT_TANHSHRINK: return x - dtanh(x);
   case NL_ACT_LOGSIGMOID: return x >= 0 ? -dlog1p(dexp(-x)) : x - dlog1p(dexp(x));
   case NL_ACT_RELU6: return x <= 0 ? (T)0 : (x >= 6 ? (T)6 : x);
   case NL_ACT_SQUARE: return x * x;
   case NL_ACT_SQRT: return dsqrt(x);
   case NL_ACT_ABS: return x < 0 ? -x : x;
   case NL_ACT_EXP: return dexp(x);
   case NL_ACT_LOG: return dlog(x);
   case NL_ACT_POWER: return dpow(x, p1);
   default: return x;
   }
}

// dy/dx from x = input and y = output, as BWD_ROWS in activation.c
template <typename T> __device__ inline T act_bwd(int op, T x, T y, T p1, T p2) {
   switch (op) {
   case NL_ACT_TANH: return (T)1 - y * y;
   case NL_ACT_SIGMOID: return ((T)1 - y) * y;
   case NL_ACT_RELU: return x > p1 ? (T)1 : (T)0;
   case NL_ACT_HARDTANH: return (x <= p1 || x >= p2) ? (T)0 : (T)1;   /* Torch7: 0 on the bounds */
   case NL_ACT_LEAKYRELU: return x > 0 ? (T)1 : p1;
   case NL_ACT_ELU: return x > 0 ? (T)1 : y + p1;
   case NL_ACT_SOFTPLUS: return x * p1 > p2 ? (T)1 : (dexp(y * p1) - 1) / dexp(y * p1);
   case NL_ACT_SOFTSIGN: { T a = (T)1 + (x < 0 ? -x : x); return (T)1 / (a * a); }
   case NL_ACT_SOFTSHRINK: return (x > p1 || x < -p1) ? (T)1 : (T)0;
   case NL_ACT_HARDSHRINK: return (x > p1 || x < -p1) ? (T)1 : (T)0;
   case NL_ACT_TANHSHRINK: return (x - y) * (x - y);
   case NL_ACT_LOGSIGMOID: return (T)1 / ((T)1 + dexp(x));
   case NL_ACT_RELU6: return (x > 0 && x < 6) ? (T)1 : (T)0;
   case NL_ACT_SQUARE: return 2 * x;
   case NL_ACT_SQRT: return y == 0 ? (T)0 : (T)0.5 / y;
   case NL_ACT_ABS: return x < 0 ? (T)-1 : (T)1;
   case NL_ACT_EXP: return y;
   case NL_ACT_LOG: return (T)1 / x;
   case NL_ACT_POWER: return p1 * dpow(x, p1 - 1);
   default: return (T)1;
   }
}

// y, x: any shapes of n elements (row-major order); y may be x
template <typename T>
__global__ void act_fwd_kernel(T *y, nl_cuda_geom gy, const T *x, nl_cuda_geom gx, int64_t n, int op, T p1, T p2,
                               bool contig) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      if (contig) y[i] = act_fwd<T>(op, x[i], p1, p2);
      else y[nl_cuda_offset(gy, i)] = act_fwd<T>(op, x[nl_cuda_offset(gx, i)], p1, p2);
   }
}

// gi, go, x (input), y (output): n elements each; gi may be go
template <typename T>
__global__ void act_bwd_kernel(T *gi, nl_cuda_geom ggi, const T *go, nl_cuda_geom ggo, const T *x, nl_cuda_geom gx,
                               const T *y, nl_cuda_geom gy, int64_t n, int op, T p1, T p2, bool contig) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      if (contig) gi[i] = go[i] * act_bwd<T>(op, x[i], y[i], p1, p2);
      else {
         T d = act_bwd<T>(op, x[nl_cuda_offset(gx, i)], y[nl_cuda_offset(gy, i)], p1, p2);
         gi[nl_cuda_offset(ggi, i)] = go[nl_cuda_offset(ggo, i)] * d;
      }
   }
}

struct ActForward {
   nl_tensor *output; const nl_tensor *input; int op; double p1, p2;
   template <typename T> int run() {
      int64_t n = nl_numel(input);
      const nl_tensor *ts[2] = {output, input};
      act_fwd_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(output), nl_cuda_geom_of(output),
                                                               (const T *)nl_ptr(input), nl_cuda_geom_of(input), n, op,
                                                               (T)p1, (T)p2, all_contig(2, ts));
      NL_CUDA_CHECK("nn activation forward", cudaGetLastError());
      return 0;
   }
};
static int cuda_act_forward(nl_tensor *output, const nl_tensor *input, int op, double p1, double p2) {
   return dispatch_float(input->_dtype, ActForward{output, input, op, p1, p2});
}

struct ActBackward {
   nl_tensor *gradInput; const nl_tensor *gradOutput, *input, *output; int op; double p1, p2;
   template <typename T> int run() {
      int64_t n = nl_numel(input);
      const nl_tensor *ts[4] = {gradInput, gradOutput, input, output};
      act_bwd_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
         (T *)nl_ptr(gradInput), nl_cuda_geom_of(gradInput), (const T *)nl_ptr(gradOutput), nl_cuda_geom_of(gradOutput),
         (const T *)nl_ptr(input), nl_cuda_geom_of(input), (const T *)nl_ptr(output), nl_cuda_geom_of(output), n, op,
         (T)p1, (T)p2, all_contig(4, ts));
      NL_CUDA_CHECK("nn activation backward", cudaGetLastError());
      return 0;
   }
};
static int cuda_act_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                             const nl_tensor *output, int op, double p1, double p2) {
   return dispatch_float(input->_dtype, ActBackward{gradInput, gradOutput, input, output, op, p1, p2});
}

// ---------------------------------------------------------------- softmax

// The block's sum (or max) of v; every thread of the block must call it.
template <bool MAX> __device__ inline double block_reduce(double v, double *sh) {
   sh[threadIdx.x] = v;
   __syncthreads();
   for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) sh[threadIdx.x] = MAX ? fmax(sh[threadIdx.x], sh[threadIdx.x + s]) : sh[threadIdx.x] + sh[threadIdx.x + s];
      __syncthreads();
   }
   double r = sh[0];
   __syncthreads();
   return r;
}

// (outer, dim, inner) as geometry() in softmax.c
static void softmax_geometry(const nl_tensor *t, int64_t *outer, int64_t *dim, int64_t *inner) {
   switch (t->_ndim) {
   case 1: *outer = 1, *dim = t->_size[0], *inner = 1; break;
   case 2: *outer = t->_size[0], *dim = t->_size[1], *inner = 1; break;
   case 3: *outer = 1, *dim = t->_size[0], *inner = t->_size[1] * t->_size[2]; break;
   default: *outer = t->_size[0], *dim = t->_size[1], *inner = t->_size[2] * t->_size[3]; break;
   }
}

// Threads per row: a power of two from 32 to THREADS, about dim.
static int row_threads(int64_t dim) {
   int t = 32;
   while (t < THREADS && t < dim) t *= 2;
   return t;
}

// y, x: contiguous (outer, dim, inner); one block per row of dim elements
// at stride inner. Max and sum as fwd_row in softmax.c (sum in double).
template <typename T>
__global__ void softmax_fwd_kernel(T *y, const T *x, int64_t rows, int64_t dim, int64_t inner, int is_log) {
   __shared__ double sh[THREADS];
   for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
      int64_t base = (row / inner) * dim * inner + row % inner;
      const T *xr = x + base;
      T *yr = y + base;
      double m = -INFINITY;
      for (int64_t d = threadIdx.x; d < dim; d += blockDim.x) m = fmax(m, (double)xr[d * inner]);
      const T mx = (T)block_reduce<true>(m, sh);
      double sum = 0;
      for (int64_t d = threadIdx.x; d < dim; d += blockDim.x) {
         T e = dexp(xr[d * inner] - mx);
         if (!is_log) yr[d * inner] = e;
         sum += e;
      }
      sum = block_reduce<false>(sum, sh);
      if (is_log) {
         double lse = (double)mx + log(sum);
         for (int64_t d = threadIdx.x; d < dim; d += blockDim.x) yr[d * inner] = (T)(xr[d * inner] - lse);
      } else {
         T inv = (T)(1 / sum);
         for (int64_t d = threadIdx.x; d < dim; d += blockDim.x) yr[d * inner] *= inv;
      }
   }
}

// gi, go, y: contiguous (outer, dim, inner), as bwd_row in softmax.c
template <typename T>
__global__ void softmax_bwd_kernel(T *gi, const T *go, const T *y, int64_t rows, int64_t dim, int64_t inner, int is_log) {
   __shared__ double sh[THREADS];
   for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
      int64_t base = (row / inner) * dim * inner + row % inner;
      const T *g = go + base, *yr = y + base;
      T *r = gi + base;
      double acc = 0;
      for (int64_t d = threadIdx.x; d < dim; d += blockDim.x) acc += is_log ? g[d * inner] : g[d * inner] * yr[d * inner];
      const T a = (T)block_reduce<false>(acc, sh);
      for (int64_t d = threadIdx.x; d < dim; d += blockDim.x) {
         int64_t k = d * inner;
         r[k] = is_log ? g[k] - dexp(yr[k]) * a : yr[k] * (g[k] - a);
      }
   }
}

static int softmax_blocks(int64_t rows) { return (int)(rows < 65535 * 8 ? rows : 65535 * 8); }

struct SoftmaxForward {
   nl_tensor *output; const nl_tensor *input; int log;
   template <typename T> int run() {
      int64_t outer, dim, inner;
      softmax_geometry(input, &outer, &dim, &inner);
      int64_t rows = outer * inner;
      if (rows == 0 || dim == 0) return 0;
      softmax_fwd_kernel<T><<<softmax_blocks(rows), row_threads(dim)>>>((T *)nl_ptr(output), (const T *)nl_ptr(input),
                                                                       rows, dim, inner, log);
      NL_CUDA_CHECK("nn softmax forward", cudaGetLastError());
      return 0;
   }
};
static int cuda_softmax_forward(nl_tensor *output, const nl_tensor *input, int log) {
   return dispatch_float(input->_dtype, SoftmaxForward{output, input, log});
}

struct SoftmaxBackward {
   nl_tensor *gradInput; const nl_tensor *gradOutput, *output; int log;
   template <typename T> int run() {
      int64_t outer, dim, inner;
      softmax_geometry(output, &outer, &dim, &inner);
      int64_t rows = outer * inner;
      if (rows == 0 || dim == 0) return 0;
      softmax_bwd_kernel<T><<<softmax_blocks(rows), row_threads(dim)>>>(
         (T *)nl_ptr(gradInput), (const T *)nl_ptr(gradOutput), (const T *)nl_ptr(output), rows, dim, inner, log);
      NL_CUDA_CHECK("nn softmax backward", cudaGetLastError());
      return 0;
   }
};
static int cuda_softmax_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *output, int log) {
   return dispatch_float(output->_dtype, SoftmaxBackward{gradInput, gradOutput, output, log});
}

// ------------------------------------------------------- ClassNLLCriterion

// Where the kernels leave their results: the loss and the total weight,
// and the smallest row index with an out-of-range target (NO_BAD if none).
struct NllResult {
   double sum, total_weight;
   unsigned long long bad;
};
static const unsigned long long NO_BAD = ~0ull;
__device__ NllResult nll_result;

// Strides of ClassNLL's operands, in elements: input row (0 for 1D) and
// class, target, weights (class).
struct NllGeom {
   int64_t xr, xc, t, w;
};

static NllGeom nll_geom(const nl_tensor *x, const nl_tensor *target, const nl_tensor *weights) {
   NllGeom g;
   g.xr = x->_ndim == 2 ? x->_stride[0] : 0;
   g.xc = x->_stride[x->_ndim - 1];
   g.t = target->_ndim ? target->_stride[target->_ndim - 1] : 0;
   g.w = weights ? weights->_stride[weights->_ndim - 1] : 0;
   return g;
}

// x: (n, c) or (c); t: n targets 1..c; w: c weights or NULL. One block:
// the sum of -w[t] x[i][t] and of w[t] over the counted rows, in double.
template <typename T>
__global__ void nll_fwd_kernel(const T *x, const int64_t *t, const T *w, NllGeom g, int64_t n, int64_t c,
                               int64_t ignore_index) {
   __shared__ double sh[THREADS];
   double sum = 0, tw = 0;
   for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
      int64_t k = t[i * g.t];
      if (k == ignore_index) continue;
      if (k < 1 || k > c) {
         atomicMin(&nll_result.bad, (unsigned long long)i);
         continue;
      }
      double wk = w ? (double)w[(k - 1) * g.w] : 1;
      sum -= wk * (double)x[i * g.xr + (k - 1) * g.xc];
      tw += wk;
   }
   sum = block_reduce<false>(sum, sh);
   tw = block_reduce<false>(tw, sh);
   if (threadIdx.x == 0) {
      nll_result.sum = sum;
      nll_result.total_weight = tw;
   }
}

// gi: zeroed, the input's shape; one thread per row writes -w[t] * norm
template <typename T>
__global__ void nll_bwd_kernel(T *gi, int64_t gr, int64_t gc, const int64_t *t, const T *w, NllGeom g, int64_t n,
                               int64_t c, int64_t ignore_index, double norm) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      int64_t k = t[i * g.t];
      if (k == ignore_index) continue;
      if (k < 1 || k > c) {
         atomicMin(&nll_result.bad, (unsigned long long)i);
         continue;
      }
      double wk = w ? (double)w[(k - 1) * g.w] : 1;
      gi[i * gr + (k - 1) * gc] = (T)(-wk * norm);
   }
}

static int nll_reset(const char *fn) {
   NllResult r = {0, 0, NO_BAD};
   NL_CUDA_CHECK(fn, cudaMemcpyToSymbol(nll_result, &r, sizeof r));
   return 0;
}

// Reads the kernels' result back; an out-of-range target is an error
// worded as on the CPU.
static int nll_fetch(const char *fn, NllResult *r, const nl_tensor *target, int64_t c) {
   NL_CUDA_CHECK(fn, cudaGetLastError());
   NL_CUDA_CHECK(fn, cudaMemcpyFromSymbol(r, nll_result, sizeof *r));
   if (r->bad == NO_BAD) return 0;
   int64_t k = 0;
   int64_t ts = target->_ndim ? target->_stride[target->_ndim - 1] : 0;
   const int64_t *tp = (const int64_t *)nl_ptr(target) + (int64_t)r->bad * ts;
   NL_CUDA_CHECK(fn, cudaMemcpy(&k, tp, sizeof k, cudaMemcpyDeviceToHost));
   return nl_errorf("nn.ClassNLLCriterion: target %lld is out of range for %lld classes (targets are 1..%lld)",
                    (long long)k, (long long)c, (long long)c);
}

struct NllForward {
   double *loss, *total_weight; const nl_tensor *input, *target, *weights; int size_average; int64_t ignore_index;
   template <typename T> int run() {
      const char *fn = "nn.ClassNLLCriterion";
      int64_t n = input->_ndim == 2 ? input->_size[0] : 1, c = input->_size[input->_ndim - 1];
      if (nll_reset(fn)) return -1;
      nll_fwd_kernel<T><<<1, THREADS>>>((const T *)nl_ptr(input), (const int64_t *)nl_ptr(target),
                                        weights ? (const T *)nl_ptr(weights) : nullptr, nll_geom(input, target, weights),
                                        n, c, ignore_index);
      NllResult r;
      if (nll_fetch(fn, &r, target, c)) return -1;
      double sum = r.sum;
      if (size_average && r.total_weight != 0) sum /= r.total_weight;
      *loss = sum;
      *total_weight = r.total_weight;
      return 0;
   }
};
static int cuda_classnll_forward(double *loss, double *total_weight, const nl_tensor *input, const nl_tensor *target,
                                 const nl_tensor *weights, int size_average, int64_t ignore_index) {
   return dispatch_float(input->_dtype, NllForward{loss, total_weight, input, target, weights, size_average, ignore_index});
}

struct NllBackward {
   nl_tensor *gradInput; const nl_tensor *input, *target, *weights; int size_average; int64_t ignore_index;
   double total_weight;
   template <typename T> int run() {
      const char *fn = "nn.ClassNLLCriterion";
      int64_t n = input->_ndim == 2 ? input->_size[0] : 1, c = input->_size[input->_ndim - 1];
      double norm = size_average ? 1 / total_weight : 1;
      if (nll_reset(fn)) return -1;
      int64_t gr = gradInput->_ndim == 2 ? gradInput->_stride[0] : 0, gc = gradInput->_stride[gradInput->_ndim - 1];
      nll_bwd_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
         (T *)nl_ptr(gradInput), gr, gc, (const int64_t *)nl_ptr(target), weights ? (const T *)nl_ptr(weights) : nullptr,
         nll_geom(input, target, weights), n, c, ignore_index, norm);
      NllResult r;
      return nll_fetch(fn, &r, target, c);
   }
};
static int cuda_classnll_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                  const nl_tensor *weights, int size_average, int64_t ignore_index, double total_weight) {
   return dispatch_float(input->_dtype,
                         NllBackward{gradInput, input, target, weights, size_average, ignore_index, total_weight});
}

// ---------------------------------------------------- pointwise criterions

// The loss of one element in double, as CRIT_ROWS in criterion.c; w is
// BCE's weight (1 when absent).
__device__ inline double crit_loss(int op, double a, double b, double w) {
   double d = a - b;
   switch (op) {
   case NL_CRIT_MSE: return d * d;
   case NL_CRIT_ABS: return fabs(d);
   case NL_CRIT_SMOOTHL1: return fabs(d) < 1 ? 0.5 * d * d : fabs(d) - 0.5;
   case NL_CRIT_BCE: {
      const double eps = 1e-12;
      return -(b * log(a + eps) + (1 - b) * log(1 - a + eps)) * w;
   }
   case NL_CRIT_DISTKLDIV: return b > 0 ? b * (log(b) - a) : 0;
   default: return log(1 + exp(-a * b));
   }
}

__device__ inline double crit_grad(int op, double a, double b, double w) {
   double d = a - b;
   switch (op) {
   case NL_CRIT_MSE: return 2 * d;
   case NL_CRIT_ABS: return d >= 0 ? 1 : -1;   /* Torch7: +1 where input == target */
   case NL_CRIT_SMOOTHL1: return d < -1 ? -1 : (d > 1 ? 1 : d);
   case NL_CRIT_BCE: {
      const double eps = 1e-12;
      return -(b - a) / ((1 - a + eps) * (a + eps)) * w;
   }
   case NL_CRIT_DISTKLDIV: return b > 0 ? -b : 0;
   default: { double e = exp(-a * b); return -b * e / (1 + e); }
   }
}

// Block partials of the loss, then their sum in crit_part[0].
static const int CRIT_BLOCKS = 256;
__device__ double crit_part[CRIT_BLOCKS];

// x, y, w (or NULL): n elements each, row-major order in their geometries
template <typename T>
__global__ void crit_loss_kernel(const T *x, nl_cuda_geom gx, const T *y, nl_cuda_geom gy, const T *w, nl_cuda_geom gw,
                                 int64_t n, int op, bool contig) {
   __shared__ double sh[THREADS];
   double acc = 0;
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      if (contig) acc += crit_loss(op, (double)x[i], (double)y[i], w ? (double)w[i] : 1.0);
      else
         acc += crit_loss(op, (double)x[nl_cuda_offset(gx, i)], (double)y[nl_cuda_offset(gy, i)],
                          w ? (double)w[nl_cuda_offset(gw, i)] : 1.0);
   }
   acc = block_reduce<false>(acc, sh);
   if (threadIdx.x == 0) crit_part[blockIdx.x] = acc;
}

// One block of THREADS >= nparts threads: crit_part[0] = sum of the parts
__global__ void crit_sum_kernel(int nparts) {
   __shared__ double sh[THREADS];
   double v = threadIdx.x < nparts ? crit_part[threadIdx.x] : 0;
   v = block_reduce<false>(v, sh);
   if (threadIdx.x == 0) crit_part[0] = v;
}

// g: gradient of n elements; norm 1/n or 1
template <typename T>
__global__ void crit_grad_kernel(T *g, nl_cuda_geom gg, const T *x, nl_cuda_geom gx, const T *y, nl_cuda_geom gy,
                                 const T *w, nl_cuda_geom gw, int64_t n, int op, double norm, bool contig) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      if (contig) g[i] = (T)(crit_grad(op, (double)x[i], (double)y[i], w ? (double)w[i] : 1.0) * norm);
      else
         g[nl_cuda_offset(gg, i)] = (T)(crit_grad(op, (double)x[nl_cuda_offset(gx, i)], (double)y[nl_cuda_offset(gy, i)],
                                                  w ? (double)w[nl_cuda_offset(gw, i)] : 1.0) *
                                        norm);
   }
}

struct CritForward {
   double *loss; const nl_tensor *input, *target, *weights; int op, size_average;
   template <typename T> int run() {
      const char *fn = "nn criterion forward";
      int64_t n = nl_numel(input);
      const nl_tensor *w = weights ? weights : input;
      const nl_tensor *ts[3] = {input, target, w};
      int blocks = (int)((n + THREADS - 1) / THREADS);
      if (blocks > CRIT_BLOCKS) blocks = CRIT_BLOCKS;
      if (blocks < 1) blocks = 1;
      crit_loss_kernel<T><<<blocks, THREADS>>>((const T *)nl_ptr(input), nl_cuda_geom_of(input), (const T *)nl_ptr(target),
                                               nl_cuda_geom_of(target), weights ? (const T *)nl_ptr(weights) : nullptr,
                                               nl_cuda_geom_of(w), n, op, all_contig(3, ts));
      NL_CUDA_CHECK(fn, cudaGetLastError());
      crit_sum_kernel<<<1, THREADS>>>(blocks);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      double sum = 0;
      NL_CUDA_CHECK(fn, cudaMemcpyFromSymbol(&sum, crit_part, sizeof sum));
      if (size_average && n > 0) sum /= n;
      *loss = sum;
      return 0;
   }
};
static int cuda_crit_forward(double *loss, const nl_tensor *input, const nl_tensor *target, const nl_tensor *weights,
                             int op, int size_average) {
   return dispatch_float(input->_dtype, CritForward{loss, input, target, weights, op, size_average});
}

struct CritBackward {
   nl_tensor *gradInput; const nl_tensor *input, *target, *weights; int op, size_average;
   template <typename T> int run() {
      int64_t n = nl_numel(input);
      const nl_tensor *w = weights ? weights : input;
      const nl_tensor *ts[4] = {gradInput, input, target, w};
      double norm = size_average && n > 0 ? 1.0 / n : 1.0;
      crit_grad_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
         (T *)nl_ptr(gradInput), nl_cuda_geom_of(gradInput), (const T *)nl_ptr(input), nl_cuda_geom_of(input),
         (const T *)nl_ptr(target), nl_cuda_geom_of(target), weights ? (const T *)nl_ptr(weights) : nullptr,
         nl_cuda_geom_of(w), n, op, norm, all_contig(4, ts));
      NL_CUDA_CHECK("nn criterion backward", cudaGetLastError());
      return 0;
   }
};
static int cuda_crit_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                              const nl_tensor *weights, int op, int size_average) {
   return dispatch_float(input->_dtype, CritBackward{gradInput, input, target, weights, op, size_average});
}

// ------------------------------------------------------------ registration

extern "C" void nl_cuda_register_nn(nl_backend *b) {
   b->ops.act_forward = cuda_act_forward;
   b->ops.act_backward = cuda_act_backward;
   b->ops.softmax_forward = cuda_softmax_forward;
   b->ops.softmax_backward = cuda_softmax_backward;
   b->ops.classnll_forward = cuda_classnll_forward;
   b->ops.classnll_backward = cuda_classnll_backward;
   b->ops.pointwise_criterion_forward = cuda_crit_forward;
   b->ops.pointwise_criterion_backward = cuda_crit_backward;
}

// layers.cu: the CUDA backend's remaining nn layers (runtime/nn/layers.c
// and conv_local.c's entry points): PReLU, RReLU, (Weighted)Euclidean,
// Normalize, LookupTable and SpatialConvolutionLocal, float and double.
// The front functions have checked sizes and dtypes and resized the
// results. Each output element is computed by one thread in the CPU
// kernel's order of summation (double sums of T-rounded terms where the
// CPU rounds them), so results match the CPU's to rounding and do not
// depend on the launch; nothing here uses atomics. LookupTable's indices
// are copied to the host (they are small) to be checked with the CPU's
// words and grouped by row, so that a row's gradient adds its occurrences
// in index order, duplicates included. RReLU's training noise comes from
// the device's generator (cuda/random.cu) through nl_random_fill.
#include "cuda_common.h"
#include <algorithm>
#include <math.h>
#include <vector>

// one namespace per file: kernels and functors of other files may share names
namespace nl_cuda_layers {

static const int THREADS = 256;

// a 2D view (a vector as one row): element (i, j) at p[i s0 + j s1]
struct Mat {
   int64_t s0, s1;
};
static Mat mat_of(const nl_tensor *t) {
   Mat m = {0, 0};
   if (!t) return m;
   if (t->_ndim == 1) m.s1 = t->_stride[0];
   else if (t->_ndim == 2) m.s0 = t->_stride[0], m.s1 = t->_stride[1];
   return m;
}
#define AT(p, m, i, j) (p)[(i) * (m).s0 + (j) * (m).s1]

template <typename T> static T *ptr(const nl_tensor *t) { return t ? (T *)nl_ptr(t) : nullptr; }
static int blocks(int64_t n) { return nl_cuda_blocks(n, THREADS); }

// ------------------------------------------------------------------ PReLU
// A contiguous (bs, planes, ks) layout; planes 1 and ks all for the shared
// weight (as prelu_geom in layers.c).

static void prelu_geom(const nl_tensor *input, int64_t nplanes, int64_t *bs, int64_t *planes, int64_t *ks) {
   if (nplanes == 0) {
      *bs = 1, *planes = 1, *ks = nl_numel(input);
      return;
   }
   *planes = nplanes;
   *bs = input->_ndim > 1 ? input->_size[0] : 1;
   *ks = 1;
   for (int i = 2; i < input->_ndim; i++) *ks *= input->_size[i];
}

// bwd 0: y = x > 0 ? x : w x; bwd 1: gi = x > 0 ? go : w go
template <typename T>
__global__ void prelu_kernel(T *y, const T *x, const T *go, const T *w, int64_t planes, int64_t ks, int64_t n) {
   NL_CUDA_LOOP(e, n) {
      const T wj = w[(e / ks) % planes], v = go ? go[e] : x[e];
      y[e] = x[e] > 0 ? v : wj * v;
   }
}

// part[(i planes + j) nc + q]: chunk q of sample i, plane j: sum of x go
// over x <= 0
template <typename T>
__global__ void prelu_part_kernel(double *part, const T *x, const T *go, int64_t planes, int64_t ks, int64_t nc,
                                  int64_t chunk, int64_t nparts) {
   NL_CUDA_LOOP(e, nparts) {
      const int64_t q = e % nc, o = (e / nc) * ks;
      const int64_t lo = q * chunk, hi = lo + chunk < ks ? lo + chunk : ks;
      double s = 0;
      for (int64_t k = lo; k < hi; k++)
         if (x[o + k] <= 0) s += (double)x[o + k] * (double)go[o + k];
      part[e] = s;
   }
}

// gw[j] += scale * (sample i's sum), samples in order, as THNN does
template <typename T>
__global__ void prelu_acc_kernel(T *gw, int64_t gws, const double *part, double scale, int64_t bs, int64_t planes,
                                 int64_t nc) {
   NL_CUDA_LOOP(j, planes) {
      for (int64_t i = 0; i < bs; i++) {
         double s = 0;
         for (int64_t q = 0; q < nc; q++) s += part[(i * planes + j) * nc + q];
         gw[j * gws] = (T)(gw[j * gws] + (T)(scale * s));
      }
   }
}

static const char *PRELU = "nn.PReLU";

struct PReLU {
   nl_tensor *out; const nl_tensor *input, *gradOutput, *weight; int64_t nplanes;
   template <typename T> int run() {
      int64_t bs, planes, ks, n = nl_numel(input);
      prelu_geom(input, nplanes, &bs, &planes, &ks);
      prelu_kernel<T><<<blocks(n), THREADS>>>(ptr<T>(out), ptr<T>(input), ptr<T>(gradOutput), ptr<T>(weight), planes,
                                              ks, n);
      NL_CUDA_CHECK(PRELU, cudaGetLastError());
      return 0;
   }
};
static int cuda_prelu_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, int64_t nOutputPlane) {
   return nl_cuda_dispatch_float(PRELU, input, PReLU{output, input, nullptr, weight, nOutputPlane});
}
static int cuda_prelu_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                               const nl_tensor *weight, int64_t nOutputPlane) {
   return nl_cuda_dispatch_float(PRELU, input, PReLU{gradInput, input, gradOutput, weight, nOutputPlane});
}

struct PReLUAcc {
   nl_tensor *gradWeight; const nl_tensor *input, *gradOutput; int64_t nplanes; double scale;
   template <typename T> int run() {
      int64_t bs, planes, ks;
      prelu_geom(input, nplanes, &bs, &planes, &ks);
      const int64_t chunk = 4096, nc = (ks + chunk - 1) / chunk, nparts = bs * planes * nc;
      nl_cuda_tmp part(NL_DOUBLE, input->_device);
      if (nl_tensor_resize(&part.t, 1, &nparts)) return -1;
      prelu_part_kernel<T><<<blocks(nparts), THREADS>>>(ptr<double>(&part.t), ptr<T>(input), ptr<T>(gradOutput),
                                                        planes, ks, nc, chunk, nparts);
      NL_CUDA_CHECK(PRELU, cudaGetLastError());
      int64_t gws = gradWeight->_ndim ? gradWeight->_stride[0] : 1;
      prelu_acc_kernel<T><<<blocks(planes), THREADS>>>(ptr<T>(gradWeight), gws, ptr<double>(&part.t), scale, bs,
                                                       planes, nc);
      NL_CUDA_CHECK(PRELU, cudaGetLastError());
      return 0;
   }
};
static int cuda_prelu_acc_grad(nl_tensor *gradWeight, const nl_tensor *input, const nl_tensor *gradOutput,
                               int64_t nOutputPlane, double scale) {
   return nl_cuda_dispatch_float(PRELU, input, PReLUAcc{gradWeight, input, gradOutput, nOutputPlane, scale});
}

// ------------------------------------------------------------------ RReLU
// Training: noise = uniform(lower, upper) (the device's generator) where
// x <= 0, 1 elsewhere; y = x noise. Evaluation: slope (lower + upper) / 2.
// Elements in row-major order of each tensor's own geometry.

template <typename T>
__global__ void rrelu_fwd_kernel(T *y, nl_cuda_geom gy, const T *x, nl_cuda_geom gx, T *noise, nl_cuda_geom gn, T slope,
                                 int64_t n) {
   NL_CUDA_LOOP(i, n) {
      const T v = x[nl_cuda_offset(gx, i)];
      if (noise) {
         T &r = noise[nl_cuda_offset(gn, i)];
         if (v <= 0) y[nl_cuda_offset(gy, i)] = v * r;
         else y[nl_cuda_offset(gy, i)] = v, r = 1;
      } else {
         y[nl_cuda_offset(gy, i)] = v <= 0 ? v * slope : v;
      }
   }
}

template <typename T>
__global__ void rrelu_bwd_kernel(T *gi, nl_cuda_geom ggi, const T *go, nl_cuda_geom ggo, const T *x, nl_cuda_geom gx,
                                 const T *noise, nl_cuda_geom gn, T slope, int64_t n) {
   NL_CUDA_LOOP(i, n) {
      const T g = go[nl_cuda_offset(ggo, i)];
      gi[nl_cuda_offset(ggi, i)] = noise ? g * noise[nl_cuda_offset(gn, i)] : (x[nl_cuda_offset(gx, i)] <= 0 ? g * slope : g);
   }
}

static const char *RRELU = "nn.RReLU";

struct RReLUForward {
   nl_tensor *output, *noise, *input; double lower, upper; int train, inplace;
   template <typename T> int run() {
      int64_t n = nl_numel(input);
      nl_tensor *out = inplace ? input : output;
      const T lo = (T)lower, up = (T)upper, slope = (T)((T)(lo + up) / 2);
      // every element drawn; the kernel keeps the draws of x <= 0
      if (train && nl_random_fill(noise, NL_RNG_UNIFORM, (double)lo, (double)up)) return -1;
      nl_cuda_geom gn = train ? nl_cuda_geom_of(noise) : nl_cuda_geom_of(input);
      rrelu_fwd_kernel<T><<<blocks(n), THREADS>>>(ptr<T>(out), nl_cuda_geom_of(out), ptr<T>(input),
                                                  nl_cuda_geom_of(input), train ? ptr<T>(noise) : nullptr, gn, slope, n);
      NL_CUDA_CHECK(RRELU, cudaGetLastError());
      return 0;
   }
};
static int cuda_rrelu_forward(nl_tensor *output, nl_tensor *noise, nl_tensor *input, double lower, double upper,
                              int train, int inplace) {
   return nl_cuda_dispatch_float(RRELU, input, RReLUForward{output, noise, input, lower, upper, train, inplace});
}

struct RReLUBackward {
   nl_tensor *gradInput, *gradOutput; const nl_tensor *input, *noise; double lower, upper; int train, inplace;
   template <typename T> int run() {
      int64_t n = nl_numel(input);
      const int noisy = train && upper - lower > 1e-6;
      const T lo = (T)lower, up = (T)upper, slope = (T)((T)(lo + up) / 2);
      nl_tensor *gi = inplace ? gradOutput : gradInput;
      nl_cuda_geom gn = noisy ? nl_cuda_geom_of(noise) : nl_cuda_geom_of(input);
      rrelu_bwd_kernel<T><<<blocks(n), THREADS>>>(ptr<T>(gi), nl_cuda_geom_of(gi), ptr<T>(gradOutput),
                                                  nl_cuda_geom_of(gradOutput), ptr<T>(input), nl_cuda_geom_of(input),
                                                  noisy ? ptr<T>(noise) : nullptr, gn, slope, n);
      NL_CUDA_CHECK(RRELU, cudaGetLastError());
      return 0;
   }
};
static int cuda_rrelu_backward(nl_tensor *gradInput, nl_tensor *gradOutput, const nl_tensor *input,
                               const nl_tensor *noise, double lower, double upper, int train, int inplace) {
   return nl_cuda_dispatch_float(RRELU, input,
                                 RReLUBackward{gradInput, gradOutput, input, noise, lower, upper, train, inplace});
}

// ------------------------------------------------------ (Weighted)Euclidean
// x (N, I), w and c (I, J) (c NULL: ones), y (N, J):
// y[n][j] = || c[:,j] .* (x[n,:] - w[:,j]) ||

template <typename T>
__global__ void euc_fwd_kernel(T *y, Mat my, const T *x, Mat mx, const T *w, Mat mw, const T *c, Mat mc, int64_t N,
                               int64_t I, int64_t J) {
   NL_CUDA_LOOP(e, N * J) {
      const int64_t n = e / J, j = e % J;
      double sum = 0;
      for (int64_t i = 0; i < I; i++) {
         T d = (T)(AT(x, mx, n, i) - AT(w, mw, i, j));
         if (c) d = (T)(d * AT(c, mc, i, j));
         sum += (double)d * (double)d;
      }
      AT(y, my, n, j) = (T)sqrt(sum);
   }
}

// the term of sample n, input i, template j: c (x - w) go / (y + 1e-7) c
template <typename T>
__device__ static inline T euc_term(const T *x, Mat mx, const T *w, Mat mw, const T *c, Mat mc, const T *go, Mat mgo,
                                    const T *y, Mat my, int64_t n, int64_t i, int64_t j) {
   const T div = (T)(AT(go, mgo, n, j) / (T)(AT(y, my, n, j) + (T)1e-7));
   const T d = (T)(AT(x, mx, n, i) - AT(w, mw, i, j));
   if (!c) return (T)(d * div);
   const T cij = AT(c, mc, i, j);
   return (T)((T)((T)(d * cij) * div) * cij);
}

template <typename T>
__global__ void euc_bwd_kernel(T *gi, Mat mgi, const T *go, Mat mgo, const T *x, Mat mx, const T *w, Mat mw,
                               const T *c, Mat mc, const T *y, Mat my, int64_t N, int64_t I, int64_t J) {
   NL_CUDA_LOOP(e, N * I) {
      const int64_t n = e / I, i = e % I;
      double sum = 0;
      for (int64_t j = 0; j < J; j++) sum += euc_term(x, mx, w, mw, c, mc, go, mgo, y, my, n, i, j);
      AT(gi, mgi, n, i) = (T)sum;
   }
}

template <typename T>
__global__ void euc_acc_kernel(T *gw, Mat mgw, T *gc, Mat mgc, const T *go, Mat mgo, const T *x, Mat mx, const T *w,
                               Mat mw, const T *c, Mat mc, const T *y, Mat my, double scale, int64_t N, int64_t I,
                               int64_t J) {
   NL_CUDA_LOOP(e, I * J) {
      const int64_t i = e / J, j = e % J;
      double sw = 0, sc = 0;
      for (int64_t n = 0; n < N; n++) {
         sw += euc_term(x, mx, w, mw, c, mc, go, mgo, y, my, n, i, j);
         if (c) {
            const T div = (T)(AT(go, mgo, n, j) / (T)(AT(y, my, n, j) + (T)1e-7));
            const T d = (T)(AT(x, mx, n, i) - AT(w, mw, i, j));
            sc += (double)(T)((T)((T)(d * d) * AT(c, mc, i, j)) * div);
         }
      }
      AT(gw, mgw, i, j) = (T)(AT(gw, mgw, i, j) - (T)(scale * (T)sw));
      if (c) AT(gc, mgc, i, j) = (T)(AT(gc, mgc, i, j) + (T)(scale * (T)sc));
   }
}

static const char *euc_name(const nl_tensor *diagCov) { return diagCov ? "nn.WeightedEuclidean" : "nn.Euclidean"; }

// N, I, J as euc_geom in layers.c
static void euc_sizes(const nl_tensor *input, const nl_tensor *weight, int64_t *N, int64_t *I, int64_t *J) {
   *I = weight->_size[0], *J = weight->_size[1];
   *N = input->_ndim == 2 ? input->_size[0] : 1;
}

struct EucForward {
   nl_tensor *output; const nl_tensor *input, *weight, *diagCov;
   template <typename T> int run() {
      int64_t N, I, J;
      euc_sizes(input, weight, &N, &I, &J);
      Mat my = mat_of(output);
      if (input->_ndim == 1) my.s0 = 0;
      euc_fwd_kernel<T><<<blocks(N * J), THREADS>>>(ptr<T>(output), my, ptr<T>(input), mat_of(input), ptr<T>(weight),
                                                    mat_of(weight), ptr<T>(diagCov), mat_of(diagCov), N, I, J);
      NL_CUDA_CHECK(euc_name(diagCov), cudaGetLastError());
      return 0;
   }
};
static int cuda_euclidean_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight,
                                  const nl_tensor *diagCov) {
   return nl_cuda_dispatch_float(euc_name(diagCov), input, EucForward{output, input, weight, diagCov});
}

struct EucBackward {
   nl_tensor *gradInput; const nl_tensor *gradOutput, *input, *weight, *diagCov, *output;
   template <typename T> int run() {
      int64_t N, I, J;
      euc_sizes(input, weight, &N, &I, &J);
      euc_bwd_kernel<T><<<blocks(N * I), THREADS>>>(
         ptr<T>(gradInput), mat_of(gradInput), ptr<T>(gradOutput), mat_of(gradOutput), ptr<T>(input), mat_of(input),
         ptr<T>(weight), mat_of(weight), ptr<T>(diagCov), mat_of(diagCov), ptr<T>(output), mat_of(output), N, I, J);
      NL_CUDA_CHECK(euc_name(diagCov), cudaGetLastError());
      return 0;
   }
};
static int cuda_euclidean_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                                   const nl_tensor *weight, const nl_tensor *diagCov, const nl_tensor *output) {
   return nl_cuda_dispatch_float(euc_name(diagCov), input,
                                 EucBackward{gradInput, gradOutput, input, weight, diagCov, output});
}

struct EucAcc {
   nl_tensor *gradWeight, *gradDiagCov; const nl_tensor *input, *gradOutput, *weight, *diagCov, *output; double scale;
   template <typename T> int run() {
      int64_t N, I, J;
      euc_sizes(input, weight, &N, &I, &J);
      nl_tensor *gc = diagCov ? gradDiagCov : nullptr;
      euc_acc_kernel<T><<<blocks(I * J), THREADS>>>(
         ptr<T>(gradWeight), mat_of(gradWeight), ptr<T>(gc), mat_of(gc), ptr<T>(gradOutput), mat_of(gradOutput),
         ptr<T>(input), mat_of(input), ptr<T>(weight), mat_of(weight), ptr<T>(diagCov), mat_of(diagCov),
         ptr<T>(output), mat_of(output), scale, N, I, J);
      NL_CUDA_CHECK(euc_name(diagCov), cudaGetLastError());
      return 0;
   }
};
static int cuda_euclidean_acc_grad(nl_tensor *gradWeight, nl_tensor *gradDiagCov, const nl_tensor *input,
                                   const nl_tensor *gradOutput, const nl_tensor *weight, const nl_tensor *diagCov,
                                   const nl_tensor *output, double scale) {
   return nl_cuda_dispatch_float(
      euc_name(diagCov), input, EucAcc{gradWeight, gradDiagCov, input, gradOutput, weight, diagCov, output, scale});
}

// -------------------------------------------------------------- Normalize
// One thread per row (N rows of D), the CPU's loop and rounding.

template <typename T> __device__ static inline T tabs(T v) { return v < 0 ? -v : v; }

// the first index of the largest |x[n, :]| (the last NaN if any)
template <typename T> __device__ static int64_t absmax(const T *x, Mat mx, int64_t n, int64_t D) {
   int64_t k = 0;
   T m = tabs(AT(x, mx, n, 0));
   for (int64_t j = 1; j < D; j++) {
      const T a = tabs(AT(x, mx, n, j));
      if (a > m || isnan(a)) m = a, k = j;
   }
   return k;
}

template <typename T>
__global__ void normalize_fwd_kernel(T *y, Mat my, T *norm, T *normp, const T *x, Mat mx, double p, double eps,
                                     int64_t N, int64_t D) {
   NL_CUDA_LOOP(n, N) {
      T nr;
      if (isinf(p)) {
         nr = (T)(tabs(AT(x, mx, n, absmax(x, mx, n, D))) + (T)eps);
         normp[n] = nr;
      } else {
         double sum = 0;
         for (int64_t j = 0; j < D; j++) {
            const T v = AT(x, mx, n, j);
            sum += (T)(p == 2 ? v * v : pow((double)tabs(v), p));
         }
         const T np = (T)((T)sum + (T)eps);
         normp[n] = np;
         nr = (T)pow((double)np, 1 / p);
      }
      norm[n] = nr;
      for (int64_t j = 0; j < D; j++) AT(y, my, n, j) = AT(x, mx, n, j) / nr;
   }
}

template <typename T>
__global__ void normalize_bwd_kernel(T *gi, Mat mgi, const T *go, Mat mgo, const T *x, Mat mx, const T *norm,
                                     const T *normp, double p, double eps, int64_t N, int64_t D) {
   const bool odd = fmod(p, 2.0) != 0;
   NL_CUDA_LOOP(n, N) {
      double cs = 0;
      for (int64_t j = 0; j < D; j++) cs += (double)(T)(AT(x, mx, n, j) * AT(go, mgo, n, j));
      const T cross = (T)cs, nr = norm[n], np = normp[n];
      const T den = (T)(np * nr);
      const int64_t k = isinf(p) ? absmax(x, mx, n, D) : -1;
      for (int64_t j = 0; j < D; j++) {
         const T v = AT(x, mx, n, j);
         T b;
         if (isinf(p)) b = j == k ? (T)(v / nr) : (T)0;
         else if (p == 2) b = v;
         else if (odd && p < 2) b = (T)((T)pow((double)(T)(tabs(v) + (T)eps), p - 2) * v);
         else if (odd) b = (T)((T)pow((double)tabs(v), p - 2) * v);
         else b = (T)((T)pow((double)v, p - 2) * v);
         AT(gi, mgi, n, j) = (T)((T)(np * AT(go, mgo, n, j)) - (T)(b * cross)) / den;
      }
   }
}

static const char *NORMALIZE = "nn.Normalize";

static void normalize_sizes(const nl_tensor *input, int64_t *N, int64_t *D) {
   *N = input->_ndim == 2 ? input->_size[0] : 1;
   *D = input->_size[input->_ndim - 1];
}

struct NormalizeForward {
   nl_tensor *output, *norm, *normp; const nl_tensor *input; double p, eps;
   template <typename T> int run() {
      int64_t N, D;
      normalize_sizes(input, &N, &D);
      // norm and normp: fresh vectors of N (resized by the front function)
      if (!nl_tensor_is_contiguous(norm) || !nl_tensor_is_contiguous(normp))
         return nl_errorf("%s: the norm buffers must be contiguous", NORMALIZE);
      normalize_fwd_kernel<T><<<blocks(N), THREADS>>>(ptr<T>(output), mat_of(output), ptr<T>(norm), ptr<T>(normp),
                                                      ptr<T>(input), mat_of(input), p, eps, N, D);
      NL_CUDA_CHECK(NORMALIZE, cudaGetLastError());
      return 0;
   }
};
static int cuda_normalize_forward(nl_tensor *output, nl_tensor *norm, nl_tensor *normp, const nl_tensor *input,
                                  double p, double eps) {
   return nl_cuda_dispatch_float(NORMALIZE, input, NormalizeForward{output, norm, normp, input, p, eps});
}

struct NormalizeBackward {
   nl_tensor *gradInput; const nl_tensor *gradOutput, *input, *norm, *normp; double p, eps;
   template <typename T> int run() {
      int64_t N, D;
      normalize_sizes(input, &N, &D);
      normalize_bwd_kernel<T><<<blocks(N), THREADS>>>(ptr<T>(gradInput), mat_of(gradInput), ptr<T>(gradOutput),
                                                      mat_of(gradOutput), ptr<T>(input), mat_of(input), ptr<T>(norm),
                                                      ptr<T>(normp), p, eps, N, D);
      NL_CUDA_CHECK(NORMALIZE, cudaGetLastError());
      return 0;
   }
};
static int cuda_normalize_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                                   const nl_tensor *norm, const nl_tensor *normp, double p, double eps) {
   return nl_cuda_dispatch_float(NORMALIZE, input, NormalizeBackward{gradInput, gradOutput, input, norm, normp, p, eps});
}

// ------------------------------------------------------------ LookupTable

static const char *LOOKUP = "nn.LookupTable";

// The indices on the host, each checked in 1..V as layers.c checks them.
static int host_indices(nl_cuda_tmp &h, const nl_tensor *input, int64_t V) {
   if (nl_cuda_to_host(h, input)) return -1;
   const int64_t *idx = (const int64_t *)nl_ptr(&h.t);
   for (int64_t r = 0, R = nl_numel(&h.t); r < R; r++)
      if (idx[r] < 1 || idx[r] > V)
         return nl_errorf("%s: index %lld is out of range (the table has %lld rows, indices are 1..%lld)", LOOKUP,
                          (long long)idx[r], (long long)V, (long long)V);
   return 0;
}

// y (R, D) in y's own geometry: y[r, j] = w[idx[r] - 1, j]
template <typename T>
__global__ void lookup_fwd_kernel(T *y, nl_cuda_geom gy, const T *w, Mat mw, const int64_t *idx, int64_t R, int64_t D) {
   NL_CUDA_LOOP(e, R * D) {
      const int64_t r = e / D, j = e % D;
      y[nl_cuda_offset(gy, e)] = AT(w, mw, idx[r] - 1, j);
   }
}

struct LookupForward {
   nl_tensor *output; const nl_tensor *weight, *input;
   template <typename T> int run() {
      nl_cuda_tmp h(NL_LONG, NL_CPU);
      if (host_indices(h, input, weight->_size[0])) return -1;
      int64_t R = nl_numel(input), D = weight->_size[1];
      lookup_fwd_kernel<T><<<blocks(R * D), THREADS>>>(ptr<T>(output), nl_cuda_geom_of(output), ptr<T>(weight),
                                                       mat_of(weight), ptr<int64_t>(input), R, D);
      NL_CUDA_CHECK(LOOKUP, cudaGetLastError());
      return 0;
   }
};
static int cuda_lookup_table_forward(nl_tensor *output, const nl_tensor *weight, const nl_tensor *input) {
   return nl_cuda_dispatch_float(LOOKUP, weight, LookupForward{output, weight, input});
}

// The occurrences of each distinct row, grouped: plan = [order (R) |
// start (U + 1) | key (U)], order the positions r sorted by index (stable),
// group u the positions order[start[u] .. start[u+1]) of row key[u].
static int64_t lookup_plan(std::vector<int64_t> &plan, const int64_t *idx, int64_t R) {
   std::vector<int64_t> order(R);
   for (int64_t r = 0; r < R; r++) order[r] = r;
   std::stable_sort(order.begin(), order.end(), [idx](int64_t a, int64_t b) { return idx[a] < idx[b]; });
   std::vector<int64_t> start, key;
   for (int64_t q = 0; q < R; q++)
      if (q == 0 || idx[order[q]] != idx[order[q - 1]]) start.push_back(q), key.push_back(idx[order[q]] - 1);
   start.push_back(R);
   plan = order;
   plan.insert(plan.end(), start.begin(), start.end());
   plan.insert(plan.end(), key.begin(), key.end());
   return (int64_t)key.size();
}

// gw[k, j] += s * go[r, j] over the occurrences r of row k, in index
// order, rounded to T at each step as the CPU adds them; count[k]: the
// occurrences (scale_by_freq, s = scale / count)
template <typename T>
__global__ void lookup_acc_kernel(T *gw, Mat mgw, const T *go, const int64_t *plan, int64_t R, int64_t U, int64_t D,
                                  int64_t pad, double scale, int64_t *count) {
   const int64_t *order = plan, *start = plan + R, *key = plan + R + U + 1;
   NL_CUDA_LOOP(e, U * D) {
      const int64_t u = e / D, j = e % D, k = key[u], m = start[u + 1] - start[u];
      if (count && j == 0) count[k] = m;
      if (k + 1 == pad) continue;
      const T s = (T)(count ? scale / (double)m : scale);
      T v = AT(gw, mgw, k, j);
      for (int64_t q = start[u]; q < start[u + 1]; q++) v = (T)(v + (T)(s * go[order[q] * D + j]));
      AT(gw, mgw, k, j) = v;
   }
}

struct LookupAcc {
   nl_tensor *gradWeight, *count; const nl_tensor *input, *gradOutput; int scale_by_freq; int64_t pad; double scale;
   template <typename T> int run() {
      int64_t V = gradWeight->_size[0], D = gradWeight->_size[1], R = nl_numel(input);
      nl_cuda_tmp h(NL_LONG, NL_CPU), hplan(NL_LONG, NL_CPU), dplan(NL_LONG, gradWeight->_device),
         g2(gradOutput->_dtype, gradOutput->_device);
      if (host_indices(h, input, V)) return -1;
      std::vector<int64_t> plan;
      int64_t U = lookup_plan(plan, (const int64_t *)nl_ptr(&h.t), R), len = (int64_t)plan.size();
      if (nl_tensor_resize(&hplan.t, 1, &len) || nl_tensor_resize(&dplan.t, 1, &len)) return -1;
      std::copy(plan.begin(), plan.end(), (int64_t *)nl_ptr(&hplan.t));
      int rc;
      const nl_tensor *go = nl_cuda_contig(g2, gradOutput, &rc);
      if (rc || nl_copy(&dplan.t, &hplan.t)) return -1;
      lookup_acc_kernel<T><<<blocks(U * D), THREADS>>>(ptr<T>(gradWeight), mat_of(gradWeight), ptr<T>(go),
                                                       ptr<int64_t>(&dplan.t), R, U, D, pad, scale,
                                                       scale_by_freq ? ptr<int64_t>(count) : nullptr);
      NL_CUDA_CHECK(LOOKUP, cudaGetLastError());
      return 0;
   }
};
static int cuda_lookup_table_acc_grad(nl_tensor *gradWeight, nl_tensor *count, const nl_tensor *input,
                                      const nl_tensor *gradOutput, int scale_by_freq, int64_t padding_value,
                                      double scale) {
   return nl_cuda_dispatch_float(
      LOOKUP, gradWeight, LookupAcc{gradWeight, count, input, gradOutput, scale_by_freq, padding_value, scale});
}

// rescales each listed row k of w to max_norm when its norm exceeds it
template <typename T>
__global__ void lookup_renorm_kernel(T *w, Mat mw, const int64_t *rows, int64_t n, int64_t D, double max_norm,
                                     double norm_type) {
   NL_CUDA_LOOP(i, n) {
      const int64_t k = rows[i] - 1;
      T norm = 0;
      for (int64_t j = 0; j < D; j++) {
         const T v = AT(w, mw, k, j), a = tabs(v);
         if (norm_type == 1) norm += a;
         else if (norm_type == 2) norm += v * v;
         else norm += (T)pow((double)a, norm_type);
      }
      norm = (T)pow((double)norm, 1.0 / norm_type);
      if (norm > (T)max_norm) {
         const T f = (T)((T)max_norm / (T)(norm + (T)1e-7));
         for (int64_t j = 0; j < D; j++) AT(w, mw, k, j) = (T)(AT(w, mw, k, j) * f);
      }
   }
}

// rows: the indices sorted, the distinct ones first (as layers.c leaves it)
struct LookupRenorm {
   nl_tensor *weight, *rows; const nl_tensor *input; double max_norm, norm_type;
   template <typename T> int run() {
      int64_t R = nl_numel(input), D = weight->_size[1], n = 0;
      nl_cuda_tmp h(NL_LONG, NL_CPU);
      if (host_indices(h, input, weight->_size[0])) return -1;
      int64_t *r = (int64_t *)nl_ptr(&h.t);
      std::sort(r, r + R);
      for (int64_t i = 0; i < R; i++)
         if (i == 0 || r[i] != r[i - 1]) r[n++] = r[i];
      if (nl_copy(rows, &h.t)) return -1;
      lookup_renorm_kernel<T><<<blocks(n), THREADS>>>(ptr<T>(weight), mat_of(weight), ptr<int64_t>(rows), n, D,
                                                      max_norm, norm_type);
      NL_CUDA_CHECK(LOOKUP, cudaGetLastError());
      return 0;
   }
};
static int cuda_lookup_table_renorm(nl_tensor *weight, nl_tensor *rows, const nl_tensor *input, double max_norm,
                                    double norm_type) {
   return nl_cuda_dispatch_float(LOOKUP, weight, LookupRenorm{weight, rows, input, max_norm, norm_type});
}


}  // namespace nl_cuda_layers
using namespace nl_cuda_layers;

// SpatialConvolutionLocal, the last entry points of this family, has its
// kernels in conv_local.cu; registered from here
extern "C" void nl_cuda_register_conv_local(nl_backend *b);

// ------------------------------------------------------------ registration

extern "C" void nl_cuda_register_layers(nl_backend *b) {
   b->ops.prelu_forward = cuda_prelu_forward;
   b->ops.prelu_backward = cuda_prelu_backward;
   b->ops.prelu_acc_grad = cuda_prelu_acc_grad;
   b->ops.rrelu_forward = cuda_rrelu_forward;
   b->ops.rrelu_backward = cuda_rrelu_backward;
   b->ops.euclidean_forward = cuda_euclidean_forward;
   b->ops.euclidean_backward = cuda_euclidean_backward;
   b->ops.euclidean_acc_grad = cuda_euclidean_acc_grad;
   b->ops.normalize_forward = cuda_normalize_forward;
   b->ops.normalize_backward = cuda_normalize_backward;
   b->ops.lookup_table_forward = cuda_lookup_table_forward;
   b->ops.lookup_table_acc_grad = cuda_lookup_table_acc_grad;
   b->ops.lookup_table_renorm = cuda_lookup_table_renorm;
   nl_cuda_register_conv_local(b);
}

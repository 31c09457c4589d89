// pool.cu: the CUDA backend's poolings (entries of nl_ops, runtime/backend.h)
// for float and double: spatial max/average/adaptive pooling and max
// unpooling (runtime/nn/pooling.c), dilated and fractional max pooling
// (pool_window.c), volumetric max/average pooling (conv_volumetric.c) and
// temporal max pooling (conv_temporal.c). The front functions there have
// checked the headers and resized the (contiguous) results; inputs are made
// contiguous here. Windows, output sizes, indices (flat offsets in the
// plane), tie and NaN rules are the CPU kernels'. One thread per output
// cell; backward passes gather (each input element sums the outputs whose
// window holds it, in the CPU's order), but the max-pool ones scatter
// through their indices with atomicAdd. An index out of range is the CPU's
// error, naming the first bad one in flat order.
#include "cuda_common.h"
#include <math.h>

// file-local: internal linkage, so that no name here meets another file's
namespace {
static const int THREADS = 256;

template <typename T> __device__ inline bool pool_isnan(T v) { return v != v; }

// x itself when contiguous, else a contiguous copy on its device (rc != 0:
// the copy failed, message set)
struct Contig {
   nl_cuda_tmp tmp; const nl_tensor *t; int rc;
   explicit Contig(const nl_tensor *x) : tmp(x->_dtype, x->_device) { t = nl_cuda_contig(tmp, x, &rc); }
};

// Torch7's output size (out_size, pooling.c and conv_volumetric.c)
static int64_t out_size(int64_t in, int k, int d, int pad, int ceil_mode) {
   int64_t o = ceil_mode ? (int64_t)ceil((double)(in - k + 2 * pad) / d) + 1 : (in - k + 2 * pad) / d + 1;
   if (pad && (o - 1) * d >= in + pad) o--;
   return o;
}

// ------------------------------------------------- index checks
// The smallest flat position of an index out of range (NO_BAD if none).
static const unsigned long long NO_BAD = ~0ull;
__device__ unsigned long long pool_bad;
__device__ inline void mark_bad(int64_t pos) { atomicMin(&pool_bad, (unsigned long long)pos); }

static int bad_reset(const char *fn) {
   unsigned long long v = NO_BAD;
   NL_CUDA_CHECK(fn, cudaMemcpyToSymbol(pool_bad, &v, sizeof v));
   return 0;
}

// After the kernels: 1 with *value the first bad index, 0 when none, -1
// (message set) when a kernel failed.
static int bad_fetch(const char *fn, const int64_t *ind, int64_t *value) {
   unsigned long long pos = NO_BAD;
   NL_CUDA_CHECK(fn, cudaGetLastError());
   NL_CUDA_CHECK(fn, cudaMemcpyFromSymbol(&pos, pool_bad, sizeof pos));
   if (pos == NO_BAD) return 0;
   NL_CUDA_CHECK(fn, cudaMemcpy(value, ind + pos, sizeof *value, cudaMemcpyDeviceToHost));
   return 1;
}

// ---------------------------------------------------- spatial max

// out, ind: (planes, oH, oW); in: (planes, H, W). Window clipped to the
// image; the first element of the clipped window when every value is
// -inf; a later NaN replaces an earlier one (maxpool_planes_, pooling_impl.h).
template <typename T>
__global__ void maxpool2_fwd(T *out, int64_t *ind, const T *in, int64_t n, int64_t H, int64_t W, int64_t oH, int64_t oW,
                             int kW, int kH, int dW, int dH, int padW, int padH) {
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % oW, y = (o / oW) % oH, p = o / (oW * oH);
      int64_t hs = y * dH - padH, ws = x * dW - padW;
      int64_t he = hs + kH < H ? hs + kH : H, we = ws + kW < W ? ws + kW : W;
      if (hs < 0) hs = 0;
      if (ws < 0) ws = 0;
      const T *ip = in + p * H * W;
      T best = (T)-INFINITY;
      int64_t bi = hs * W + ws;
      for (int64_t i = hs; i < he; i++)
         for (int64_t j = ws; j < we; j++) {
            T v = ip[i * W + j];
            if (v > best || pool_isnan(v)) {
               best = v;
               bi = i * W + j;
            }
         }
      out[o] = best;
      ind[o] = bi;
   }
}

// gin (planes, iV) zeroed; gout, ind: (planes, oV) contiguous
template <typename T>
__global__ void max_scatter(T *gin, const T *gout, const int64_t *ind, int64_t n, int64_t iV, int64_t oV) {
   NL_CUDA_LOOP(o, n) {
      int64_t k = ind[o];
      if (k < 0 || k >= iV) {
         mark_bad(o);
         continue;
      }
      atomicAdd(gin + (o / oV) * iV + k, gout[o]);
   }
}

struct MaxPool2Fwd {
   nl_tensor *output, *indices; const nl_tensor *input; int kW, kH, dW, dH, padW, padH;
   template <typename T> int run() {
      const char *fn = "nn.SpatialMaxPooling";
      Contig in(input);
      if (in.rc) return -1;
      int nd = output->_ndim;
      int64_t H = input->_size[nd - 2], W = input->_size[nd - 1], oH = output->_size[nd - 2], oW = output->_size[nd - 1];
      int64_t n = nl_numel(output);
      if (n == 0) return 0;
      maxpool2_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(output), (int64_t *)nl_ptr(indices),
                                                              (const T *)nl_ptr(in.t), n, H, W, oH, oW, kW, kH, dW, dH,
                                                              padW, padH);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};
static int cuda_spatial_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int kH,
                                         int dW, int dH, int padW, int padH, int /*ceil_mode*/) {
   return nl_cuda_dispatch_float("nn.SpatialMaxPooling", input,
                                 MaxPool2Fwd{output, indices, input, kW, kH, dW, dH, padW, padH});
}

// The max-pool backward of every spatial max pooling (also adaptive,
// dilated, fractional) and, with volume = 1, the volumetric ones:
// gradInput (zeroed) += gradOutput at the indices. iV: elements of an
// input plane; oV: of an output plane.
struct MaxScatter {
   nl_tensor *gradInput; const nl_tensor *gradOutput, *indices; int64_t iV, oV; const char *fn; int volume;
   template <typename T> int run() {
      Contig go(gradOutput), ix(indices);
      if (go.rc || ix.rc || nl_zero(gradInput) || bad_reset(fn)) return -1;
      int64_t n = nl_numel(indices);
      if (n > 0 && oV > 0)
         max_scatter<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(gradInput), (const T *)nl_ptr(go.t),
                                                                (const int64_t *)nl_ptr(ix.t), n, iV, oV);
      int64_t v = 0;
      int bad = bad_fetch(fn, (const int64_t *)nl_ptr(ix.t), &v);
      if (bad <= 0) return bad;
      if (volume) return nl_errorf("%s: corrupted indices (%lld outside the volume)", fn, (long long)v);
      return nl_errorf("%s: corrupted indices", fn);
   }
};
static int cuda_spatial_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                          const nl_tensor *indices) {
   int64_t iV = input->_size[input->_ndim - 2] * input->_size[input->_ndim - 1];
   int64_t oV = indices->_size[indices->_ndim - 2] * indices->_size[indices->_ndim - 1];
   return nl_cuda_dispatch_float("nn.SpatialMaxPooling", input,
                                 MaxScatter{gradInput, gradOutput, indices, iV, oV, "nn.SpatialMaxPooling", 0});
}

// ------------------------------------------------ spatial average

struct Pool2 { int64_t H, W, oH, oW; int kW, kH, dW, dH, padW, padH, include_pad; };

// The window [hs, he) x [ws, we) of output cell (y, x) and its divisor
// (avg_window, pooling.c).
__device__ inline int64_t avg_window(const Pool2 &g, int64_t y, int64_t x, int64_t *hs_, int64_t *he_, int64_t *ws_,
                                     int64_t *we_) {
   int64_t hs = y * g.dH - g.padH, ws = x * g.dW - g.padW;
   int64_t he = hs + g.kH < g.H + g.padH ? hs + g.kH : g.H + g.padH;
   int64_t we = ws + g.kW < g.W + g.padW ? ws + g.kW : g.W + g.padW;
   int64_t pool = (he - hs) * (we - ws);
   if (hs < 0) hs = 0;
   if (ws < 0) ws = 0;
   if (he > g.H) he = g.H;
   if (we > g.W) we = g.W;
   int64_t div = g.include_pad ? pool : (he - hs) * (we - ws);
   *hs_ = hs, *he_ = he, *ws_ = ws, *we_ = we;
   return div <= 0 ? 1 : div;
}

template <typename T> __global__ void avgpool2_fwd(T *out, const T *in, int64_t n, Pool2 g) {
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % g.oW, y = (o / g.oW) % g.oH, p = o / (g.oW * g.oH), hs, he, ws, we;
      int64_t div = avg_window(g, y, x, &hs, &he, &ws, &we);
      const T *ip = in + p * g.H * g.W;
      double s = 0;
      for (int64_t i = hs; i < he; i++)
         for (int64_t j = ws; j < we; j++) s += ip[i * g.W + j];
      out[o] = (T)(s / div);
   }
}

// the output positions [*lo, *hi] whose windows (start o*d - pad, k
// long) hold input position i, within [0, on)
__device__ inline void covering(int64_t i, int k, int d, int pad, int64_t on, int64_t *lo, int64_t *hi) {
   int64_t a = i + pad - k + 1;
   *lo = a <= 0 ? 0 : (a + d - 1) / d;
   int64_t b = (i + pad) / d;
   *hi = b < on - 1 ? b : on - 1;
}

// gin: (planes, H, W), every element set: the sum of gout / divisor over
// the windows holding it, in output order (avgpool_bwd_'s sums)
template <typename T> __global__ void avgpool2_bwd(T *gin, const T *gout, int64_t n, Pool2 g) {
   NL_CUDA_LOOP(e, n) {
      int64_t j = e % g.W, i = (e / g.W) % g.H, p = e / (g.W * g.H), ylo, yhi, xlo, xhi, hs, he, ws, we;
      covering(i, g.kH, g.dH, g.padH, g.oH, &ylo, &yhi);
      covering(j, g.kW, g.dW, g.padW, g.oW, &xlo, &xhi);
      T acc = 0;
      for (int64_t y = ylo; y <= yhi; y++)
         for (int64_t x = xlo; x <= xhi; x++) {
            int64_t div = avg_window(g, y, x, &hs, &he, &ws, &we);
            acc += gout[(p * g.oH + y) * g.oW + x] / (T)div;
         }
      gin[e] = acc;
   }
}

static Pool2 pool2(const nl_tensor *input, int64_t oH, int64_t oW, int kW, int kH, int dW, int dH, int padW, int padH,
                   int include_pad) {
   int nd = input->_ndim;
   return Pool2{input->_size[nd - 2], input->_size[nd - 1], oH, oW, kW, kH, dW, dH, padW, padH, include_pad};
}

struct AvgPool2 {
   nl_tensor *result; const nl_tensor *src; Pool2 g; int backward;
   template <typename T> int run() {
      const char *fn = "nn.SpatialAveragePooling";
      Contig c(src);
      if (c.rc) return -1;
      const nl_tensor *s = c.t;
      int64_t n = nl_numel(result);
      if (n == 0) return 0;
      if (backward)
         avgpool2_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, g);
      else avgpool2_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, g);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};
static int cuda_spatial_avg_pool_forward(nl_tensor *output, const nl_tensor *input, int kW, int kH, int dW, int dH,
                                         int padW, int padH, int /*ceil_mode*/, int count_include_pad) {
   int nd = output->_ndim;
   Pool2 g = pool2(input, output->_size[nd - 2], output->_size[nd - 1], kW, kH, dW, dH, padW, padH, count_include_pad);
   return nl_cuda_dispatch_float("nn.SpatialAveragePooling", input, AvgPool2{output, input, g, 0});
}
static int cuda_spatial_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                          int kW, int kH, int dW, int dH, int padW, int padH, int ceil_mode,
                                          int count_include_pad) {
   // the output size as the front function computed it (out_size, pooling.c)
   int nd = input->_ndim;
   int64_t H = input->_size[nd - 2], W = input->_size[nd - 1];
   Pool2 g = pool2(input, out_size(H, kH, dH, padH, ceil_mode), out_size(W, kW, dW, padW, ceil_mode), kW, kH, dW, dH,
                   padW, padH, count_include_pad);
   return nl_cuda_dispatch_float("nn.SpatialAveragePooling", input, AvgPool2{gradInput, gradOutput, g, 1});
}

// ------------------------------------------------------- adaptive

// cell y of oH over H input rows: [floor(y H/oH), ceil((y+1) H/oH))
__device__ inline void cell(int64_t y, int64_t H, int64_t oH, int64_t *s, int64_t *e) {
   *s = y * H / oH;
   *e = ((y + 1) * H + oH - 1) / oH;
}

// out (and ind, when max) (planes, oH, oW)
template <typename T>
__global__ void adaptive_fwd(T *out, int64_t *ind, const T *in, int64_t n, int64_t H, int64_t W, int64_t oH, int64_t oW) {
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % oW, y = (o / oW) % oH, p = o / (oW * oH), hs, he, ws, we;
      cell(y, H, oH, &hs, &he);
      cell(x, W, oW, &ws, &we);
      const T *ip = in + p * H * W;
      if (ind) {
         T best = (T)-INFINITY;
         int64_t bi = hs * W + ws;
         for (int64_t i = hs; i < he; i++)
            for (int64_t j = ws; j < we; j++) {
               T v = ip[i * W + j];
               if (v > best || pool_isnan(v)) {
                  best = v;
                  bi = i * W + j;
               }
            }
         out[o] = best;
         ind[o] = bi;
      } else {
         double s = 0;
         for (int64_t i = hs; i < he; i++)
            for (int64_t j = ws; j < we; j++) s += ip[i * W + j];
         out[o] = (T)(s / ((he - hs) * (we - ws)));
      }
   }
}

// gin (planes, H, W): the sum over the cells holding each element of
// gout / cell size, in output order
template <typename T>
__global__ void adaptive_avg_bwd(T *gin, const T *gout, int64_t n, int64_t H, int64_t W, int64_t oH, int64_t oW) {
   NL_CUDA_LOOP(e, n) {
      int64_t j = e % W, i = (e / W) % H, p = e / (W * H), hs, he, ws, we;
      T acc = 0;
      for (int64_t y = 0; y < oH; y++) {
         cell(y, H, oH, &hs, &he);
         if (hs > i) break;
         if (i >= he) continue;
         for (int64_t x = 0; x < oW; x++) {
            cell(x, W, oW, &ws, &we);
            if (ws > j) break;
            if (j >= we) continue;
            acc += gout[(p * oH + y) * oW + x] / (T)((he - hs) * (we - ws));
         }
      }
      gin[e] = acc;
   }
}

struct Adaptive {
   nl_tensor *result, *indices; const nl_tensor *src; int64_t H, W, oH, oW; int backward;
   template <typename T> int run() {
      const char *fn = indices ? "nn.SpatialAdaptiveMaxPooling" : "nn.SpatialAdaptiveAveragePooling";
      Contig c(src);
      if (c.rc) return -1;
      const nl_tensor *s = c.t;
      int64_t n = nl_numel(result);
      if (n == 0) return 0;
      if (backward)
         adaptive_avg_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, H,
                                                                     W, oH, oW);
      else
         adaptive_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
            (T *)nl_ptr(result), indices ? (int64_t *)nl_ptr(indices) : nullptr, (const T *)nl_ptr(s), n, H, W, oH, oW);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};
static int cuda_spatial_adaptive_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int oW,
                                              int oH) {
   int nd = input->_ndim;
   return nl_cuda_dispatch_float("nn.SpatialAdaptivePooling", input,
                                 Adaptive{output, indices, input, input->_size[nd - 2], input->_size[nd - 1], oH, oW, 0});
}
static int cuda_spatial_adaptive_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                   const nl_tensor *gradOutput, int oW, int oH) {
   int nd = input->_ndim;
   return nl_cuda_dispatch_float(
      "nn.SpatialAdaptiveAveragePooling", input,
      Adaptive{gradInput, nullptr, gradOutput, input->_size[nd - 2], input->_size[nd - 1], oH, oW, 1});
}

// ------------------------------------------------------ max unpooling

// forward: out (planes, oHW) zeroed, out[p, ind] = in (planes, HW); two
// inputs sent to one cell come from overlapping pooling windows and hold
// the same value. backward: gin (planes, HW) = gout (planes, oHW)[ind].
template <typename T>
__global__ void unpool_kernel(T *dst, const T *src, const int64_t *ind, int64_t n, int64_t HW, int64_t oHW, int backward) {
   NL_CUDA_LOOP(e, n) {
      int64_t k = ind[e], p = e / HW;
      if (k < 0 || k >= oHW) {
         mark_bad(e);
         continue;
      }
      if (backward) dst[e] = src[p * oHW + k];
      else dst[p * oHW + k] = src[e];
   }
}

struct Unpool {
   nl_tensor *result; const nl_tensor *input, *src, *indices; int oW, oH, backward;
   template <typename T> int run() {
      const char *fn = "nn.SpatialMaxUnpooling";
      Contig c(src), ci(indices);
      if (c.rc || ci.rc || (!backward && nl_zero(result)) || bad_reset(fn)) return -1;
      const nl_tensor *s = c.t, *ix = ci.t;
      int nd = input->_ndim;
      int64_t HW = input->_size[nd - 2] * input->_size[nd - 1], n = nl_numel(input);
      if (n > 0)
         unpool_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s),
                                                                  (const int64_t *)nl_ptr(ix), n, HW,
                                                                  (int64_t)oH * oW, backward);
      int64_t v = 0;
      int bad = bad_fetch(fn, (const int64_t *)nl_ptr(ix), &v);
      return bad <= 0 ? bad : nl_errorf("%s: index %lld is outside the %dx%d output", fn, (long long)v, oH, oW);
   }
};
static int cuda_spatial_max_unpool(nl_tensor *result, const nl_tensor *input, const nl_tensor *src,
                                   const nl_tensor *indices, int oW, int oH, int backward) {
   return nl_cuda_dispatch_float("nn.SpatialMaxUnpooling", input,
                                 Unpool{result, input, src, indices, oW, oH, backward});
}

// ------------------------------------ windows from starts (pool_window.c)

// grids in T-H-W order (T = 1 for a spatial grid); starts of grid
// dimension d: starts[p * sstride + off(d) + o] when starts is given (one
// set per plane, fractional), else o * st[d] - pad[d] (dilated)
struct WPool {
   int64_t in[3], out[3], st[3], pad[3], sstride;
   int k[3], dil[3];
};

// the taps [*i0, *i1) of a window starting at s (k taps, dil apart) that
// lie in [0, n) (taps, pool_window.c)
__device__ inline void taps(int64_t s, int k, int dil, int64_t n, int *i0, int *i1) {
   int64_t a = s >= 0 ? 0 : (-s + dil - 1) / dil;
   int64_t b = n - s <= 0 ? 0 : (n - s + dil - 1) / dil;
   if (b > k) b = k;
   if (a > b) a = b;
   *i0 = (int)a;
   *i1 = (int)b;
}

// out, ind: (planes, out[0], out[1], out[2]); the first maximum and the
// first NaN win (wmax_, pool_window_impl.h)
template <typename T> __global__ void wmax_kernel(T *out, int64_t *ind, const T *in, const int64_t *starts, int64_t n, WPool g) {
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % g.out[2], y = (o / g.out[2]) % g.out[1], z = (o / (g.out[2] * g.out[1])) % g.out[0];
      int64_t p = o / (g.out[2] * g.out[1] * g.out[0]);
      int64_t s[3], pos[3] = {z, y, x};
      const int64_t *sp = starts ? starts + p * g.sstride : nullptr;
      int64_t off = 0;
      for (int d = 0; d < 3; d++) {
         s[d] = sp ? sp[off + pos[d]] : pos[d] * g.st[d] - g.pad[d];
         off += g.out[d];
      }
      int a0, a1, b0, b1, e0, e1;
      taps(s[0], g.k[0], g.dil[0], g.in[0], &a0, &a1), taps(s[1], g.k[1], g.dil[1], g.in[1], &b0, &b1);
      taps(s[2], g.k[2], g.dil[2], g.in[2], &e0, &e1);
      const T *ip = in + p * g.in[0] * g.in[1] * g.in[2];
      T best = (T)-INFINITY;
      int64_t bi = ((s[0] + (int64_t)a0 * g.dil[0]) * g.in[1] + s[1] + (int64_t)b0 * g.dil[1]) * g.in[2] + s[2] +
                   (int64_t)e0 * g.dil[2];
      for (int i = a0; i < a1; i++)
         for (int j = b0; j < b1; j++) {
            int64_t row = ((s[0] + (int64_t)i * g.dil[0]) * g.in[1] + s[1] + (int64_t)j * g.dil[1]) * g.in[2];
            for (int l = e0; l < e1; l++) {
               int64_t at = row + s[2] + (int64_t)l * g.dil[2];
               T v = ip[at];
               if (v > best || (pool_isnan(v) && !pool_isnan(best))) {
                  best = v;
                  bi = at;
               }
            }
         }
      out[o] = best;
      ind[o] = bi;
   }
}

// Torch7's pseudo-random window starts (fractional_starts_,
// pool_window_impl.h) in the dtype's precision, one thread per (plane,
// grid dimension); u: (planes, nd) contiguous, sidx[d]: the sample of d
struct FracGeom { int64_t in[3], out[3]; int pool[3], sidx[3], nd; };
template <typename T> __global__ void frac_starts(int64_t *starts, const T *u, int64_t planes, FracGeom g) {
   int64_t per = g.out[0] + g.out[1] + g.out[2];
   NL_CUDA_LOOP(e, planes * 3) {
      int64_t p = e / 3;
      int d = (int)(e % 3);
      int64_t *s = starts + p * per + (d > 0 ? g.out[0] : 0) + (d > 1 ? g.out[1] : 0);
      if (d < 3 - g.nd) {
         s[0] = 0;
         continue;
      }
      T sample = u[p * g.nd + g.sidx[d]];
      T alpha = g.out[d] > 1 ? (T)(g.in[d] - g.pool[d]) / (T)(g.out[d] - 1) : (T)0;
      int64_t last = g.in[d] - g.pool[d];
      for (int64_t i = 0; i < g.out[d] - 1; i++) {
         int64_t v = (int64_t)(((T)i + sample) * alpha) - (int64_t)(sample * alpha);
         s[i] = v < 0 ? 0 : v > last ? last : v;
      }
      s[g.out[d] - 1] = last;
   }
}

// The window max over the last nd dimensions of input; samples (or NULL
// for dilated windows) give per-plane starts.
struct WindowMax {
   nl_tensor *output, *indices; const nl_tensor *input, *samples; WPool g; FracGeom f; const char *fn;
   template <typename T> int run() {
      nl_cuda_tmp st(NL_LONG, input->_device);
      Contig in(input);
      if (in.rc) return -1;
      int64_t planes = nl_numel(input) / (g.in[0] * g.in[1] * g.in[2]);
      const int64_t *starts = nullptr;
      if (samples) {
         Contig u(samples);
         int64_t per = g.out[0] + g.out[1] + g.out[2], total = per * planes;
         if (u.rc || nl_tensor_resize(&st.t, 1, &total)) return -1;
         frac_starts<T><<<nl_cuda_blocks(planes * 3, THREADS), THREADS>>>((int64_t *)nl_ptr(&st.t),
                                                                          (const T *)nl_ptr(u.t), planes, f);
         NL_CUDA_CHECK(fn, cudaGetLastError());
         starts = (const int64_t *)nl_ptr(&st.t);
         g.sstride = per;
      }
      int64_t n = nl_numel(output);
      if (n == 0) return 0;
      wmax_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(output), (int64_t *)nl_ptr(indices),
                                                             (const T *)nl_ptr(in.t), starts, n, g);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};

// the grid of the last nd dimensions of t, T-H-W order
static void grid_of(const nl_tensor *t, int nd, int64_t *g) {
   g[0] = 1;
   for (int i = 0; i < nd; i++) g[3 - nd + i] = t->_size[t->_ndim - nd + i];
}

static int dilated(const char *fn, nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int nd, const int *k,
                   const int *d, const int *pad, const int *dil) {
   WPool g = {};
   FracGeom f = {};
   grid_of(input, nd, g.in);
   grid_of(output, nd, g.out);
   for (int i = 0; i < 3; i++) {
      g.k[i] = k[i], g.dil[i] = dil[i], g.st[i] = d[i], g.pad[i] = pad[i];
   }
   return nl_cuda_dispatch_float(fn, input, WindowMax{output, indices, input, nullptr, g, f, fn});
}

static int cuda_spatial_dilated_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW,
                                                 int kH, int dW, int dH, int padW, int padH, int dilW, int dilH,
                                                 int /*ceil_mode*/) {
   int k[3] = {1, kH, kW}, d[3] = {1, dH, dW}, pad[3] = {0, padH, padW}, dil[3] = {1, dilH, dilW};
   return dilated("nn.SpatialDilatedMaxPooling", output, indices, input, 2, k, d, pad, dil);
}

static int cuda_volumetric_dilated_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                                    int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW,
                                                    int padH, int dilT, int dilW, int dilH, int /*ceil_mode*/) {
   int k[3] = {kT, kH, kW}, d[3] = {dT, dH, dW}, pad[3] = {padT, padH, padW}, dil[3] = {dilT, dilH, dilW};
   return dilated("nn.VolumetricDilatedMaxPooling", output, indices, input, 3, k, d, pad, dil);
}

static int fractional(const char *fn, nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                      const nl_tensor *samples, int nd, const int *pool, const int *sidx) {
   WPool g = {};
   FracGeom f = {};
   grid_of(input, nd, g.in);
   grid_of(output, nd, g.out);
   for (int i = 0; i < 3; i++) {
      g.k[i] = pool[i], g.dil[i] = 1;
      f.in[i] = g.in[i], f.out[i] = g.out[i], f.pool[i] = pool[i], f.sidx[i] = sidx[i];
   }
   f.nd = nd;
   return nl_cuda_dispatch_float(fn, input, WindowMax{output, indices, input, samples, g, f, fn});
}

static int cuda_spatial_fractional_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                                    const nl_tensor *samples, int /*oW*/, int /*oH*/, int poolW,
                                                    int poolH) {
   int pool[3] = {1, poolH, poolW}, sidx[3] = {0, 1, 0};
   return fractional("nn.SpatialFractionalMaxPooling", output, indices, input, samples, 2, pool, sidx);
}

static int cuda_volumetric_fractional_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                                       const nl_tensor *samples, int /*oT*/, int /*oW*/,
                                                       int /*oH*/, int poolT, int poolW, int poolH) {
   // Torch7's layout (pool_window.c): the last dimension takes T's pool
   // and sample 0, the one before W's (sample 1), the third-last H's
   int pool[3] = {poolH, poolW, poolT}, sidx[3] = {2, 1, 0};
   return fractional("nn.VolumetricFractionalMaxPooling", output, indices, input, samples, 3, pool, sidx);
}

// --------------------------------------------------------- volumetric

struct Pool3 { int64_t in[3], out[3]; int k[3], d[3], pad[3], include_pad; };

// the window of output cell pos clipped to the volume, and its divisor
// (window, conv_volumetric.c)
__device__ inline int64_t box(const Pool3 &g, const int64_t *pos, int64_t *s, int64_t *e) {
   int64_t padded = 1;
   for (int i = 0; i < 3; i++) {
      int64_t a = pos[i] * g.d[i] - g.pad[i], b = a + g.k[i];
      if (b > g.in[i] + g.pad[i]) b = g.in[i] + g.pad[i];
      padded *= b - a;
      s[i] = a < 0 ? 0 : a;
      e[i] = b > g.in[i] ? g.in[i] : b;
   }
   int64_t div = g.include_pad ? padded : (e[0] - s[0]) * (e[1] - s[1]) * (e[2] - s[2]);
   return div <= 0 ? 1 : div;
}

// forward max (ind given: first maximum, first NaN wins) or average
template <typename T> __global__ void vpool_fwd(T *out, int64_t *ind, const T *in, int64_t n, Pool3 g) {
   NL_CUDA_LOOP(o, n) {
      int64_t pos[3] = {(o / (g.out[2] * g.out[1])) % g.out[0], (o / g.out[2]) % g.out[1], o % g.out[2]}, s[3], e[3];
      int64_t p = o / (g.out[0] * g.out[1] * g.out[2]), HW = g.in[1] * g.in[2];
      int64_t div = box(g, pos, s, e);
      const T *ip = in + p * g.in[0] * HW;
      if (ind) {
         T best = (T)-INFINITY;
         int64_t bi = (s[0] * g.in[1] + s[1]) * g.in[2] + s[2];
         for (int64_t t = s[0]; t < e[0]; t++)
            for (int64_t h = s[1]; h < e[1]; h++)
               for (int64_t w = s[2]; w < e[2]; w++) {
                  int64_t k = t * HW + h * g.in[2] + w;
                  T v = ip[k];
                  if (v > best || (pool_isnan(v) && !pool_isnan(best))) {
                     best = v;
                     bi = k;
                  }
               }
         out[o] = best;
         ind[o] = bi;
      } else {
         double sum = 0;
         for (int64_t t = s[0]; t < e[0]; t++)
            for (int64_t h = s[1]; h < e[1]; h++)
               for (int64_t w = s[2]; w < e[2]; w++) sum += ip[t * HW + h * g.in[2] + w];
         out[o] = (T)(sum / div);
      }
   }
}

// average backward, gathered in output order
template <typename T> __global__ void vavg_bwd(T *gin, const T *gout, int64_t n, Pool3 g) {
   NL_CUDA_LOOP(e, n) {
      int64_t c[3] = {(e / (g.in[2] * g.in[1])) % g.in[0], (e / g.in[2]) % g.in[1], e % g.in[2]};
      int64_t p = e / (g.in[0] * g.in[1] * g.in[2]), lo[3], hi[3], s[3], en[3];
      for (int i = 0; i < 3; i++) covering(c[i], g.k[i], g.d[i], g.pad[i], g.out[i], &lo[i], &hi[i]);
      T acc = 0;
      int64_t pos[3];
      for (pos[0] = lo[0]; pos[0] <= hi[0]; pos[0]++)
         for (pos[1] = lo[1]; pos[1] <= hi[1]; pos[1]++)
            for (pos[2] = lo[2]; pos[2] <= hi[2]; pos[2]++) {
               int64_t div = box(g, pos, s, en);
               acc += gout[((p * g.out[0] + pos[0]) * g.out[1] + pos[1]) * g.out[2] + pos[2]] / (T)div;
            }
      gin[e] = acc;
   }
}

struct VPool {
   nl_tensor *result, *indices; const nl_tensor *src; Pool3 g; int backward; const char *fn;
   template <typename T> int run() {
      Contig c(src);
      if (c.rc) return -1;
      const nl_tensor *s = c.t;
      int64_t n = nl_numel(result);
      if (n == 0) return 0;
      if (backward) vavg_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, g);
      else
         vpool_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
            (T *)nl_ptr(result), indices ? (int64_t *)nl_ptr(indices) : nullptr, (const T *)nl_ptr(s), n, g);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};

// the geometry of a volumetric pooling; out: the output's grid, or
// computed as the front function does (out_size, conv_volumetric.c)
static Pool3 pool3(const nl_tensor *input, const nl_tensor *output, int kT, int kW, int kH, int dT, int dW, int dH,
                   int padT, int padW, int padH, int ceil_mode, int include_pad) {
   Pool3 g = {{0, 0, 0}, {0, 0, 0}, {kT, kH, kW}, {dT, dH, dW}, {padT, padH, padW}, include_pad};
   grid_of(input, 3, g.in);
   for (int i = 0; i < 3; i++) g.out[i] = out_size(g.in[i], g.k[i], g.d[i], g.pad[i], ceil_mode);
   if (output) grid_of(output, 3, g.out);
   return g;
}

static int cuda_volumetric_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kT,
                                            int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH,
                                            int ceil_mode) {
   const char *fn = "nn.VolumetricMaxPooling";
   Pool3 g = pool3(input, output, kT, kW, kH, dT, dW, dH, padT, padW, padH, ceil_mode, 0);
   return nl_cuda_dispatch_float(fn, input, VPool{output, indices, input, g, 0, fn});
}

static int cuda_volumetric_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                             const nl_tensor *indices) {
   const char *fn = "nn.VolumetricMaxPooling";
   int nd = input->_ndim;
   int64_t iV = input->_size[nd - 3] * input->_size[nd - 2] * input->_size[nd - 1];
   int64_t oV = indices->_size[nd - 3] * indices->_size[nd - 2] * indices->_size[nd - 1];
   return nl_cuda_dispatch_float(fn, input, MaxScatter{gradInput, gradOutput, indices, iV, oV, fn, 1});
}

static int cuda_volumetric_avg_pool_forward(nl_tensor *output, const nl_tensor *input, int kT, int kW, int kH, int dT,
                                            int dW, int dH, int padT, int padW, int padH, int ceil_mode,
                                            int count_include_pad) {
   const char *fn = "nn.VolumetricAveragePooling";
   Pool3 g = pool3(input, output, kT, kW, kH, dT, dW, dH, padT, padW, padH, ceil_mode, count_include_pad);
   return nl_cuda_dispatch_float(fn, input, VPool{output, nullptr, input, g, 0, fn});
}

static int cuda_volumetric_avg_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                             int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW,
                                             int padH, int ceil_mode, int count_include_pad) {
   const char *fn = "nn.VolumetricAveragePooling";
   Pool3 g = pool3(input, nullptr, kT, kW, kH, dT, dW, dH, padT, padW, padH, ceil_mode, count_include_pad);
   return nl_cuda_dispatch_float(fn, input, VPool{gradInput, nullptr, gradOutput, g, 1, fn});
}

// ----------------------------------------------------------- temporal

// out, ind: (N, oT, F); in: (N, nT, F). ind: the frame within the window
// of the first maximum; a NaN replaces a number (tmax_, conv_temporal_impl.h)
template <typename T>
__global__ void tmax_fwd(T *out, int64_t *ind, const T *in, int64_t n, int64_t nT, int64_t oT, int64_t F, int kW, int dW) {
   NL_CUDA_LOOP(o, n) {
      int64_t f = o % F, t = (o / F) % oT, b = o / (F * oT);
      const T *w = in + (b * nT + t * dW) * F + f;
      T best = w[0];
      int64_t bi = 0;
      for (int j = 1; j < kW; j++) {
         T v = w[j * F];
         if (v > best || (pool_isnan(v) && !pool_isnan(best))) {
            best = v;
            bi = j;
         }
      }
      out[o] = best;
      ind[o] = bi;
   }
}

// every index in [0, kW)
__global__ void tmax_check(const int64_t *ind, int64_t n, int kW) {
   NL_CUDA_LOOP(o, n) if (ind[o] < 0 || ind[o] >= kW) mark_bad(o);
}

// gin (N, nT, F): the sum of gout over the windows whose maximum it was, in
// window order
template <typename T>
__global__ void tmax_bwd(T *gin, const T *gout, const int64_t *ind, int64_t n, int64_t nT, int64_t oT, int64_t F, int kW,
                         int dW) {
   NL_CUDA_LOOP(e, n) {
      int64_t f = e % F, ti = (e / F) % nT, b = e / (F * nT), lo, hi;
      covering(ti, kW, dW, 0, oT, &lo, &hi);
      T acc = 0;
      for (int64_t t = lo; t <= hi; t++) {
         int64_t o = (b * oT + t) * F + f;
         if (ind[o] == ti - t * dW) acc += gout[o];
      }
      gin[e] = acc;
   }
}

struct TMax {
   nl_tensor *result, *indices; const nl_tensor *input, *src; int kW, dW, backward;
   template <typename T> int run() {
      const char *fn = "nn.TemporalMaxPooling";
      Contig c(src);
      if (c.rc) return -1;
      const nl_tensor *s = c.t;
      int nd = input->_ndim;
      int64_t nT = input->_size[nd - 2], F = input->_size[nd - 1], oT = (nT - kW) / dW + 1;
      int64_t n = nl_numel(result);
      if (!backward) {
         if (n > 0)
            tmax_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (int64_t *)nl_ptr(indices),
                                                                (const T *)nl_ptr(s), n, nT, oT, F, kW, dW);
         NL_CUDA_CHECK(fn, cudaGetLastError());
         return 0;
      }
      const int64_t *ix = (const int64_t *)nl_ptr(indices);
      int64_t ni = nl_numel(indices);
      if (bad_reset(fn)) return -1;
      if (ni > 0) tmax_check<<<nl_cuda_blocks(ni, THREADS), THREADS>>>(ix, ni, kW);
      int64_t v = 0;
      int bad = bad_fetch(fn, ix, &v);
      if (bad) return bad < 0 ? -1 : nl_errorf("%s: corrupted indices (%lld outside 0..%d)", fn, (long long)v, kW - 1);
      if (n > 0)
         tmax_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), ix, n, nT, oT,
                                                             F, kW, dW);
      NL_CUDA_CHECK(fn, cudaGetLastError());
      return 0;
   }
};
static int cuda_temporal_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int dW) {
   return nl_cuda_dispatch_float("nn.TemporalMaxPooling", input, TMax{output, indices, input, input, kW, dW, 0});
}
static int cuda_temporal_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                           const nl_tensor *indices, int kW, int dW) {
   return nl_cuda_dispatch_float("nn.TemporalMaxPooling", input,
                                 TMax{gradInput, const_cast<nl_tensor *>(indices), input, gradOutput, kW, dW, 1});
}

// ------------------------------------------------------- registration

} // namespace

// The pooling entries of the table; float and double only (see
// cuda_supports, storage.cu).
extern "C" void nl_cuda_register_pool(nl_backend *b) {
   b->ops.spatial_max_pool_forward = cuda_spatial_max_pool_forward;
   b->ops.spatial_max_pool_backward = cuda_spatial_max_pool_backward;
   b->ops.spatial_avg_pool_forward = cuda_spatial_avg_pool_forward;
   b->ops.spatial_avg_pool_backward = cuda_spatial_avg_pool_backward;
   b->ops.spatial_adaptive_pool_forward = cuda_spatial_adaptive_pool_forward;
   b->ops.spatial_adaptive_avg_pool_backward = cuda_spatial_adaptive_avg_pool_backward;
   b->ops.spatial_max_unpool = cuda_spatial_max_unpool;
   b->ops.spatial_dilated_max_pool_forward = cuda_spatial_dilated_max_pool_forward;
   b->ops.volumetric_dilated_max_pool_forward = cuda_volumetric_dilated_max_pool_forward;
   b->ops.spatial_fractional_max_pool_forward = cuda_spatial_fractional_max_pool_forward;
   b->ops.volumetric_fractional_max_pool_forward = cuda_volumetric_fractional_max_pool_forward;
   b->ops.volumetric_max_pool_forward = cuda_volumetric_max_pool_forward;
   b->ops.volumetric_max_pool_backward = cuda_volumetric_max_pool_backward;
   b->ops.volumetric_avg_pool_forward = cuda_volumetric_avg_pool_forward;
   b->ops.volumetric_avg_pool_backward = cuda_volumetric_avg_pool_backward;
   b->ops.temporal_max_pool_forward = cuda_temporal_max_pool_forward;
   b->ops.temporal_max_pool_backward = cuda_temporal_max_pool_backward;
}

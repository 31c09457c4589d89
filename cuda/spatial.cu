// spatial.cu: the CUDA backend's per-plane image modules (entries of
// nl_ops, runtime/backend.h) for float and double, mirroring
// runtime/nn/spatial_misc.c: SpatialZero/Reflection/ReplicationPadding,
// SpatialUpSamplingNearest, SpatialUpSamplingBilinear (the align-corners
// grid, its ratios in float as the CPU computes them) and
// SpatialCrossMapLRN. The front functions have checked the headers and
// resized the (contiguous) results; inputs are made contiguous here. One
// thread per result element; the backward passes gather (each input
// element sums the outputs it went to, in the CPU's order), but the
// bilinear one, which scatters its four weights with atomicAdd.
#include "cuda_common.h"
#include <math.h>

// file-local: internal linkage, so that no name here meets another file's
namespace {
static const int THREADS = 256;

// the input's planes (N*C or C) and last two sizes
static void planes_of(const nl_tensor *t, int64_t *P, int64_t *H, int64_t *W) {
   int nd = t->_ndim;
   *H = t->_size[nd - 2];
   *W = t->_size[nd - 1];
   *P = nd == 4 ? t->_size[0] * t->_size[1] : t->_size[0];
}

// ------------------------------------------------------------ padding

// source row/column of output position o, or -1 (zero): mode 0 zero, 1
// reflection, 2 replication (pad_src, spatial_misc.c)
__device__ inline int64_t pad_src(int64_t o, int64_t pad, int64_t n, int mode) {
   int64_t i = o - pad;
   if (i >= 0 && i < n) return i;
   if (mode == 0) return -1;
   if (mode == 1) return i < 0 ? -i : 2 * (n - 1) - i;
   return i < 0 ? 0 : n - 1;
}

struct Pad { int64_t H, W, oH, oW, l, t; int mode; };

template <typename T> __global__ void pad_fwd(T *out, const T *in, int64_t n, Pad g) {
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % g.oW, y = (o / g.oW) % g.oH, p = o / (g.oW * g.oH);
      int64_t iy = pad_src(y, g.t, g.H, g.mode), ix = pad_src(x, g.l, g.W, g.mode);
      out[o] = iy < 0 || ix < 0 ? (T)0 : in[(p * g.H + iy) * g.W + ix];
   }
}

// The output positions along one axis (on of them) that read input
// position i: up to three runs [lo, hi] in ascending order, each position
// confirmed by pad_src. Zero: the one position i + pad; reflection: the
// mirror images before and after it; replication: one run, longer at the
// edges.
struct Runs { int64_t lo[3], hi[3]; int n; };
__device__ inline Runs pad_runs(int64_t i, int64_t pad, int64_t n, int64_t on, int mode) {
   Runs r;
   r.n = 0;
   int64_t a[3], b[3];
   int k = 0;
   if (mode == 2) {
      a[k] = i == 0 ? 0 : pad + i;
      b[k++] = i == n - 1 ? on - 1 : pad + i;
   } else {
      if (mode == 1 && i > 0) a[k] = b[k] = pad - i, k++;
      a[k] = b[k] = pad + i, k++;
      if (mode == 1 && i < n - 1) a[k] = b[k] = pad + 2 * (n - 1) - i, k++;
   }
   for (int j = 0; j < k; j++) {
      int64_t lo = a[j] < 0 ? 0 : a[j], hi = b[j] > on - 1 ? on - 1 : b[j];
      if (lo <= hi) r.lo[r.n] = lo, r.hi[r.n++] = hi;
   }
   return r;
}

// gin (planes, H, W), every element set: the sum of the outputs copied
// from it, row by row, left to right (pad_planes_bwd_'s order)
template <typename T> __global__ void pad_bwd(T *gin, const T *gout, int64_t n, Pad g) {
   NL_CUDA_LOOP(e, n) {
      int64_t j = e % g.W, i = (e / g.W) % g.H, p = e / (g.W * g.H);
      Runs ry = pad_runs(i, g.t, g.H, g.oH, g.mode), rx = pad_runs(j, g.l, g.W, g.oW, g.mode);
      T acc = 0;
      for (int a = 0; a < ry.n; a++)
         for (int64_t y = ry.lo[a]; y <= ry.hi[a]; y++) {
            if (pad_src(y, g.t, g.H, g.mode) != i) continue;
            const T *orow = gout + (p * g.oH + y) * g.oW;
            for (int b = 0; b < rx.n; b++)
               for (int64_t x = rx.lo[b]; x <= rx.hi[b]; x++)
                  if (pad_src(x, g.l, g.W, g.mode) == j) acc += orow[x];
         }
      gin[e] = acc;
   }
}

struct PadRun {
   nl_tensor *result; const nl_tensor *src; Pad g; int backward;
   template <typename T> int run() {
      nl_cuda_tmp tmp(src->_dtype, src->_device);
      int rc;
      const nl_tensor *s = nl_cuda_contig(tmp, src, &rc);
      if (rc) return -1;
      int64_t n = nl_numel(result);
      if (n == 0) return 0;
      if (backward) pad_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, g);
      else pad_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, g);
      NL_CUDA_CHECK("nn spatial padding", cudaGetLastError());
      return 0;
   }
};

static Pad pad_geom(const nl_tensor *input, int l, int r, int t, int b, int mode) {
   int64_t P, H, W;
   planes_of(input, &P, &H, &W);
   return Pad{H, W, H + t + b, W + l + r, l, t, mode};
}

static int cuda_spatial_padding_forward(nl_tensor *output, const nl_tensor *input, int l, int r, int t, int b, int mode) {
   return nl_cuda_dispatch_float("nn.SpatialPadding", input, PadRun{output, input, pad_geom(input, l, r, t, b, mode), 0});
}
static int cuda_spatial_padding_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                         int l, int r, int t, int b, int mode) {
   return nl_cuda_dispatch_float("nn.SpatialPadding", input,
                                 PadRun{gradInput, gradOutput, pad_geom(input, l, r, t, b, mode), 1});
}

// ------------------------------------------------------- upsampling

// nearest: output (y, x) reads input (y / s, x / s)
template <typename T> __global__ void nearest_fwd(T *out, const T *in, int64_t n, int64_t H, int64_t W, int64_t s) {
   const int64_t oH = H * s, oW = W * s;
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % oW, y = (o / oW) % oH, p = o / (oW * oH);
      out[o] = in[(p * H + y / s) * W + x / s];
   }
}

// each input element sums its s x s outputs row by row (nearest_planes_bwd_)
template <typename T> __global__ void nearest_bwd(T *gin, const T *gout, int64_t n, int64_t H, int64_t W, int64_t s) {
   const int64_t oH = H * s, oW = W * s;
   NL_CUDA_LOOP(e, n) {
      int64_t j = e % W, i = (e / W) % H, p = e / (W * H);
      T acc = 0;
      for (int64_t y = i * s; y < (i + 1) * s; y++) {
         const T *orow = gout + (p * oH + y) * oW + j * s;
         for (int64_t k = 0; k < s; k++) acc += orow[k];
      }
      gin[e] = acc;
   }
}

struct Nearest {
   nl_tensor *result; const nl_tensor *input, *src; int scale, backward;
   template <typename T> int run() {
      nl_cuda_tmp tmp(src->_dtype, src->_device);
      int rc;
      const nl_tensor *s = nl_cuda_contig(tmp, src, &rc);
      if (rc) return -1;
      int64_t P, H, W, n = nl_numel(result);
      planes_of(input, &P, &H, &W);
      if (n == 0) return 0;
      if (backward)
         nearest_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, H, W, scale);
      else nearest_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, H, W, scale);
      NL_CUDA_CHECK("nn.SpatialUpSamplingNearest", cudaGetLastError());
      return 0;
   }
};
static int cuda_spatial_upsample_nearest_forward(nl_tensor *output, const nl_tensor *input, int scale) {
   return nl_cuda_dispatch_float("nn.SpatialUpSamplingNearest", input, Nearest{output, input, input, scale, 0});
}
static int cuda_spatial_upsample_nearest_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                  const nl_tensor *gradOutput, int scale) {
   return nl_cuda_dispatch_float("nn.SpatialUpSamplingNearest", input, Nearest{gradInput, input, gradOutput, scale, 1});
}

// bilinear: output (y, x) interpolates input (y rh, x rw), the ratios and
// positions in float (bilinear_fwd_, spatial_misc_impl.h)
struct Bilinear { int64_t H, W, oH, oW; float rh, rw; };

struct Taps { int64_t i, xp, yp; };
template <typename T> __device__ inline Taps bilinear_taps(const Bilinear &g, int64_t p, int64_t y, int64_t x, T *ly0, T *ly1, T *lx0, T *lx1) {
   float yr = g.rh * (float)y, xr = g.rw * (float)x;
   int64_t y0 = (int64_t)yr, x0 = (int64_t)xr;
   *ly1 = (T)yr - (T)y0, *ly0 = (T)1 - *ly1;
   *lx1 = (T)xr - (T)x0, *lx0 = (T)1 - *lx1;
   return Taps{(p * g.H + y0) * g.W + x0, x0 < g.W - 1 ? 1 : 0, y0 < g.H - 1 ? 1 : 0};
}

template <typename T> __global__ void bilinear_fwd(T *out, const T *in, int64_t n, Bilinear g) {
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % g.oW, y = (o / g.oW) % g.oH, p = o / (g.oW * g.oH);
      T ly0, ly1, lx0, lx1;
      Taps k = bilinear_taps<T>(g, p, y, x, &ly0, &ly1, &lx0, &lx1);
      int64_t i = k.i, xp = k.xp, yW = k.yp * g.W;
      out[o] = ly0 * (lx0 * in[i] + lx1 * in[i + xp]) + ly1 * (lx0 * in[i + yW] + lx1 * in[i + yW + xp]);
   }
}

// gin (zeroed) += the four weighted shares of each output's gradient
template <typename T> __global__ void bilinear_bwd(T *gin, const T *gout, int64_t n, Bilinear g) {
   NL_CUDA_LOOP(o, n) {
      int64_t x = o % g.oW, y = (o / g.oW) % g.oH, p = o / (g.oW * g.oH);
      T ly0, ly1, lx0, lx1;
      Taps k = bilinear_taps<T>(g, p, y, x, &ly0, &ly1, &lx0, &lx1);
      int64_t i = k.i, xp = k.xp, yW = k.yp * g.W;
      T v = gout[o];
      atomicAdd(gin + i, ly0 * lx0 * v);
      atomicAdd(gin + i + xp, ly0 * lx1 * v);
      atomicAdd(gin + i + yW, ly1 * lx0 * v);
      atomicAdd(gin + i + yW + xp, ly1 * lx1 * v);
   }
}

struct BilinearRun {
   nl_tensor *result; const nl_tensor *input, *src; int64_t oH, oW; int backward;
   template <typename T> int run() {
      nl_cuda_tmp tmp(src->_dtype, src->_device);
      int rc;
      const nl_tensor *s = nl_cuda_contig(tmp, src, &rc);
      if (rc) return -1;
      int64_t P, H, W;
      planes_of(input, &P, &H, &W);
      Bilinear g = {H, W, oH, oW, oH > 1 ? (float)(H - 1) / (float)(oH - 1) : 0.f,
                    oW > 1 ? (float)(W - 1) / (float)(oW - 1) : 0.f};
      int64_t n = P * oH * oW;
      if (backward && nl_zero(result)) return -1;
      if (n == 0) return 0;
      if (backward) bilinear_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, g);
      else bilinear_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(s), n, g);
      NL_CUDA_CHECK("nn.SpatialUpSamplingBilinear", cudaGetLastError());
      return 0;
   }
};
static int cuda_spatial_upsample_bilinear_forward(nl_tensor *output, const nl_tensor *input, int oH, int oW) {
   return nl_cuda_dispatch_float("nn.SpatialUpSamplingBilinear", input, BilinearRun{output, input, input, oH, oW, 0});
}
static int cuda_spatial_upsample_bilinear_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                   const nl_tensor *gradOutput, int oH, int oW) {
   return nl_cuda_dispatch_float("nn.SpatialUpSamplingBilinear", input,
                                 BilinearRun{gradInput, input, gradOutput, oH, oW, 1});
}

// ------------------------------------------------------ cross-map LRN

// images (N, C, S); h = (size - 1) / 2. Forward: scale = k + alpha/size *
// the sum of squares over channels [c-h, c+h] (summed in T, channel
// order), out = x scale^-beta.
struct Lrn { int64_t C, S; int size; double alpha, beta, k; };

template <typename T> __global__ void lrn_fwd(T *out, T *scale, const T *x, int64_t n, Lrn g) {
   const int64_t h = (g.size - 1) / 2;
   NL_CUDA_LOOP(e, n) {
      int64_t i = e % g.S, c = (e / g.S) % g.C, b = e / (g.S * g.C);
      int64_t lo = c - h < 0 ? 0 : c - h, hi = c + h < g.C - 1 ? c + h : g.C - 1;
      const T *xi = x + b * g.C * g.S + i;
      T s = 0;
      for (int64_t d = lo; d <= hi; d++) s += xi[d * g.S] * xi[d * g.S];
      s = (T)(g.k + g.alpha / g.size * s);
      scale[e] = s;
      out[e] = (T)(x[e] * pow((double)s, -g.beta));
   }
}

// gin = go scale^-beta - 2 alpha beta/size x sum over the channels within h
// of go out / scale (lrn_bwd_)
template <typename T> __global__ void lrn_bwd(T *gin, const T *x, const T *go, const T *out, const T *scale, int64_t n, Lrn g) {
   const int64_t h = (g.size - 1) / 2;
   NL_CUDA_LOOP(e, n) {
      int64_t i = e % g.S, c = (e / g.S) % g.C, b = e / (g.S * g.C);
      int64_t lo = c - h < 0 ? 0 : c - h, hi = c + h < g.C - 1 ? c + h : g.C - 1, base = b * g.C * g.S + i;
      double acc = 0;
      for (int64_t d = lo; d <= hi; d++) {
         int64_t k = base + d * g.S;
         acc += go[k] * out[k] / scale[k];
      }
      gin[e] = (T)(go[e] * pow((double)scale[e], -g.beta) - 2 * g.alpha * g.beta / g.size * x[e] * acc);
   }
}

struct LrnRun {
   nl_tensor *result, *scale; const nl_tensor *input, *gradOutput, *output; Lrn g;
   template <typename T> int run() {
      nl_cuda_tmp t1(input->_dtype, input->_device), t2(input->_dtype, input->_device);
      int rc, rc2 = 0;
      const nl_tensor *x = nl_cuda_contig(t1, input, &rc);
      const nl_tensor *go = gradOutput ? nl_cuda_contig(t2, gradOutput, &rc2) : nullptr;
      if (rc || rc2) return -1;
      int64_t n = nl_numel(input);
      if (n == 0) return 0;
      if (gradOutput)
         lrn_bwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (const T *)nl_ptr(x), (const T *)nl_ptr(go),
                                                            (const T *)nl_ptr(output), (const T *)nl_ptr(scale), n, g);
      else
         lrn_fwd<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(result), (T *)nl_ptr(scale), (const T *)nl_ptr(x),
                                                            n, g);
      NL_CUDA_CHECK("nn.SpatialCrossMapLRN", cudaGetLastError());
      return 0;
   }
};

static Lrn lrn_geom(const nl_tensor *input, int size, double alpha, double beta, double k) {
   int64_t P, H, W;
   planes_of(input, &P, &H, &W);
   int64_t N = input->_ndim == 4 ? input->_size[0] : 1;
   return Lrn{P / N, H * W, size, alpha, beta, k};
}

static int cuda_spatial_lrn_forward(nl_tensor *output, nl_tensor *scale, const nl_tensor *input, int size, double alpha,
                                    double beta, double k) {
   return nl_cuda_dispatch_float("nn.SpatialCrossMapLRN", input,
                                 LrnRun{output, scale, input, nullptr, nullptr, lrn_geom(input, size, alpha, beta, k)});
}
static int cuda_spatial_lrn_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                     nl_tensor *output, nl_tensor *scale, int size, double alpha, double beta, double k) {
   return nl_cuda_dispatch_float("nn.SpatialCrossMapLRN", input,
                                 LrnRun{gradInput, scale, input, gradOutput, output, lrn_geom(input, size, alpha, beta, k)});
}

// ------------------------------------------------------- registration

} // namespace

// float and double only (see cuda_supports, storage.cu)
extern "C" void nl_cuda_register_spatial(nl_backend *b) {
   b->ops.spatial_padding_forward = cuda_spatial_padding_forward;
   b->ops.spatial_padding_backward = cuda_spatial_padding_backward;
   b->ops.spatial_upsample_nearest_forward = cuda_spatial_upsample_nearest_forward;
   b->ops.spatial_upsample_nearest_backward = cuda_spatial_upsample_nearest_backward;
   b->ops.spatial_upsample_bilinear_forward = cuda_spatial_upsample_bilinear_forward;
   b->ops.spatial_upsample_bilinear_backward = cuda_spatial_upsample_bilinear_backward;
   b->ops.spatial_lrn_forward = cuda_spatial_lrn_forward;
   b->ops.spatial_lrn_backward = cuda_spatial_lrn_backward;
}

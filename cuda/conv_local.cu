// conv_local.cu: the CUDA backend's SpatialConvolutionLocal
// (runtime/nn/conv_local.c's entry points), float and double: unshared
// filters, weight (L, nOut, K) with L = oH*oW locations and K =
// nIn*kH*kW, bias (nOut, L). Direct kernels, one thread per result
// element summing in a fixed order (no atomics):
//   forward     output[n, o, l] = bias[o, l] + sum_k weight[l, o, k] patch(n, l, k)
//   backward    gradInput[n, c, y, x] = sum over the (l, k) whose patch holds
//               (c, y, x) of sum_o weight[l, o, k] gradOutput[n, o, l]
//   acc_grad    gradWeight[l, o, k] += scale gradOutput[n, o, l] patch(n, l, k),
//               gradBias[o, l] += scale gradOutput[n, o, l], images in order
// The patch buffer `rows` (nt, L, K) is not needed here; one extra launch
// leaves it as the CPU leaves it, so that the buffer reads the same on
// every backend.
#include "cuda_common.h"

// one namespace per file: kernels and functors of other files may share names
namespace nl_cuda_conv_local {

static const int THREADS = 256;
static const char *FN = "nn.SpatialConvolutionLocal";

struct LGeom {
   int64_t N, nIn, nOut, H, W, oH, oW, L, K;
   int kW, kH, dW, dH, padW, padH;
};

static LGeom geom_of(const nl_tensor *input, int nIn, int nOut, int iW, int iH, int kW, int kH, int dW, int dH,
                     int padW, int padH) {
   LGeom g;
   g.N = input->_ndim == 4 ? input->_size[0] : 1;
   g.nIn = nIn, g.nOut = nOut, g.H = iH, g.W = iW;
   g.kW = kW, g.kH = kH, g.dW = dW, g.dH = dH, g.padW = padW, g.padH = padH;
   g.oH = (iH + 2 * padH - kH) / dH + 1;
   g.oW = (iW + 2 * padW - kW) / dW + 1;
   g.L = g.oH * g.oW;
   g.K = (int64_t)nIn * kH * kW;
   return g;
}

// element k = (c, i, j) of location l = (y, x)'s patch of image im (nIn, H, W)
template <typename T> __device__ static inline T patch(const T *im, const LGeom &g, int64_t l, int64_t k) {
   const int64_t y = l / g.oW, x = l % g.oW, j = k % g.kW, i = (k / g.kW) % g.kH, c = k / ((int64_t)g.kW * g.kH);
   const int64_t iy = y * g.dH - g.padH + i, ix = x * g.dW - g.padW + j;
   return (iy >= 0 && iy < g.H && ix >= 0 && ix < g.W) ? im[(c * g.H + iy) * g.W + ix] : (T)0;
}

template <typename T>
__global__ void local_fwd_kernel(T *out, const T *in, const T *w, const T *bias, LGeom g) {
   NL_CUDA_LOOP(e, g.N * g.nOut * g.L) {
      const int64_t l = e % g.L, o = (e / g.L) % g.nOut, n = e / (g.L * g.nOut);
      const T *im = in + n * g.nIn * g.H * g.W, *wr = w + (l * g.nOut + o) * g.K;
      T acc = bias ? bias[o * g.L + l] : (T)0;
      for (int64_t k = 0; k < g.K; k++) acc += wr[k] * patch(im, g, l, k);
      out[e] = acc;
   }
}

template <typename T>
__global__ void local_bwd_kernel(T *gin, const T *go, const T *w, LGeom g) {
   NL_CUDA_LOOP(e, g.N * g.nIn * g.H * g.W) {
      const int64_t ix = e % g.W, iy = (e / g.W) % g.H, c = (e / (g.W * g.H)) % g.nIn, n = e / (g.W * g.H * g.nIn);
      const T *gon = go + n * g.nOut * g.L;
      T acc = 0;
      for (int i = 0; i < g.kH; i++) {
         const int64_t ty = iy + g.padH - i;
         if (ty < 0 || ty % g.dH != 0 || ty / g.dH >= g.oH) continue;
         for (int j = 0; j < g.kW; j++) {
            const int64_t tx = ix + g.padW - j;
            if (tx < 0 || tx % g.dW != 0 || tx / g.dW >= g.oW) continue;
            const int64_t l = (ty / g.dH) * g.oW + tx / g.dW, k = (c * g.kH + i) * g.kW + j;
            for (int64_t o = 0; o < g.nOut; o++) acc += w[(l * g.nOut + o) * g.K + k] * gon[o * g.L + l];
         }
      }
      gin[e] = acc;
   }
}

template <typename T>
__global__ void local_acc_w_kernel(T *gw, const T *in, const T *go, LGeom g, T scale) {
   NL_CUDA_LOOP(e, g.L * g.nOut * g.K) {
      const int64_t k = e % g.K, o = (e / g.K) % g.nOut, l = e / (g.K * g.nOut);
      T v = gw[e];
      for (int64_t n = 0; n < g.N; n++)
         v += scale * go[(n * g.nOut + o) * g.L + l] * patch(in + n * g.nIn * g.H * g.W, g, l, k);
      gw[e] = v;
   }
}

template <typename T>
__global__ void local_acc_b_kernel(T *gb, const T *go, LGeom g, T scale) {
   NL_CUDA_LOOP(e, g.nOut * g.L) {
      T v = gb[e];
      for (int64_t n = 0; n < g.N; n++) v += scale * go[n * g.nOut * g.L + e];
      gb[e] = v;
   }
}

// Each slot s of rows (nt slots of (L, K)) as the CPU leaves it: its batch
// loop (an OpenMP static schedule) gives thread s the images [s q + min(s,
// r), ...) of q = N / nt (one more for s < r = N % nt), and the slot holds
// the last one's patches (go NULL) or, for the backward pass, weight[l]^T
// gradOutput[n, :, l]. One launch for all slots.
template <typename T>
__global__ void local_rows_kernel(T *rows, const T *in, const T *go, const T *w, LGeom g, int64_t nt) {
   const int64_t q = g.N / nt, r = g.N % nt;
   NL_CUDA_LOOP(e, nt * g.L * g.K) {
      const int64_t k = e % g.K, l = (e / g.K) % g.L, s = e / (g.K * g.L);
      const int64_t cnt = q + (s < r), n = s * q + (s < r ? s : r) + cnt - 1;
      if (cnt < 1) continue;
      if (!go) {
         rows[e] = patch(in + n * g.nIn * g.H * g.W, g, l, k);
      } else {
         T acc = 0;
         for (int64_t o = 0; o < g.nOut; o++) acc += w[(l * g.nOut + o) * g.K + k] * go[(n * g.nOut + o) * g.L + l];
         rows[e] = acc;
      }
   }
}

template <typename T> static int fill_rows(nl_tensor *rows, const T *in, const T *go, const T *w, const LGeom &g) {
   int64_t nt = rows->_ndim ? rows->_size[0] : 0;
   if (nt < 1) return 0;
   local_rows_kernel<T><<<nl_cuda_blocks(nt * g.L * g.K, THREADS), THREADS>>>((T *)nl_ptr(rows), in, go, w, g, nt);
   NL_CUDA_CHECK(FN, cudaGetLastError());
   return 0;
}

struct LocalForward {
   nl_tensor *output, *rows; const nl_tensor *input, *weight, *bias; LGeom g;
   template <typename T> int run() {
      nl_cuda_tmp tmp(input->_dtype, input->_device);
      int rc;
      const nl_tensor *in = nl_cuda_contig(tmp, input, &rc);
      if (rc) return -1;
      local_fwd_kernel<T><<<nl_cuda_blocks(g.N * g.nOut * g.L, THREADS), THREADS>>>(
         (T *)nl_ptr(output), (const T *)nl_ptr(in), (const T *)nl_ptr(weight), bias ? (const T *)nl_ptr(bias) : nullptr,
         g);
      NL_CUDA_CHECK(FN, cudaGetLastError());
      return fill_rows<T>(rows, (const T *)nl_ptr(in), nullptr, nullptr, g);
   }
};
static int cuda_local_forward(nl_tensor *output, nl_tensor *rows, const nl_tensor *input, const nl_tensor *weight,
                              const nl_tensor *bias, int nIn, int nOut, int iW, int iH, int kW, int kH, int dW, int dH,
                              int padW, int padH) {
   LGeom g = geom_of(input, nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH);
   return nl_cuda_dispatch_float(FN, input, LocalForward{output, rows, input, weight, bias, g});
}

struct LocalBackward {
   nl_tensor *gradInput, *rows; const nl_tensor *gradOutput, *weight; LGeom g;
   template <typename T> int run() {
      nl_cuda_tmp tmp(gradOutput->_dtype, gradOutput->_device);
      int rc;
      const nl_tensor *go = nl_cuda_contig(tmp, gradOutput, &rc);
      if (rc) return -1;
      local_bwd_kernel<T><<<nl_cuda_blocks(g.N * g.nIn * g.H * g.W, THREADS), THREADS>>>(
         (T *)nl_ptr(gradInput), (const T *)nl_ptr(go), (const T *)nl_ptr(weight), g);
      NL_CUDA_CHECK(FN, cudaGetLastError());
      return fill_rows<T>(rows, nullptr, (const T *)nl_ptr(go), (const T *)nl_ptr(weight), g);
   }
};
static int cuda_local_backward(nl_tensor *gradInput, nl_tensor *rows, const nl_tensor *input,
                               const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int iW, int iH,
                               int kW, int kH, int dW, int dH, int padW, int padH) {
   LGeom g = geom_of(input, nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH);
   return nl_cuda_dispatch_float(FN, input, LocalBackward{gradInput, rows, gradOutput, weight, g});
}

struct LocalAcc {
   nl_tensor *gradWeight, *gradBias, *rows; const nl_tensor *input, *gradOutput; LGeom g; double scale;
   template <typename T> int run() {
      if (scale == 0) return 0;
      nl_cuda_tmp t1(input->_dtype, input->_device), t2(gradOutput->_dtype, gradOutput->_device);
      int rc1, rc2;
      const nl_tensor *in = nl_cuda_contig(t1, input, &rc1), *go = nl_cuda_contig(t2, gradOutput, &rc2);
      if (rc1 || rc2) return -1;
      local_acc_w_kernel<T><<<nl_cuda_blocks(g.L * g.nOut * g.K, THREADS), THREADS>>>(
         (T *)nl_ptr(gradWeight), (const T *)nl_ptr(in), (const T *)nl_ptr(go), g, (T)scale);
      NL_CUDA_CHECK(FN, cudaGetLastError());
      if (gradBias) {
         local_acc_b_kernel<T><<<nl_cuda_blocks(g.nOut * g.L, THREADS), THREADS>>>((T *)nl_ptr(gradBias),
                                                                                  (const T *)nl_ptr(go), g, (T)scale);
         NL_CUDA_CHECK(FN, cudaGetLastError());
      }
      return fill_rows<T>(rows, (const T *)nl_ptr(in), nullptr, nullptr, g);
   }
};
static int cuda_local_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *rows, const nl_tensor *input,
                               const nl_tensor *gradOutput, int nIn, int nOut, int iW, int iH, int kW, int kH, int dW,
                               int dH, int padW, int padH, double scale) {
   LGeom g = geom_of(input, nIn, nOut, iW, iH, kW, kH, dW, dH, padW, padH);
   return nl_cuda_dispatch_float(FN, input, LocalAcc{gradWeight, gradBias, rows, input, gradOutput, g, scale});
}

extern "C" void nl_cuda_register_conv_local(nl_backend *b) {
   b->ops.spatial_conv_local_forward = cuda_local_forward;
   b->ops.spatial_conv_local_backward = cuda_local_backward;
   b->ops.spatial_conv_local_acc_grad = cuda_local_acc_grad;
}

}  // namespace nl_cuda_conv_local
using namespace nl_cuda_conv_local;


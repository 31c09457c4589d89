// math_conv.cu: the CUDA backend's torch.conv2/xcorr2/conv3/xcorr3
// (runtime/math_conv.c's nl_conv_direct). The front function has checked
// the arguments and resized the result to (m, [oD,] oH, oW). One thread
// per output element sums the taps in the CPU kernel's order (input plane,
// then kernel depth, row, column), rounding to T after each tap as the CPU
// does, so integer results are the CPU's exactly and float ones to
// rounding. Every dtype of the runtime's list.
#include "cuda_common.h"

namespace nl_cuda_math_conv {

static const int THREADS = 256;

struct Geo {
   int64_t n, m, D, H, W, kD, kH, kW, oD, oH, oW;
   int full, flip, map;
};

template <typename T> __global__ void conv_direct_kernel(T *out, const T *x, const T *k, Geo g) {
   const int64_t total = g.m * g.oD * g.oH * g.oW;
   const int64_t pD = g.full ? g.kD - 1 : 0, pH = g.full ? g.kH - 1 : 0, pW = g.full ? g.kW - 1 : 0;
   const int64_t ksz = g.kD * g.kH * g.kW;
   NL_CUDA_LOOP(e, total) {
      int64_t ox = e % g.oW, r = e / g.oW;
      int64_t oy = r % g.oH, oz = r / g.oH % g.oD, j = r / (g.oH * g.oD);
      T acc = 0;
      int64_t i0 = g.map ? j : 0, i1 = g.map ? j + 1 : g.n;
      for (int64_t i = i0; i < i1; i++) {
         const T *kp = k + (g.map ? j : j * g.n + i) * ksz;
         const T *xp = x + i * g.D * g.H * g.W;
         for (int64_t z = 0; z < g.kD; z++) {
            int64_t iz = oz + z - pD;
            if (iz < 0 || iz >= g.D) continue;
            for (int64_t y = 0; y < g.kH; y++) {
               int64_t iy = oy + y - pH;
               if (iy < 0 || iy >= g.H) continue;
               for (int64_t t = 0; t < g.kW; t++) {
                  int64_t ix = ox + t - pW;
                  if (ix < 0 || ix >= g.W) continue;
                  int64_t kidx = (z * g.kH + y) * g.kW + t;
                  T w = kp[g.flip ? ksz - 1 - kidx : kidx];
                  acc = (T)(acc + w * xp[(iz * g.H + iy) * g.W + ix]);
               }
            }
         }
      }
      out[e] = acc;
   }
}

struct Run {
   nl_tensor *out;
   const nl_tensor *x, *k;
   Geo g;
   template <typename T> int run() {
      int64_t total = g.m * g.oD * g.oH * g.oW;
      if (total == 0) return 0;
      conv_direct_kernel<T><<<nl_cuda_blocks(total, THREADS), THREADS>>>((T *)nl_ptr(out), (const T *)nl_ptr(x),
                                                                         (const T *)nl_ptr(k), g);
      NL_CUDA_CHECK("torch.conv2", cudaGetLastError());
      return 0;
   }
};

static int cuda_conv_direct(nl_tensor *out, const nl_tensor *x, const nl_tensor *k, int nd, int full, int flip,
                            int map) {
   Geo g;
   g.full = full != 0, g.flip = flip != 0, g.map = map != 0;
   int ko = map ? 1 : 2;
   g.n = x->_size[0];
   g.m = map ? g.n : k->_size[0];
   g.D = nd == 3 ? x->_size[1] : 1, g.kD = nd == 3 ? k->_size[ko] : 1;
   g.H = x->_size[nd - 1], g.W = x->_size[nd], g.kH = k->_size[ko + nd - 2], g.kW = k->_size[ko + nd - 1];
   g.oD = nd == 3 ? out->_size[1] : 1, g.oH = out->_size[nd - 1], g.oW = out->_size[nd];
   int rc = 0;
   nl_cuda_tmp tx(x->_dtype, NL_CUDA), tk(k->_dtype, NL_CUDA), to(out->_dtype, NL_CUDA);
   const nl_tensor *xc = nl_cuda_contig(tx, x, &rc);
   if (rc) return -1;
   const nl_tensor *kc = nl_cuda_contig(tk, k, &rc);
   if (rc) return -1;
   nl_tensor *oc = out;
   if (!nl_tensor_is_contiguous(out)) {
      if (nl_tensor_resize(&to.t, out->_ndim, out->_size)) return -1;
      oc = &to.t;
   }
   if (nl_cuda_dispatch(x->_dtype, Run{oc, xc, kc, g})) return -1;
   return oc != out ? nl_copy(out, oc) : 0;
}

} // namespace nl_cuda_math_conv

extern "C" void nl_cuda_register_math_conv(nl_backend *b) { b->ops.conv_direct = nl_cuda_math_conv::cuda_conv_direct; }

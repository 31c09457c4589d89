// lstm.cu: the CUDA backend's pointwise LSTM cell, mirroring
// runtime/nn/lstm.c (nn.SeqLSTM, nn.FastLSTM): one thread per (sample, unit)
// computes the four gates of that unit. Gate order along the 4H columns:
// i, f, o (sigmoid), g (tanh); c = f * c_prev + i * g, h = o * tanh(c).
// The front functions checked the sizes and types and resized h, c and
// grad_gates; every tensor is a 2-D (N, *) view with any strides.
#include "cuda_common.h"
#include <math.h>

static const int THREADS = 256;

// a 2-D view's element (n, j)
struct Mat {
   int64_t s0, s1;
};
static inline Mat mat(const nl_tensor *t) { return Mat{t ? t->_stride[0] : 0, t ? t->_stride[1] : 0}; }
#define AT(p, m, n, j) (p)[(n) * (m).s0 + (j) * (m).s1]

template <typename T> __device__ inline T tanh_t(T x) { return tanh(x); }
template <> __device__ inline float tanh_t<float>(float x) { return tanhf(x); }
template <typename T> __device__ inline T sigm(T x) { return (T)0.5 + (T)0.5 * tanh_t<T>((T)0.5 * x); }

template <typename T>
__global__ void lstm_fwd_kernel(T *h, Mat mh, T *c, Mat mc, T *g, Mat mg, const T *pc, Mat mpc, int64_t N, int64_t H) {
   NL_CUDA_LOOP(q, N * H) {
      int64_t n = q / H, j = q % H;
      T gi = sigm<T>(AT(g, mg, n, j)), gf = sigm<T>(AT(g, mg, n, H + j));
      T go = sigm<T>(AT(g, mg, n, 2 * H + j)), gg = tanh_t<T>(AT(g, mg, n, 3 * H + j));
      T cj = gf * AT(pc, mpc, n, j) + gi * gg;
      AT(g, mg, n, j) = gi, AT(g, mg, n, H + j) = gf, AT(g, mg, n, 2 * H + j) = go, AT(g, mg, n, 3 * H + j) = gg;
      AT(c, mc, n, j) = cj;
      AT(h, mh, n, j) = go * tanh_t<T>(cj);
   }
}

template <typename T>
__global__ void lstm_bwd_kernel(T *dg, Mat mdg, T *dc, Mat mdc, const T *a, Mat ma, const T *pc, Mat mpc, const T *c, Mat mc,
                                const T *dh, Mat mdh, const T *dh2, Mat mdh2, int64_t N, int64_t H) {
   NL_CUDA_LOOP(q, N * H) {
      int64_t n = q / H, j = q % H;
      T gi = AT(a, ma, n, j), gf = AT(a, ma, n, H + j), go = AT(a, ma, n, 2 * H + j), gg = AT(a, ma, n, 3 * H + j);
      T tc = tanh_t<T>(AT(c, mc, n, j));
      T d = AT(dh, mdh, n, j) + (dh2 ? AT(dh2, mdh2, n, j) : (T)0);
      T dcj = AT(dc, mdc, n, j) + d * go * (1 - tc * tc);
      AT(dg, mdg, n, j) = dcj * gg * gi * (1 - gi);
      AT(dg, mdg, n, H + j) = dcj * AT(pc, mpc, n, j) * gf * (1 - gf);
      AT(dg, mdg, n, 2 * H + j) = d * tc * go * (1 - go);
      AT(dg, mdg, n, 3 * H + j) = dcj * gi * (1 - gg * gg);
      AT(dc, mdc, n, j) = dcj * gf;
   }
}

#define P(t) ((T *)nl_ptr(t))

struct Fwd {
   nl_tensor *h, *c, *g; const nl_tensor *pc;
   template <typename T> int run() {
      int64_t N = g->_size[0], H = g->_size[1] / 4;
      if (N == 0) return 0;
      lstm_fwd_kernel<T><<<nl_cuda_blocks(N * H, THREADS), THREADS>>>(P(h), mat(h), P(c), mat(c), P(g), mat(g), P(pc),
                                                                    mat(pc), N, H);
      NL_CUDA_CHECK("nl_lstm_cell_forward", cudaGetLastError());
      return 0;
   }
};

static int cuda_lstm_cell_forward(nl_tensor *h, nl_tensor *c, nl_tensor *gates, const nl_tensor *prev_c) {
   return nl_cuda_dispatch_float("nl_lstm_cell_forward", gates, Fwd{h, c, gates, prev_c});
}

struct Bwd {
   nl_tensor *dg, *dc; const nl_tensor *a, *pc, *c, *dh, *dh2;
   template <typename T> int run() {
      int64_t N = a->_size[0], H = a->_size[1] / 4;
      if (N == 0) return 0;
      lstm_bwd_kernel<T><<<nl_cuda_blocks(N * H, THREADS), THREADS>>>(
         P(dg), mat(dg), P(dc), mat(dc), P(a), mat(a), P(pc), mat(pc), P(c), mat(c), P(dh), mat(dh),
         dh2 ? P(dh2) : nullptr, mat(dh2), N, H);
      NL_CUDA_CHECK("nl_lstm_cell_backward", cudaGetLastError());
      return 0;
   }
};

static int cuda_lstm_cell_backward(nl_tensor *grad_gates, nl_tensor *grad_c, const nl_tensor *gates, const nl_tensor *prev_c,
                                   const nl_tensor *c, const nl_tensor *grad_h, const nl_tensor *grad_h2) {
   return nl_cuda_dispatch_float("nl_lstm_cell_backward", gates,
                                 Bwd{grad_gates, grad_c, gates, prev_c, c, grad_h, grad_h2});
}

extern "C" void nl_cuda_register_lstm(nl_backend *b) {
   b->ops.lstm_cell_forward = cuda_lstm_cell_forward;
   b->ops.lstm_cell_backward = cuda_lstm_cell_backward;
}

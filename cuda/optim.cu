// optim.cu: the CUDA backend's fused parameter updates, mirroring
// runtime/optim.c and its optim_impl.h: one kernel pass over the flat
// parameter vector per step, with the CPU's arithmetic per element (casts
// to T, sqrt in double). The front functions checked that every vector is
// contiguous, of x's type and size.
#include "cuda_common.h"
#include <math.h>

static const int THREADS = 256;

template <typename T>
__global__ void sgd_kernel(T *px, T *pg, T *pb, int64_t n, double lr, double wd, double mom, double damp, int nesterov,
                           int init) {
   NL_CUDA_LOOP(i, n) {
      T g = pg[i];
      if (wd != 0) { g = g + (T)wd * px[i]; pg[i] = g; }
      T step = g;
      if (pb) {
         T b = init ? g : (T)((T)mom * pb[i] + (T)(1 - damp) * g);
         pb[i] = b;
         if (nesterov) { g = g + (T)mom * b; pg[i] = g; step = g; }
         else step = b;
      }
      px[i] = px[i] - (T)lr * step;
   }
}

template <typename T>
__global__ void adam_kernel(T *px, const T *pg, T *pm, T *pv, int64_t n, double b1, double b2, double eps, double step_size) {
   NL_CUDA_LOOP(i, n) {
      T gi = pg[i];
      T mi = (T)b1 * pm[i] + (T)(1 - b1) * gi;
      T vi = (T)b2 * pv[i] + (T)(1 - b2) * gi * gi;
      pm[i] = mi, pv[i] = vi;
      px[i] = (T)(px[i] - (T)step_size * mi / (sqrt((double)vi) + (T)eps));
   }
}

template <typename T> __global__ void adagrad_kernel(T *px, const T *pg, T *pv, int64_t n, double lr) {
   NL_CUDA_LOOP(i, n) {
      T gi = pg[i];
      T vi = pv[i] + gi * gi;
      pv[i] = vi;
      px[i] = (T)(px[i] + (T)(-lr) * gi / (sqrt((double)vi) + (T)1e-10));
   }
}

template <typename T>
__global__ void rmsprop_kernel(T *px, const T *pg, T *pm, int64_t n, double lr, double alpha, double eps) {
   NL_CUDA_LOOP(i, n) {
      T gi = pg[i];
      T mi = (T)alpha * pm[i] + (T)(1 - alpha) * gi * gi;
      pm[i] = mi;
      px[i] = (T)(px[i] + (T)(-lr) * gi / (sqrt((double)mi) + (T)eps));
   }
}

#define P(t) ((T *)nl_ptr(t))

struct Sgd {
   nl_tensor *x, *g, *buf; double lr, wd, mom, damp; int nesterov, init;
   template <typename T> int run() {
      int64_t n = nl_numel(x);
      if (n == 0) return 0;
      sgd_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(P(x), P(g), buf ? P(buf) : nullptr, n, lr, wd, mom, damp,
                                                           nesterov, init);
      NL_CUDA_CHECK("optim.sgd", cudaGetLastError());
      return 0;
   }
};
static int cuda_sgd_step(nl_tensor *x, nl_tensor *dfdx, nl_tensor *buf, double lr, double wd, double mom, double damp,
                         int nesterov, int init) {
   return nl_cuda_dispatch_float("optim.sgd", x, Sgd{x, dfdx, buf, lr, wd, mom, damp, nesterov, init});
}

struct Adam {
   nl_tensor *x; const nl_tensor *g; nl_tensor *m, *v; double b1, b2, eps, step_size;
   template <typename T> int run() {
      int64_t n = nl_numel(x);
      if (n == 0) return 0;
      adam_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(P(x), P(g), P(m), P(v), n, b1, b2, eps, step_size);
      NL_CUDA_CHECK("optim.adam", cudaGetLastError());
      return 0;
   }
};
static int cuda_adam_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, nl_tensor *v, double b1, double b2, double eps,
                          double step_size) {
   return nl_cuda_dispatch_float("optim.adam", x, Adam{x, g, m, v, b1, b2, eps, step_size});
}

struct Adagrad {
   nl_tensor *x; const nl_tensor *g; nl_tensor *var; double lr;
   template <typename T> int run() {
      int64_t n = nl_numel(x);
      if (n == 0) return 0;
      adagrad_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(P(x), P(g), P(var), n, lr);
      NL_CUDA_CHECK("optim.adagrad", cudaGetLastError());
      return 0;
   }
};
static int cuda_adagrad_step(nl_tensor *x, const nl_tensor *g, nl_tensor *var, double lr) {
   return nl_cuda_dispatch_float("optim.adagrad", x, Adagrad{x, g, var, lr});
}

struct Rmsprop {
   nl_tensor *x; const nl_tensor *g; nl_tensor *m; double lr, alpha, eps;
   template <typename T> int run() {
      int64_t n = nl_numel(x);
      if (n == 0) return 0;
      rmsprop_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(P(x), P(g), P(m), n, lr, alpha, eps);
      NL_CUDA_CHECK("optim.rmsprop", cudaGetLastError());
      return 0;
   }
};
static int cuda_rmsprop_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, double lr, double alpha, double eps) {
   return nl_cuda_dispatch_float("optim.rmsprop", x, Rmsprop{x, g, m, lr, alpha, eps});
}

extern "C" void nl_cuda_register_optim(nl_backend *b) {
   b->ops.sgd_step = cuda_sgd_step;
   b->ops.adam_step = cuda_adam_step;
   b->ops.adagrad_step = cuda_adagrad_step;
   b->ops.rmsprop_step = cuda_rmsprop_step;
}

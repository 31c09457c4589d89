// math_reduce.cu: the CUDA backend's reductions (whole tensor and along a
// dimension), mirroring runtime/math_reduce.c: partial sums per block in
// double, combined on the host.
#include "cuda_common.h"
#include <math.h>
#include <stdlib.h>


static const int THREADS = 256;

// ------------------------------------------------------------- reductions

// One partial per block, in double; the host combines the partials.
template <typename T>
__global__ void reduce_all_kernel(double *part, const T *a, nl_cuda_geom ga, int64_t n, int op, double arg, double shift) {
   __shared__ double s1[THREADS], s2[THREADS];
   double acc = op == NL_R_PROD || op == NL_R_ALL ? 1 : (op == NL_R_MAX ? -INFINITY : (op == NL_R_MIN ? INFINITY : 0));
   double acc2 = 0;
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      double x = (double)a[nl_cuda_offset(ga, i)];
      switch (op) {
      case NL_R_PROD: acc *= x; break;
      case NL_R_MAX: if (acc == acc && !(x <= acc)) acc = x; break;
      case NL_R_MIN: if (acc == acc && !(x >= acc)) acc = x; break;
      case NL_R_NORM: acc += arg == 2 ? x * x : (arg == 1 ? fabs(x) : pow(fabs(x), arg)); break;
      case NL_R_VAR: case NL_R_STD: x -= shift; acc += x; acc2 += x * x; break;
      case NL_R_ALL: if (!x) acc = 0; break;
      case NL_R_ANY: if (x) acc = 1; break;
      default: acc += x; break;
      }
   }
   s1[threadIdx.x] = acc;
   s2[threadIdx.x] = acc2;
   __syncthreads();
   for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) {
         double y = s1[threadIdx.x + s], &x = s1[threadIdx.x];
         switch (op) {
         case NL_R_PROD: x *= y; break;
         case NL_R_MAX: if (x == x && !(y <= x)) x = y; break;
         case NL_R_MIN: if (x == x && !(y >= x)) x = y; break;
         case NL_R_ALL: x = x && y; break;
         case NL_R_ANY: x = x || y; break;
         default: x += y; s2[threadIdx.x] += s2[threadIdx.x + s]; break;
         }
      }
      __syncthreads();
   }
   if (threadIdx.x == 0) {
      part[2 * blockIdx.x] = s1[0];
      part[2 * blockIdx.x + 1] = s2[0];
   }
}

struct ReduceAll {
   double *out; const nl_tensor *a; int op; double arg;
   template <typename T> int run() {
      int64_t n = nl_numel(a);
      int blocks = (int)((n + THREADS - 1) / THREADS);
      if (blocks > 256) blocks = 256;
      double shift = 0;
      if (op == NL_R_VAR || op == NL_R_STD) nl_get1(&shift, a, 0);
      double *dpart;
      NL_CUDA_CHECK("reduction", cudaMalloc(&dpart, sizeof(double) * 2 * blocks));
      reduce_all_kernel<T><<<blocks, THREADS>>>(dpart, (const T *)nl_ptr(a), nl_cuda_geom_of(a), n, op, arg, shift);
      double *part = (double *)malloc(sizeof(double) * 2 * blocks);
      cudaError_t err = cudaMemcpy(part, dpart, sizeof(double) * 2 * blocks, cudaMemcpyDeviceToHost);
      cudaFree(dpart);
      if (err != cudaSuccess) { free(part); return nl_set_error_cuda("reduction", err); }
      double acc = op == NL_R_PROD || op == NL_R_ALL ? 1 : (op == NL_R_MAX ? -INFINITY : (op == NL_R_MIN ? INFINITY : 0));
      double acc2 = 0;
      for (int i = 0; i < blocks; i++) {
         double x = part[2 * i];
         switch (op) {
         case NL_R_PROD: acc *= x; break;
         case NL_R_MAX: if (acc == acc && !(x <= acc)) acc = x; break;
         case NL_R_MIN: if (acc == acc && !(x >= acc)) acc = x; break;
         case NL_R_ALL: acc = acc && x; break;
         case NL_R_ANY: acc = acc || x; break;
         default: acc += x; acc2 += part[2 * i + 1]; break;
         }
      }
      free(part);
      if (op == NL_R_MEAN) acc /= n;
      else if (op == NL_R_NORM && arg != 0) acc = pow(acc, 1 / arg);
      else if (op == NL_R_VAR || op == NL_R_STD) {
         double denom = arg ? (double)n : (double)(n - 1);
         double v = n > 1 || arg ? (acc2 - acc * acc / n) / denom : 0;
         if (v < 0) v = 0;
         acc = op == NL_R_STD ? sqrt(v) : v;
      }
      *out = acc;
      return 0;
   }
};
static int cuda_reduce_all(double *out, const nl_tensor *a, int op, double arg) {
   return nl_cuda_dispatch(a->_dtype, ReduceAll{out, a, op, arg});
}

// One thread per output element, walking its slice along dim.
template <typename T>
__global__ void reduce_dim_kernel(T *r, nl_cuda_geom gr, int64_t *ix, nl_cuda_geom gi, const T *a, nl_cuda_geom ga,
                                  int dim, int64_t nout, int op, double arg) {
   for (int64_t o = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; o < nout; o += (int64_t)gridDim.x * blockDim.x) {
      // o indexes the result (size 1 along dim): its offset in a is the same
      // coordinates with dim at 0
      int64_t rem = o, aoff = 0;
      for (int d = gr.ndim - 1; d >= 0; d--) {
         int64_t c = rem % gr.size[d];
         rem /= gr.size[d];
         aoff += c * ga.stride[d];
      }
      int64_t n = ga.size[dim], st = ga.stride[dim];
      double acc = op == NL_R_PROD ? 1 : 0, m = 0, m2 = 0;
      T best = a[aoff];
      int64_t bi = 0;
      for (int64_t j = 0; j < n; j++) {
         T xv = a[aoff + j * st];
         double x = (double)xv;
         switch (op) {
         case NL_R_PROD: acc *= x; break;
         case NL_R_MAX: if (best == best && (xv != xv || xv > best)) { best = xv; bi = j; } break;
         case NL_R_MIN: if (best == best && (xv != xv || xv < best)) { best = xv; bi = j; } break;
         case NL_R_NORM: acc += arg == 2 ? x * x : pow(fabs(x), arg); break;
         case NL_R_VAR: case NL_R_STD: { double d = x - m; m += d / (j + 1); m2 += d * (x - m); break; }
         case NL_R_ALL: if (!x) acc = 0; else if (j == 0) acc = 1; break;
         case NL_R_ANY: if (x) acc = 1; break;
         default: acc += x; break;
         }
      }
      T out;
      if (op == NL_R_MAX || op == NL_R_MIN) {
         out = best;
         if (ix) ix[nl_cuda_offset(gi, o)] = bi + 1;
      } else if (op == NL_R_MEAN) out = (T)(acc / n);
      else if (op == NL_R_NORM) out = (T)(arg == 0 ? acc : pow(acc, 1 / arg));
      else if (op == NL_R_VAR || op == NL_R_STD) {
         double v = n > 1 || arg ? m2 / (arg ? n : n - 1) : 0;
         out = (T)(op == NL_R_STD ? sqrt(v) : v);
      } else out = (T)acc;
      r[nl_cuda_offset(gr, o)] = out;
   }
}

struct ReduceDim {
   nl_tensor *res; nl_tensor *idx; const nl_tensor *a; int dim, op; double arg;
   template <typename T> int run() {
      int64_t nout = nl_numel(res);
      reduce_dim_kernel<T><<<nl_cuda_blocks(nout, THREADS), THREADS>>>(
         (T *)nl_ptr(res), nl_cuda_geom_of(res), idx ? (int64_t *)nl_ptr(idx) : nullptr,
         idx ? nl_cuda_geom_of(idx) : nl_cuda_geom_of(res), (const T *)nl_ptr(a), nl_cuda_geom_of(a), dim, nout, op, arg);
      NL_CUDA_CHECK("reduction along a dimension", cudaGetLastError());
      return 0;
   }
};
static int cuda_reduce_dim(nl_tensor *res, nl_tensor *idx, const nl_tensor *a, int dim, int op, double arg) {
   return nl_cuda_dispatch(a->_dtype, ReduceDim{res, idx, a, dim, op, arg});
}

extern "C" void nl_cuda_register_math_reduce(nl_backend *b) {
   b->ops.reduce_all = cuda_reduce_all;
   b->ops.reduce_dim = cuda_reduce_dim;
}

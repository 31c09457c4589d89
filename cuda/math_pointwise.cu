// math_pointwise.cu: the CUDA backend's elementwise ops and comparisons,
// mirroring runtime/math_pointwise.c, whose front functions validate the
// arguments and resize the results before the gate sends them here.
// Kernels index strided views through nl_cuda_offset, with a contiguous
// fast path.
#include "cuda_common.h"
#include <math.h>
#include <stdlib.h>


static const int THREADS = 256;

// ------------------------------------------------------------ elementwise

template <typename T> struct IsFloat { static const bool value = false; };
template <> struct IsFloat<float> { static const bool value = true; };
template <> struct IsFloat<double> { static const bool value = true; };

template <typename T> __device__ inline T unary_op(int op, T x, double p1, double p2) {
   const T t1 = (T)p1;
   switch (op) {
   case NL_U_NEG: return -x;
   case NL_U_ABS: return x < 0 ? -x : x;
   case NL_U_SIGN: return (T)((x > 0) - (x < 0));
   case NL_U_ADD: return x + t1;
   case NL_U_MUL: return x * t1;
   case NL_U_DIV: return IsFloat<T>::value ? (T)(x / t1) : (t1 == (T)-1 ? (T)-x : (T)(x / t1));
   case NL_U_EXP: return (T)exp((double)x);
   case NL_U_LOG: return (T)log((double)x);
   case NL_U_LOG1P: return (T)log1p((double)x);
   case NL_U_SQRT: return (T)sqrt((double)x);
   case NL_U_RSQRT: return (T)(1.0 / sqrt((double)x));
   case NL_U_SIN: return (T)sin((double)x);
   case NL_U_COS: return (T)cos((double)x);
   case NL_U_TAN: return (T)tan((double)x);
   case NL_U_ASIN: return (T)asin((double)x);
   case NL_U_ACOS: return (T)acos((double)x);
   case NL_U_ATAN: return (T)atan((double)x);
   case NL_U_SINH: return (T)sinh((double)x);
   case NL_U_COSH: return (T)cosh((double)x);
   case NL_U_TANH: return (T)tanh((double)x);
   case NL_U_SIGMOID: return (T)(1.0 / (1.0 + exp(-(double)x)));
   case NL_U_FLOOR: return (T)floor((double)x);
   case NL_U_CEIL: return (T)ceil((double)x);
   case NL_U_ROUND: return (T)round((double)x);
   case NL_U_TRUNC: return (T)trunc((double)x);
   case NL_U_FRAC: return (T)((double)x - trunc((double)x));
   case NL_U_CINV: return (T)(1.0 / (double)x);
   case NL_U_POW: return (T)pow((double)x, p1);
   case NL_U_RPOW: return (T)pow(p1, (double)x);
   case NL_U_CLAMP: { T lo = (T)p1, hi = (T)p2; return x < lo ? lo : (x > hi ? hi : x); }
   case NL_U_FMOD: return (T)fmod((double)x, p1);
   case NL_U_REMAINDER: return (T)((double)x - p1 * floor((double)x / p1));
   case NL_U_CMAX: return x > t1 ? x : t1;
   case NL_U_CMIN: return x < t1 ? x : t1;
   default: return x;
   }
}

// float math in float: the common training path
template <> __device__ inline float unary_op<float>(int op, float x, double p1, double p2) {
   const float t1 = (float)p1;
   switch (op) {
   case NL_U_NEG: return -x;
   case NL_U_ABS: return fabsf(x);
   case NL_U_ADD: return x + t1;
   case NL_U_MUL: return x * t1;
   case NL_U_DIV: return x / t1;
   case NL_U_EXP: return expf(x);
   case NL_U_LOG: return logf(x);
   case NL_U_SQRT: return sqrtf(x);
   case NL_U_RSQRT: return rsqrtf(x);
   case NL_U_TANH: return tanhf(x);
   case NL_U_SIGMOID: return 1.f / (1.f + expf(-x));
   case NL_U_POW: return p1 == 2 ? x * x : powf(x, t1);
   case NL_U_CLAMP: return fminf(fmaxf(x, t1), (float)p2);
   case NL_U_CMAX: return fmaxf(x, t1);
   case NL_U_CMIN: return fminf(x, t1);
   default: return (float)unary_op<double>(op, (double)x, p1, p2);
   }
}

template <typename T>
__global__ void unary_kernel(T *r, nl_cuda_geom gr, const T *a, nl_cuda_geom ga, int64_t n, int op, double p1, double p2,
                             bool contig) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      if (contig) r[i] = unary_op<T>(op, a[i], p1, p2);
      else r[nl_cuda_offset(gr, i)] = unary_op<T>(op, a[nl_cuda_offset(ga, i)], p1, p2);
   }
}

template <typename T> __device__ inline T binary_op(int op, T x, T y, double alpha) {
   switch (op) {
   case NL_B_ADD: return (T)(x + (T)alpha * y);
   case NL_B_MUL: return x * y;
   case NL_B_DIV: return IsFloat<T>::value ? (T)(x / y) : (y == 0 ? (T)0 : (y == (T)-1 ? (T)-x : (T)(x / y)));
   case NL_B_POW: return (T)pow((double)x, (double)y);
   case NL_B_FMOD: return (T)fmod((double)x, (double)y);
   case NL_B_REMAINDER: return (T)((double)x - (double)y * floor((double)x / (double)y));
   case NL_B_CMAX: return x > y ? x : y;
   case NL_B_CMIN: return x < y ? x : y;
   case NL_B_ATAN2: return (T)atan2((double)x, (double)y);
   case NL_B_LERP: return (T)(x + alpha * (y - x));
   default: return x;
   }
}

template <typename T>
__global__ void binary_kernel(T *r, nl_cuda_geom gr, const T *a, nl_cuda_geom ga, const T *b, nl_cuda_geom gb, int64_t n,
                              int op, double alpha, bool contig) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      if (contig) r[i] = binary_op<T>(op, a[i], b[i], alpha);
      else r[nl_cuda_offset(gr, i)] = binary_op<T>(op, a[nl_cuda_offset(ga, i)], b[nl_cuda_offset(gb, i)], alpha);
   }
}

template <typename T>
__global__ void ternary_kernel(T *r, nl_cuda_geom gr, const T *a, nl_cuda_geom ga, const T *b, nl_cuda_geom gb, const T *c,
                               nl_cuda_geom gc, int64_t n, int op, double v) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      T x = a[nl_cuda_offset(ga, i)], y = b[nl_cuda_offset(gb, i)], z = c[nl_cuda_offset(gc, i)];
      r[nl_cuda_offset(gr, i)] = op == NL_T_ADDCMUL ? (T)(x + (T)v * y * z) : (T)(x + (T)v * y / z);
   }
}

template <typename T, typename R>
__global__ void compare_kernel(R *r, nl_cuda_geom gr, const T *a, nl_cuda_geom ga, const T *b, nl_cuda_geom gb, int64_t n,
                               int op, double v, bool scalar) {
   for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
      T x = a[nl_cuda_offset(ga, i)];
      T y = scalar ? (T)v : b[nl_cuda_offset(gb, i)];
      bool out;
      switch (op) {
      case NL_C_LT: out = x < y; break;
      case NL_C_LE: out = x <= y; break;
      case NL_C_GT: out = x > y; break;
      case NL_C_GE: out = x >= y; break;
      case NL_C_EQ: out = x == y; break;
      default: out = x != y; break;
      }
      r[nl_cuda_offset(gr, i)] = (R)out;
   }
}

static bool all_contig(int n, const nl_tensor *const *ts) {
   for (int i = 0; i < n; i++)
      if (!nl_tensor_is_contiguous(ts[i])) return false;
   return true;
}

struct Unary {
   nl_tensor *res; const nl_tensor *a; int op; double p1, p2;
   template <typename T> int run() {
      int64_t n = nl_numel(a);
      const nl_tensor *ts[2] = {res, a};
      unary_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(a),
                                                             nl_cuda_geom_of(a), n, op, p1, p2, all_contig(2, ts));
      NL_CUDA_CHECK("unary op", cudaGetLastError());
      return 0;
   }
};
static int cuda_unary(nl_tensor *res, const nl_tensor *a, int op, double p1, double p2) {
   return nl_cuda_dispatch(a->_dtype, Unary{res, a, op, p1, p2});
}

struct Binary {
   nl_tensor *res; const nl_tensor *a, *b; int op; double alpha;
   template <typename T> int run() {
      int64_t n = nl_numel(a);
      const nl_tensor *ts[3] = {res, a, b};
      bool contig = all_contig(3, ts) && res->_ndim == a->_ndim && a->_ndim == b->_ndim;
      binary_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(a),
                                                              nl_cuda_geom_of(a), (const T *)nl_ptr(b), nl_cuda_geom_of(b),
                                                              n, op, alpha, contig || all_contig(3, ts));
      NL_CUDA_CHECK("binary op", cudaGetLastError());
      return 0;
   }
};
static int cuda_binary(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double alpha) {
   return nl_cuda_dispatch(a->_dtype, Binary{res, a, b, op, alpha});
}

struct Ternary {
   nl_tensor *res; const nl_tensor *a, *b, *c; int op; double v;
   template <typename T> int run() {
      int64_t n = nl_numel(a);
      ternary_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(a),
                                                               nl_cuda_geom_of(a), (const T *)nl_ptr(b), nl_cuda_geom_of(b),
                                                               (const T *)nl_ptr(c), nl_cuda_geom_of(c), n, op, v);
      NL_CUDA_CHECK("addcmul/addcdiv", cudaGetLastError());
      return 0;
   }
};
static int cuda_ternary(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, const nl_tensor *c, int op, double v) {
   return nl_cuda_dispatch(a->_dtype, Ternary{res, a, b, c, op, v});
}

struct Compare {
   nl_tensor *res; const nl_tensor *a, *b; int op; double v;
   template <typename T> int run() {
      int64_t n = nl_numel(a);
      const nl_tensor *bb = b ? b : a;
      if (res->_dtype == NL_BYTE)
         compare_kernel<T, uint8_t><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
            (uint8_t *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(a), nl_cuda_geom_of(a), (const T *)nl_ptr(bb),
            nl_cuda_geom_of(bb), n, op, v, b == nullptr);
      else
         compare_kernel<T, T><<<nl_cuda_blocks(n, THREADS), THREADS>>>(
            (T *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(a), nl_cuda_geom_of(a), (const T *)nl_ptr(bb),
            nl_cuda_geom_of(bb), n, op, v, b == nullptr);
      NL_CUDA_CHECK("compare", cudaGetLastError());
      return 0;
   }
};
static int cuda_compare(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double v) {
   return nl_cuda_dispatch(a->_dtype, Compare{res, a, b, op, v});
}

extern "C" void nl_cuda_register_math_pointwise(nl_backend *b) {
   b->ops.unary = cuda_unary;
   b->ops.binary = cuda_binary;
   b->ops.ternary = cuda_ternary;
   b->ops.compare = cuda_compare;
}

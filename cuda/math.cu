// math.cu: the CUDA backend's elementwise ops, comparisons, reductions and
// addmm (cuBLAS). Contracts are those of the CPU front functions in
// runtime/math_pointwise.c, math_reduce.c and blas.c, which validate
// arguments and resize results before dispatching here. Kernels index
// strided views through nl_cuda_offset, with a contiguous fast path.
#include "cuda_common.h"
#include <cublas_v2.h>
#include <math.h>
#include <stdlib.h>

#define NL_CUDA_FN extern "C"

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

// ------------------------------------------------------------------ addmm

static cublasHandle_t handle;

static int cublas_error(const char *fn, cublasStatus_t st) {
   return nl_errorf("%s: cuBLAS error %d", fn, (int)st);
}

// How a 2-D view can be handed to cuBLAS: 'N' row-major (contiguous rows),
// 'T' column-major, or 0 (needs a contiguous copy).
static char layout(const nl_tensor *t, int64_t *ld) {
   if (t->_stride[1] == 1 && t->_stride[0] >= (t->_size[1] > 1 ? t->_size[1] : 1)) { *ld = t->_stride[0]; return 'N'; }
   if (t->_stride[0] == 1 && t->_stride[1] >= (t->_size[0] > 1 ? t->_size[0] : 1)) { *ld = t->_stride[1]; return 'T'; }
   return 0;
}

static int cuda_addmm(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a, const nl_tensor *b) {
   const char *fn = "addmm";
   if (res->_dtype != NL_FLOAT && res->_dtype != NL_DOUBLE)
      return nl_errorf("%s: only float and double CUDA tensors are supported, got %s", fn, nl_type_name(res));
   if (!handle && cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS) return nl_errorf("%s: cannot create a cuBLAS handle", fn);
   int64_t n = a->_size[0], k = a->_size[1], p = b->_size[1];
   int64_t size[2] = {n, p};
   // the product goes into a row-major contiguous target
   nl_tensor tgt, ta, tb;
   nl_tensor_init(&tgt, res->_dtype, NL_CUDA);
   nl_tensor_init(&ta, a->_dtype, NL_CUDA);
   nl_tensor_init(&tb, b->_dtype, NL_CUDA);
   int rc = 0;
   bool direct = res->_ndim == 2 && res->_size[0] == n && res->_size[1] == p && nl_tensor_is_contiguous(res);
   if (res->_ndim != 2 || res->_size[0] != n || res->_size[1] != p) {
      if (nl_tensor_resize(res, 2, size)) return -1;
      direct = nl_tensor_is_contiguous(res);
   }
   nl_tensor *out = direct ? res : &tgt;
   if (!direct) rc = nl_tensor_resize(&tgt, 2, size);
   if (!rc && beta != 0 && out != m) rc = nl_copy(out, m);
   int64_t lda, ldb;
   char la = layout(a, &lda), lb = layout(b, &ldb);
   const nl_tensor *A = a, *B = b;
   if (!rc && !la) { rc = nl_tensor_resize_as(&ta, a) || nl_copy(&ta, a); A = &ta; la = 'N'; lda = k; }
   if (!rc && !lb) { rc = nl_tensor_resize_as(&tb, b) || nl_copy(&tb, b); B = &tb; lb = 'N'; ldb = p; }
   if (!rc && n > 0 && p > 0) {
      // row-major C = A B  <=>  column-major C^T = B^T A^T
      cublasOperation_t opB = lb == 'N' ? CUBLAS_OP_N : CUBLAS_OP_T;
      cublasOperation_t opA = la == 'N' ? CUBLAS_OP_N : CUBLAS_OP_T;
      cublasStatus_t st;
      if (res->_dtype == NL_FLOAT) {
         float fa = (float)alpha, fb = (float)(beta == 0 ? 0 : beta);
         st = cublasSgemm(handle, opB, opA, (int)p, (int)n, (int)k, &fa, (const float *)nl_ptr(B), (int)ldb,
                          (const float *)nl_ptr(A), (int)lda, &fb, (float *)nl_ptr(out), (int)p);
      } else {
         double db = beta == 0 ? 0 : beta;
         st = cublasDgemm(handle, opB, opA, (int)p, (int)n, (int)k, &alpha, (const double *)nl_ptr(B), (int)ldb,
                          (const double *)nl_ptr(A), (int)lda, &db, (double *)nl_ptr(out), (int)p);
      }
      if (st != CUBLAS_STATUS_SUCCESS) rc = cublas_error(fn, st);
   }
   if (!rc && !direct) rc = nl_copy(res, &tgt);
   nl_tensor_release(&tgt);
   nl_tensor_release(&ta);
   nl_tensor_release(&tb);
   return rc;
}

extern "C" void nl_cuda_register_math(nl_backend *b) {
   b->ops.unary = cuda_unary;
   b->ops.binary = cuda_binary;
   b->ops.ternary = cuda_ternary;
   b->ops.compare = cuda_compare;
   b->ops.reduce_all = cuda_reduce_all;
   b->ops.reduce_dim = cuda_reduce_dim;
   b->ops.addmm = cuda_addmm;
}

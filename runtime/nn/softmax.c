/* softmax.c: SoftMax and LogSoftMax, forward and backward, numerically
 * stable (max subtracted), over the feature dimension as Torch7's THNN:
 * the only dimension of a 1D input, the second of a 2D (N, C) input, and
 * the channel dimension of (C, H, W) or (N, C, H, W). Rows run in
 * parallel. */
#include "../apply.h"
#include "../backend.h"
#include <math.h>
#include <stdio.h>
#include <omp.h>

/* The geometry as (outer, dim, inner) over a contiguous tensor. */
static int geometry(const char *fn, const nl_tensor *t, int64_t *outer, int64_t *dim, int64_t *inner) {
   char s[NL_SHAPE_BUF];
   switch (t->_ndim) {
   case 1: *outer = 1, *dim = t->_size[0], *inner = 1; return 0;
   case 2: *outer = t->_size[0], *dim = t->_size[1], *inner = 1; return 0;
   case 3: *outer = 1, *dim = t->_size[0], *inner = t->_size[1] * t->_size[2]; return 0;
   case 4: *outer = t->_size[0], *dim = t->_size[1], *inner = t->_size[2] * t->_size[3]; return 0;
   default:
      return nl_errorf("nn.%s: expected a 1D, 2D, 3D or 4D input, got a tensor of size %s", fn,
                       nl_shape_str(s, sizeof s, t));
   }
}

/* exp for float, branch-free so that the loops below vectorise: Cephes'
 * range reduction x = n ln2 + r (ln2 in two parts), a degree-7 polynomial
 * for e^r, 2^n built in the exponent bits. Within 2 ulp of expf on
 * [-87.3, 88.7]; inputs below clamp to e^-87.3 (1.2e-38), which a softmax
 * row sum cannot notice. The double kernels use libm's exp. */
static inline float fast_expf(float x) {
   x = x < -87.3f ? -87.3f : (x > 88.7f ? 88.7f : x);
   const float big = 12582912.0f;   /* 1.5 * 2^23: adding it rounds to an integer */
   float n = (x * 1.44269504088896341f + big) - big;
   float r = x - n * 0.693359375f;
   r = r - n * -2.12194440e-4f;
   float z = r * r;
   float p = 1.9875691500E-4f;
   p = p * r + 1.3981999507E-3f;
   p = p * r + 8.3334519073E-3f;
   p = p * r + 4.1665795894E-2f;
   p = p * r + 1.6666665459E-1f;
   p = p * r + 5.0000001201E-1f;
   p = p * z + r + 1.0f;
   union { int32_t i; float f; } e = {.i = ((int32_t)n + 127) << 23};
   return p * e.f;
}

/* One row along `dim` with stride st: the max, the sum of exp(x - max) in
 * double, then the outputs. The reductions are `omp simd` loops (vector
 * partial sums, in a fixed order for a given build). Inlined with st = 1
 * for the common contiguous rows, so that they vectorise. */
#define SOFTMAX_ROWS(T, EXP, LOG) \
   static inline __attribute__((always_inline)) void fwd_row_##T(T *y, const T *x, int64_t dim, int64_t st, \
                                                                 int is_log) { \
      T mx = x[0]; \
      _Pragma("omp simd reduction(max:mx)") \
      for (int64_t d = 1; d < dim; d++) mx = x[d * st] > mx ? x[d * st] : mx; \
      double sum = 0; \
      if (is_log) { \
         _Pragma("omp simd reduction(+:sum)") \
         for (int64_t d = 0; d < dim; d++) sum += EXP(x[d * st] - mx); \
         double lse = mx + LOG(sum);  /* x - lse in double, as Torch7's accreal */ \
         for (int64_t d = 0; d < dim; d++) y[d * st] = (T)(x[d * st] - lse); \
      } else { \
         _Pragma("omp simd reduction(+:sum)") \
         for (int64_t d = 0; d < dim; d++) { T e = EXP(x[d * st] - mx); y[d * st] = e; sum += e; } \
         T inv = (T)(1 / sum); \
         for (int64_t d = 0; d < dim; d++) y[d * st] *= inv; \
      } \
   } \
   static inline __attribute__((always_inline)) void bwd_row_##T(T *r, const T *g, const T *y, int64_t dim, \
                                                                 int64_t st, int is_log) { \
      double acc = 0; \
      if (is_log) { \
         _Pragma("omp simd reduction(+:acc)") \
         for (int64_t d = 0; d < dim; d++) acc += g[d * st]; \
         T a = (T)acc; \
         for (int64_t d = 0; d < dim; d++) r[d * st] = g[d * st] - EXP(y[d * st]) * a; \
      } else { \
         _Pragma("omp simd reduction(+:acc)") \
         for (int64_t d = 0; d < dim; d++) acc += g[d * st] * y[d * st]; \
         T a = (T)acc; \
         for (int64_t d = 0; d < dim; d++) r[d * st] = y[d * st] * (g[d * st] - a); \
      } \
   } \
   static void fwd_##T(T *out, const T *in, int64_t outer, int64_t dim, int64_t inner, int is_log) { \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(o, outer * inner, outer * inner > 1 && outer * inner * dim >= NL_OMP_MIN && nth > 1, \
         int64_t base = (o / inner) * dim * inner + o % inner; \
         if (inner == 1) fwd_row_##T(out + base, in + base, dim, 1, is_log); \
         else fwd_row_##T(out + base, in + base, dim, inner, is_log);); \
   } \
   static void bwd_##T(T *gi, const T *go, const T *out, int64_t outer, int64_t dim, int64_t inner, int is_log) { \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(o, outer * inner, outer * inner > 1 && outer * inner * dim >= NL_OMP_MIN && nth > 1, \
         int64_t base = (o / inner) * dim * inner + o % inner; \
         if (inner == 1) bwd_row_##T(gi + base, go + base, out + base, dim, 1, is_log); \
         else bwd_row_##T(gi + base, go + base, out + base, dim, inner, is_log);); \
   }

SOFTMAX_ROWS(float, fast_expf, log)
SOFTMAX_ROWS(double, exp, log)

static int check(const char *fn, const nl_tensor *t) {
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("nn.%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(t));
   return 0;
}

/* The device table for t (not on the CPU) with the entry wanted, or
 * NULL with the message set. */
static const nl_backend *device_table(const char *fn, const nl_tensor *t, int backward) {
   char what[64];
   const nl_backend *b = NULL;
   snprintf(what, sizeof what, "nn.%s", fn);
   return nl_gate(&b, what, backward ? NL_OP_softmax_backward : NL_OP_softmax_forward, 1, &t) == 1 ? b : NULL;
}

/* A contiguous version of t: t itself or a copy in tmp. */
static const nl_tensor *contiguous(const nl_tensor *t, nl_tensor *tmp, int *rc) {
   nl_tensor_init(tmp, t->_dtype, t->_device);
   *rc = 0;
   if (nl_tensor_is_contiguous(t)) return t;
   *rc = nl_tensor_resize_as(tmp, t) || nl_copy(tmp, t);
   return tmp;
}

NL_API int nl_softmax_forward(nl_tensor *output, const nl_tensor *input, int log) {
   const char *fn = log ? "LogSoftMax" : "SoftMax";
   int64_t outer = 0, dim = 0, inner = 0;
   if (check(fn, input) || nl_check_same_dtype(fn, output, input) || geometry(fn, input, &outer, &dim, &inner)) return -1;
   if (output == input) return nl_errorf("nn.%s: output and input must differ", fn);
   const nl_backend *nb = NULL;
   if (input->_device != NL_CPU && !(nb = device_table(fn, input, 0))) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = contiguous(input, &tmp, &rc);
   if (!rc) rc = nl_tensor_resize_as(output, input);
   if (!rc && !nl_tensor_is_contiguous(output)) rc = nl_errorf("nn.%s: the output must be contiguous", fn);
   if (!rc && nl_numel(input) > 0 && nb) rc = nb->ops.softmax_forward(output, in, log);
   else if (!rc && nl_numel(input) > 0) {
      if (input->_dtype == NL_FLOAT) fwd_float(nl_ptr(output), nl_ptr(in), outer, dim, inner, log);
      else fwd_double(nl_ptr(output), nl_ptr(in), outer, dim, inner, log);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_softmax_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *output, int log) {
   const char *fn = log ? "LogSoftMax" : "SoftMax";
   int64_t outer = 0, dim = 0, inner = 0;
   if (check(fn, output) || nl_check_same_dtype(fn, gradOutput, output) || nl_check_same_dtype(fn, gradInput, output) ||
       geometry(fn, output, &outer, &dim, &inner))
      return -1;
   if (nl_numel(gradOutput) != nl_numel(output)) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("nn.%s: gradOutput has size %s, expected %s", fn, nl_shape_str(a, sizeof a, gradOutput),
                       nl_shape_str(b, sizeof b, output));
   }
   const nl_backend *nb = NULL;
   if (output->_device != NL_CPU && !(nb = device_table(fn, output, 1))) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = contiguous(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_tensor_resize_as(gradInput, output);
   if (!rc && (!nl_tensor_is_contiguous(gradInput) || !nl_tensor_is_contiguous(output)))
      rc = nl_errorf("nn.%s: gradInput and output must be contiguous", fn);
   if (!rc && nl_numel(output) > 0 && nb) rc = nb->ops.softmax_backward(gradInput, go, output, log);
   else if (!rc && nl_numel(output) > 0) {
      if (output->_dtype == NL_FLOAT) bwd_float(nl_ptr(gradInput), nl_ptr(go), nl_ptr(output), outer, dim, inner, log);
      else bwd_double(nl_ptr(gradInput), nl_ptr(go), nl_ptr(output), outer, dim, inner, log);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* softmax.c: SoftMax and LogSoftMax, forward and backward, numerically
 * stable (max subtracted), over the feature dimension as Torch7's THNN:
 * the only dimension of a 1D input, the second of a 2D (N, C) input, and
 * the channel dimension of (C, H, W) or (N, C, H, W). Rows run in
 * parallel. */
#include "../apply.h"
#include <math.h>
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

#define SOFTMAX_FWD(T, EXP, LOG) \
   static void fwd_##T(T *out, const T *in, int64_t outer, int64_t dim, int64_t inner, int is_log) { \
      int nth = nl_threads(); \
      _Pragma("omp parallel for if (outer * inner * dim >= NL_OMP_MIN && nth > 1) num_threads(nth)") \
      for (int64_t o = 0; o < outer * inner; o++) { \
         int64_t base = (o / inner) * dim * inner + o % inner; \
         const T *x = in + base; \
         T *y = out + base; \
         T mx = x[0]; \
         for (int64_t d = 1; d < dim; d++) if (x[d * inner] > mx) mx = x[d * inner]; \
         double sum = 0; \
         for (int64_t d = 0; d < dim; d++) { T e = EXP(x[d * inner] - mx); sum += e; if (!is_log) y[d * inner] = e; } \
         if (is_log) { \
            T lse = mx + (T)LOG(sum); \
            for (int64_t d = 0; d < dim; d++) y[d * inner] = x[d * inner] - lse; \
         } else { \
            T inv = (T)(1 / sum); \
            for (int64_t d = 0; d < dim; d++) y[d * inner] *= inv; \
         } \
      } \
   }

#define SOFTMAX_BWD(T, EXP) \
   static void bwd_##T(T *gi, const T *go, const T *out, int64_t outer, int64_t dim, int64_t inner, int is_log) { \
      int nth = nl_threads(); \
      _Pragma("omp parallel for if (outer * inner * dim >= NL_OMP_MIN && nth > 1) num_threads(nth)") \
      for (int64_t o = 0; o < outer * inner; o++) { \
         int64_t base = (o / inner) * dim * inner + o % inner; \
         const T *g = go + base, *y = out + base; \
         T *r = gi + base; \
         double acc = 0; \
         if (is_log) { \
            for (int64_t d = 0; d < dim; d++) acc += g[d * inner]; \
            for (int64_t d = 0; d < dim; d++) r[d * inner] = g[d * inner] - EXP(y[d * inner]) * (T)acc; \
         } else { \
            for (int64_t d = 0; d < dim; d++) acc += g[d * inner] * y[d * inner]; \
            for (int64_t d = 0; d < dim; d++) r[d * inner] = y[d * inner] * (g[d * inner] - (T)acc); \
         } \
      } \
   }

SOFTMAX_FWD(float, expf, log)
SOFTMAX_FWD(double, exp, log)
SOFTMAX_BWD(float, expf)
SOFTMAX_BWD(double, exp)

static int check(const char *fn, const nl_tensor *t) {
   if (t->_device != NL_CPU) return nl_errorf("nn.%s: CUDA tensors are not supported by this module yet", fn);
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("nn.%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(t));
   return 0;
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
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = contiguous(input, &tmp, &rc);
   if (!rc) rc = nl_tensor_resize_as(output, input);
   if (!rc && !nl_tensor_is_contiguous(output)) rc = nl_errorf("nn.%s: the output must be contiguous", fn);
   if (!rc && nl_numel(input) > 0) {
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
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = contiguous(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_tensor_resize_as(gradInput, output);
   if (!rc && (!nl_tensor_is_contiguous(gradInput) || !nl_tensor_is_contiguous(output)))
      rc = nl_errorf("nn.%s: gradInput and output must be contiguous", fn);
   if (!rc && nl_numel(output) > 0) {
      if (output->_dtype == NL_FLOAT) bwd_float(nl_ptr(gradInput), nl_ptr(go), nl_ptr(output), outer, dim, inner, log);
      else bwd_double(nl_ptr(gradInput), nl_ptr(go), nl_ptr(output), outer, dim, inner, log);
   }
   nl_tensor_release(&tmp);
   return rc;
}

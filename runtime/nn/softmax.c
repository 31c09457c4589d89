/* softmax.c: SoftMax and LogSoftMax, forward and backward, numerically
 * stable (max subtracted), over the feature dimension as Torch7's THNN:
 * the only dimension of a 1D input, the second of a 2D (N, C) input, and
 * the channel dimension of (C, H, W) or (N, C, H, W). Rows run in
 * parallel. */
#include "../apply.h"
#include "../backend.h"
#include "nn_common.h"
#include <math.h>

/* the kernels' arguments: out, in (and y for backward) contiguous over
 * the (outer, dim, inner) geometry */
struct smctx { void *out; const void *in, *y; int64_t dim, inner; int is_log; };

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

#define NL_IMPL "nn/softmax_impl.h"
#include "dtype_each_float.h"

static const nl_range_fn fwd_ranges[NL_NUM_DTYPES] = {[NL_FLOAT] = fwd_range_Float, [NL_DOUBLE] = fwd_range_Double};
static const nl_range_fn bwd_ranges[NL_NUM_DTYPES] = {[NL_FLOAT] = bwd_range_Float, [NL_DOUBLE] = bwd_range_Double};

static int check(const char *fn, const nl_tensor *t) {
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("nn.%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(t));
   return 0;
}

NL_API int nl_softmax_forward(nl_tensor *output, const nl_tensor *input, int log) {
   const char *fn = log ? "LogSoftMax" : "SoftMax";
   int64_t outer = 0, dim = 0, inner = 0;
   if (check(fn, input) || nl_check_same_dtype(fn, output, input) || geometry(fn, input, &outer, &dim, &inner)) return -1;
   if (output == input) return nl_errorf("nn.%s: output and input must differ", fn);
   const nl_backend *b = NULL;
   const nl_tensor *ts[2] = {output, input};
   int dev = nl_gate(&b, log ? "nn.LogSoftMax" : "nn.SoftMax", NL_OP_softmax_forward, 2, ts);
   if (dev < 0) return -1;
   /* the backend gets the contiguous input too (its kernels assume it) */
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = nl_tensor_resize_as(output, input);
   if (!rc && !nl_tensor_is_contiguous(output)) rc = nl_errorf("nn.%s: the output must be contiguous", fn);
   if (!rc && dev) rc = b->ops.softmax_forward(output, in, log);
   else if (!rc && nl_numel(input) > 0) {
      struct smctx c = {nl_ptr(output), nl_ptr(in), NULL, dim, inner, log};
      nl_parallel_for(outer * inner, outer * inner * dim, fwd_ranges[input->_dtype], &c);
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
   const nl_backend *b = NULL;
   const nl_tensor *ts[3] = {gradInput, gradOutput, output};
   int dev = nl_gate(&b, log ? "nn.LogSoftMax" : "nn.SoftMax", NL_OP_softmax_backward, 3, ts);
   if (dev < 0) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_tensor_resize_as(gradInput, output);
   if (!rc && (!nl_tensor_is_contiguous(gradInput) || !nl_tensor_is_contiguous(output)))
      rc = nl_errorf("nn.%s: gradInput and output must be contiguous", fn);
   if (!rc && dev) rc = b->ops.softmax_backward(gradInput, go, output, log);
   else if (!rc && nl_numel(output) > 0) {
      struct smctx c = {nl_ptr(gradInput), nl_ptr(go), nl_ptr(output), dim, inner, log};
      nl_parallel_for(outer * inner, outer * inner * dim, bwd_ranges[output->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

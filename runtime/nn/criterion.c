/* criterion.c: ClassNLLCriterion and the elementwise criterions (MSE,
 * Abs, SmoothL1, BCE, DistKLDiv, SoftMargin), forward (the loss, summed
 * in double) and backward, with Torch7's THNN semantics: sizeAverage
 * divides by the element count, or for ClassNLL by the total weight of
 * the counted targets. The elementwise kernels are in criterion_impl.h.
 * Tensors on another device go through the device gate (backend.h);
 * ClassNLL's targets may then be on that device or be a CPU LongTensor,
 * copied there. */
#include "../apply.h"
#include "../backend.h"
#include "nn_common.h"
#include "criterion_targets.h"
#include <math.h>
#include <stdlib.h>

static int check_input(const char *fn, const nl_tensor *t) {
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("nn.%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(t));
   return 0;
}

/* The element offset of (r, c) in a 1D (r ignored) or 2D view. */
static inline int64_t off2(const nl_tensor *t, int64_t r, int64_t c) {
   return t->_ndim == 1 ? c * t->_stride[0] : r * t->_stride[0] + c * t->_stride[1];
}

static inline int64_t target_at(const nl_tensor *t, int64_t i) {
   return ((const int64_t *)nl_ptr(t))[t->_ndim ? i * t->_stride[t->_ndim - 1] : 0];
}

static int bad_target(const char *fn, int64_t t, int64_t c) {
   return nl_errorf("nn.%s: target %lld is out of range for %lld classes (targets are 1..%lld)", fn, (long long)t,
                    (long long)c, (long long)c);
}

/* the elementwise criterions' row context */
struct cctx { int op, has_w; double sum; double norm; };

#define NL_IMPL "nn/criterion_impl.h"
#include "dtype_each_float.h"

typedef int (*nll_fwd_fn)(const char *fn, double *sum, double *tw, const nl_tensor *input, const nl_tensor *target,
                          const nl_tensor *weights, int64_t n, int64_t c, int64_t ignore_index);
typedef int (*nll_bwd_fn)(const char *fn, nl_tensor *gradInput, const nl_tensor *target, const nl_tensor *weights,
                          int64_t n, int64_t c, int64_t ignore_index, double norm);
static const nll_fwd_fn nll_fwd[NL_NUM_DTYPES] = {[NL_FLOAT] = nll_fwd_Float, [NL_DOUBLE] = nll_fwd_Double};
static const nll_bwd_fn nll_bwd[NL_NUM_DTYPES] = {[NL_FLOAT] = nll_bwd_Float, [NL_DOUBLE] = nll_bwd_Double};
static const nl_row_fn loss_rows[NL_NUM_DTYPES] = {[NL_FLOAT] = loss_row_Float, [NL_DOUBLE] = loss_row_Double};
static const nl_row_fn grad_rows[NL_NUM_DTYPES] = {[NL_FLOAT] = grad_row_Float, [NL_DOUBLE] = grad_row_Double};

static int nll_geometry(const char *fn, const nl_tensor *input, const nl_tensor *target, const nl_tensor *weights,
                        int64_t *n, int64_t *c) {
   char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
   if (check_input(fn, input)) return -1;
   if (input->_ndim != 1 && input->_ndim != 2)
      return nl_errorf("nn.%s: expected a 1D (classes) or 2D (batch x classes) input, got %s", fn,
                       nl_shape_str(a, sizeof a, input));
   *n = input->_ndim == 2 ? input->_size[0] : 1;
   *c = input->_size[input->_ndim - 1];
   if (target->_dtype != NL_LONG || (target->_device != NL_CPU && target->_device != input->_device))
      return nl_errorf("nn.%s: targets must be a LongTensor, got %s", fn, nl_type_name(target));
   if (nl_numel(target) != *n)
      return nl_errorf("nn.%s: %lld targets for an input of size %s (expected %lld)", fn, (long long)nl_numel(target),
                       nl_shape_str(b, sizeof b, input), (long long)*n);
   if (weights && (weights->_dtype != input->_dtype || weights->_device != input->_device || nl_numel(weights) != *c))
      return nl_errorf("nn.%s: weights must be a %s of %lld elements", fn, nl_type_name(input), (long long)*c);
   return 0;
}

NL_API int nl_classnll_forward(double *loss, double *total_weight, const nl_tensor *input, const nl_tensor *target,
                               const nl_tensor *weights, int size_average, int64_t ignore_index) {
   const char *fn = "ClassNLLCriterion";
   int64_t n = 0, c = 0;
   if (nll_geometry(fn, input, target, weights, &n, &c)) return -1;
   if (target->_ndim > 1) return nl_errorf("nn.%s: targets must be a 1D LongTensor", fn);
   const nl_backend *b = NULL;
   const nl_tensor *ts[2] = {input, weights}, *tt;
   nl_tensor tmp;
   int dev = nl_gate_targets(&b, "nn.ClassNLLCriterion", NL_OP_classnll_forward, 2, ts, input, target, &tmp, &tt);
   if (dev) {
      int rc = dev < 0 ? -1 : b->ops.classnll_forward(loss, total_weight, input, tt, weights, size_average, ignore_index);
      nl_tensor_release(&tmp);
      return rc;
   }
   double sum = 0, tw = 0;
   if (nll_fwd[input->_dtype](fn, &sum, &tw, input, target, weights, n, c, ignore_index)) return -1;
   if (size_average && tw != 0) sum /= tw;
   *loss = sum;
   *total_weight = tw;
   return 0;
}

NL_API int nl_classnll_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                const nl_tensor *weights, int size_average, int64_t ignore_index, double total_weight) {
   const char *fn = "ClassNLLCriterion";
   int64_t n = 0, c = 0;
   if (nll_geometry(fn, input, target, weights, &n, &c) || nl_check_same_dtype(fn, gradInput, input)) return -1;
   if (nl_tensor_resize_as(gradInput, input)) return -1;
   const nl_backend *b = NULL;
   const nl_tensor *ts[3] = {gradInput, input, weights}, *tt;
   nl_tensor tmp;
   int dev = nl_gate_targets(&b, "nn.ClassNLLCriterion", NL_OP_classnll_backward, 3, ts, input, target, &tmp, &tt);
   if (dev) {
      /* the backend's kernel writes the target classes of a zeroed gradInput */
      int rc = dev < 0 || nl_zero(gradInput) ? -1 : 0;
      if (!rc && !(size_average && total_weight == 0))
         rc = b->ops.classnll_backward(gradInput, input, tt, weights, size_average, ignore_index, total_weight);
      nl_tensor_release(&tmp);
      return rc;
   }
   if (nl_zero(gradInput)) return -1;
   if (size_average && total_weight == 0) return 0;
   double norm = size_average ? 1 / total_weight : 1;
   return nll_bwd[input->_dtype](fn, gradInput, target, weights, n, c, ignore_index, norm);
}

/* ---------------------------------------------- elementwise criterions */

/* the module names errors give; crit_names[op] + 3 drops the "nn." */
static const char *crit_names[NL_CRIT_COUNT] = {"nn.MSECriterion", "nn.AbsCriterion", "nn.SmoothL1Criterion",
                                                "nn.BCECriterion", "nn.DistKLDivCriterion", "nn.SoftMarginCriterion"};

static int crit_check(const char *fn, const nl_tensor *input, const nl_tensor *target, const nl_tensor *weights) {
   if (check_input(fn, input)) return -1;
   if (target->_dtype != input->_dtype || target->_device != input->_device)
      return nl_errorf("nn.%s: target is a %s, input a %s", fn, nl_type_name(target), nl_type_name(input));
   if (nl_numel(target) != nl_numel(input)) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("nn.%s: input (%s) and target (%s) must have the same number of elements", fn,
                       nl_shape_str(a, sizeof a, input), nl_shape_str(b, sizeof b, target));
   }
   if (weights && (weights->_dtype != input->_dtype || weights->_device != input->_device ||
                   nl_numel(weights) != nl_numel(input)))
      return nl_errorf("nn.%s: weights must be a %s with the input's size", fn, nl_type_name(input));
   return 0;
}

NL_API int nl_pointwise_criterion_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                                          const nl_tensor *weights, int op, int size_average) {
   if (op < 0 || op >= NL_CRIT_COUNT) return nl_errorf("nl_pointwise_criterion_forward: unknown op %d", op);
   const char *fn = crit_names[op] + 3;
   if (crit_check(fn, input, target, weights)) return -1;
   NL_DEVICE_CALL(crit_names[op], pointwise_criterion_forward, (input, target, weights), loss, input, target, weights,
                  op, size_average);
   struct cctx c = {op, weights != NULL, 0, 1};
   int64_t n = nl_numel(input);
   if (n > 0) {
      nl_iter it;
      const nl_tensor *ts[3] = {input, target, weights ? weights : input};
      if (nl_iter_init(fn, &it, 3, ts)) return -1;
      /* partial sums over fixed blocks, added in block order: the loss
       * does not depend on the thread count or the schedule */
      enum { BLOCK = 1 << 15, STACK_BLOCKS = 8 };
      int64_t nb = (it.n + BLOCK - 1) / BLOCK;
      struct cctx local[STACK_BLOCKS];
      struct cctx *parts = nb <= STACK_BLOCKS ? local : malloc((size_t)nb * sizeof *parts);
      if (!parts) return nl_errorf("%s: out of memory", fn);
      for (int64_t b = 0; b < nb; b++) parts[b] = c;
      nl_iter_run_blocks(&it, loss_rows[input->_dtype], parts, sizeof *parts, BLOCK);
      for (int64_t b = 0; b < nb; b++) c.sum += parts[b].sum;
      if (parts != local) free(parts);
   }
   if (size_average && n > 0) c.sum /= n;
   *loss = c.sum;
   return 0;
}

NL_API int nl_pointwise_criterion_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                           const nl_tensor *weights, int op, int size_average) {
   if (op < 0 || op >= NL_CRIT_COUNT) return nl_errorf("nl_pointwise_criterion_backward: unknown op %d", op);
   const char *fn = crit_names[op] + 3;
   if (crit_check(fn, input, target, weights) || nl_check_same_dtype(fn, gradInput, input)) return -1;
   if (nl_tensor_resize_as(gradInput, input)) return -1;
   NL_DEVICE_CALL(crit_names[op], pointwise_criterion_backward, (gradInput, input, target, weights), gradInput, input,
                  target, weights, op, size_average);
   int64_t n = nl_numel(input);
   struct cctx c = {op, weights != NULL, 0, size_average && n > 0 ? 1.0 / n : 1.0};
   if (n > 0) {
      nl_iter it;
      const nl_tensor *ts[4] = {gradInput, input, target, weights ? weights : input};
      if (nl_iter_init(fn, &it, 4, ts)) return -1;
      nl_iter_run(&it, grad_rows[input->_dtype], &c);
   }
   return 0;
}

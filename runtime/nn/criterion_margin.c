/* criterion_margin.c: the margin and embedding criterions over rows of a
 * 1D (C) or 2D (N, C) input: MultiMargin, MultiLabelMargin,
 * MultiLabelSoftMargin, CosineEmbedding, and L1HingeEmbedding over a pair
 * of tensors. Losses are summed in double; formulas, normalisations and
 * the order of operations follow Torch7 (THNN for the first two, nn's Lua
 * for the others), so double results agree with Torch7's to rounding.
 * Every entry point goes through the device gate (backend.h) before it
 * reads an element, targets included. */
#include "../apply.h"
#include "../backend.h"
#include "nn_common.h"
#include "criterion_targets.h"
#include <math.h>
#include <stdint.h>

static int check_float(const char *fn, const char *what, const nl_tensor *t) {
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("nn.%s: expected a FloatTensor or DoubleTensor %s, got %s", fn, what, nl_type_name(t));
   return 0;
}

/* Element (r, c) of a 1D (r ignored) or 2D view, as an element offset. */
static inline int64_t off2(const nl_tensor *t, int64_t r, int64_t c) {
   return t->_ndim == 1 ? c * t->_stride[0] : r * t->_stride[0] + c * t->_stride[1];
}

/* one element of a float or double tensor (the validators read targets) */
static inline double rd(const nl_tensor *t, int64_t off) {
   return t->_dtype == NL_FLOAT ? ((const float *)nl_ptr(t))[off] : ((const double *)nl_ptr(t))[off];
}


static inline int64_t lrd(const nl_tensor *t, int64_t off) { return ((const int64_t *)nl_ptr(t))[off]; }

/* The kernels' arguments (criterion_margin_impl.h): the loss box, the
 * tensors written (gradInputs, is_target), those read (input or x1,
 * targets or x2, weights or y), and the call's scalars; n rows of c. */
struct margs {
   double *loss;
   nl_tensor *g1, *g2;
   const nl_tensor *x1, *x2, *w;
   int p;
   double margin;
   int size_average;
   int64_t n, c;
};
typedef void (*mkernel)(const struct margs *a);

/* element off of t, a tensor of the kernel's type T */
#define RD(t, off) ((double)((const T *)nl_ptr(t))[off])
#define WR(t, off, v) (((T *)nl_ptr(t))[off] = (T)(v))

struct cosrow { double dot, w22, w32, w, cos; };
struct l1ctx { double sum; };

#define NL_IMPL "nn/criterion_margin_impl.h"
#include "dtype_each_float.h"

static const nl_row_fn l1dist_rows[NL_NUM_DTYPES] = {[NL_FLOAT] = l1dist_row_Float, [NL_DOUBLE] = l1dist_row_Double};
static const nl_row_fn l1sign_rows[NL_NUM_DTYPES] = {[NL_FLOAT] = l1sign_row_Float, [NL_DOUBLE] = l1sign_row_Double};

static const mkernel mm_fwds[NL_NUM_DTYPES] = {[NL_FLOAT] = mm_fwd_Float, [NL_DOUBLE] = mm_fwd_Double};
static const mkernel mm_bwds[NL_NUM_DTYPES] = {[NL_FLOAT] = mm_bwd_Float, [NL_DOUBLE] = mm_bwd_Double};
static const mkernel mlm_fwds[NL_NUM_DTYPES] = {[NL_FLOAT] = mlm_fwd_Float, [NL_DOUBLE] = mlm_fwd_Double};
static const mkernel mlm_bwds[NL_NUM_DTYPES] = {[NL_FLOAT] = mlm_bwd_Float, [NL_DOUBLE] = mlm_bwd_Double};
static const mkernel mlsm_fwds[NL_NUM_DTYPES] = {[NL_FLOAT] = mlsm_fwd_Float, [NL_DOUBLE] = mlsm_fwd_Double};
static const mkernel mlsm_bwds[NL_NUM_DTYPES] = {[NL_FLOAT] = mlsm_bwd_Float, [NL_DOUBLE] = mlsm_bwd_Double};
static const mkernel cos_fwds[NL_NUM_DTYPES] = {[NL_FLOAT] = cos_fwd_Float, [NL_DOUBLE] = cos_fwd_Double};
static const mkernel cos_bwds[NL_NUM_DTYPES] = {[NL_FLOAT] = cos_bwd_Float, [NL_DOUBLE] = cos_bwd_Double};


/* input (C) or (N, C), not empty: *n rows of *c. */
static int rows(const char *fn, const nl_tensor *input, int64_t *n, int64_t *c) {
   char a[NL_SHAPE_BUF];
   if (check_float(fn, "input", input)) return -1;
   if ((input->_ndim != 1 && input->_ndim != 2) || nl_numel(input) == 0)
      return nl_errorf("nn.%s: expected a non-empty 1D (classes) or 2D (batch x classes) input, got %s", fn,
                       nl_shape_str(a, sizeof a, input));
   *n = input->_ndim == 2 ? input->_size[0] : 1;
   *c = input->_size[input->_ndim - 1];
   return 0;
}

static int same_shape(const char *fn, const char *what, const nl_tensor *t, const nl_tensor *input) {
   int same = t->_ndim == input->_ndim;
   for (int d = 0; same && d < t->_ndim; d++) same = t->_size[d] == input->_size[d];
   if (!same) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("nn.%s: %s has size %s, expected the input's size %s", fn, what, nl_shape_str(a, sizeof a, t),
                       nl_shape_str(b, sizeof b, input));
   }
   return 0;
}

static int check_weights(const char *fn, const nl_tensor *weights, const nl_tensor *input, int64_t c) {
   if (!weights) return 0;
   if (weights->_dtype != input->_dtype || weights->_device != input->_device || weights->_ndim != 1 ||
       weights->_size[0] != c)
      return nl_errorf("nn.%s: weights must be a 1D %s of %lld elements (one per class), got %s of %lld", fn,
                       nl_type_name(input), (long long)c, nl_type_name(weights), (long long)nl_numel(weights));
   return 0;
}

static int prepare_grad(const char *fn, nl_tensor *gradInput, const nl_tensor *input) {
   if (nl_check_same_dtype(fn, gradInput, input)) return -1;
   return nl_tensor_resize_as(gradInput, input);
}

/* ------------------------------------------------------- MultiMargin */

static int mm_check(const char *fn, const nl_tensor *input, const nl_tensor *target, const nl_tensor *weights, int p,
                    int64_t *n, int64_t *c) {
   if (rows(fn, input, n, c)) return -1;
   if (p != 1 && p != 2) return nl_errorf("nn.%s: only p = 1 and p = 2 are supported, got %d", fn, p);
   if (target->_dtype != NL_LONG || (target->_device != NL_CPU && target->_device != input->_device) ||
       target->_ndim != 1)
      return nl_errorf("nn.%s: targets must be a 1D LongTensor, got %s", fn, nl_type_name(target));
   if (target->_size[0] != *n) {
      char a[NL_SHAPE_BUF];
      return nl_errorf("nn.%s: %lld targets for an input of size %s (expected %lld)", fn,
                       (long long)target->_size[0], nl_shape_str(a, sizeof a, input), (long long)*n);
   }
   return check_weights(fn, weights, input, *c);
}

/* every target in 1..c (element data: read after the gate) */
static int mm_targets(const char *fn, const nl_tensor *target, int64_t n, int64_t c) {
   for (int64_t i = 0; i < n; i++) {
      int64_t t = lrd(target, i * target->_stride[0]);
      if (t < 1 || t > c)
         return nl_errorf("nn.%s: target %lld is out of range for %lld classes (targets are 1..%lld)", fn,
                          (long long)t, (long long)c, (long long)c);
   }
   return 0;
}

NL_API int nl_multimargin_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                                  const nl_tensor *weights, int p, double margin, int size_average) {
   const char *name = "nn.MultiMarginCriterion", *fn = name + 3;
   int64_t n, c;
   if (mm_check(fn, input, target, weights, p, &n, &c)) return -1;
   const nl_backend *b = NULL;
   const nl_tensor *ts[2] = {input, weights}, *tt;
   nl_tensor tmp;
   int dev = nl_gate_targets(&b, name, NL_OP_multimargin_forward, 2, ts, input, target, &tmp, &tt);
   if (dev) {
      int rc = dev < 0 ? -1 : b->ops.multimargin_forward(loss, input, tt, weights, p, margin, size_average);
      nl_tensor_release(&tmp);
      return rc;
   }
   if (mm_targets(fn, target, n, c)) return -1;
   struct margs a = {loss, NULL, NULL, input, target, weights, p, margin, size_average, n, c};
   mm_fwds[input->_dtype](&a);
   return 0;
}

NL_API int nl_multimargin_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                   const nl_tensor *weights, int p, double margin, int size_average) {
   const char *name = "nn.MultiMarginCriterion", *fn = name + 3;
   int64_t n, c;
   if (mm_check(fn, input, target, weights, p, &n, &c) || prepare_grad(fn, gradInput, input)) return -1;
   const nl_backend *b = NULL;
   const nl_tensor *ts[3] = {gradInput, input, weights}, *tt;
   nl_tensor tmp;
   int dev = nl_gate_targets(&b, name, NL_OP_multimargin_backward, 3, ts, input, target, &tmp, &tt);
   if (dev) {
      int rc = dev < 0 ? -1 : b->ops.multimargin_backward(gradInput, input, tt, weights, p, margin, size_average);
      nl_tensor_release(&tmp);
      return rc;
   }
   if (mm_targets(fn, target, n, c)) return -1;
   struct margs a = {NULL, gradInput, NULL, input, target, weights, p, margin, size_average, n, c};
   mm_bwds[input->_dtype](&a);
   return 0;
}

/* -------------------------------------------------- MultiLabelMargin */


static int mlm_check(const char *fn, nl_tensor *is_target, const nl_tensor *input, const nl_tensor *target,
                     int64_t *n, int64_t *c) {
   if (rows(fn, input, n, c)) return -1;
   if (target->_dtype != NL_LONG || (target->_device != NL_CPU && target->_device != input->_device))
      return nl_errorf("nn.%s: targets must be a LongTensor, got %s", fn, nl_type_name(target));
   if (same_shape(fn, "target", target, input)) return -1;
   if (nl_check_same_dtype(fn, is_target, input)) return -1;
   return nl_tensor_resize_as(is_target, input);
}

/* each row's targets in 1..c until the first value < 1 (element data:
 * read after the gate) */
static int mlm_targets(const char *fn, const nl_tensor *target, int64_t n, int64_t c) {
   for (int64_t i = 0; i < n; i++)
      for (int64_t k = 0; k < c; k++) {
         int64_t t = lrd(target, off2(target, i, k));
         if (t < 1) break;
         if (t > c)
            return nl_errorf("nn.%s: target %lld is out of range for %lld classes (targets are 1..%lld, then 0s)", fn,
                             (long long)t, (long long)c, (long long)c);
      }
   return 0;
}

NL_API int nl_multilabelmargin_forward(double *loss, nl_tensor *is_target, const nl_tensor *input,
                                       const nl_tensor *target, int size_average) {
   const char *name = "nn.MultiLabelMarginCriterion", *fn = name + 3;
   int64_t n, c;
   if (mlm_check(fn, is_target, input, target, &n, &c)) return -1;
   const nl_backend *b = NULL;
   const nl_tensor *ts[2] = {is_target, input}, *tt;
   nl_tensor tmp;
   int dev = nl_gate_targets(&b, name, NL_OP_multilabelmargin_forward, 2, ts, input, target, &tmp, &tt);
   if (dev) {
      int rc = dev < 0 ? -1 : b->ops.multilabelmargin_forward(loss, is_target, input, tt, size_average);
      nl_tensor_release(&tmp);
      return rc;
   }
   if (mlm_targets(fn, target, n, c)) return -1;
   struct margs a = {loss, NULL, is_target, input, target, NULL, 0, 0, size_average, n, c};
   mlm_fwds[input->_dtype](&a);
   return 0;
}

NL_API int nl_multilabelmargin_backward(nl_tensor *gradInput, nl_tensor *is_target, const nl_tensor *input,
                                        const nl_tensor *target, int size_average) {
   const char *name = "nn.MultiLabelMarginCriterion", *fn = name + 3;
   int64_t n, c;
   if (mlm_check(fn, is_target, input, target, &n, &c) || prepare_grad(fn, gradInput, input)) return -1;
   const nl_backend *b = NULL;
   const nl_tensor *ts[3] = {gradInput, is_target, input}, *tt;
   nl_tensor tmp;
   int dev = nl_gate_targets(&b, name, NL_OP_multilabelmargin_backward, 3, ts, input, target, &tmp, &tt);
   if (dev) {
      int rc = dev < 0 ? -1 : b->ops.multilabelmargin_backward(gradInput, is_target, input, tt, size_average);
      nl_tensor_release(&tmp);
      return rc;
   }
   if (mlm_targets(fn, target, n, c) || nl_zero(gradInput)) return -1;
   struct margs a = {NULL, gradInput, is_target, input, target, NULL, 0, 0, size_average, n, c};
   mlm_bwds[input->_dtype](&a);
   return 0;
}

/* ---------------------------------------------- MultiLabelSoftMargin */
/* Torch7 builds it as Sigmoid followed by BCECriterion (eps 1e-12), so
 * that is what mlsm_fwd/mlsm_bwd compute, element by element. */

static int mlsm_check(const char *fn, const nl_tensor *input, const nl_tensor *target, const nl_tensor *weights,
                      int64_t *n, int64_t *c) {
   if (rows(fn, input, n, c)) return -1;
   if (target->_dtype != input->_dtype || target->_device != input->_device)
      return nl_errorf("nn.%s: target is a %s, input a %s", fn, nl_type_name(target), nl_type_name(input));
   if (same_shape(fn, "target", target, input)) return -1;
   return check_weights(fn, weights, input, *c);
}


NL_API int nl_multilabelsoftmargin_forward(double *loss, const nl_tensor *input, const nl_tensor *target,
                                           const nl_tensor *weights, int size_average) {
   const char *name = "nn.MultiLabelSoftMarginCriterion", *fn = name + 3;
   int64_t n, c;
   if (mlsm_check(fn, input, target, weights, &n, &c)) return -1;
   NL_DEVICE_CALL(name, multilabelsoftmargin_forward, (input, target, weights), loss, input, target, weights,
                  size_average);
   struct margs a = {loss, NULL, NULL, input, target, weights, 0, 0, size_average, n, c};
   mlsm_fwds[input->_dtype](&a);
   return 0;
}

NL_API int nl_multilabelsoftmargin_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                            const nl_tensor *weights, int size_average) {
   const char *name = "nn.MultiLabelSoftMarginCriterion", *fn = name + 3;
   int64_t n, c;
   if (mlsm_check(fn, input, target, weights, &n, &c) || prepare_grad(fn, gradInput, input)) return -1;
   NL_DEVICE_CALL(name, multilabelsoftmargin_backward, (gradInput, input, target, weights), gradInput, input, target,
                  weights, size_average);
   struct margs a = {NULL, gradInput, NULL, input, target, weights, 0, 0, size_average, n, c};
   mlsm_bwds[input->_dtype](&a);
   return 0;
}

/* -------------------------------------------------- CosineEmbedding */
/* cos = x1.x2 * sqrt(1/(|x1|^2 + eps) * 1/(|x2|^2 + eps)), eps = 1e-12;
 * loss 1 - cos for y = 1, max(0, cos - margin) for y = -1. */


static int cos_check(const char *fn, const nl_tensor *x1, const nl_tensor *x2, const nl_tensor *y, int64_t *n,
                     int64_t *c) {
   if (rows(fn, x1, n, c) || check_float(fn, "input[2]", x2)) return -1;
   if (x2->_dtype != x1->_dtype)
      return nl_errorf("nn.%s: input[1] is a %s, input[2] a %s", fn, nl_type_name(x1), nl_type_name(x2));
   if (same_shape(fn, "input[2]", x2, x1) || check_float(fn, "target", y)) return -1;
   if (y->_ndim != 1 || y->_size[0] != *n)
      return nl_errorf("nn.%s: %lld targets for %lld pairs", fn, (long long)nl_numel(y), (long long)*n);
   return 0;
}

/* every target 1 or -1 (element data: read after the gate) */
static int cos_targets(const char *fn, const nl_tensor *y, int64_t n) {
   for (int64_t i = 0; i < n; i++) {
      double v = rd(y, i * y->_stride[0]);
      if (v != 1 && v != -1) return nl_errorf("nn.%s: targets must be 1 or -1, got %g", fn, v);
   }
   return 0;
}

NL_API int nl_cosine_embedding_forward(double *loss, const nl_tensor *x1, const nl_tensor *x2, const nl_tensor *y,
                                       double margin, int size_average) {
   const char *name = "nn.CosineEmbeddingCriterion", *fn = name + 3;
   int64_t n, c;
   if (cos_check(fn, x1, x2, y, &n, &c)) return -1;
   NL_DEVICE_CALL(name, cosine_embedding_forward, (x1, x2, y), loss, x1, x2, y, margin, size_average);
   if (cos_targets(fn, y, n)) return -1;
   struct margs a = {loss, NULL, NULL, x1, x2, y, 0, margin, size_average, n, c};
   cos_fwds[x1->_dtype](&a);
   return 0;
}

NL_API int nl_cosine_embedding_backward(nl_tensor *g1, nl_tensor *g2, const nl_tensor *x1, const nl_tensor *x2,
                                        const nl_tensor *y, double margin, int size_average) {
   const char *name = "nn.CosineEmbeddingCriterion", *fn = name + 3;
   int64_t n, c;
   if (cos_check(fn, x1, x2, y, &n, &c) || prepare_grad(fn, g1, x1) || prepare_grad(fn, g2, x1)) return -1;
   NL_DEVICE_CALL(name, cosine_embedding_backward, (g1, g2, x1, x2, y), g1, g2, x1, x2, y, margin, size_average);
   if (cos_targets(fn, y, n)) return -1;
   struct margs a = {NULL, g1, g2, x1, x2, y, 0, margin, size_average, n, c};
   cos_bwds[x1->_dtype](&a);
   return 0;
}

/* -------------------------------------------------- L1HingeEmbedding */
/* d = |x1 - x2|_1; loss d for y = 1, max(0, margin - d) for y = -1. The
 * gradient is sign(x1 - x2) with, as in Torch7, a random +-1 (one
 * torch.random(2) draw, in element order) where x1 = x2. */



static int l1_check(const char *fn, const nl_tensor *x1, const nl_tensor *x2) {
   if (check_float(fn, "input[1]", x1) || check_float(fn, "input[2]", x2)) return -1;
   if (x2->_dtype != x1->_dtype)
      return nl_errorf("nn.%s: input[1] is a %s, input[2] a %s", fn, nl_type_name(x1), nl_type_name(x2));
   if (nl_numel(x1) == 0 || nl_numel(x1) != nl_numel(x2)) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("nn.%s: input[1] (%s) and input[2] (%s) must be non-empty with the same number of elements",
                       fn, nl_shape_str(a, sizeof a, x1), nl_shape_str(b, sizeof b, x2));
   }
   return 0;
}

static int l1_dist(const char *fn, double *dist, const nl_tensor *x1, const nl_tensor *x2) {
   nl_iter it;
   const nl_tensor *ts[2] = {x1, x2};
   struct l1ctx c = {0};
   if (nl_iter_init(fn, &it, 2, ts)) return -1;
   nl_iter_run_grain(&it, l1dist_rows[x1->_dtype], &c, INT64_MAX);
   *dist = c.sum;
   return 0;
}

NL_API int nl_l1hinge_forward(double *loss, const nl_tensor *x1, const nl_tensor *x2, double y, double margin) {
   const char *name = "nn.L1HingeEmbeddingCriterion", *fn = name + 3;
   double d;
   if (l1_check(fn, x1, x2)) return -1;
   NL_DEVICE_CALL(name, l1hinge_forward, (x1, x2), loss, x1, x2, y, margin);
   if (l1_dist(fn, &d, x1, x2)) return -1;
   *loss = y == -1 ? (margin - d > 0 ? margin - d : 0) : d;
   return 0;
}

NL_API int nl_l1hinge_backward(nl_tensor *g1, nl_tensor *g2, const nl_tensor *x1, const nl_tensor *x2, double y,
                               double margin) {
   const char *name = "nn.L1HingeEmbeddingCriterion", *fn = name + 3;
   double d;
   if (l1_check(fn, x1, x2) || prepare_grad(fn, g1, x1) || prepare_grad(fn, g2, x1)) return -1;
   NL_DEVICE_CALL(name, l1hinge_backward, (g1, g2, x1, x2), g1, g2, x1, x2, y, margin);
   if (l1_dist(fn, &d, x1, x2)) return -1;
   double f = y == -1 ? (d > margin ? 0 : -1) : 1;
   nl_iter it;
   const nl_tensor *ts[4] = {g1, g2, x1, x2};
   if (nl_iter_init(fn, &it, 4, ts)) return -1;
   nl_iter_run_grain(&it, l1sign_rows[x1->_dtype], &f, INT64_MAX);
   return 0;
}

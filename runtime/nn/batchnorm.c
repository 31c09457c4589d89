/* batchnorm.c: BatchNormalization and SpatialBatchNormalization, forward
 * and backward, with THNN's semantics: in training the batch mean and
 * the biased variance normalise, the running variance is updated with the
 * unbiased one; in evaluation the running statistics are used. The input
 * is seen as (N, F, S) (S = H*W, or 1 for 2D inputs) and made contiguous,
 * so each (n, f) is one row of S values; features run in parallel
 * (nl_parallel_for). Sums are accumulated in double. The per-dtype kernels
 * are in batchnorm_impl.h; tensors on another device go through the
 * device gate (backend.h). */
#include "../apply.h"
#include "../backend.h"
#include "nn_common.h"
#include <math.h>

static int geometry(const char *fn, const nl_tensor *input, int64_t *N, int64_t *F, int64_t *S) {
   char s[NL_SHAPE_BUF];
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != 2 && input->_ndim != 4 && input->_ndim != 5)
      return nl_errorf("%s: expected a 2D (batch x features), 4D (batch x planes x H x W) or 5D (batch x planes x T x "
                       "H x W) input, got %s", fn, nl_shape_str(s, sizeof s, input));
   *N = input->_size[0];
   *F = input->_size[1];
   *S = 1;
   for (int d = 2; d < input->_ndim; d++) *S *= input->_size[d];
   return 0;
}

static int check_vec(const char *fn, const char *what, const nl_tensor *t, const nl_tensor *input, int64_t F) {
   if (!t) return 0;
   if (t->_dtype != input->_dtype || t->_device != input->_device)
      return nl_errorf("%s: %s is a %s, the input a %s", fn, what, nl_type_name(t), nl_type_name(input));
   if (nl_numel(t) != F || t->_ndim != 1)
      return nl_errorf("%s: %s has %lld elements, expected %lld (the input's features)", fn, what,
                       (long long)nl_numel(t), (long long)F);
   return 0;
}

/* a vector argument: data pointer and stride, or NULL */
struct vec { void *p; int64_t s; };
static struct vec vec_of(const nl_tensor *t) {
   struct vec v = {NULL, 0};
   if (t) { v.p = nl_ptr(t); v.s = t->_stride[0]; }
   return v;
}
#define VGET(v, f, dflt) ((v).p ? (double)((T *)(v).p)[(f) * (v).s] : (dflt))
#define VSET(v, f, x) (((T *)(v).p)[(f) * (v).s] = (T)(x))

/* the kernels' arguments: y the output (forward) or gradInput (backward,
 * NULL when not wanted); x the input, go the gradOutput */
struct bnctx {
   void *y;
   const void *x, *go;
   int64_t N, F, S;
   struct vec w, b, rm, rv, sm, si, gw, gb;
   int training;
   double momentum, eps, scale;
};

#define NL_IMPL "nn/batchnorm_impl.h"
#include "dtype_each_float.h"

static const nl_range_fn fwd_ranges[NL_NUM_DTYPES] = {[NL_FLOAT] = fwd_range_Float, [NL_DOUBLE] = fwd_range_Double};
static const nl_range_fn bwd_ranges[NL_NUM_DTYPES] = {[NL_FLOAT] = bwd_range_Float, [NL_DOUBLE] = bwd_range_Double};

NL_API int nl_batchnorm_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *bias,
                                nl_tensor *running_mean, nl_tensor *running_var, nl_tensor *save_mean,
                                nl_tensor *save_invstd, int training, double momentum, double eps) {
   const char *fn = "nn.BatchNormalization";
   int64_t N = 0, F = 0, S = 0;
   if (geometry(fn, input, &N, &F, &S)) return -1;
   if (check_vec(fn, "weight", weight, input, F) || check_vec(fn, "bias", bias, input, F) ||
       check_vec(fn, "running_mean", running_mean, input, F) || check_vec(fn, "running_var", running_var, input, F))
      return -1;
   if (!training && (!running_mean || !running_var)) return nl_errorf("%s: evaluation needs running statistics", fn);
   if (training && N * S < 2)
      return nl_errorf("%s: training needs more than one value per feature, got a batch of %lld", fn, (long long)(N * S));
   if (nl_check_same_dtype(fn, output, input) || nl_check_same_dtype(fn, save_mean, input) ||
       nl_check_same_dtype(fn, save_invstd, input))
      return -1;
   if (nl_tensor_resize_as(output, input) || nl_tensor_resize(save_mean, 1, &F) || nl_tensor_resize(save_invstd, 1, &F))
      return -1;
   NL_DEVICE_CALL(fn, batchnorm_forward,
                  (output, input, weight, bias, running_mean, running_var, save_mean, save_invstd), output, input,
                  weight, bias, running_mean, running_var, save_mean, save_invstd, training, momentum, eps);
   if (!nl_tensor_is_contiguous(output)) return nl_errorf("%s: the output must be contiguous", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct bnctx c = {nl_ptr(output), nl_ptr(in), NULL, N, F, S, vec_of(weight), vec_of(bias),
                        vec_of(running_mean), vec_of(running_var), vec_of(save_mean), vec_of(save_invstd),
                        vec_of(NULL), vec_of(NULL), training, momentum, eps, 0};
      nl_parallel_for(F, N * S * F, fwd_ranges[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_batchnorm_backward(nl_tensor *gradInput, nl_tensor *gradWeight, nl_tensor *gradBias, const nl_tensor *input,
                                 const nl_tensor *gradOutput, const nl_tensor *weight, const nl_tensor *running_mean,
                                 const nl_tensor *running_var, const nl_tensor *save_mean, const nl_tensor *save_invstd,
                                 int training, double scale, double eps) {
   const char *fn = "nn.BatchNormalization";
   char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
   int64_t N = 0, F = 0, S = 0;
   if (geometry(fn, input, &N, &F, &S)) return -1;
   if (nl_check_same_dtype(fn, gradOutput, input)) return -1;
   int same = gradOutput->_ndim == input->_ndim;
   for (int i = 0; same && i < input->_ndim; i++) same = gradOutput->_size[i] == input->_size[i];
   if (!same)
      return nl_errorf("%s: gradOutput has size %s, expected the input's size %s", fn, nl_shape_str(a, sizeof a, gradOutput),
                       nl_shape_str(b, sizeof b, input));
   if (check_vec(fn, "weight", weight, input, F) || check_vec(fn, "gradWeight", gradWeight, input, F) ||
       check_vec(fn, "gradBias", gradBias, input, F))
      return -1;
   if (training && (!save_mean || !save_invstd || nl_numel(save_mean) != F || nl_numel(save_invstd) != F ||
                    save_mean->_dtype != input->_dtype || save_invstd->_dtype != input->_dtype))
      return nl_errorf("%s: backward called before a training forward", fn);
   if (!training && (check_vec(fn, "running_mean", running_mean, input, F) ||
                     check_vec(fn, "running_var", running_var, input, F) || !running_mean || !running_var))
      return nl_errorf("%s: evaluation needs running statistics", fn);
   if (gradInput && nl_check_same_dtype(fn, gradInput, input)) return -1;
   if (gradInput && nl_tensor_resize_as(gradInput, input)) return -1;
   NL_DEVICE_CALL(fn, batchnorm_backward,
                  (gradInput, gradWeight, gradBias, input, gradOutput, weight, training ? NULL : running_mean,
                   training ? NULL : running_var, training ? save_mean : NULL, training ? save_invstd : NULL),
                  gradInput, gradWeight, gradBias, input, gradOutput, weight, running_mean, running_var, save_mean,
                  save_invstd, training, scale, eps);
   if (gradInput && !nl_tensor_is_contiguous(gradInput)) return nl_errorf("%s: gradInput must be contiguous", fn);
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   if (!rc) {
      struct bnctx c = {gradInput ? nl_ptr(gradInput) : NULL, nl_ptr(in), nl_ptr(go), N, F, S, vec_of(weight),
                        vec_of(NULL), vec_of(running_mean), vec_of(running_var),
                        vec_of(training ? save_mean : NULL), vec_of(training ? save_invstd : NULL),
                        vec_of(gradWeight), vec_of(gradBias), training, 0, eps, scale};
      nl_parallel_for(F, N * S * F, bwd_ranges[input->_dtype], &c);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc;
}

/* batchnorm.c: BatchNormalization and SpatialBatchNormalization, forward
 * and backward, with THNN's semantics: in training the batch mean and
 * the biased variance normalise, the running variance is updated with the
 * unbiased one; in evaluation the running statistics are used. Features
 * (dimension 2) run in parallel. */
#include "../apply.h"
#include <math.h>

/* element (n, f, i) of a (N, F, S) view of a 2D or 4D tensor */
static inline double get(const nl_tensor *t, int64_t n, int64_t f, int64_t i, int64_t S) {
   int64_t off = n * t->_stride[0] + f * t->_stride[1];
   if (t->_ndim == 4) off += (i / t->_size[3]) * t->_stride[2] + (i % t->_size[3]) * t->_stride[3];
   return t->_dtype == NL_FLOAT ? ((const float *)nl_ptr(t))[off] : ((const double *)nl_ptr(t))[off];
   (void)S;
}
static inline void put(nl_tensor *t, int64_t n, int64_t f, int64_t i, double v) {
   int64_t off = n * t->_stride[0] + f * t->_stride[1];
   if (t->_ndim == 4) off += (i / t->_size[3]) * t->_stride[2] + (i % t->_size[3]) * t->_stride[3];
   if (t->_dtype == NL_FLOAT) ((float *)nl_ptr(t))[off] = (float)v;
   else ((double *)nl_ptr(t))[off] = v;
}
static inline double vec(const nl_tensor *t, int64_t f) {
   if (!t) return 0;
   int64_t off = f * t->_stride[0];
   return t->_dtype == NL_FLOAT ? ((const float *)nl_ptr(t))[off] : ((const double *)nl_ptr(t))[off];
}
static inline void vset(nl_tensor *t, int64_t f, double v) {
   int64_t off = f * t->_stride[0];
   if (t->_dtype == NL_FLOAT) ((float *)nl_ptr(t))[off] = (float)v;
   else ((double *)nl_ptr(t))[off] = v;
}

static int geometry(const char *fn, const nl_tensor *input, int64_t *N, int64_t *F, int64_t *S) {
   char s[NL_SHAPE_BUF];
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != 2 && input->_ndim != 4)
      return nl_errorf("%s: expected a 2D (batch x features) or 4D (batch x planes x H x W) input, got %s", fn,
                       nl_shape_str(s, sizeof s, input));
   *N = input->_size[0];
   *F = input->_size[1];
   *S = input->_ndim == 4 ? input->_size[2] * input->_size[3] : 1;
   return 0;
}

static int check_vec(const char *fn, const char *what, const nl_tensor *t, const nl_tensor *input, int64_t F) {
   if (!t) return 0;
   if (t->_dtype != input->_dtype || t->_device != input->_device)
      return nl_errorf("%s: %s is a %s, the input a %s", fn, what, nl_type_name(t), nl_type_name(input));
   if (nl_numel(t) != F) return nl_errorf("%s: %s has %lld elements, expected %lld (the input's features)", fn, what,
                                          (long long)nl_numel(t), (long long)F);
   return 0;
}

NL_API int nl_batchnorm_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *bias,
                                nl_tensor *running_mean, nl_tensor *running_var, nl_tensor *save_mean,
                                nl_tensor *save_invstd, int training, double momentum, double eps) {
   const char *fn = "BatchNormalization";
   int64_t N, F, S;
   if (geometry(fn, input, &N, &F, &S)) return -1;
   if (check_vec(fn, "weight", weight, input, F) || check_vec(fn, "bias", bias, input, F) ||
       check_vec(fn, "running_mean", running_mean, input, F) || check_vec(fn, "running_var", running_var, input, F))
      return -1;
   if (training && N * S < 2) return nl_errorf("%s: training needs more than one value per feature, got a batch of %lld",
                                               fn, (long long)(N * S));
   if (nl_tensor_resize_as(output, input) || nl_tensor_resize(save_mean, 1, &F) || nl_tensor_resize(save_invstd, 1, &F))
      return -1;
   int nth = nl_threads();
#pragma omp parallel for if (F > 1 && nth > 1 && N * S * F >= NL_OMP_MIN) num_threads(nth)
   for (int64_t f = 0; f < F; f++) {
      double mean, invstd;
      if (training) {
         double sum = 0;
         for (int64_t n = 0; n < N; n++)
            for (int64_t i = 0; i < S; i++) sum += get(input, n, f, i, S);
         mean = sum / (N * S);
         double ss = 0;
         for (int64_t n = 0; n < N; n++)
            for (int64_t i = 0; i < S; i++) { double d = get(input, n, f, i, S) - mean; ss += d * d; }
         invstd = 1 / sqrt(ss / (N * S) + eps);
         vset(save_mean, f, mean);
         vset(save_invstd, f, invstd);
         if (running_mean) vset(running_mean, f, momentum * mean + (1 - momentum) * vec(running_mean, f));
         if (running_var) vset(running_var, f, momentum * ss / (N * S - 1) + (1 - momentum) * vec(running_var, f));
      } else {
         mean = vec(running_mean, f);
         invstd = 1 / sqrt(vec(running_var, f) + eps);
      }
      double w = weight ? vec(weight, f) : 1, b = bias ? vec(bias, f) : 0;
      for (int64_t n = 0; n < N; n++)
         for (int64_t i = 0; i < S; i++) put(output, n, f, i, (get(input, n, f, i, S) - mean) * invstd * w + b);
   }
   return 0;
}

NL_API int nl_batchnorm_backward(nl_tensor *gradInput, nl_tensor *gradWeight, nl_tensor *gradBias, const nl_tensor *input,
                                 const nl_tensor *gradOutput, const nl_tensor *weight, const nl_tensor *running_mean,
                                 const nl_tensor *running_var, const nl_tensor *save_mean, const nl_tensor *save_invstd,
                                 int training, double scale, double eps) {
   const char *fn = "BatchNormalization";
   int64_t N, F, S;
   if (geometry(fn, input, &N, &F, &S)) return -1;
   if (nl_check_same_dtype(fn, gradOutput, input)) return -1;
   if (nl_numel(gradOutput) != nl_numel(input))
      return nl_errorf("%s: gradOutput has %lld elements, the input %lld", fn, (long long)nl_numel(gradOutput),
                       (long long)nl_numel(input));
   if (training && nl_numel(save_mean) != F) return nl_errorf("%s: backward called before a training forward", fn);
   if (gradInput && nl_tensor_resize_as(gradInput, input)) return -1;
   nl_tensor go = *gradOutput;
   if (go._ndim != input->_ndim) return nl_errorf("%s: gradOutput must have the input's shape", fn);
   int nth = nl_threads();
#pragma omp parallel for if (F > 1 && nth > 1 && N * S * F >= NL_OMP_MIN) num_threads(nth)
   for (int64_t f = 0; f < F; f++) {
      double mean = training ? vec(save_mean, f) : vec(running_mean, f);
      double invstd = training ? vec(save_invstd, f) : 1 / sqrt(vec(running_var, f) + eps);
      double w = weight ? vec(weight, f) : 1;
      double sum = 0, dot = 0;
      for (int64_t n = 0; n < N; n++)
         for (int64_t i = 0; i < S; i++) {
            double g = get(&go, n, f, i, S);
            sum += g;
            dot += (get(input, n, f, i, S) - mean) * g;
         }
      if (gradInput) {
         if (training) {
            double k = dot * invstd * invstd / (N * S), gm = sum / (N * S);
            for (int64_t n = 0; n < N; n++)
               for (int64_t i = 0; i < S; i++) {
                  double proj = (get(input, n, f, i, S) - mean) * k;
                  put(gradInput, n, f, i, (get(&go, n, f, i, S) - proj - gm) * invstd * w);
               }
         } else {
            for (int64_t n = 0; n < N; n++)
               for (int64_t i = 0; i < S; i++) put(gradInput, n, f, i, get(&go, n, f, i, S) * invstd * w);
         }
      }
      if (gradWeight && scale != 0) vset(gradWeight, f, vec(gradWeight, f) + scale * dot * invstd);
      if (gradBias && scale != 0) vset(gradBias, f, vec(gradBias, f) + scale * sum);
   }
   return 0;
}

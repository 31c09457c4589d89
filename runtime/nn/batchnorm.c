/* batchnorm.c: BatchNormalization and SpatialBatchNormalization, forward
 * and backward, with THNN's semantics: in training the batch mean and
 * the biased variance normalise, the running variance is updated with the
 * unbiased one; in evaluation the running statistics are used. The input
 * is seen as (N, F, S) (S = H*W, or 1 for 2D inputs) and made contiguous,
 * so each (n, f) is one row of S values; features run in parallel. Sums
 * are accumulated in double. */
#include "../apply.h"
#include "nn_common.h"
#include <math.h>

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
#define VGET(T, v, f, dflt) ((v).p ? (double)((T *)(v).p)[(f) * (v).s] : (dflt))
#define VSET(T, v, f, x) (((T *)(v).p)[(f) * (v).s] = (T)(x))

/* x, y: (N, F, S) contiguous */
#define BN(T) \
   static void fwd_##T(T *y, const T *x, int64_t N, int64_t F, int64_t S, struct vec w, struct vec b, struct vec rm, \
                       struct vec rv, struct vec sm, struct vec si, int training, double momentum, double eps) { \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(f, F, F > 1 && nth > 1 && N * S * F >= NL_OMP_MIN, \
         double mean, invstd; \
         if (training) { \
            double sum = 0, ss = 0; \
            for (int64_t n = 0; n < N; n++) { \
               const T *r = x + (n * F + f) * S; \
               for (int64_t i = 0; i < S; i++) sum += r[i]; \
            } \
            mean = sum / (N * S); \
            for (int64_t n = 0; n < N; n++) { \
               const T *r = x + (n * F + f) * S; \
               for (int64_t i = 0; i < S; i++) { double d = r[i] - mean; ss += d * d; } \
            } \
            invstd = 1 / sqrt(ss / (N * S) + eps); \
            VSET(T, sm, f, mean); \
            VSET(T, si, f, invstd); \
            if (rm.p) VSET(T, rm, f, momentum * mean + (1 - momentum) * VGET(T, rm, f, 0)); \
            if (rv.p) VSET(T, rv, f, momentum * ss / (N * S - 1) + (1 - momentum) * VGET(T, rv, f, 0)); \
         } else { \
            mean = VGET(T, rm, f, 0); \
            invstd = 1 / sqrt(VGET(T, rv, f, 1) + eps); \
         } \
         double a = invstd * VGET(T, w, f, 1); \
         T sc = (T)a, sh = (T)(VGET(T, b, f, 0) - mean * a); \
         for (int64_t n = 0; n < N; n++) { \
            const T *r = x + (n * F + f) * S; \
            T *o = y + (n * F + f) * S; \
            for (int64_t i = 0; i < S; i++) o[i] = r[i] * sc + sh; \
         } \
      ); \
   } \
   static void bwd_##T(T *gi, const T *x, const T *go, int64_t N, int64_t F, int64_t S, struct vec w, struct vec rm, \
                       struct vec rv, struct vec sm, struct vec si, struct vec gw, struct vec gb, int training, \
                       double scale, double eps) { \
      int nth = nl_threads(); \
      NL_PARALLEL_FOR(f, F, F > 1 && nth > 1 && N * S * F >= NL_OMP_MIN, \
         double mean = training ? VGET(T, sm, f, 0) : VGET(T, rm, f, 0); \
         double invstd = training ? VGET(T, si, f, 1) : 1 / sqrt(VGET(T, rv, f, 1) + eps); \
         double wf = VGET(T, w, f, 1), sum = 0, dot = 0; \
         for (int64_t n = 0; n < N; n++) { \
            const T *r = x + (n * F + f) * S, *g = go + (n * F + f) * S; \
            for (int64_t i = 0; i < S; i++) { sum += g[i]; dot += (r[i] - mean) * g[i]; } \
         } \
         if (gi) { \
            /* training: (go - (x - mean) k - mean(go)) invstd w; evaluation: go invstd w */ \
            double k = training ? dot * invstd * invstd / (N * S) : 0, gm = training ? sum / (N * S) : 0; \
            T a = (T)(invstd * wf), c1 = (T)(k * invstd * wf), c0 = (T)((mean * k - gm) * invstd * wf); \
            for (int64_t n = 0; n < N; n++) { \
               const T *r = x + (n * F + f) * S, *g = go + (n * F + f) * S; \
               T *o = gi + (n * F + f) * S; \
               for (int64_t i = 0; i < S; i++) o[i] = g[i] * a - r[i] * c1 + c0; \
            } \
         } \
         if (gw.p && scale != 0) VSET(T, gw, f, VGET(T, gw, f, 0) + scale * dot * invstd); \
         if (gb.p && scale != 0) VSET(T, gb, f, VGET(T, gb, f, 0) + scale * sum); \
      ); \
   }
BN(float)
BN(double)

NL_API int nl_batchnorm_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *bias,
                                nl_tensor *running_mean, nl_tensor *running_var, nl_tensor *save_mean,
                                nl_tensor *save_invstd, int training, double momentum, double eps) {
   const char *fn = "nn.BatchNormalization";
   int64_t N, F, S;
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
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = nl_tensor_resize_as(output, input) || nl_tensor_resize(save_mean, 1, &F) || nl_tensor_resize(save_invstd, 1, &F);
   if (!rc && !nl_tensor_is_contiguous(output)) rc = nl_errorf("%s: the output must be contiguous", fn);
   if (!rc) {
      struct vec w = vec_of(weight), b = vec_of(bias), rm = vec_of(running_mean), rv = vec_of(running_var);
      struct vec sm = vec_of(save_mean), si = vec_of(save_invstd);
      if (input->_dtype == NL_FLOAT) fwd_float(nl_ptr(output), nl_ptr(in), N, F, S, w, b, rm, rv, sm, si, training, momentum, eps);
      else fwd_double(nl_ptr(output), nl_ptr(in), N, F, S, w, b, rm, rv, sm, si, training, momentum, eps);
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
   int64_t N, F, S;
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
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   if (!rc && gradInput) rc = nl_tensor_resize_as(gradInput, input);
   if (!rc && gradInput && !nl_tensor_is_contiguous(gradInput)) rc = nl_errorf("%s: gradInput must be contiguous", fn);
   if (!rc) {
      struct vec w = vec_of(weight), rm = vec_of(running_mean), rv = vec_of(running_var);
      struct vec sm = vec_of(training ? save_mean : NULL), si = vec_of(training ? save_invstd : NULL);
      struct vec gw = vec_of(gradWeight), gb = vec_of(gradBias);
      void *gip = gradInput ? nl_ptr(gradInput) : NULL;
      if (input->_dtype == NL_FLOAT)
         bwd_float(gip, nl_ptr(in), nl_ptr(go), N, F, S, w, rm, rv, sm, si, gw, gb, training, scale, eps);
      else
         bwd_double(gip, nl_ptr(in), nl_ptr(go), N, F, S, w, rm, rv, sm, si, gw, gb, training, scale, eps);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc;
}

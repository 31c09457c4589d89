/* layers.c: kernels of the remaining nn layers: PReLU, RReLU (training
 * noise drawn from the torch generator in element order, as THNN does),
 * Euclidean and WeightedEuclidean distances, Normalize (p-norm of rows),
 * LookupTable (gather, gradient accumulation, max-norm renormalisation).
 * Float and double; per-dtype kernels in layers_impl.h, chosen from a
 * table by dtype. Front functions check every size and resize their
 * outputs before touching memory and name the module; tensors of a device
 * go through the gate (backend.h) to that device's entry points. */
#include "../apply.h"
#include "../backend.h"
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define LCAT_(a, b) a##b
#define LCAT(a, b) LCAT_(a, b)

/* a 2D view (or a vector as one row): element (i, j) at p[i s0 + j s1] */
struct mat { void *p; int64_t s0, s1; };
struct rrctx { double lower, upper, slope; int train; };

#define NL_IMPL "nn/layers_impl.h"
#include "dtype_each_float.h"

/* The kernels of one dtype (layers_impl.h). */
struct kernels {
   void (*prelu_fwd)(void *y, const void *x, const void *w, int64_t bs, int64_t planes, int64_t ks, int nt);
   void (*prelu_bwd)(void *gi, const void *go, const void *x, const void *w, int64_t bs, int64_t planes, int64_t ks,
                     int nt);
   void (*prelu_acc)(void *gw, int64_t gws, const void *x, const void *go, double scale, int64_t bs, int64_t planes,
                     int64_t ks, int nt);
   struct rrctx (*rrelu_params)(double lower, double upper, int train);
   nl_row_fn rrelu_train_row, rrelu_eval_row, rrelu_bwd_row;
   void (*euc_fwd)(struct mat y, struct mat x, struct mat w, struct mat c, int64_t N, int64_t I, int64_t J, int nt);
   void (*euc_bwd)(struct mat gi, struct mat go, struct mat x, struct mat w, struct mat c, struct mat y, int64_t N,
                   int64_t I, int64_t J, int nt);
   void (*euc_acc)(struct mat gw, struct mat gc, struct mat go, struct mat x, struct mat w, struct mat c,
                   struct mat y, double scale, int64_t N, int64_t I, int64_t J, int nt);
   void (*normalize_fwd)(struct mat y, void *norm, void *normp, struct mat x, double p, double eps, int64_t N,
                         int64_t D, int nt);
   void (*normalize_bwd)(struct mat gi, struct mat go, struct mat x, const void *norm, const void *normp, double p,
                         double eps, int64_t N, int64_t D, int nt);
   void (*lookup_fwd)(void *y, struct mat w, const int64_t *idx, int64_t R, int64_t D, int nt);
   void (*lookup_acc)(struct mat gw, struct mat go, const int64_t *idx, const int64_t *count, int64_t R, int64_t V,
                      int64_t D, int64_t pad, double scale, int nt);
   void (*lookup_renorm_row)(struct mat w, int64_t k, int64_t D, double max_norm, double norm_type);
};

static const struct kernels kernels[NL_NUM_DTYPES] = {
   [NL_FLOAT] = {prelu_fwd_Float, prelu_bwd_Float, prelu_acc_Float, rrelu_params_Float, rrelu_train_row_Float, rrelu_eval_row_Float,
                 rrelu_bwd_row_Float, euc_fwd_Float, euc_bwd_Float, euc_acc_Float, normalize_fwd_Float, normalize_bwd_Float,
                 lookup_fwd_Float, lookup_acc_Float, lookup_renorm_row_Float},
   [NL_DOUBLE] = {prelu_fwd_Double, prelu_bwd_Double, prelu_acc_Double, rrelu_params_Double, rrelu_train_row_Double, rrelu_eval_row_Double,
                  rrelu_bwd_row_Double, euc_fwd_Double, euc_bwd_Double, euc_acc_Double, normalize_fwd_Double, normalize_bwd_Double,
                  lookup_fwd_Double, lookup_acc_Double, lookup_renorm_row_Double},
};

static struct mat mat_of(const nl_tensor *t) {
   struct mat m = {NULL, 0, 0};
   if (!t) return m;
   m.p = nl_ptr(t);
   if (t->_ndim == 1) m.s1 = t->_stride[0];
   else if (t->_ndim == 2) m.s0 = t->_stride[0], m.s1 = t->_stride[1];
   return m;
}

static int threads_for(int64_t work) {
   if (work < NL_OMP_MIN || nl_omp_in_parallel()) return 1;
   return nl_threads();
}

static int check_float(const char *fn, const nl_tensor *t, const char *what) {
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("nn.%s: expected a FloatTensor or DoubleTensor %s, got %s", fn, what, nl_type_name(t));
   return 0;
}

/* t must be a float tensor of like's type */
static int check_like(const char *fn, const nl_tensor *t, const nl_tensor *like, const char *what) {
   if (check_float(fn, t, what)) return -1;
   if (t->_dtype != like->_dtype)
      return nl_errorf("nn.%s: %s is a %s, expected a %s", fn, what, nl_type_name(t), nl_type_name(like));
   return 0;
}

static int check_size2(const char *fn, const nl_tensor *t, int64_t r, int64_t c, const char *what) {
   char a[NL_SHAPE_BUF];
   if (t->_ndim != 2 || t->_size[0] != r || t->_size[1] != c)
      return nl_errorf("nn.%s: %s has size %s, expected %lldx%lld", fn, what, nl_shape_str(a, sizeof a, t),
                       (long long)r, (long long)c);
   return 0;
}

/* ------------------------------------------------------------------ PReLU */

/* bs x planes x ks of a contiguous input; planes = 1 and ks = all for the
 * shared weight */
static int prelu_geom(const char *fn, const nl_tensor *input, const nl_tensor *weight, int64_t nplanes, int64_t *bs,
                      int64_t *planes, int64_t *ks) {
   char a[NL_SHAPE_BUF];
   if (check_float(fn, input, "input") || check_like(fn, weight, input, "weight")) return -1;
   if (!nl_tensor_is_contiguous(input)) return nl_errorf("nn.%s: input must be contiguous", fn);
   if (nl_numel(input) == 0) return nl_errorf("nn.%s: input is empty", fn);
   if (nplanes == 0) {
      if (nl_numel(weight) < 1) return nl_errorf("nn.%s: the shared weight is missing", fn);
      *bs = 1, *planes = 1, *ks = nl_numel(input);
      return 0;
   }
   if (nl_numel(weight) != nplanes || !nl_tensor_is_contiguous(weight))
      return nl_errorf("nn.%s: weight must be a contiguous vector of %lld elements", fn, (long long)nplanes);
   int d = input->_ndim > 1 ? 1 : 0;
   if (input->_size[d] != nplanes)
      return nl_errorf("nn.%s: input has size %s: expected %lld planes in dimension %d", fn,
                       nl_shape_str(a, sizeof a, input), (long long)nplanes, d + 1);
   *planes = nplanes;
   *bs = input->_ndim > 1 ? input->_size[0] : 1;
   *ks = 1;
   for (int i = 2; i < input->_ndim; i++) *ks *= input->_size[i];
   return 0;
}

static int same_numel(const char *fn, const nl_tensor *g, const nl_tensor *input, const char *what) {
   char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
   if (nl_numel(g) != nl_numel(input))
      return nl_errorf("nn.%s: %s has size %s, expected the size of the input %s", fn, what,
                       nl_shape_str(a, sizeof a, g), nl_shape_str(b, sizeof b, input));
   return 0;
}

NL_API int nl_prelu_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, int64_t nOutputPlane) {
   const char *fn = "PReLU";
   int64_t bs, planes, ks;
   if (prelu_geom(fn, input, weight, nOutputPlane, &bs, &planes, &ks) || check_like(fn, output, input, "output"))
      return -1;
   if (nl_tensor_resize_as(output, input)) return -1;
   NL_DEVICE_CALL("nn.PReLU", prelu_forward, (output, input, weight), output, input, weight, nOutputPlane);
   int nt = threads_for(nl_numel(input));
   kernels[input->_dtype].prelu_fwd(nl_ptr(output), nl_ptr(input), nl_ptr(weight), bs, planes, ks, nt);
   return 0;
}

NL_API int nl_prelu_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                             const nl_tensor *weight, int64_t nOutputPlane) {
   const char *fn = "PReLU";
   int64_t bs, planes, ks;
   if (prelu_geom(fn, input, weight, nOutputPlane, &bs, &planes, &ks) ||
       check_like(fn, gradOutput, input, "gradOutput") || check_like(fn, gradInput, input, "gradInput") ||
       same_numel(fn, gradOutput, input, "gradOutput"))
      return -1;
   if (!nl_tensor_is_contiguous(gradOutput)) return nl_errorf("nn.%s: gradOutput must be contiguous", fn);
   if (nl_tensor_resize_as(gradInput, input)) return -1;
   NL_DEVICE_CALL("nn.PReLU", prelu_backward, (gradInput, gradOutput, input, weight), gradInput, gradOutput, input,
                  weight, nOutputPlane);
   int nt = threads_for(nl_numel(input));
   kernels[input->_dtype].prelu_bwd(nl_ptr(gradInput), nl_ptr(gradOutput), nl_ptr(input), nl_ptr(weight), bs, planes,
                                    ks, nt);
   return 0;
}

NL_API int nl_prelu_acc_grad(nl_tensor *gradWeight, const nl_tensor *input, const nl_tensor *gradOutput,
                             int64_t nOutputPlane, double scale) {
   const char *fn = "PReLU";
   int64_t bs, planes, ks;
   if (prelu_geom(fn, input, gradWeight, nOutputPlane, &bs, &planes, &ks) ||
       check_like(fn, gradOutput, input, "gradOutput") || same_numel(fn, gradOutput, input, "gradOutput"))
      return -1;
   if (!nl_tensor_is_contiguous(gradOutput)) return nl_errorf("nn.%s: gradOutput must be contiguous", fn);
   NL_DEVICE_CALL("nn.PReLU", prelu_acc_grad, (gradWeight, input, gradOutput), gradWeight, input, gradOutput,
                  nOutputPlane, scale);
   int64_t gws = gradWeight->_ndim ? gradWeight->_stride[0] : 1;
   int nt = planes > 1 ? threads_for(nl_numel(input)) : 1;
   kernels[input->_dtype].prelu_acc(nl_ptr(gradWeight), gws, nl_ptr(input), nl_ptr(gradOutput), scale, bs, planes, ks,
                                    nt);
   return 0;
}

/* ------------------------------------------------------------------ RReLU */

NL_API int nl_rrelu_forward(nl_tensor *output, nl_tensor *noise, nl_tensor *input, double lower, double upper,
                            int train, int inplace) {
   const char *fn = "RReLU";
   if (check_float(fn, input, "input") || check_like(fn, noise, input, "noise") ||
       check_like(fn, output, input, "output"))
      return -1;
   if (nl_numel(input) == 0) return nl_errorf("nn.%s: input is empty", fn);
   if (!(lower >= 0 && upper >= lower))
      return nl_errorf("nn.%s: expected 0 <= lower <= upper, got lower %g and upper %g", fn, lower, upper);
   if (!inplace && nl_tensor_resize_as(output, input)) return -1;
   if (train && nl_tensor_resize_as(noise, input)) return -1;
   NL_DEVICE_CALL("nn.RReLU", rrelu_forward, (output, noise, input), output, noise, input, lower, upper, train,
                  inplace);
   const struct kernels *k = &kernels[input->_dtype];
   struct rrctx c = k->rrelu_params(lower, upper, train);
   nl_tensor *out = inplace ? input : output;
   nl_iter it;
   if (train) {
      const nl_tensor *ts[3] = {out, input, noise};
      if (nl_iter_init(fn, &it, 3, ts)) return -1;
      /* serial: one draw per non-positive element, in element order */
      nl_iter_run_grain(&it, k->rrelu_train_row, &c, INT64_MAX);
   } else {
      const nl_tensor *ts[2] = {out, input};
      if (nl_iter_init(fn, &it, 2, ts)) return -1;
      nl_iter_run(&it, k->rrelu_eval_row, &c);
   }
   return 0;
}

NL_API int nl_rrelu_backward(nl_tensor *gradInput, nl_tensor *gradOutput, const nl_tensor *input,
                             const nl_tensor *noise, double lower, double upper, int train, int inplace) {
   const char *fn = "RReLU";
   if (check_float(fn, input, "input") || check_like(fn, gradOutput, input, "gradOutput") ||
       check_like(fn, gradInput, input, "gradInput") || same_numel(fn, gradOutput, input, "gradOutput"))
      return -1;
   int noisy = train && upper - lower > 1e-6;
   if (noisy && (check_like(fn, noise, input, "noise") || nl_numel(noise) != nl_numel(input)))
      return nl_errorf("nn.%s: backward called before a training forward of this input", fn);
   struct rrctx c = kernels[input->_dtype].rrelu_params(lower, upper, noisy);
   nl_tensor *gi = inplace ? gradOutput : gradInput;
   if (!inplace && nl_tensor_resize_as(gradInput, input)) return -1;
   NL_DEVICE_CALL("nn.RReLU", rrelu_backward, (gradInput, gradOutput, input, noise), gradInput, gradOutput, input,
                  noise, lower, upper, train, inplace);
   nl_iter it;
   const nl_tensor *ts[4] = {gi, gradOutput, input, noise};
   if (nl_iter_init(fn, &it, noisy ? 4 : 3, ts)) return -1;
   nl_iter_run(&it, kernels[input->_dtype].rrelu_bwd_row, &c);
   return 0;
}

/* ------------------------------------------------- (Weighted)Euclidean */

/* input (N, I) or (I), weight (I, J), diagCov NULL or (I, J) */
static int euc_geom(const char *fn, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *diagCov,
                    int64_t *N, int64_t *I, int64_t *J) {
   char a[NL_SHAPE_BUF];
   if (check_float(fn, input, "input") || check_like(fn, weight, input, "weight")) return -1;
   if (weight->_ndim != 2) return nl_errorf("nn.%s: weight must be 2D", fn);
   *I = weight->_size[0], *J = weight->_size[1];
   if (diagCov && (check_like(fn, diagCov, input, "diagCov") || check_size2(fn, diagCov, *I, *J, "diagCov")))
      return -1;
   if ((input->_ndim != 1 && input->_ndim != 2) || input->_size[input->_ndim - 1] != *I)
      return nl_errorf("nn.%s: input has size %s, expected %lld or Nx%lld", fn, nl_shape_str(a, sizeof a, input),
                       (long long)*I, (long long)*I);
   *N = input->_ndim == 2 ? input->_size[0] : 1;
   return 0;
}

/* t viewed as N x K: a vector when the input is one */
static int check_rows(const char *fn, const nl_tensor *t, const nl_tensor *input, int64_t N, int64_t K,
                      const char *what) {
   char a[NL_SHAPE_BUF];
   if (input->_ndim == 1 ? (t->_ndim != 1 || t->_size[0] != K) : (t->_ndim != 2 || t->_size[0] != N || t->_size[1] != K))
      return input->_ndim == 1
                ? nl_errorf("nn.%s: %s has size %s, expected %lld", fn, what, nl_shape_str(a, sizeof a, t), (long long)K)
                : nl_errorf("nn.%s: %s has size %s, expected %lldx%lld", fn, what, nl_shape_str(a, sizeof a, t),
                            (long long)N, (long long)K);
   return 0;
}

static int resize_rows(nl_tensor *t, const nl_tensor *input, int64_t N, int64_t K) {
   int64_t sz[2] = {N, K};
   return input->_ndim == 1 ? nl_tensor_resize(t, 1, &K) : nl_tensor_resize(t, 2, sz);
}

NL_API int nl_euclidean_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight,
                                const nl_tensor *diagCov) {
   const char *fn = diagCov ? "WeightedEuclidean" : "Euclidean";
   int64_t N, I, J;
   if (euc_geom(fn, input, weight, diagCov, &N, &I, &J) || check_like(fn, output, input, "output")) return -1;
   if (resize_rows(output, input, N, J)) return -1;
   NL_DEVICE_CALL(diagCov ? "nn.WeightedEuclidean" : "nn.Euclidean", euclidean_forward,
                  (output, input, weight, diagCov), output, input, weight, diagCov);
   struct mat y = mat_of(output), x = mat_of(input), w = mat_of(weight), c = mat_of(diagCov);
   if (input->_ndim == 1) y.s0 = 0;
   int nt = threads_for(N * I * J);
   kernels[input->_dtype].euc_fwd(y, x, w, c, N, I, J, nt);
   return 0;
}

NL_API int nl_euclidean_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                                 const nl_tensor *weight, const nl_tensor *diagCov, const nl_tensor *output) {
   const char *fn = diagCov ? "WeightedEuclidean" : "Euclidean";
   int64_t N, I, J;
   if (euc_geom(fn, input, weight, diagCov, &N, &I, &J) || check_like(fn, gradOutput, input, "gradOutput") ||
       check_like(fn, gradInput, input, "gradInput") || check_like(fn, output, input, "output") ||
       check_rows(fn, gradOutput, input, N, J, "gradOutput"))
      return -1;
   if (check_rows(fn, output, input, N, J, "output"))
      return nl_errorf("nn.%s: backward called before forward of this input", fn);
   if (resize_rows(gradInput, input, N, I)) return -1;
   NL_DEVICE_CALL(diagCov ? "nn.WeightedEuclidean" : "nn.Euclidean", euclidean_backward,
                  (gradInput, gradOutput, input, weight, diagCov, output), gradInput, gradOutput, input, weight,
                  diagCov, output);
   struct mat gi = mat_of(gradInput), go = mat_of(gradOutput), x = mat_of(input), w = mat_of(weight),
              c = mat_of(diagCov), y = mat_of(output);
   int nt = threads_for(N * I * J);
   kernels[input->_dtype].euc_bwd(gi, go, x, w, c, y, N, I, J, nt);
   return 0;
}

NL_API int nl_euclidean_acc_grad(nl_tensor *gradWeight, nl_tensor *gradDiagCov, const nl_tensor *input,
                                 const nl_tensor *gradOutput, const nl_tensor *weight, const nl_tensor *diagCov,
                                 const nl_tensor *output, double scale) {
   const char *fn = diagCov ? "WeightedEuclidean" : "Euclidean";
   int64_t N, I, J;
   if (euc_geom(fn, input, weight, diagCov, &N, &I, &J) || check_like(fn, gradOutput, input, "gradOutput") ||
       check_like(fn, gradWeight, input, "gradWeight") || check_size2(fn, gradWeight, I, J, "gradWeight") ||
       check_like(fn, output, input, "output") || check_rows(fn, gradOutput, input, N, J, "gradOutput"))
      return -1;
   if (diagCov && (!gradDiagCov || check_like(fn, gradDiagCov, input, "gradDiagCov") ||
                   check_size2(fn, gradDiagCov, I, J, "gradDiagCov")))
      return nl_errorf("nn.%s: gradDiagCov must be a %s of size %lldx%lld", fn, nl_type_name(input), (long long)I,
                       (long long)J);
   if (check_rows(fn, output, input, N, J, "output"))
      return nl_errorf("nn.%s: backward called before forward of this input", fn);
   NL_DEVICE_CALL(diagCov ? "nn.WeightedEuclidean" : "nn.Euclidean", euclidean_acc_grad,
                  (gradWeight, gradDiagCov, input, gradOutput, weight, diagCov, output), gradWeight, gradDiagCov, input,
                  gradOutput, weight, diagCov, output, scale);
   struct mat gw = mat_of(gradWeight), gc = mat_of(diagCov ? gradDiagCov : NULL), go = mat_of(gradOutput),
              x = mat_of(input), w = mat_of(weight), c = mat_of(diagCov), y = mat_of(output);
   int nt = threads_for(N * I * J);
   kernels[input->_dtype].euc_acc(gw, gc, go, x, w, c, y, scale, N, I, J, nt);
   return 0;
}

/* -------------------------------------------------------------- Normalize */

static int normalize_geom(const char *fn, const nl_tensor *input, double p, int64_t *N, int64_t *D) {
   char a[NL_SHAPE_BUF];
   if (check_float(fn, input, "input")) return -1;
   if (!(p > 0)) return nl_errorf("nn.%s: p must be positive, got %g", fn, p);
   if ((input->_ndim != 1 && input->_ndim != 2) || nl_numel(input) == 0)
      return nl_errorf("nn.%s: expected a non-empty 1D or 2D input, got %s", fn, nl_shape_str(a, sizeof a, input));
   *N = input->_ndim == 2 ? input->_size[0] : 1;
   *D = input->_size[input->_ndim - 1];
   return 0;
}

NL_API int nl_normalize_forward(nl_tensor *output, nl_tensor *norm, nl_tensor *normp, const nl_tensor *input,
                                double p, double eps) {
   const char *fn = "Normalize";
   int64_t N, D;
   if (normalize_geom(fn, input, p, &N, &D) || check_like(fn, output, input, "output") ||
       check_like(fn, norm, input, "norm") || check_like(fn, normp, input, "normp"))
      return -1;
   if (nl_tensor_resize_as(output, input) || nl_tensor_resize(norm, 1, &N) || nl_tensor_resize(normp, 1, &N))
      return -1;
   NL_DEVICE_CALL("nn.Normalize", normalize_forward, (output, norm, normp, input), output, norm, normp, input, p, eps);
   struct mat y = mat_of(output), x = mat_of(input);
   int nt = threads_for(N * D);
   kernels[input->_dtype].normalize_fwd(y, nl_ptr(norm), nl_ptr(normp), x, p, eps, N, D, nt);
   return 0;
}

NL_API int nl_normalize_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                                 const nl_tensor *norm, const nl_tensor *normp, double p, double eps) {
   const char *fn = "Normalize";
   char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
   int64_t N, D;
   if (normalize_geom(fn, input, p, &N, &D) || check_like(fn, gradOutput, input, "gradOutput") ||
       check_like(fn, gradInput, input, "gradInput"))
      return -1;
   if (gradOutput->_ndim != input->_ndim || gradOutput->_size[0] != input->_size[0] ||
       gradOutput->_size[gradOutput->_ndim - 1] != D)
      return nl_errorf("nn.%s: gradOutput has size %s, expected the size of the input %s", fn,
                       nl_shape_str(a, sizeof a, gradOutput), nl_shape_str(b, sizeof b, input));
   if (norm->_dtype != input->_dtype || normp->_dtype != input->_dtype || nl_numel(norm) != N ||
       nl_numel(normp) != N || !nl_tensor_is_contiguous(norm) || !nl_tensor_is_contiguous(normp))
      return nl_errorf("nn.%s: backward called before forward of this input", fn);
   if (nl_tensor_resize_as(gradInput, input)) return -1;
   NL_DEVICE_CALL("nn.Normalize", normalize_backward, (gradInput, gradOutput, input, norm, normp), gradInput,
                  gradOutput, input, norm, normp, p, eps);
   struct mat gi = mat_of(gradInput), go = mat_of(gradOutput), x = mat_of(input);
   int nt = threads_for(N * D);
   kernels[input->_dtype].normalize_bwd(gi, go, x, nl_ptr(norm), nl_ptr(normp), p, eps, N, D, nt);
   return 0;
}

/* ------------------------------------------------------------ LookupTable */

/* indices: a contiguous LongTensor, 1D or 2D (the header; the values are
 * checked by check_index_values after the gate) */
static int lookup_indices(const char *fn, const nl_tensor *input) {
   char a[NL_SHAPE_BUF];
   if (input->_dtype != NL_LONG)
      return nl_errorf("nn.%s: indices must be a LongTensor, got %s", fn, nl_type_name(input));
   if ((input->_ndim != 1 && input->_ndim != 2) || nl_numel(input) == 0)
      return nl_errorf("nn.%s: input must be a non-empty vector or matrix of indices, got %s", fn,
                       nl_shape_str(a, sizeof a, input));
   if (!nl_tensor_is_contiguous(input)) return nl_errorf("nn.%s: indices must be contiguous", fn);
   return 0;
}

/* every index in 1..V */
static int check_index_values(const char *fn, const nl_tensor *input, int64_t V) {
   const int64_t *idx = nl_ptr(input);
   for (int64_t r = 0, R = nl_numel(input); r < R; r++)
      if (idx[r] < 1 || idx[r] > V)
         return nl_errorf("nn.%s: index %lld is out of range (the table has %lld rows, indices are 1..%lld)", fn,
                          (long long)idx[r], (long long)V, (long long)V);
   return 0;
}

static int lookup_weight(const char *fn, const nl_tensor *weight, const char *what) {
   if (check_float(fn, weight, what)) return -1;
   if (weight->_ndim != 2 || nl_numel(weight) == 0) return nl_errorf("nn.%s: %s must be a non-empty matrix", fn, what);
   return 0;
}

NL_API int nl_lookup_table_forward(nl_tensor *output, const nl_tensor *weight, const nl_tensor *input) {
   const char *fn = "LookupTable";
   if (lookup_weight(fn, weight, "weight") || lookup_indices(fn, input) || check_like(fn, output, weight, "output"))
      return -1;
   int64_t D = weight->_size[1], R = nl_numel(input);
   int64_t sz[3] = {input->_size[0], input->_ndim == 2 ? input->_size[1] : D, D};
   if (nl_tensor_resize(output, input->_ndim + 1, sz)) return -1;
   NL_DEVICE_CALL("nn.LookupTable", lookup_table_forward, (output, weight, input), output, weight, input);
   if (check_index_values(fn, input, weight->_size[0])) return -1;
   int nt = threads_for(R * D);
   kernels[weight->_dtype].lookup_fwd(nl_ptr(output), mat_of(weight), nl_ptr(input), R, D, nt);
   return 0;
}

NL_API int nl_lookup_table_acc_grad(nl_tensor *gradWeight, nl_tensor *count, const nl_tensor *input,
                                    const nl_tensor *gradOutput, int scale_by_freq, int64_t padding_value,
                                    double scale) {
   const char *fn = "LookupTable";
   char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
   if (lookup_weight(fn, gradWeight, "gradWeight") || lookup_indices(fn, input) ||
       check_like(fn, gradOutput, gradWeight, "gradOutput"))
      return -1;
   int64_t V = gradWeight->_size[0], D = gradWeight->_size[1], R = nl_numel(input);
   int ok = gradOutput->_ndim == input->_ndim + 1 && gradOutput->_size[gradOutput->_ndim - 1] == D;
   for (int i = 0; ok && i < input->_ndim; i++) ok = gradOutput->_size[i] == input->_size[i];
   if (!ok)
      return nl_errorf("nn.%s: gradOutput has size %s, expected %sx%lld for indices of size %s", fn,
                       nl_shape_str(a, sizeof a, gradOutput), nl_shape_str(b, sizeof b, input), (long long)D,
                       nl_shape_str(b, sizeof b, input));
   if (scale_by_freq) {
      if (!count) return nl_errorf("nn.%s: scaleGradByFreq needs a count buffer", fn);
      if (count->_dtype != NL_LONG) return nl_errorf("nn.%s: the count buffer must be a LongTensor", fn);
      if (nl_tensor_resize(count, 1, &V)) return -1;
      if (!nl_tensor_is_contiguous(count)) return nl_errorf("nn.%s: the count buffer must be contiguous", fn);
   }
   NL_DEVICE_CALL("nn.LookupTable", lookup_table_acc_grad, (gradWeight, count, input, gradOutput), gradWeight, count,
                  input, gradOutput, scale_by_freq, padding_value, scale);
   if (check_index_values(fn, input, V)) return -1;
   /* a temporary on gradOutput's device, so that a device run stays there */
   nl_tensor g2;
   nl_tensor_init(&g2, gradOutput->_dtype, gradOutput->_device);
   const nl_tensor *go = gradOutput;
   if (!nl_tensor_is_contiguous(gradOutput)) {
      if (nl_tensor_resize_as(&g2, gradOutput) || nl_copy(&g2, gradOutput)) { nl_tensor_release(&g2); return -1; }
      go = &g2;
   }
   struct mat gm = {nl_ptr(go), D, 1};
   const int64_t *idx = nl_ptr(input), *cnt = NULL;
   if (scale_by_freq) {
      int64_t *c = nl_ptr(count);
      for (int64_t r = 0; r < R; r++) c[idx[r] - 1] = 0;
      for (int64_t r = 0; r < R; r++) c[idx[r] - 1]++;
      cnt = c;
   }
   int nt = R > 1000 ? threads_for(R * D) : 1;
   kernels[gradWeight->_dtype].lookup_acc(mat_of(gradWeight), gm, idx, cnt, R, V, D, padding_value, scale, nt);
   nl_tensor_release(&g2);
   return 0;
}

static int cmp_index(const void *a, const void *b) {
   int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
   return (x > y) - (x < y);
}

NL_API int nl_lookup_table_renorm(nl_tensor *weight, nl_tensor *rows, const nl_tensor *input, double max_norm,
                                  double norm_type) {
   const char *fn = "LookupTable";
   if (lookup_weight(fn, weight, "weight") || lookup_indices(fn, input)) return -1;
   if (!(norm_type > 0)) return nl_errorf("nn.%s: normType must be positive, got %g", fn, norm_type);
   if (rows->_dtype != NL_LONG) return nl_errorf("nn.%s: the renorm buffer must be a LongTensor", fn);
   int64_t R = nl_numel(input), D = weight->_size[1];
   if (nl_tensor_resize(rows, 1, &R)) return -1;
   if (!nl_tensor_is_contiguous(rows)) return nl_errorf("nn.%s: the renorm buffer must be contiguous", fn);
   NL_DEVICE_CALL("nn.LookupTable", lookup_table_renorm, (weight, rows, input), weight, rows, input, max_norm,
                  norm_type);
   if (check_index_values(fn, input, weight->_size[0]) || nl_copy(rows, input)) return -1;
   int64_t *r = nl_ptr(rows), n = 0;
   qsort(r, (size_t)R, sizeof *r, cmp_index);
   for (int64_t i = 0; i < R; i++)
      if (i == 0 || r[i] != r[i - 1]) r[n++] = r[i];
   struct mat w = mat_of(weight);
   void (*renorm_row)(struct mat, int64_t, int64_t, double, double) = kernels[weight->_dtype].lookup_renorm_row;
   int nt = threads_for(n * D);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t i = 0; i < n; i++) renorm_row(w, r[i] - 1, D, max_norm, norm_type);
   return 0;
}

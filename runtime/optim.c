/* optim.c: fused parameter updates over the flat parameter vector that
 * getParameters() returns: one pass over memory instead of the three or
 * four tensor operations optim.sgd would chain in Lua. Float and double;
 * per-dtype kernels in optim_impl.h, chosen from a table by dtype. A
 * device backend serves these entry points through the gate
 * (lua/optim asks nl_supports before taking the fused path). */
#include "apply.h"
#include "backend.h"
#include <math.h>

#define OCAT_(a, b) a##b
#define OCAT(a, b) OCAT_(a, b)

struct sgd_ctx { void *x, *g, *buf; double lr, wd, mom, damp; int nesterov, init; };
struct adam_ctx { void *x, *g, *m, *v; double b1, b2, eps, step_size; };
struct adagrad_ctx { void *x, *g, *var; double lr; };
struct rmsprop_ctx { void *x, *g, *m; double lr, alpha, eps; };

#define NL_IMPL "optim_impl.h"
#include "dtype_each_float.h"

struct kernels { nl_range_fn sgd, adam, adagrad, rmsprop; };
static const struct kernels kernels[NL_NUM_DTYPES] = {
   [NL_FLOAT] = {sgd_range_Float, adam_range_Float, adagrad_range_Float, rmsprop_range_Float},
   [NL_DOUBLE] = {sgd_range_Double, adam_range_Double, adagrad_range_Double, rmsprop_range_Double},
};

static int check_vec(const char *fn, const char *what, const nl_tensor *ref, const nl_tensor *t) {
   if (!t) return nl_errorf("%s: %s is missing", fn, what);
   if (t->_dtype != ref->_dtype || t->_device != ref->_device)
      return nl_errorf("%s: %s is a %s, the parameters a %s", fn, what, nl_type_name(t), nl_type_name(ref));
   if (nl_numel(t) != nl_numel(ref))
      return nl_errorf("%s: %s has %lld elements, the parameters %lld", fn, what, (long long)nl_numel(t),
                       (long long)nl_numel(ref));
   if (!nl_tensor_is_contiguous(t)) return nl_errorf("%s: %s must be contiguous", fn, what);
   return 0;
}

static int check_x(const char *fn, const nl_tensor *x) {
   if (x->_dtype != NL_FLOAT && x->_dtype != NL_DOUBLE)
      return nl_errorf("%s: parameters must be a FloatTensor or a DoubleTensor, got %s", fn, nl_type_name(x));
   if (!nl_tensor_is_contiguous(x)) return nl_errorf("%s: the parameters must be contiguous", fn);
   return 0;
}

NL_API int nl_sgd_step(nl_tensor *x, nl_tensor *dfdx, nl_tensor *buf, double lr, double wd, double mom, double damp,
                       int nesterov, int init) {
   const char *fn = "optim.sgd";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, dfdx)) return -1;
   if (buf && check_vec(fn, "the momentum buffer", x, buf)) return -1;
   NL_DEVICE_CALL(fn, sgd_step, (x, dfdx, buf), x, dfdx, buf, lr, wd, mom, damp, nesterov, init);
   int64_t n = nl_numel(x);
   struct sgd_ctx c = {nl_ptr(x), nl_ptr(dfdx), buf ? nl_ptr(buf) : NULL, lr, wd, mom, damp, nesterov, init};
   nl_parallel_for(n, n, kernels[x->_dtype].sgd, &c);
   return 0;
}

NL_API int nl_adam_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, nl_tensor *v, double b1, double b2, double eps,
                        double step_size) {
   const char *fn = "optim.adam";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, g) || check_vec(fn, "the first moment", x, m) ||
       check_vec(fn, "the second moment", x, v))
      return -1;
   NL_DEVICE_CALL(fn, adam_step, (x, g, m, v), x, g, m, v, b1, b2, eps, step_size);
   int64_t n = nl_numel(x);
   struct adam_ctx c = {nl_ptr(x), nl_ptr(g), nl_ptr(m), nl_ptr(v), b1, b2, eps, step_size};
   nl_parallel_for(n, n, kernels[x->_dtype].adam, &c);
   return 0;
}

NL_API int nl_adagrad_step(nl_tensor *x, const nl_tensor *g, nl_tensor *var, double lr) {
   const char *fn = "optim.adagrad";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, g) || check_vec(fn, "paramVariance", x, var)) return -1;
   NL_DEVICE_CALL(fn, adagrad_step, (x, g, var), x, g, var, lr);
   int64_t n = nl_numel(x);
   struct adagrad_ctx c = {nl_ptr(x), nl_ptr(g), nl_ptr(var), lr};
   nl_parallel_for(n, n, kernels[x->_dtype].adagrad, &c);
   return 0;
}

NL_API int nl_rmsprop_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, double lr, double alpha, double eps) {
   const char *fn = "optim.rmsprop";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, g) || check_vec(fn, "the mean square", x, m)) return -1;
   NL_DEVICE_CALL(fn, rmsprop_step, (x, g, m), x, g, m, lr, alpha, eps);
   int64_t n = nl_numel(x);
   struct rmsprop_ctx c = {nl_ptr(x), nl_ptr(g), nl_ptr(m), lr, alpha, eps};
   nl_parallel_for(n, n, kernels[x->_dtype].rmsprop, &c);
   return 0;
}

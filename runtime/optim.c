/* optim.c: fused parameter updates over the flat parameter vector that
 * getParameters() returns: one pass over memory instead of the three or
 * four tensor operations optim.sgd would chain in Lua. */
#include "apply.h"
#include <math.h>
#include <omp.h>

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
   if (nl_check_cpu(fn, x)) return -1;
   if (x->_dtype != NL_FLOAT && x->_dtype != NL_DOUBLE)
      return nl_errorf("%s: parameters must be a FloatTensor or a DoubleTensor, got %s", fn, nl_type_name(x));
   if (!nl_tensor_is_contiguous(x)) return nl_errorf("%s: the parameters must be contiguous", fn);
   return 0;
}

#define SGD(T) \
   do { \
      T *px = nl_ptr(x), *pg = nl_ptr(dfdx), *pb = buf ? nl_ptr(buf) : NULL; \
      NL_PARALLEL_FOR(i, n, n >= NL_OMP_MIN && nth > 1, \
         T g = pg[i]; \
         if (wd != 0) { g = g + (T)wd * px[i]; pg[i] = g; } \
         T step = g; \
         if (pb) { \
            T b = init ? g : (T)mom * pb[i] + (T)(1 - damp) * g; \
            pb[i] = b; \
            if (nesterov) { g = g + (T)mom * b; pg[i] = g; step = g; } \
            else step = b; \
         } \
         px[i] = px[i] - (T)lr * step; \
      ); \
   } while (0)

NL_API int nl_sgd_step(nl_tensor *x, nl_tensor *dfdx, nl_tensor *buf, double lr, double wd, double mom, double damp,
                       int nesterov, int init) {
   const char *fn = "optim.sgd";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, dfdx)) return -1;
   if (buf && check_vec(fn, "the momentum buffer", x, buf)) return -1;
   int64_t n = nl_numel(x);
   int nth = nl_threads();
   if (x->_dtype == NL_FLOAT) SGD(float);
   else SGD(double);
   return 0;
}

#define ADAM(T) \
   do { \
      T *px = nl_ptr(x), *pm = nl_ptr(m), *pv = nl_ptr(v); \
      const T *pg = nl_ptr(g); \
      NL_PARALLEL_FOR(i, n, n >= NL_OMP_MIN && nth > 1, \
         T gi = pg[i]; \
         T mi = (T)b1 * pm[i] + (T)(1 - b1) * gi; \
         T vi = (T)b2 * pv[i] + (T)(1 - b2) * gi * gi; \
         pm[i] = mi, pv[i] = vi; \
         px[i] = px[i] - (T)step_size * mi / (sqrt(vi) + (T)eps); \
      ); \
   } while (0)

NL_API int nl_adam_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, nl_tensor *v, double b1, double b2, double eps,
                        double step_size) {
   const char *fn = "optim.adam";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, g) || check_vec(fn, "the first moment", x, m) ||
       check_vec(fn, "the second moment", x, v))
      return -1;
   int64_t n = nl_numel(x);
   int nth = nl_threads();
   if (x->_dtype == NL_FLOAT) ADAM(float);
   else ADAM(double);
   return 0;
}

#define ADAGRAD(T) \
   do { \
      T *px = nl_ptr(x), *pv = nl_ptr(var); \
      const T *pg = nl_ptr(g); \
      NL_PARALLEL_FOR(i, n, n >= NL_OMP_MIN && nth > 1, \
         T gi = pg[i]; \
         T vi = pv[i] + gi * gi; \
         pv[i] = vi; \
         px[i] = px[i] + (T)(-lr) * gi / (sqrt(vi) + (T)1e-10); \
      ); \
   } while (0)

NL_API int nl_adagrad_step(nl_tensor *x, const nl_tensor *g, nl_tensor *var, double lr) {
   const char *fn = "optim.adagrad";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, g) || check_vec(fn, "paramVariance", x, var)) return -1;
   int64_t n = nl_numel(x);
   int nth = nl_threads();
   if (x->_dtype == NL_FLOAT) ADAGRAD(float);
   else ADAGRAD(double);
   return 0;
}

#define RMSPROP(T) \
   do { \
      T *px = nl_ptr(x), *pm = nl_ptr(m); \
      const T *pg = nl_ptr(g); \
      NL_PARALLEL_FOR(i, n, n >= NL_OMP_MIN && nth > 1, \
         T gi = pg[i]; \
         T mi = (T)alpha * pm[i] + (T)(1 - alpha) * gi * gi; \
         pm[i] = mi; \
         px[i] = px[i] + (T)(-lr) * gi / (sqrt(mi) + (T)eps); \
      ); \
   } while (0)

NL_API int nl_rmsprop_step(nl_tensor *x, const nl_tensor *g, nl_tensor *m, double lr, double alpha, double eps) {
   const char *fn = "optim.rmsprop";
   if (check_x(fn, x) || check_vec(fn, "the gradient", x, g) || check_vec(fn, "the mean square", x, m)) return -1;
   int64_t n = nl_numel(x);
   int nth = nl_threads();
   if (x->_dtype == NL_FLOAT) RMSPROP(float);
   else RMSPROP(double);
   return 0;
}

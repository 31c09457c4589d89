/* criterion_impl.h: the kernels of criterion.c for one dtype: ClassNLL
 * and the elementwise criterion rows. Included once per float dtype by
 * criterion.c with T (element type) and SUF (name suffix) defined. Losses
 * and gradients are computed in double (libm's log and exp for both
 * dtypes). */
#define FN(name) NL_NN_CAT(name, SUF)

/* ClassNLL over n rows of c classes (input (n, c) or (c)): *sum = the sum
 * of -w[t] x[i][t], *tw = the sum of w[t] over the rows whose target is
 * not ignore_index; -1 with the error set at a target out of 1..c */
static int FN(nll_fwd_)(const char *fn, double *sum, double *tw, const nl_tensor *input, const nl_tensor *target,
                        const nl_tensor *weights, int64_t n, int64_t c, int64_t ignore_index) {
   const T *x = nl_ptr(input), *w = weights ? nl_ptr(weights) : NULL;
   double s = 0, tot = 0;
   for (int64_t i = 0; i < n; i++) {
      int64_t t = target_at(target, i);
      if (t == ignore_index) continue;
      if (t < 1 || t > c) return bad_target(fn, t, c);
      double wt = w ? (double)w[off2(weights, 0, t - 1)] : 1;
      s -= wt * x[off2(input, i, t - 1)];
      tot += wt;
   }
   *sum = s;
   *tw = tot;
   return 0;
}

/* gradInput (zeroed, the input's shape): -w[t] * norm at each counted
 * row's target */
static int FN(nll_bwd_)(const char *fn, nl_tensor *gradInput, const nl_tensor *target, const nl_tensor *weights,
                        int64_t n, int64_t c, int64_t ignore_index, double norm) {
   T *g = nl_ptr(gradInput);
   const T *w = weights ? nl_ptr(weights) : NULL;
   for (int64_t i = 0; i < n; i++) {
      int64_t t = target_at(target, i);
      if (t == ignore_index) continue;
      if (t < 1 || t > c) return bad_target(fn, t, c);
      double wt = w ? (double)w[off2(weights, 0, t - 1)] : 1;
      g[off2(gradInput, i, t - 1)] = (T)(-wt * norm);
   }
   return 0;
}

/* c->sum += the losses of the row; p[0] input, p[1] target, p[2] BCE's
 * weights (when c->has_w). c is this block's own context: one thread. */
static void FN(loss_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   struct cctx *c = ctx;
   const T *x = (const T *)p[0], *y = (const T *)p[1], *w = c->has_w ? (const T *)p[2] : NULL;
   /* one running sum in element order, as Torch7's THNN adds them */
   double acc = c->sum;
   for (int64_t i = 0; i < n; i++) {
      double a = x[i * s[0]], b = y[i * s[1]], d = a - b, v;
      switch (c->op) {
      case NL_CRIT_MSE: v = d * d; break;
      case NL_CRIT_ABS: v = fabs(d); break;
      case NL_CRIT_SMOOTHL1: v = fabs(d) < 1 ? 0.5 * d * d : fabs(d) - 0.5; break;
      case NL_CRIT_BCE: {
         const double eps = 1e-12;
         v = -(b * log(a + eps) + (1 - b) * log(1 - a + eps));
         if (w) v *= w[i * s[2]];
         break;
      }
      case NL_CRIT_DISTKLDIV: v = b > 0 ? b * (log(b) - a) : 0; break;
      default: v = log(1 + exp(-a * b)); break;
      }
      acc += v;
   }
   c->sum = acc;
}

/* g = dloss/dx * c->norm; p[0] gradInput, p[1] input, p[2] target, p[3]
 * BCE's weights (when c->has_w) */
static void FN(grad_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const struct cctx *c = ctx;
   T *g = (T *)p[0];
   const T *x = (const T *)p[1], *y = (const T *)p[2], *w = c->has_w ? (const T *)p[3] : NULL;
   const double norm = c->norm;
   for (int64_t i = 0; i < n; i++) {
      double a = x[i * s[1]], b = y[i * s[2]], d = a - b, v;
      switch (c->op) {
      case NL_CRIT_MSE: v = 2 * d; break;
      case NL_CRIT_ABS: v = d >= 0 ? 1 : -1; break;   /* Torch7: +1 where input == target */
      case NL_CRIT_SMOOTHL1: v = d < -1 ? -1 : (d > 1 ? 1 : d); break;
      case NL_CRIT_BCE: {
         const double eps = 1e-12;
         v = -(b - a) / ((1 - a + eps) * (a + eps));
         if (w) v *= w[i * s[3]];
         break;
      }
      case NL_CRIT_DISTKLDIV: v = b > 0 ? -b : 0; break;
      default: {
         double e = exp(-a * b);
         v = -b * e / (1 + e);
         break;
      }
      }
      g[i * s[0]] = (T)(v * norm);
   }
}

#undef FN

/* random_impl.h: the tensor fills of random.c for one dtype. Included once
 * per dtype by random.c with T (element type), SUF (name suffix) and FLT
 * (1 for floating types) defined. Every kernel draws from the global
 * generator in the order it visits elements: callers run them serially. */
#define FN(name) RCAT(name, SUF)

/* A row of a fill (nl_iter row function): p[0] the tensor, p[1] the
 * probabilities (double) of a bernoulli with a tensor. Each distribution
 * is a plain loop so no call is made per element beyond the generator. */
static void FN(fill_row_)(void *vctx, int64_t n, char **p, const int64_t *s) {
   const fill_ctx *c = (const fill_ctx *)vctx;
   T *r = (T *)p[0];
   int64_t st = s[0];
   if (c->prob_tensor) {
      const double *q = (const double *)p[1];
      for (int64_t i = 0; i < n; i++) r[i * st] = (T)(draw_unit() <= q[i * s[1]] ? 1 : 0);
      return;
   }
   switch (c->dist) {
   case NL_RNG_RANDOM:
   case NL_RNG_RANDOM1:
   case NL_RNG_RANDOM2:
      for (int64_t i = 0; i < n; i++) r[i * st] = (T)draw_range(c->lo, c->range);
      break;
   case NL_RNG_UNIFORM:
      for (int64_t i = 0; i < n; i++) r[i * st] = (T)(draw_unit() * (c->b - c->a) + c->a);
      break;
   case NL_RNG_NORMAL:
      for (int64_t i = 0; i < n; i++) r[i * st] = (T)draw_normal(c->a, c->b);
      break;
   default: /* integer tensors: through int64_t, a defined conversion */
      for (int64_t i = 0; i < n; i++) {
         double v = draw(c->dist, c->a, c->b);
         r[i * st] = FLT ? (T)v : (T)(int64_t)v;
      }
      break;
   }
}

/* r: (n) with stride st, made a random permutation of 1..n (Torch7's
 * swaps: position i takes the element at i + random % (n - i)) */
static void FN(perm_)(void *vr, int64_t n, int64_t st) {
   T *r = (T *)vr;
   for (int64_t i = 0; i < n; i++) r[i * st] = (T)(i + 1);
   for (int64_t i = 0; i < n - 1; i++) {
      int64_t z = (int64_t)(draw32() % (uint64_t)(n - i));
      T sav = r[i * st];
      r[i * st] = r[(z + i) * st];
      r[(z + i) * st] = sav;
   }
}

#undef FN

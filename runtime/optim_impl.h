/* optim_impl.h: the fused parameter updates of optim.c for one dtype.
 * Included once per float dtype by optim.c with T (element type) and SUF
 * (name suffix) defined. Each kernel is a range function for
 * nl_parallel_for over the elements [begin, end) of the flat parameter
 * vector; elements are independent, so any split gives the same bits.
 * The arithmetic (casts to T, sqrt in double) is Torch7's optim chain of
 * tensor operations written per element, so trajectories match it. */
#define FN(name) OCAT(name, SUF)

/* x, g, buf: (n); buf NULL without momentum */
static void FN(sgd_range_)(void *vctx, int64_t begin, int64_t end, int tid) {
   (void)tid;
   const struct sgd_ctx *c = vctx;
   T *px = c->x, *pg = c->g, *pb = c->buf;
   const double lr = c->lr, wd = c->wd, mom = c->mom, damp = c->damp;
   const int nesterov = c->nesterov, init = c->init;
   for (int64_t i = begin; i < end; i++) {
      T g = pg[i];
      if (wd != 0) { g = g + (T)wd * px[i]; pg[i] = g; }
      T step = g;
      if (pb) {
         T b = init ? g : (T)mom * pb[i] + (T)(1 - damp) * g;
         pb[i] = b;
         if (nesterov) { g = g + (T)mom * b; pg[i] = g; step = g; }
         else step = b;
      }
      px[i] = px[i] - (T)lr * step;
   }
}

/* x, g, m, v: (n) */
static void FN(adam_range_)(void *vctx, int64_t begin, int64_t end, int tid) {
   (void)tid;
   const struct adam_ctx *c = vctx;
   T *px = c->x, *pm = c->m, *pv = c->v;
   const T *pg = c->g;
   const double b1 = c->b1, b2 = c->b2, eps = c->eps, step_size = c->step_size;
   for (int64_t i = begin; i < end; i++) {
      T gi = pg[i];
      T mi = (T)b1 * pm[i] + (T)(1 - b1) * gi;
      T vi = (T)b2 * pv[i] + (T)(1 - b2) * gi * gi;
      pm[i] = mi, pv[i] = vi;
      px[i] = px[i] - (T)step_size * mi / (sqrt(vi) + (T)eps);
   }
}

/* x, g, var: (n) */
static void FN(adagrad_range_)(void *vctx, int64_t begin, int64_t end, int tid) {
   (void)tid;
   const struct adagrad_ctx *c = vctx;
   T *px = c->x, *pv = c->var;
   const T *pg = c->g;
   const double lr = c->lr;
   for (int64_t i = begin; i < end; i++) {
      T gi = pg[i];
      T vi = pv[i] + gi * gi;
      pv[i] = vi;
      px[i] = px[i] + (T)(-lr) * gi / (sqrt(vi) + (T)1e-10);
   }
}

/* x, g, m: (n) */
static void FN(rmsprop_range_)(void *vctx, int64_t begin, int64_t end, int tid) {
   (void)tid;
   const struct rmsprop_ctx *c = vctx;
   T *px = c->x, *pm = c->m;
   const T *pg = c->g;
   const double lr = c->lr, alpha = c->alpha, eps = c->eps;
   for (int64_t i = begin; i < end; i++) {
      T gi = pg[i];
      T mi = (T)alpha * pm[i] + (T)(1 - alpha) * gi * gi;
      pm[i] = mi;
      px[i] = px[i] + (T)(-lr) * gi / (sqrt(mi) + (T)eps);
   }
}

#undef FN

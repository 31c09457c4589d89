/* batchnorm_impl.h: the batch normalisation kernels of batchnorm.c for
 * one dtype. Included once per float dtype by batchnorm.c with T (element
 * type) and SUF (name suffix) defined. Each range function handles the
 * features [begin, end) of x, y: (N, F, S) contiguous; sums in double. */
#define FN(name) NL_NN_CAT(name, SUF)

static void FN(fwd_range_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct bnctx *c = ctx;
   const int64_t N = c->N, F = c->F, S = c->S;
   const T *x = c->x;
   T *y = c->y;
   (void)tid;
   for (int64_t f = begin; f < end; f++) {
      double mean, invstd;
      if (c->training) {
         double sum = 0, ss = 0;
         for (int64_t n = 0; n < N; n++) {
            const T *r = x + (n * F + f) * S;
            for (int64_t i = 0; i < S; i++) sum += r[i];
         }
         mean = sum / (N * S);
         for (int64_t n = 0; n < N; n++) {
            const T *r = x + (n * F + f) * S;
            for (int64_t i = 0; i < S; i++) {
               double d = r[i] - mean;
               ss += d * d;
            }
         }
         invstd = 1 / sqrt(ss / (N * S) + c->eps);
         VSET(c->sm, f, mean);
         VSET(c->si, f, invstd);
         if (c->rm.p) VSET(c->rm, f, c->momentum * mean + (1 - c->momentum) * VGET(c->rm, f, 0));
         if (c->rv.p) VSET(c->rv, f, c->momentum * ss / (N * S - 1) + (1 - c->momentum) * VGET(c->rv, f, 0));
      } else {
         mean = VGET(c->rm, f, 0);
         invstd = 1 / sqrt(VGET(c->rv, f, 1) + c->eps);
      }
      double a = invstd * VGET(c->w, f, 1);
      T sc = (T)a, sh = (T)(VGET(c->b, f, 0) - mean * a);
      for (int64_t n = 0; n < N; n++) {
         const T *r = x + (n * F + f) * S;
         T *o = y + (n * F + f) * S;
         for (int64_t i = 0; i < S; i++) o[i] = r[i] * sc + sh;
      }
   }
}

/* c->y: gradInput or NULL; c->go: gradOutput (N, F, S) contiguous */
static void FN(bwd_range_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct bnctx *c = ctx;
   const int64_t N = c->N, F = c->F, S = c->S;
   const T *x = c->x, *go = c->go;
   T *gi = c->y;
   const int training = c->training;
   const double scale = c->scale;
   (void)tid;
   for (int64_t f = begin; f < end; f++) {
      double mean = training ? VGET(c->sm, f, 0) : VGET(c->rm, f, 0);
      double invstd = training ? VGET(c->si, f, 1) : 1 / sqrt(VGET(c->rv, f, 1) + c->eps);
      double wf = VGET(c->w, f, 1), sum = 0, dot = 0;
      for (int64_t n = 0; n < N; n++) {
         const T *r = x + (n * F + f) * S, *g = go + (n * F + f) * S;
         for (int64_t i = 0; i < S; i++) {
            sum += g[i];
            dot += (r[i] - mean) * g[i];
         }
      }
      if (gi) {
         /* training: (go - (x - mean) k - mean(go)) invstd w; evaluation: go invstd w */
         double k = training ? dot * invstd * invstd / (N * S) : 0, gm = training ? sum / (N * S) : 0;
         T a = (T)(invstd * wf), c1 = (T)(k * invstd * wf), c0 = (T)((mean * k - gm) * invstd * wf);
         for (int64_t n = 0; n < N; n++) {
            const T *r = x + (n * F + f) * S, *g = go + (n * F + f) * S;
            T *o = gi + (n * F + f) * S;
            for (int64_t i = 0; i < S; i++) o[i] = g[i] * a - r[i] * c1 + c0;
         }
      }
      if (c->gw.p && scale != 0) VSET(c->gw, f, VGET(c->gw, f, 0) + scale * dot * invstd);
      if (c->gb.p && scale != 0) VSET(c->gb, f, VGET(c->gb, f, 0) + scale * sum);
   }
}

#undef FN

/* criterion_margin_impl.h: L1HingeEmbedding's row kernels of
 * criterion_margin.c for one dtype. Included once per float dtype with T
 * (element type) and SUF (name suffix) defined. Both run serially (the
 * random draws of l1sign must come in element order). */
#define FN(name) NL_CAT(name, SUF)

/* c->sum += |a - b|_1 over the row; p[0] x1, p[1] x2 */
static void FN(l1dist_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   struct l1ctx *c = ctx;
   const T *a = (const T *)p[0], *b = (const T *)p[1];
   for (int64_t i = 0; i < n; i++) c->sum += fabs((double)a[i * s[0]] - (double)b[i * s[1]]);
}

/* g1 = f * sign(x1 - x2), g2 = -g1, f (*ctx) 1, -1 or 0; a random +-1
 * where x1 = x2; p[0] g1, p[1] g2, p[2] x1, p[3] x2 */
static void FN(l1sign_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const double f = *(const double *)ctx;
   T *g1 = (T *)p[0], *g2 = (T *)p[1];
   const T *a = (const T *)p[2], *b = (const T *)p[3];
   for (int64_t i = 0; i < n; i++) {
      T d = a[i * s[2]] - b[i * s[3]];
      double v;
      if (d > 0) v = 1;
      else if (d < 0) v = -1;
      else {
         nl_random_draw(&v, NL_RNG_RANDOM1, 0, 2);
         v = 2 * v - 3;
      }
      v = f == 0 ? 0 : v * f;
      g1[i * s[0]] = (T)v;
      g2[i * s[1]] = (T)(f == 0 ? 0 : -v);
   }
}

#undef FN

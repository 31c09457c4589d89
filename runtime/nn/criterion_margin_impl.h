/* criterion_margin_impl.h: the kernels of criterion_margin.c for one
 * dtype. Included once per float dtype (dtype_each_float.h: T, SUF,
 * DSIZE); SIGMOID (the sigmoid in T's precision, as a double) is picked
 * below. The front functions have checked every size, device and
 * target; the kernels only compute. Elements are read as double (RD) and
 * stored rounded to T (WR); losses are summed in double. */

/* the routines of this precision */
#if DSIZE == 4
#define SIGMOID(x) ((double)(1.0f / (1.0f + expf(-(float)(x)))))
#else
#define SIGMOID(x) (1 / (1 + exp(-(x))))
#endif
#define FN(name) NL_NN_CAT(name, SUF)

/* Marks the targets of row i in is_target (1 at each target class); returns
 * how many targets the row has (they end at the first value < 1). */
static int64_t FN(mark_targets_)(nl_tensor *is_target, const nl_tensor *target, int64_t i, int64_t c) {
   int64_t k = 0;
   for (int64_t d = 0; d < c; d++) WR(is_target, off2(is_target, i, d), 0);
   for (; k < c; k++) {
      int64_t t = lrd(target, off2(target, i, k));
      if (t < 1) break;
      WR(is_target, off2(is_target, i, t - 1), 1);
   }
   return k;
}

static struct cosrow FN(cos_row_)(const nl_tensor *x1, const nl_tensor *x2, int64_t i, int64_t c) {
   struct cosrow r = {0, 0, 0, 0, 0};
   double s1 = 0, s2 = 0;
   for (int64_t d = 0; d < c; d++) {
      double a = RD(x1, off2(x1, i, d)), b = RD(x2, off2(x2, i, d));
      r.dot += a * b;
      s1 += a * a;
      s2 += b * b;
   }
   r.w22 = 1 / (s1 + 1e-12);
   r.w32 = 1 / (s2 + 1e-12);
   r.w = sqrt(r.w22 * r.w32);
   r.cos = r.dot * r.w;
   return r;
}

static void FN(mm_fwd_)(const struct margs *a) {
   double *loss = a->loss;
   const nl_tensor *input = a->x1, *target = a->x2, *weights = a->w;
   const int p = a->p, size_average = a->size_average;
   const double margin = a->margin;
   const int64_t n = a->n, c = a->c;
   double total = 0;
   for (int64_t i = 0; i < n; i++) {
      int64_t t = lrd(target, i * target->_stride[0]) - 1;
      double xt = RD(input, off2(input, i, t)), w = weights ? RD(weights, t * weights->_stride[0]) : 1, sum = 0;
      for (int64_t d = 0; d < c; d++) {
         double z = margin - xt + RD(input, off2(input, i, d));
         if (d == t || z <= 0) continue;
         double h = p == 1 ? z : z * z;
         sum += weights ? h * w : h;
      }
      total += sum / c;
   }
   *loss = size_average ? total / n : total;
}

static void FN(mm_bwd_)(const struct margs *a) {
   nl_tensor *gradInput = a->g1;
   const nl_tensor *input = a->x1, *target = a->x2, *weights = a->w;
   const int p = a->p, size_average = a->size_average;
   const double margin = a->margin;
   const int64_t n = a->n, c = a->c;
   double g = size_average ? 1.0 / ((double)n * c) : 1.0 / c;
   for (int64_t i = 0; i < n; i++) {
      int64_t t = lrd(target, i * target->_stride[0]) - 1;
      double xt = RD(input, off2(input, i, t)), w = weights ? RD(weights, t * weights->_stride[0]) : 1, gt = 0;
      for (int64_t d = 0; d < c; d++) {
         if (d == t) continue;
         double z = margin - xt + RD(input, off2(input, i, d)), h = 0;
         if (z > 0) {
            h = p == 1 ? g : 2 * g * z;
            if (weights) h *= w;
            gt -= h;
         }
         WR(gradInput, off2(gradInput, i, d), h);
      }
      WR(gradInput, off2(gradInput, i, t), gt);
   }
}

static void FN(mlm_fwd_)(const struct margs *a) {
   double *loss = a->loss;
   nl_tensor *is_target = a->g2;
   const nl_tensor *input = a->x1, *target = a->x2;
   const int size_average = a->size_average;
   const int64_t n = a->n, c = a->c;
   double total = 0;
   for (int64_t i = 0; i < n; i++) {
      int64_t k = FN(mark_targets_)(is_target, target, i, c);
      double sum = 0;
      for (int64_t j = 0; j < k; j++) {
         double xt = RD(input, off2(input, i, lrd(target, off2(target, i, j)) - 1));
         for (int64_t d = 0; d < c; d++) {
            if (RD(is_target, off2(is_target, i, d)) != 0) continue;
            double z = 1 - xt + RD(input, off2(input, i, d));
            if (z > 0) sum += z;
         }
      }
      total += sum;
   }
   total /= c;
   *loss = size_average ? total / n : total;
}

static void FN(mlm_bwd_)(const struct margs *a) {
   nl_tensor *gradInput = a->g1, *is_target = a->g2;
   const nl_tensor *input = a->x1, *target = a->x2;
   const int size_average = a->size_average;
   const int64_t n = a->n, c = a->c;
   double g = size_average ? 1.0 / ((double)n * c) : 1.0 / c;
   for (int64_t i = 0; i < n; i++) {
      int64_t k = FN(mark_targets_)(is_target, target, i, c);
      for (int64_t j = 0; j < k; j++) {
         int64_t t = lrd(target, off2(target, i, j)) - 1;
         double xt = RD(input, off2(input, i, t)), gt = 0;
         for (int64_t d = 0; d < c; d++) {
            if (RD(is_target, off2(is_target, i, d)) != 0) continue;
            if (1 - xt + RD(input, off2(input, i, d)) > 0) {
               gt -= g;
               int64_t o = off2(gradInput, i, d);
               WR(gradInput, o, RD(gradInput, o) + g);
            }
         }
         int64_t o = off2(gradInput, i, t);
         WR(gradInput, o, RD(gradInput, o) + gt);
      }
   }
}

static void FN(mlsm_fwd_)(const struct margs *a) {
   double *loss = a->loss;
   const nl_tensor *input = a->x1, *target = a->x2, *weights = a->w;
   const int size_average = a->size_average;
   const int64_t n = a->n, c = a->c;
   double sum = 0;
   for (int64_t i = 0; i < n; i++)
      for (int64_t d = 0; d < c; d++) {
         /* Torch7's stable form, op for op: log(1 + exp(x - 2 x [x >= 0])) - (t - [x >= 0]) x */
         double x = RD(input, off2(input, i, d)), y = RD(target, off2(target, i, d));
         double ind = x >= 0 ? 1 : 0;
         double v = log(exp(x * ind * -2 + x) + 1) - (-ind + y) * x;
         if (weights) v *= RD(weights, d * weights->_stride[0]);
         sum += v;
      }
   *loss = size_average ? sum / (double)(n * c) : sum;
}

static void FN(mlsm_bwd_)(const struct margs *a) {
   nl_tensor *gradInput = a->g1;
   const nl_tensor *input = a->x1, *target = a->x2, *weights = a->w;
   const int size_average = a->size_average;
   const int64_t n = a->n, c = a->c;
   const double count = (double)(n * c);
   for (int64_t i = 0; i < n; i++)
      for (int64_t d = 0; d < c; d++) {
         /* Torch7's: (sigmoid(x) - t) [* w] [/ n] */
         double p = SIGMOID(RD(input, off2(input, i, d))), y = RD(target, off2(target, i, d));
         double gp = p - y;
         if (weights) gp *= RD(weights, d * weights->_stride[0]);
         if (size_average) gp /= count;
         WR(gradInput, off2(gradInput, i, d), gp);
      }
}

static void FN(cos_fwd_)(const struct margs *a) {
   double *loss = a->loss;
   const nl_tensor *x1 = a->x1, *x2 = a->x2, *y = a->w;
   const int size_average = a->size_average;
   const double margin = a->margin;
   const int64_t n = a->n, c = a->c;
   double sum = 0;
   for (int64_t i = 0; i < n; i++) {
      struct cosrow r = FN(cos_row_)(x1, x2, i, c);
      if (RD(y, i * y->_stride[0]) == -1) sum += r.cos - margin > 0 ? r.cos - margin : 0;
      else sum += 1 - r.cos;
   }
   *loss = size_average ? sum / n : sum;
}

static void FN(cos_bwd_)(const struct margs *a) {
   nl_tensor *g1 = a->g1, *g2 = a->g2;
   const nl_tensor *x1 = a->x1, *x2 = a->x2, *y = a->w;
   const int size_average = a->size_average;
   const double margin = a->margin;
   const int64_t n = a->n, c = a->c;
   for (int64_t i = 0; i < n; i++) {
      struct cosrow r = FN(cos_row_)(x1, x2, i, c);
      int pos = RD(y, i * y->_stride[0]) == 1;
      double out = pos ? 1 - r.cos : (r.cos - margin > 0 ? r.cos - margin : 0);
      double sign = pos ? -1 : 1;
      if (size_average) sign /= n;
      for (int64_t d = 0; d < c; d++) {
         double a = RD(x1, off2(x1, i, d)), b = RD(x2, off2(x2, i, d)), v1 = 0, v2 = 0;
         if (out > 0) {
            v1 = (b - r.dot * r.w22 * a) * r.w * sign;
            v2 = (a - r.dot * r.w32 * b) * r.w * sign;
         }
         WR(g1, off2(g1, i, d), v1);
         WR(g2, off2(g2, i, d), v2);
      }
   }
}

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
#undef SIGMOID

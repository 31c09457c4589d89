/* math_reduce_impl.h: reduction kernels for one dtype (T, SUF, FLT as in
 * math_pointwise_impl.h). Accumulation is in double (Torch7's accreal for
 * floating types); max/min propagate NaN as Torch7 does. */
#define FN(name) NL_CAT(name, SUF)

/* Whole-tensor partials: one per block, combined by the caller. */
static void FN(reduce_all_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   struct rpart *pt = ctx, *c = pt;
   const T *a = (const T *)p[0];
   const int64_t sa = s[0];
   double acc = pt->acc, acc2 = pt->acc2;
   switch (c->op) {
   case NL_R_SUM:
   case NL_R_MEAN:
      if (sa == 1) for (int64_t i = 0; i < n; i++) acc += a[i];
      else for (int64_t i = 0; i < n; i++) acc += a[i * sa];
      break;
   case NL_R_PROD: for (int64_t i = 0; i < n; i++) acc *= a[i * sa]; break;
   case NL_R_MAX:
      for (int64_t i = 0; i < n; i++) {
         double x = a[i * sa];
         if (!(x <= acc)) acc = x;    /* NaN wins */
         if (x != x) break;
      }
      break;
   case NL_R_MIN:
      for (int64_t i = 0; i < n; i++) {
         double x = a[i * sa];
         if (!(x >= acc)) acc = x;
         if (x != x) break;
      }
      break;
   case NL_R_NORM: {
      const double pw = c->arg;
      if (pw == 2) for (int64_t i = 0; i < n; i++) { double x = a[i * sa]; acc += x * x; }
      else if (pw == 1) for (int64_t i = 0; i < n; i++) acc += fabs((double)a[i * sa]);
      else if (pw == 0) for (int64_t i = 0; i < n; i++) acc += a[i * sa] != 0;
      else if (isinf(pw)) for (int64_t i = 0; i < n; i++) { double x = fabs((double)a[i * sa]); if (x > acc) acc = x; }
#if FLT && DSIZE == 4
      /* float: powf per element, as Torch7's TH_MATH_NAME(pow) */
      else for (int64_t i = 0; i < n; i++) acc += powf(fabsf((float)a[i * sa]), (float)pw);
#else
      else for (int64_t i = 0; i < n; i++) acc += pow(fabs((double)a[i * sa]), pw);
#endif
      break;
   }
   case NL_R_VAR:
   case NL_R_STD:
      /* sums around the shift value (the first element), for stability */
      for (int64_t i = 0; i < n; i++) { double x = a[i * sa] - c->shift; acc += x; acc2 += x * x; }
      break;
   case NL_R_ALL: for (int64_t i = 0; i < n; i++) if (!a[i * sa]) { acc = 0; break; } break;
   case NL_R_ANY: for (int64_t i = 0; i < n; i++) if (a[i * sa]) { acc = 1; break; } break;
   default: break;
   }
   pt->acc = acc;
   pt->acc2 = acc2;
   pt->n += n;
}

/* One slice along the reduced dimension: p[0] input, p[1] result, p[2]
 * index (or the result again when there is none). */
static void FN(reduce_slice_)(void *ctx, const nl_iter *it, char **p) {
   const struct rctx *c = ctx;
   T *r = (T *)p[1];
   int64_t *ix = c->has_idx ? (int64_t *)p[2] : NULL;
   const T *a = (const T *)p[0];
   const int64_t n = it->dsize, sa = it->dstride[0];
   double acc = 0;
   int64_t best = 0;
   switch (c->op) {
   case NL_R_SUM: for (int64_t i = 0; i < n; i++) acc += a[i * sa]; break;
   case NL_R_MEAN: for (int64_t i = 0; i < n; i++) acc += a[i * sa]; acc /= n; break;
   case NL_R_PROD: acc = 1; for (int64_t i = 0; i < n; i++) acc *= a[i * sa]; break;
   case NL_R_MAX:
   case NL_R_MIN: {
      T b = a[0];
      for (int64_t i = 1; i < n; i++) {
         T x = a[i * sa];
         if (isnan((double)b)) break;
         if (isnan((double)x) || (c->op == NL_R_MAX ? x > b : x < b)) { b = x; best = i; }
      }
      if (ix) *ix = best + 1;
      *r = b;
      return;
   }
   case NL_R_NORM: {
      const double pw = c->arg;
      if (isinf(pw)) { for (int64_t i = 0; i < n; i++) { double x = fabs((double)a[i * sa]); if (x > acc) acc = x; } }
      else if (pw == 0) { for (int64_t i = 0; i < n; i++) acc += a[i * sa] != 0; }
      else {
#if FLT && DSIZE == 4
         /* float, every p: powf terms and root, as Torch7's norm along a dimension */
         for (int64_t i = 0; i < n; i++) acc += powf(fabsf((float)a[i * sa]), (float)pw);
         acc = powf((float)acc, (float)(1 / pw));
#else
         for (int64_t i = 0; i < n; i++) acc += pow(fabs((double)a[i * sa]), pw);
         acc = pow(acc, 1 / pw);
#endif
      }
      break;
   }
   case NL_R_VAR:
   case NL_R_STD: {
      double mean = 0, m2 = 0;
      for (int64_t i = 0; i < n; i++) {   /* Welford */
         double x = a[i * sa], d = x - mean;
         mean += d / (i + 1);
         m2 += d * (x - mean);
      }
      double denom = c->arg ? (double)n : (double)(n - 1);
      acc = m2 / denom;   /* one element, unbiased: 0/0, NaN as Torch7 */
      if (c->op == NL_R_STD) acc = sqrt(acc);
      break;
   }
   case NL_R_ALL: acc = 1; for (int64_t i = 0; i < n; i++) if (!a[i * sa]) { acc = 0; break; } break;
   case NL_R_ANY: for (int64_t i = 0; i < n; i++) if (a[i * sa]) { acc = 1; break; } break;
   default: break;
   }
   *r = (T)acc;
}

/* cumulative sum/product along the dimension: p[0] result, p[1] input */
static void FN(cumulate_slice_)(void *ctx, const nl_iter *it, char **p) {
   const struct rctx *c = ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1];
   const int64_t n = it->dsize, sr = it->dstride[0], sa = it->dstride[1];
#if FLT
   /* in double, rounded per element, as Torch7's accreal */
   double acc = c->op == NL_R_PROD ? 1 : 0;
   for (int64_t i = 0; i < n; i++) {
      acc = c->op == NL_R_PROD ? acc * a[i * sa] : acc + a[i * sa];
      r[i * sr] = (T)acc;
   }
#else
   T acc = c->op == NL_R_PROD ? 1 : 0;
   for (int64_t i = 0; i < n; i++) {
      acc = c->op == NL_R_PROD ? (T)(acc * a[i * sa]) : (T)(acc + a[i * sa]);
      r[i * sr] = acc;
   }
#endif
}

/* sum of |a - b|^p over rows: p[0] a, p[1] b */
static void FN(dist_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   struct rpart *pt = ctx, *c = pt;
   const T *a = (const T *)p[0], *b = (const T *)p[1];
   const double pw = c->arg;
   double acc = pt->acc;
   for (int64_t i = 0; i < n; i++) {
      double d = fabs((double)a[i * s[0]] - (double)b[i * s[1]]);
      if (isinf(pw)) { if (d > acc) acc = d; }
      else if (pw == 2) acc += d * d;
      else if (pw == 1) acc += d;
      else if (pw == 0) acc += d != 0;
      else acc += pow(d, pw);
   }
   pt->acc = acc;
}

#undef FN

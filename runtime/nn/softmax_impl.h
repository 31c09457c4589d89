/* softmax_impl.h: the SoftMax / LogSoftMax kernels of softmax.c for one
 * dtype. Included once per float dtype by softmax.c (dtype_each_float.h:
 * T, SUF, DSIZE); EXP is picked below (fast_expf for float, libm's exp
 * for double). */

/* the routines of this precision */
#if DSIZE == 4
#define EXP fast_expf
#else
#define EXP exp
#endif
#define FN(name) NL_NN_CAT(name, SUF)

/* One row along `dim` with stride st: the max, the sum of exp(x - max) in
 * double, then the outputs. The reductions are `omp simd` loops (vector
 * partial sums, in a fixed order for a given build). Inlined with st = 1
 * for the common contiguous rows, so that they vectorise. */
static inline __attribute__((always_inline)) void FN(fwd_row_)(T *y, const T *x, int64_t dim, int64_t st,
                                                                int is_log) {
   T mx = x[0];
#pragma omp simd reduction(max : mx)
   for (int64_t d = 1; d < dim; d++) mx = x[d * st] > mx ? x[d * st] : mx;
   double sum = 0;
   if (is_log) {
#pragma omp simd reduction(+ : sum)
      for (int64_t d = 0; d < dim; d++) sum += EXP(x[d * st] - mx);
      double lse = mx + log(sum);   /* x - lse in double, as Torch7's accreal */
      for (int64_t d = 0; d < dim; d++) y[d * st] = (T)(x[d * st] - lse);
   } else {
#pragma omp simd reduction(+ : sum)
      for (int64_t d = 0; d < dim; d++) {
         T e = EXP(x[d * st] - mx);
         y[d * st] = e;
         sum += e;
      }
      T inv = (T)(1 / sum);
      for (int64_t d = 0; d < dim; d++) y[d * st] *= inv;
   }
}

static inline __attribute__((always_inline)) void FN(bwd_row_)(T *r, const T *g, const T *y, int64_t dim, int64_t st,
                                                                int is_log) {
   double acc = 0;
   if (is_log) {
#pragma omp simd reduction(+ : acc)
      for (int64_t d = 0; d < dim; d++) acc += g[d * st];
      T a = (T)acc;
      for (int64_t d = 0; d < dim; d++) r[d * st] = g[d * st] - EXP(y[d * st]) * a;
   } else {
#pragma omp simd reduction(+ : acc)
      for (int64_t d = 0; d < dim; d++) acc += g[d * st] * y[d * st];
      T a = (T)acc;
      for (int64_t d = 0; d < dim; d++) r[d * st] = y[d * st] * (g[d * st] - a);
   }
}

/* rows [begin, end) of the (outer, dim, inner) geometry: row o starts at
 * (o / inner) dim inner + o % inner and runs at stride inner.
 * c->out = y, c->in = x, all contiguous (outer, dim, inner) */
static void FN(fwd_range_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct smctx *c = ctx;
   T *out = c->out;
   const T *in = c->in;
   const int64_t dim = c->dim, inner = c->inner;
   (void)tid;
   for (int64_t o = begin; o < end; o++) {
      int64_t base = (o / inner) * dim * inner + o % inner;
      if (inner == 1) FN(fwd_row_)(out + base, in + base, dim, 1, c->is_log);
      else FN(fwd_row_)(out + base, in + base, dim, inner, c->is_log);
   }
}

/* c->out = gradInput, c->in = gradOutput, c->y = output */
static void FN(bwd_range_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct smctx *c = ctx;
   T *gi = c->out;
   const T *go = c->in, *out = c->y;
   const int64_t dim = c->dim, inner = c->inner;
   (void)tid;
   for (int64_t o = begin; o < end; o++) {
      int64_t base = (o / inner) * dim * inner + o % inner;
      if (inner == 1) FN(bwd_row_)(gi + base, go + base, out + base, dim, 1, c->is_log);
      else FN(bwd_row_)(gi + base, go + base, out + base, dim, inner, c->is_log);
   }
}

#undef FN
#undef EXP

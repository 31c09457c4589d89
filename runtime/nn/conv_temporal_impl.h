/* conv_temporal_impl.h: the per-dtype kernels of conv_temporal.c,
 * included once per float dtype with T (element type) and SUF (name
 * suffix) defined. */
#define FN(name) NL_NN_CAT(name, SUF)

/* out: (oT, oF) = bias on every row (0 without a bias) */
static void FN(bias_fill_)(void *outv, const void *bv, int64_t bs, int64_t oT, int64_t oF) {
   T *out = outv;
   const T *b = bv;
   for (int64_t t = 0; t < oT; t++)
      for (int64_t o = 0; o < oF; o++) out[t * oF + o] = b ? b[o * bs] : 0;
}

/* gb[o] += scale * sum over the frames of go (N*oT, oF) */
static void FN(grad_bias_)(void *gbv, int64_t gbs, const void *gov, int64_t rows, int64_t oF, double scale) {
   T *gb = gbv;
   const T *go = gov;
   for (int64_t o = 0; o < oF; o++) {
      T s = 0;
      for (int64_t r = 0; r < rows; r++) s += go[r * oF + o];
      gb[o * gbs] += (T)(scale * s);
   }
}

/* Max over the window of output frame t of sequence n, per feature: ind
 * holds the frame within the window (0..kW-1) of the first maximum; NaN
 * wins. */
static void FN(tmax_)(void *ctx, int64_t n, int tid) {
   const struct trun *c = ctx;
   const struct tgeom *g = c->g;
   (void)tid;
   for (int64_t t = 0; t < g->oT; t++) {
      const T *w = (const T *)c->in + (n * g->nT + t * g->dW) * g->F;
      T *o = (T *)c->out + (n * g->oT + t) * g->F;
      int64_t *ix = c->ind + (n * g->oT + t) * g->F;
      for (int64_t f = 0; f < g->F; f++) {
         o[f] = w[f];
         ix[f] = 0;
      }
      for (int j = 1; j < g->kW; j++)
         for (int64_t f = 0; f < g->F; f++) {
            T v = w[j * g->F + f];
            if (v > o[f] || (isnan(v) && !isnan(o[f]))) {
               o[f] = v;
               ix[f] = j;
            }
         }
   }
}

/* gradOutput added at the recorded frames (windows may overlap: one
 * sequence runs in order) */
static void FN(tmax_back_)(void *ctx, int64_t n, int tid) {
   const struct trun *c = ctx;
   const struct tgeom *g = c->g;
   (void)tid;
   for (int64_t t = 0; t < g->oT; t++) {
      T *w = (T *)c->out + (n * g->nT + t * g->dW) * g->F;
      const T *o = (const T *)c->in + (n * g->oT + t) * g->F;
      const int64_t *ix = c->ind + (n * g->oT + t) * g->F;
      for (int64_t f = 0; f < g->F; f++) w[ix[f] * g->F + f] += o[f];
   }
}

#undef FN

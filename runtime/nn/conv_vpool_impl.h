/* conv_vpool_impl.h: the volumetric pooling kernels of conv_volumetric.c
 * for one dtype, included once per float dtype with T (element type) and
 * SUF (name suffix) defined. Each runs over planes [p0, p1) of a struct
 * vpool (nl_parallel_for ranges). */
#define FN(name) NL_NN_CAT(name, SUF)

/* Max: first maximum of each window (NaN wins), flat index within the
 * plane (t*H*W + h*W + w). */
static void FN(vmax_)(void *ctx, int64_t p0, int64_t p1, int tid) {
   const struct vpool *c = ctx;
   const struct pgeom *g = c->g;
   const int64_t iHW = g->in[1] * g->in[2], iV = g->in[0] * iHW, oV = g->out[0] * g->out[1] * g->out[2];
   T *out = c->out;
   int64_t *ind = c->ind;
   (void)tid;
   for (int64_t p = p0; p < p1; p++) {
      const T *ip = (const T *)c->in + p * iV;
      int64_t o = p * oV;
      for (int64_t z = 0; z < g->out[0]; z++)
         for (int64_t y = 0; y < g->out[1]; y++)
            for (int64_t x = 0; x < g->out[2]; x++, o++) {
               struct box b = window(g, c->w, z, y, x);
               T best = -INFINITY;
               int64_t bi = (b.s[0] * g->in[1] + b.s[1]) * g->in[2] + b.s[2];
               for (int64_t t = b.s[0]; t < b.e[0]; t++)
                  for (int64_t h = b.s[1]; h < b.e[1]; h++)
                     for (int64_t w = b.s[2]; w < b.e[2]; w++) {
                        int64_t k = t * iHW + h * g->in[2] + w;
                        T v = ip[k];
                        if (v > best || (isnan(v) && !isnan(best))) {
                           best = v;
                           bi = k;
                        }
                     }
               out[o] = best;
               ind[o] = bi;
            }
   }
}

/* gradInput of the max: gradOutput added at the recorded maxima */
static void FN(vmax_back_)(void *ctx, int64_t p0, int64_t p1, int tid) {
   const struct vpool *c = ctx;
   const int64_t iV = c->iV, oV = c->oV;
   T *gi = c->gin;
   const T *gp = c->gout;
   const int64_t *ind = c->ind;
   (void)tid;
   for (int64_t p = p0; p < p1; p++)
      for (int64_t i = 0; i < oV; i++) gi[p * iV + ind[p * oV + i]] += gp[p * oV + i];
}

/* Average: sum / divisor (forward, c->out set), or gradOutput / divisor
 * spread over the window (backward). */
static void FN(vavg_)(void *ctx, int64_t p0, int64_t p1, int tid) {
   const struct vpool *c = ctx;
   const struct pgeom *g = c->g;
   const int64_t iHW = g->in[1] * g->in[2], iV = g->in[0] * iHW, oV = g->out[0] * g->out[1] * g->out[2];
   T *out = c->out;
   const T *gout = c->gout;
   (void)tid;
   for (int64_t p = p0; p < p1; p++) {
      int64_t o = p * oV;
      for (int64_t z = 0; z < g->out[0]; z++)
         for (int64_t y = 0; y < g->out[1]; y++)
            for (int64_t x = 0; x < g->out[2]; x++, o++) {
               struct box b = window(g, c->w, z, y, x);
               int64_t div = c->include_pad ? b.padded : (b.e[0] - b.s[0]) * (b.e[1] - b.s[1]) * (b.e[2] - b.s[2]);
               if (div <= 0) div = 1;
               if (out) {
                  const T *ip = (const T *)c->in + p * iV;
                  double s = 0;
                  for (int64_t t = b.s[0]; t < b.e[0]; t++)
                     for (int64_t h = b.s[1]; h < b.e[1]; h++)
                        for (int64_t w = b.s[2]; w < b.e[2]; w++) s += ip[t * iHW + h * g->in[2] + w];
                  out[o] = (T)(s / div);
               } else {
                  T *gp = (T *)c->gin + p * iV, v = gout[o] / (T)div;
                  for (int64_t t = b.s[0]; t < b.e[0]; t++)
                     for (int64_t h = b.s[1]; h < b.e[1]; h++)
                        for (int64_t w = b.s[2]; w < b.e[2]; w++) gp[t * iHW + h * g->in[2] + w] += v;
               }
            }
   }
}

#undef FN

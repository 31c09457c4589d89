/* math_conv_impl.h: the row kernel of math_conv.c for one dtype (T, SUF).
 * Output rows [begin, end) of (m, oD, oH) rows of oW elements: each row is
 * zeroed, then gets w * (a segment of an input row) for every tap (i, z,
 * y, x) whose input row exists (full mode: the rows and columns outside the
 * input are the zeros of the padding and are skipped). */
/* o[0:n] += w * in[0:n] (a result row never overlaps an input row) */
static inline void MCAT(conv_axpy_, SUF)(T *restrict o, const T *restrict in, T w, int64_t n) {
   for (int64_t i = 0; i < n; i++) o[i] = (T)(o[i] + w * in[i]);
}

static void MCAT(conv_rows_, SUF)(void *ctx, int64_t begin, int64_t end, int tid) {
   (void)tid;
   const struct conv_ctx *c = ctx;
   T *out = c->out;
   const T *x = c->x, *k = c->k;
   const int64_t D = c->D, H = c->H, W = c->W, kD = c->kD, kH = c->kH, kW = c->kW;
   const int64_t oD = c->oD, oH = c->oH, oW = c->oW;
   const int64_t pD = c->full ? kD - 1 : 0, pH = c->full ? kH - 1 : 0, pW = c->full ? kW - 1 : 0;
   const int64_t ksz = kD * kH * kW;
   for (int64_t r = begin; r < end; r++) {
      int64_t j = r / (oD * oH), oz = r / oH % oD, oy = r % oH;
      T *orow = out + r * oW;
      for (int64_t o = 0; o < oW; o++) orow[o] = 0;
      int64_t i0 = c->map ? j : 0, i1 = c->map ? j + 1 : c->n;
      for (int64_t i = i0; i < i1; i++) {
         const T *kp = k + (c->map ? j : j * c->n + i) * ksz;
         const T *xp = x + i * D * H * W;
         for (int64_t z = 0; z < kD; z++) {
            int64_t iz = oz + z - pD;
            if (iz < 0 || iz >= D) continue;
            for (int64_t y = 0; y < kH; y++) {
               int64_t iy = oy + y - pH;
               if (iy < 0 || iy >= H) continue;
               const T *irow = xp + (iz * H + iy) * W;
               for (int64_t t = 0; t < kW; t++) {
                  int64_t kidx = (z * kH + y) * kW + t;
                  T w = kp[c->flip ? ksz - 1 - kidx : kidx];
                  int64_t s = t - pW;   /* input column of output column o: o + s */
                  int64_t a = s < 0 ? -s : 0, b = W - s < oW ? W - s : oW;
                  const T *in = irow + s;
                  if (b > a) MCAT(conv_axpy_, SUF)(orow + a, in + a, w, b - a);
               }
            }
         }
      }
   }
}

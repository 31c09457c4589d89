/* conv_driver_impl.h: the per-dtype kernels of conv_driver.c, included
 * once per float dtype with T (element type) and SUF (name suffix)
 * defined. */
#define FN(name) NL_NN_CAT(name, SUF)

/* im: (C, in[0], in[1], in[2]); col: (C*k0*k1*k2, g0*g1*g2) with rows ld
 * elements apart; row (c, a, i, j), column (z, y, x) holds
 * im[c][z*d0 - pad0 + a*dil0][y*d1 - pad1 + i*dil1][x*d2 - pad2 + j*dil2]
 * (0 outside). */
static void FN(unfold_)(void *colv, const void *imv, int64_t C, const int64_t *in, const int64_t *gr,
                        const nl_conv_win *w, int64_t ld) {
   /* locals: the row copies below may alias any pointed-to size */
   const int64_t i0 = in[0], i1 = in[1], i2 = in[2], g0 = gr[0], g1 = gr[1], g2 = gr[2];
   const int k0 = w->k[0], k1 = w->k[1], k2 = w->k[2], d0 = w->d[0], d1 = w->d[1], d2 = w->d[2];
   const int p0 = w->pad[0], p1 = w->pad[1], p2 = w->pad[2], l0 = w->dil[0], l1 = w->dil[1], l2 = w->dil[2];
   T *col = colv;
   const T *im = imv;
   for (int64_t c = 0; c < C; c++)
      for (int a = 0; a < k0; a++)
         for (int i = 0; i < k1; i++)
            for (int j = 0; j < k2; j++) {
               T *row = col + (((c * k0 + a) * k1 + i) * k2 + j) * ld;
               int64_t xoff = (int64_t)j * l2 - p2, x0, x1;
               nl_nn_valid_range(xoff, d2, i2, g2, &x0, &x1);
               for (int64_t z = 0; z < g0; z++) {
                  int64_t it = z * d0 - p0 + (int64_t)a * l0;
                  for (int64_t y = 0; y < g1; y++) {
                     int64_t iy = y * d1 - p1 + (int64_t)i * l1;
                     T *r = row + (z * g1 + y) * g2;
                     if (it < 0 || it >= i0 || iy < 0 || iy >= i1) {
                        memset(r, 0, sizeof(T) * g2);
                        continue;
                     }
                     const T *src = im + ((c * i0 + it) * i1 + iy) * i2;
                     for (int64_t x = 0; x < x0; x++) r[x] = 0;
                     if (d2 == 1) memcpy(r + x0, src + x0 + xoff, sizeof(T) * (x1 - x0));
                     else
                        for (int64_t x = x0; x < x1; x++) r[x] = src[x * d2 + xoff];
                     for (int64_t x = x1; x < g2; x++) r[x] = 0;
                  }
               }
            }
}

/* the adjoint of unfold: the columns added back into a zeroed im */
static void FN(fold_)(void *imv, const void *colv, int64_t C, const int64_t *in, const int64_t *gr,
                      const nl_conv_win *w, int64_t ld) {
   const int64_t i0 = in[0], i1 = in[1], i2 = in[2], g0 = gr[0], g1 = gr[1], g2 = gr[2];
   const int k0 = w->k[0], k1 = w->k[1], k2 = w->k[2], d0 = w->d[0], d1 = w->d[1], d2 = w->d[2];
   const int p0 = w->pad[0], p1 = w->pad[1], p2 = w->pad[2], l0 = w->dil[0], l1 = w->dil[1], l2 = w->dil[2];
   T *im = imv;
   const T *col = colv;
   memset(im, 0, sizeof(T) * C * i0 * i1 * i2);
   for (int64_t c = 0; c < C; c++)
      for (int a = 0; a < k0; a++)
         for (int i = 0; i < k1; i++)
            for (int j = 0; j < k2; j++) {
               const T *row = col + (((c * k0 + a) * k1 + i) * k2 + j) * ld;
               int64_t xoff = (int64_t)j * l2 - p2, x0, x1;
               nl_nn_valid_range(xoff, d2, i2, g2, &x0, &x1);
               for (int64_t z = 0; z < g0; z++) {
                  int64_t it = z * d0 - p0 + (int64_t)a * l0;
                  if (it < 0 || it >= i0) continue;
                  for (int64_t y = 0; y < g1; y++) {
                     int64_t iy = y * d1 - p1 + (int64_t)i * l1;
                     if (iy < 0 || iy >= i1) continue;
                     T *dst = im + ((c * i0 + it) * i1 + iy) * i2;
                     const T *r = row + (z * g1 + y) * g2;
                     if (d2 == 1) {
                        T *d = dst + xoff;
                        for (int64_t x = x0; x < x1; x++) d[x] += r[x];
                     } else
                        for (int64_t x = x0; x < x1; x++) dst[x * d2 + xoff] += r[x];
                  }
               }
            }
}

/* out (nOut, S) += bias (stride bs) broadcast along S */
static void FN(add_bias_)(void *outv, const void *bv, int64_t bs, int64_t nOut, int64_t S) {
   T *out = outv;
   const T *b = bv;
   for (int64_t o = 0; o < nOut; o++) {
      T v = b[o * bs], *r = out + o * S;
      for (int64_t i = 0; i < S; i++) r[i] += v;
   }
}

/* gb[o] (stride gbs) += scale * sum over n, i of go (N, nOut, S) */
static void FN(grad_bias_)(void *gbv, int64_t gbs, const void *gov, int64_t N, int64_t nOut, int64_t S, double scale) {
   T *gb = gbv;
   const T *go = gov;
   for (int64_t o = 0; o < nOut; o++) {
      double acc = 0;
      for (int64_t n = 0; n < N; n++) {
         const T *r = go + (n * nOut + o) * S;
         T s = 0;
         for (int64_t i = 0; i < S; i++) s += r[i];
         acc += s;
      }
      gb[o * gbs] += (T)(scale * acc);
   }
}

/* gw (wn) += each row of partial (nt, wn) in turn */
static void FN(sum_partials_)(void *gwv, const void *pv, int nt, int64_t wn) {
   T *d = gwv;
   for (int t = 0; t < nt; t++) {
      const T *s = (const T *)pv + t * wn;
      for (int64_t i = 0; i < wn; i++) d[i] += s[i];
   }
}

#undef FN

/* conv_local_impl.h: the per-dtype kernels of conv_local.c, included once
 * per float dtype with T (element type) and SUF (name suffix) defined. */
#define FN(name) NL_NN_CAT(name, SUF)

/* rows: (L, K); row l = (y, x), column (c, i, j) holds
 * im[c][y*dH - padH + i][x*dW - padW + j] (0 outside). */
static void FN(im2rows_)(void *rowsv, const void *imv, const struct lgeom *g) {
   const T *im = imv;
   for (int64_t y = 0; y < g->oH; y++)
      for (int64_t x = 0; x < g->oW; x++) {
         T *r = (T *)rowsv + (y * g->oW + x) * g->K;
         for (int64_t c = 0; c < g->nIn; c++)
            for (int i = 0; i < g->kH; i++) {
               int64_t iy = y * g->dH - g->padH + i;
               for (int j = 0; j < g->kW; j++, r++) {
                  int64_t ix = x * g->dW - g->padW + j;
                  *r = (iy >= 0 && iy < g->H && ix >= 0 && ix < g->W) ? im[(c * g->H + iy) * g->W + ix] : 0;
               }
            }
      }
}

/* the rows added back into a zeroed image */
static void FN(rows2im_)(void *imv, const void *rowsv, const struct lgeom *g) {
   T *im = imv;
   memset(im, 0, sizeof(T) * g->nIn * g->H * g->W);
   for (int64_t y = 0; y < g->oH; y++)
      for (int64_t x = 0; x < g->oW; x++) {
         const T *r = (const T *)rowsv + (y * g->oW + x) * g->K;
         for (int64_t c = 0; c < g->nIn; c++)
            for (int i = 0; i < g->kH; i++) {
               int64_t iy = y * g->dH - g->padH + i;
               for (int j = 0; j < g->kW; j++, r++) {
                  int64_t ix = x * g->dW - g->padW + j;
                  if (iy >= 0 && iy < g->H && ix >= 0 && ix < g->W) im[(c * g->H + iy) * g->W + ix] += *r;
               }
            }
      }
}

/* gradBias (nOut*L) += scale * go (nOut*L) */
static void FN(axpy_)(void *bv, const void *sv, int64_t n, double scale) {
   T *b = bv;
   const T *s = sv;
   for (int64_t i = 0; i < n; i++) b[i] += (T)scale * s[i];
}

#undef FN

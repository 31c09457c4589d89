/* lstm_impl.h: the pointwise LSTM cell of lstm.c for one dtype. Included
 * once per float dtype by lstm.c with T and SUF defined. A row is one
 * sample; its gate pre-activations are four blocks of H values in the
 * order i (input), f (forget), o (output), g (cell candidate). The row
 * functions take element strides; contiguous rows go to restrict-
 * qualified copies that vectorise. */
#define FN(name) NL_NN_CAT(name, SUF)

#if DSIZE == 4
static inline T FN(tanh_)(T x) { return nl_fast_tanhf(x); }
#else
static inline T FN(tanh_)(T x) { return tanh(x); }
#endif
static inline T FN(sigm_)(T x) { return (T)0.5 + (T)0.5 * FN(tanh_)((T)0.5 * x); }

/* h, c: (H) outputs; g: (4H) pre-activations in, activations out;
 * pc: (H) the previous cell */
static inline void FN(fwd_row)(T *h, T *c, T *g, const T *pc, int64_t H, int64_t sh, int64_t sc, int64_t sg,
                               int64_t spc) {
   for (int64_t j = 0; j < H; j++) {
      T gi = FN(sigm_)(g[j * sg]), gf = FN(sigm_)(g[(H + j) * sg]);
      T go = FN(sigm_)(g[(2 * H + j) * sg]), gg = FN(tanh_)(g[(3 * H + j) * sg]);
      T cj = gf * pc[j * spc] + gi * gg;
      g[j * sg] = gi, g[(H + j) * sg] = gf, g[(2 * H + j) * sg] = go, g[(3 * H + j) * sg] = gg;
      c[j * sc] = cj;
      h[j * sh] = go * FN(tanh_)(cj);
   }
}

/* the same over contiguous rows, restrict-qualified so that it vectorises */
static void FN(fwd_row_c)(T *restrict h, T *restrict c, T *restrict g, const T *restrict pc, int64_t H) {
   for (int64_t j = 0; j < H; j++) {
      T gi = FN(sigm_)(g[j]), gf = FN(sigm_)(g[H + j]);
      T go = FN(sigm_)(g[2 * H + j]), gg = FN(tanh_)(g[3 * H + j]);
      T cj = gf * pc[j] + gi * gg;
      g[j] = gi, g[H + j] = gf, g[2 * H + j] = go, g[3 * H + j] = gg;
      c[j] = cj;
      h[j] = go * FN(tanh_)(cj);
   }
}

static void FN(fwd_range)(void *vctx, int64_t b, int64_t e, int tid) {
   (void)tid;
   const struct lstm_ctx *x = vctx;
   for (int64_t n = b; n < e; n++) {
      T *h = (T *)x->p[0] + n * x->s0[0], *c = (T *)x->p[1] + n * x->s0[1], *g = (T *)x->p[2] + n * x->s0[2];
      const T *pc = (const T *)x->p[3] + n * x->s0[3];
      if (x->unit) FN(fwd_row_c)(h, c, g, pc, x->H);
      else FN(fwd_row)(h, c, g, pc, x->H, x->s1[0], x->s1[1], x->s1[2], x->s1[3]);
   }
}

/* dg: (4H) gradients of the pre-activations (out); dc: (H) the gradient
 * of the cell from the next step in, of the previous cell out; a: (4H)
 * activations; pc, c: (H) previous and this step's cell; dh, dh2: (H)
 * gradients of h summed (dh2 NULL: none) */
static inline void FN(bwd_row)(T *dg, T *dc, const T *a, const T *pc, const T *c, const T *dh, const T *dh2,
                               int64_t H, int64_t sdg, int64_t sdc, int64_t sa, int64_t spc, int64_t sc, int64_t sdh,
                               int64_t sdh2) {
   for (int64_t j = 0; j < H; j++) {
      T gi = a[j * sa], gf = a[(H + j) * sa], go = a[(2 * H + j) * sa], gg = a[(3 * H + j) * sa];
      T tc = FN(tanh_)(c[j * sc]);
      T d = dh[j * sdh] + (dh2 ? dh2[j * sdh2] : 0);
      T dcj = dc[j * sdc] + d * go * (1 - tc * tc);
      dg[j * sdg] = dcj * gg * gi * (1 - gi);
      dg[(H + j) * sdg] = dcj * pc[j * spc] * gf * (1 - gf);
      dg[(2 * H + j) * sdg] = d * tc * go * (1 - go);
      dg[(3 * H + j) * sdg] = dcj * gi * (1 - gg * gg);
      dc[j * sdc] = dcj * gf;
   }
}

static void FN(bwd_row_c)(T *restrict dg, T *restrict dc, const T *restrict a, const T *restrict pc,
                          const T *restrict c, const T *restrict dh, const T *restrict dh2, int64_t H) {
   for (int64_t j = 0; j < H; j++) {
      T gi = a[j], gf = a[H + j], go = a[2 * H + j], gg = a[3 * H + j];
      T tc = FN(tanh_)(c[j]);
      T d = dh[j] + dh2[j];
      T dcj = dc[j] + d * go * (1 - tc * tc);
      dg[j] = dcj * gg * gi * (1 - gi);
      dg[H + j] = dcj * pc[j] * gf * (1 - gf);
      dg[2 * H + j] = d * tc * go * (1 - go);
      dg[3 * H + j] = dcj * gi * (1 - gg * gg);
      dc[j] = dcj * gf;
   }
}

static void FN(bwd_range)(void *vctx, int64_t b, int64_t e, int tid) {
   (void)tid;
   const struct lstm_ctx *x = vctx;
   for (int64_t n = b; n < e; n++) {
      T *dg = (T *)x->p[0] + n * x->s0[0], *dc = (T *)x->p[1] + n * x->s0[1];
      const T *a = (const T *)x->p[2] + n * x->s0[2], *pc = (const T *)x->p[3] + n * x->s0[3];
      const T *c = (const T *)x->p[4] + n * x->s0[4], *dh = (const T *)x->p[5] + n * x->s0[5];
      const T *dh2 = x->p[6] ? (const T *)x->p[6] + n * x->s0[6] : NULL;
      if (x->unit && dh2) FN(bwd_row_c)(dg, dc, a, pc, c, dh, dh2, x->H);
      else
         FN(bwd_row)(dg, dc, a, pc, c, dh, dh2, x->H, x->s1[0], x->s1[1], x->s1[2], x->s1[3], x->s1[4], x->s1[5],
                     x->s1[6]);
   }
}

#undef FN

/* pooling_impl.h: the kernels of pooling.c for one dtype. Included once
 * per float dtype by pooling.c with T (element type) and SUF (name suffix)
 * defined. Every tensor is contiguous, (planes, H, W) in and (planes, oH,
 * oW) out; the range kernels (nl_parallel_for) take planes [begin, end).
 * Indices are flat offsets in the input plane. The hottest kernel takes
 * its pointers as restrict parameters from a range adapter: GCC honours
 * restrict on parameters, not on locals loaded from the context (~8% on
 * 3x3 max pooling). */
#define FN(name) PCAT(name, SUF)

/* Max pooling forward: output columns whose windows lie inside the image
 * run window tap by window tap along the row (vector selects, no
 * data-dependent branches); the clipped columns at the edges window by
 * window. Ties keep the first maximum and NaN wins, as Torch7's
 * (v > best || isnan(v)). out, ind: (planes, oH, oW); in: (planes, H,
 * W). */
static inline void FN(maxpool_planes_)(T *restrict out, int64_t *restrict ind, const T *restrict in, int64_t begin,
                                       int64_t end, int64_t H, int64_t W, int64_t oH, int64_t oW, int kW, int kH,
                                       int dW, int dH, int padW, int padH) {
   int64_t x0, x1; /* columns with ws >= 0 and ws + kW <= W */
   x0 = padW > 0 ? (padW + dW - 1) / dW : 0;
   x1 = W - kW + padW < 0 ? 0 : (W - kW + padW) / dW + 1;
   if (x1 > oW) x1 = oW;
   if (x0 > x1) x0 = x1;
   for (int64_t p = begin; p < end; p++) {
      const T *ip = in + p * H * W;
      for (int64_t y = 0; y < oH; y++) {
         T *op = out + (p * oH + y) * oW;
         int64_t *xp = ind + (p * oH + y) * oW;
         int64_t hs = y * dH - padH, he = hs + kH < H ? hs + kH : H;
         if (hs < 0) hs = 0;
         for (int64_t x = x0; x < x1; x++) {
            op[x] = -INFINITY;
            xp[x] = hs * W + x * dW - padW;
         }
         for (int64_t i = hs; i < he; i++)
            for (int j = 0; j < kW; j++) {
               const T *r = ip + i * W + j - padW;
               int64_t base = i * W + j - padW;
               for (int64_t x = x0; x < x1; x++) {
                  T v = r[x * dW];
                  int take = (v > op[x]) | (v != v);
                  op[x] = take ? v : op[x];
                  xp[x] = take ? base + x * dW : xp[x];
               }
            }
         for (int64_t x = 0; x < oW; x++) {
            if (x == x0) x = x1;
            if (x >= oW) break;
            int64_t ws = x * dW - padW, we = ws + kW < W ? ws + kW : W;
            if (ws < 0) ws = 0;
            T best = -INFINITY;
            int64_t bi = hs * W + ws;
            for (int64_t i = hs; i < he; i++)
               for (int64_t j = ws; j < we; j++) {
                  T v = ip[i * W + j];
                  if (v > best || isnan(v)) {
                     best = v;
                     bi = i * W + j;
                  }
               }
            op[x] = best;
            xp[x] = bi;
         }
      }
   }
}

static void FN(maxpool_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   FN(maxpool_planes_)(c->out, c->ind, c->in, begin, end, c->g.H, c->g.W, c->g.oH, c->g.oW, c->kW, c->kH, c->dW, c->dH,
                       c->padW, c->padH);
}

/* Max pooling backward (also adaptive max): gin[p, ind] += gout[p, o];
 * c->gin: (planes, H*W) zeroed; c->gout, c->ind: (planes, oH*oW). An
 * index outside the plane stops the range and sets c->bad. */
static void FN(maxpool_bwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   struct pool_ctx *c = ctx;
   (void)tid;
   T *restrict gin = c->gin;
   const T *restrict gout = c->gout;
   const int64_t *restrict ind = c->ind;
   const int64_t HW = c->g.H * c->g.W, oHW = c->g.oH * c->g.oW;
   for (int64_t p = begin; p < end; p++)
      for (int64_t i = 0; i < oHW; i++) {
         int64_t k = ind[p * oHW + i];
         if (k < 0 || k >= HW) {
            __atomic_store_n(&c->bad, 1, __ATOMIC_RELAXED);
            return;
         }
         gin[p * HW + k] += gout[p * oHW + i];
      }
}

/* Average pooling forward: the window clipped to the padded image gives
 * the divisor with count_include_pad (avg_window, pooling.c); clipped to
 * the image, without. Sums in double. */
static void FN(avgpool_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *out = c->out;
   const T *in = c->in;
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++)
         for (int64_t x = 0; x < oW; x++) {
            struct window w = avg_window(c, y, x);
            double s = 0;
            for (int64_t i = w.hs; i < w.he; i++)
               for (int64_t j = w.ws; j < w.we; j++) s += in[(p * H + i) * W + j];
            out[(p * oH + y) * oW + x] = (T)(s / w.div);
         }
}

/* Average pooling backward: gin += gout / div over each window. Each
 * output row is done in chunks: first the chunk's quotients (independent
 * divisions, pipelined), then the sums into gin in output order. */
static void FN(avgpool_bwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   enum { CHUNK = 256 };
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *gin = c->gin;
   const T *gout = c->gout;
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   T v[CHUNK];
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++)
         for (int64_t x0 = 0; x0 < oW; x0 += CHUNK) {
            const int64_t n = oW - x0 < CHUNK ? oW - x0 : CHUNK;
            const T *grow = gout + (p * oH + y) * oW + x0;
            for (int64_t k = 0; k < n; k++) v[k] = grow[k] / (T)avg_window(c, y, x0 + k).div;
            for (int64_t k = 0; k < n; k++) {
               struct window w = avg_window(c, y, x0 + k);
               for (int64_t i = w.hs; i < w.he; i++)
                  for (int64_t j = w.ws; j < w.we; j++) gin[(p * H + i) * W + j] += v[k];
            }
         }
}

/* Adaptive max pooling: output cell (y, x) covers the input window of
 * adaptive_window (pooling.c); records flat indices in c->ind. */
static void FN(adaptive_max_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *out = c->out;
   int64_t *ind = c->ind;
   const T *in = c->in;
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++)
         for (int64_t x = 0; x < oW; x++) {
            struct window w = adaptive_window(H, W, oH, oW, y, x);
            const T *ip = in + p * H * W;
            T best = -INFINITY;
            int64_t bi = w.hs * W + w.ws, o = (p * oH + y) * oW + x;
            for (int64_t i = w.hs; i < w.he; i++)
               for (int64_t j = w.ws; j < w.we; j++) {
                  T v = ip[i * W + j];
                  if (v > best || isnan(v)) {
                     best = v;
                     bi = i * W + j;
                  }
               }
            out[o] = best;
            ind[o] = bi;
         }
}

static void FN(adaptive_avg_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *out = c->out;
   const T *in = c->in;
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++)
         for (int64_t x = 0; x < oW; x++) {
            struct window w = adaptive_window(H, W, oH, oW, y, x);
            const T *ip = in + p * H * W;
            double s = 0;
            for (int64_t i = w.hs; i < w.he; i++)
               for (int64_t j = w.ws; j < w.we; j++) s += ip[i * W + j];
            out[(p * oH + y) * oW + x] = (T)(s / w.div);
         }
}

static void FN(adaptive_avg_bwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *gin = c->gin;
   const T *gout = c->gout;
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++)
         for (int64_t x = 0; x < oW; x++) {
            struct window w = adaptive_window(H, W, oH, oW, y, x);
            T v = gout[(p * oH + y) * oW + x] / (T)w.div;
            for (int64_t i = w.hs; i < w.he; i++)
               for (int64_t j = w.ws; j < w.we; j++) gin[(p * H + i) * W + j] += v;
         }
}

/* Max unpooling: forward c->out (planes, oH*oW, zeroed)[ind] = c->in
 * (planes, H*W); backward c->gin (planes, H*W) = c->gout (planes,
 * oH*oW)[ind]. An index outside the output plane stops the range and sets
 * c->bad. */
static void FN(unpool_)(void *ctx, int64_t begin, int64_t end, int tid) {
   struct pool_ctx *c = ctx;
   (void)tid;
   const int64_t HW = c->g.H * c->g.W, oHW = c->g.oH * c->g.oW;
   const int64_t *restrict ind = c->ind;
   T *restrict gin = c->gin, *restrict out = c->out;
   const T *restrict gout = c->gout, *restrict in = c->in;
   for (int64_t p = begin; p < end; p++)
      for (int64_t i = 0; i < HW; i++) {
         int64_t k = ind[p * HW + i];
         if (k < 0 || k >= oHW) {
            __atomic_store_n(&c->bad, 1, __ATOMIC_RELAXED);
            return;
         }
         if (gin) gin[p * HW + i] = gout[p * oHW + k];
         else out[p * oHW + k] = in[p * HW + i];
      }
}

#undef FN

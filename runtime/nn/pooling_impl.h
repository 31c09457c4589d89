/* pooling_impl.h: the kernels of pooling.c for one dtype. Included once
 * per float dtype by pooling.c with T (element type) and SUF (name suffix)
 * defined. Every tensor is contiguous, (planes, H, W) in and (planes, oH,
 * oW) out; the range kernels (nl_parallel_for) take planes [begin, end).
 * Indices are flat offsets in the input plane. */
#define FN(name) PCAT(name, SUF)

/* Max pooling forward: output columns whose windows lie inside the image
 * run window tap by window tap along the row (vector selects, no
 * data-dependent branches); the clipped columns at the edges window by
 * window. Ties keep the first maximum and NaN wins, as Torch7's
 * (v > best || isnan(v)). c->out, c->ind: (planes, oH, oW); c->in:
 * (planes, H, W). */
static void FN(maxpool_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *restrict out = c->out;
   int64_t *restrict ind = c->ind;
   const T *restrict in = c->in;
   /* locals: the stores through ind could alias c's int64_t fields */
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   const int kW = c->kW, kH = c->kH, dW = c->dW, dH = c->dH, padW = c->padW, padH = c->padH;
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

/* Average pooling, forward (c->out set) or backward (c->gin += ...): the
 * window clipped to the padded image gives the divisor with
 * count_include_pad; clipped to the image, without. Sums in double. */
static void FN(avgpool_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *out = c->out, *gin = c->gin;
   const T *in = c->in, *gout = c->gout;
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   const int kW = c->kW, kH = c->kH, dW = c->dW, dH = c->dH, padW = c->padW, padH = c->padH;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++)
         for (int64_t x = 0; x < oW; x++) {
            int64_t hs = y * dH - padH, ws = x * dW - padW;
            int64_t he = hs + kH < H + padH ? hs + kH : H + padH;
            int64_t we = ws + kW < W + padW ? ws + kW : W + padW;
            int64_t pool = (he - hs) * (we - ws);
            if (hs < 0) hs = 0;
            if (ws < 0) ws = 0;
            if (he > H) he = H;
            if (we > W) we = W;
            int64_t div = c->include_pad ? pool : (he - hs) * (we - ws);
            if (div <= 0) div = 1;
            int64_t o = (p * oH + y) * oW + x;
            if (out) {
               double s = 0;
               for (int64_t i = hs; i < he; i++)
                  for (int64_t j = ws; j < we; j++) s += in[(p * H + i) * W + j];
               out[o] = (T)(s / div);
            } else {
               T v = gout[o] / (T)div;
               for (int64_t i = hs; i < he; i++)
                  for (int64_t j = ws; j < we; j++) gin[(p * H + i) * W + j] += v;
            }
         }
}

/* Adaptive pooling: output cell (y, x) covers input rows [floor(y*H/oH),
 * ceil((y+1)*H/oH)) and the same for columns. Max (c->max, records flat
 * indices in c->ind), average forward (c->out) or average backward
 * (c->gin += ...). */
static void FN(adaptive_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct pool_ctx *c = ctx;
   (void)tid;
   T *out = c->out, *gin = c->gin;
   int64_t *ind = c->ind;
   const T *in = c->in, *gout = c->gout;
   const int64_t H = c->g.H, W = c->g.W, oH = c->g.oH, oW = c->g.oW;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         int64_t hs = y * H / oH, he = ((y + 1) * H + oH - 1) / oH;
         for (int64_t x = 0; x < oW; x++) {
            int64_t ws = x * W / oW, we = ((x + 1) * W + oW - 1) / oW, o = (p * oH + y) * oW + x;
            const T *ip = in ? in + p * H * W : NULL;
            if (c->max) {
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
               out[o] = best;
               ind[o] = bi;
            } else if (out) {
               double s = 0;
               for (int64_t i = hs; i < he; i++)
                  for (int64_t j = ws; j < we; j++) s += ip[i * W + j];
               out[o] = (T)(s / ((he - hs) * (we - ws)));
            } else {
               T v = gout[o] / (T)((he - hs) * (we - ws));
               for (int64_t i = hs; i < he; i++)
                  for (int64_t j = ws; j < we; j++) gin[(p * H + i) * W + j] += v;
            }
         }
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

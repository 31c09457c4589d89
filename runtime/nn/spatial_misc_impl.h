/* spatial_misc_impl.h: the kernels of spatial_misc.c for one dtype.
 * Included once per float dtype by spatial_misc.c with T (element type)
 * and SUF (name suffix) defined. Every tensor is contiguous, (planes, H,
 * W) in and (planes, oH, oW) out; each kernel is a range function
 * (nl_parallel_for) over planes [begin, end), LRN over images. Backward
 * kernels accumulate into a zeroed gradInput (but LRN's, which sets it). */
#define FN(name) MCAT(name, SUF)

/* padding of planes [begin, end): mode 0 zero, 1 reflection, 2
 * replication; l, t the left and top pads. Columns [xa, xb) of an output
 * row copy an input row; the ones left and right of them go through
 * pad_src. */
static inline void FN(pad_planes_fwd_)(T *restrict out, const T *restrict in, int64_t begin, int64_t end, int64_t H,
                                       int64_t W, int64_t oH, int64_t oW, int64_t l, int64_t t, int mode) {
   int64_t xa = l < 0 ? 0 : (l > oW ? oW : l), xb = l + W < xa ? xa : (l + W > oW ? oW : l + W);
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         int64_t iy = pad_src(y, t, H, mode);
         T *orow = out + (p * oH + y) * oW;
         if (iy < 0) {
            for (int64_t x = 0; x < oW; x++) orow[x] = 0;
            continue;
         }
         const T *irow = in + (p * H + iy) * W;
         for (int64_t x = 0; x < xa; x++) {
            int64_t ix = pad_src(x, l, W, mode);
            orow[x] = ix >= 0 ? irow[ix] : 0;
         }
         for (int64_t x = xa; x < xb; x++) orow[x] = irow[x - l];
         for (int64_t x = xb; x < oW; x++) {
            int64_t ix = pad_src(x, l, W, mode);
            orow[x] = ix >= 0 ? irow[ix] : 0;
         }
      }
}

static void FN(pad_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   FN(pad_planes_fwd_)(c->out, c->in, begin, end, c->H, c->W, c->oH, c->oW, c->l, c->t, c->mode);
}

/* backward: gin += the outputs each input element went to, in output
 * order (row by row, left to right, as one loop over x would add them).
 * Reflection and replication add several outputs into one input: planes
 * stay independent, so the split over planes is safe. */
static inline void FN(pad_planes_bwd_)(T *restrict gin, const T *restrict gout, int64_t begin, int64_t end, int64_t H,
                                       int64_t W, int64_t oH, int64_t oW, int64_t l, int64_t t, int mode) {
   int64_t xa = l < 0 ? 0 : (l > oW ? oW : l), xb = l + W < xa ? xa : (l + W > oW ? oW : l + W);
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         int64_t iy = pad_src(y, t, H, mode);
         if (iy < 0) continue;
         T *irow = gin + (p * H + iy) * W;
         const T *orow = gout + (p * oH + y) * oW;
         for (int64_t x = 0; x < xa; x++) {
            int64_t ix = pad_src(x, l, W, mode);
            if (ix >= 0) irow[ix] += orow[x];
         }
         for (int64_t x = xa; x < xb; x++) irow[x - l] += orow[x];
         for (int64_t x = xb; x < oW; x++) {
            int64_t ix = pad_src(x, l, W, mode);
            if (ix >= 0) irow[ix] += orow[x];
         }
      }
}

static void FN(pad_bwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   FN(pad_planes_bwd_)(c->gin, c->gout, begin, end, c->H, c->W, c->oH, c->oW, c->l, c->t, c->mode);
}

/* nearest upsampling of planes [begin, end) by the integer s: output
 * (y, x) is input (y / s, x / s) */
static inline void FN(nearest_planes_fwd_)(T *restrict out, const T *restrict in, int64_t begin, int64_t end,
                                           int64_t H, int64_t W, int64_t s) {
   const int64_t oH = H * s, oW = W * s;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         const T *irow = in + (p * H + y / s) * W;
         T *orow = out + (p * oH + y) * oW;
         for (int64_t ix = 0; ix < W; ix++)
            for (int64_t k = 0; k < s; k++) orow[ix * s + k] = irow[ix];
      }
}

static void FN(nearest_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   FN(nearest_planes_fwd_)(c->out, c->in, begin, end, c->H, c->W, c->scale_factor);
}

/* backward: each input element adds its s x s outputs row by row, left to
 * right (the order of one loop over the output) */
static inline void FN(nearest_planes_bwd_)(T *restrict gin, const T *restrict gout, int64_t begin, int64_t end,
                                           int64_t H, int64_t W, int64_t s) {
   const int64_t oH = H * s, oW = W * s;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         T *irow = gin + (p * H + y / s) * W;
         const T *orow = gout + (p * oH + y) * oW;
         for (int64_t ix = 0; ix < W; ix++) {
            T a = irow[ix];
            for (int64_t k = 0; k < s; k++) a += orow[ix * s + k];
            irow[ix] = a;
         }
      }
}

static void FN(nearest_bwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   FN(nearest_planes_bwd_)(c->gin, c->gout, begin, end, c->H, c->W, c->scale_factor);
}

/* bilinear upsampling: output pixel (y, x) interpolates the input at
 * (y*(H-1)/(oH-1), ...), the ratios in float as Torch7 computes them */
static void FN(bilinear_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   T *out = c->out;
   const T *in = c->in;
   const int64_t H = c->H, W = c->W, oH = c->oH, oW = c->oW;
   float rh = oH > 1 ? (float)(H - 1) / (float)(oH - 1) : 0.f, rw = oW > 1 ? (float)(W - 1) / (float)(oW - 1) : 0.f;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         float yr = rh * (float)y;
         int64_t y0 = (int64_t)yr, yp = y0 < H - 1 ? 1 : 0;
         T ly1 = (T)yr - (T)y0, ly0 = (T)1 - ly1;
         for (int64_t x = 0; x < oW; x++) {
            float xr = rw * (float)x;
            int64_t x0 = (int64_t)xr, xp = x0 < W - 1 ? 1 : 0;
            T lx1 = (T)xr - (T)x0, lx0 = (T)1 - lx1;
            int64_t i = (p * H + y0) * W + x0;
            out[(p * oH + y) * oW + x] =
               ly0 * (lx0 * in[i] + lx1 * in[i + xp]) + ly1 * (lx0 * in[i + yp * W] + lx1 * in[i + yp * W + xp]);
         }
      }
}

static void FN(bilinear_bwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   T *gin = c->gin;
   const T *gout = c->gout;
   const int64_t H = c->H, W = c->W, oH = c->oH, oW = c->oW;
   float rh = oH > 1 ? (float)(H - 1) / (float)(oH - 1) : 0.f, rw = oW > 1 ? (float)(W - 1) / (float)(oW - 1) : 0.f;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         float yr = rh * (float)y;
         int64_t y0 = (int64_t)yr, yp = y0 < H - 1 ? 1 : 0;
         T ly1 = (T)yr - (T)y0, ly0 = (T)1 - ly1;
         for (int64_t x = 0; x < oW; x++) {
            float xr = rw * (float)x;
            int64_t x0 = (int64_t)xr, xp = x0 < W - 1 ? 1 : 0;
            T lx1 = (T)xr - (T)x0, lx0 = (T)1 - lx1;
            int64_t i = (p * H + y0) * W + x0;
            T g = gout[(p * oH + y) * oW + x];
            gin[i] += ly0 * lx0 * g;
            gin[i + xp] += ly0 * lx1 * g;
            gin[i + yp * W] += ly1 * lx0 * g;
            gin[i + yp * W + xp] += ly1 * lx1 * g;
         }
      }
}

/* cross-map LRN over images [begin, end) of (N, C, S):
 *   scale[c] = k + alpha/size * sum of x[c']^2 over c' in [c-h, c+h]
 *   (h = (size-1)/2); out = x * scale^-beta */
static void FN(lrn_fwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   const int64_t Cn = c->C, S = c->S, h = (c->size - 1) / 2;
   const int size = c->size;
   const double alpha = c->alpha, beta = c->beta, k = c->k;
   for (int64_t n = begin; n < end; n++) {
      const T *x = (const T *)c->in + n * Cn * S;
      T *s = (T *)c->scale + n * Cn * S, *o = (T *)c->out + n * Cn * S;
      for (int64_t ch = 0; ch < Cn; ch++) {
         int64_t lo = ch - h < 0 ? 0 : ch - h, hi = ch + h < Cn - 1 ? ch + h : Cn - 1;
         T *sr = s + ch * S;
         for (int64_t i = 0; i < S; i++) sr[i] = 0;
         for (int64_t d = lo; d <= hi; d++)
            for (int64_t i = 0; i < S; i++) sr[i] += x[d * S + i] * x[d * S + i];
         for (int64_t i = 0; i < S; i++) {
            sr[i] = (T)(k + alpha / size * sr[i]);
            o[ch * S + i] = (T)(x[ch * S + i] * pow(sr[i], -beta));
         }
      }
   }
}

/* gin[c] = go[c] scale[c]^-beta
 *        - 2 alpha beta/size x[c] sum_{c' within h of c} go[c'] out[c'] / scale[c']
 * with out and scale those of the forward */
static void FN(lrn_bwd_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   const int64_t Cn = c->C, S = c->S, h = (c->size - 1) / 2;
   const int size = c->size;
   const double alpha = c->alpha, beta = c->beta;
   for (int64_t n = begin; n < end; n++) {
      const T *x = (const T *)c->in + n * Cn * S, *g = (const T *)c->gout + n * Cn * S;
      const T *s = (const T *)c->scale + n * Cn * S, *o = (const T *)c->out + n * Cn * S;
      for (int64_t ch = 0; ch < Cn; ch++) {
         int64_t lo = ch - h < 0 ? 0 : ch - h, hi = ch + h < Cn - 1 ? ch + h : Cn - 1;
         T *gi = (T *)c->gin + n * Cn * S + ch * S;
         for (int64_t i = 0; i < S; i++) {
            double acc = 0;
            for (int64_t d = lo; d <= hi; d++) acc += g[d * S + i] * o[d * S + i] / s[d * S + i];
            gi[i] = (T)(g[ch * S + i] * pow(s[ch * S + i], -beta) - 2 * alpha * beta / size * x[ch * S + i] * acc);
         }
      }
   }
}

#undef FN

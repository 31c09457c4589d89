/* spatial_misc_impl.h: the kernels of spatial_misc.c for one dtype.
 * Included once per float dtype by spatial_misc.c with T (element type)
 * and SUF (name suffix) defined. Every tensor is contiguous, (planes, H,
 * W) in and (planes, oH, oW) out; each kernel is a range function
 * (nl_parallel_for) over planes [begin, end), LRN over images. A pass is
 * forward when c->out is set, else backward (c->gin += ...). */
#define FN(name) MCAT(name, SUF)

/* padding: c->mode 0 zero, 1 reflection, 2 replication; c->l, c->t the
 * left and top pads. Reflection and replication add several outputs into
 * one input in the backward: planes stay independent. */
static void FN(pad_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   T *out = c->out, *gin = c->gin;
   const T *in = c->in, *gout = c->gout;
   const int64_t H = c->H, W = c->W, oH = c->oH, oW = c->oW, l = c->l, t = c->t;
   const int mode = c->mode;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++) {
         int64_t iy = pad_src(y, t, H, mode);
         for (int64_t x = 0; x < oW; x++) {
            int64_t ix = pad_src(x, l, W, mode), o = (p * oH + y) * oW + x;
            int inside = iy >= 0 && ix >= 0;
            if (out) out[o] = inside ? in[(p * H + iy) * W + ix] : 0;
            else if (inside) gin[(p * H + iy) * W + ix] += gout[o];
         }
      }
}

/* nearest upsampling by the integer c->scale_factor s: oH = H * s */
static void FN(nearest_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   T *out = c->out, *gin = c->gin;
   const T *in = c->in, *gout = c->gout;
   const int64_t H = c->H, W = c->W, s = c->scale_factor, oH = H * s, oW = W * s;
   for (int64_t p = begin; p < end; p++)
      for (int64_t y = 0; y < oH; y++)
         for (int64_t x = 0; x < oW; x++) {
            int64_t i = (p * H + y / s) * W + x / s, o = (p * oH + y) * oW + x;
            if (out) out[o] = in[i];
            else gin[i] += gout[o];
         }
}

/* bilinear upsampling: output pixel (y, x) interpolates the input at
 * (y*(H-1)/(oH-1), ...), the ratios in float as Torch7 computes them */
static void FN(bilinear_)(void *ctx, int64_t begin, int64_t end, int tid) {
   const struct misc_ctx *c = ctx;
   (void)tid;
   T *out = c->out, *gin = c->gin;
   const T *in = c->in, *gout = c->gout;
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
            int64_t i = (p * H + y0) * W + x0, o = (p * oH + y) * oW + x;
            if (out)
               out[o] = ly0 * (lx0 * in[i] + lx1 * in[i + xp]) + ly1 * (lx0 * in[i + yp * W] + lx1 * in[i + yp * W + xp]);
            else {
               T g = gout[o];
               gin[i] += ly0 * lx0 * g;
               gin[i + xp] += ly0 * lx1 * g;
               gin[i + yp * W] += ly1 * lx0 * g;
               gin[i + yp * W + xp] += ly1 * lx1 * g;
            }
         }
      }
}

/* cross-map LRN over images [begin, end) of (N, Cn, S): forward fills
 * c->out and c->scale; backward (c->gin set) reads them.
 *   scale[c] = k + alpha/size * sum of x[c']^2 over c' in [c-h, c+h]
 *   (h = (size-1)/2); out = x * scale^-beta
 *   gin[c] = go[c] scale[c]^-beta
 *          - 2 alpha beta/size x[c] sum_{c' within h of c} go[c'] out[c'] / scale[c'] */
static void FN(lrn_)(void *ctx, int64_t begin, int64_t end, int tid) {
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
         if (!c->gin) {
            T *sr = s + ch * S;
            for (int64_t i = 0; i < S; i++) sr[i] = 0;
            for (int64_t d = lo; d <= hi; d++)
               for (int64_t i = 0; i < S; i++) sr[i] += x[d * S + i] * x[d * S + i];
            for (int64_t i = 0; i < S; i++) {
               sr[i] = (T)(k + alpha / size * sr[i]);
               o[ch * S + i] = (T)(x[ch * S + i] * pow(sr[i], -beta));
            }
         } else {
            const T *g = (const T *)c->gout + n * Cn * S;
            T *gi = (T *)c->gin + n * Cn * S + ch * S;
            for (int64_t i = 0; i < S; i++) {
               double acc = 0;
               for (int64_t d = lo; d <= hi; d++) acc += g[d * S + i] * o[d * S + i] / s[d * S + i];
               gi[i] = (T)(g[ch * S + i] * pow(s[ch * S + i], -beta) - 2 * alpha * beta / size * x[ch * S + i] * acc);
            }
         }
      }
   }
}

#undef FN

/* pool_window_impl.h: the kernels of pool_window.c for one dtype,
 * included once per float dtype with T (element type) and SUF (name
 * suffix) defined. */
#define FN(name) NL_NN_CAT(name, SUF)

/* Max over each window of planes [p0, p1) of a struct wpool: the taps
 * s + i*dil (i < k) of each dimension that lie inside the grid; the first
 * maximum wins and NaN wins, as Torch7's (v > best || isnan(v)). Indices:
 * flat offsets in the plane (t*H*W + h*W + w). */
static void FN(wmax_)(void *ctx, int64_t p0, int64_t p1, int tid) {
   const struct wpool *c = ctx;
   const int64_t *in = c->in, *out = c->out;
   const int64_t HW = in[1] * in[2], iV = in[0] * HW, oV = out[0] * out[1] * out[2];
   (void)tid;
   for (int64_t p = p0; p < p1; p++) {
      const T *ip = (const T *)c->src + p * iV;
      T *op = (T *)c->dst + p * oV;
      int64_t *xp = c->ind + p * oV;
      const int64_t *sT = c->starts + p * c->sstride, *sH = sT + out[0], *sW = sH + out[1];
      for (int64_t z = 0; z < out[0]; z++) {
         int a0, a1;
         taps(sT[z], c->k[0], c->dil[0], in[0], &a0, &a1);
         for (int64_t y = 0; y < out[1]; y++) {
            int b0, b1;
            taps(sH[y], c->k[1], c->dil[1], in[1], &b0, &b1);
            for (int64_t x = 0; x < out[2]; x++) {
               int e0, e1;
               taps(sW[x], c->k[2], c->dil[2], in[2], &e0, &e1);
               T best = -INFINITY;
               int64_t bi = ((sT[z] + (int64_t)a0 * c->dil[0]) * in[1] + sH[y] + (int64_t)b0 * c->dil[1]) * in[2] +
                            sW[x] + (int64_t)e0 * c->dil[2];
               for (int i = a0; i < a1; i++)
                  for (int j = b0; j < b1; j++) {
                     int64_t row = ((sT[z] + (int64_t)i * c->dil[0]) * in[1] + sH[y] + (int64_t)j * c->dil[1]) * in[2];
                     for (int l = e0; l < e1; l++) {
                        int64_t at = row + sW[x] + (int64_t)l * c->dil[2];
                        T v = ip[at];
                        if (v > best || (isnan(v) && !isnan(best))) {
                           best = v;
                           bi = at;
                        }
                     }
                  }
               op[(z * out[1] + y) * out[2] + x] = best;
               xp[(z * out[1] + y) * out[2] + x] = bi;
            }
         }
      }
   }
}

/* Torch7's pseudo-random window starts of fractional max pooling, in the
 * dtype's precision: start i = (int)((i + u) a) - (int)(u a), a = (n -
 * pool) / (out - 1), the last window ending at the edge. samples: (planes,
 * nd) contiguous; sample[sidx[d]] drives grid dimension d. */
static void FN(fractional_starts_)(int64_t *starts, const void *samples, int64_t planes, int nd, const int *sidx,
                                   const int64_t *in, const int64_t *out, const int *pool) {
   const T *u = samples;
   int64_t per = out[0] + out[1] + out[2];
   for (int64_t p = 0; p < planes; p++) {
      int64_t *s = starts + p * per;
      for (int d = 0; d < 3; d++) {
         if (d < 3 - nd) {
            s[0] = 0;
            s += out[d];
            continue;
         }
         T sample = u[p * nd + sidx[d]];
         T alpha = out[d] > 1 ? (T)(in[d] - pool[d]) / (T)(out[d] - 1) : 0;
         /* samples outside [0, 1) would move windows off the grid */
         for (int64_t i = 0; i < out[d] - 1; i++) {
            int64_t v = (int64_t)(((T)i + sample) * alpha) - (int64_t)(sample * alpha);
            s[i] = v < 0 ? 0 : v > in[d] - pool[d] ? in[d] - pool[d] : v;
         }
         s[out[d] - 1] = in[d] - pool[d];
         s += out[d];
      }
   }
}

#undef FN

/* layers_impl.h: the kernels of layers.c for one dtype. Included once per
 * float dtype by layers.c with T (element type) and SUF (name suffix)
 * defined; layers.c lists each dtype's kernels in its table (struct
 * kernels), so they take untyped element pointers. Sums run in double;
 * intermediate values are rounded to T where Torch7's tensor-op
 * formulation stores them in a T tensor, so double results match
 * Torch7's to the last bits. */
#define FN(name) LCAT(name, SUF)
#define AT(m, i, j) (((T *)(m).p)[(i) * (m).s0 + (j) * (m).s1])

/* PReLU over a contiguous (bs, planes, ks) layout; y, x, w: T */
static void FN(prelu_fwd_)(void *vy, const void *vx, const void *vw, int64_t bs, int64_t planes, int64_t ks, int nt) {
   T *y = vy;
   const T *x = vx, *w = vw;
#pragma omp parallel for collapse(2) num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t i = 0; i < bs; i++)
      for (int64_t j = 0; j < planes; j++) {
         const T wj = w[j];
         const int64_t o = (i * planes + j) * ks;
         for (int64_t k = 0; k < ks; k++) y[o + k] = x[o + k] > 0 ? x[o + k] : wj * x[o + k];
      }
}

static void FN(prelu_bwd_)(void *vgi, const void *vgo, const void *vx, const void *vw, int64_t bs, int64_t planes,
                           int64_t ks, int nt) {
   T *gi = vgi;
   const T *go = vgo, *x = vx, *w = vw;
#pragma omp parallel for collapse(2) num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t i = 0; i < bs; i++)
      for (int64_t j = 0; j < planes; j++) {
         const T wj = w[j];
         const int64_t o = (i * planes + j) * ks;
         for (int64_t k = 0; k < ks; k++) gi[o + k] = x[o + k] > 0 ? go[o + k] : wj * go[o + k];
      }
}

/* gw[j] += scale * sum over (i, k) of x * go where x <= 0; one sum per
 * (sample, plane) added in sample order, as THNN does */
static void FN(prelu_acc_)(void *vgw, int64_t gws, const void *vx, const void *vgo, double scale, int64_t bs,
                           int64_t planes, int64_t ks, int nt) {
   T *gw = vgw;
   const T *x = vx, *go = vgo;
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t j = 0; j < planes; j++) {
      for (int64_t i = 0; i < bs; i++) {
         const int64_t o = (i * planes + j) * ks;
         double sum = 0;
         for (int64_t k = 0; k < ks; k++)
            if (x[o + k] <= 0) sum += (double)x[o + k] * (double)go[o + k];
         gw[j * gws] = (T)(gw[j * gws] + (T)(scale * sum));
      }
   }
}

/* RReLU's parameters as the kernels of this dtype use them (Torch7 holds
 * them as the tensor's real type) */
static struct rrctx FN(rrelu_params_)(double lower, double upper, int train) {
   struct rrctx c = {(T)lower, (T)upper, (T)((T)lower + (T)upper) / 2, train};
   return c;
}

/* RReLU training forward: p[0] output (or the input itself in place),
 * p[1] input, p[2] noise; draws one uniform per non-positive element, in
 * element order (the caller runs it serially) */
static void FN(rrelu_train_row_)(void *vctx, int64_t n, char **p, const int64_t *s) {
   const struct rrctx *c = vctx;
   T *y = (T *)p[0], *r = (T *)p[2];
   const T *x = (const T *)p[1];
   for (int64_t i = 0; i < n; i++) {
      const T v = x[i * s[1]];
      if (v <= 0) {
         double u;
         nl_random_draw(&u, NL_RNG_UNIFORM, c->lower, c->upper);
         y[i * s[0]] = v * (T)u;
         r[i * s[2]] = (T)u;
      } else {
         y[i * s[0]] = v;
         r[i * s[2]] = 1;
      }
   }
}

/* y = x <= 0 ? x * slope : x; p[0] y, p[1] x */
static void FN(rrelu_eval_row_)(void *vctx, int64_t n, char **p, const int64_t *s) {
   const T slope = (T)((const struct rrctx *)vctx)->slope;
   T *y = (T *)p[0];
   const T *x = (const T *)p[1];
   for (int64_t i = 0; i < n; i++) {
      const T v = x[i * s[1]];
      y[i * s[0]] = v <= 0 ? v * slope : v;
   }
}

/* gi = go * noise (training) or go * (x <= 0 ? slope : 1); p[0] gi,
 * p[1] go, p[2] input, p[3] noise (training) */
static void FN(rrelu_bwd_row_)(void *vctx, int64_t n, char **p, const int64_t *s) {
   const struct rrctx *c = vctx;
   T *gi = (T *)p[0];
   const T *go = (const T *)p[1], *x = (const T *)p[2];
   if (c->train) {
      const T *r = (const T *)p[3];
      for (int64_t i = 0; i < n; i++) gi[i * s[0]] = go[i * s[1]] * r[i * s[3]];
   } else {
      const T slope = (T)c->slope;
      for (int64_t i = 0; i < n; i++) gi[i * s[0]] = x[i * s[2]] <= 0 ? go[i * s[1]] * slope : go[i * s[1]];
   }
}

/* (Weighted)Euclidean: x (N, I), w and c (I, J), c.p NULL for ones,
 * y (N, J): y[n][j] = || c[:,j] .* (x[n,:] - w[:,j]) || */
static void FN(euc_fwd_)(struct mat y, struct mat x, struct mat w, struct mat c, int64_t N, int64_t I, int64_t J,
                         int nt) {
#pragma omp parallel for collapse(2) num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < N; n++)
      for (int64_t j = 0; j < J; j++) {
         double sum = 0;
         for (int64_t i = 0; i < I; i++) {
            T d = (T)(AT(x, n, i) - AT(w, i, j));
            if (c.p) d = (T)(d * AT(c, i, j));
            sum += (double)d * (double)d;
         }
         AT(y, n, j) = (T)sqrt(sum);
      }
}

/* the term of sample n, input i, template j in dy/dx:
 * c (x - w) * go / (y + 1e-7) * c, rounded as Torch7's tensors hold it */
static inline T FN(euc_term_)(struct mat x, struct mat w, struct mat c, struct mat go, struct mat y, int64_t n,
                              int64_t i, int64_t j) {
   const T div = (T)(AT(go, n, j) / (T)(AT(y, n, j) + (T)1e-7));
   T d = (T)(AT(x, n, i) - AT(w, i, j));
   if (!c.p) return (T)(d * div);
   const T cij = AT(c, i, j);
   return (T)((T)((T)(d * cij) * div) * cij);
}

static void FN(euc_bwd_)(struct mat gi, struct mat go, struct mat x, struct mat w, struct mat c, struct mat y,
                         int64_t N, int64_t I, int64_t J, int nt) {
#pragma omp parallel for collapse(2) num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < N; n++)
      for (int64_t i = 0; i < I; i++) {
         double sum = 0;
         for (int64_t j = 0; j < J; j++) sum += FN(euc_term_)(x, w, c, go, y, n, i, j);
         AT(gi, n, i) = (T)sum;
      }
}

/* gw -= scale * sum_n term; gc += scale * sum_n c (x - w)^2 go / (y + 1e-7) */
static void FN(euc_acc_)(struct mat gw, struct mat gc, struct mat go, struct mat x, struct mat w, struct mat c,
                         struct mat y, double scale, int64_t N, int64_t I, int64_t J, int nt) {
#pragma omp parallel for collapse(2) num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t i = 0; i < I; i++)
      for (int64_t j = 0; j < J; j++) {
         double sw = 0, sc = 0;
         for (int64_t n = 0; n < N; n++) {
            sw += FN(euc_term_)(x, w, c, go, y, n, i, j);
            if (c.p) {
               const T div = (T)(AT(go, n, j) / (T)(AT(y, n, j) + (T)1e-7));
               const T d = (T)(AT(x, n, i) - AT(w, i, j));
               sc += (double)(T)((T)((T)(d * d) * AT(c, i, j)) * div);
            }
         }
         AT(gw, i, j) = (T)(AT(gw, i, j) - (T)(scale * (T)sw));
         if (c.p) AT(gc, i, j) = (T)(AT(gc, i, j) + (T)(scale * (T)sc));
      }
}

/* the first index of the largest |x[n, :]| */
static inline int64_t FN(absmax_)(struct mat x, int64_t n, int64_t D) {
   int64_t k = 0;
   T m = AT(x, n, 0) < 0 ? -AT(x, n, 0) : AT(x, n, 0);
   for (int64_t j = 1; j < D; j++) {
      const T a = AT(x, n, j) < 0 ? -AT(x, n, j) : AT(x, n, j);
      if (a > m || isnan(a)) { m = a; k = j; }
   }
   return k;
}

/* Normalize rows of x (N, D): normp[n] = sum |x|^p + eps and
 * norm[n] = normp^(1/p) (inf: norm = max |x| + eps); y = x / norm */
static void FN(normalize_fwd_)(struct mat y, void *vnorm, void *vnormp, struct mat x, double p, double eps, int64_t N,
                               int64_t D, int nt) {
   T *norm = vnorm, *normp = vnormp;
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < N; n++) {
      T nr;
      if (isinf(p)) {
         const T a = AT(x, n, FN(absmax_)(x, n, D));
         nr = (T)((a < 0 ? -a : a) + (T)eps);
         normp[n] = nr;
      } else {
         double sum = 0;
         for (int64_t j = 0; j < D; j++) {
            const T v = AT(x, n, j);
            sum += (T)(p == 2 ? v * v : pow(v < 0 ? -v : v, p));
         }
         const T np = (T)((T)sum + (T)eps);
         normp[n] = np;
         nr = (T)pow(np, 1 / p);
      }
      norm[n] = nr;
      for (int64_t j = 0; j < D; j++) AT(y, n, j) = AT(x, n, j) / nr;
   }
}

/* gi = (normp go - b (x . go)) / (normp norm), b = x |x|^(p-2) (with eps
 * added to |x| for odd-ish p < 2, as Torch7); inf: b = e_k x_k / norm */
static void FN(normalize_bwd_)(struct mat gi, struct mat go, struct mat x, const void *vnorm, const void *vnormp,
                               double p, double eps, int64_t N, int64_t D, int nt) {
   const T *norm = vnorm, *normp = vnormp;
   const int odd = fmod(p, 2) != 0;
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < N; n++) {
      double cs = 0;
      for (int64_t j = 0; j < D; j++) cs += (double)(T)(AT(x, n, j) * AT(go, n, j));
      const T cross = (T)cs, nr = norm[n], np = normp[n];
      const T den = (T)(np * nr);
      const int64_t k = isinf(p) ? FN(absmax_)(x, n, D) : -1;
      for (int64_t j = 0; j < D; j++) {
         const T v = AT(x, n, j);
         T b;
         if (isinf(p)) b = j == k ? (T)(v / nr) : 0;
         else if (p == 2) b = v;
         else if (odd && p < 2) b = (T)((T)pow((T)((v < 0 ? -v : v) + (T)eps), p - 2) * v);
         else if (odd) b = (T)((T)pow(v < 0 ? -v : v, p - 2) * v);
         else b = (T)((T)pow(v, p - 2) * v);
         AT(gi, n, j) = (T)((T)(np * AT(go, n, j)) - (T)(b * cross)) / den;
      }
   }
}

/* LookupTable: y[r, :] = w[idx[r] - 1, :] for each of R indices */
static void FN(lookup_fwd_)(void *vy, struct mat w, const int64_t *idx, int64_t R, int64_t D, int nt) {
   T *y = vy;
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t r = 0; r < R; r++)
      for (int64_t j = 0; j < D; j++) y[r * D + j] = AT(w, idx[r] - 1, j);
}

/* gw[idx[r] - 1, :] += scale / count * go[r, :] for indices other than
 * pad; rows are split among threads so that each row's updates stay in
 * index order */
static void FN(lookup_acc_)(struct mat gw, struct mat go, const int64_t *idx, const int64_t *count, int64_t R,
                            int64_t V, int64_t D, int64_t pad, double scale, int nt) {
#pragma omp parallel num_threads(nt) if (nt > 1)
   {
      int t = omp_get_thread_num(), T_ = omp_get_num_threads();
      int64_t lo = V * t / T_, hi = V * (t + 1) / T_;
      for (int64_t r = 0; r < R; r++) {
         const int64_t k = idx[r] - 1;
         if (idx[r] == pad || k < lo || k >= hi) continue;
         const T s = (T)(count ? scale / (double)count[k] : scale);
         for (int64_t j = 0; j < D; j++) AT(gw, k, j) = (T)(AT(gw, k, j) + (T)(s * AT(go, r, j)));
      }
   }
}

/* rescales row k of w to norm max_norm when its norm exceeds it */
static void FN(lookup_renorm_row_)(struct mat w, int64_t k, int64_t D, double max_norm, double norm_type) {
   T norm = 0;
   for (int64_t j = 0; j < D; j++) {
      const T v = AT(w, k, j), a = v < 0 ? -v : v;
      if (norm_type == 1) norm += a;
      else if (norm_type == 2) norm += v * v;
      else norm += (T)pow(a, norm_type);
   }
   norm = (T)pow(norm, 1.0 / norm_type);
   if (norm > (T)max_norm) {
      const T f = (T)((T)max_norm / (T)(norm + (T)1e-7));
      for (int64_t j = 0; j < D; j++) AT(w, k, j) = (T)(AT(w, k, j) * f);
   }
}

#undef AT
#undef FN

/* math_pointwise_impl.h: the elementwise row kernels for one dtype.
 * Included once per dtype by math_pointwise.c with T (element type), SUF
 * (name suffix) and FLT (1 for floating types) defined. Every op is a
 * switch case outside its loop; contiguous rows take the stride-1 loop.
 * <tgmath.h> picks expf for float and exp for double. */
#define FN(name) NL_CAT(name, SUF)

/* r[i] = EXPR(x) with x = a[i]; stride 1 spelled out so the contiguous loop vectorises */
#define ULOOP(EXPR) do { if (sr == 1 && sa == 1) for (int64_t i = 0; i < n; i++) { T x = a[i]; r[i] = (T)(EXPR); } else for (int64_t i = 0; i < n; i++) { T x = a[i * sa]; r[i * sr] = (T)(EXPR); } } while (0)

static void FN(unary_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const struct uctx *c = ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1];
   const int64_t sr = s[0], sa = s[1];
   const double p1 = c->p1, p2 = c->p2;
   const T tp1 = (T)p1;
   (void)p2;
   switch (c->op) {
   case NL_U_NEG: ULOOP(-x); break;
   case NL_U_ABS: ULOOP(x < 0 ? -x : x); break;
   case NL_U_SIGN: ULOOP((x > 0) - (x < 0)); break;
   case NL_U_ADD: ULOOP(x + tp1); break;
   case NL_U_MUL: ULOOP(x * tp1); break;
#if FLT
   case NL_U_DIV: ULOOP(x / tp1); break;
   case NL_U_EXP: ULOOP(exp(x)); break;
   case NL_U_LOG: ULOOP(log(x)); break;
   case NL_U_LOG1P: ULOOP(log1p(x)); break;
   case NL_U_SQRT: ULOOP(sqrt(x)); break;
   case NL_U_RSQRT: ULOOP((T)1 / sqrt(x)); break;
   case NL_U_SIN: ULOOP(sin(x)); break;
   case NL_U_COS: ULOOP(cos(x)); break;
   case NL_U_TAN: ULOOP(tan(x)); break;
   case NL_U_ASIN: ULOOP(asin(x)); break;
   case NL_U_ACOS: ULOOP(acos(x)); break;
   case NL_U_ATAN: ULOOP(atan(x)); break;
   case NL_U_SINH: ULOOP(sinh(x)); break;
   case NL_U_COSH: ULOOP(cosh(x)); break;
   case NL_U_TANH: ULOOP(tanh(x)); break;
   case NL_U_SIGMOID: ULOOP((T)1 / ((T)1 + exp(-x))); break;
   case NL_U_FLOOR: ULOOP(floor(x)); break;
   case NL_U_CEIL: ULOOP(ceil(x)); break;
   case NL_U_ROUND: ULOOP(round(x)); break;
   case NL_U_TRUNC: ULOOP(trunc(x)); break;
   case NL_U_FRAC: ULOOP(x - trunc(x)); break;
   case NL_U_CINV: ULOOP((T)1 / x); break;
   /* Torch7's special exponents, rounded as its were (x*x*x, 1/(x*x), ...) */
   case NL_U_POW:
      if (p1 == 2) ULOOP(x * x);
      else if (p1 == 1) ULOOP(x);
      else if (p1 == 3) ULOOP(x * x * x);
      else if (p1 == 0.5) ULOOP(sqrt(x));
      else if (p1 == -0.5) ULOOP((T)1 / sqrt(x));
      else if (p1 == -1) ULOOP((T)1 / x);
      else if (p1 == -2) ULOOP((T)1 / (x * x));
      else ULOOP(pow(x, tp1));
      break;
   /* number ^ tensor: in double, as Torch7's tpow */
   case NL_U_RPOW: ULOOP(pow(p1, (double)x)); break;
   case NL_U_FMOD: ULOOP(fmod(x, tp1)); break;
   case NL_U_REMAINDER: ULOOP(x - tp1 * floor(x / tp1)); break;
#else
   /* integer division truncates as in C; the front function refuses a
    * zero divisor, and -1 is done by negation (MIN / -1 traps on x86) */
   case NL_U_DIV: if (tp1 == (T)-1) ULOOP(-x); else ULOOP(x / tp1); break;
   case NL_U_POW: ULOOP(pow((double)x, p1)); break;
   case NL_U_RPOW: ULOOP(pow(p1, (double)x)); break;
   case NL_U_FMOD: if (tp1 == (T)-1) ULOOP(x * 0); else ULOOP(x % tp1); break;
   case NL_U_REMAINDER:
      if (tp1 == (T)-1) ULOOP(x * 0);
      else ULOOP((x % tp1 != 0 && ((x % tp1 < 0) != (tp1 < 0))) ? x % tp1 + tp1 : x % tp1);
      break;
#endif
   case NL_U_CLAMP: {
      const T lo = (T)p1, hi = (T)p2;
      ULOOP(x < lo ? lo : (x > hi ? hi : x));
      break;
   }
   case NL_U_CMAX: ULOOP(x > tp1 ? x : tp1); break;
   case NL_U_CMIN: ULOOP(x < tp1 ? x : tp1); break;
   default: break;
   }
}

/* r[i] = EXPR(x, y) with x = a[i], y = b[i] */
#define BLOOP(EXPR) do { if (sr == 1 && sa == 1 && sb == 1) for (int64_t i = 0; i < n; i++) { T x = a[i], y = b[i]; r[i] = (T)(EXPR); } else for (int64_t i = 0; i < n; i++) { T x = a[i * sa], y = b[i * sb]; r[i * sr] = (T)(EXPR); } } while (0)

static void FN(binary_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const struct bctx *c = ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1], *b = (const T *)p[2];
   const int64_t sr = s[0], sa = s[1], sb = s[2];
   const T alpha = (T)c->alpha;
   switch (c->op) {
   case NL_B_ADD:
      if (c->alpha == 1) BLOOP(x + y);
      else BLOOP(x + alpha * y);
      break;
   case NL_B_MUL: BLOOP(x * y); break;
#if FLT
   case NL_B_DIV: BLOOP(x / y); break;
#else
   case NL_B_DIV: BLOOP(y == (T)-1 ? (T)-x : x / y); break;
#endif
   case NL_B_CMAX: BLOOP(x > y ? x : y); break;
   case NL_B_CMIN: BLOOP(x < y ? x : y); break;
#if FLT
   case NL_B_POW: BLOOP(pow(x, y)); break;
   case NL_B_FMOD: BLOOP(fmod(x, y)); break;
   case NL_B_REMAINDER: BLOOP(x - y * floor(x / y)); break;
   case NL_B_ATAN2: BLOOP(atan2(x, y)); break;
   case NL_B_LERP: BLOOP(x + alpha * (y - x)); break;
#else
   case NL_B_POW: BLOOP(pow((double)x, (double)y)); break;
   case NL_B_FMOD: BLOOP(y == (T)-1 ? 0 : x % y); break;
   case NL_B_REMAINDER: BLOOP(y == (T)-1 ? 0 : ((x % y != 0 && ((x % y < 0) != (y < 0))) ? x % y + y : x % y)); break;
   case NL_B_LERP: BLOOP(x + c->alpha * (y - x)); break;
#endif
   default: break;
   }
}

#if FLT
#define DIVIDE(x, y) ((x) / (y))
#else
#define DIVIDE(x, y) ((y) == (T)-1 ? (T)-(x) : (x) / (y))
#endif
/* addcdiv as TH evaluates it, (v * b) / d: the rounding (and, for integer
 * types, the quotient) follow Torch7's, so optimisers built on it (adamax)
 * follow Torch7's trajectories */
static void FN(ternary_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const struct tctx *c = ctx;
   T *r = (T *)p[0];
   const T *a = (const T *)p[1], *b = (const T *)p[2], *d = (const T *)p[3];
   const T v = (T)c->v;
   if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1) {
      if (c->op == NL_T_ADDCMUL) for (int64_t i = 0; i < n; i++) r[i] = a[i] + v * b[i] * d[i];
      else for (int64_t i = 0; i < n; i++) r[i] = a[i] + DIVIDE(v * b[i], d[i]);
   } else {
      if (c->op == NL_T_ADDCMUL)
         for (int64_t i = 0; i < n; i++) r[i * s[0]] = a[i * s[1]] + v * b[i * s[2]] * d[i * s[3]];
      else
         for (int64_t i = 0; i < n; i++) r[i * s[0]] = a[i * s[1]] + DIVIDE(v * b[i * s[2]], d[i * s[3]]);
   }
}

/* r[i] = a[i] OP b[i], or a[i] OP v with a scalar; r of the result type in scope */
#define CLOOP(OP) do { if (c->scalar) for (int64_t i = 0; i < n; i++) r[i * s[0]] = a[i * s[1]] OP v; else for (int64_t i = 0; i < n; i++) r[i * s[0]] = a[i * s[1]] OP b[i * s[2]]; } while (0)

/* comparison into a ByteTensor or one of the input's type */
static void FN(compare_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const struct cctx *c = ctx;
   const T *a = (const T *)p[1], *b = c->scalar ? NULL : (const T *)p[2];
   const T v = (T)c->v;
   if (c->byte_out) {
      uint8_t *r = (uint8_t *)p[0];
      switch (c->op) {
      case NL_C_LT: CLOOP(<); break;
      case NL_C_LE: CLOOP(<=); break;
      case NL_C_GT: CLOOP(>); break;
      case NL_C_GE: CLOOP(>=); break;
      case NL_C_EQ: CLOOP(==); break;
      default: CLOOP(!=); break;
      }
   } else {
      T *r = (T *)p[0];
      switch (c->op) {
      case NL_C_LT: CLOOP(<); break;
      case NL_C_LE: CLOOP(<=); break;
      case NL_C_GT: CLOOP(>); break;
      case NL_C_GE: CLOOP(>=); break;
      case NL_C_EQ: CLOOP(==); break;
      default: CLOOP(!=); break;
      }
   }
}

/* 1 when any element of the view is zero (integer division check) */
static void FN(has_zero_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const T *a = (const T *)p[0];
   for (int64_t i = 0; i < n; i++)
      if (a[i * s[0]] == 0) { __atomic_store_n((int *)ctx, 1, __ATOMIC_RELAXED); return; }
}

#undef ULOOP
#undef DIVIDE
#undef BLOOP
#undef CLOOP
#undef FN

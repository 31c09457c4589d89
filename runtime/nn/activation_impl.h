/* activation_impl.h: the activation row kernels of activation.c for one
 * dtype. Included once per float dtype by activation.c (dtype_each_float.h:
 * T, SUF, DSIZE); the math functions TANH, EXP, LOG, SQRT, POW, LOG1P of
 * that precision are picked below (float: nl_fast_tanhf, expf, ...; double:
 * libm's).
 * Each op is a switch case outside its loop, so every loop is a plain
 * stride-1 loop the compiler vectorises in the contiguous case. */

/* the routines of this precision */
#if DSIZE == 4
#define TANH nl_fast_tanhf
#define EXP expf
#define LOG logf
#define SQRT sqrtf
#define POW powf
#define LOG1P log1pf
#else
#define TANH tanh
#define EXP exp
#define LOG log
#define SQRT sqrt
#define POW pow
#define LOG1P log1p
#endif
#define FN(name) NL_NN_CAT(name, SUF)

/* y = F(x) for every element; p[0] output, p[1] input */
static void FN(fwd_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const struct actx *c = ctx;
   const T p1 = (T)c->p1, p2 = (T)c->p2;
   T *y = (T *)p[0];
   const T *xp = (const T *)p[1];
   switch (c->op) {
   case NL_ACT_TANH: FWD(TANH(x)); break;
   case NL_ACT_SIGMOID: FWD((T)1 / ((T)1 + EXP(-x))); break;
   case NL_ACT_RELU: FWD(x > p1 ? x : p2); break;
   case NL_ACT_HARDTANH: FWD(x < p1 ? p1 : (x > p2 ? p2 : x)); break;
   case NL_ACT_LEAKYRELU: FWD(x > 0 ? x : x * p1); break;
   case NL_ACT_ELU: FWD(x > 0 ? x : (EXP(x) - 1) * p1); break;
   case NL_ACT_SOFTPLUS: FWD(x * p1 > p2 ? x : LOG1P(EXP(x * p1)) / p1); break;
   case NL_ACT_SOFTSIGN: FWD(x / ((T)1 + (x < 0 ? -x : x))); break;
   case NL_ACT_SOFTSHRINK: FWD(x > p1 ? x - p1 : (x < -p1 ? x + p1 : 0)); break;
   case NL_ACT_HARDSHRINK: FWD((x > p1 || x < -p1) ? x : 0); break;
   case NL_ACT_TANHSHRINK: FWD(x - TANH(x)); break;
   case NL_ACT_LOGSIGMOID: FWD(x >= 0 ? -LOG1P(EXP(-x)) : x - LOG1P(EXP(x))); break;
   case NL_ACT_RELU6: FWD(x <= 0 ? 0 : (x >= 6 ? 6 : x)); break;
   case NL_ACT_SQUARE: FWD(x * x); break;
   case NL_ACT_SQRT: FWD(SQRT(x)); break;
   case NL_ACT_ABS: FWD(x < 0 ? -x : x); break;
   case NL_ACT_EXP: FWD(EXP(x)); break;
   case NL_ACT_LOG: FWD(LOG(x)); break;
   case NL_ACT_POWER: FWD(POW(x, p1)); break;
   default: break;
   }
}

/* gi = go * D(x, y); p[0] gradInput, p[1] gradOutput, p[2] input x,
 * p[3] output y */
static void FN(bwd_row_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const struct actx *c = ctx;
   const T p1 = (T)c->p1, p2 = (T)c->p2;
   T *gi = (T *)p[0];
   const T *go = (const T *)p[1], *xp = (const T *)p[2], *yp = (const T *)p[3];
   switch (c->op) {
   case NL_ACT_TANH: BWD((T)1 - y * y); break;
   case NL_ACT_SIGMOID: BWD(((T)1 - y) * y); break;
   case NL_ACT_RELU: BWD(x > p1 ? (T)1 : (T)0); break;
   case NL_ACT_HARDTANH: BWD((x <= p1 || x >= p2) ? (T)0 : (T)1); break;   /* Torch7: 0 on the bounds */
   case NL_ACT_LEAKYRELU: BWD(x > 0 ? (T)1 : p1); break;
   case NL_ACT_ELU: BWD(x > 0 ? (T)1 : y + p1); break;
   case NL_ACT_SOFTPLUS: BWD(x * p1 > p2 ? (T)1 : (EXP(y * p1) - 1) / EXP(y * p1)); break;
   case NL_ACT_SOFTSIGN: BWD((T)1 / (((T)1 + (x < 0 ? -x : x)) * ((T)1 + (x < 0 ? -x : x)))); break;
   case NL_ACT_SOFTSHRINK: BWD((x > p1 || x < -p1) ? (T)1 : (T)0); break;
   case NL_ACT_HARDSHRINK: BWD((x > p1 || x < -p1) ? (T)1 : (T)0); break;
   case NL_ACT_TANHSHRINK: BWD((x - y) * (x - y)); break;
   case NL_ACT_LOGSIGMOID: BWD((T)1 / ((T)1 + EXP(x))); break;
   case NL_ACT_RELU6: BWD((x > 0 && x < 6) ? (T)1 : (T)0); break;
   case NL_ACT_SQUARE: BWD(2 * x); break;
   case NL_ACT_SQRT: BWD(y == 0 ? (T)0 : (T)0.5 / y); break;
   case NL_ACT_ABS: BWD(x < 0 ? (T)-1 : (T)1); break;
   case NL_ACT_EXP: BWD(y); break;
   case NL_ACT_LOG: BWD((T)1 / x); break;
   case NL_ACT_POWER: BWD(p1 * POW(x, p1 - 1)); break;
   default: break;
   }
}

#undef FN
#undef TANH
#undef EXP
#undef LOG
#undef SQRT
#undef POW
#undef LOG1P

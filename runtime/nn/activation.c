/* activation.c: pointwise activation modules (Tanh, Sigmoid, ReLU and
 * Threshold, HardTanh, LeakyReLU, ELU, SoftPlus, ...): forward and
 * backward as one row kernel each over nl_iter (OpenMP above NL_OMP_MIN,
 * stride-1 loops for contiguous rows). Formulas follow Torch7's THNN.
 * Tensors on another device go to its nn table (nn_backend.h). */
#include "../apply.h"
#include "../backend.h"
#include <math.h>
#include <stdio.h>

struct actx { int op; double p1, p2; };

static const char *names[NL_ACT_COUNT] = {
   "Tanh", "Sigmoid", "Threshold", "HardTanh", "LeakyReLU", "ELU", "SoftPlus", "SoftSign", "SoftShrink",
   "HardShrink", "TanhShrink", "LogSigmoid", "ReLU6", "Square", "Sqrt", "Abs", "Exp", "Log", "Power"};

/* y = F(x) for every element; x = input, contiguous fast path */
#define FWD(T, F) \
   do { \
      T *y = (T *)p[0]; \
      const T *xp = (const T *)p[1]; \
      if (s[0] == 1 && s[1] == 1) for (int64_t i = 0; i < n; i++) { T x = xp[i]; y[i] = (F); } \
      else for (int64_t i = 0; i < n; i++) { T x = xp[i * s[1]]; y[i * s[0]] = (F); } \
   } while (0)

#define FWD_ROWS(T, SUF, EXP, LOG, TANH, SQRT, POW, LOG1P) \
   static void fwd_##SUF(void *ctx, int64_t n, char **p, const int64_t *s) { \
      const struct actx *c = ctx; \
      const T p1 = (T)c->p1, p2 = (T)c->p2; \
      switch (c->op) { \
      case NL_ACT_TANH: FWD(T, TANH(x)); break; \
      case NL_ACT_SIGMOID: FWD(T, (T)1 / ((T)1 + EXP(-x))); break; \
      case NL_ACT_RELU: FWD(T, x > p1 ? x : p2); break; \
      case NL_ACT_HARDTANH: FWD(T, x < p1 ? p1 : (x > p2 ? p2 : x)); break; \
      case NL_ACT_LEAKYRELU: FWD(T, x > 0 ? x : x * p1); break; \
      case NL_ACT_ELU: FWD(T, x > 0 ? x : (EXP(x) - 1) * p1); break; \
      case NL_ACT_SOFTPLUS: FWD(T, x * p1 > p2 ? x : LOG1P(EXP(x * p1)) / p1); break; \
      case NL_ACT_SOFTSIGN: FWD(T, x / ((T)1 + (x < 0 ? -x : x))); break; \
      case NL_ACT_SOFTSHRINK: FWD(T, x > p1 ? x - p1 : (x < -p1 ? x + p1 : 0)); break; \
      case NL_ACT_HARDSHRINK: FWD(T, (x > p1 || x < -p1) ? x : 0); break; \
      case NL_ACT_TANHSHRINK: FWD(T, x - TANH(x)); break; \
      case NL_ACT_LOGSIGMOID: FWD(T, x >= 0 ? -LOG1P(EXP(-x)) : x - LOG1P(EXP(x))); break; \
      case NL_ACT_RELU6: FWD(T, x <= 0 ? 0 : (x >= 6 ? 6 : x)); break; \
      case NL_ACT_SQUARE: FWD(T, x * x); break; \
      case NL_ACT_SQRT: FWD(T, SQRT(x)); break; \
      case NL_ACT_ABS: FWD(T, x < 0 ? -x : x); break; \
      case NL_ACT_EXP: FWD(T, EXP(x)); break; \
      case NL_ACT_LOG: FWD(T, LOG(x)); break; \
      case NL_ACT_POWER: FWD(T, POW(x, p1)); break; \
      default: break; \
      } \
   }

/* gi = go * D(x, y) with x = input, y = output */
#define BWD(T, D) \
   do { \
      T *gi = (T *)p[0]; \
      const T *go = (const T *)p[1], *xp = (const T *)p[2], *yp = (const T *)p[3]; \
      if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1) \
         for (int64_t i = 0; i < n; i++) { T x = xp[i], y = yp[i]; (void)x; (void)y; gi[i] = go[i] * (D); } \
      else \
         for (int64_t i = 0; i < n; i++) { \
            T x = xp[i * s[2]], y = yp[i * s[3]]; (void)x; (void)y; \
            gi[i * s[0]] = go[i * s[1]] * (D); \
         } \
   } while (0)

#define BWD_ROWS(T, SUF, EXP, POW) \
   static void bwd_##SUF(void *ctx, int64_t n, char **p, const int64_t *s) { \
      const struct actx *c = ctx; \
      const T p1 = (T)c->p1, p2 = (T)c->p2; \
      (void)p2; \
      switch (c->op) { \
      case NL_ACT_TANH: BWD(T, (T)1 - y * y); break; \
      case NL_ACT_SIGMOID: BWD(T, ((T)1 - y) * y); break; \
      case NL_ACT_RELU: BWD(T, x > p1 ? (T)1 : (T)0); break; \
      case NL_ACT_HARDTANH: BWD(T, (x < p1 || x > p2) ? (T)0 : (T)1); break; \
      case NL_ACT_LEAKYRELU: BWD(T, x > 0 ? (T)1 : p1); break; \
      case NL_ACT_ELU: BWD(T, x > 0 ? (T)1 : y + p1); break; \
      case NL_ACT_SOFTPLUS: { \
         BWD(T, x * p1 > p2 ? (T)1 : (EXP(y * p1) - 1) / EXP(y * p1)); break; \
      } \
      case NL_ACT_SOFTSIGN: BWD(T, (T)1 / (((T)1 + (x < 0 ? -x : x)) * ((T)1 + (x < 0 ? -x : x)))); break; \
      case NL_ACT_SOFTSHRINK: BWD(T, (x > p1 || x < -p1) ? (T)1 : (T)0); break; \
      case NL_ACT_HARDSHRINK: BWD(T, (x > p1 || x < -p1) ? (T)1 : (T)0); break; \
      case NL_ACT_TANHSHRINK: BWD(T, (x - y) * (x - y)); break; \
      case NL_ACT_LOGSIGMOID: BWD(T, (T)1 / ((T)1 + EXP(x))); break; \
      case NL_ACT_RELU6: BWD(T, (x > 0 && x < 6) ? (T)1 : (T)0); break; \
      case NL_ACT_SQUARE: BWD(T, 2 * x); break; \
      case NL_ACT_SQRT: BWD(T, y == 0 ? (T)0 : (T)0.5 / y); break; \
      case NL_ACT_ABS: BWD(T, x < 0 ? (T)-1 : (T)1); break; \
      case NL_ACT_EXP: BWD(T, y); break; \
      case NL_ACT_LOG: BWD(T, (T)1 / x); break; \
      case NL_ACT_POWER: BWD(T, p1 * POW(x, p1 - 1)); break; \
      default: break; \
      } \
   }

/* tanh for float as a rational function (odd degree-13 numerator over an
 * even degree-6 denominator, clamped where tanh rounds to +-1 in float):
 * branch-free, so the compiler vectorises it. Within 2 ulp of tanhf over
 * the float range, about 8x faster than calling libm per element. */
static inline float fast_tanhf(float x) {
   const float lim = 7.90531110763549805f;
   x = x > lim ? lim : (x < -lim ? -lim : x);
   const float x2 = x * x;
   float p = -2.76076847742355e-16f;
   p = p * x2 + 2.00018790482477e-13f;
   p = p * x2 - 8.60467152213735e-11f;
   p = p * x2 + 5.12229709037114e-08f;
   p = p * x2 + 1.48572235717979e-05f;
   p = p * x2 + 6.37261928875436e-04f;
   p = p * x2 + 4.89352455891786e-03f;
   p = p * x;
   float q = 1.19825839466702e-06f;
   q = q * x2 + 1.18534705686654e-04f;
   q = q * x2 + 2.26843463243900e-03f;
   q = q * x2 + 4.89352518554385e-03f;
   return p / q;
}

FWD_ROWS(float, f, expf, logf, fast_tanhf, sqrtf, powf, log1pf)
FWD_ROWS(double, d, exp, log, tanh, sqrt, pow, log1p)
BWD_ROWS(float, f, expf, powf)
BWD_ROWS(double, d, exp, pow)

/* The device table's entry for op's module, or NULL with the message set. */
static const nl_backend *device_table(const char *fn, int op, const nl_tensor *t) {
   char what[64];
   const nl_backend *b = NULL;
   snprintf(what, sizeof what, "nn.%s", fn);
   return nl_gate(&b, what, op, 1, &t) == 1 ? b : NULL;
}

static int check_float(const char *fn, const nl_tensor *t) {
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("nn.%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(t));
   return 0;
}

NL_API int nl_act_forward(nl_tensor *output, const nl_tensor *input, int op, double p1, double p2) {
   if (op < 0 || op >= NL_ACT_COUNT) return nl_errorf("nl_act_forward: unknown op %d", op);
   const char *fn = names[op];
   if (check_float(fn, input) || nl_check_same_dtype(fn, output, input)) return -1;
   const nl_backend *nb = NULL;
   if (input->_device != NL_CPU) {
      if (!(nb = device_table(fn, NL_OP_act_forward, input))) return -1;
   }
   if (output != input && nl_tensor_resize_as(output, input)) return -1;
   if (nl_numel(input) == 0) return 0;
   if (nb) return nb->ops.act_forward(output, input, op, p1, p2);
   struct actx c = {op, p1, p2};
   nl_iter it;
   const nl_tensor *ts[2] = {output, input};
   if (nl_iter_init(fn, &it, 2, ts)) return -1;
   nl_iter_run(&it, input->_dtype == NL_FLOAT ? fwd_f : fwd_d, &c);
   return 0;
}

NL_API int nl_act_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                           const nl_tensor *output, int op, double p1, double p2) {
   if (op < 0 || op >= NL_ACT_COUNT) return nl_errorf("nl_act_backward: unknown op %d", op);
   const char *fn = names[op];
   if (check_float(fn, input) || nl_check_same_dtype(fn, gradOutput, input) ||
       nl_check_same_dtype(fn, gradInput, input) || nl_check_same_dtype(fn, output, input))
      return -1;
   if (nl_numel(gradOutput) != nl_numel(input)) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("nn.%s: gradOutput has size %s, expected the size of the input %s", fn,
                       nl_shape_str(a, sizeof a, gradOutput), nl_shape_str(b, sizeof b, input));
   }
   if (nl_numel(output) != nl_numel(input)) return nl_errorf("nn.%s: backward called before forward", fn);
   const nl_backend *nb = NULL;
   if (input->_device != NL_CPU) {
      if (!(nb = device_table(fn, NL_OP_act_backward, input))) return -1;
   }
   if (gradInput != gradOutput && nl_tensor_resize_as(gradInput, input)) return -1;
   if (nl_numel(input) == 0) return 0;
   if (nb) return nb->ops.act_backward(gradInput, gradOutput, input, output, op, p1, p2);
   struct actx c = {op, p1, p2};
   nl_iter it;
   const nl_tensor *ts[4] = {gradInput, gradOutput, input, output};
   if (nl_iter_init(fn, &it, 4, ts)) return -1;
   nl_iter_run(&it, input->_dtype == NL_FLOAT ? bwd_f : bwd_d, &c);
   return 0;
}

/* activation.c: pointwise activation modules (Tanh, Sigmoid, ReLU and
 * Threshold, HardTanh, LeakyReLU, ELU, SoftPlus, ...): forward and
 * backward as one row kernel each over nl_iter (OpenMP above NL_OMP_MIN,
 * stride-1 loops for contiguous rows). Formulas follow Torch7's THNN. The
 * per-dtype kernels are in activation_impl.h; tensors on another device
 * go through the device gate (backend.h). */
#include "../apply.h"
#include "../backend.h"
#include "nn_common.h"
#include <math.h>

struct actx { int op; double p1, p2; };

/* the module names errors give; names[op] + 3 drops the "nn." */
static const char *names[NL_ACT_COUNT] = {
   "nn.Tanh", "nn.Sigmoid", "nn.Threshold", "nn.HardTanh", "nn.LeakyReLU", "nn.ELU", "nn.SoftPlus", "nn.SoftSign",
   "nn.SoftShrink", "nn.HardShrink", "nn.TanhShrink", "nn.LogSigmoid", "nn.ReLU6", "nn.Square", "nn.Sqrt", "nn.Abs",
   "nn.Exp", "nn.Log", "nn.Power"};

/* The loops of activation_impl.h: y = F(x) over the row (x the input
 * element), gi = go * D(x, y) (y the output element), with the element
 * strides given; FWD and BWD take the stride-1 loop when every tensor of
 * the row is contiguous, so that it vectorises. */
#define FWD_LOOP(sy, sx, F) for (int64_t i = 0; i < n; i++) { T x = xp[i * (sx)]; y[i * (sy)] = (F); }
#define FWD(F) do { if (s[0] == 1 && s[1] == 1) FWD_LOOP(1, 1, F) else FWD_LOOP(s[0], s[1], F) } while (0)
#define BWD_LOOP(sg, so, sx, sy, D) for (int64_t i = 0; i < n; i++) { T x = xp[i * (sx)], y = yp[i * (sy)]; (void)x; (void)y; gi[i * (sg)] = go[i * (so)] * (D); }
#define BWD(D) do { if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1) BWD_LOOP(1, 1, 1, 1, D) else BWD_LOOP(s[0], s[1], s[2], s[3], D) } while (0)

/* float tanh: the rational approximation of fast_tanh.h (within 2 ulp of
 * tanhf, branch-free so loops vectorise; about 8x faster than libm) */
#include "fast_tanh.h"


#define NL_IMPL "nn/activation_impl.h"
#include "dtype_each_float.h"

static const nl_row_fn fwd_rows[NL_NUM_DTYPES] = {[NL_FLOAT] = fwd_row_Float, [NL_DOUBLE] = fwd_row_Double};
static const nl_row_fn bwd_rows[NL_NUM_DTYPES] = {[NL_FLOAT] = bwd_row_Float, [NL_DOUBLE] = bwd_row_Double};

static int check_float(const char *fn, const nl_tensor *t) {
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(t));
   return 0;
}

NL_API int nl_act_forward(nl_tensor *output, const nl_tensor *input, int op, double p1, double p2) {
   if (op < 0 || op >= NL_ACT_COUNT) return nl_errorf("nl_act_forward: unknown op %d", op);
   const char *fn = names[op] + 3;
   if (check_float(names[op], input) || nl_check_same_dtype(fn, output, input)) return -1;
   if (output != input && nl_tensor_resize_as(output, input)) return -1;
   NL_DEVICE_CALL(names[op], act_forward, (output, input), output, input, op, p1, p2);
   if (nl_numel(input) == 0) return 0;
   struct actx c = {op, p1, p2};
   nl_iter it;
   const nl_tensor *ts[2] = {output, input};
   if (nl_iter_init(fn, &it, 2, ts)) return -1;
   nl_iter_run(&it, fwd_rows[input->_dtype], &c);
   return 0;
}

NL_API int nl_act_backward(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                           const nl_tensor *output, int op, double p1, double p2) {
   if (op < 0 || op >= NL_ACT_COUNT) return nl_errorf("nl_act_backward: unknown op %d", op);
   const char *fn = names[op] + 3;
   if (check_float(names[op], input) || nl_check_same_dtype(fn, gradOutput, input) ||
       nl_check_same_dtype(fn, gradInput, input) || nl_check_same_dtype(fn, output, input))
      return -1;
   if (nl_numel(gradOutput) != nl_numel(input)) {
      char a[NL_SHAPE_BUF], b[NL_SHAPE_BUF];
      return nl_errorf("%s: gradOutput has size %s, expected the size of the input %s", names[op],
                       nl_shape_str(a, sizeof a, gradOutput), nl_shape_str(b, sizeof b, input));
   }
   if (nl_numel(output) != nl_numel(input)) return nl_errorf("%s: backward called before forward", names[op]);
   if (gradInput != gradOutput && nl_tensor_resize_as(gradInput, input)) return -1;
   NL_DEVICE_CALL(names[op], act_backward, (gradInput, gradOutput, input, output), gradInput, gradOutput, input,
                  output, op, p1, p2);
   if (nl_numel(input) == 0) return 0;
   struct actx c = {op, p1, p2};
   nl_iter it;
   const nl_tensor *ts[4] = {gradInput, gradOutput, input, output};
   if (nl_iter_init(fn, &it, 4, ts)) return -1;
   nl_iter_run(&it, bwd_rows[input->_dtype], &c);
   return 0;
}

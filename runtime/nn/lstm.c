/* lstm.c: the pointwise LSTM cell behind nn.SeqLSTM and nn.FastLSTM. The
 * module does the products (one GEMM of the inputs of all steps, one
 * recurrent GEMM per step); this file does everything between them in one
 * pass per step: the gate activations, the new cell and output, and in
 * backward the gradients of the four gate pre-activations and of the
 * previous cell.
 *
 * Gate order along the 4H columns: i (input, sigmoid), f (forget,
 * sigmoid), o (output, sigmoid), g (cell candidate, tanh);
 *   c = f * c_prev + i * g,   h = o * tanh(c)
 * Float and double; per-dtype kernels in lstm_impl.h; the batch rows are
 * split over threads by nl_parallel_for. Tensors on a device go through
 * the gate (backend.h); Lua falls back on tensor ops where a device has no
 * entry (lua/nn/lstm_util.lua). */
#include "../apply.h"
#include "../backend.h"
#include "fast_tanh.h"
#include "nn_common.h"
#include <math.h>

/* up to 7 tensors of 2D (N, *) views: element (n, j) at p[n s0 + j s1];
 * unit: every s1 is 1 */
struct lstm_ctx {
   char *p[7];
   int64_t s0[7], s1[7];
   int64_t H;
   int unit;
};

#define NL_IMPL "nn/lstm_impl.h"
#include "dtype_each_float.h"

static const nl_range_fn fwd_ranges[NL_NUM_DTYPES] = {[NL_FLOAT] = fwd_rangeFloat, [NL_DOUBLE] = fwd_rangeDouble};
static const nl_range_fn bwd_ranges[NL_NUM_DTYPES] = {[NL_FLOAT] = bwd_rangeFloat, [NL_DOUBLE] = bwd_rangeDouble};

/* t: a float tensor of like's type, of size N x w (w: the expected width) */
static int check_mat(const char *fn, const nl_tensor *t, const char *what, const nl_tensor *like, int64_t N,
                     int64_t w) {
   char a[NL_SHAPE_BUF];
   if (t->_dtype != NL_FLOAT && t->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor %s, got %s", fn, what, nl_type_name(t));
   if (like && t->_dtype != like->_dtype)
      return nl_errorf("%s: %s is %s, expected %s like the gates", fn, what, nl_type_name(t), nl_type_name(like));
   if (t->_ndim != 2 || t->_size[0] != N || t->_size[1] != w)
      return nl_errorf("%s: %s has size %s, expected %lldx%lld", fn, what, nl_shape_str(a, sizeof a, t), (long long)N,
                       (long long)w);
   return 0;
}

/* the gates: (N, 4H), H >= 1 */
static int check_gates(const char *fn, const nl_tensor *gates, int64_t *N, int64_t *H) {
   char a[NL_SHAPE_BUF];
   if (gates->_dtype != NL_FLOAT && gates->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected FloatTensor or DoubleTensor gates, got %s", fn, nl_type_name(gates));
   if (gates->_ndim != 2 || gates->_size[1] % 4 != 0 || gates->_size[1] == 0)
      return nl_errorf("%s: gates have size %s, expected N x 4H (H >= 1)", fn, nl_shape_str(a, sizeof a, gates));
   *N = gates->_size[0];
   *H = gates->_size[1] / 4;
   return 0;
}

static void set_arg(struct lstm_ctx *x, int k, const nl_tensor *t) {
   if (!t) {
      x->p[k] = NULL, x->s0[k] = x->s1[k] = 0;
      return;
   }
   x->p[k] = nl_ptr(t);
   x->s0[k] = t->_stride[0], x->s1[k] = t->_stride[1];
   if (t->_stride[1] != 1 && t->_size[1] > 1) x->unit = 0;
}

NL_API int nl_lstm_cell_forward(nl_tensor *h, nl_tensor *c, nl_tensor *gates, const nl_tensor *prev_c) {
   const char *fn = "nl_lstm_cell_forward";
   int64_t N = 0, H = 0;
   if (check_gates(fn, gates, &N, &H) || check_mat(fn, prev_c, "prev_c", gates, N, H)) return -1;
   if (h == c) return nl_errorf("%s: h and c must be different tensors", fn);
   if (nl_check_same_dtype(fn, h, gates) || nl_check_same_dtype(fn, c, gates)) return -1;
   int64_t sz[2] = {N, H};
   if (nl_tensor_resize(h, 2, sz) || nl_tensor_resize(c, 2, sz)) return -1;
   NL_DEVICE_CALL(fn, lstm_cell_forward, (h, c, gates, prev_c), h, c, gates, prev_c);
   if (N == 0) return 0;
   struct lstm_ctx x = {.H = H, .unit = 1};
   set_arg(&x, 0, h), set_arg(&x, 1, c), set_arg(&x, 2, gates), set_arg(&x, 3, prev_c);
   nl_parallel_for(N, N * H * 4, fwd_ranges[gates->_dtype], &x);
   return 0;
}

NL_API int nl_lstm_cell_backward(nl_tensor *grad_gates, nl_tensor *grad_c, const nl_tensor *gates,
                                 const nl_tensor *prev_c, const nl_tensor *c, const nl_tensor *grad_h,
                                 const nl_tensor *grad_h2) {
   const char *fn = "nl_lstm_cell_backward";
   int64_t N = 0, H = 0;
   if (check_gates(fn, gates, &N, &H) || check_mat(fn, prev_c, "prev_c", gates, N, H) ||
       check_mat(fn, c, "c", gates, N, H) || check_mat(fn, grad_h, "grad_h", gates, N, H) ||
       check_mat(fn, grad_c, "grad_c", gates, N, H) || (grad_h2 && check_mat(fn, grad_h2, "grad_h2", gates, N, H)))
      return -1;
   if (nl_check_same_dtype(fn, grad_gates, gates)) return -1;
   if (grad_gates == grad_c) return nl_errorf("%s: grad_gates and grad_c must be different tensors", fn);
   int64_t sz[2] = {N, 4 * H};
   if (nl_tensor_resize(grad_gates, 2, sz)) return -1;
   NL_DEVICE_CALL(fn, lstm_cell_backward, (grad_gates, grad_c, gates, prev_c, c, grad_h, grad_h2), grad_gates, grad_c,
                  gates, prev_c, c, grad_h, grad_h2);
   if (N == 0) return 0;
   struct lstm_ctx x = {.H = H, .unit = 1};
   set_arg(&x, 0, grad_gates), set_arg(&x, 1, grad_c), set_arg(&x, 2, gates), set_arg(&x, 3, prev_c);
   set_arg(&x, 4, c), set_arg(&x, 5, grad_h), set_arg(&x, 6, grad_h2);
   nl_parallel_for(N, N * H * 4, bwd_ranges[gates->_dtype], &x);
   return 0;
}

/* math_pointwise.c: elementwise math (Torch7's add, mul, cmul, exp, tanh,
 * clamp, pow, addcmul, lt, eq, ...). Front functions validate types and
 * sizes, resize the result, then run the per-dtype row kernels of
 * math_pointwise_impl.h through nl_iter (OpenMP above NL_OMP_MIN) or hand
 * device tensors to the backend table. */
#include "apply.h"
#include "backend.h"
#include <stdio.h>
#include <tgmath.h>

/* The kernels are written once for signed and unsigned types; `x < 0` on
 * uint8_t is always false there, which is the intended result. */
#pragma GCC diagnostic ignored "-Wtype-limits"

#define NL_CAT_(a, b) a##b
#define NL_CAT(a, b) NL_CAT_(a, b)

struct uctx { int op; double p1, p2; };
struct bctx { int op; double alpha; };
struct tctx { int op; double v; };
struct cctx { int op, scalar, byte_out; double v; };

#define NL_IMPL "math_pointwise_impl.h"
#include "dtype_each.h"

/* a table of one kernel per dtype, indexed by dtype */
#define ROWS(f) { [NL_BYTE] = f##Byte, [NL_CHAR] = f##Char, [NL_SHORT] = f##Short, [NL_INT] = f##Int, [NL_LONG] = f##Long, [NL_FLOAT] = f##Float, [NL_DOUBLE] = f##Double }
static const nl_row_fn unary_rows[NL_NUM_DTYPES] = ROWS(unary_row_);
static const nl_row_fn binary_rows[NL_NUM_DTYPES] = ROWS(binary_row_);
static const nl_row_fn ternary_rows[NL_NUM_DTYPES] = ROWS(ternary_row_);
static const nl_row_fn compare_rows[NL_NUM_DTYPES] = ROWS(compare_row_);
static const nl_row_fn has_zero_rows[NL_NUM_DTYPES] = ROWS(has_zero_row_);

static const char *unary_names[NL_U_COUNT] = {
   "neg", "abs", "sign", "exp", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "asin", "acos", "atan",
   "sinh", "cosh", "tanh", "sigmoid", "floor", "ceil", "round", "trunc", "frac", "cinv", "add", "mul", "div",
   "pow", "pow", "clamp", "fmod", "remainder", "cmax", "cmin"};
static const char *binary_names[NL_B_COUNT] = {"add", "cmul", "cdiv", "cpow", "fmod", "remainder", "cmax",
                                               "cmin", "atan2", "lerp"};

/* The divisor as the kernel of that dtype will see it. */
static int64_t as_dtype(int dtype, double v) {
   if (!(v == v) || v > 9.2e18 || v < -9.2e18) return 0;
   switch (dtype) {
   case NL_BYTE: return (uint8_t)(int64_t)v;
   case NL_CHAR: return (int8_t)(int64_t)v;
   case NL_SHORT: return (int16_t)(int64_t)v;
   case NL_INT: return (int32_t)(int64_t)v;
   default: return (int64_t)v;
   }
}

/* ops defined only for floating types, as in Torch7 */
static int unary_float_only(int op) {
   return (op >= NL_U_EXP && op <= NL_U_CINV);
}

static int check_pair(const char *fn, const nl_tensor *a, const nl_tensor *b) {
   if (a->_dtype != b->_dtype || a->_device != b->_device)
      return nl_errorf("%s: tensor types differ: %s and %s; convert one with :type()", fn, nl_type_name(a),
                       nl_type_name(b));
   if (nl_numel(a) != nl_numel(b)) {
      char sa[NL_SHAPE_BUF], sb[NL_SHAPE_BUF];
      return nl_errorf("%s: sizes do not match: %s and %s", fn, nl_shape_str(sa, sizeof sa, a),
                       nl_shape_str(sb, sizeof sb, b));
   }
   return 0;
}

/* Resizes res to a's shape unless it already holds that many elements in
 * the same shape (a [res] view stays a view). */
static int prepare_result(const char *fn, nl_tensor *res, const nl_tensor *a) {
   if (res->_dtype != a->_dtype || res->_device != a->_device)
      return nl_errorf("%s: result is a %s, input a %s", fn, nl_type_name(res), nl_type_name(a));
   if (res == a) return 0;
   if (nl_numel(res) == nl_numel(a) && res->_ndim == a->_ndim) {
      int same = 1;
      for (int i = 0; i < a->_ndim; i++) same &= res->_size[i] == a->_size[i];
      if (same) return 0;
   }
   if (nl_tensor_resize_as(res, a)) {
      char msg[1024];
      snprintf(msg, sizeof msg, "%s", nl_last_error());
      return nl_errorf("%s: %s", fn, msg);
   }
   return 0;
}

static int has_zero(const nl_tensor *t) {
   int found = 0;
   nl_iter it;
   const nl_tensor *ts[1] = {t};
   if (nl_iter_init("has_zero", &it, 1, ts)) return 0;
   nl_iter_run(&it, has_zero_rows[t->_dtype], &found);
   return found;
}

static int run(const char *fn, nl_row_fn row, void *ctx, int nt, const nl_tensor *const *ts) {
   nl_iter it;
   if (nl_iter_init(fn, &it, nt, ts)) return -1;
   nl_iter_run(&it, row, ctx);
   return 0;
}

NL_API int nl_unary(nl_tensor *res, const nl_tensor *a, int op, double p1, double p2) {
   if (op < 0 || op >= NL_U_COUNT) return nl_errorf("nl_unary: unknown op %d", op);
   const char *fn = unary_names[op];
   if (!nl_dtypes[a->_dtype].is_float && unary_float_only(op))
      return nl_errorf("%s: not defined for %s (use a FloatTensor or DoubleTensor)", fn, nl_type_name(a));
   if (!nl_dtypes[a->_dtype].is_float && (op == NL_U_DIV || op == NL_U_FMOD || op == NL_U_REMAINDER) &&
       as_dtype(a->_dtype, p1) == 0)
      return nl_errorf("%s: integer division by zero", fn);
   if (op == NL_U_CLAMP && p1 > p2) return nl_errorf("clamp: min %g is greater than max %g", p1, p2);
   if (prepare_result(fn, res, a)) return -1;
   if (nl_numel(a) == 0) return 0;
   NL_DEVICE_CALL(fn, unary, (res, a), res, a, op, p1, p2);
   struct uctx c = {op, p1, p2};
   const nl_tensor *ts[2] = {res, a};
   return run(fn, unary_rows[a->_dtype], &c, 2, ts);
}

NL_API int nl_binary(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double alpha) {
   if (op < 0 || op >= NL_B_COUNT) return nl_errorf("nl_binary: unknown op %d", op);
   const char *fn = binary_names[op];
   if (check_pair(fn, a, b)) return -1;
   if (op == NL_B_ATAN2 && !nl_dtypes[a->_dtype].is_float)
      return nl_errorf("atan2: not defined for %s", nl_type_name(a));
   if (prepare_result(fn, res, a)) return -1;
   if (nl_numel(a) == 0) return 0;
   NL_DEVICE_CALL(fn, binary, (res, a, b), res, a, b, op, alpha);
   if (!nl_dtypes[a->_dtype].is_float && (op == NL_B_DIV || op == NL_B_FMOD || op == NL_B_REMAINDER) && has_zero(b))
      return nl_errorf("%s: integer division by zero", fn);
   struct bctx c = {op, alpha};
   const nl_tensor *ts[3] = {res, a, b};
   return run(fn, binary_rows[a->_dtype], &c, 3, ts);
}

NL_API int nl_ternary(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, const nl_tensor *c, int op, double v) {
   const char *fn = op == NL_T_ADDCMUL ? "addcmul" : "addcdiv";
   if (op != NL_T_ADDCMUL && op != NL_T_ADDCDIV) return nl_errorf("nl_ternary: unknown op %d", op);
   if (check_pair(fn, a, b) || check_pair(fn, a, c)) return -1;
   if (op == NL_T_ADDCDIV && !nl_dtypes[a->_dtype].is_float && has_zero(c))
      return nl_errorf("addcdiv: integer division by zero");
   if (prepare_result(fn, res, a)) return -1;
   if (nl_numel(a) == 0) return 0;
   NL_DEVICE_CALL(fn, ternary, (res, a, b, c), res, a, b, c, op, v);
   struct tctx ctx = {op, v};
   const nl_tensor *ts[4] = {res, a, b, c};
   return run(fn, ternary_rows[a->_dtype], &ctx, 4, ts);
}

NL_API int nl_compare(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double v) {
   static const char *names[] = {"lt", "le", "gt", "ge", "eq", "ne"};
   if (op < NL_C_LT || op > NL_C_NE) return nl_errorf("nl_compare: unknown op %d", op);
   const char *fn = names[op];
   if (b && check_pair(fn, a, b)) return -1;
   int byte_out = res->_dtype == NL_BYTE;
   if (!byte_out && res->_dtype != a->_dtype)
      return nl_errorf("%s: result must be a ByteTensor or a %s, got a %s", fn, nl_type_name(a), nl_type_name(res));
   if (res->_device != a->_device) return nl_errorf("%s: result and input are on different devices", fn);
   if (nl_numel(res) != nl_numel(a) && nl_tensor_resize_as(res, a)) return -1;
   if (nl_numel(a) == 0) return 0;
   NL_DEVICE_CALL(fn, compare, (res, a, b), res, a, b, op, v);
   struct cctx c = {op, b == NULL, byte_out, v};
   const nl_tensor *ts[3] = {res, a, b ? b : a};
   return run(fn, compare_rows[a->_dtype], &c, 3, ts);
}

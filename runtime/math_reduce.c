/* math_reduce.c: reductions (sum, prod, mean, max, min, norm, var, std,
 * all, any) over a whole tensor or along one dimension, cumsum/cumprod and
 * dist. Whole-tensor reductions keep one partial per fixed block of
 * RBLOCK elements and combine them in block order, so results are the same
 * bit for bit with any number of threads. */
#include "apply.h"
#include "backend.h"
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wtype-limits"

#define NL_CAT_(a, b) a##b
#define NL_CAT(a, b) NL_CAT_(a, b)
#define RBLOCK ((int64_t)1 << 15)
#define STACK_BLOCKS 8

/* one block's partial of a whole-tensor reduction (a cache line each) */
struct rpart {
   int op, pad0;
   double arg, shift;
   double acc, acc2;
   int64_t n;
   char pad[16];
};
/* the context of reductions along a dimension */
struct rctx {
   int op, has_idx;
   double arg, shift;
};

#define NL_IMPL "math_reduce_impl.h"
#include "dtype_each.h"

/* a table of one kernel per dtype, indexed by dtype */
#define ROWS(f) { [NL_BYTE] = f##Byte, [NL_CHAR] = f##Char, [NL_SHORT] = f##Short, [NL_INT] = f##Int, [NL_LONG] = f##Long, [NL_FLOAT] = f##Float, [NL_DOUBLE] = f##Double }
static const nl_row_fn all_rows[NL_NUM_DTYPES] = ROWS(reduce_all_row_);
static const nl_slice_fn slice_fns[NL_NUM_DTYPES] = ROWS(reduce_slice_);
static const nl_slice_fn cumulate_fns[NL_NUM_DTYPES] = ROWS(cumulate_slice_);
static const nl_row_fn dist_rows[NL_NUM_DTYPES] = ROWS(dist_row_);

static const char *names[NL_R_COUNT] = {"sum", "prod", "mean", "max", "min", "norm", "var", "std", "all", "any"};

static double initial(int op) {
   switch (op) {
   case NL_R_PROD: case NL_R_ALL: return 1;
   case NL_R_MAX: return -INFINITY;
   case NL_R_MIN: return INFINITY;
   default: return 0;
   }
}

NL_API int nl_reduce_all(double *out, const nl_tensor *a, int op, double arg) {
   if (op < 0 || op >= NL_R_COUNT) return nl_errorf("nl_reduce_all: unknown op %d", op);
   const char *fn = names[op];
   int64_t n = nl_numel(a);
   if (n == 0) {
      if (op == NL_R_MAX || op == NL_R_MIN || op == NL_R_MEAN || op == NL_R_VAR || op == NL_R_STD)
         return nl_errorf("%s: the tensor is empty", fn);
      *out = initial(op);
      return 0;
   }
   NL_DEVICE_CALL(fn, reduce_all, (a), out, a, op, arg);
   double shift = 0;
   /* var/std as Torch7's varall: the mean first, then the squares around it */
   if (op == NL_R_VAR || op == NL_R_STD) {
      double sum;
      if (nl_reduce_all(&sum, a, NL_R_SUM, 0)) return -1;
      shift = sum / (double)n;
   }
   nl_iter it;
   const nl_tensor *ts[1] = {a};
   if (nl_iter_init(fn, &it, 1, ts)) return -1;
   int64_t nb = (it.n + RBLOCK - 1) / RBLOCK;
   /* tensors up to STACK_BLOCKS blocks (256K elements) need no allocation */
   struct rpart local[STACK_BLOCKS];
   struct rpart *parts = nb <= STACK_BLOCKS ? local : malloc((size_t)nb * sizeof *parts);
   if (!parts) return nl_errorf("%s: out of memory", fn);
   for (int64_t i = 0; i < nb; i++)
      parts[i] = (struct rpart){.op = op, .arg = arg, .shift = shift, .acc = initial(op)};
   nl_iter_run_blocks(&it, all_rows[a->_dtype], parts, sizeof *parts, RBLOCK);
   double acc = initial(op), acc2 = 0;
   for (int64_t i = 0; i < nb; i++) {
      double x = parts[i].acc;
      switch (op) {
      case NL_R_PROD: acc *= x; break;
      case NL_R_MAX: if (acc == acc && !(x <= acc)) acc = x; break;   /* NaN stays */
      case NL_R_MIN: if (acc == acc && !(x >= acc)) acc = x; break;
      case NL_R_ALL: if (!x) acc = 0; break;
      case NL_R_ANY: if (x) acc = 1; break;
      case NL_R_NORM: if (isinf(arg)) { if (x > acc) acc = x; } else acc += x; break;
      default: acc += x; acc2 += parts[i].acc2; break;
      }
   }
   if (parts != local) free(parts);
   if (op == NL_R_MEAN) acc /= n;
   else if (op == NL_R_NORM && !isinf(arg) && arg != 0) {
      /* Torch7's root: sqrt for p = 2, none for p = 1, else pow (powf on floats) */
      if (arg == 2) acc = sqrt(acc);
      else if (arg != 1) acc = a->_dtype == NL_FLOAT ? (double)powf((float)acc, (float)(1 / arg)) : pow(acc, 1 / arg);
   }
   else if (op == NL_R_VAR || op == NL_R_STD) {
      double denom = arg ? (double)n : (double)(n - 1);
      double v = acc2 / denom;   /* one element, unbiased: 0/0, NaN as Torch7 */
      acc = op == NL_R_STD ? sqrt(v) : v;
   }
   *out = acc;
   return 0;
}

NL_API int nl_reduce_dim(nl_tensor *res, nl_tensor *idx, const nl_tensor *a, int dim, int op, double arg) {
   if (op < 0 || op >= NL_R_COUNT) return nl_errorf("nl_reduce_dim: unknown op %d", op);
   const char *fn = names[op];
   char sa[NL_SHAPE_BUF];
   if (dim < 0 || dim >= a->_ndim)
      return nl_errorf("%s: dimension %lld out of range for a %s tensor", fn, (long long)dim + 1, nl_shape_str(sa, sizeof sa, a));
   if (res->_dtype != a->_dtype || res->_device != a->_device)
      return nl_errorf("%s: result is a %s, input a %s", fn, nl_type_name(res), nl_type_name(a));
   if (idx && (idx->_dtype != NL_LONG || idx->_device != a->_device))
      return nl_errorf("%s: indices must be a LongTensor, got a %s", fn, nl_type_name(idx));
   if (a->_size[dim] == 0 || nl_numel(a) == 0) return nl_errorf("%s: the tensor is empty", fn);
   int64_t size[NL_MAX_DIMS];
   for (int i = 0; i < a->_ndim; i++) size[i] = i == dim ? 1 : a->_size[i];
   if (res == a) return nl_errorf("%s: the result cannot be the input", fn);
   if (nl_tensor_resize(res, a->_ndim, size)) return -1;
   if (idx && nl_tensor_resize(idx, a->_ndim, size)) return -1;
   NL_DEVICE_CALL(fn, reduce_dim, (res, idx, a), res, idx, a, dim, op, arg);
   struct rctx c;
   memset(&c, 0, sizeof c);
   c.op = op;
   c.arg = arg;
   c.has_idx = idx != NULL;
   nl_iter it;
   /* the input first: its size along dim is the slice length; without an
    * index tensor the result stands in for it (never written as one) */
   const nl_tensor *ts[3] = {a, res, idx ? idx : res};
   if (nl_iter_init_dim(fn, &it, 3, ts, dim)) return -1;
   nl_iter_run_slices(&it, slice_fns[a->_dtype], &c);
   return 0;
}

NL_API int nl_cumulate(nl_tensor *res, const nl_tensor *a, int dim, int op) {
   const char *fn = op == NL_R_PROD ? "cumprod" : "cumsum";
   char sa[NL_SHAPE_BUF];
   if (op != NL_R_SUM && op != NL_R_PROD) return nl_errorf("nl_cumulate: unknown op %d", op);
   if (dim < 0 || dim >= a->_ndim)
      return nl_errorf("%s: dimension %lld out of range for a %s tensor", fn, (long long)dim + 1, nl_shape_str(sa, sizeof sa, a));
   if (res->_dtype != a->_dtype || res->_device != a->_device)
      return nl_errorf("%s: result is a %s, input a %s", fn, nl_type_name(res), nl_type_name(a));
   if (res != a && nl_tensor_resize_as(res, a)) return -1;
   if (nl_numel(a) == 0) return 0;
   NL_DEVICE_CALL(fn, cumulate, (res, a), res, a, dim, op);
   struct rctx c;
   memset(&c, 0, sizeof c);
   c.op = op;
   nl_iter it;
   const nl_tensor *ts[2] = {res, a};
   if (nl_iter_init_dim(fn, &it, 2, ts, dim)) return -1;
   nl_iter_run_slices(&it, cumulate_fns[a->_dtype], &c);
   return 0;
}

NL_API int nl_dist(double *out, const nl_tensor *a, const nl_tensor *b, double p) {
   if (a->_dtype != b->_dtype || a->_device != b->_device)
      return nl_errorf("dist: tensor types differ: %s and %s", nl_type_name(a), nl_type_name(b));
   if (nl_check_same_numel("dist", a, b)) return -1;
   NL_DEVICE_CALL("dist", dist, (a, b), out, a, b, p);
   nl_iter it;
   const nl_tensor *ts[2] = {a, b};
   if (nl_iter_init("dist", &it, 2, ts)) return -1;
   int64_t nb = (it.n + RBLOCK - 1) / RBLOCK;
   struct rpart local[STACK_BLOCKS];
   struct rpart *parts = nb <= STACK_BLOCKS ? local : malloc((size_t)nb * sizeof *parts);
   if (!parts) return nl_errorf("dist: out of memory");
   for (int64_t i = 0; i < nb; i++) parts[i] = (struct rpart){.arg = p};
   nl_iter_run_blocks(&it, dist_rows[a->_dtype], parts, sizeof *parts, RBLOCK);
   double acc = 0;
   for (int64_t i = 0; i < nb; i++) {
      if (isinf(p)) { if (parts[i].acc > acc) acc = parts[i].acc; }
      else acc += parts[i].acc;
   }
   if (parts != local) free(parts);
   *out = isinf(p) || p == 0 ? acc : pow(acc, 1 / p);
   return 0;
}

/* dtype_each_float.h: dtype_each.h for the floating dtypes only (the
 * NL_FOR_EACH_FLOAT_DTYPE part of dtype.h's list): includes the kernel
 * file named by NL_IMPL once for float and once for double, with T, SUF
 * (Float, Double), FLT (1) and DSIZE (4, 8: a kernel picks its float or
 * double libm/cblas routine with `#if DSIZE == 4`) defined for that
 * inclusion; NL_IMPL is undefined at the end. NL_IMPL is found from
 * runtime/ (this file's folder): runtime/nn/ files name "nn/x_impl.h". */
#ifndef NL_DTYPE_EACH_FLOAT_ONCE
#define NL_DTYPE_EACH_FLOAT_ONCE
#include "dtype.h"
#define NL_DTYPE_EACH_FLOAT_ONE(E, ctype, Name, f) +1
enum { NL_DTYPE_EACH_FLOAT_COUNT = 0 NL_FOR_EACH_FLOAT_DTYPE(NL_DTYPE_EACH_FLOAT_ONE) };
#undef NL_DTYPE_EACH_FLOAT_ONE
_Static_assert(NL_DTYPE_EACH_FLOAT_COUNT == 2, "dtype_each_float.h: instantiate the dtypes of NL_FOR_EACH_FLOAT_DTYPE");
#endif

#define T float
#define SUF Float
#define FLT 1
#define DSIZE 4
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE

#define T double
#define SUF Double
#define FLT 1
#define DSIZE 8
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE

#undef NL_IMPL

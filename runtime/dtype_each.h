/* dtype_each.h: instantiates a per-dtype kernel file once for each dtype
 * of NL_FOR_EACH_DTYPE (dtype.h), in that order. Usage:
 *
 *    #define NL_IMPL "math_pointwise_impl.h"
 *    #include "dtype_each.h"
 *
 * For each inclusion the kernel file sees
 *    T      the element type (uint8_t ... double)
 *    SUF    the dtype's name (Byte ... Double), for function names
 *    FLT    1 for floating types
 *    DSIZE  the element size in bytes (float vs double: cblas_s or _d)
 *    HALF   0, or 1 for the storage-only Half, which is included as an
 *           eighth type when NL_IMPL_HALF is defined (copy.c)
 * all undefined again after it; NL_IMPL and NL_IMPL_HALF are undefined at
 * the end (it is found from runtime/, this file's folder). An #include
 * cannot come out of a macro, so these lines are the
 * one place the dtypes are spelled out for instantiation; the assertion
 * below keeps them in step with dtype.h's list. */
#ifndef NL_DTYPE_EACH_ONCE
#define NL_DTYPE_EACH_ONCE
#include "dtype.h"
#define NL_DTYPE_EACH_ONE(E, ctype, Name, f) +1
enum { NL_DTYPE_EACH_COUNT = 0 NL_FOR_EACH_DTYPE(NL_DTYPE_EACH_ONE) };
#undef NL_DTYPE_EACH_ONE
_Static_assert(NL_DTYPE_EACH_COUNT == 7, "dtype_each.h: instantiate the dtypes of NL_FOR_EACH_DTYPE");
#endif

#define T uint8_t
#define SUF Byte
#define FLT 0
#define DSIZE 1
#define HALF 0
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF

#define T int8_t
#define SUF Char
#define FLT 0
#define DSIZE 1
#define HALF 0
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF

#define T int16_t
#define SUF Short
#define FLT 0
#define DSIZE 2
#define HALF 0
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF

#define T int32_t
#define SUF Int
#define FLT 0
#define DSIZE 4
#define HALF 0
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF

#define T int64_t
#define SUF Long
#define FLT 0
#define DSIZE 8
#define HALF 0
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF

#define T float
#define SUF Float
#define FLT 1
#define DSIZE 4
#define HALF 0
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF

#define T double
#define SUF Double
#define FLT 1
#define DSIZE 8
#define HALF 0
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF

#ifdef NL_IMPL_HALF
#define T nl_half
#define SUF Half
#define FLT 1
#define DSIZE 2
#define HALF 1
#include NL_IMPL
#undef T
#undef SUF
#undef FLT
#undef DSIZE
#undef HALF
#undef NL_IMPL_HALF
#endif

#undef NL_IMPL

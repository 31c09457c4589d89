/* copy_impl.h: conversion into one destination dtype from every dtype,
 * fill, and single-element access. Included once per dtype by copy.c
 * with T (element type), SUF (name suffix) and HALF (1 when T holds IEEE
 * half bits) defined; undefines them at the end.
 *
 * The source dtype is a switch outside the loops; each case is the same
 * loop over the source's element type (CONVERT), stride-1 rows apart so
 * that the compiler vectorises them. */
#define FN(name) NL_CAT(name, SUF)

#if HALF
#define TO(x) nl_half_encode((double)(x))
#define FROM_HALF(x) (x)
#else
#define TO(x) ((T)(x))
#define FROM_HALF(x) ((T)nl_half_decode(x))
#endif

/* r[i] = EXPR, with x the source element of type ST */
#define CONVERT(ST, EXPR) { const ST *a = (const ST *)p[1]; if (sr == 1 && sa == 1) for (int64_t i = 0; i < n; i++) { ST x = a[i]; r[i] = (EXPR); } else for (int64_t i = 0; i < n; i++) { ST x = a[i * sa]; r[i * sr] = (EXPR); } }
#define COPY_CASE(E, ST, N, F) case E: CONVERT(ST, TO(x)) break;

/* ctx: the source dtype (int) */
static void FN(copy_to_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   T *r = (T *)p[0];
   const int64_t sr = s[0], sa = s[1];
   switch (*(const int *)ctx) {
   NL_FOR_EACH_DTYPE(COPY_CASE)
   case NL_HALF: CONVERT(nl_half, FROM_HALF(x)) break;
   default: break;
   }
}

/* ctx: the value (double) */
static void FN(fill_)(void *ctx, int64_t n, char **p, const int64_t *s) {
   const T v = TO(*(const double *)ctx);
   T *r = (T *)p[0];
   if (s[0] == 1) for (int64_t i = 0; i < n; i++) r[i] = v;
   else for (int64_t i = 0; i < n; i++) r[i * s[0]] = v;
}

/* element o of a storage's data */
static double FN(get_)(const void *data, int64_t o) {
#if HALF
   return nl_half_decode(((const T *)data)[o]);
#else
   return (double)((const T *)data)[o];
#endif
}

static void FN(set_)(void *data, int64_t o, double v) { ((T *)data)[o] = TO(v); }

#undef COPY_CASE
#undef CONVERT
#undef FROM_HALF
#undef TO
#undef FN
#undef T
#undef SUF
#undef HALF

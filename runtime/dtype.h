/* dtype.h: the one list of dtypes, the traits table built from it
 * (dtype.c), and IEEE binary16 (Half) conversions.
 *
 * The enum in nnlua.h is the ABI (numbers); this list is where the C side
 * learns each dtype's element type and name. The traits table, the type
 * names ("torch.FloatTensor", "torch.CudaTensor") and, through the FFI
 * accessors (nl_dtype_name, nl_dtype_ctype, ...), the Lua classes all
 * derive from it. */
#ifndef NL_DTYPE_H
#define NL_DTYPE_H
#include "../bindings/nnlua.h"
#include <stdint.h>
#include <string.h>

/* X(ENUM, ctype, Name, is_float) for every dtype with kernels: kernels
 * instantiate their per-dtype functions from this list. */
#define NL_FOR_EACH_DTYPE(X) \
   X(NL_BYTE, uint8_t, Byte, 0) \
   X(NL_CHAR, int8_t, Char, 0) \
   X(NL_SHORT, int16_t, Short, 0) \
   X(NL_INT, int32_t, Int, 0) \
   X(NL_LONG, int64_t, Long, 0) \
   X(NL_FLOAT, float, Float, 1) \
   X(NL_DOUBLE, double, Double, 1)

/* Every dtype: the list above and the storage-only ones (Half: storage,
 * copy and conversion, fill, element access; math converts to float). */
#define NL_FOR_EACH_STORAGE_DTYPE(X) NL_FOR_EACH_DTYPE(X) X(NL_HALF, nl_half, Half, 1)

#define NL_FOR_EACH_FLOAT_DTYPE(X) \
   X(NL_FLOAT, float, Float, 1) \
   X(NL_DOUBLE, double, Double, 1)

typedef struct nl_dtype_traits {
   const char *name;     /* "Float" */
   const char *ctype;    /* "float": the element type, as the FFI knows it */
   int size;             /* bytes */
   int is_float;
} nl_dtype_traits;

__attribute__((visibility("default"))) extern const nl_dtype_traits nl_dtypes[NL_NUM_DTYPES];

/* 0 when entry point op (NL_OP_*, nl_ops.h) cannot take tensors of dtype:
 * Half is storage only (copy, fill, zero, get1, set1); the device gate
 * refuses the rest with a clear error, before any kernel table lookup. */
int nl_dtype_serves(int dtype, int op);

/* Half <-> float/double. The encoding: 1 sign bit, 5 exponent bits (bias
 * 15), 10 mantissa bits. */
static inline float nl_half_decode(nl_half h) {
   uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff, b;
   if (e == 0x1f) b = sign | 0x7f800000u | (m << 13);            /* inf, nan (payload kept) */
   else if (e) b = sign | ((e + 112) << 23) | (m << 13);          /* normal: rebias 15 -> 127 */
   else {                                                         /* zero, subnormal: m * 2^-24 */
      float f = (float)m * 0x1p-24f;
      return sign ? -f : f;
   }
   float f;
   memcpy(&f, &b, sizeof f);
   return f;
}

/* Rounds to the nearest half, ties to even; magnitudes from 65520 up
 * become inf; nan stays nan (quiet, its top payload bits kept). Every
 * float is a double, so this also rounds floats correctly (no double
 * rounding). */
static inline nl_half nl_half_encode(double v) {
   uint64_t b;
   memcpy(&b, &v, sizeof b);
   nl_half sign = (nl_half)((b >> 48) & 0x8000);
   b &= 0x7fffffffffffffffull;
   if (b >= 0x7ff0000000000000ull)
      return sign | 0x7c00 | (b > 0x7ff0000000000000ull ? (nl_half)(0x200 | ((b >> 42) & 0x3ff)) : 0);
   int e = (int)(b >> 52) - 1023;
   if (e > 15) return sign | 0x7c00;
   if (e < -25) return sign;
   uint64_t m = (b & 0xfffffffffffffull) | (1ull << 52);   /* significand with its leading 1 */
   /* normal halves keep 11 of the 53 bits; subnormals fewer, at a fixed
    * scale of 2^-24. A carry out of the mantissa moves into the exponent
    * (up to inf), as the encoding is ordered. */
   int shift = e >= -14 ? 42 : 42 + (-14 - e);
   uint32_t r = (uint32_t)(e >= -14 ? (e + 14) << 10 : 0) + (uint32_t)(m >> shift);
   uint64_t rem = m & ((1ull << shift) - 1), half = 1ull << (shift - 1);
   if (rem > half || (rem == half && (r & 1))) r++;
   return sign | (nl_half)r;
}

#endif

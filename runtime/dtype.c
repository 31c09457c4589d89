/* dtype.c: the dtype traits table, one row per dtype of nnlua.h. */
#include "core.h"

const nl_dtype_traits nl_dtypes[NL_NUM_DTYPES] = {
   {"Byte", 1, 0}, {"Char", 1, 0}, {"Short", 2, 0}, {"Int", 4, 0},
   {"Long", 8, 0}, {"Float", 4, 1}, {"Double", 8, 1}, {"Half", 2, 1},
};

NL_API int nl_dtype_size(int dtype) {
   return dtype >= 0 && dtype < NL_NUM_DTYPES ? nl_dtypes[dtype].size : 0;
}

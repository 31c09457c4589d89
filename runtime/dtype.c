/* dtype.c: the dtype traits table, one row per dtype of the list in
 * dtype.h, the Torch7 type names derived from it, and the accessors the
 * Lua side reads them through. */
#include "core.h"
#include "nl_ops.h"
#include <stdio.h>

#define TRAITS_ROW(E, T, N, F) [E] = {#N, #T, (int)sizeof(T), F},
const nl_dtype_traits nl_dtypes[NL_NUM_DTYPES] = {NL_FOR_EACH_STORAGE_DTYPE(TRAITS_ROW)};
#undef TRAITS_ROW

/* the list covers every dtype of the enum, once */
#define COUNT_ONE(E, T, N, F) +1
_Static_assert(0 NL_FOR_EACH_STORAGE_DTYPE(COUNT_ONE) == NL_NUM_DTYPES, "dtype.h: the list and nnlua.h's enum differ");
#undef COUNT_ONE

static int valid(int dtype) { return dtype >= 0 && dtype < NL_NUM_DTYPES; }

NL_API int nl_dtype_size(int dtype) { return valid(dtype) ? nl_dtypes[dtype].size : 0; }
NL_API const char *nl_dtype_name(int dtype) { return valid(dtype) ? nl_dtypes[dtype].name : NULL; }
NL_API const char *nl_dtype_ctype(int dtype) { return valid(dtype) ? nl_dtypes[dtype].ctype : NULL; }
NL_API int nl_dtype_is_float(int dtype) { return valid(dtype) && nl_dtypes[dtype].is_float; }

/* "torch.<Name>Tensor" on the host; cutorch's names on CUDA, where the
 * float type is plain "torch.CudaTensor". Filled once when the library
 * loads, so the names are constant strings afterwards. */
static char tensor_names[NL_NUM_DEVICES][NL_NUM_DTYPES][48];

__attribute__((constructor)) static void init_tensor_names(void) {
   for (int d = 0; d < NL_NUM_DTYPES; d++) {
      snprintf(tensor_names[0][d], sizeof tensor_names[0][d], "torch.%sTensor", nl_dtypes[d].name);
      snprintf(tensor_names[1][d], sizeof tensor_names[1][d], "torch.Cuda%sTensor",
               d == NL_FLOAT ? "" : nl_dtypes[d].name);
      snprintf(tensor_names[NL_TESTDEV][d], sizeof tensor_names[NL_TESTDEV][d], "torch.%sTensor (test device)",
               nl_dtypes[d].name);
   }
}

NL_API const char *nl_dtype_tensor_name(int dtype, int device) {
   if (!valid(dtype)) return NULL;
   return tensor_names[device >= 0 && device < NL_NUM_DEVICES ? device : NL_CPU][dtype];
}

NL_API nl_half nl_half_from_double(double v) { return nl_half_encode(v); }
NL_API double nl_half_to_double(nl_half h) { return nl_half_decode(h); }

int nl_dtype_serves(int dtype, int op) {
   if (dtype != NL_HALF) return 1;
   return op == NL_OP_copy || op == NL_OP_fill || op == NL_OP_zero || op == NL_OP_get1 || op == NL_OP_set1;
}

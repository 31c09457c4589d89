/* backend.c: the device backend registry, dtype traits and thread count. */
#include "backend.h"
#include <stdio.h>

static const nl_backend *backends[NL_NUM_DEVICES];

const nl_dtype_traits nl_dtypes[NL_NUM_DTYPES] = {
   {"Byte", 1, 0}, {"Char", 1, 0}, {"Short", 2, 0}, {"Int", 4, 0},
   {"Long", 8, 0}, {"Float", 4, 1}, {"Double", 8, 1}, {"Half", 2, 1},
};

NL_API int nl_dtype_size(int dtype) {
   return dtype >= 0 && dtype < NL_NUM_DTYPES ? nl_dtypes[dtype].size : 0;
}

NL_API int nl_backend_register(int device, const nl_backend *b) {
   if (device <= NL_CPU || device >= NL_NUM_DEVICES)
      return nl_errorf("nl_backend_register: bad device %d", device);
   backends[device] = b;
   return 0;
}

const nl_backend *nl_backend_get(const char *fn, int device) {
   if (device > NL_CPU && device < NL_NUM_DEVICES && backends[device]) return backends[device];
   nl_errorf("%s: no backend for device %d (is cutorch loaded and a GPU present?)", fn, device);
   return NULL;
}

NL_API int nl_backend_cuda_available(void) { return backends[NL_CUDA] != NULL; }

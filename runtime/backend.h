/* backend.h: the table a device backend fills in. The CPU path lives in
 * the runtime itself; libnnlua_cuda registers a table for NL_CUDA when it
 * is loaded. Front functions validate, then dispatch here on t->_device. A
 * NULL entry means "not available on this device" and the front function
 * says so by name. Families append their entries in their own block. */
#ifndef NL_BACKEND_H
#define NL_BACKEND_H
#include "core.h"

typedef struct nl_backend {
   const char *name;
   /* memory */
   void *(*alloc)(size_t bytes);                 /* NULL on failure */
   void (*free)(void *p, size_t bytes);
   int (*memcpy_h2d)(void *dst, const void *src, size_t bytes);
   int (*memcpy_d2h)(void *dst, const void *src, size_t bytes);
   int (*memcpy_d2d)(void *dst, const void *src, size_t bytes);
   int (*empty_cache)(void);
   /* tensors on this device: same numel, any shapes; dtypes equal */
   int (*copy)(nl_tensor *dst, const nl_tensor *src);
   int (*fill)(nl_tensor *t, double value);
   /* --- math family --- */
   int (*pointwise)(int op, nl_tensor *res, const nl_tensor *a, const nl_tensor *b, double alpha, double beta);
   /* --- blas family --- */
   int (*addmm)(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a, const nl_tensor *b);
   /* --- nn family --- */
   void *nn;    /* family-defined table */
} nl_backend;

NL_API int nl_backend_register(int device, const nl_backend *b);
/* The registered table for a device, or NULL (message set, naming fn). */
const nl_backend *nl_backend_get(const char *fn, int device);

#endif

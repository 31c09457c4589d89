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
   /* --- math family: same contracts as nl_unary, nl_binary, ... (front
    * functions have validated and resized) --- */
   int (*unary)(nl_tensor *res, const nl_tensor *a, int op, double p1, double p2);
   int (*binary)(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double alpha);
   int (*ternary)(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, const nl_tensor *c, int op, double v);
   int (*compare)(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int op, double v);
   int (*reduce_all)(double *out, const nl_tensor *a, int op, double arg);
   int (*reduce_dim)(nl_tensor *res, nl_tensor *idx, const nl_tensor *a, int dim, int op, double arg);
   /* --- blas family --- */
   int (*addmm)(nl_tensor *res, double beta, const nl_tensor *m, double alpha, const nl_tensor *a, const nl_tensor *b);
   /* --- nn family --- */
   void *nn;    /* family-defined table */
} nl_backend;

NL_API int nl_backend_register(int device, const nl_backend *b);
/* The registered table for a device, or NULL (message set, naming fn). */
const nl_backend *nl_backend_get(const char *fn, int device);

#endif

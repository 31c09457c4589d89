/* core.h: private helpers shared by every runtime file: export marking,
 * the dtype list and traits (dtype.h), error reporting, shape strings. */
#ifndef NL_CORE_H
#define NL_CORE_H
#include "../bindings/nnlua.h"
#include "dtype.h"
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>

#define NL_API __attribute__((visibility("default")))

/* Records a formatted message for nl_last_error() and returns -1, so a
 * front function can write `return nl_errorf("nl_add: ...")`. */
NL_API int nl_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes "3x4x5" (or "[]" for no dimension) into buf; returns buf. */
NL_API const char *nl_shape_str(char *buf, size_t n, const nl_tensor *t);
#define NL_SHAPE_BUF 128

/* Name of a tensor's Torch7 class ("torch.FloatTensor"). */
NL_API const char *nl_type_name(const nl_tensor *t);

/* Validation helpers used by front functions; each returns 0 or sets an
 * error naming fn and returns -1. */
NL_API int nl_check_same_dtype(const char *fn, const nl_tensor *a, const nl_tensor *b);
NL_API int nl_check_same_numel(const char *fn, const nl_tensor *a, const nl_tensor *b);
NL_API int nl_check_dim(const char *fn, const nl_tensor *t, int dim);

/* Threads: OpenMP above this many elements; one pool for OpenMP and
 * OpenBLAS (see threads.c). */
#define NL_OMP_MIN 32768
int nl_threads(void);
int nl_omp_in_parallel(void);
/* late-thread probes around each parallel region (threads.c) */
void nl_region_begin(void);
void nl_region_arrive(void);
void nl_region_end(void);

/* A new storage with one reference, or NULL with the error set
 * (storage.c; tensor.c creates the storage of a resized tensor). */
nl_storage *nl_storage_create(int dtype, int device, int64_t size);

/* Raw allocation with accounting (memory.c). bytes may be 0. */
void *nl_mem_alloc(int device, size_t bytes);
void nl_mem_free(int device, void *p, size_t bytes);
void nl_mem_count(int device, int64_t delta);

static inline int64_t nl_numel(const nl_tensor *t) {
   if (t->_ndim == 0) return 0;
   int64_t n = 1;
   for (int i = 0; i < t->_ndim; i++) n *= t->_size[i];
   return n;
}

/* Typed pointer to element 0 of a CPU view. */
static inline void *nl_ptr(const nl_tensor *t) {
   if (!t->_storage) return NULL;
   return (char *)t->_storage->_data + t->_offset * (int64_t)nl_dtypes[t->_dtype].size;
}

#endif

/* backend.h: the device gate and the table a device backend fills in.
 *
 * Every entry point of nnlua.h that takes a tensor (the list that
 * scripts/gen-ops.lua derives from the header: NL_OP_*, nl_ops) runs
 * through one gate. A front function validates what the tensor headers
 * say (sizes, dtypes), resizes its outputs, then asks the gate where the
 * call runs, before it reads or writes any element:
 *
 *    NL_DEVICE_CALL("nl_addmv", addmv, (res, m, mat, vec), res, beta, m, alpha, mat, vec);
 *    ... CPU kernels ...
 *
 * The gate returns for CPU tensors; for tensors of a registered device it
 * calls that backend's entry of the same name with the same arguments and
 * returns its result; otherwise (devices mixed, no backend, an entry the
 * backend does not serve for that dtype) it sets one error naming the
 * function, the device and the type, and the front function returns -1.
 * Nothing else in the runtime, and nothing in Lua outside cutorch, decides
 * where an operation runs.
 *
 * libnnlua_cuda registers the CUDA table when it is loaded; the test build's
 * stand-in (tests/standin/) registers a host-memory table for NL_TESTDEV. */
#ifndef NL_BACKEND_H
#define NL_BACKEND_H
#include "core.h"
#include "nl_ops.h"

typedef struct nl_backend {
   const char *name;                             /* "CUDA" */
   /* memory */
   void *(*alloc)(size_t bytes);                 /* NULL on failure */
   void (*free)(void *p, size_t bytes);
   int (*memcpy_h2d)(void *dst, const void *src, size_t bytes);
   int (*memcpy_d2h)(void *dst, const void *src, size_t bytes);
   int (*memcpy_d2d)(void *dst, const void *src, size_t bytes);
   int (*empty_cache)(void);
   /* 1 when the CPU can address this device's memory: the backend may then
    * run a call through the CPU kernels (nl_backend_cpu_pass) */
   int host_memory;
   /* 0 when the backend cannot run op on tensors of dtype, though it has
    * the entry (e.g. a kernel written for float types only); NULL: every
    * entry it has serves every dtype */
   int (*supports)(int op, int dtype);
   nl_ops ops;
} nl_backend;

NL_API int nl_backend_register(int device, const nl_backend *b);
/* The registered table for a device, or NULL (message set, naming fn). */
NL_API const nl_backend *nl_backend_get(const char *fn, int device);

/* The gate. ts: the call's n tensors (NULL entries, absent optional
 * tensors, are skipped); fn: the name errors give (NULL: the entry point's
 * own, "nl_addmv"). Returns 0 when the call runs on the CPU, 1 with *b the
 * backend to call, -1 with the error set. */
NL_API int nl_gate(const nl_backend **b, const char *fn, int op, int n, const nl_tensor *const *ts);

/* The gate and the backend call in one line (see the head comment): ts is
 * the parenthesised list of the call's tensors, then the full argument
 * list, in the header's order. */
#define NL_TENSORS(...) (int)(sizeof((const nl_tensor *[]){__VA_ARGS__}) / sizeof(const nl_tensor *)), (const nl_tensor *[]){__VA_ARGS__}
#define NL_DEVICE_CALL(fn, op, ts, ...) do { const nl_backend *gb_; int gr_ = nl_gate(&gb_, fn, NL_OP_##op, NL_TENSORS ts); if (gr_) return gr_ < 0 ? -1 : gb_->ops.op(__VA_ARGS__); } while (0)

/* get1/set1 entries a backend may take as they are: one element through a
 * copy to the host, or a one-element fill (copy.c) */
NL_API int nl_device_get1(double *out, const nl_tensor *t, int64_t index);
NL_API int nl_device_set1(nl_tensor *t, int64_t index, double value);

/* For a host-memory backend: while depth > 0 on this thread, the gate
 * sends that backend's tensors to the CPU kernels (on: +1, off: -1). */
NL_API void nl_backend_cpu_pass(int on);

#endif

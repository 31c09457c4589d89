/* standin.c: the stand-in backend described in standin.h. The exported
 * functions are the conformance spec's handle on it (through the FFI). */
#include "standin.h"
#include <stdlib.h>
#include <string.h>

static nl_backend standin;
static int64_t calls[NL_OP_COUNT];
static int refused_op = -1, refused_dtype = -1;   /* what supports() denies */

static int supports(int op, int dtype) { return !(op == refused_op && dtype == refused_dtype); }

void standin_enter(int op) {
   if (op >= 0 && op < NL_OP_COUNT) __atomic_add_fetch(&calls[op], 1, __ATOMIC_RELAXED);
   nl_backend_cpu_pass(1);
}

int standin_leave(int rc) {
   nl_backend_cpu_pass(-1);
   return rc;
}

static void *alloc(size_t bytes) {
   void *p = NULL;
   return posix_memalign(&p, 64, bytes ? bytes : 64) ? NULL : p;
}
static void release(void *p, size_t bytes) { (void)bytes; free(p); }
static int copy_bytes(void *dst, const void *src, size_t bytes) {
   if (bytes) memmove(dst, src, bytes);
   return 0;
}
static int empty_cache(void) { return 0; }

/* Registers the stand-in for NL_TESTDEV (again: a no-op). */
NL_API int nl_standin_init(void) {
   standin.name = "standin";
   standin.alloc = alloc;
   standin.free = release;
   standin.memcpy_h2d = copy_bytes;
   standin.memcpy_d2h = copy_bytes;
   standin.memcpy_d2d = copy_bytes;
   standin.empty_cache = empty_cache;
   standin.host_memory = 1;
   standin.supports = supports;
   standin_fill_ops(&standin.ops);
   return nl_backend_register(NL_TESTDEV, &standin);
}

/* Makes supports(op, dtype) answer 0 (op -1: answer 1 again), so a spec
 * can see the gate refuse an entry point a backend has for one dtype. */
NL_API void nl_standin_refuse(int op, int dtype) {
   refused_op = op;
   refused_dtype = dtype;
}

/* Calls of entry point op that reached the stand-in so far. */
NL_API int64_t nl_standin_calls(int op) { return op >= 0 && op < NL_OP_COUNT ? calls[op] : -1; }

/* standin.h: the conformance harness's stand-in backend (test builds
 * only). It registers for NL_TESTDEV a table that claims device memory but
 * holds host memory, with every entry point of nl_ops filled: each entry
 * counts the call, then runs the front function again with this backend's
 * tensors handed to the CPU kernels (nl_backend_cpu_pass). So the
 * conformance spec can show that every entry point of nnlua.h reaches the
 * backend layer for a non-CPU tensor, and that its results on a device
 * match the CPU's, without a GPU. */
#ifndef NL_STANDIN_H
#define NL_STANDIN_H
#include "backend.h"

void standin_enter(int op);
int standin_leave(int rc);
void standin_fill_ops(nl_ops *ops);   /* generated: build/gen/standin_ops.c */

#endif

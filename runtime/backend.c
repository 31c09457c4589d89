/* backend.c: the device backend registry and the device gate (backend.h). */
#include "backend.h"
#include <stdio.h>
#include <string.h>

static const nl_backend *backends[NL_NUM_DEVICES];
static _Thread_local int cpu_pass;

NL_API int nl_backend_register(int device, const nl_backend *b) {
   if (device <= NL_CPU || device >= NL_NUM_DEVICES)
      return nl_errorf("nl_backend_register: bad device %d", device);
   backends[device] = b;
   return 0;
}

NL_API const nl_backend *nl_backend_get(const char *fn, int device) {
   if (device > NL_CPU && device < NL_NUM_DEVICES && backends[device]) return backends[device];
   nl_errorf("%s: no backend for device %d (is cutorch loaded and a GPU present?)", fn, device);
   return NULL;
}

NL_API void nl_backend_cpu_pass(int on) { cpu_pass += on > 0 ? 1 : -1; }

static const char *device_name(int device) {
   if (device == NL_CPU) return "CPU";
   if (device > NL_CPU && device < NL_NUM_DEVICES && backends[device]) return backends[device]->name;
   return device == NL_CUDA ? "CUDA" : "an unknown device";
}

NL_API int nl_gate(const nl_backend **b, const char *fn, int op, int n, const nl_tensor *const *ts) {
   const nl_tensor *first = NULL;
   if (!fn) fn = op >= 0 && op < NL_OP_COUNT ? nl_op_names[op] : "nl_gate";
   for (int i = 0; i < n; i++) {
      if (!ts[i]) continue;
      if (!nl_dtype_serves(ts[i]->_dtype, op))
         return nl_errorf("%s: %s is a storage type (copy, fill, indexing): convert it with :float() for math", fn,
                          nl_type_name(ts[i]));
      if (!first) first = ts[i];
      else if (ts[i]->_device != first->_device)
         return nl_errorf("%s: tensors on different devices (%s and %s): copy one with :type() or :cuda()/:float()",
                          fn, device_name(first->_device), device_name(ts[i]->_device));
   }
   if (!first || first->_device == NL_CPU) return 0;
   const nl_backend *be = nl_backend_get(fn, first->_device);
   if (!be) return -1;
   if (be->host_memory && cpu_pass > 0) return 0;
   if (!nl_ops_has(&be->ops, op) || (be->supports && !be->supports(op, first->_dtype)))
      return nl_errorf("%s: not available on %s for %s", fn, be->name, nl_type_name(first));
   *b = be;
   return 1;
}

/* 1 when t's device serves the entry point named name ("nl_sgd_step"):
 * lets Lua choose a fused path without knowing device numbers. */
NL_API int nl_supports(const nl_tensor *t, const char *name) {
   for (int op = 0; op < NL_OP_COUNT; op++) {
      if (strcmp(nl_op_names[op], name)) continue;
      if (t->_device == NL_CPU) return 1;
      const nl_backend *be = t->_device < NL_NUM_DEVICES ? backends[t->_device] : NULL;
      return be && nl_ops_has(&be->ops, op) && (!be->supports || be->supports(op, t->_dtype));
   }
   return 0;
}

NL_API int nl_op_count(void) { return NL_OP_COUNT; }
NL_API const char *nl_op_name(int op) { return op >= 0 && op < NL_OP_COUNT ? nl_op_names[op] : NULL; }
NL_API int nl_backend_cuda_available(void) { return backends[NL_CUDA] != NULL; }

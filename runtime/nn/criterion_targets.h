/* criterion_targets.h: the device gate of the criterions whose LongTensor
 * targets may stay on the CPU while the other tensors are on a device
 * (ClassNLL, MultiMargin, MultiLabelMargin: their Lua modules keep the
 * targets there, as Torch7's cunn accepts them). */
#ifndef NL_CRITERION_TARGETS_H
#define NL_CRITERION_TARGETS_H
#include "../backend.h"

/* nl_gate over the call's other tensors ts (n of them, targets left out),
 * then, for a device call, the targets on input's device: target itself or
 * a copy in tmp. Returns 0 (CPU), -1 (error set) or 1 with *b the backend
 * and *t the targets to hand it. tmp is initialised in every case; after 1
 * or -1 the caller releases it. */
static inline int nl_gate_targets(const nl_backend **b, const char *name, int op, int n, const nl_tensor *const *ts,
                                  const nl_tensor *input, const nl_tensor *target, nl_tensor *tmp,
                                  const nl_tensor **t) {
   nl_tensor_init(tmp, NL_LONG, input->_device);
   *t = target;
   int dev = nl_gate(b, name, op, n, ts);
   if (dev <= 0 || target->_device == input->_device) return dev;
   if (nl_tensor_resize_as(tmp, target) || nl_copy(tmp, target)) return -1;
   *t = tmp;
   return 1;
}

#endif

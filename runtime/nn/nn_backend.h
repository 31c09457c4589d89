/* nn_backend.h: the nn family's table of device kernels, reached through
 * nl_backend.nn (libnnlua_cuda fills one in when it is loaded). Each entry
 * has the contract of the CPU front function of the same name, which has
 * validated the arguments and resized the outputs before dispatching; the
 * notes say what else a front function guarantees. A NULL table or entry
 * means the module has no kernel on that device. */
#ifndef NL_NN_BACKEND_H
#define NL_NN_BACKEND_H
#include "../backend.h"

typedef struct nl_nn_backend {
   /* activation.c; tensors of one dtype and device, numel > 0, output and
    * gradInput sized as input (they may be input/gradOutput: in place) */
   int (*act_forward)(nl_tensor *output, const nl_tensor *input, int op, double p1, double p2);
   int (*act_backward)(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *input,
                       const nl_tensor *output, int op, double p1, double p2);
   /* softmax.c; every tensor contiguous, of the input's size, 1D to 4D
    * (feature dimension as in the CPU kernels), numel > 0 */
   int (*softmax_forward)(nl_tensor *output, const nl_tensor *input, int log);
   int (*softmax_backward)(nl_tensor *gradInput, const nl_tensor *gradOutput, const nl_tensor *output, int log);
   /* criterion.c; input (N, C) or (C), target a 1D (or scalar) Long
    * tensor on the input's device with N elements, weights NULL or C
    * elements of the input's type; gradInput sized as input and zeroed.
    * Out-of-range targets: an error naming the target, as on the CPU. */
   int (*classnll_forward)(double *loss, double *total_weight, const nl_tensor *input, const nl_tensor *target,
                           const nl_tensor *weights, int size_average, int64_t ignore_index);
   int (*classnll_backward)(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                            const nl_tensor *weights, int size_average, int64_t ignore_index, double total_weight);
   /* criterion.c; target and weights (NULL, or BCE's) with the input's
    * numel, dtype and device, read in row-major order; numel > 0 */
   int (*pointwise_criterion_forward)(double *loss, const nl_tensor *input, const nl_tensor *target,
                                      const nl_tensor *weights, int op, int size_average);
   int (*pointwise_criterion_backward)(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *target,
                                       const nl_tensor *weights, int op, int size_average);
} nl_nn_backend;

static inline int nl_nn_unsupported(const char *what, const char *kind, const nl_tensor *t) {
   return nl_errorf("%s: %s tensors are not supported by this %s yet", what, t->_device == NL_CUDA ? "CUDA" : "device",
                    kind);
}

/* The nn table of t's device (t not on the CPU), or NULL with a message
 * naming the module `what` (e.g. "nn.Tanh"); kind is "module" or
 * "criterion". A caller checks its entry with nl_nn_unsupported. */
static inline const nl_nn_backend *nl_nn_backend_of(const char *what, const char *kind, const nl_tensor *t) {
   const nl_backend *b = nl_backend_get(what, t->_device);
   if (!b) return NULL;
   if (!b->nn) {
      nl_nn_unsupported(what, kind, t);
      return NULL;
   }
   return (const nl_nn_backend *)b->nn;
}

#endif

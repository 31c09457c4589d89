/* conv_engine.h: the CPU convolution engine choice for
 * SpatialConvolution(MM) (conv_engine.c): im2col + GEMM (conv_driver.h)
 * or oneDNN (runtime/onednn/, loaded at run time). Same contracts as
 * nl_conv_forward / _backward / _acc_grad, which they fall back to. */
#ifndef NL_CONV_ENGINE_H
#define NL_CONV_ENGINE_H
#include "conv_driver.h"

int nl_conv_run_forward(const nl_conv *g, int nt, nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                        const nl_tensor *weight, const nl_tensor *bias);
int nl_conv_run_backward(const nl_conv *g, int nt, nl_tensor *gradInput, nl_tensor *columns,
                         const nl_tensor *gradOutput, const nl_tensor *weight);
int nl_conv_run_acc_grad(const nl_conv *g, int nt, nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                         nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput, double scale);

#endif

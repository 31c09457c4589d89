/* conv_spatial.c: 2D convolutions: SpatialConvolution(MM),
 * SpatialDilatedConvolution (dilation) and SpatialFullConvolution (the
 * transposed convolution: its forward is the convolution's input gradient
 * and the other way round), forward, backward and parameter gradients.
 * This file holds the 2D geometry and checks; the unfold + GEMM driver
 * (batching, grouped columns, per-thread buffers and partial sums) is
 * conv_driver.c's, run as a 3D window of depth 1. Grouped convolutions
 * (SpatialDepthWiseConvolution: one group per input plane) run the
 * driver's per-group GEMMs. SpatialConvolution on float tensors may run on
 * oneDNN instead: conv_engine.c chooses. */
#include "../backend.h"
#include "conv_engine.h"
#include <string.h>

/* p: kW, kH, dW, dH, padW, padH, dilW, dilH, adjW, adjH */
static int geometry(nl_conv *g, const char *fn, const nl_tensor *input, const nl_tensor *weight, int nIn, int nOut,
                    const int *p, int full, int G) {
   char s[NL_SHAPE_BUF];
   int kW = p[0], kH = p[1], dW = p[2], dH = p[3], padW = p[4], padH = p[5], dilW = p[6], dilH = p[7];
   int adjW = p[8], adjH = p[9];
   memset(g, 0, sizeof *g);
   g->fn = fn;
   g->nd = 2;
   g->full = full;
   g->w = (nl_conv_win){{1, kH, kW}, {1, dH, dW}, {0, padH, padW}, {1, dilH, dilW}};
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (nl_check_same_dtype(fn, weight, input)) return -1;
   if (kW < 1 || kH < 1 || dW < 1 || dH < 1 || dilW < 1 || dilH < 1)
      return nl_errorf("%s: kernel size, stride and dilation must be positive, got kernel %dx%d, stride %dx%d, "
                       "dilation %dx%d", fn, kW, kH, dW, dH, dilW, dilH);
   if (padW < 0 || padH < 0) return nl_errorf("%s: padding must be non-negative, got %dx%d", fn, padW, padH);
   if (full && (adjW < 0 || adjH < 0 || adjW >= dW || adjH >= dH))
      return nl_errorf("%s: adjW and adjH must be non-negative and smaller than the stride (%d, %d), got %d, %d", fn,
                       dW, dH, adjW, adjH);
   if (input->_ndim != 3 && input->_ndim != 4)
      return nl_errorf("%s: expected a 3D (%d x H x W) or 4D (N x %d x H x W) input, got %s", fn, nIn, nIn,
                       nl_shape_str(s, sizeof s, input));
   g->batch = input->_ndim == 4;
   g->N = g->batch ? input->_size[0] : 1;
   g->nIn = input->_size[g->batch];
   int64_t H = input->_size[g->batch + 1], W = input->_size[g->batch + 2], oH, oW;
   g->nOut = nOut;
   if (g->nIn != nIn) return nl_errorf("%s: input has %lld planes, expected %d", fn, (long long)g->nIn, nIn);
   if (G < 1 || nIn % G || nOut % G)
      return nl_errorf("%s: %d groups must divide the %d input and %d output planes", fn, G, nIn, nOut);
   g->G = G;
   if (nl_numel(weight) != (int64_t)nIn * nOut * kH * kW / G)
      return nl_errorf("%s: weight has %lld elements, expected %lld", fn, (long long)nl_numel(weight),
                       (long long)nIn * nOut * kH * kW / G);
   if (!nl_tensor_is_contiguous(weight)) return nl_errorf("%s: the weight must be contiguous", fn);
   if (g->N < 1 || H < 1 || W < 1) return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   int64_t ekH = (int64_t)dilH * (kH - 1) + 1, ekW = (int64_t)dilW * (kW - 1) + 1;
   if (full) {
      oH = (H - 1) * dH - 2 * padH + ekH + adjH;
      oW = (W - 1) * dW - 2 * padW + ekW + adjW;
      if (oH < 1 || oW < 1)
         return nl_errorf("%s: input image %lldx%lld gives an output of %lldx%lld, too small", fn, (long long)H,
                          (long long)W, (long long)oH, (long long)oW);
   } else {
      if (H + 2 * padH < ekH || W + 2 * padW < ekW)
         return nl_errorf("%s: input image %lldx%lld (padded %lldx%lld) is smaller than the %lldx%lld kernel", fn,
                          (long long)H, (long long)W, (long long)(H + 2 * padH), (long long)(W + 2 * padW),
                          (long long)ekH, (long long)ekW);
      oH = (H + 2 * padH - ekH) / dH + 1;
      oW = (W + 2 * padW - ekW) / dW + 1;
   }
   g->in[0] = g->out[0] = 1;
   g->in[1] = H, g->in[2] = W, g->out[1] = oH, g->out[2] = oW;
   nl_conv_shape(g);
   if (g->crows * g->ccols > INT32_MAX || g->nOut * oH * oW > INT32_MAX || g->nIn * H * W > INT32_MAX)
      return nl_errorf("%s: one image is too large for a 32-bit BLAS", fn);
   g->dt = input->_dtype;
   g->es = nl_dtypes[g->dt].size;
   return 0;
}

#define PARAMS int p[10] = {kW, kH, dW, dH, padW, padH, dilW, dilH, adjW, adjH}

NL_API int nl_spatial_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input, const nl_tensor *weight,
                                   const nl_tensor *bias, int nIn, int nOut, int kW, int kH, int dW, int dH, int padW,
                                   int padH, int dilW, int dilH) {
   int adjW = 0, adjH = 0, nt;
   PARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialConvolution", input, weight, nIn, nOut, p, 0, 1) ||
       nl_conv_check_bias(g.fn, g.dt, bias, "bias", g.nOut) || (nt = nl_conv_prepare_forward(&g, output, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_conv_forward, (output, columns, input, weight, bias), output, columns, input, weight,
                  bias, nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH);
   return nl_conv_run_forward(&g, nt, output, columns, input, weight, bias);
}

NL_API int nl_spatial_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                    const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kW,
                                    int kH, int dW, int dH, int padW, int padH, int dilW, int dilH) {
   int adjW = 0, adjH = 0, nt;
   PARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialConvolution", input, weight, nIn, nOut, p, 0, 1) ||
       nl_conv_check_grad_output(&g, gradOutput) || (nt = nl_conv_prepare_backward(&g, gradInput, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_conv_backward, (gradInput, columns, input, gradOutput, weight), gradInput, columns,
                  input, gradOutput, weight, nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH);
   return nl_conv_run_backward(&g, nt, gradInput, columns, gradOutput, weight);
}

NL_API int nl_spatial_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns, nl_tensor *partial,
                                    const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut, int kW,
                                    int kH, int dW, int dH, int padW, int padH, int dilW, int dilH, double scale) {
   int adjW = 0, adjH = 0, nt;
   PARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialConvolution", input, gradWeight, nIn, nOut, p, 0, 1) ||
       nl_conv_check_grad_output(&g, gradOutput) || nl_conv_check_bias(g.fn, g.dt, gradBias, "gradBias", g.nOut) ||
       (nt = nl_conv_prepare_acc_grad(&g, gradWeight, columns, partial)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_conv_acc_grad, (gradWeight, gradBias, columns, partial, input, gradOutput), gradWeight,
                  gradBias, columns, partial, input, gradOutput, nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH,
                  scale);
   return nl_conv_run_acc_grad(&g, nt, gradWeight, gradBias, columns, partial, input, gradOutput, scale);
}

NL_API int nl_spatial_full_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                        const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kW,
                                        int kH, int dW, int dH, int padW, int padH, int adjW, int adjH) {
   int dilW = 1, dilH = 1, nt;
   PARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialFullConvolution", input, weight, nIn, nOut, p, 1, 1) ||
       nl_conv_check_bias(g.fn, g.dt, bias, "bias", g.nOut) || (nt = nl_conv_prepare_forward(&g, output, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_full_conv_forward, (output, columns, input, weight, bias), output, columns, input,
                  weight, bias, nIn, nOut, kW, kH, dW, dH, padW, padH, adjW, adjH);
   return nl_conv_forward(&g, nt, output, columns, input, weight, bias);
}

NL_API int nl_spatial_full_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                         const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                         int kW, int kH, int dW, int dH, int padW, int padH, int adjW, int adjH) {
   int dilW = 1, dilH = 1, nt;
   PARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialFullConvolution", input, weight, nIn, nOut, p, 1, 1) ||
       nl_conv_check_grad_output(&g, gradOutput) || (nt = nl_conv_prepare_backward(&g, gradInput, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_full_conv_backward, (gradInput, columns, input, gradOutput, weight), gradInput,
                  columns, input, gradOutput, weight, nIn, nOut, kW, kH, dW, dH, padW, padH, adjW, adjH);
   return nl_conv_backward(&g, nt, gradInput, columns, gradOutput, weight);
}

NL_API int nl_spatial_full_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                         nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                         int nIn, int nOut, int kW, int kH, int dW, int dH, int padW, int padH,
                                         int adjW, int adjH, double scale) {
   int dilW = 1, dilH = 1, nt;
   PARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialFullConvolution", input, gradWeight, nIn, nOut, p, 1, 1) ||
       nl_conv_check_grad_output(&g, gradOutput) || nl_conv_check_bias(g.fn, g.dt, gradBias, "gradBias", g.nOut) ||
       (nt = nl_conv_prepare_acc_grad(&g, gradWeight, columns, partial)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_full_conv_acc_grad, (gradWeight, gradBias, columns, partial, input, gradOutput),
                  gradWeight, gradBias, columns, partial, input, gradOutput, nIn, nOut, kW, kH, dW, dH, padW, padH,
                  adjW, adjH, scale);
   return nl_conv_acc_grad(&g, nt, gradWeight, gradBias, columns, partial, input, gradOutput, scale);
}

/* grouped: weight (nOut, nIn/groups, kH, kW); no dilation */
#define GPARAMS int dilW = 1, dilH = 1, adjW = 0, adjH = 0; PARAMS

NL_API int nl_spatial_grouped_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                           const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kW,
                                           int kH, int dW, int dH, int padW, int padH, int groups) {
   int nt;
   GPARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialDepthWiseConvolution", input, weight, nIn, nOut, p, 0, groups) ||
       nl_conv_check_bias(g.fn, g.dt, bias, "bias", g.nOut) || (nt = nl_conv_prepare_forward(&g, output, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_grouped_conv_forward, (output, columns, input, weight, bias), output, columns, input,
                  weight, bias, nIn, nOut, kW, kH, dW, dH, padW, padH, groups);
   return nl_conv_forward(&g, nt, output, columns, input, weight, bias);
}

NL_API int nl_spatial_grouped_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                            const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                            int kW, int kH, int dW, int dH, int padW, int padH, int groups) {
   int nt;
   GPARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialDepthWiseConvolution", input, weight, nIn, nOut, p, 0, groups) ||
       nl_conv_check_grad_output(&g, gradOutput) || (nt = nl_conv_prepare_backward(&g, gradInput, columns)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_grouped_conv_backward, (gradInput, columns, input, gradOutput, weight), gradInput,
                  columns, input, gradOutput, weight, nIn, nOut, kW, kH, dW, dH, padW, padH, groups);
   return nl_conv_backward(&g, nt, gradInput, columns, gradOutput, weight);
}

NL_API int nl_spatial_grouped_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                            nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                            int nIn, int nOut, int kW, int kH, int dW, int dH, int padW, int padH,
                                            int groups, double scale) {
   int nt;
   GPARAMS;
   nl_conv g;
   if (geometry(&g, "nn.SpatialDepthWiseConvolution", input, gradWeight, nIn, nOut, p, 0, groups) ||
       nl_conv_check_grad_output(&g, gradOutput) || nl_conv_check_bias(g.fn, g.dt, gradBias, "gradBias", g.nOut) ||
       (nt = nl_conv_prepare_acc_grad(&g, gradWeight, columns, partial)) < 0)
      return -1;
   NL_DEVICE_CALL(g.fn, spatial_grouped_conv_acc_grad, (gradWeight, gradBias, columns, partial, input, gradOutput),
                  gradWeight, gradBias, columns, partial, input, gradOutput, nIn, nOut, kW, kH, dW, dH, padW, padH,
                  groups, scale);
   return nl_conv_acc_grad(&g, nt, gradWeight, gradBias, columns, partial, input, gradOutput, scale);
}

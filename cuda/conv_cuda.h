// conv_cuda.h: what conv.cu (im2col + cuBLAS) and conv_cudnn.cu (cuDNN)
// share: one convolution layer's geometry in the terms both paths use.
//
// Every convolution pass is one of three products between a "big" side
// (planes Cb on grid bg) and a "small" side (planes Cs on grid sg), the
// small grid being where the window slides:
//   fwd        small = conv(big, weight)          (weight (Cs, Cb/G * k))
//   bwd_data   big   = conv^T(small, weight)
//   bwd_filter weight += scale * d conv / d weight (big, small)
// A plain convolution has big = input, small = output; the transposed
// (full) convolution has big = output, small = input (its weight (nIn,
// nOut, k) is then (Cs, Cb, k)), so its forward is bwd_data, its input
// gradient fwd, its weight gradient bwd_filter with the roles swapped.
#pragma once
#include "cuda_common.h"

enum { NL_CONV_FWD = 0, NL_CONV_BWD_DATA = 1, NL_CONV_BWD_FILTER = 2 };

struct nl_cuda_conv {
   const char *fn;
   int nd;               // 2 or 3 (the grid a 2-D layer has T = 1)
   int dt;               // NL_FLOAT or NL_DOUBLE
   int64_t N, Cb, Cs, G; // images, big and small planes, groups
   int64_t bg[3], sg[3]; // big and small grids (T, H, W)
   int k[3], d[3], pad[3], dil[3];
};

static inline int64_t nl_cuda_conv_vol(const int64_t *g) { return g[0] * g[1] * g[2]; }

// The cuDNN path: runs pass `pass` on contiguous device buffers (big,
// small, weight: the operands of the pass above; for bwd_filter the weight
// is the gradient accumulated into with `scale`); the workspace is the
// layer's column buffer when it is large enough (columns may be NULL).
// Returns 0 when done, 1 when cuDNN is absent, switched off or refuses the
// shape (the caller then runs im2col + cuBLAS), -1 with the error set.
int nl_cudnn_conv(int pass, const nl_cuda_conv *g, void *big, void *small, void *weight, double scale,
                  nl_tensor *columns);

// Counts of passes served by each path (conv_cudnn.cu): 0 cuDNN, 1 the
// im2col + cuBLAS fallback.
void nl_cudnn_count(int path);

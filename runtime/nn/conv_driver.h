/* conv_driver.h: the one convolution driver the convolution files share
 * (conv_spatial.c, conv_volumetric.c, conv_temporal.c, conv_local.c).
 *
 * The unfold + GEMM scheme over a window of up to three dimensions
 * (T, H, W; a 2D convolution is a 3D one of depth 1): a batch runs one
 * image (or, for small outputs, a group of images whose columns sit side
 * by side so that one GEMM is wide enough) per OpenMP thread, each thread
 * with its own column buffer (reused, so it stays in cache) and
 * single-threaded GEMMs (OpenBLAS's OpenMP build runs one thread inside a
 * parallel region); a single image runs one threaded GEMM. The columns are
 * recomputed for the weight gradient instead of being kept for the whole
 * batch from forward: the unfold costs a few percent of the GEMM and a VGG
 * layer's batch of columns would be 300 MB. Weight gradients are
 * accumulated per thread, then summed in thread order.
 *
 * A front function fills an nl_conv from its own geometry and checks,
 * calls nl_conv_prepare_* (resizes outputs and buffers), the device gate,
 * then nl_conv_forward / _backward / _acc_grad. The batch loop, the bias
 * and buffer checks and the per-thread partial sums are also used alone by
 * the temporal and local convolutions, whose products differ. */
#ifndef NL_CONV_DRIVER_H
#define NL_CONV_DRIVER_H
#include "nn_common.h"

/* sliding window over (T, H, W), outermost first: kernel, stride,
 * padding, dilation; unused leading dimensions have 1, 1, 0, 1 */
typedef struct nl_conv_win { int k[3], d[3], pad[3], dil[3]; } nl_conv_win;

/* One layer's geometry. conv: input (N, nIn, in) -> output (N, nOut, out);
 * full (transposed): the same picture with input and output swapped, so
 * the columns always live on the grid of the smaller side. */
typedef struct nl_conv {
   const char *fn;
   int nd;                 /* dimensions of the grid the caller sees: 2 or 3 */
   int batch, full, dt, es;
   int64_t N, nIn, nOut;
   int64_t in[3], out[3];  /* input and output grids, (T, H, W) */
   nl_conv_win w;
   /* columns: (crows, ccols) per image; a thread's buffer holds `group`
    * images' columns side by side, plus (nOut, group*ccols) of scratch for
    * the grouped output when group > 1 */
   int64_t crows, ccols, group;
   /* convolution groups (0 or 1: none): input and output planes in G
    * blocks, block i of the output from block i of the input only; the
    * weight is (nOut, nIn/G * kernel). Plain (not full) convolutions. */
   int64_t G;
} nl_conv;

/* Threads for a batch of N items: one item per thread when there are
 * items for each; else 1 (and the GEMMs thread themselves). */
int nl_conv_threads(int64_t N);

/* Runs fn(ctx, i, tid) for i in [0, n) on nt threads (OpenMP's static
 * schedule, so the items a thread gets depend only on n and nt); tid
 * indexes the per-thread buffers. nt <= 1: in order on this thread. */
typedef void (*nl_conv_item_fn)(void *ctx, int64_t i, int tid);
void nl_conv_batch(int nt, int64_t n, nl_conv_item_fn fn, void *ctx);

/* bias (NULL: none) is a vector of n elements of dtype dt; what names it */
int nl_conv_check_bias(const char *fn, int dt, const nl_tensor *bias, const char *what, int64_t n);
/* a buffer the module owns ("column buffer"), resized to sz (nd sizes) */
int nl_conv_buffer(const char *fn, const char *what, nl_tensor *buf, int dt, int nd, const int64_t *sz);
/* a result of sizes sz[0..n) (sz[0] = N), or sz[1..n) without a batch */
int nl_conv_resize(const char *fn, nl_tensor *t, int batch, int n, const int64_t *sz);
/* The per-thread weight-gradient sums: checks partial, resized to
 * (nt, wn) when nt > 1 (left alone otherwise). */
int nl_conv_partials(const char *fn, nl_tensor *partial, int nt, int64_t wn);
/* gw (wn) += each of the nt rows of partial (nt, wn), in row order */
void nl_conv_sum_partials(int dt, void *gw, const void *partial, int nt, int64_t wn);

/* The unfold + GEMM driver. nl_conv_shape sets crows and ccols from the
 * geometry; check_grad_output checks gradOutput against (N, nOut, out). */
void nl_conv_shape(nl_conv *g);
int nl_conv_check_grad_output(const nl_conv *g, const nl_tensor *gradOutput);

/* Resize the results and buffers of one call and return the thread count
 * (-1: error set). */
int nl_conv_prepare_forward(nl_conv *g, nl_tensor *output, nl_tensor *columns);
int nl_conv_prepare_backward(nl_conv *g, nl_tensor *gradInput, nl_tensor *columns);
int nl_conv_prepare_acc_grad(nl_conv *g, nl_tensor *gradWeight, nl_tensor *columns, nl_tensor *partial);

/* The kernels, after the gate; nt from the prepare call. */
int nl_conv_forward(const nl_conv *g, int nt, nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                    const nl_tensor *weight, const nl_tensor *bias);
int nl_conv_backward(const nl_conv *g, int nt, nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *gradOutput,
                     const nl_tensor *weight);
int nl_conv_acc_grad(const nl_conv *g, int nt, nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                     nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput, double scale);

#endif

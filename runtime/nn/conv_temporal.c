/* conv_temporal.c: 1D modules over sequences of frames, input (T, F) or
 * (N, T, F): TemporalConvolution and TemporalMaxPooling, forward,
 * backward and parameter gradients.
 *
 * TemporalConvolution needs no unfold copy: the window of output frame t
 * is the contiguous run of kW*F inputs starting at frame t*dW, so a set of
 * windows is a strided matrix. BLAS wants its leading dimension to be at
 * least the row length, so the output frames are taken in ceil(kW/dW)
 * groups (t = g, g + s, g + 2s, ... with s = ceil(kW/dW)) whose windows do
 * not overlap; each group is one GEMM on views, the same scheme as
 * Torch7's THNN. A batch runs one sequence per OpenMP thread (the GEMMs
 * then run single-threaded inside the parallel region) through the batch
 * loop of conv_driver.c. Per-dtype kernels in conv_temporal_impl.h. */
#include "../backend.h"
#include "conv_driver.h"
#include <math.h>
#include <string.h>

/* One call's geometry: N sequences of nT frames of F features, giving oT
 * frames of oF features. */
struct tgeom {
   const char *fn;
   int64_t N, nT, F, oT, oF;
   int batch, dt, es, kW, dW;
};

static int temporal_geometry(struct tgeom *g, const char *fn, const nl_tensor *input, int64_t F, int64_t oF, int kW,
                             int dW) {
   char s[NL_SHAPE_BUF];
   memset(g, 0, sizeof *g);
   g->fn = fn;
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (kW < 1 || dW < 1) return nl_errorf("%s: kernel width and stride must be positive, got %d and %d", fn, kW, dW);
   if (input->_ndim != 2 && input->_ndim != 3) {
      if (F > 0)
         return nl_errorf("%s: expected a 2D (nFrame x %lld) or 3D (N x nFrame x %lld) input, got %s", fn, (long long)F,
                          (long long)F, nl_shape_str(s, sizeof s, input));
      return nl_errorf("%s: expected a 2D (nFrame x frameSize) or 3D (N x nFrame x frameSize) input, got %s", fn,
                       nl_shape_str(s, sizeof s, input));
   }
   g->batch = input->_ndim == 3;
   g->N = g->batch ? input->_size[0] : 1;
   g->nT = input->_size[g->batch];
   g->F = input->_size[g->batch + 1];
   if (F > 0 && g->F != F)
      return nl_errorf("%s: input frames have %lld elements (input %s), expected %lld", fn, (long long)g->F,
                       nl_shape_str(s, sizeof s, input), (long long)F);
   if (g->N < 1 || g->F < 1) return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   if (g->nT < kW)
      return nl_errorf("%s: input has %lld frames (input %s), fewer than the kernel width %d", fn, (long long)g->nT,
                       nl_shape_str(s, sizeof s, input), kW);
   g->oT = (g->nT - kW) / dW + 1;
   g->oF = oF > 0 ? oF : g->F;
   g->kW = kW;
   g->dW = dW;
   g->dt = input->_dtype;
   g->es = nl_dtypes[g->dt].size;
   if (g->nT * g->F > INT32_MAX || g->oT * g->oF > INT32_MAX || ((int64_t)kW + dW) * g->F > INT32_MAX)
      return nl_errorf("%s: one sequence is too large for a 32-bit BLAS", fn);
   return 0;
}

static int resize_seq(nl_tensor *t, const struct tgeom *g, int64_t T, int64_t F) {
   int64_t sz[3] = {g->N, T, F};
   return nl_conv_resize(g->fn, t, g->batch, 3, sz);
}

static int check_grad_output(const struct tgeom *g, const nl_tensor *gradOutput) {
   char s[NL_SHAPE_BUF];
   if (gradOutput->_dtype != g->dt)
      return nl_errorf("%s: gradOutput is a %s, expected a %s", g->fn, nl_type_name(gradOutput), nl_dtypes[g->dt].name);
   int64_t want[3] = {g->N, g->oT, g->oF};
   int ok = gradOutput->_ndim == (g->batch ? 3 : 2);
   for (int i = 0; ok && i < gradOutput->_ndim; i++) ok = gradOutput->_size[i] == want[i + !g->batch];
   if (!ok) {
      if (g->batch)
         return nl_errorf("%s: gradOutput has size %s, expected %lldx%lldx%lld", g->fn,
                          nl_shape_str(s, sizeof s, gradOutput), (long long)g->N, (long long)g->oT, (long long)g->oF);
      return nl_errorf("%s: gradOutput has size %s, expected %lldx%lld", g->fn, nl_shape_str(s, sizeof s, gradOutput),
                       (long long)g->oT, (long long)g->oF);
   }
   return 0;
}

static int check_params(const struct tgeom *g, const nl_tensor *weight, const nl_tensor *bias, const char *wn,
                        const char *bn) {
   int64_t want = g->oF * g->kW * g->F;
   if (weight->_dtype != g->dt)
      return nl_errorf("%s: %s is a %s, expected a %s", g->fn, wn, nl_type_name(weight), nl_dtypes[g->dt].name);
   if (nl_numel(weight) != want)
      return nl_errorf("%s: %s has %lld elements, expected %lldx%lld", g->fn, wn, (long long)nl_numel(weight),
                       (long long)g->oF, (long long)g->kW * g->F);
   if (!nl_tensor_is_contiguous(weight)) return nl_errorf("%s: %s must be contiguous", g->fn, wn);
   return nl_conv_check_bias(g->fn, g->dt, bias, bn, g->oF);
}

/* The output frames in group k (t = k + m*s) and the leading dimensions
 * of their input windows and output rows, in elements. */
struct group { int64_t first, count, in_ld, out_ld; };

static int64_t group_stride(const struct tgeom *g) { return (g->kW - 1) / g->dW + 1; }

static struct group group_of(const struct tgeom *g, int64_t k) {
   int64_t s = group_stride(g);
   struct group r = {k, (g->oT - k + s - 1) / s, s * g->dW * g->F, s * g->oF};
   return r;
}

/* one call: out, in the sequence-major operands (output/input,
 * gradInput/gradOutput; for the pooling also indices) */
struct trun {
   const struct tgeom *g;
   void *out;
   const void *in, *wt, *bias;
   int64_t *ind;
   int64_t bs;
};

#define NL_IMPL "nn/conv_temporal_impl.h"
#include "dtype_each_float.h"

static const struct {
   void (*bias_fill)(void *out, const void *b, int64_t bs, int64_t oT, int64_t oF);
   void (*grad_bias)(void *gb, int64_t gbs, const void *go, int64_t rows, int64_t oF, double scale);
   nl_conv_item_fn max, max_back;
} tkern[NL_NUM_DTYPES] = {
   [NL_FLOAT] = {bias_fill_Float, grad_bias_Float, tmax_Float, tmax_back_Float},
   [NL_DOUBLE] = {bias_fill_Double, grad_bias_Double, tmax_Double, tmax_back_Double},
};

/* forward of sequence n */
static void forward_seq(void *ctx, int64_t n, int tid) {
   const struct trun *c = ctx;
   const struct tgeom *g = c->g;
   int64_t s = group_stride(g), K = (int64_t)g->kW * g->F;
   char *out = (char *)c->out + n * g->oT * g->oF * g->es;
   const char *x = (const char *)c->in + n * g->nT * g->F * g->es;
   (void)tid;
   tkern[g->dt].bias_fill(out, c->bias, c->bs, g->oT, g->oF);
   for (int64_t k = 0; k < s && k < g->oT; k++) {
      struct group gr = group_of(g, k);
      /* out rows (count, oF) += windows (count, kW*F) x weight^T (kW*F, oF) */
      nl_nn_gemm(g->dt, 0, 1, gr.count, g->oF, K, 1, x + gr.first * g->dW * g->F * g->es, gr.in_ld, c->wt, K, 1,
                 out + gr.first * g->oF * g->es, gr.out_ld);
   }
}

/* input gradient of sequence n */
static void backward_seq(void *ctx, int64_t n, int tid) {
   const struct trun *c = ctx;
   const struct tgeom *g = c->g;
   int64_t s = group_stride(g), K = (int64_t)g->kW * g->F;
   char *gi = (char *)c->out + n * g->nT * g->F * g->es;
   const char *o = (const char *)c->in + n * g->oT * g->oF * g->es;
   (void)tid;
   for (int64_t k = 0; k < s && k < g->oT; k++) {
      struct group gr = group_of(g, k);
      /* windows (count, kW*F) += go rows (count, oF) x weight (oF, kW*F) */
      nl_nn_gemm(g->dt, 0, 0, gr.count, K, g->oF, 1, o + gr.first * g->oF * g->es, gr.out_ld, c->wt, K, 1,
                 gi + gr.first * g->dW * g->F * g->es, gr.in_ld);
   }
}

NL_API int nl_temporal_conv_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight,
                                    const nl_tensor *bias, int inputFrameSize, int outputFrameSize, int kW, int dW) {
   const char *fn = "nn.TemporalConvolution";
   struct tgeom g;
   if (inputFrameSize < 1 || outputFrameSize < 1)
      return nl_errorf("%s: frame sizes must be positive, got %d and %d", fn, inputFrameSize, outputFrameSize);
   if (temporal_geometry(&g, fn, input, inputFrameSize, outputFrameSize, kW, dW) ||
       check_params(&g, weight, bias, "weight", "bias") || nl_check_same_dtype(fn, output, input) ||
       resize_seq(output, &g, g.oT, g.oF))
      return -1;
   NL_DEVICE_CALL(fn, temporal_conv_forward, (output, input, weight, bias), output, input, weight, bias,
                  inputFrameSize, outputFrameSize, kW, dW);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct trun c = {.g = &g, .out = nl_ptr(output), .in = nl_ptr(in), .wt = nl_ptr(weight),
                        .bias = bias ? nl_ptr(bias) : NULL, .bs = bias ? bias->_stride[0] : 0};
      nl_conv_batch(nl_conv_threads(g.N), g.N, forward_seq, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_temporal_conv_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                     const nl_tensor *weight, int inputFrameSize, int outputFrameSize, int kW,
                                     int dW) {
   const char *fn = "nn.TemporalConvolution";
   struct tgeom g;
   if (inputFrameSize < 1 || outputFrameSize < 1)
      return nl_errorf("%s: frame sizes must be positive, got %d and %d", fn, inputFrameSize, outputFrameSize);
   if (temporal_geometry(&g, fn, input, inputFrameSize, outputFrameSize, kW, dW) ||
       check_params(&g, weight, NULL, "weight", NULL) || check_grad_output(&g, gradOutput) ||
       nl_check_same_dtype(fn, gradInput, input) || resize_seq(gradInput, &g, g.nT, g.F))
      return -1;
   NL_DEVICE_CALL(fn, temporal_conv_backward, (gradInput, input, gradOutput, weight), gradInput, input, gradOutput,
                  weight, inputFrameSize, outputFrameSize, kW, dW);
   if (nl_zero(gradInput)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      struct trun c = {.g = &g, .out = nl_ptr(gradInput), .in = nl_ptr(go), .wt = nl_ptr(weight)};
      nl_conv_batch(nl_conv_threads(g.N), g.N, backward_seq, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_temporal_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, const nl_tensor *input,
                                     const nl_tensor *gradOutput, int inputFrameSize, int outputFrameSize, int kW,
                                     int dW, double scale) {
   const char *fn = "nn.TemporalConvolution";
   struct tgeom g;
   if (inputFrameSize < 1 || outputFrameSize < 1)
      return nl_errorf("%s: frame sizes must be positive, got %d and %d", fn, inputFrameSize, outputFrameSize);
   if (temporal_geometry(&g, fn, input, inputFrameSize, outputFrameSize, kW, dW) ||
       check_params(&g, gradWeight, gradBias, "gradWeight", "gradBias") || check_grad_output(&g, gradOutput))
      return -1;
   NL_DEVICE_CALL(fn, temporal_conv_acc_grad, (gradWeight, gradBias, input, gradOutput), gradWeight, gradBias, input,
                  gradOutput, inputFrameSize, outputFrameSize, kW, dW, scale);
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   if (!rc && !rc2 && scale != 0) {
      const char *ip = nl_ptr(in), *gop = nl_ptr(go);
      char *gwp = nl_ptr(gradWeight);
      int64_t isz = g.nT * g.F * g.es, osz = g.oT * g.oF * g.es, s = group_stride(&g), K = (int64_t)g.kW * g.F;
      /* sequences one after the other: they all add into gradWeight, and
       * each GEMM threads itself */
      for (int64_t n = 0; n < g.N; n++) {
         const char *x = ip + n * isz, *o = gop + n * osz;
         for (int64_t k = 0; k < s && k < g.oT; k++) {
            struct group gr = group_of(&g, k);
            /* gradWeight (oF, kW*F) += scale * go rows^T (oF, count) x windows (count, kW*F) */
            nl_nn_gemm(g.dt, 1, 0, g.oF, K, gr.count, scale, o + gr.first * g.oF * g.es, gr.out_ld,
                       x + gr.first * g.dW * g.F * g.es, gr.in_ld, 1, gwp, K);
         }
      }
      if (gradBias) tkern[g.dt].grad_bias(nl_ptr(gradBias), gradBias->_stride[0], gop, g.N * g.oT, g.oF, scale);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc || rc2 ? -1 : 0;
}

NL_API int nl_temporal_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int dW) {
   const char *fn = "nn.TemporalMaxPooling";
   struct tgeom g;
   if (temporal_geometry(&g, fn, input, 0, 0, kW, dW) || nl_check_same_dtype(fn, output, input)) return -1;
   if (indices->_dtype != NL_LONG) return nl_errorf("%s: indices must be a LongTensor", fn);
   if (resize_seq(output, &g, g.oT, g.F) || resize_seq(indices, &g, g.oT, g.F)) return -1;
   NL_DEVICE_CALL(fn, temporal_max_pool_forward, (output, indices, input), output, indices, input, kW, dW);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct trun c = {.g = &g, .out = nl_ptr(output), .in = nl_ptr(in), .ind = nl_ptr(indices)};
      nl_conv_batch(nl_conv_threads(g.N), g.N, tkern[g.dt].max, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

NL_API int nl_temporal_max_pool_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                         const nl_tensor *indices, int kW, int dW) {
   const char *fn = "nn.TemporalMaxPooling";
   struct tgeom g;
   char s[NL_SHAPE_BUF];
   if (temporal_geometry(&g, fn, input, 0, 0, kW, dW) || check_grad_output(&g, gradOutput) ||
       nl_check_same_dtype(fn, gradInput, input))
      return -1;
   if (indices->_dtype != NL_LONG || nl_numel(indices) != g.N * g.oT * g.F || !nl_tensor_is_contiguous(indices))
      return nl_errorf("%s: indices %s do not match the input (run forward first)", fn, nl_shape_str(s, sizeof s, indices));
   if (resize_seq(gradInput, &g, g.nT, g.F)) return -1;
   NL_DEVICE_CALL(fn, temporal_max_pool_backward, (gradInput, input, gradOutput, indices), gradInput, input, gradOutput,
                  indices, kW, dW);
   int64_t *ix = nl_ptr(indices);
   for (int64_t i = 0, n = nl_numel(indices); i < n; i++)
      if (ix[i] < 0 || ix[i] >= kW) return nl_errorf("%s: corrupted indices (%lld outside 0..%d)", fn, (long long)ix[i], kW - 1);
   if (nl_zero(gradInput)) return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      struct trun c = {.g = &g, .out = nl_ptr(gradInput), .in = nl_ptr(go), .ind = ix};
      nl_conv_batch(nl_conv_threads(g.N), g.N, tkern[g.dt].max_back, &c);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

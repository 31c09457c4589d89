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
 * then run single-threaded inside the parallel region). */
#include "../apply.h"
#include "nn_common.h"
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <string.h>

/* One call's geometry: N sequences of T frames of F features, giving oT
 * frames of oF features. */
struct tgeom {
   const char *fn;
   int64_t N, T, F, oT, oF;
   int batch, dt, es, kW, dW;
};

static int temporal_geometry(struct tgeom *g, const char *fn, const nl_tensor *input, int64_t F, int64_t oF, int kW,
                             int dW) {
   char s[NL_SHAPE_BUF];
   memset(g, 0, sizeof *g);
   g->fn = fn;
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
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
   g->T = input->_size[g->batch];
   g->F = input->_size[g->batch + 1];
   if (F > 0 && g->F != F)
      return nl_errorf("%s: input frames have %lld elements (input %s), expected %lld", fn, (long long)g->F,
                       nl_shape_str(s, sizeof s, input), (long long)F);
   if (g->N < 1 || g->F < 1) return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   if (g->T < kW)
      return nl_errorf("%s: input has %lld frames (input %s), fewer than the kernel width %d", fn, (long long)g->T,
                       nl_shape_str(s, sizeof s, input), kW);
   g->oT = (g->T - kW) / dW + 1;
   g->oF = oF > 0 ? oF : g->F;
   g->kW = kW;
   g->dW = dW;
   g->dt = input->_dtype;
   g->es = nl_dtypes[g->dt].size;
   if (g->T * g->F > INT32_MAX || g->oT * g->oF > INT32_MAX || ((int64_t)kW + dW) * g->F > INT32_MAX)
      return nl_errorf("%s: one sequence is too large for a 32-bit BLAS", fn);
   return 0;
}

static int resize_seq(nl_tensor *t, const struct tgeom *g, int64_t T, int64_t F) {
   int64_t sz[3] = {g->N, T, F};
   int rc = g->batch ? nl_tensor_resize(t, 3, sz) : nl_tensor_resize(t, 2, sz + 1);
   if (!rc && !nl_tensor_is_contiguous(t)) rc = nl_errorf("%s: result tensors must be contiguous", g->fn);
   return rc;
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
   if (bias) {
      if (bias->_dtype != g->dt)
         return nl_errorf("%s: %s is a %s, expected a %s", g->fn, bn, nl_type_name(bias), nl_dtypes[g->dt].name);
      if (bias->_ndim != 1 || bias->_size[0] != g->oF)
         return nl_errorf("%s: %s must be a vector of %lld elements", g->fn, bn, (long long)g->oF);
   }
   return 0;
}

/* threads for a batch: one sequence per thread when there are several */
static int batch_threads(int64_t N) {
   int nth = nl_threads();
   if (nl_omp_in_parallel() || nth < 2 || N < 2) return 1;
   return N < nth ? (int)N : nth;
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

#define BIAS_FILL(T) \
   /* out: (oT, oF) = bias on every row (0 without a bias) */ \
   static void bias_fill_##T(T *out, const T *b, int64_t bs, int64_t oT, int64_t oF) { \
      for (int64_t t = 0; t < oT; t++) \
         for (int64_t o = 0; o < oF; o++) out[t * oF + o] = b ? b[o * bs] : 0; \
   } \
   /* gb[o] += scale * sum over the frames of go (N*oT, oF) */ \
   static void grad_bias_##T(T *gb, int64_t gbs, const T *go, int64_t rows, int64_t oF, double scale) { \
      for (int64_t o = 0; o < oF; o++) { \
         T s = 0; \
         for (int64_t r = 0; r < rows; r++) s += go[r * oF + o]; \
         gb[o * gbs] += (T)(scale * s); \
      } \
   }
BIAS_FILL(float)
BIAS_FILL(double)

NL_API int nl_temporal_conv_forward(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight,
                                    const nl_tensor *bias, int inputFrameSize, int outputFrameSize, int kW, int dW) {
   const char *fn = "nn.TemporalConvolution";
   struct tgeom g;
   if (inputFrameSize < 1 || outputFrameSize < 1)
      return nl_errorf("%s: frame sizes must be positive, got %d and %d", fn, inputFrameSize, outputFrameSize);
   if (temporal_geometry(&g, fn, input, inputFrameSize, outputFrameSize, kW, dW) ||
       check_params(&g, weight, bias, "weight", "bias") || nl_check_same_dtype(fn, output, input))
      return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_seq(output, &g, g.oT, g.oF);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   const char *ip = nl_ptr(in), *wp = nl_ptr(weight);
   char *op = nl_ptr(output);
   int64_t isz = g.T * g.F * g.es, osz = g.oT * g.oF * g.es, s = group_stride(&g), K = (int64_t)g.kW * g.F;
   int nt = batch_threads(g.N);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *out = op + n * osz;
      const char *x = ip + n * isz;
      if (g.dt == NL_FLOAT) bias_fill_float((float *)out, bias ? nl_ptr(bias) : NULL, bias ? bias->_stride[0] : 0, g.oT, g.oF);
      else bias_fill_double((double *)out, bias ? nl_ptr(bias) : NULL, bias ? bias->_stride[0] : 0, g.oT, g.oF);
      for (int64_t k = 0; k < s && k < g.oT; k++) {
         struct group gr = group_of(&g, k);
         /* out rows (count, oF) += windows (count, kW*F) x weight^T (kW*F, oF) */
         nl_nn_gemm(g.dt, 0, 1, gr.count, g.oF, K, 1, x + gr.first * g.dW * g.F * g.es, gr.in_ld, wp, K, 1,
              out + gr.first * g.oF * g.es, gr.out_ld);
      }
   }
   nl_tensor_release(&tmp);
   return 0;
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
       nl_check_same_dtype(fn, gradInput, input))
      return -1;
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_seq(gradInput, &g, g.T, g.F) || nl_zero(gradInput);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   const char *gop = nl_ptr(go), *wp = nl_ptr(weight);
   char *gip = nl_ptr(gradInput);
   int64_t isz = g.T * g.F * g.es, osz = g.oT * g.oF * g.es, s = group_stride(&g), K = (int64_t)g.kW * g.F;
   int nt = batch_threads(g.N);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t n = 0; n < g.N; n++) {
      char *gi = gip + n * isz;
      const char *o = gop + n * osz;
      for (int64_t k = 0; k < s && k < g.oT; k++) {
         struct group gr = group_of(&g, k);
         /* windows (count, kW*F) += go rows (count, oF) x weight (oF, kW*F) */
         nl_nn_gemm(g.dt, 0, 0, gr.count, K, g.oF, 1, o + gr.first * g.oF * g.es, gr.out_ld, wp, K, 1,
              gi + gr.first * g.dW * g.F * g.es, gr.in_ld);
      }
   }
   nl_tensor_release(&tmp);
   return 0;
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
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   if (!rc && !rc2 && scale != 0) {
      const char *ip = nl_ptr(in), *gop = nl_ptr(go);
      char *gwp = nl_ptr(gradWeight);
      int64_t isz = g.T * g.F * g.es, osz = g.oT * g.oF * g.es, s = group_stride(&g), K = (int64_t)g.kW * g.F;
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
      if (gradBias) {
         if (g.dt == NL_FLOAT) grad_bias_float(nl_ptr(gradBias), gradBias->_stride[0], (const float *)gop, g.N * g.oT, g.oF, scale);
         else grad_bias_double(nl_ptr(gradBias), gradBias->_stride[0], (const double *)gop, g.N * g.oT, g.oF, scale);
      }
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc || rc2 ? -1 : 0;
}

/* Max over windows of kW frames, per feature: ind holds the frame within
 * the window (0..kW-1) of the first maximum; NaN wins. Backward adds
 * gradOutput at those frames (windows may overlap: sequential per
 * sequence). */
#define TMAX(TY) \
   static void tmax_##TY(TY *out, int64_t *ind, const TY *in, const struct tgeom *g) { \
      int nt = batch_threads(g->N); \
      _Pragma("omp parallel for num_threads(nt) if (nt > 1) schedule(static)") \
      for (int64_t n = 0; n < g->N; n++) \
         for (int64_t t = 0; t < g->oT; t++) { \
            const TY *w = in + (n * g->T + t * g->dW) * g->F; \
            TY *o = out + (n * g->oT + t) * g->F; \
            int64_t *ix = ind + (n * g->oT + t) * g->F; \
            for (int64_t f = 0; f < g->F; f++) { o[f] = w[f]; ix[f] = 0; } \
            for (int j = 1; j < g->kW; j++) \
               for (int64_t f = 0; f < g->F; f++) { \
                  TY v = w[j * g->F + f]; \
                  if (v > o[f] || (isnan(v) && !isnan(o[f]))) { o[f] = v; ix[f] = j; } \
               } \
         } \
   } \
   static void tmax_back_##TY(TY *gin, const TY *go, const int64_t *ind, const struct tgeom *g) { \
      int nt = batch_threads(g->N); \
      _Pragma("omp parallel for num_threads(nt) if (nt > 1) schedule(static)") \
      for (int64_t n = 0; n < g->N; n++) \
         for (int64_t t = 0; t < g->oT; t++) { \
            TY *w = gin + (n * g->T + t * g->dW) * g->F; \
            const TY *o = go + (n * g->oT + t) * g->F; \
            const int64_t *ix = ind + (n * g->oT + t) * g->F; \
            for (int64_t f = 0; f < g->F; f++) w[ix[f] * g->F + f] += o[f]; \
         } \
   }
TMAX(float)
TMAX(double)

NL_API int nl_temporal_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW, int dW) {
   const char *fn = "nn.TemporalMaxPooling";
   struct tgeom g;
   if (temporal_geometry(&g, fn, input, 0, 0, kW, dW) || nl_check_same_dtype(fn, output, input)) return -1;
   if (indices->_dtype != NL_LONG || indices->_device != NL_CPU) return nl_errorf("%s: indices must be a LongTensor", fn);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_seq(output, &g, g.oT, g.F) || resize_seq(indices, &g, g.oT, g.F);
   if (!rc) {
      if (g.dt == NL_FLOAT) tmax_float(nl_ptr(output), nl_ptr(indices), nl_ptr(in), &g);
      else tmax_double(nl_ptr(output), nl_ptr(indices), nl_ptr(in), &g);
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
   const int64_t *ix = nl_ptr(indices);
   for (int64_t i = 0, n = nl_numel(indices); i < n; i++)
      if (ix[i] < 0 || ix[i] >= kW) return nl_errorf("%s: corrupted indices (%lld outside 0..%d)", fn, (long long)ix[i], kW - 1);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_seq(gradInput, &g, g.T, g.F) || nl_zero(gradInput);
   if (!rc) {
      if (g.dt == NL_FLOAT) tmax_back_float(nl_ptr(gradInput), nl_ptr(go), ix, &g);
      else tmax_back_double(nl_ptr(gradInput), nl_ptr(go), ix, &g);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

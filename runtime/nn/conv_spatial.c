/* conv_spatial.c: 2D convolutions by im2col + GEMM (OpenBLAS):
 * SpatialConvolution(MM), SpatialDilatedConvolution (dilation) and
 * SpatialFullConvolution (the transposed convolution: its forward is the
 * convolution's input gradient and the other way round), forward,
 * backward and parameter gradients.
 *
 * A batch runs one image (or, for small outputs, a group of images whose
 * columns sit side by side so that one GEMM is wide enough) per OpenMP
 * thread, each thread with its own column buffer (reused, so it stays in
 * cache) and single-threaded GEMMs (OpenBLAS's OpenMP build runs one thread
 * inside a parallel region); a single image runs one threaded GEMM. The columns
 * are recomputed for the weight gradient instead of being kept for the
 * whole batch from forward: im2col costs a few percent of the GEMM and a
 * VGG layer's batch of columns would be 300 MB. Weight gradients are
 * accumulated per thread, then summed. */
#include "../apply.h"
#include "nn_common.h"
#include <cblas.h>
#include <omp.h>
#include <string.h>

/* sliding window: kernel, stride, padding, dilation */
struct win { int kW, kH, dW, dH, padW, padH, dilW, dilH; };

/* im: (C, imH, imW); col: (C*kH*kW, gH*gW) with rows ld elements apart,
 * row (c, i, j), column (y, x) holds
 * im[c][y*dH - padH + i*dilH][x*dW - padW + j*dilW] (0 outside). col2im
 * adds the columns back into a zeroed image. */
#define COLS(T) \
   static void im2col_##T(T *col, const T *im, int64_t C, int64_t imH, int64_t imW, int64_t gH, int64_t gW, \
                          const struct win *w, int64_t ld) { \
      for (int64_t c = 0; c < C; c++) \
         for (int i = 0; i < w->kH; i++) \
            for (int j = 0; j < w->kW; j++) { \
               T *row = col + ((c * w->kH + i) * w->kW + j) * ld; \
               int64_t xoff = (int64_t)j * w->dilW - w->padW, x0, x1; \
               nl_nn_valid_range(xoff, w->dW, imW, gW, &x0, &x1); \
               for (int64_t y = 0; y < gH; y++) { \
                  int64_t iy = y * w->dH - w->padH + (int64_t)i * w->dilH; \
                  T *r = row + y * gW; \
                  if (iy < 0 || iy >= imH) { memset(r, 0, sizeof(T) * gW); continue; } \
                  const T *src = im + (c * imH + iy) * imW; \
                  for (int64_t x = 0; x < x0; x++) r[x] = 0; \
                  if (w->dW == 1) memcpy(r + x0, src + x0 + xoff, sizeof(T) * (x1 - x0)); \
                  else for (int64_t x = x0; x < x1; x++) r[x] = src[x * w->dW + xoff]; \
                  for (int64_t x = x1; x < gW; x++) r[x] = 0; \
               } \
            } \
   } \
   static void col2im_##T(T *im, const T *col, int64_t C, int64_t imH, int64_t imW, int64_t gH, int64_t gW, \
                          const struct win *w, int64_t ld) { \
      memset(im, 0, sizeof(T) * C * imH * imW); \
      for (int64_t c = 0; c < C; c++) \
         for (int i = 0; i < w->kH; i++) \
            for (int j = 0; j < w->kW; j++) { \
               const T *row = col + ((c * w->kH + i) * w->kW + j) * ld; \
               int64_t xoff = (int64_t)j * w->dilW - w->padW, x0, x1; \
               nl_nn_valid_range(xoff, w->dW, imW, gW, &x0, &x1); \
               for (int64_t y = 0; y < gH; y++) { \
                  int64_t iy = y * w->dH - w->padH + (int64_t)i * w->dilH; \
                  if (iy < 0 || iy >= imH) continue; \
                  T *dst = im + (c * imH + iy) * imW; \
                  const T *r = row + y * gW; \
                  if (w->dW == 1) { \
                     T *d = dst + xoff; \
                     for (int64_t x = x0; x < x1; x++) d[x] += r[x]; \
                  } else \
                     for (int64_t x = x0; x < x1; x++) dst[x * w->dW + xoff] += r[x]; \
               } \
            } \
   }
COLS(float)
COLS(double)

static void im2col_ld(int dt, void *col, const void *im, int64_t C, int64_t imH, int64_t imW, int64_t gH, int64_t gW,
                      const struct win *w, int64_t ld) {
   if (dt == NL_FLOAT) im2col_float(col, im, C, imH, imW, gH, gW, w, ld);
   else im2col_double(col, im, C, imH, imW, gH, gW, w, ld);
}
static void col2im_ld(int dt, void *im, const void *col, int64_t C, int64_t imH, int64_t imW, int64_t gH, int64_t gW,
                      const struct win *w, int64_t ld) {
   if (dt == NL_FLOAT) col2im_float(im, col, C, imH, imW, gH, gW, w, ld);
   else col2im_double(im, col, C, imH, imW, gH, gW, w, ld);
}
static void im2col(int dt, void *col, const void *im, int64_t C, int64_t imH, int64_t imW, int64_t gH, int64_t gW,
                   const struct win *w) {
   im2col_ld(dt, col, im, C, imH, imW, gH, gW, w, gH * gW);
}
static void col2im(int dt, void *im, const void *col, int64_t C, int64_t imH, int64_t imW, int64_t gH, int64_t gW,
                   const struct win *w) {
   col2im_ld(dt, im, col, C, imH, imW, gH, gW, w, gH * gW);
}

/* Copies `count` blocks of (rows, S) between the image-major layout
 * (count, rows, S) and the grouped layout (rows, count*S) used as one GEMM
 * operand; to_group 1: image-major -> grouped. */
static void regroup(int es, char *grouped, char *images, int64_t count, int64_t rows, int64_t S, int to_group) {
   int64_t rb = S * es;
   for (int64_t g = 0; g < count; g++)
      for (int64_t r = 0; r < rows; r++) {
         char *a = grouped + (r * count + g) * rb, *b = images + (g * rows + r) * rb;
         if (to_group) memcpy(a, b, rb);
         else memcpy(b, a, rb);
      }
}

/* One layer's geometry. conv: input (N, nIn, H, W) -> output (N, nOut,
 * oH, oW); full (transposed): the same picture with input and output
 * swapped, so the columns always live on the (H, W) or (oH, oW) grid of
 * the smaller side. */
struct geom {
   const char *fn;
   int64_t N, nIn, H, W, nOut, oH, oW;
   int batch, full, dt, es;
   struct win w;
   /* columns: (crows, ccols) per image; a thread's buffer holds `group`
    * images' columns side by side, plus (nOut, group*ccols) of scratch for
    * the grouped output when group > 1 */
   int64_t crows, ccols, group;
};

static int geometry(struct geom *g, const char *fn, const nl_tensor *input, const nl_tensor *weight, int nIn, int nOut,
                    const int *p, int full) {
   char s[NL_SHAPE_BUF];
   memset(g, 0, sizeof *g);
   g->fn = fn;
   g->full = full;
   g->w = (struct win){p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]};
   int adjW = p[8], adjH = p[9];
   const struct win *w = &g->w;
   if (input->_device != NL_CPU) return nl_errorf("%s: CUDA tensors are not supported by this module yet", fn);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (nl_check_same_dtype(fn, weight, input)) return -1;
   if (w->kW < 1 || w->kH < 1 || w->dW < 1 || w->dH < 1 || w->dilW < 1 || w->dilH < 1)
      return nl_errorf("%s: kernel size, stride and dilation must be positive, got kernel %dx%d, stride %dx%d, "
                       "dilation %dx%d", fn, w->kW, w->kH, w->dW, w->dH, w->dilW, w->dilH);
   if (w->padW < 0 || w->padH < 0) return nl_errorf("%s: padding must be non-negative, got %dx%d", fn, w->padW, w->padH);
   if (full && (adjW < 0 || adjH < 0 || adjW >= w->dW || adjH >= w->dH))
      return nl_errorf("%s: adjW and adjH must be non-negative and smaller than the stride (%d, %d), got %d, %d", fn,
                       w->dW, w->dH, adjW, adjH);
   if (input->_ndim != 3 && input->_ndim != 4)
      return nl_errorf("%s: expected a 3D (%d x H x W) or 4D (N x %d x H x W) input, got %s", fn, nIn, nIn,
                       nl_shape_str(s, sizeof s, input));
   g->batch = input->_ndim == 4;
   g->N = g->batch ? input->_size[0] : 1;
   g->nIn = input->_size[g->batch];
   g->H = input->_size[g->batch + 1];
   g->W = input->_size[g->batch + 2];
   g->nOut = nOut;
   if (g->nIn != nIn) return nl_errorf("%s: input has %lld planes, expected %d", fn, (long long)g->nIn, nIn);
   if (nl_numel(weight) != (int64_t)nIn * nOut * w->kH * w->kW)
      return nl_errorf("%s: weight has %lld elements, expected %lld", fn, (long long)nl_numel(weight),
                       (long long)nIn * nOut * w->kH * w->kW);
   if (!nl_tensor_is_contiguous(weight)) return nl_errorf("%s: the weight must be contiguous", fn);
   if (g->N < 1 || g->H < 1 || g->W < 1) return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   int64_t ekH = (int64_t)w->dilH * (w->kH - 1) + 1, ekW = (int64_t)w->dilW * (w->kW - 1) + 1;
   if (full) {
      g->oH = (g->H - 1) * w->dH - 2 * w->padH + ekH + adjH;
      g->oW = (g->W - 1) * w->dW - 2 * w->padW + ekW + adjW;
      if (g->oH < 1 || g->oW < 1)
         return nl_errorf("%s: input image %lldx%lld gives an output of %lldx%lld, too small", fn, (long long)g->H,
                          (long long)g->W, (long long)g->oH, (long long)g->oW);
      g->crows = g->nOut * w->kH * w->kW;
      g->ccols = g->H * g->W;
   } else {
      if (g->H + 2 * w->padH < ekH || g->W + 2 * w->padW < ekW)
         return nl_errorf("%s: input image %lldx%lld (padded %lldx%lld) is smaller than the %lldx%lld kernel", fn,
                          (long long)g->H, (long long)g->W, (long long)(g->H + 2 * w->padH),
                          (long long)(g->W + 2 * w->padW), (long long)ekH, (long long)ekW);
      g->oH = (g->H + 2 * w->padH - ekH) / w->dH + 1;
      g->oW = (g->W + 2 * w->padW - ekW) / w->dW + 1;
      g->crows = g->nIn * w->kH * w->kW;
      g->ccols = g->oH * g->oW;
   }
   if (g->crows * g->ccols > INT32_MAX || g->nOut * g->oH * g->oW > INT32_MAX || g->nIn * g->H * g->W > INT32_MAX)
      return nl_errorf("%s: one image is too large for a 32-bit BLAS", fn);
   g->dt = input->_dtype;
   g->es = nl_dtypes[g->dt].size;
   g->group = 1;
   return 0;
}

/* Images per GEMM for a batch: enough for ~GROUP_COLS columns, so that
 * layers with small outputs (LeNet's second convolution: 8x8) still run
 * GEMMs wide enough for the BLAS kernels, while every thread keeps work.
 * The transposed convolution runs image by image. */
#define GROUP_COLS 512
static void set_group(struct geom *g, int nt) {
   g->group = 1;
   if (g->full || g->ccols >= GROUP_COLS || g->N < 2) return;
   int64_t want = (GROUP_COLS + g->ccols - 1) / g->ccols, per = (g->N + nt - 1) / nt;
   if (want > per) want = per;
   if (want < 1) want = 1;
   /* stay inside a 32-bit BLAS and a modest buffer (16M elements a thread) */
   while (want > 1 && (g->crows + g->nOut) * g->ccols * want > ((int64_t)1 << 24)) want--;
   g->group = want;
}

/* elements of one thread's column buffer */
static int64_t col_elems(const struct geom *g) {
   return g->group > 1 ? (g->crows + g->nOut) * g->ccols * g->group : g->crows * g->ccols;
}

/* threads for a batch: one image per thread when there are images for
 * each; else 1 (and the GEMMs thread themselves) */
static int batch_threads(const struct geom *g) {
   int nth = nl_threads();
   if (nl_omp_in_parallel() || nth < 2 || g->N < 2) return 1;
   return g->N < nth ? (int)g->N : nth;
}

static int resize_out(nl_tensor *t, const struct geom *g, int64_t C, int64_t H, int64_t W) {
   int64_t sz[4] = {g->N, C, H, W};
   int rc = g->batch ? nl_tensor_resize(t, 4, sz) : nl_tensor_resize(t, 3, sz + 1);
   if (!rc && !nl_tensor_is_contiguous(t)) rc = nl_errorf("%s: result tensors must be contiguous", g->fn);
   return rc;
}

static int resize_columns(nl_tensor *columns, const struct geom *g, int nt) {
   int64_t sz[2] = {nt, col_elems(g)};
   if (columns->_dtype != g->dt) return nl_errorf("%s: the column buffer must be a %s", g->fn, nl_dtypes[g->dt].name);
   if (nl_tensor_resize(columns, 2, sz)) return -1;
   if (!nl_tensor_is_contiguous(columns)) return nl_errorf("%s: the column buffer must be contiguous", g->fn);
   return 0;
}

static int check_grad_output(const struct geom *g, const nl_tensor *gradOutput) {
   char s[NL_SHAPE_BUF];
   if (gradOutput->_dtype != g->dt)
      return nl_errorf("%s: gradOutput is a %s, expected a %s", g->fn, nl_type_name(gradOutput), nl_dtypes[g->dt].name);
   int ok = gradOutput->_ndim == (g->batch ? 4 : 3);
   for (int i = 0; ok && i < gradOutput->_ndim; i++) {
      int64_t want[4] = {g->N, g->nOut, g->oH, g->oW};
      ok = gradOutput->_size[i] == want[i + !g->batch];
   }
   if (!ok) {
      if (g->batch)
         return nl_errorf("%s: gradOutput has size %s, expected %lldx%lldx%lldx%lld", g->fn,
                          nl_shape_str(s, sizeof s, gradOutput), (long long)g->N, (long long)g->nOut, (long long)g->oH,
                          (long long)g->oW);
      return nl_errorf("%s: gradOutput has size %s, expected %lldx%lldx%lld", g->fn, nl_shape_str(s, sizeof s, gradOutput),
                       (long long)g->nOut, (long long)g->oH, (long long)g->oW);
   }
   return 0;
}

static int check_bias(const struct geom *g, const nl_tensor *bias, const char *what) {
   if (!bias) return 0;
   if (bias->_dtype != g->dt) return nl_errorf("%s: %s is a %s, expected a %s", g->fn, what, nl_type_name(bias), nl_dtypes[g->dt].name);
   if (nl_numel(bias) != g->nOut || bias->_ndim != 1)
      return nl_errorf("%s: %s must be a vector of %lld elements", g->fn, what, (long long)g->nOut);
   return 0;
}

/* forward of one image: out (nOut, oH, oW) from in (nIn, H, W) */
static void forward_image(const struct geom *g, char *out, const char *in, char *col, const char *wt) {
   const struct win *w = &g->w;
   int64_t kk = (int64_t)w->kH * w->kW;
   if (!g->full) {
      im2col(g->dt, col, in, g->nIn, g->H, g->W, g->oH, g->oW, w);
      /* out (nOut, oHW) = weight (nOut, nIn*kk) x col (nIn*kk, oHW) */
      nl_nn_gemm(g->dt, 0, 0, g->nOut, g->ccols, g->crows, 1, wt, g->crows, col, g->ccols, 0, out, g->ccols);
   } else {
      /* col (nOut*kk, HW) = weight^T (nOut*kk, nIn) x in (nIn, HW) */
      nl_nn_gemm(g->dt, 1, 0, g->nOut * kk, g->H * g->W, g->nIn, 1, wt, g->nOut * kk, in, g->H * g->W, 0, col, g->H * g->W);
      col2im(g->dt, out, col, g->nOut, g->oH, g->oW, g->H, g->W, w);
   }
}

/* input gradient of one image: gi (nIn, H, W) from go (nOut, oH, oW) */
static void backward_image(const struct geom *g, char *gi, const char *go, char *col, const char *wt) {
   const struct win *w = &g->w;
   int64_t kk = (int64_t)w->kH * w->kW;
   if (!g->full) {
      /* col (nIn*kk, oHW) = weight^T x go (nOut, oHW) */
      nl_nn_gemm(g->dt, 1, 0, g->crows, g->ccols, g->nOut, 1, wt, g->crows, go, g->ccols, 0, col, g->ccols);
      col2im(g->dt, gi, col, g->nIn, g->H, g->W, g->oH, g->oW, w);
   } else {
      im2col(g->dt, col, go, g->nOut, g->oH, g->oW, g->H, g->W, w);
      /* gi (nIn, HW) = weight (nIn, nOut*kk) x col (nOut*kk, HW) */
      nl_nn_gemm(g->dt, 0, 0, g->nIn, g->H * g->W, g->nOut * kk, 1, wt, g->nOut * kk, col, g->H * g->W, 0, gi, g->H * g->W);
   }
}

/* weight gradient of one image, accumulated into gw */
static void acc_image(const struct geom *g, char *gw, const char *in, const char *go, char *col, double scale) {
   const struct win *w = &g->w;
   int64_t kk = (int64_t)w->kH * w->kW;
   if (!g->full) {
      im2col(g->dt, col, in, g->nIn, g->H, g->W, g->oH, g->oW, w);
      /* gw (nOut, nIn*kk) += scale * go (nOut, oHW) x col^T (oHW, nIn*kk) */
      nl_nn_gemm(g->dt, 0, 1, g->nOut, g->crows, g->ccols, scale, go, g->ccols, col, g->ccols, 1, gw, g->crows);
   } else {
      im2col(g->dt, col, go, g->nOut, g->oH, g->oW, g->H, g->W, w);
      /* gw (nIn, nOut*kk) += scale * in (nIn, HW) x col^T (HW, nOut*kk) */
      nl_nn_gemm(g->dt, 0, 1, g->nIn, g->nOut * kk, g->H * g->W, scale, in, g->H * g->W, col, g->H * g->W, 1, gw, g->nOut * kk);
   }
}

/* The same for `count` consecutive images (group > 1, convolution only):
 * their columns side by side, one GEMM, then the result regrouped. col
 * holds crows*count*ccols elements, then the scratch. */
static void forward_group(const struct geom *g, char *out, const char *in, int64_t count, char *col, const char *wt) {
   int64_t P = g->ccols, ld = count * P, isz = g->nIn * g->H * g->W * g->es;
   char *scratch = col + g->crows * ld * g->es;
   for (int64_t k = 0; k < count; k++)
      im2col_ld(g->dt, col + k * P * g->es, in + k * isz, g->nIn, g->H, g->W, g->oH, g->oW, &g->w, ld);
   nl_nn_gemm(g->dt, 0, 0, g->nOut, ld, g->crows, 1, wt, g->crows, col, ld, 0, scratch, ld);
   regroup(g->es, scratch, out, count, g->nOut, P, 0);
}

static void backward_group(const struct geom *g, char *gi, const char *go, int64_t count, char *col, const char *wt) {
   int64_t P = g->ccols, ld = count * P, isz = g->nIn * g->H * g->W * g->es;
   char *scratch = col + g->crows * ld * g->es;
   regroup(g->es, scratch, (char *)go, count, g->nOut, P, 1);
   nl_nn_gemm(g->dt, 1, 0, g->crows, ld, g->nOut, 1, wt, g->crows, scratch, ld, 0, col, ld);
   for (int64_t k = 0; k < count; k++)
      col2im_ld(g->dt, gi + k * isz, col + k * P * g->es, g->nIn, g->H, g->W, g->oH, g->oW, &g->w, ld);
}

static void acc_group(const struct geom *g, char *gw, const char *in, const char *go, int64_t count, char *col,
                      double scale) {
   int64_t P = g->ccols, ld = count * P, isz = g->nIn * g->H * g->W * g->es;
   char *scratch = col + g->crows * ld * g->es;
   for (int64_t k = 0; k < count; k++)
      im2col_ld(g->dt, col + k * P * g->es, in + k * isz, g->nIn, g->H, g->W, g->oH, g->oW, &g->w, ld);
   regroup(g->es, scratch, (char *)go, count, g->nOut, P, 1);
   nl_nn_gemm(g->dt, 0, 1, g->nOut, g->crows, ld, scale, scratch, ld, col, ld, 1, gw, g->crows);
}

static int conv_forward(const char *fn, int full, nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                        const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, const int *p) {
   struct geom g;
   if (geometry(&g, fn, input, weight, nIn, nOut, p, full) || check_bias(&g, bias, "bias")) return -1;
   int nt = batch_threads(&g), rc;
   set_group(&g, nt);
   nl_tensor tmp;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) rc = resize_out(output, &g, g.nOut, g.oH, g.oW);
   if (!rc) rc = resize_columns(columns, &g, nt);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int64_t isz = g.nIn * g.H * g.W * g.es, osz = g.nOut * g.oH * g.oW * g.es, csz = col_elems(&g) * g.es;
   int64_t G = g.group, ngroups = (g.N + G - 1) / G;
   char *ip = nl_ptr(in), *op = nl_ptr(output), *cp = nl_ptr(columns);
   const char *wp = nl_ptr(weight);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t b = 0; b < ngroups; b++) {
      int64_t n0 = b * G, count = g.N - n0 < G ? g.N - n0 : G;
      char *col = cp + omp_get_thread_num() * csz;
      if (G > 1) forward_group(&g, op + n0 * osz, ip + n0 * isz, count, col, wp);
      else forward_image(&g, op + n0 * osz, ip + n0 * isz, col, wp);
      for (int64_t n = n0; bias && n < n0 + count; n++) {
         char *out = op + n * osz;
         if (g.dt == NL_FLOAT) nl_nn_add_bias_float((float *)out, nl_ptr(bias), bias->_stride[0], g.nOut, g.oH * g.oW);
         else nl_nn_add_bias_double((double *)out, nl_ptr(bias), bias->_stride[0], g.nOut, g.oH * g.oW);
      }
   }
   nl_tensor_release(&tmp);
   return 0;
}

static int conv_backward(const char *fn, int full, nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                         const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, const int *p) {
   struct geom g;
   if (geometry(&g, fn, input, weight, nIn, nOut, p, full) || check_grad_output(&g, gradOutput)) return -1;
   int nt = batch_threads(&g), rc;
   set_group(&g, nt);
   nl_tensor tmp;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = resize_out(gradInput, &g, g.nIn, g.H, g.W);
   if (!rc) rc = resize_columns(columns, &g, nt);
   if (rc) { nl_tensor_release(&tmp); return -1; }
   int64_t isz = g.nIn * g.H * g.W * g.es, osz = g.nOut * g.oH * g.oW * g.es, csz = col_elems(&g) * g.es;
   int64_t G = g.group, ngroups = (g.N + G - 1) / G;
   char *gip = nl_ptr(gradInput), *gop = nl_ptr(go), *cp = nl_ptr(columns);
   const char *wp = nl_ptr(weight);
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
   for (int64_t b = 0; b < ngroups; b++) {
      int64_t n0 = b * G, count = g.N - n0 < G ? g.N - n0 : G;
      char *col = cp + omp_get_thread_num() * csz;
      if (G > 1) backward_group(&g, gip + n0 * isz, gop + n0 * osz, count, col, wp);
      else backward_image(&g, gip + n0 * isz, gop + n0 * osz, col, wp);
   }
   nl_tensor_release(&tmp);
   return 0;
}

static int conv_acc_grad(const char *fn, int full, nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                         nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut,
                         const int *p, double scale) {
   struct geom g;
   if (geometry(&g, fn, input, gradWeight, nIn, nOut, p, full) || check_grad_output(&g, gradOutput) ||
       check_bias(&g, gradBias, "gradBias"))
      return -1;
   if (partial->_dtype != g.dt) return nl_errorf("%s: the partial-sum buffer must be a %s", fn, nl_dtypes[g.dt].name);
   int nt = batch_threads(&g), rc;
   set_group(&g, nt);
   nl_tensor t1, t2;
   int rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   int64_t wn = nl_numel(gradWeight), psz[2] = {nt, wn};
   if (!rc) rc = resize_columns(columns, &g, nt);
   if (!rc && nt > 1) rc = nl_tensor_resize(partial, 2, psz) || nl_zero(partial);
   if (!rc && !nl_tensor_is_contiguous(partial)) rc = nl_errorf("%s: the partial-sum buffer must be contiguous", fn);
   if (rc) { nl_tensor_release(&t1); nl_tensor_release(&t2); return -1; }
   int64_t isz = g.nIn * g.H * g.W * g.es, osz = g.nOut * g.oH * g.oW * g.es, csz = col_elems(&g) * g.es;
   int64_t G = g.group, ngroups = (g.N + G - 1) / G;
   const char *ip = nl_ptr(in), *gop = nl_ptr(go);
   char *cp = nl_ptr(columns), *gwp = nl_ptr(gradWeight), *pp = nt > 1 ? nl_ptr(partial) : NULL;
   if (scale != 0) {
#pragma omp parallel for num_threads(nt) if (nt > 1) schedule(static)
      for (int64_t b = 0; b < ngroups; b++) {
         int t = omp_get_thread_num();
         int64_t n0 = b * G, count = g.N - n0 < G ? g.N - n0 : G;
         char *gw = nt > 1 ? pp + t * wn * g.es : gwp;
         if (G > 1) acc_group(&g, gw, ip + n0 * isz, gop + n0 * osz, count, cp + t * csz, scale);
         else acc_image(&g, gw, ip + n0 * isz, gop + n0 * osz, cp + t * csz, scale);
      }
      if (nt > 1) {
         for (int t = 0; t < nt; t++) {
            if (g.dt == NL_FLOAT) {
               float *d = (float *)gwp;
               const float *s = (const float *)pp + t * wn;
               for (int64_t i = 0; i < wn; i++) d[i] += s[i];
            } else {
               double *d = (double *)gwp;
               const double *s = (const double *)pp + t * wn;
               for (int64_t i = 0; i < wn; i++) d[i] += s[i];
            }
         }
      }
      if (gradBias) {
         if (g.dt == NL_FLOAT) nl_nn_grad_bias_float(nl_ptr(gradBias), gradBias->_stride[0], (const float *)gop, g.N, g.nOut, g.oH * g.oW, scale);
         else nl_nn_grad_bias_double(nl_ptr(gradBias), gradBias->_stride[0], (const double *)gop, g.N, g.nOut, g.oH * g.oW, scale);
      }
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return 0;
}

/* p: kW, kH, dW, dH, padW, padH, dilW, dilH, adjW, adjH */
#define PARAMS int p[10] = {kW, kH, dW, dH, padW, padH, dilW, dilH, adjW, adjH}

NL_API int nl_spatial_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input, const nl_tensor *weight,
                                   const nl_tensor *bias, int nIn, int nOut, int kW, int kH, int dW, int dH, int padW,
                                   int padH, int dilW, int dilH) {
   int adjW = 0, adjH = 0;
   PARAMS;
   return conv_forward("nn.SpatialConvolution", 0, output, columns, input, weight, bias, nIn, nOut, p);
}

NL_API int nl_spatial_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                    const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut, int kW,
                                    int kH, int dW, int dH, int padW, int padH, int dilW, int dilH) {
   int adjW = 0, adjH = 0;
   PARAMS;
   return conv_backward("nn.SpatialConvolution", 0, gradInput, columns, input, gradOutput, weight, nIn, nOut, p);
}

NL_API int nl_spatial_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns, nl_tensor *partial,
                                    const nl_tensor *input, const nl_tensor *gradOutput, int nIn, int nOut, int kW,
                                    int kH, int dW, int dH, int padW, int padH, int dilW, int dilH, double scale) {
   int adjW = 0, adjH = 0;
   PARAMS;
   return conv_acc_grad("nn.SpatialConvolution", 0, gradWeight, gradBias, columns, partial, input, gradOutput, nIn, nOut,
                        p, scale);
}

NL_API int nl_spatial_full_conv_forward(nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                                        const nl_tensor *weight, const nl_tensor *bias, int nIn, int nOut, int kW,
                                        int kH, int dW, int dH, int padW, int padH, int adjW, int adjH) {
   int dilW = 1, dilH = 1;
   PARAMS;
   return conv_forward("nn.SpatialFullConvolution", 1, output, columns, input, weight, bias, nIn, nOut, p);
}

NL_API int nl_spatial_full_conv_backward(nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                                         const nl_tensor *gradOutput, const nl_tensor *weight, int nIn, int nOut,
                                         int kW, int kH, int dW, int dH, int padW, int padH, int adjW, int adjH) {
   int dilW = 1, dilH = 1;
   PARAMS;
   return conv_backward("nn.SpatialFullConvolution", 1, gradInput, columns, input, gradOutput, weight, nIn, nOut, p);
}

NL_API int nl_spatial_full_conv_acc_grad(nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                                         nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput,
                                         int nIn, int nOut, int kW, int kH, int dW, int dH, int padW, int padH,
                                         int adjW, int adjH, double scale) {
   int dilW = 1, dilH = 1;
   PARAMS;
   return conv_acc_grad("nn.SpatialFullConvolution", 1, gradWeight, gradBias, columns, partial, input, gradOutput, nIn,
                        nOut, p, scale);
}

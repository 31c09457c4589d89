/* conv_driver.c: the convolution driver of conv_driver.h: unfold + GEMM
 * over a window of up to three dimensions, grouped columns, the batch
 * loop with per-thread buffers and per-thread weight-gradient sums, and
 * the checks and resizes every convolution shares. Per-dtype kernels in
 * conv_driver_impl.h, chosen through the table `kern`. */
#include "conv_driver.h"
#include <omp.h>
#include <stdio.h>
#include <string.h>

#define NL_IMPL "nn/conv_driver_impl.h"
#include "dtype_each_float.h"

typedef void (*fold_fn)(void *dst, const void *src, int64_t C, const int64_t *in, const int64_t *gr,
                        const nl_conv_win *w, int64_t ld);

static const struct kern {
   fold_fn unfold, fold;
   void (*add_bias)(void *out, const void *b, int64_t bs, int64_t nOut, int64_t S);
   void (*grad_bias)(void *gb, int64_t gbs, const void *go, int64_t N, int64_t nOut, int64_t S, double scale);
   void (*sum_partials)(void *gw, const void *p, int nt, int64_t wn);
} kern[NL_NUM_DTYPES] = {
   [NL_FLOAT] = {unfold_Float, fold_Float, add_bias_Float, grad_bias_Float, sum_partials_Float},
   [NL_DOUBLE] = {unfold_Double, fold_Double, add_bias_Double, grad_bias_Double, sum_partials_Double},
};

int nl_conv_threads(int64_t N) {
   int nth = nl_threads();
   if (nl_omp_in_parallel() || nth < 2 || N < 2) return 1;
   return N < nth ? (int)N : nth;
}

void nl_conv_batch(int nt, int64_t n, nl_conv_item_fn fn, void *ctx) {
   if (nt <= 1) {
      for (int64_t i = 0; i < n; i++) fn(ctx, i, 0);
      return;
   }
#pragma omp parallel for num_threads(nt) schedule(static)
   for (int64_t i = 0; i < n; i++) fn(ctx, i, omp_get_thread_num());
}

int nl_conv_check_bias(const char *fn, int dt, const nl_tensor *bias, const char *what, int64_t n) {
   if (!bias) return 0;
   if (bias->_dtype != dt)
      return nl_errorf("%s: %s is a %s, expected a %s", fn, what, nl_type_name(bias), nl_dtypes[dt].name);
   if (nl_numel(bias) != n || bias->_ndim != 1)
      return nl_errorf("%s: %s must be a vector of %lld elements", fn, what, (long long)n);
   return 0;
}

int nl_conv_buffer(const char *fn, const char *what, nl_tensor *buf, int dt, int nd, const int64_t *sz) {
   if (buf->_dtype != dt) return nl_errorf("%s: the %s must be a %s", fn, what, nl_dtypes[dt].name);
   if (nl_tensor_resize(buf, nd, sz)) return -1;
   if (!nl_tensor_is_contiguous(buf)) return nl_errorf("%s: the %s must be contiguous", fn, what);
   return 0;
}

int nl_conv_resize(const char *fn, nl_tensor *t, int batch, int n, const int64_t *sz) {
   int rc = batch ? nl_tensor_resize(t, n, sz) : nl_tensor_resize(t, n - 1, sz + 1);
   if (!rc && !nl_tensor_is_contiguous(t)) rc = nl_errorf("%s: result tensors must be contiguous", fn);
   return rc;
}

int nl_conv_partials(const char *fn, nl_tensor *partial, int nt, int64_t wn) {
   int64_t sz[2] = {nt, wn};
   if (nt > 1 && nl_tensor_resize(partial, 2, sz)) return -1;
   if (!nl_tensor_is_contiguous(partial)) return nl_errorf("%s: the partial-sum buffer must be contiguous", fn);
   return 0;
}

void nl_conv_sum_partials(int dt, void *gw, const void *partial, int nt, int64_t wn) {
   kern[dt].sum_partials(gw, partial, nt, wn);
}

static int64_t volume(const int64_t *v) { return v[0] * v[1] * v[2]; }

void nl_conv_shape(nl_conv *g) {
   int64_t kk = (int64_t)g->w.k[0] * g->w.k[1] * g->w.k[2];
   g->crows = (g->full ? g->nOut : g->nIn) * kk;
   g->ccols = g->full ? volume(g->in) : volume(g->out);
   g->group = 1;
}

int nl_conv_check_grad_output(const nl_conv *g, const nl_tensor *gradOutput) {
   char s[NL_SHAPE_BUF], e[NL_SHAPE_BUF];
   if (gradOutput->_dtype != g->dt)
      return nl_errorf("%s: gradOutput is a %s, expected a %s", g->fn, nl_type_name(gradOutput), nl_dtypes[g->dt].name);
   int64_t want[5] = {g->N, g->nOut, g->out[0], g->out[1], g->out[2]};
   if (g->nd == 2) want[2] = g->out[1], want[3] = g->out[2];
   int first = !g->batch, n = 2 + g->nd;
   int ok = gradOutput->_ndim == n - first;
   for (int i = 0; ok && i < gradOutput->_ndim; i++) ok = gradOutput->_size[i] == want[i + first];
   if (ok) return 0;
   size_t at = 0;
   for (int i = first; i < n && at < sizeof e; i++)
      at += (size_t)snprintf(e + at, sizeof e - at, i > first ? "x%lld" : "%lld", (long long)want[i]);
   return nl_errorf("%s: gradOutput has size %s, expected %s", g->fn, nl_shape_str(s, sizeof s, gradOutput), e);
}

/* Images per GEMM for a batch: enough for ~GROUP_COLS columns, so that
 * layers with small outputs (LeNet's second convolution: 8x8) still run
 * GEMMs wide enough for the BLAS kernels, while every thread keeps work.
 * The transposed convolution runs image by image. */
#define GROUP_COLS 512
static void set_group(nl_conv *g, int nt) {
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
static int64_t col_elems(const nl_conv *g) {
   return g->group > 1 ? (g->crows + g->nOut) * g->ccols * g->group : g->crows * g->ccols;
}

static int resize_grid(nl_tensor *t, const nl_conv *g, int64_t C, const int64_t *grid) {
   int64_t sz[5] = {g->N, C, grid[0], grid[1], grid[2]};
   if (g->nd == 2) sz[2] = grid[1], sz[3] = grid[2];
   return nl_conv_resize(g->fn, t, g->batch, 2 + g->nd, sz);
}

static int resize_columns(nl_tensor *columns, const nl_conv *g, int nt) {
   int64_t sz[2] = {nt, col_elems(g)};
   return nl_conv_buffer(g->fn, "column buffer", columns, g->dt, 2, sz);
}

int nl_conv_prepare_forward(nl_conv *g, nl_tensor *output, nl_tensor *columns) {
   int nt = nl_conv_threads(g->N);
   set_group(g, nt);
   if (resize_grid(output, g, g->nOut, g->out) || resize_columns(columns, g, nt)) return -1;
   return nt;
}

int nl_conv_prepare_backward(nl_conv *g, nl_tensor *gradInput, nl_tensor *columns) {
   int nt = nl_conv_threads(g->N);
   set_group(g, nt);
   if (resize_grid(gradInput, g, g->nIn, g->in) || resize_columns(columns, g, nt)) return -1;
   return nt;
}

int nl_conv_prepare_acc_grad(nl_conv *g, nl_tensor *gradWeight, nl_tensor *columns, nl_tensor *partial) {
   if (partial->_dtype != g->dt)
      return nl_errorf("%s: the partial-sum buffer must be a %s", g->fn, nl_dtypes[g->dt].name);
   int nt = nl_conv_threads(g->N);
   set_group(g, nt);
   if (resize_columns(columns, g, nt) || nl_conv_partials(g->fn, partial, nt, nl_numel(gradWeight))) return -1;
   return nt;
}

/* ------------------------------------------------ one image, one group */

static void unfold(const nl_conv *g, void *col, const void *im, int64_t C, const int64_t *in, const int64_t *grid,
                   int64_t ld) {
   kern[g->dt].unfold(col, im, C, in, grid, &g->w, ld);
}
static void fold(const nl_conv *g, void *im, const void *col, int64_t C, const int64_t *in, const int64_t *grid,
                 int64_t ld) {
   kern[g->dt].fold(im, col, C, in, grid, &g->w, ld);
}

/* The GEMMs of a (not full) convolution, one per convolution group (one
 * in all when G <= 1), on cols columns; W (nOut, crows/G per group) is
 * the weight, C (crows, cols) the columns, O (nOut, cols) the planes.
 * op 0: O = W x C (forward); op 1: C = W^T x O (input gradient; a, b:
 * W, O); op 2 (tb 1): W += scale O x C^T (weight gradient; a, b: O, C;
 * out: the weight gradient). */
static void gemm_groups(const nl_conv *g, int ta, int tb, int64_t cols, double alpha, const char *a, const char *b,
                        int64_t ld, double beta, char *c, int64_t ldc) {
   int64_t G = g->G > 1 ? g->G : 1, no = g->nOut / G, kr = g->crows / G, es = g->es;
   for (int64_t i = 0; i < G; i++) {
      if (tb) /* weight gradient: c = gw (nOut, kr), a = O, b = C */
         nl_nn_gemm(g->dt, 0, 1, no, kr, cols, alpha, a + i * no * ld * es, ld, b + i * kr * ld * es, ld, beta,
                    c + i * no * kr * es, kr);
      else if (ta) /* input gradient: c = C, a = W, b = O */
         nl_nn_gemm(g->dt, 1, 0, kr, cols, no, alpha, a + i * no * kr * es, kr, b + i * no * ld * es, ld, beta,
                    c + i * kr * ldc * es, ldc);
      else /* forward: c = O, a = W, b = C */
         nl_nn_gemm(g->dt, 0, 0, no, cols, kr, alpha, a + i * no * kr * es, kr, b + i * kr * ld * es, ld, beta,
                    c + i * no * ldc * es, ldc);
   }
}

/* forward of one image: out (nOut, out) from in (nIn, in) */
static void forward_image(const nl_conv *g, char *out, const char *in, char *col, const char *wt) {
   if (!g->full) {
      unfold(g, col, in, g->nIn, g->in, g->out, g->ccols);
      /* out (nOut, cols) = weight (nOut, nIn*kk) x col (nIn*kk, cols), per
       * convolution group */
      gemm_groups(g, 0, 0, g->ccols, 1, wt, col, g->ccols, 0, out, g->ccols);
   } else {
      /* col (nOut*kk, in) = weight^T (nOut*kk, nIn) x in (nIn, in) */
      nl_nn_gemm(g->dt, 1, 0, g->crows, g->ccols, g->nIn, 1, wt, g->crows, in, g->ccols, 0, col, g->ccols);
      fold(g, out, col, g->nOut, g->out, g->in, g->ccols);
   }
}

/* input gradient of one image: gi (nIn, in) from go (nOut, out) */
static void backward_image(const nl_conv *g, char *gi, const char *go, char *col, const char *wt) {
   if (!g->full) {
      /* col (nIn*kk, cols) = weight^T x go (nOut, cols) */
      gemm_groups(g, 1, 0, g->ccols, 1, wt, go, g->ccols, 0, col, g->ccols);
      fold(g, gi, col, g->nIn, g->in, g->out, g->ccols);
   } else {
      unfold(g, col, go, g->nOut, g->out, g->in, g->ccols);
      /* gi (nIn, in) = weight (nIn, nOut*kk) x col (nOut*kk, in) */
      nl_nn_gemm(g->dt, 0, 0, g->nIn, g->ccols, g->crows, 1, wt, g->crows, col, g->ccols, 0, gi, g->ccols);
   }
}

/* weight gradient of one image, accumulated into gw */
static void acc_image(const nl_conv *g, char *gw, const char *in, const char *go, char *col, double scale) {
   if (!g->full) {
      unfold(g, col, in, g->nIn, g->in, g->out, g->ccols);
      /* gw (nOut, nIn*kk) += scale * go (nOut, cols) x col^T (cols, nIn*kk) */
      gemm_groups(g, 0, 1, g->ccols, scale, go, col, g->ccols, 1, gw, 0);
   } else {
      unfold(g, col, go, g->nOut, g->out, g->in, g->ccols);
      /* gw (nIn, nOut*kk) += scale * in (nIn, in) x col^T (in, nOut*kk) */
      nl_nn_gemm(g->dt, 0, 1, g->nIn, g->crows, g->ccols, scale, in, g->ccols, col, g->ccols, 1, gw, g->crows);
   }
}

/* Copies `count` blocks of (rows, S) between the image-major layout
 * (count, rows, S) and the grouped layout (rows, count*S) used as one GEMM
 * operand; to_group 1: image-major -> grouped. */
static void regroup(int es, char *grouped, char *images, int64_t count, int64_t rows, int64_t S, int to_group) {
   int64_t rb = S * es;
   for (int64_t k = 0; k < count; k++)
      for (int64_t r = 0; r < rows; r++) {
         char *a = grouped + (r * count + k) * rb, *b = images + (k * rows + r) * rb;
         if (to_group) memcpy(a, b, rb);
         else memcpy(b, a, rb);
      }
}

/* The same for `count` consecutive images (group > 1, convolution only):
 * their columns side by side, one GEMM, then the result regrouped. col
 * holds crows*count*ccols elements, then the scratch. */
static void forward_group(const nl_conv *g, char *out, const char *in, int64_t count, char *col, const char *wt) {
   int64_t P = g->ccols, ld = count * P, isz = g->nIn * volume(g->in) * g->es;
   char *scratch = col + g->crows * ld * g->es;
   for (int64_t k = 0; k < count; k++) unfold(g, col + k * P * g->es, in + k * isz, g->nIn, g->in, g->out, ld);
   gemm_groups(g, 0, 0, ld, 1, wt, col, ld, 0, scratch, ld);
   regroup(g->es, scratch, out, count, g->nOut, P, 0);
}

static void backward_group(const nl_conv *g, char *gi, const char *go, int64_t count, char *col, const char *wt) {
   int64_t P = g->ccols, ld = count * P, isz = g->nIn * volume(g->in) * g->es;
   char *scratch = col + g->crows * ld * g->es;
   regroup(g->es, scratch, (char *)go, count, g->nOut, P, 1);
   gemm_groups(g, 1, 0, ld, 1, wt, scratch, ld, 0, col, ld);
   for (int64_t k = 0; k < count; k++) fold(g, gi + k * isz, col + k * P * g->es, g->nIn, g->in, g->out, ld);
}

static void acc_group(const nl_conv *g, char *gw, const char *in, const char *go, int64_t count, char *col,
                      double scale) {
   int64_t P = g->ccols, ld = count * P, isz = g->nIn * volume(g->in) * g->es;
   char *scratch = col + g->crows * ld * g->es;
   for (int64_t k = 0; k < count; k++) unfold(g, col + k * P * g->es, in + k * isz, g->nIn, g->in, g->out, ld);
   regroup(g->es, scratch, (char *)go, count, g->nOut, P, 1);
   gemm_groups(g, 0, 1, ld, scale, scratch, col, ld, 1, gw, 0);
}

/* ------------------------------------------------------ the batch loop */

/* one call's pointers: a, b the image-major operands (output/input,
 * gradInput/gradOutput, input/gradOutput), their per-image bytes asz, bsz */
struct run {
   const nl_conv *g;
   char *a, *cols, *partial, *gw;
   const char *b, *wt, *bias;
   int64_t asz, bsz, csz, wbytes, bs;
   int nt;
   double scale;
};

static int64_t count_of(const nl_conv *g, int64_t n0) { return g->N - n0 < g->group ? g->N - n0 : g->group; }

static void forward_item(void *ctx, int64_t i, int tid) {
   const struct run *r = ctx;
   const nl_conv *g = r->g;
   int64_t n0 = i * g->group, count = count_of(g, n0);
   char *col = r->cols + tid * r->csz;
   if (g->group > 1) forward_group(g, r->a + n0 * r->asz, r->b + n0 * r->bsz, count, col, r->wt);
   else forward_image(g, r->a + n0 * r->asz, r->b + n0 * r->bsz, col, r->wt);
   for (int64_t n = n0; r->bias && n < n0 + count; n++)
      kern[g->dt].add_bias(r->a + n * r->asz, r->bias, r->bs, g->nOut, volume(g->out));
}

static void backward_item(void *ctx, int64_t i, int tid) {
   const struct run *r = ctx;
   const nl_conv *g = r->g;
   int64_t n0 = i * g->group, count = count_of(g, n0);
   char *col = r->cols + tid * r->csz;
   if (g->group > 1) backward_group(g, r->a + n0 * r->asz, r->b + n0 * r->bsz, count, col, r->wt);
   else backward_image(g, r->a + n0 * r->asz, r->b + n0 * r->bsz, col, r->wt);
}

static void acc_item(void *ctx, int64_t i, int tid) {
   const struct run *r = ctx;
   const nl_conv *g = r->g;
   int64_t n0 = i * g->group, count = count_of(g, n0);
   char *col = r->cols + tid * r->csz, *gw = r->nt > 1 ? r->partial + tid * r->wbytes : r->gw;
   if (g->group > 1) acc_group(g, gw, r->a + n0 * r->asz, r->b + n0 * r->bsz, count, col, r->scale);
   else acc_image(g, gw, r->a + n0 * r->asz, r->b + n0 * r->bsz, col, r->scale);
}

static int64_t groups(const nl_conv *g) { return (g->N + g->group - 1) / g->group; }

int nl_conv_forward(const nl_conv *g, int nt, nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                    const nl_tensor *weight, const nl_tensor *bias) {
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct run r = {.g = g, .a = nl_ptr(output), .b = nl_ptr(in), .cols = nl_ptr(columns), .wt = nl_ptr(weight),
                      .bias = bias ? nl_ptr(bias) : NULL, .bs = bias ? bias->_stride[0] : 0,
                      .asz = g->nOut * volume(g->out) * g->es, .bsz = g->nIn * volume(g->in) * g->es,
                      .csz = col_elems(g) * g->es, .nt = nt};
      nl_conv_batch(nt, groups(g), forward_item, &r);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

int nl_conv_backward(const nl_conv *g, int nt, nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *gradOutput,
                     const nl_tensor *weight) {
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) {
      struct run r = {.g = g, .a = nl_ptr(gradInput), .b = nl_ptr(go), .cols = nl_ptr(columns), .wt = nl_ptr(weight),
                      .asz = g->nIn * volume(g->in) * g->es, .bsz = g->nOut * volume(g->out) * g->es,
                      .csz = col_elems(g) * g->es, .nt = nt};
      nl_conv_batch(nt, groups(g), backward_item, &r);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

int nl_conv_acc_grad(const nl_conv *g, int nt, nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                     nl_tensor *partial, const nl_tensor *input, const nl_tensor *gradOutput, double scale) {
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   rc = rc || rc2;
   if (!rc && nt > 1) rc = nl_zero(partial);
   if (!rc && scale != 0) {
      int64_t wn = nl_numel(gradWeight);
      struct run r = {.g = g, .a = (char *)nl_ptr(in), .b = nl_ptr(go), .cols = nl_ptr(columns),
                      .gw = nl_ptr(gradWeight), .partial = nt > 1 ? nl_ptr(partial) : NULL,
                      .asz = g->nIn * volume(g->in) * g->es, .bsz = g->nOut * volume(g->out) * g->es,
                      .csz = col_elems(g) * g->es, .wbytes = wn * g->es, .nt = nt, .scale = scale};
      nl_conv_batch(nt, groups(g), acc_item, &r);
      if (nt > 1) kern[g->dt].sum_partials(r.gw, r.partial, nt, wn);
      if (gradBias)
         kern[g->dt].grad_bias(nl_ptr(gradBias), gradBias->_stride[0], r.b, g->N, g->nOut, volume(g->out), scale);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc ? -1 : 0;
}

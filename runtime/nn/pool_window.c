/* pool_window.c: max pooling over windows given by their start positions
 * and a dilation, over the last two or three dimensions of (N,)C,(T,)H,W:
 * SpatialDilatedMaxPooling, VolumetricDilatedMaxPooling (starts on a
 * stride, padding, dilation) and Spatial/VolumetricFractionalMaxPooling
 * (Torch7's pseudo-random starts from one sample per plane and
 * dimension). Indices are flat offsets in the plane, as the other max
 * poolings', so their backward passes are nl_spatial_max_pool_backward and
 * nl_volumetric_max_pool_backward. Per-dtype kernels in
 * pool_window_impl.h; planes run in parallel. */
#include "../backend.h"
#include "nn_common.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One pass: grids (T, H, W) (T = 1 for a spatial input); starts: out[0] +
 * out[1] + out[2] window starts, shared (sstride 0) or one set per plane
 * (sstride = their count); src/dst/ind contiguous. */
struct wpool {
   int64_t planes, in[3], out[3];
   int k[3], dil[3];
   const int64_t *starts;
   int64_t sstride;
   const void *src;
   void *dst;
   int64_t *ind;
};

/* the taps [i0, i1) of a window starting at s with k taps dil apart that
 * lie in [0, n) */
static inline void taps(int64_t s, int k, int dil, int64_t n, int *i0, int *i1) {
   int64_t a = s >= 0 ? 0 : (-s + dil - 1) / dil;
   int64_t b = n - s <= 0 ? 0 : (n - s + dil - 1) / dil;
   if (b > k) b = k;
   if (a > b) a = b;
   *i0 = (int)a;
   *i1 = (int)b;
}

#define NL_IMPL "nn/pool_window_impl.h"
#include "dtype_each_float.h"

static const nl_range_fn wmax[NL_NUM_DTYPES] = {[NL_FLOAT] = wmax_Float, [NL_DOUBLE] = wmax_Double};
typedef void (*starts_fn)(int64_t *, const void *, int64_t, int, const int *, const int64_t *, const int64_t *,
                          const int *);
static const starts_fn fstarts[NL_NUM_DTYPES] = {[NL_FLOAT] = fractional_starts_Float,
                                                 [NL_DOUBLE] = fractional_starts_Double};

/* input (N,)C,(T,)H,W with nd grid dimensions: the geometry's planes and
 * grid (a spatial grid is (1, H, W)) */
static int grid(const char *fn, struct wpool *w, const nl_tensor *input, int nd) {
   char s[NL_SHAPE_BUF];
   memset(w, 0, sizeof *w);
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != nd + 1 && input->_ndim != nd + 2)
      return nl_errorf(nd == 2 ? "%s: expected a 3D (C x H x W) or 4D (N x C x H x W) input, got %s"
                               : "%s: expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got %s",
                       fn, nl_shape_str(s, sizeof s, input));
   w->planes = 1;
   for (int i = 0; i < input->_ndim - nd; i++) w->planes *= input->_size[i];
   w->in[0] = 1;
   for (int i = 0; i < nd; i++) w->in[3 - nd + i] = input->_size[input->_ndim - nd + i];
   if (w->planes < 1 || w->in[0] < 1 || w->in[1] < 1 || w->in[2] < 1)
      return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   for (int i = 0; i < 3; i++) w->k[i] = w->dil[i] = 1;
   w->out[0] = 1;
   return 0;
}

/* output and indices shaped like input with the grid replaced by out */
static int resize_results(const char *fn, nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                          const struct wpool *w, int nd) {
   int64_t sz[5];
   if (nl_check_same_dtype(fn, output, input)) return -1;
   if (indices->_dtype != NL_LONG) return nl_errorf("%s: indices must be a LongTensor", fn);
   for (int i = 0; i < input->_ndim - nd; i++) sz[i] = input->_size[i];
   for (int i = 0; i < nd; i++) sz[input->_ndim - nd + i] = w->out[3 - nd + i];
   if (nl_tensor_resize(output, input->_ndim, sz) || nl_tensor_resize(indices, input->_ndim, sz)) return -1;
   if (!nl_tensor_is_contiguous(output) || !nl_tensor_is_contiguous(indices))
      return nl_errorf("%s: result tensors must be contiguous", fn);
   return 0;
}

/* the kernel over every plane, on a contiguous input */
static int run(struct wpool *w, const nl_tensor *input, nl_tensor *output, nl_tensor *indices) {
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      w->src = nl_ptr(in);
      w->dst = nl_ptr(output);
      w->ind = nl_ptr(indices);
      int64_t work = w->planes * w->out[0] * w->out[1] * w->out[2] * w->k[0] * w->k[1] * w->k[2];
      nl_parallel_for(w->planes, work, wmax[input->_dtype], w);
   }
   nl_tensor_release(&tmp);
   return rc ? -1 : 0;
}

/* Dilated geometry (grid dimensions d, T-H-W order): Torch7's output size
 * (ceil or floor), the last window starting inside the grid or its
 * leading padding; starts d*i - pad. */
static int dilated(const char *fn, struct wpool *w, int nd, const int *k, const int *d, const int *pad,
                   const int *dil, int ceil_mode) {
   for (int i = 3 - nd; i < 3; i++) {
      if (k[i] < 1 || d[i] < 1 || dil[i] < 1)
         return nl_errorf("%s: kernel size, stride and dilation must be positive", fn);
      if (pad[i] < 0 || pad[i] > k[i] / 2)
         return nl_errorf("%s: padding %d should be non-negative and at most half the kernel size %d", fn, pad[i],
                          k[i]);
      int64_t ek = (int64_t)dil[i] * (k[i] - 1) + 1, span = w->in[i] + 2 * pad[i] - ek;
      int64_t o = span < 0 ? 0 : (ceil_mode ? (span + d[i] - 1) / d[i] : span / d[i]) + 1;
      if (o > 0 && pad[i] && (o - 1) * d[i] >= w->in[i] + pad[i]) o--;
      if (o < 1)
         return nl_errorf("%s: input grid %lldx%lldx%lld (T x H x W) is too small for the kernel %lld (dilated) with "
                          "padding %d", fn, (long long)w->in[0], (long long)w->in[1], (long long)w->in[2],
                          (long long)ek, pad[i]);
      w->out[i] = o;
      w->k[i] = k[i];
      w->dil[i] = dil[i];
   }
   return 0;
}

static int64_t *dilated_starts(const struct wpool *w, const int *d, const int *pad) {
   int64_t *s = malloc(sizeof *s * (size_t)(w->out[0] + w->out[1] + w->out[2]));
   if (!s) {
      nl_errorf("nl_pool_window: out of memory");
      return NULL;
   }
   int64_t *p = s;
   for (int i = 0; i < 3; i++)
      for (int64_t o = 0; o < w->out[i]; o++) *p++ = o * d[i] - pad[i];
   return s;
}

NL_API int nl_spatial_dilated_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input, int kW,
                                               int kH, int dW, int dH, int padW, int padH, int dilW, int dilH,
                                               int ceil_mode) {
   const char *fn = "nn.SpatialDilatedMaxPooling";
   int k[3] = {1, kH, kW}, d[3] = {1, dH, dW}, pad[3] = {0, padH, padW}, dil[3] = {1, dilH, dilW};
   struct wpool w;
   if (grid(fn, &w, input, 2) || dilated(fn, &w, 2, k, d, pad, dil, ceil_mode) ||
       resize_results(fn, output, indices, input, &w, 2))
      return -1;
   NL_DEVICE_CALL(fn, spatial_dilated_max_pool_forward, (output, indices, input), output, indices, input, kW, kH, dW,
                  dH, padW, padH, dilW, dilH, ceil_mode);
   int64_t *s = dilated_starts(&w, d, pad);
   if (!s) return -1;
   w.starts = s;
   int rc = run(&w, input, output, indices);
   free(s);
   return rc;
}

NL_API int nl_volumetric_dilated_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                                  int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW,
                                                  int padH, int dilT, int dilW, int dilH, int ceil_mode) {
   const char *fn = "nn.VolumetricDilatedMaxPooling";
   int k[3] = {kT, kH, kW}, d[3] = {dT, dH, dW}, pad[3] = {padT, padH, padW}, dil[3] = {dilT, dilH, dilW};
   struct wpool w;
   if (grid(fn, &w, input, 3) || dilated(fn, &w, 3, k, d, pad, dil, ceil_mode) ||
       resize_results(fn, output, indices, input, &w, 3))
      return -1;
   NL_DEVICE_CALL(fn, volumetric_dilated_max_pool_forward, (output, indices, input), output, indices, input, kT, kW,
                  kH, dT, dW, dH, padT, padW, padH, dilT, dilW, dilH, ceil_mode);
   int64_t *s = dilated_starts(&w, d, pad);
   if (!s) return -1;
   w.starts = s;
   int rc = run(&w, input, output, indices);
   free(s);
   return rc;
}

/* Fractional geometry: grid dimension i (T-H-W order) pools pool[i] cells
 * into out[i]; samples (N, C, nd) of the input's dtype */
static int fractional(const char *fn, struct wpool *w, const nl_tensor *input, const nl_tensor *samples, int nd,
                      const int *out, const int *pool) {
   char a[NL_SHAPE_BUF];
   for (int i = 3 - nd; i < 3; i++) {
      if (pool[i] < 1 || out[i] < 1)
         return nl_errorf("%s: pool sizes and output sizes must be positive, got pool %d and output %d", fn, pool[i],
                          out[i]);
      if ((int64_t)pool[i] + out[i] - 1 > w->in[i])
         return nl_errorf("%s: input grid %lldx%lldx%lld (T x H x W) is too small for %d windows of %d "
                          "(pool size + output size - 1 must not exceed the input size)", fn, (long long)w->in[0],
                          (long long)w->in[1], (long long)w->in[2], out[i], pool[i]);
      w->out[i] = out[i];
      w->k[i] = pool[i];
   }
   if (nl_check_same_dtype(fn, samples, input)) return -1;
   int batch = input->_ndim == nd + 2;
   int ok = samples->_ndim == 3 && samples->_size[0] == (batch ? input->_size[0] : 1) &&
            samples->_size[1] == input->_size[batch] && samples->_size[2] == nd;
   if (!ok)
      return nl_errorf("%s: samples have size %s, expected %lldx%lldx%d (batch x planes x %d)", fn,
                       nl_shape_str(a, sizeof a, samples), (long long)(batch ? input->_size[0] : 1),
                       (long long)input->_size[batch], nd, nd);
   return 0;
}

/* sidx[i]: the sample of grid dimension i (T-H-W order) */
static int fractional_run(struct wpool *w, const nl_tensor *input, const nl_tensor *samples, nl_tensor *output,
                          nl_tensor *indices, int nd, const int *sidx) {
   int64_t per = w->out[0] + w->out[1] + w->out[2];
   int64_t *s = malloc(sizeof *s * (size_t)(per * w->planes));
   if (!s) return nl_errorf("nl_fractional_max_pool: out of memory");
   nl_tensor tmp;
   int rc;
   const nl_tensor *u = nl_nn_contig(samples, &tmp, &rc);
   if (!rc) {
      int pool[3] = {w->k[0], w->k[1], w->k[2]};
      fstarts[input->_dtype](s, nl_ptr(u), w->planes, nd, sidx, w->in, w->out, pool);
      w->starts = s;
      w->sstride = per;
      rc = run(w, input, output, indices);
   }
   nl_tensor_release(&tmp);
   free(s);
   return rc ? -1 : 0;
}

NL_API int nl_spatial_fractional_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                                  const nl_tensor *samples, int oW, int oH, int poolW, int poolH) {
   const char *fn = "nn.SpatialFractionalMaxPooling";
   int out[3] = {1, oH, oW}, pool[3] = {1, poolH, poolW}, sidx[3] = {0, 1, 0};
   struct wpool w;
   if (grid(fn, &w, input, 2) || fractional(fn, &w, input, samples, 2, out, pool) ||
       resize_results(fn, output, indices, input, &w, 2))
      return -1;
   NL_DEVICE_CALL(fn, spatial_fractional_max_pool_forward, (output, indices, input, samples), output, indices, input,
                  samples, oW, oH, poolW, poolH);
   return fractional_run(&w, input, samples, output, indices, 2, sidx);
}

NL_API int nl_volumetric_fractional_max_pool_forward(nl_tensor *output, nl_tensor *indices, const nl_tensor *input,
                                                     const nl_tensor *samples, int oT, int oW, int oH, int poolT,
                                                     int poolW, int poolH) {
   const char *fn = "nn.VolumetricFractionalMaxPooling";
   /* Torch7's layout: the last dimension takes T's size, pool and sample
    * 0, the one before W's (sample 1), the third-last H's (sample 2) */
   int out[3] = {oH, oW, oT}, pool[3] = {poolH, poolW, poolT}, sidx[3] = {2, 1, 0};
   struct wpool w;
   if (grid(fn, &w, input, 3) || fractional(fn, &w, input, samples, 3, out, pool) ||
       resize_results(fn, output, indices, input, &w, 3))
      return -1;
   NL_DEVICE_CALL(fn, volumetric_fractional_max_pool_forward, (output, indices, input, samples), output, indices,
                  input, samples, oT, oW, oH, poolT, poolW, poolH);
   return fractional_run(&w, input, samples, output, indices, 3, sidx);
}

/* spatial_misc.c: per-plane image modules over (N,)C,H,W inputs:
 * SpatialZero/Reflection/ReplicationPadding, SpatialUpSamplingNearest,
 * SpatialUpSamplingBilinear (Torch7's align-corners grid, computed in
 * float as THNN does) and SpatialCrossMapLRN. Front functions validate the
 * headers, resize the outputs and pass the device gate; the per-dtype
 * kernels (spatial_misc_impl.h) run planes (image, channel) in parallel,
 * LRN images. */
#include "../apply.h"
#include "../backend.h"
#include "nn_common.h"
#include <math.h>
#include <string.h>

/* what a kernel of spatial_misc_impl.h works on: element pointers (NULL
 * where a pass has none), (planes, H, W) in and (planes, oH, oW) out, and
 * the parameters of the module */
struct misc_ctx {
   void *out, *gin, *scale;
   const void *in, *gout;
   int64_t H, W, oH, oW;
   int64_t l, t, scale_factor; /* padding: left, top; nearest: the scale */
   int mode;                   /* padding: 0 zero, 1 reflection, 2 replication */
   int64_t C, S;               /* LRN: channels, H * W */
   int size;
   double alpha, beta, k;
};

/* source row/column of output position o, or -1 (zero) */
static inline int64_t pad_src(int64_t o, int64_t pad, int64_t n, int mode) {
   int64_t i = o - pad;
   if (i >= 0 && i < n) return i;
   if (mode == 0) return -1;
   if (mode == 1) return i < 0 ? -i : 2 * (n - 1) - i; /* reflection */
   return i < 0 ? 0 : n - 1;                            /* replication */
}

#define MCAT_(a, b) a##b
#define MCAT(a, b) MCAT_(a, b)
#define NL_IMPL "nn/spatial_misc_impl.h"
#include "dtype_each_float.h"

/* per-dtype kernels, indexed by dtype (float types only: planes_of
 * admits no other) */
#define FLOAT_KERNELS(prefix) { [NL_FLOAT] = prefix##Float, [NL_DOUBLE] = prefix##Double }
static const nl_range_fn pad_fwd[NL_NUM_DTYPES] = FLOAT_KERNELS(pad_fwd_);
static const nl_range_fn pad_bwd[NL_NUM_DTYPES] = FLOAT_KERNELS(pad_bwd_);
static const nl_range_fn nearest_fwd[NL_NUM_DTYPES] = FLOAT_KERNELS(nearest_fwd_);
static const nl_range_fn nearest_bwd[NL_NUM_DTYPES] = FLOAT_KERNELS(nearest_bwd_);
static const nl_range_fn bilinear_fwd[NL_NUM_DTYPES] = FLOAT_KERNELS(bilinear_fwd_);
static const nl_range_fn bilinear_bwd[NL_NUM_DTYPES] = FLOAT_KERNELS(bilinear_bwd_);
static const nl_range_fn lrn_fwd[NL_NUM_DTYPES] = FLOAT_KERNELS(lrn_fwd_);
static const nl_range_fn lrn_bwd[NL_NUM_DTYPES] = FLOAT_KERNELS(lrn_bwd_);

/* common front: float/double 3D/4D input */
static int planes_of(const char *fn, const nl_tensor *input, int64_t *P, int64_t *H, int64_t *W) {
   char s[NL_SHAPE_BUF];
   if (input->_dtype != NL_FLOAT && input->_dtype != NL_DOUBLE)
      return nl_errorf("%s: expected a FloatTensor or DoubleTensor input, got %s", fn, nl_type_name(input));
   if (input->_ndim != 3 && input->_ndim != 4)
      return nl_errorf("%s: expected a 3D (C x H x W) or 4D (N x C x H x W) input, got %s", fn,
                       nl_shape_str(s, sizeof s, input));
   *P = input->_ndim == 4 ? input->_size[0] * input->_size[1] : input->_size[0];
   *H = input->_size[input->_ndim - 2];
   *W = input->_size[input->_ndim - 1];
   if (*P < 1 || *H < 1 || *W < 1) return nl_errorf("%s: the input is empty (%s)", fn, nl_shape_str(s, sizeof s, input));
   return 0;
}

/* t resized to input's leading dims with the last two replaced */
static int resize_planes(const char *fn, nl_tensor *t, const nl_tensor *like, int64_t H, int64_t W) {
   int64_t sz[4];
   for (int i = 0; i < like->_ndim - 2; i++) sz[i] = like->_size[i];
   sz[like->_ndim - 2] = H;
   sz[like->_ndim - 1] = W;
   if (t->_dtype != like->_dtype) return nl_errorf("%s: result is a %s, expected a %s", fn, nl_type_name(t), nl_type_name(like));
   if (nl_tensor_resize(t, like->_ndim, sz)) return -1;
   if (!nl_tensor_is_contiguous(t)) return nl_errorf("%s: result tensors must be contiguous", fn);
   return 0;
}

/* gradOutput must be input's leading dims x oH x oW */
static int check_go(const char *fn, const nl_tensor *go, const nl_tensor *input, int64_t oH, int64_t oW) {
   char a[NL_SHAPE_BUF];
   int ok = go->_ndim == input->_ndim && go->_dtype == input->_dtype;
   for (int i = 0; ok && i < input->_ndim - 2; i++) ok = go->_size[i] == input->_size[i];
   ok = ok && go->_size[input->_ndim - 2] == oH && go->_size[input->_ndim - 1] == oW;
   if (!ok)
      return nl_errorf("%s: gradOutput is a %s of size %s, expected the output's size (%lldx%lld planes of the input's %s)",
                       fn, nl_type_name(go), nl_shape_str(a, sizeof a, go), (long long)oH, (long long)oW,
                       nl_type_name(input));
   return 0;
}

/* ---------------------------------------------------------- padding */

static const char *pad_name(int mode) {
   return mode == 0 ? "nn.SpatialZeroPadding" : mode == 1 ? "nn.SpatialReflectionPadding" : "nn.SpatialReplicationPadding";
}

static int pad_geometry(const char *fn, const nl_tensor *input, int l, int r, int t, int b, int mode, int64_t *P,
                        int64_t *H, int64_t *W, int64_t *oH, int64_t *oW) {
   if (mode < 0 || mode > 2) return nl_errorf("nl_spatial_padding: unknown mode %d", mode);
   if (planes_of(fn, input, P, H, W)) return -1;
   *oH = *H + t + b;
   *oW = *W + l + r;
   if (*oH < 1 || *oW < 1)
      return nl_errorf("%s: padding %d,%d,%d,%d of a %lldx%lld image leaves an empty output", fn, l, r, t, b,
                       (long long)*H, (long long)*W);
   /* a negative padding crops that side, in every mode (as Torch7's THNN) */
   if (mode == 1 && (l >= *W || r >= *W || t >= *H || b >= *H))
      return nl_errorf("%s: padding %d,%d,%d,%d must be smaller than the input image %lldx%lld", fn, l, r, t, b,
                       (long long)*H, (long long)*W);
   return 0;
}

NL_API int nl_spatial_padding_forward(nl_tensor *output, const nl_tensor *input, int l, int r, int t, int b, int mode) {
   const char *fn = pad_name(mode);
   int64_t P = 0, H = 0, W = 0, oH = 0, oW = 0;
   if (pad_geometry(fn, input, l, r, t, b, mode, &P, &H, &W, &oH, &oW) || resize_planes(fn, output, input, oH, oW))
      return -1;
   NL_DEVICE_CALL(fn, spatial_padding_forward, (output, input), output, input, l, r, t, b, mode);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct misc_ctx c = {.out = nl_ptr(output), .in = nl_ptr(in), .H = H, .W = W, .oH = oH, .oW = oW, .l = l, .t = t,
                           .mode = mode};
      nl_parallel_for(P, P * oH * oW, pad_fwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_padding_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput, int l,
                                       int r, int t, int b, int mode) {
   const char *fn = pad_name(mode);
   int64_t P = 0, H = 0, W = 0, oH = 0, oW = 0;
   if (pad_geometry(fn, input, l, r, t, b, mode, &P, &H, &W, &oH, &oW) || check_go(fn, gradOutput, input, oH, oW) ||
       resize_planes(fn, gradInput, input, H, W))
      return -1;
   NL_DEVICE_CALL(fn, spatial_padding_backward, (gradInput, input, gradOutput), gradInput, input, gradOutput, l, r, t, b,
                  mode);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_zero(gradInput);
   if (!rc) {
      struct misc_ctx c = {.gin = nl_ptr(gradInput), .gout = nl_ptr(go), .H = H, .W = W, .oH = oH, .oW = oW, .l = l,
                           .t = t, .mode = mode};
      nl_parallel_for(P, P * oH * oW, pad_bwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* ------------------------------------------------------- upsampling */

NL_API int nl_spatial_upsample_nearest_forward(nl_tensor *output, const nl_tensor *input, int scale) {
   const char *fn = "nn.SpatialUpSamplingNearest";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (scale < 1) return nl_errorf("%s: scale must be a positive integer, got %d", fn, scale);
   if (resize_planes(fn, output, input, H * scale, W * scale)) return -1;
   NL_DEVICE_CALL(fn, spatial_upsample_nearest_forward, (output, input), output, input, scale);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct misc_ctx c = {.out = nl_ptr(output), .in = nl_ptr(in), .H = H, .W = W, .scale_factor = scale};
      nl_parallel_for(P, P * H * scale * W * scale, nearest_fwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_upsample_nearest_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                const nl_tensor *gradOutput, int scale) {
   const char *fn = "nn.SpatialUpSamplingNearest";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (scale < 1) return nl_errorf("%s: scale must be a positive integer, got %d", fn, scale);
   if (check_go(fn, gradOutput, input, H * scale, W * scale) || resize_planes(fn, gradInput, input, H, W)) return -1;
   NL_DEVICE_CALL(fn, spatial_upsample_nearest_backward, (gradInput, input, gradOutput), gradInput, input, gradOutput,
                  scale);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_zero(gradInput);
   if (!rc) {
      struct misc_ctx c = {.gin = nl_ptr(gradInput), .gout = nl_ptr(go), .H = H, .W = W, .scale_factor = scale};
      nl_parallel_for(P, P * H * scale * W * scale, nearest_bwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_upsample_bilinear_forward(nl_tensor *output, const nl_tensor *input, int oH, int oW) {
   const char *fn = "nn.SpatialUpSamplingBilinear";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (oH < 1 || oW < 1) return nl_errorf("%s: the output size %dx%d must be positive", fn, oH, oW);
   if (resize_planes(fn, output, input, oH, oW)) return -1;
   NL_DEVICE_CALL(fn, spatial_upsample_bilinear_forward, (output, input), output, input, oH, oW);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct misc_ctx c = {.out = nl_ptr(output), .in = nl_ptr(in), .H = H, .W = W, .oH = oH, .oW = oW};
      nl_parallel_for(P, P * oH * oW, bilinear_fwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_upsample_bilinear_backward(nl_tensor *gradInput, const nl_tensor *input,
                                                 const nl_tensor *gradOutput, int oH, int oW) {
   const char *fn = "nn.SpatialUpSamplingBilinear";
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W) || check_go(fn, gradOutput, input, oH, oW) ||
       resize_planes(fn, gradInput, input, H, W))
      return -1;
   NL_DEVICE_CALL(fn, spatial_upsample_bilinear_backward, (gradInput, input, gradOutput), gradInput, input, gradOutput,
                  oH, oW);
   nl_tensor tmp;
   int rc;
   const nl_tensor *go = nl_nn_contig(gradOutput, &tmp, &rc);
   if (!rc) rc = nl_zero(gradInput);
   if (!rc) {
      struct misc_ctx c = {.gin = nl_ptr(gradInput), .gout = nl_ptr(go), .H = H, .W = W, .oH = oH, .oW = oW};
      nl_parallel_for(P, P * oH * oW, bilinear_bwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

/* ------------------------------------------------ cross-map LRN */

static int lrn_geometry(const char *fn, const nl_tensor *input, int size, int64_t *N, int64_t *Cn, int64_t *S) {
   int64_t P = 0, H = 0, W = 0;
   if (planes_of(fn, input, &P, &H, &W)) return -1;
   if (size < 1) return nl_errorf("%s: size must be positive, got %d", fn, size);
   *N = input->_ndim == 4 ? input->_size[0] : 1;
   *Cn = P / *N;
   *S = H * W;
   return 0;
}

NL_API int nl_spatial_lrn_forward(nl_tensor *output, nl_tensor *scale, const nl_tensor *input, int size, double alpha,
                                  double beta, double k) {
   const char *fn = "nn.SpatialCrossMapLRN";
   int64_t N = 0, Cn = 0, S = 0;
   if (lrn_geometry(fn, input, size, &N, &Cn, &S)) return -1;
   int64_t H = input->_size[input->_ndim - 2], W = input->_size[input->_ndim - 1];
   if (resize_planes(fn, output, input, H, W) || resize_planes(fn, scale, input, H, W)) return -1;
   NL_DEVICE_CALL(fn, spatial_lrn_forward, (output, scale, input), output, scale, input, size, alpha, beta, k);
   nl_tensor tmp;
   int rc;
   const nl_tensor *in = nl_nn_contig(input, &tmp, &rc);
   if (!rc) {
      struct misc_ctx c = {.out = nl_ptr(output), .scale = nl_ptr(scale), .in = nl_ptr(in), .C = Cn, .S = S,
                           .size = size, .alpha = alpha, .beta = beta, .k = k};
      nl_parallel_for(N, N * Cn * S, lrn_fwd[input->_dtype], &c);
   }
   nl_tensor_release(&tmp);
   return rc;
}

NL_API int nl_spatial_lrn_backward(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput,
                                   nl_tensor *output, nl_tensor *scale, int size, double alpha, double beta, double k) {
   const char *fn = "nn.SpatialCrossMapLRN";
   int64_t N = 0, Cn = 0, S = 0;
   if (lrn_geometry(fn, input, size, &N, &Cn, &S)) return -1;
   int64_t H = input->_size[input->_ndim - 2], W = input->_size[input->_ndim - 1];
   if (check_go(fn, gradOutput, input, H, W)) return -1;
   if (nl_numel(output) != nl_numel(input) || nl_numel(scale) != nl_numel(input) || output->_dtype != input->_dtype ||
       scale->_dtype != input->_dtype || !nl_tensor_is_contiguous(output) || !nl_tensor_is_contiguous(scale))
      return nl_errorf("%s: backward needs the forward of this input first", fn);
   if (resize_planes(fn, gradInput, input, H, W)) return -1;
   NL_DEVICE_CALL(fn, spatial_lrn_backward, (gradInput, input, gradOutput, output, scale), gradInput, input, gradOutput,
                  output, scale, size, alpha, beta, k);
   nl_tensor t1, t2;
   int rc, rc2;
   const nl_tensor *in = nl_nn_contig(input, &t1, &rc);
   const nl_tensor *go = nl_nn_contig(gradOutput, &t2, &rc2);
   if (!rc && !rc2) {
      struct misc_ctx c = {.out = nl_ptr(output), .scale = nl_ptr(scale), .in = nl_ptr(in), .gin = nl_ptr(gradInput),
                           .gout = nl_ptr(go), .C = Cn, .S = S, .size = size, .alpha = alpha, .beta = beta, .k = k};
      nl_parallel_for(N, N * Cn * S, lrn_bwd[input->_dtype], &c);
   }
   nl_tensor_release(&t1);
   nl_tensor_release(&t2);
   return rc || rc2 ? -1 : 0;
}

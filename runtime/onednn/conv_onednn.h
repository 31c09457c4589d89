/* conv_onednn.h: the interface between libnnlua (runtime/nn/conv_engine.c)
 * and libnnlua_dnnl.so (conv_onednn.c), the optional oneDNN convolution
 * engine. libnnlua loads the library with dlopen, so it never requires
 * oneDNN; this header names no oneDNN type.
 *
 * Every tensor is a contiguous float array in Torch7's layouts: images
 * NCHW, weights K x C x kH x kW (nOut x nIn x kH x kW), biases K. The
 * library reorders to and from oneDNN's blocked layouts itself. */
#ifndef NL_CONV_ONEDNN_H
#define NL_CONV_ONEDNN_H

/* one 2-D convolution: input (N, C, H, W) -> output (N, K, oH, oW) */
typedef struct nl_dnnl_geom {
   int N, C, H, W, K, kH, kW, sH, sW, padH, padW, dilH, dilW, oH, oW;
} nl_dnnl_geom;

#define NL_DNNL_ABI 1

/* Each function returns 0, or -1 with a message for error(). */
typedef struct nl_dnnl_api {
   int abi;
   /* out (N, K, oH, oW) = conv(in, w) + bias (NULL: none) */
   int (*forward)(const nl_dnnl_geom *g, float *out, const float *in, const float *w, const float *bias);
   /* gin (N, C, H, W) = the input gradient of gout (N, K, oH, oW) */
   int (*backward_data)(const nl_dnnl_geom *g, float *gin, const float *gout, const float *w);
   /* gw (K, C, kH, kW) += scale * dL/dw; gb[k * gbs] += scale * dL/db
    * (gb NULL: none) */
   int (*backward_weights)(const nl_dnnl_geom *g, float *gw, float *gb, long gbs, const float *in, const float *gout,
                           double scale);
   const char *(*error)(void);
} nl_dnnl_api;

/* the one symbol libnnlua_dnnl.so exports */
typedef const nl_dnnl_api *(*nl_dnnl_api_fn)(void);
#define NL_DNNL_API_SYMBOL "nl_dnnl_get_api"

#endif

// conv.cu: the CUDA backend's convolutions, mirroring runtime/nn/
// conv_spatial.c (plain, dilated, transposed, grouped), conv_volumetric.c
// (plain, dilated, transposed) and conv_temporal.c. The front functions
// there have checked every size and dtype and resized the results (all
// contiguous) before the gate sends CUDA tensors here; weights are
// contiguous in Torch7's layouts, inputs and gradOutputs may be strided
// (a contiguous copy is made), bias and gradBias may be strided vectors.
//
// Each pass is one of the three products of conv_cuda.h. It runs on cuDNN
// where the library was built with it and takes the shape
// (conv_cudnn.cu), otherwise here: im2col (unfold) of a chunk of images
// into columns (Cb * k, B * P) -- the B images' columns side by side, so
// one cuBLAS GEMM per convolution group covers the chunk -- then col2im
// (a gather, one thread per element: no atomics, deterministic) for the
// data gradient. The kernels are plain grid-stride loops (plus one
// shared-memory reduction for the bias gradient).
#include "conv_cuda.h"
#include <cublas_v2.h>
#include <limits.h>

static const int THREADS = 256;

// ---------------------------------------------------------------- cuBLAS

static cublasHandle_t blas;

static int need_blas(const char *fn) {
   cublasStatus_t st;
   if (!blas && (st = cublasCreate(&blas)) != CUBLAS_STATUS_SUCCESS) {
      blas = nullptr;
      return nl_errorf("%s: cannot create a cuBLAS handle (%s)", fn, cublasGetStatusName(st));
   }
   return 0;
}

static cublasStatus_t gemm_t(cublasOperation_t a, cublasOperation_t b, int m, int n, int k, const float *alpha,
                             const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc) {
   return cublasSgemm(blas, a, b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
static cublasStatus_t gemm_t(cublasOperation_t a, cublasOperation_t b, int m, int n, int k, const double *alpha,
                             const double *A, int lda, const double *B, int ldb, const double *beta, double *C,
                             int ldc) {
   return cublasDgemm(blas, a, b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

// Row-major C (m, n) = alpha op(A) (m, k) op(B) (k, n) + beta C, as the
// column-major product C^T = op(B)^T op(A)^T.
template <typename T>
static int gemm(const char *fn, bool ta, bool tb, int64_t m, int64_t n, int64_t k, double alpha, const T *A,
                int64_t lda, const T *B, int64_t ldb, double beta, T *C, int64_t ldc) {
   if (m == 0 || n == 0) return 0;
   int64_t v[6] = {m, n, k, lda, ldb, ldc};
   for (int i = 0; i < 6; i++)
      if (v[i] > INT_MAX) return nl_errorf("%s: a GEMM size of %lld exceeds cuBLAS's int limit", fn, (long long)v[i]);
   if (need_blas(fn)) return -1;
   T al = (T)alpha, be = (T)beta;
   cublasStatus_t st = gemm_t(tb ? CUBLAS_OP_T : CUBLAS_OP_N, ta ? CUBLAS_OP_T : CUBLAS_OP_N, (int)n, (int)m, (int)k,
                              &al, B, (int)ldb, A, (int)lda, &be, C, (int)ldc);
   if (st != CUBLAS_STATUS_SUCCESS) return nl_errorf("%s: cuBLAS error %s", fn, cublasGetStatusName(st));
   return 0;
}

// --------------------------------------------------------------- kernels

// The window by value: big and small grids, kernel, stride, padding,
// dilation; B images of Cb planes, P = small grid volume.
struct win {
   int64_t bg[3], sg[3];
   int k[3], d[3], pad[3], dil[3];
   int64_t B, Cb, P, Pb;
};

// col (Cb*kk, B*P): row (c, a, i, j), column (b, z, y, x) holds big image
// b's element [c][z d0 - p0 + a l0][y d1 - p1 + i l1][x d2 - p2 + j l2]
// (0 outside)
template <typename T> __global__ void im2col_kernel(const T *big, T *col, win w, int64_t n) {
   int64_t ld = w.B * w.P;
   NL_CUDA_LOOP(e, n) {
      int64_t cix = e % ld, row = e / ld;
      int64_t b = cix / w.P, s = cix % w.P;
      int64_t x = s % w.sg[2], y = (s / w.sg[2]) % w.sg[1], z = s / (w.sg[2] * w.sg[1]);
      int64_t j = row % w.k[2], i = (row / w.k[2]) % w.k[1], a = (row / ((int64_t)w.k[2] * w.k[1])) % w.k[0];
      int64_t c = row / ((int64_t)w.k[2] * w.k[1] * w.k[0]);
      int64_t bz = z * w.d[0] - w.pad[0] + a * w.dil[0], by = y * w.d[1] - w.pad[1] + i * w.dil[1];
      int64_t bx = x * w.d[2] - w.pad[2] + j * w.dil[2];
      T v = 0;
      if (bz >= 0 && bz < w.bg[0] && by >= 0 && by < w.bg[1] && bx >= 0 && bx < w.bg[2])
         v = big[((b * w.Cb + c) * w.bg[0] + bz) * w.bg[1] * w.bg[2] + by * w.bg[2] + bx];
      col[e] = v;
   }
}

// the adjoint: each big element (b, c, bz, by, bx) = the sum of the column
// entries that im2col took from it
template <typename T> __global__ void col2im_kernel(const T *col, T *big, win w, int64_t n) {
   int64_t ld = w.B * w.P;
   NL_CUDA_LOOP(e, n) {
      int64_t bx = e % w.bg[2], by = (e / w.bg[2]) % w.bg[1], bz = (e / (w.bg[2] * w.bg[1])) % w.bg[0];
      int64_t c = (e / w.Pb) % w.Cb, b = e / (w.Pb * w.Cb);
      T acc = 0;
      for (int a = 0; a < w.k[0]; a++) {
         int64_t tz = bz + w.pad[0] - (int64_t)a * w.dil[0];
         if (tz < 0 || tz % w.d[0]) continue;
         int64_t z = tz / w.d[0];
         if (z >= w.sg[0]) continue;
         for (int i = 0; i < w.k[1]; i++) {
            int64_t ty = by + w.pad[1] - (int64_t)i * w.dil[1];
            if (ty < 0 || ty % w.d[1]) continue;
            int64_t y = ty / w.d[1];
            if (y >= w.sg[1]) continue;
            for (int j = 0; j < w.k[2]; j++) {
               int64_t tx = bx + w.pad[2] - (int64_t)j * w.dil[2];
               if (tx < 0 || tx % w.d[2]) continue;
               int64_t x = tx / w.d[2];
               if (x >= w.sg[2]) continue;
               int64_t row = ((c * w.k[0] + a) * w.k[1] + i) * w.k[2] + j;
               acc += col[row * ld + b * w.P + (z * w.sg[1] + y) * w.sg[2] + x];
            }
         }
      }
      big[e] = acc;
   }
}

// (B, C, P) image-major <-> (C, B*P) plane-major
template <typename T>
__global__ void to_planes_kernel(const T *src, T *dst, int64_t B, int64_t C, int64_t P, int64_t n) {
   NL_CUDA_LOOP(e, n) {
      int64_t p = e % P, c = (e / P) % C, b = e / (P * C);
      dst[c * B * P + b * P + p] = src[e];
   }
}
template <typename T>
__global__ void from_planes_kernel(const T *src, T *dst, int64_t B, int64_t C, int64_t P, int64_t n) {
   NL_CUDA_LOOP(e, n) {
      int64_t p = e % P, c = (e / P) % C, b = e / (P * C);
      dst[e] = src[c * B * P + b * P + p];
   }
}

// out (B, C, P) += bias[c * bs]
template <typename T>
__global__ void add_bias_kernel(T *out, const T *bias, int64_t bs, int64_t C, int64_t P, int64_t n) {
   NL_CUDA_LOOP(e, n) out[e] += bias[((e / P) % C) * bs];
}

// gb[c * gbs] += scale * sum over b, p of go (B, C, P): one block per
// plane, the block's partial sums reduced in shared memory (in double)
template <typename T>
__global__ void grad_bias_kernel(T *gb, int64_t gbs, const T *go, int64_t B, int64_t C, int64_t P, double scale) {
   __shared__ double part[THREADS];
   for (int64_t c = blockIdx.x; c < C; c += gridDim.x) {
      double s = 0;
      for (int64_t i = threadIdx.x; i < B * P; i += blockDim.x)
         s += (double)go[((i / P) * C + c) * P + i % P];
      part[threadIdx.x] = s;
      __syncthreads();
      for (int h = blockDim.x / 2; h > 0; h /= 2) {
         if ((int)threadIdx.x < h) part[threadIdx.x] += part[threadIdx.x + h];
         __syncthreads();
      }
      if (threadIdx.x == 0) gb[c * gbs] += (T)(scale * part[0]);
      __syncthreads();
   }
}

#define LAUNCH(kernel, n, ...)                                                                                         \
   do {                                                                                                                \
      if ((n) > 0) kernel<<<nl_cuda_blocks((n), THREADS), THREADS>>>(__VA_ARGS__, (n));                                \
   } while (0)

static int launched(const char *fn) {
   NL_CUDA_CHECK(fn, cudaGetLastError());
   return 0;
}

// ------------------------------------------------------ the three passes

// Images per chunk: the columns (Cb*kk, B*P) and the plane-major small
// side (Cs, B*P) of a chunk stay under 256 MB, and B*P inside int.
static int64_t chunk_of(const nl_cuda_conv *g, int es) {
   int64_t kk = (int64_t)g->k[0] * g->k[1] * g->k[2], P = nl_cuda_conv_vol(g->sg);
   int64_t per = (g->Cb * kk + g->Cs) * P * es, B = ((int64_t)256 << 20) / (per > 0 ? per : 1);
   if (B > INT_MAX / (P > 0 ? P : 1)) B = INT_MAX / (P > 0 ? P : 1);
   if (B > g->N) B = g->N;
   return B < 1 ? 1 : B;
}

static win win_of(const nl_cuda_conv *g, int64_t B) {
   win w;
   for (int i = 0; i < 3; i++) {
      w.bg[i] = g->bg[i], w.sg[i] = g->sg[i];
      w.k[i] = g->k[i], w.d[i] = g->d[i], w.pad[i] = g->pad[i], w.dil[i] = g->dil[i];
   }
   w.B = B, w.Cb = g->Cb, w.P = nl_cuda_conv_vol(g->sg), w.Pb = nl_cuda_conv_vol(g->bg);
   return w;
}

// A scratch area of n elements: the layer's column buffer (grown when
// short: the front function sized it for the CPU's threads) or, without
// one, a block from the caching allocator held by tmp.
static void *scratch_of(nl_tensor *columns, nl_cuda_tmp &tmp, int64_t n, int *rc) {
   nl_tensor *t = columns ? columns : &tmp.t;
   *rc = 0;
   if (nl_numel(t) < n || !nl_tensor_is_contiguous(t)) *rc = nl_tensor_resize(t, 1, &n);
   return *rc ? nullptr : nl_ptr(t);
}

// One pass on contiguous device buffers (conv_cuda.h's terms).
template <typename T>
static int fallback(int pass, const nl_cuda_conv *g, T *big, T *small, T *wt, double scale, nl_tensor *columns) {
   const char *fn = g->fn;
   int64_t kk = (int64_t)g->k[0] * g->k[1] * g->k[2], crows = g->Cb * kk, P = nl_cuda_conv_vol(g->sg);
   int64_t Pb = nl_cuda_conv_vol(g->bg), G = g->G > 1 ? g->G : 1, cs = g->Cs / G, kr = crows / G;
   int64_t B = chunk_of(g, sizeof(T));
   int64_t ncol = crows * B * P, npl = B > 1 ? g->Cs * B * P : 0;
   nl_cuda_tmp tmp(g->dt, NL_CUDA);
   int rc;
   T *col = (T *)scratch_of(columns, tmp, ncol + npl, &rc);
   if (rc) return -1;
   for (int64_t n0 = 0; n0 < g->N; n0 += B) {
      int64_t b = g->N - n0 < B ? g->N - n0 : B, ld = b * P;
      win w = win_of(g, b);
      T *bi = big + n0 * g->Cb * Pb, *si = small + n0 * g->Cs * P;
      // with one image the small side is already plane-major
      T *pl = b == 1 ? si : col + ncol;
      if (pass != NL_CONV_BWD_DATA) LAUNCH(im2col_kernel<T>, crows * ld, bi, col, w);
      if (pass != NL_CONV_FWD && b > 1) LAUNCH(to_planes_kernel<T>, g->Cs * ld, si, pl, b, g->Cs, P);
      if (launched(fn)) return -1;
      for (int64_t q = 0; q < G; q++) {
         const T *wq = wt + q * cs * kr;
         if (pass == NL_CONV_FWD) // small (cs, ld) = W (cs, kr) x col (kr, ld)
            rc = gemm<T>(fn, false, false, cs, ld, kr, 1, wq, kr, col + q * kr * ld, ld, 0, pl + q * cs * ld, ld);
         else if (pass == NL_CONV_BWD_DATA) // col (kr, ld) = W^T x small (cs, ld)
            rc = gemm<T>(fn, true, false, kr, ld, cs, 1, wq, kr, pl + q * cs * ld, ld, 0, col + q * kr * ld, ld);
         else // W (cs, kr) += scale small (cs, ld) x col^T (ld, kr)
            rc = gemm<T>(fn, false, true, cs, kr, ld, scale, pl + q * cs * ld, ld, col + q * kr * ld, ld, 1,
                         wt + q * cs * kr, kr);
         if (rc) return -1;
      }
      if (pass == NL_CONV_FWD && b > 1) LAUNCH(from_planes_kernel<T>, g->Cs * ld, pl, si, b, g->Cs, P);
      if (pass == NL_CONV_BWD_DATA) LAUNCH(col2im_kernel<T>, b * g->Cb * Pb, col, bi, w);
      if (launched(fn)) return -1;
   }
   return 0;
}

template <typename F> static int by_dtype(int dt, F f) {
   return dt == NL_FLOAT ? f.template run<float>() : f.template run<double>();
}

struct Pass {
   int pass;
   const nl_cuda_conv *g;
   void *big, *small, *wt;
   double scale;
   nl_tensor *columns;
   template <typename T> int run() { return fallback<T>(pass, g, (T *)big, (T *)small, (T *)wt, scale, columns); }
};

// cuDNN first (its workspace may be the column buffer), else the fallback
static int run_pass(int pass, const nl_cuda_conv *g, void *big, void *small, void *wt, double scale,
                    nl_tensor *columns) {
   int rc = nl_cudnn_conv(pass, g, big, small, wt, scale, columns);
   if (rc <= 0) return rc;
   nl_cudnn_count(1);
   return by_dtype(g->dt, Pass{pass, g, big, small, wt, scale, columns});
}

// out (B, C, P) += bias; gb += scale * the sums of go (B, C, P) per plane
struct Bias {
   nl_tensor *out;
   const nl_tensor *bias;
   int64_t B, C, P;
   template <typename T> int run() {
      LAUNCH(add_bias_kernel<T>, B * C * P, (T *)nl_ptr(out), (const T *)nl_ptr(bias), bias->_stride[0], C, P);
      return launched("bias");
   }
};
struct GradBias {
   nl_tensor *gb;
   const nl_tensor *go;
   int64_t B, C, P;
   double scale;
   template <typename T> int run() {
      int blocks = (int)(C < 4096 ? C : 4096);
      if (blocks > 0)
         grad_bias_kernel<T>
             <<<blocks, THREADS>>>((T *)nl_ptr(gb), gb->_stride[0], (const T *)nl_ptr(go), B, C, P, scale);
      return launched("gradBias");
   }
};

// ---------------------------------------------------- the layer entries

// A layer's arguments: grids (T, H, W), adj for the transposed form
struct layer {
   const char *fn;
   int nd, full;
   int64_t nIn, nOut, G;
   int k[3], d[3], pad[3], dil[3], adj[3];
};

// The geometry the front function has already checked, from the input
static nl_cuda_conv geom(const layer &L, const nl_tensor *input) {
   nl_cuda_conv g;
   int batch = input->_ndim == L.nd + 2;
   int64_t in[3] = {1, 1, 1}, out[3];
   for (int i = 0; i < L.nd; i++)
      in[3 - L.nd + i] = input->_size[batch + 1 + i];
   for (int i = 0; i < 3; i++) {
      int64_t ek = (int64_t)L.dil[i] * (L.k[i] - 1) + 1;
      out[i] = L.full ? (in[i] - 1) * L.d[i] - 2 * L.pad[i] + ek + L.adj[i] : (in[i] + 2 * L.pad[i] - ek) / L.d[i] + 1;
   }
   g.fn = L.fn;
   g.nd = L.nd;
   g.dt = input->_dtype;
   g.N = batch ? input->_size[0] : 1;
   g.Cb = L.full ? L.nOut : L.nIn;
   g.Cs = L.full ? L.nIn : L.nOut;
   g.G = L.G > 1 ? L.G : 1;
   for (int i = 0; i < 3; i++) {
      g.bg[i] = L.full ? out[i] : in[i];
      g.sg[i] = L.full ? in[i] : out[i];
      g.k[i] = L.k[i], g.d[i] = L.d[i], g.pad[i] = L.pad[i], g.dil[i] = L.dil[i];
   }
   return g;
}

static int64_t out_planes_vol(const nl_cuda_conv &g, int full) { return nl_cuda_conv_vol(full ? g.bg : g.sg); }

static int layer_forward(const layer &L, nl_tensor *output, nl_tensor *columns, const nl_tensor *input,
                         const nl_tensor *weight, const nl_tensor *bias) {
   nl_cuda_tmp ti(input->_dtype, NL_CUDA);
   int rc;
   const nl_tensor *in = nl_cuda_contig(ti, input, &rc);
   if (rc) return -1;
   nl_cuda_conv g = geom(L, input);
   void *w = nl_ptr(weight);
   rc = L.full ? run_pass(NL_CONV_BWD_DATA, &g, nl_ptr(output), nl_ptr(in), w, 1, columns)
               : run_pass(NL_CONV_FWD, &g, nl_ptr(in), nl_ptr(output), w, 1, columns);
   if (rc || !bias) return rc;
   return by_dtype(g.dt, Bias{output, bias, g.N, L.nOut, out_planes_vol(g, L.full)});
}

static int layer_backward(const layer &L, nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input,
                          const nl_tensor *gradOutput, const nl_tensor *weight) {
   nl_cuda_tmp tg(gradOutput->_dtype, NL_CUDA);
   int rc;
   const nl_tensor *go = nl_cuda_contig(tg, gradOutput, &rc);
   if (rc) return -1;
   nl_cuda_conv g = geom(L, input);
   void *w = nl_ptr(weight);
   return L.full ? run_pass(NL_CONV_FWD, &g, nl_ptr(go), nl_ptr(gradInput), w, 1, columns)
                 : run_pass(NL_CONV_BWD_DATA, &g, nl_ptr(gradInput), nl_ptr(go), w, 1, columns);
}

static int layer_acc_grad(const layer &L, nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns,
                          const nl_tensor *input, const nl_tensor *gradOutput, double scale) {
   if (scale == 0) return 0; // as the CPU driver: nothing added
   nl_cuda_tmp ti(input->_dtype, NL_CUDA), tg(gradOutput->_dtype, NL_CUDA);
   int rc, rc2;
   const nl_tensor *in = nl_cuda_contig(ti, input, &rc), *go = nl_cuda_contig(tg, gradOutput, &rc2);
   if (rc || rc2) return -1;
   nl_cuda_conv g = geom(L, input);
   void *gw = nl_ptr(gradWeight);
   rc = L.full ? run_pass(NL_CONV_BWD_FILTER, &g, nl_ptr(go), nl_ptr(in), gw, scale, columns)
               : run_pass(NL_CONV_BWD_FILTER, &g, nl_ptr(in), nl_ptr(go), gw, scale, columns);
   if (rc || !gradBias) return rc;
   return by_dtype(g.dt, GradBias{gradBias, go, g.N, L.nOut, out_planes_vol(g, L.full), scale});
}

// 2-D layers: the window is (1, kH, kW)
static layer spatial(const char *fn, int full, int nIn, int nOut, int kW, int kH, int dW, int dH, int padW, int padH,
                     int dilW, int dilH, int adjW, int adjH, int groups) {
   layer L = {
       fn, 2, full, nIn, nOut, groups, {1, kH, kW}, {1, dH, dW}, {0, padH, padW}, {1, dilH, dilW}, {0, adjH, adjW}};
   return L;
}
// 3-D layers: arguments come as T, W, H
static layer volumetric(const char *fn, int full, int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH,
                        int padT, int padW, int padH, int dilT, int dilW, int dilH, int adjT, int adjW, int adjH) {
   layer L = {fn,
              3,
              full,
              nIn,
              nOut,
              1,
              {kT, kH, kW},
              {dT, dH, dW},
              {padT, padH, padW},
              {dilT, dilH, dilW},
              {adjT, adjH, adjW}};
   return L;
}

#define SPATIAL_ARGS int nIn, int nOut, int kW, int kH, int dW, int dH, int padW, int padH
#define VOL_ARGS int nIn, int nOut, int kT, int kW, int kH, int dT, int dW, int dH, int padT, int padW, int padH
#define FWD_ARGS                                                                                                       \
   nl_tensor *output, nl_tensor *columns, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *bias
#define BWD_ARGS                                                                                                       \
   nl_tensor *gradInput, nl_tensor *columns, const nl_tensor *input, const nl_tensor *gradOutput,                      \
       const nl_tensor *weight
#define ACC_ARGS                                                                                                       \
   nl_tensor *gradWeight, nl_tensor *gradBias, nl_tensor *columns, nl_tensor *partial, const nl_tensor *input,         \
       const nl_tensor *gradOutput

static const char *SC = "nn.SpatialConvolution", *SF = "nn.SpatialFullConvolution",
                  *SG = "nn.SpatialDepthWiseConvolution", *VC = "nn.VolumetricConvolution",
                  *VD = "nn.VolumetricDilatedConvolution", *VF = "nn.VolumetricFullConvolution";

static int sc_fwd(FWD_ARGS, SPATIAL_ARGS, int dilW, int dilH) {
   return layer_forward(spatial(SC, 0, nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH, 0, 0, 1), output, columns,
                        input, weight, bias);
}
static int sc_bwd(BWD_ARGS, SPATIAL_ARGS, int dilW, int dilH) {
   return layer_backward(spatial(SC, 0, nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH, 0, 0, 1), gradInput, columns,
                         input, gradOutput, weight);
}
static int sc_acc(ACC_ARGS, SPATIAL_ARGS, int dilW, int dilH, double scale) {
   (void)partial;
   return layer_acc_grad(spatial(SC, 0, nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH, 0, 0, 1), gradWeight,
                         gradBias, columns, input, gradOutput, scale);
}
static int sf_fwd(FWD_ARGS, SPATIAL_ARGS, int adjW, int adjH) {
   return layer_forward(spatial(SF, 1, nIn, nOut, kW, kH, dW, dH, padW, padH, 1, 1, adjW, adjH, 1), output, columns,
                        input, weight, bias);
}
static int sf_bwd(BWD_ARGS, SPATIAL_ARGS, int adjW, int adjH) {
   return layer_backward(spatial(SF, 1, nIn, nOut, kW, kH, dW, dH, padW, padH, 1, 1, adjW, adjH, 1), gradInput, columns,
                         input, gradOutput, weight);
}
static int sf_acc(ACC_ARGS, SPATIAL_ARGS, int adjW, int adjH, double scale) {
   (void)partial;
   return layer_acc_grad(spatial(SF, 1, nIn, nOut, kW, kH, dW, dH, padW, padH, 1, 1, adjW, adjH, 1), gradWeight,
                         gradBias, columns, input, gradOutput, scale);
}
static int sg_fwd(FWD_ARGS, SPATIAL_ARGS, int groups) {
   return layer_forward(spatial(SG, 0, nIn, nOut, kW, kH, dW, dH, padW, padH, 1, 1, 0, 0, groups), output, columns,
                        input, weight, bias);
}
static int sg_bwd(BWD_ARGS, SPATIAL_ARGS, int groups) {
   return layer_backward(spatial(SG, 0, nIn, nOut, kW, kH, dW, dH, padW, padH, 1, 1, 0, 0, groups), gradInput, columns,
                         input, gradOutput, weight);
}
static int sg_acc(ACC_ARGS, SPATIAL_ARGS, int groups, double scale) {
   (void)partial;
   return layer_acc_grad(spatial(SG, 0, nIn, nOut, kW, kH, dW, dH, padW, padH, 1, 1, 0, 0, groups), gradWeight,
                         gradBias, columns, input, gradOutput, scale);
}

#define VPLAIN(fn) volumetric(fn, 0, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH, 1, 1, 1, 0, 0, 0)
#define VDIL(fn) volumetric(fn, 0, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH, dilT, dilW, dilH, 0, 0, 0)
#define VFULL(fn) volumetric(fn, 1, nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH, 1, 1, 1, adjT, adjW, adjH)

static int vc_fwd(FWD_ARGS, VOL_ARGS) { return layer_forward(VPLAIN(VC), output, columns, input, weight, bias); }
static int vc_bwd(BWD_ARGS, VOL_ARGS) {
   return layer_backward(VPLAIN(VC), gradInput, columns, input, gradOutput, weight);
}
static int vc_acc(ACC_ARGS, VOL_ARGS, double scale) {
   (void)partial;
   return layer_acc_grad(VPLAIN(VC), gradWeight, gradBias, columns, input, gradOutput, scale);
}
static int vd_fwd(FWD_ARGS, VOL_ARGS, int dilT, int dilW, int dilH) {
   return layer_forward(VDIL(VD), output, columns, input, weight, bias);
}
static int vd_bwd(BWD_ARGS, VOL_ARGS, int dilT, int dilW, int dilH) {
   return layer_backward(VDIL(VD), gradInput, columns, input, gradOutput, weight);
}
static int vd_acc(ACC_ARGS, VOL_ARGS, int dilT, int dilW, int dilH, double scale) {
   (void)partial;
   return layer_acc_grad(VDIL(VD), gradWeight, gradBias, columns, input, gradOutput, scale);
}
static int vf_fwd(FWD_ARGS, VOL_ARGS, int adjT, int adjW, int adjH) {
   return layer_forward(VFULL(VF), output, columns, input, weight, bias);
}
static int vf_bwd(BWD_ARGS, VOL_ARGS, int adjT, int adjW, int adjH) {
   return layer_backward(VFULL(VF), gradInput, columns, input, gradOutput, weight);
}
static int vf_acc(ACC_ARGS, VOL_ARGS, int adjT, int adjW, int adjH, double scale) {
   (void)partial;
   return layer_acc_grad(VFULL(VF), gradWeight, gradBias, columns, input, gradOutput, scale);
}

// ------------------------------------------------- TemporalConvolution

// Sequences of nT frames of F features; windows of kW frames every dW,
// oT output frames of oF features; weight (oF, K = kW*F).
struct tgeom {
   int64_t N, nT, F, oT, oF, K;
   int kW, dW;
};

static tgeom temporal_geom(const nl_tensor *input, int oF, int kW, int dW) {
   tgeom g;
   int batch = input->_ndim == 3;
   g.N = batch ? input->_size[0] : 1;
   g.nT = input->_size[batch];
   g.F = input->_size[batch + 1];
   g.oT = (g.nT - kW) / dW + 1;
   g.oF = oF;
   g.K = (int64_t)kW * g.F;
   g.kW = kW, g.dW = dW;
   return g;
}

// windows (S*oT, K) of sequences s0.. of x: row (s, t) = frames t dW ..
// t dW + kW - 1 of sequence s, one after the other
template <typename T> __global__ void twin_kernel(const T *x, T *col, tgeom g, int64_t n) {
   NL_CUDA_LOOP(e, n) {
      int64_t q = e % g.K, r = e / g.K, t = r % g.oT, s = r / g.oT;
      col[e] = x[(s * g.nT + t * g.dW) * g.F + q];
   }
}

// the adjoint: gi (S, nT, F) element = the sum of the window entries
// taken from it
template <typename T> __global__ void tfold_kernel(const T *col, T *gi, tgeom g, int64_t n) {
   NL_CUDA_LOOP(e, n) {
      int64_t f = e % g.F, fr = (e / g.F) % g.nT, s = e / (g.F * g.nT);
      int64_t lo = fr - g.kW + 1 > 0 ? (fr - g.kW + 1 + g.dW - 1) / g.dW : 0, hi = fr / g.dW;
      if (hi > g.oT - 1) hi = g.oT - 1;
      T acc = 0;
      for (int64_t t = lo; t <= hi; t++)
         acc += col[(s * g.oT + t) * g.K + (fr - t * g.dW) * g.F + f];
      gi[e] = acc;
   }
}

// Sequences per chunk: the windows under 256 MB
static int64_t tchunk(const tgeom &g, int es) {
   int64_t per = g.oT * g.K * es, S = ((int64_t)256 << 20) / (per > 0 ? per : 1);
   if (S > INT_MAX / (g.oT > 0 ? g.oT : 1)) S = INT_MAX / (g.oT > 0 ? g.oT : 1);
   if (S > g.N) S = g.N;
   return S < 1 ? 1 : S;
}

struct Temporal {
   int pass;
   tgeom g;
   void *a, *b, *wt; // FWD: out, in; BWD_DATA: gradInput, gradOutput; BWD_FILTER: in, gradOutput
   double scale;
   template <typename T> int run() {
      const char *fn = "nn.TemporalConvolution";
      int dt = sizeof(T) == sizeof(float) ? NL_FLOAT : NL_DOUBLE;
      int64_t S = tchunk(g, sizeof(T)), ncol = S * g.oT * g.K;
      nl_cuda_tmp colt(dt, NL_CUDA);
      if (nl_tensor_resize(&colt.t, 1, &ncol)) return -1;
      T *col = (T *)nl_ptr(&colt.t), *wt_ = (T *)wt;
      for (int64_t s0 = 0; s0 < g.N; s0 += S) {
         int64_t s = g.N - s0 < S ? g.N - s0 : S, rows = s * g.oT;
         T *x = (T *)(pass == NL_CONV_BWD_DATA ? a : (pass == NL_CONV_FWD ? b : a)) + s0 * g.nT * g.F;
         T *o = (T *)(pass == NL_CONV_FWD ? a : b) + s0 * g.oT * g.oF;
         int rc = 0;
         if (pass != NL_CONV_BWD_DATA) LAUNCH(twin_kernel<T>, rows * g.K, x, col, g);
         if (launched(fn)) return -1;
         if (pass == NL_CONV_FWD) // out (rows, oF) = windows (rows, K) x W^T (K, oF)
            rc = gemm<T>(fn, false, true, rows, g.oF, g.K, 1, col, g.K, wt_, g.K, 0, o, g.oF);
         else if (pass == NL_CONV_BWD_DATA) // windows (rows, K) = go (rows, oF) x W (oF, K)
            rc = gemm<T>(fn, false, false, rows, g.K, g.oF, 1, o, g.oF, wt_, g.K, 0, col, g.K);
         else // W (oF, K) += scale go^T (oF, rows) x windows (rows, K)
            rc = gemm<T>(fn, true, false, g.oF, g.K, rows, scale, o, g.oF, col, g.K, 1, wt_, g.K);
         if (rc) return -1;
         if (pass == NL_CONV_BWD_DATA) LAUNCH(tfold_kernel<T>, s * g.nT * g.F, col, x, g);
         if (launched(fn)) return -1;
      }
      nl_cudnn_count(1);
      return 0;
   }
};

static int tc_fwd(nl_tensor *output, const nl_tensor *input, const nl_tensor *weight, const nl_tensor *bias, int F,
                  int oF, int kW, int dW) {
   (void)F;
   nl_cuda_tmp ti(input->_dtype, NL_CUDA);
   int rc;
   const nl_tensor *in = nl_cuda_contig(ti, input, &rc);
   if (rc) return -1;
   tgeom g = temporal_geom(input, oF, kW, dW);
   if (by_dtype(input->_dtype, Temporal{NL_CONV_FWD, g, nl_ptr(output), nl_ptr(in), nl_ptr(weight), 1})) return -1;
   if (!bias) return 0;
   return by_dtype(input->_dtype, Bias{output, bias, g.N * g.oT, g.oF, 1});
}

static int tc_bwd(nl_tensor *gradInput, const nl_tensor *input, const nl_tensor *gradOutput, const nl_tensor *weight,
                  int F, int oF, int kW, int dW) {
   (void)F;
   nl_cuda_tmp tg(gradOutput->_dtype, NL_CUDA);
   int rc;
   const nl_tensor *go = nl_cuda_contig(tg, gradOutput, &rc);
   if (rc) return -1;
   tgeom g = temporal_geom(input, oF, kW, dW);
   return by_dtype(input->_dtype, Temporal{NL_CONV_BWD_DATA, g, nl_ptr(gradInput), nl_ptr(go), nl_ptr(weight), 1});
}

static int tc_acc(nl_tensor *gradWeight, nl_tensor *gradBias, const nl_tensor *input, const nl_tensor *gradOutput,
                  int F, int oF, int kW, int dW, double scale) {
   (void)F;
   if (scale == 0) return 0;
   nl_cuda_tmp ti(input->_dtype, NL_CUDA), tg(gradOutput->_dtype, NL_CUDA);
   int rc, rc2;
   const nl_tensor *in = nl_cuda_contig(ti, input, &rc), *go = nl_cuda_contig(tg, gradOutput, &rc2);
   if (rc || rc2) return -1;
   tgeom g = temporal_geom(input, oF, kW, dW);
   if (by_dtype(input->_dtype, Temporal{NL_CONV_BWD_FILTER, g, nl_ptr(in), nl_ptr(go), nl_ptr(gradWeight), scale}))
      return -1;
   if (!gradBias) return 0;
   return by_dtype(input->_dtype, GradBias{gradBias, go, g.N * g.oT, g.oF, 1, scale});
}

extern "C" void nl_cuda_register_conv(nl_backend *b) {
   b->ops.spatial_conv_forward = sc_fwd;
   b->ops.spatial_conv_backward = sc_bwd;
   b->ops.spatial_conv_acc_grad = sc_acc;
   b->ops.spatial_full_conv_forward = sf_fwd;
   b->ops.spatial_full_conv_backward = sf_bwd;
   b->ops.spatial_full_conv_acc_grad = sf_acc;
   b->ops.spatial_grouped_conv_forward = sg_fwd;
   b->ops.spatial_grouped_conv_backward = sg_bwd;
   b->ops.spatial_grouped_conv_acc_grad = sg_acc;
   b->ops.volumetric_conv_forward = vc_fwd;
   b->ops.volumetric_conv_backward = vc_bwd;
   b->ops.volumetric_conv_acc_grad = vc_acc;
   b->ops.volumetric_dilated_conv_forward = vd_fwd;
   b->ops.volumetric_dilated_conv_backward = vd_bwd;
   b->ops.volumetric_dilated_conv_acc_grad = vd_acc;
   b->ops.volumetric_full_conv_forward = vf_fwd;
   b->ops.volumetric_full_conv_backward = vf_bwd;
   b->ops.volumetric_full_conv_acc_grad = vf_acc;
   b->ops.temporal_conv_forward = tc_fwd;
   b->ops.temporal_conv_backward = tc_bwd;
   b->ops.temporal_conv_acc_grad = tc_acc;
}

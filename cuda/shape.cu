// shape.cu: the CUDA backend's tril, triu, diag, eye, cat (runtime/
// math_shape.c), cumsum/cumprod and dist (runtime/math_reduce.c) and cross
// (runtime/blas.c). diag, eye and cat build views of their result and fill
// or copy them through the backend's own copy and fill, as the CPU does;
// the others have kernels here.
#include "cuda_common.h"
#include <math.h>

static const int THREADS = 256;

// A header sharing t's storage with no reference taken (valid while t lives).
static nl_tensor view(const nl_tensor *t, int64_t off, int ndim, const int64_t *size, const int64_t *stride) {
   nl_tensor r = *t;
   r._offset = t->_offset + off;
   r._ndim = ndim;
   for (int i = 0; i < ndim; i++) r._size[i] = size[i], r._stride[i] = stride[i];
   return r;
}

// ------------------------------------------------------------ tril, triu

// res[i][j] = keep ? t[i][j] : 0; keep: j <= i + k (tril) or j >= i + k (triu)
template <typename T>
__global__ void tri_kernel(T *r, nl_cuda_geom gr, const T *t, nl_cuda_geom gt, int64_t n, int64_t k, bool upper) {
   NL_CUDA_LOOP(i, n) {
      int64_t row = i / gr.size[1], col = i % gr.size[1];
      bool keep = upper ? col >= row + k : col <= row + k;
      T v = keep ? t[row * gt.stride[0] + col * gt.stride[1]] : (T)0;
      r[row * gr.stride[0] + col * gr.stride[1]] = v;
   }
}

struct Tri {
   nl_tensor *res; const nl_tensor *t; int64_t k; bool upper;
   template <typename T> int run() {
      int64_t n = nl_numel(res);
      tri_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(t),
                                                           nl_cuda_geom_of(t), n, k, upper);
      NL_CUDA_CHECK(upper ? "triu" : "tril", cudaGetLastError());
      return 0;
   }
};

// res was resized by the front function unless it is t itself; a res
// sharing t's memory otherwise reads t from a copy
static int tri(nl_tensor *res, const nl_tensor *t, int64_t k, bool upper) {
   if (nl_numel(res) == 0) return 0;
   nl_cuda_tmp tmp(t->_dtype, NL_CUDA);
   bool same = res->_storage == t->_storage && res->_offset == t->_offset && res->_stride[0] == t->_stride[0] &&
               res->_stride[1] == t->_stride[1];
   if (!same && nl_cuda_shares(res, t)) {
      if (nl_tensor_resize(&tmp.t, 2, t->_size) || nl_copy(&tmp.t, t)) return -1;
      t = &tmp.t;
   }
   return nl_cuda_dispatch(t->_dtype, Tri{res, t, k, upper});
}

static int cuda_tril(nl_tensor *res, const nl_tensor *t, int64_t k) { return tri(res, t, k, false); }
static int cuda_triu(nl_tensor *res, const nl_tensor *t, int64_t k) { return tri(res, t, k, true); }

// ------------------------------------------------------------- diag, eye

static int cuda_diag(nl_tensor *res, const nl_tensor *t, int64_t k) {
   nl_cuda_tmp out(t->_dtype, NL_CUDA);
   if (t->_ndim == 1) {
      // vector -> (n + |k|) square matrix with it on diagonal k
      int64_t ak = k < 0 ? -k : k, n = t->_size[0] + ak, size[2] = {n, n};
      if (nl_tensor_resize(&out.t, 2, size) || nl_fill(&out.t, 0)) return -1;
      int64_t off = k >= 0 ? k : -k * n, st = n + 1;
      nl_tensor d = view(&out.t, off, 1, t->_size, &st);
      if (nl_copy(&d, t)) return -1;
   } else {
      // matrix -> its diagonal k (the front function checked it exists)
      int64_t r = t->_size[0], c = t->_size[1];
      int64_t len = k >= 0 ? (c - k < r ? c - k : r) : (r + k < c ? r + k : c);
      int64_t off = k >= 0 ? k * t->_stride[1] : -k * t->_stride[0], st = t->_stride[0] + t->_stride[1];
      nl_tensor d = view(t, off, 1, &len, &st);
      if (nl_tensor_resize(&out.t, 1, &len) || nl_copy(&out.t, &d)) return -1;
   }
   return nl_tensor_set(res, &out.t);
}

// res was resized to (n, m) by the front function; m <= 0 means n
static int cuda_eye(nl_tensor *res, int64_t n, int64_t m) {
   if (m <= 0) m = n;
   if (nl_fill(res, 0)) return -1;
   int64_t len = n < m ? n : m, st = res->_stride[0] + res->_stride[1];
   nl_tensor d = view(res, 0, 1, &len, &st);
   return nl_fill(&d, 1);
}

// ------------------------------------------------------------------- cat

// The front function checked the dtypes and the sizes outside dim; each
// non-empty tensor is copied into its part of the result.
static int cuda_cat(nl_tensor *res, const nl_tensor *const *ts, int n, int dim) {
   const nl_tensor *first = nullptr;
   int nd = 0;
   for (int i = 0; i < n; i++)
      if (ts[i]->_ndim > nd) nd = ts[i]->_ndim;
   if (dim < 0) dim = nd > 0 ? nd - 1 : 0;
   int64_t size[NL_MAX_DIMS], total = 0;
   bool aside = false;
   for (int i = 0; i < n; i++) {
      aside = aside || nl_cuda_shares(res, ts[i]);
      if (ts[i]->_ndim == 0) continue;
      if (!first) first = ts[i];
      total += ts[i]->_size[dim];
   }
   if (!first) return nl_tensor_resize(res, 0, NULL);
   for (int d = 0; d < first->_ndim; d++) size[d] = first->_size[d];
   size[dim] = total;
   nl_cuda_tmp tmp(res->_dtype, NL_CUDA);
   nl_tensor *out = aside ? &tmp.t : res;
   bool same = out->_ndim == first->_ndim;
   for (int d = 0; same && d < first->_ndim; d++) same = out->_size[d] == size[d];
   if (!same && nl_tensor_resize(out, first->_ndim, size)) return -1;
   int64_t at = 0;
   for (int i = 0; i < n; i++) {
      const nl_tensor *t = ts[i];
      if (t->_ndim == 0) continue;
      nl_tensor part = *out;
      part._offset += at * out->_stride[dim];
      part._size[dim] = t->_size[dim];
      if (nl_copy(&part, t)) return -1;
      at += t->_size[dim];
   }
   return aside ? nl_tensor_set(res, &tmp.t) : 0;
}

// ------------------------------------------------------- cumsum, cumprod

// one thread per slice along dim, accumulating in T as the CPU does
template <typename T>
__global__ void cumulate_kernel(T *r, nl_cuda_geom gr, const T *a, nl_cuda_geom ga, int dim, nl_cuda_geom gs, int64_t ns,
                                bool prod) {
   NL_CUDA_LOOP(i, ns) {
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(gs, i, c);
      int64_t ro = nl_cuda_at(gr, c), ao = nl_cuda_at(ga, c);
      T acc = prod ? (T)1 : (T)0;
      for (int64_t j = 0; j < ga.size[dim]; j++) {
         T x = a[ao + j * ga.stride[dim]];
         acc = prod ? (T)(acc * x) : (T)(acc + x);
         r[ro + j * gr.stride[dim]] = acc;
      }
   }
}

struct Cumulate {
   nl_tensor *res; const nl_tensor *a; int dim; bool prod;
   template <typename T> int run() {
      nl_cuda_geom gs = nl_cuda_geom_with(nl_cuda_geom_of(a), dim, 1);
      int64_t ns = nl_cuda_numel(gs);
      cumulate_kernel<T><<<nl_cuda_blocks(ns, THREADS), THREADS>>>((T *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(a),
                                                                 nl_cuda_geom_of(a), dim, gs, ns, prod);
      NL_CUDA_CHECK(prod ? "cumprod" : "cumsum", cudaGetLastError());
      return 0;
   }
};

// res has a's size (the front function resized it unless it is a); a res
// sharing a's memory under another layout reads a from a copy
static int cuda_cumulate(nl_tensor *res, const nl_tensor *a, int dim, int op) {
   nl_cuda_tmp tmp(a->_dtype, NL_CUDA);
   bool same = res->_storage == a->_storage && res->_offset == a->_offset;
   for (int d = 0; same && d < a->_ndim; d++) same = res->_stride[d] == a->_stride[d];
   if (!same && nl_cuda_shares(res, a)) {
      if (nl_tensor_resize(&tmp.t, a->_ndim, a->_size) || nl_copy(&tmp.t, a)) return -1;
      a = &tmp.t;
   }
   return nl_cuda_dispatch(a->_dtype, Cumulate{res, a, dim, op == NL_R_PROD});
}

// ------------------------------------------------------------------ dist

// One partial per block of sum |a - b|^p (or the max for p = inf), in
// double; the partials go to a device buffer from the caching allocator.
template <typename T>
__global__ void dist_kernel(double *part, const T *a, nl_cuda_geom ga, const T *b, nl_cuda_geom gb, int64_t n, double p) {
   __shared__ double s[THREADS];
   double acc = 0;
   bool inf = isinf(p);
   NL_CUDA_LOOP(i, n) {
      double d = fabs((double)a[nl_cuda_offset(ga, i)] - (double)b[nl_cuda_offset(gb, i)]);
      if (inf) acc = d > acc ? d : acc;
      else if (p == 2) acc += d * d;
      else if (p == 1) acc += d;
      else if (p == 0) acc += d != 0;
      else acc += pow(d, p);
   }
   s[threadIdx.x] = acc;
   __syncthreads();
   for (int k = blockDim.x / 2; k > 0; k >>= 1) {
      if (threadIdx.x < k) s[threadIdx.x] = inf ? fmax(s[threadIdx.x], s[threadIdx.x + k]) : s[threadIdx.x] + s[threadIdx.x + k];
      __syncthreads();
   }
   if (threadIdx.x == 0) part[blockIdx.x] = s[0];
}

struct Dist {
   double *out; const nl_tensor *a, *b; double p;
   template <typename T> int run() {
      int64_t n = nl_numel(a);
      int blocks = (int)((n + THREADS - 1) / THREADS);
      if (blocks > 256) blocks = 256;
      if (blocks < 1) blocks = 1;
      nl_cuda_tmp dpart(NL_DOUBLE, NL_CUDA), hpart(NL_DOUBLE, NL_CPU);
      int64_t nb = blocks;
      if (nl_tensor_resize(&dpart.t, 1, &nb) || nl_tensor_resize(&hpart.t, 1, &nb)) return -1;
      dist_kernel<T><<<blocks, THREADS>>>((double *)nl_ptr(&dpart.t), (const T *)nl_ptr(a), nl_cuda_geom_of(a),
                                          (const T *)nl_ptr(b), nl_cuda_geom_of(b), n, p);
      NL_CUDA_CHECK("dist", cudaGetLastError());
      if (nl_copy(&hpart.t, &dpart.t)) return -1;
      const double *h = (const double *)nl_ptr(&hpart.t);
      double acc = 0;
      for (int i = 0; i < blocks; i++) acc = isinf(p) ? (h[i] > acc ? h[i] : acc) : acc + h[i];
      *out = isinf(p) || p == 0 ? acc : pow(acc, 1 / p);
      return 0;
   }
};

static int cuda_dist(double *out, const nl_tensor *a, const nl_tensor *b, double p) {
   *out = 0;
   if (nl_numel(a) == 0) return 0;
   return nl_cuda_dispatch(a->_dtype, Dist{out, a, b, p});
}

// ----------------------------------------------------------------- cross

template <typename T>
__global__ void cross_kernel(T *r, nl_cuda_geom gr, const T *a, nl_cuda_geom ga, const T *b, nl_cuda_geom gb, int dim,
                             nl_cuda_geom gs, int64_t ns) {
   NL_CUDA_LOOP(i, ns) {
      int64_t c[NL_MAX_DIMS];
      nl_cuda_coords(gs, i, c);
      const T *x = a + nl_cuda_at(ga, c), *y = b + nl_cuda_at(gb, c);
      T *z = r + nl_cuda_at(gr, c);
      int64_t sa = ga.stride[dim], sb = gb.stride[dim], sr = gr.stride[dim];
      T x0 = x[0], x1 = x[sa], x2 = x[2 * sa], y0 = y[0], y1 = y[sb], y2 = y[2 * sb];
      z[0] = (T)(x1 * y2 - x2 * y1);
      z[sr] = (T)(x2 * y0 - x0 * y2);
      z[2 * sr] = (T)(x0 * y1 - x1 * y0);
   }
}

struct Cross {
   nl_tensor *res; const nl_tensor *a, *b; int dim;
   template <typename T> int run() {
      nl_cuda_geom gs = nl_cuda_geom_with(nl_cuda_geom_of(a), dim, 1);
      int64_t ns = nl_cuda_numel(gs);
      cross_kernel<T><<<nl_cuda_blocks(ns, THREADS), THREADS>>>((T *)nl_ptr(res), nl_cuda_geom_of(res), (const T *)nl_ptr(a),
                                                              nl_cuda_geom_of(a), (const T *)nl_ptr(b), nl_cuda_geom_of(b),
                                                              dim, gs, ns);
      NL_CUDA_CHECK("cross", cudaGetLastError());
      return 0;
   }
};

// the front function checked the sizes (dim -1: the first of size 3) and
// resized res; a res sharing an input's memory is built aside
static int cuda_cross(nl_tensor *res, const nl_tensor *a, const nl_tensor *b, int dim) {
   if (dim < 0)
      for (int i = 0; i < a->_ndim && dim < 0; i++)
         if (a->_size[i] == 3) dim = i;
   if (nl_numel(a) == 0) return 0;
   nl_cuda_tmp tmp(res->_dtype, NL_CUDA);
   bool aside = nl_cuda_shares(res, a) || nl_cuda_shares(res, b);
   nl_tensor *out = aside ? &tmp.t : res;
   if (aside && nl_tensor_resize(out, a->_ndim, a->_size)) return -1;
   if (nl_cuda_dispatch(a->_dtype, Cross{out, a, b, dim})) return -1;
   return aside ? nl_copy(res, &tmp.t) : 0;
}

extern "C" void nl_cuda_register_shape(nl_backend *b) {
   b->ops.tril = cuda_tril;
   b->ops.triu = cuda_triu;
   b->ops.diag = cuda_diag;
   b->ops.eye = cuda_eye;
   b->ops.cat = cuda_cat;
   b->ops.cumulate = cuda_cumulate;
   b->ops.dist = cuda_dist;
   b->ops.cross = cuda_cross;
}

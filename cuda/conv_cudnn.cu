// conv_cudnn.cu: the cuDNN path of the convolutions (conv_cuda.h's three
// passes), built when the Makefile finds cudnn.h and libcudnn
// (NL_HAVE_CUDNN); libcudnn itself is opened at run time. Without it
// every pass answers "not taken" and conv.cu runs im2col + cuBLAS.
//
// Per layer shape (dtype, sizes, window, groups, math mode) one cache
// entry holds the tensor, filter and convolution descriptors and, per
// pass, the algorithm: chosen once by cudnnFind*Algorithm (timing every
// algorithm, as Torch7's cudnn.benchmark = true) or by the heuristic
// cudnnGet*Algorithm_v7 (benchmark off, the default). The workspace comes
// from the backend's caching allocator. TF32 tensor-core math is allowed
// for float convolutions, as PyTorch allows it; NNLUA_CUDNN_TF32=0 or
// cudnn.allowTF32 = false turns it off (CUDNN_FMA_MATH). A shape cuDNN
// refuses (NOT_SUPPORTED, BAD_PARAM) is remembered and runs the fallback;
// other failures are errors naming the module and cuDNN's status.
//
// Switches (read from the environment on first use, set from Lua through
// nl_cudnn_config): enabled (NNLUA_CUDNN=0 turns cuDNN off), benchmark
// (NNLUA_CUDNN_BENCHMARK=1), allow_tf32 (NNLUA_CUDNN_TF32), verbose
// (NNLUA_CUDNN_VERBOSE=1: one line per algorithm choice on stderr), and
// the largest workspace an algorithm may take (NNLUA_CUDNN_WORKSPACE_MB,
// 2048).
#include "conv_cuda.h"
#include <atomic>
#include <map>
#include <mutex>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string>

#define NL_CUDA_API extern "C" __attribute__((visibility("default")))

static std::atomic<long long> counts[2];

void nl_cudnn_count(int path) { counts[path & 1]++; }

static int env_flag(const char *name, int dflt) {
   const char *v = getenv(name);
   if (!v || !*v) return dflt;
   return !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0);
}

struct settings {
   int enabled, benchmark, allow_tf32, verbose;
   size_t max_workspace; // bytes an algorithm may ask for
};
static settings cfg;
static std::once_flag cfg_once;
static void read_env(void) {
   cfg.enabled = env_flag("NNLUA_CUDNN", 1);
   cfg.benchmark = env_flag("NNLUA_CUDNN_BENCHMARK", 0);
   cfg.allow_tf32 = env_flag("NNLUA_CUDNN_TF32", 1);
   cfg.verbose = env_flag("NNLUA_CUDNN_VERBOSE", 0);
   const char *mb = getenv("NNLUA_CUDNN_WORKSPACE_MB");
   long long m = mb && *mb ? atoll(mb) : 2048;
   cfg.max_workspace = (size_t)(m > 0 ? m : 0) << 20;
}
static const settings &config(void) {
   std::call_once(cfg_once, read_env);
   return cfg;
}

#if NL_HAVE_CUDNN
#include <cudnn.h>
#include <dlfcn.h>

// libcudnn is opened at run time, not linked: a machine with the CUDA
// runtime but without cuDNN still loads libnnlua_cuda (and runs the
// fallback). NNLUA_CUDNN_LIB names the library file when it is neither on
// the loader's path nor beside the toolkit this was built with.
// clang-format off
#define NL_CUDNN_FUNCS(X)                                                                                              \
   X(cudnnCreate) X(cudnnGetErrorString) X(cudnnGetVersion) X(cudnnCreateTensorDescriptor)                             \
   X(cudnnSetTensorNdDescriptor) X(cudnnCreateFilterDescriptor) X(cudnnSetFilterNdDescriptor)                          \
   X(cudnnCreateConvolutionDescriptor) X(cudnnSetConvolutionNdDescriptor) X(cudnnSetConvolutionGroupCount)             \
   X(cudnnSetConvolutionMathType) X(cudnnGetConvolutionNdForwardOutputDim) X(cudnnFindConvolutionForwardAlgorithm)     \
   X(cudnnGetConvolutionForwardAlgorithm_v7) X(cudnnFindConvolutionBackwardDataAlgorithm)                              \
   X(cudnnGetConvolutionBackwardDataAlgorithm_v7) X(cudnnFindConvolutionBackwardFilterAlgorithm)                       \
   X(cudnnGetConvolutionBackwardFilterAlgorithm_v7) X(cudnnConvolutionForward) X(cudnnConvolutionBackwardData)         \
   X(cudnnConvolutionBackwardFilter) X(cudnnDestroyTensorDescriptor) X(cudnnDestroyFilterDescriptor)                   \
   X(cudnnDestroyConvolutionDescriptor)
// clang-format on
#define NL_CUDNN_DECL(f) decltype(&::f) f;
static struct { NL_CUDNN_FUNCS(NL_CUDNN_DECL) } D;
static std::once_flag load_once;
static bool loaded;
static char load_error[256];

static void load_cudnn(void) {
   const char *env = getenv("NNLUA_CUDNN_LIB");
   const char *names[] = {env && *env ? env : nullptr, "libcudnn.so.9", "libcudnn.so"};
   void *h = nullptr;
   for (const char *n : names)
      if (n && (h = dlopen(n, RTLD_NOW | RTLD_LOCAL))) break;
   if (!h) {
      snprintf(load_error, sizeof load_error, "cannot open libcudnn.so.9: %s", dlerror());
      return;
   }
#define NL_CUDNN_SYM(f)                                                                                                \
   if (!(D.f = (decltype(D.f))dlsym(h, #f))) {                                                                         \
      snprintf(load_error, sizeof load_error, "libcudnn lacks %s", #f);                                                \
      return;                                                                                                          \
   }
   NL_CUDNN_FUNCS(NL_CUDNN_SYM)
#undef NL_CUDNN_SYM
   loaded = true;
}

static bool have_cudnn(void) {
   std::call_once(load_once, load_cudnn);
   return loaded;
}

static std::mutex mu;
static cudnnHandle_t handle;

static int status_error(const char *fn, const char *what, cudnnStatus_t st) {
   return nl_errorf("%s: cuDNN error %s in %s", fn, D.cudnnGetErrorString(st), what);
}

// cuDNN 9's status families: 2xxx bad parameter, 3xxx not supported
// (shape, layout, data type, architecture), 1008 a sub-library that did
// not load. These refuse the call before anything runs.
static bool refusal(cudnnStatus_t st) {
   int v = (int)st;
   return v / 1000 == 2 || v / 1000 == 3 || v == 1008;
}

// One layer shape: descriptors and the algorithm of each pass (-1 not
// chosen yet, -2 refused: the fallback runs).
struct entry {
   cudnnTensorDescriptor_t big = nullptr, small = nullptr;
   cudnnFilterDescriptor_t filt = nullptr;
   cudnnConvolutionDescriptor_t conv = nullptr;
   int algo[3] = {-1, -1, -1};
   cudnnMathType_t math[3] = {CUDNN_DEFAULT_MATH, CUDNN_DEFAULT_MATH, CUDNN_DEFAULT_MATH};
   size_t ws[3] = {0, 0, 0};
   bool bad = false; // descriptors refused
};
static std::map<std::string, entry> cache;

static std::string key_of(const nl_cuda_conv *g, const settings &s) {
   char k[512];
   snprintf(k, sizeof k,
            "%d %d %lld %lld %lld %lld | %lld %lld %lld | %lld %lld %lld | %d %d %d %d %d %d %d %d %d %d %d %d | %d %d",
            g->nd, g->dt, (long long)g->N, (long long)g->Cb, (long long)g->Cs, (long long)g->G, (long long)g->bg[0],
            (long long)g->bg[1], (long long)g->bg[2], (long long)g->sg[0], (long long)g->sg[1], (long long)g->sg[2],
            g->k[0], g->k[1], g->k[2], g->d[0], g->d[1], g->d[2], g->pad[0], g->pad[1], g->pad[2], g->dil[0], g->dil[1],
            g->dil[2], s.allow_tf32, s.benchmark);
   return k;
}

// dims of a (N, C, grid) tensor: 4 for 2-D layers (T dropped), 5 for 3-D
static int dims_of(const nl_cuda_conv *g, int64_t C, const int64_t *grid, int *dim, int *stride) {
   int n = g->nd + 2;
   int64_t d[5] = {g->N, C, grid[0], grid[1], grid[2]};
   if (g->nd == 2) d[2] = grid[1], d[3] = grid[2];
   for (int i = 0; i < n; i++) {
      if (d[i] > INT32_MAX) return -1;
      dim[i] = (int)d[i];
   }
   int64_t s = 1;
   for (int i = n - 1; i >= 0; i--) {
      if (s > INT32_MAX) return -1;
      stride[i] = (int)s;
      s *= d[i];
   }
   return n;
}

// Fills e's descriptors; a refusal marks the entry bad
static int describe(entry &e, const nl_cuda_conv *g, const settings &s) {
   cudnnDataType_t dt = g->dt == NL_FLOAT ? CUDNN_DATA_FLOAT : CUDNN_DATA_DOUBLE;
   int dim[5], stride[5], n, pad[3], str[3], dil[3], fd[5];
   int off = g->nd == 2 ? 1 : 0;
   cudnnStatus_t st;
#define TRY(call)                                                                                                      \
   if ((st = (call)) != CUDNN_STATUS_SUCCESS) {                                                                        \
      if (refusal(st)) return e.bad = true, 0;                                                                         \
      return status_error(g->fn, #call, st);                                                                           \
   }
   TRY(D.cudnnCreateTensorDescriptor(&e.big));
   TRY(D.cudnnCreateTensorDescriptor(&e.small));
   TRY(D.cudnnCreateFilterDescriptor(&e.filt));
   TRY(D.cudnnCreateConvolutionDescriptor(&e.conv));
   if ((n = dims_of(g, g->Cb, g->bg, dim, stride)) < 0) return e.bad = true, 0;
   TRY(D.cudnnSetTensorNdDescriptor(e.big, dt, n, dim, stride));
   if ((n = dims_of(g, g->Cs, g->sg, dim, stride)) < 0) return e.bad = true, 0;
   TRY(D.cudnnSetTensorNdDescriptor(e.small, dt, n, dim, stride));
   fd[0] = (int)g->Cs, fd[1] = (int)(g->Cb / g->G);
   for (int i = off; i < 3; i++) {
      fd[2 + i - off] = g->k[i];
      pad[i - off] = g->pad[i], str[i - off] = g->d[i], dil[i - off] = g->dil[i];
   }
   TRY(D.cudnnSetFilterNdDescriptor(e.filt, dt, CUDNN_TENSOR_NCHW, n, fd));
   TRY(D.cudnnSetConvolutionNdDescriptor(e.conv, g->nd, pad, str, dil, CUDNN_CROSS_CORRELATION, dt));
   if (g->G > 1) TRY(D.cudnnSetConvolutionGroupCount(e.conv, (int)g->G));
   // cuDNN's output grid must be the small grid (a transposed layer's adj
   // is the remainder the forward floors away)
   int od[5];
   TRY(D.cudnnGetConvolutionNdForwardOutputDim(e.conv, e.big, e.filt, n, od));
   dims_of(g, g->Cs, g->sg, dim, stride);
   for (int i = 0; i < n; i++)
      if (od[i] != dim[i]) return e.bad = true, 0;
   if (g->dt == NL_FLOAT && !s.allow_tf32) TRY(D.cudnnSetConvolutionMathType(e.conv, CUDNN_FMA_MATH));
#undef TRY
   return 0;
}

static const char *PASS_NAME[3] = {"forward", "backward data", "backward filter"};

// A perf result cuDNN would run: success, and no TF32 when it is off
// (pick also skips those asking more workspace than max_workspace)
template <typename P> static bool usable(const P &p, const nl_cuda_conv *g, const settings &s) {
   if (p.status != CUDNN_STATUS_SUCCESS) return false;
   if (g->dt == NL_FLOAT && !s.allow_tf32 && p.mathType != CUDNN_FMA_MATH && p.mathType != CUDNN_DEFAULT_MATH)
      return false;
   return true;
}

template <typename P>
static int pick(entry &e, int pass, const P *perf, int n, const nl_cuda_conv *g, const settings &s) {
   for (int i = 0; i < n; i++)
      if (usable(perf[i], g, s) && perf[i].memory <= s.max_workspace) {
         e.algo[pass] = (int)perf[i].algo;
         e.math[pass] = perf[i].mathType;
         if (g->dt == NL_FLOAT && !s.allow_tf32) e.math[pass] = CUDNN_FMA_MATH;
         e.ws[pass] = perf[i].memory;
         if (s.verbose)
            fprintf(stderr, "cudnn: %s %s: algorithm %d (%s), workspace %zu bytes, math %d, %.3f ms\n", g->fn,
                    PASS_NAME[pass], e.algo[pass], s.benchmark ? "timed" : "heuristic", e.ws[pass], (int)e.math[pass],
                    (double)perf[i].time);
         return 0;
      }
   e.algo[pass] = -2;
   return 0;
}

static int choose(entry &e, int pass, const nl_cuda_conv *g, const settings &s) {
   const int MAX = 16;
   int n = 0;
   cudnnStatus_t st;
   if (pass == NL_CONV_FWD) {
      cudnnConvolutionFwdAlgoPerf_t perf[MAX];
      st = s.benchmark
               ? D.cudnnFindConvolutionForwardAlgorithm(handle, e.big, e.filt, e.conv, e.small, MAX, &n, perf)
               : D.cudnnGetConvolutionForwardAlgorithm_v7(handle, e.big, e.filt, e.conv, e.small, MAX, &n, perf);
      if (st == CUDNN_STATUS_SUCCESS) return pick(e, pass, perf, n, g, s);
   } else if (pass == NL_CONV_BWD_DATA) {
      cudnnConvolutionBwdDataAlgoPerf_t perf[MAX];
      st = s.benchmark
               ? D.cudnnFindConvolutionBackwardDataAlgorithm(handle, e.filt, e.small, e.conv, e.big, MAX, &n, perf)
               : D.cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, e.filt, e.small, e.conv, e.big, MAX, &n, perf);
      if (st == CUDNN_STATUS_SUCCESS) return pick(e, pass, perf, n, g, s);
   } else {
      cudnnConvolutionBwdFilterAlgoPerf_t perf[MAX];
      st = s.benchmark
               ? D.cudnnFindConvolutionBackwardFilterAlgorithm(handle, e.big, e.small, e.conv, e.filt, MAX, &n, perf)
               : D.cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, e.big, e.small, e.conv, e.filt, MAX, &n, perf);
      if (st == CUDNN_STATUS_SUCCESS) return pick(e, pass, perf, n, g, s);
   }
   if (refusal(st)) {
      e.algo[pass] = -2;
      return 0;
   }
   return status_error(g->fn, s.benchmark ? "cudnnFind*Algorithm" : "cudnnGet*Algorithm_v7", st);
}

int nl_cudnn_conv(int pass, const nl_cuda_conv *g, void *big, void *small, void *weight, double scale,
                  nl_tensor *columns) {
   const settings &s = config();
   if (!s.enabled || !have_cudnn()) return 1;
   std::lock_guard<std::mutex> lock(mu);
   cudnnStatus_t st;
   if (!handle && (st = D.cudnnCreate(&handle)) != CUDNN_STATUS_SUCCESS) {
      // cuDNN unusable on this machine (driver, architecture): the
      // fallback runs from now on; nl_cudnn_info says why
      handle = nullptr;
      loaded = false;
      snprintf(load_error, sizeof load_error, "cudnnCreate: %s", D.cudnnGetErrorString(st));
      if (s.verbose) fprintf(stderr, "cudnn: %s; convolutions run im2col + cuBLAS\n", load_error);
      return 1;
   }
   std::string key = key_of(g, s);
   auto it = cache.find(key);
   if (it == cache.end()) {
      it = cache.emplace(key, entry()).first;
      if (describe(it->second, g, s)) {
         cache.erase(it);
         return -1;
      }
   }
   entry &e = it->second;
   if (e.bad) return 1;
   if (e.algo[pass] == -1 && choose(e, pass, g, s)) return -1;
   if (e.algo[pass] < 0) return 1;
   // the workspace: the layer's column buffer when large enough, else a
   // block from the caching allocator
   nl_cuda_tmp ws(NL_BYTE, NL_CUDA);
   int64_t wsn = (int64_t)e.ws[pass];
   void *wsp = nullptr;
   if (wsn > 0 && columns && nl_tensor_is_contiguous(columns) &&
       nl_numel(columns) * (int64_t)nl_dtypes[columns->_dtype].size >= wsn)
      wsp = nl_ptr(columns);
   else if (wsn > 0) {
      if (nl_tensor_resize(&ws.t, 1, &wsn)) return -1;
      wsp = nl_ptr(&ws.t);
   }
   if ((st = D.cudnnSetConvolutionMathType(e.conv, e.math[pass])) != CUDNN_STATUS_SUCCESS)
      return status_error(g->fn, "cudnnSetConvolutionMathType", st);
   // alpha and beta: double for double data, float otherwise
   float fa = 1, fb = 0;
   double da = 1, db = 0;
   if (pass == NL_CONV_BWD_FILTER) fa = (float)scale, da = scale, fb = 1, db = 1;
   const void *al = g->dt == NL_DOUBLE ? (const void *)&da : (const void *)&fa;
   const void *be = g->dt == NL_DOUBLE ? (const void *)&db : (const void *)&fb;
   const char *what;
   if (pass == NL_CONV_FWD) {
      what = "cudnnConvolutionForward";
      st = D.cudnnConvolutionForward(handle, al, e.big, big, e.filt, weight, e.conv,
                                     (cudnnConvolutionFwdAlgo_t)e.algo[pass], wsp, e.ws[pass], be, e.small, small);
   } else if (pass == NL_CONV_BWD_DATA) {
      what = "cudnnConvolutionBackwardData";
      st = D.cudnnConvolutionBackwardData(handle, al, e.filt, weight, e.small, small, e.conv,
                                          (cudnnConvolutionBwdDataAlgo_t)e.algo[pass], wsp, e.ws[pass], be, e.big, big);
   } else {
      what = "cudnnConvolutionBackwardFilter";
      st = D.cudnnConvolutionBackwardFilter(handle, al, e.big, big, e.small, small, e.conv,
                                            (cudnnConvolutionBwdFilterAlgo_t)e.algo[pass], wsp, e.ws[pass], be, e.filt,
                                            weight);
   }
   if (st != CUDNN_STATUS_SUCCESS) {
      // nothing was written on a refusal: the fallback runs the pass
      if (refusal(st)) {
         e.algo[pass] = -2;
         return 1;
      }
      return status_error(g->fn, what, st);
   }
   nl_cudnn_count(0);
   return 0;
}

static void clear_cache(void) {
   if (!loaded) return;
   std::lock_guard<std::mutex> lock(mu);
   for (auto &kv : cache) {
      entry &e = kv.second;
      if (e.big) D.cudnnDestroyTensorDescriptor(e.big);
      if (e.small) D.cudnnDestroyTensorDescriptor(e.small);
      if (e.filt) D.cudnnDestroyFilterDescriptor(e.filt);
      if (e.conv) D.cudnnDestroyConvolutionDescriptor(e.conv);
   }
   cache.clear();
}

static long long version(void) { return have_cudnn() ? (long long)D.cudnnGetVersion() : 0; }
static const char *info(void) { return have_cudnn() ? "" : load_error; }

#else // no cuDNN at build time

int nl_cudnn_conv(int, const nl_cuda_conv *, void *, void *, void *, double, nl_tensor *) { return 1; }
static void clear_cache(void) {}
static long long version(void) { return 0; }
static const char *info(void) { return "libnnlua_cuda was built without cuDNN (no cudnn.h and libcudnn found)"; }

#endif

// ------------------------------------------------------ Lua's interface

// cuDNN's version (major*10000 + minor*100 + patch in cuDNN 9), 0 when the
// library was built without it. Reads no device.
NL_CUDA_API long long nl_cudnn_version(void) { return version(); }

// Why cuDNN is not in use: "" when the library loaded (or the reason:
// not built with it, libcudnn not found).
NL_CUDA_API const char *nl_cudnn_info(void) { return info(); }

// Sets switch `key` ("enabled", "benchmark", "allow_tf32", "verbose") to
// value (0 or 1) and returns its previous value; value -1 only reads it.
// -1 for an unknown key. Changing a switch forgets the chosen algorithms.
NL_CUDA_API int nl_cudnn_config(const char *key, int value) {
   config();
   int *p = !strcmp(key, "enabled")      ? &cfg.enabled
            : !strcmp(key, "benchmark")  ? &cfg.benchmark
            : !strcmp(key, "allow_tf32") ? &cfg.allow_tf32
            : !strcmp(key, "verbose")    ? &cfg.verbose
                                         : nullptr;
   if (!p) return -1;
   int old = *p;
   if (value >= 0 && (value != 0) != (old != 0)) {
      *p = value != 0;
      if (p != &cfg.verbose) clear_cache();
   }
   return old;
}

// Passes run by cuDNN (path 0) and by im2col + cuBLAS (path 1) since the
// last reset (path -1 resets both and returns 0).
NL_CUDA_API long long nl_cudnn_calls(int path) {
   if (path < 0) {
      counts[0] = 0, counts[1] = 0;
      return 0;
   }
   return counts[path & 1].load();
}

// Forgets the descriptors and chosen algorithms.
NL_CUDA_API int nl_cudnn_clear_cache(void) {
   clear_cache();
   return 0;
}

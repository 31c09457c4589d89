// cuda_runtime.h of the CUDA emulator (docs/cudaemu.md): what cuda/*.cu
// uses of the CUDA language and runtime, for the host compiler. Kernels are
// plain functions; tests/cudaemu/translate.lua rewrites each launch
// k<<<grid, block, smem, stream>>>(args) into nl_emu::launch(...), which
// runs the grid's blocks one after another and each block's threads as
// fibers that switch at __syncthreads (tests/cudaemu/emu.cc).
#pragma once
#define NL_CUDAEMU 1
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __cplusplus
#include <algorithm>
#include <tuple>
#include <type_traits>
#include <utility>
#endif

// ------------------------------------------------------------- qualifiers
#define __global__
#define __device__
#define __host__
#define __constant__
#define __managed__
#define __forceinline__ inline __attribute__((always_inline))
#define __restrict__ __restrict
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)
#define __CUDACC_EMU__ 1
// one block runs at a time on a host thread: a block's shared variables
// are statics of that thread (extern __shared__ arrays: translate.lua)
#define __shared__ static thread_local

// ------------------------------------------------------------------ types
struct uint3 { unsigned int x, y, z; };
struct int2 { int x, y; };
struct int3 { int x, y, z; };
struct int4 { int x, y, z, w; };
struct uint2 { unsigned int x, y; };
struct uint4 { unsigned int x, y, z, w; };
struct float2 { float x, y; };
struct float3 { float x, y, z; };
struct float4 { float x, y, z, w; };
struct double2 { double x, y; };
struct dim3 {
   unsigned int x, y, z;
   constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
   constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
   constexpr operator uint3() const { return uint3{x, y, z}; }
};
static inline int2 make_int2(int x, int y) { return int2{x, y}; }
static inline float2 make_float2(float x, float y) { return float2{x, y}; }
static inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
static inline double2 make_double2(double x, double y) { return double2{x, y}; }
static inline uint3 make_uint3(unsigned x, unsigned y, unsigned z) { return uint3{x, y, z}; }

// the built-in variables of the running emulated thread (set by the
// scheduler; a kernel reads them between switch points only)
extern "C++" {
extern uint3 threadIdx, blockIdx;
extern dim3 blockDim, gridDim;
}
static const int warpSize = 32;

// ----------------------------------------------------------------- errors
enum cudaError {
   cudaSuccess = 0,
   cudaErrorInvalidValue = 1,
   cudaErrorMemoryAllocation = 2,
   cudaErrorInitializationError = 3,
   cudaErrorLaunchFailure = 719,
   cudaErrorInvalidConfiguration = 9,
   cudaErrorInvalidDevice = 101,
   cudaErrorInvalidDevicePointer = 17,
   cudaErrorInvalidMemcpyDirection = 21,
   cudaErrorInsufficientDriver = 35,
   cudaErrorNoDevice = 100,
   cudaErrorInvalidResourceHandle = 400,
   cudaErrorNotReady = 600,
   cudaErrorIllegalAddress = 700,
   cudaErrorLaunchOutOfResources = 701,
   cudaErrorAssert = 710,
   cudaErrorNotSupported = 801,
   cudaErrorUnknown = 999,
};
typedef enum cudaError cudaError_t;

enum cudaMemcpyKind {
   cudaMemcpyHostToHost = 0,
   cudaMemcpyHostToDevice = 1,
   cudaMemcpyDeviceToHost = 2,
   cudaMemcpyDeviceToDevice = 3,
   cudaMemcpyDefault = 4,
};

struct nl_emu_stream;
typedef struct nl_emu_stream *cudaStream_t;
struct nl_emu_event;
typedef struct nl_emu_event *cudaEvent_t;
#define cudaStreamDefault 0x00
#define cudaStreamNonBlocking 0x01
#define cudaEventDefault 0x00
#define cudaEventBlockingSync 0x01
#define cudaEventDisableTiming 0x02
#define cudaHostAllocDefault 0x00
#define cudaHostAllocPortable 0x01
#define cudaHostAllocMapped 0x02
#define cudaHostRegisterDefault 0x00
#define cudaStreamLegacy ((cudaStream_t)0x1)
#define cudaStreamPerThread ((cudaStream_t)0x2)

struct cudaDeviceProp {
   char name[256];
   size_t totalGlobalMem, sharedMemPerBlock, sharedMemPerBlockOptin, sharedMemPerMultiprocessor;
   int regsPerBlock, warpSize;
   size_t memPitch;
   int maxThreadsPerBlock, maxThreadsDim[3], maxGridSize[3], clockRate;
   size_t totalConstMem;
   int major, minor;
   size_t textureAlignment;
   int deviceOverlap, multiProcessorCount, kernelExecTimeoutEnabled, integrated, canMapHostMemory,
      computeMode, concurrentKernels, ECCEnabled, pciBusID, pciDeviceID, pciDomainID, asyncEngineCount,
      unifiedAddressing, memoryClockRate, memoryBusWidth, l2CacheSize, maxThreadsPerMultiProcessor,
      managedMemory, isMultiGpuBoard, cooperativeLaunch, maxBlocksPerMultiProcessor;
};

enum cudaDeviceAttr {
   cudaDevAttrMaxThreadsPerBlock = 1,
   cudaDevAttrMaxBlockDimX = 2,
   cudaDevAttrMaxGridDimX = 5,
   cudaDevAttrMaxSharedMemoryPerBlock = 8,
   cudaDevAttrWarpSize = 10,
   cudaDevAttrMultiProcessorCount = 16,
   cudaDevAttrComputeCapabilityMajor = 75,
   cudaDevAttrComputeCapabilityMinor = 76,
   cudaDevAttrMaxSharedMemoryPerBlockOptin = 97,
};
enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize = 8 };

// ---------------------------------------------------------------- runtime
const char *cudaGetErrorString(cudaError_t e);
const char *cudaGetErrorName(cudaError_t e);
cudaError_t cudaGetLastError(void);
cudaError_t cudaPeekAtLastError(void);
cudaError_t cudaGetDeviceCount(int *n);
cudaError_t cudaGetDevice(int *d);
cudaError_t cudaSetDevice(int d);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp *p, int d);
cudaError_t cudaDeviceGetAttribute(int *v, cudaDeviceAttr a, int d);
cudaError_t cudaDeviceSynchronize(void);
cudaError_t cudaDeviceReset(void);
cudaError_t cudaDriverGetVersion(int *v);
cudaError_t cudaRuntimeGetVersion(int *v);
cudaError_t cudaMalloc(void **p, size_t bytes);
cudaError_t cudaMallocHost(void **p, size_t bytes);
cudaError_t cudaHostAlloc(void **p, size_t bytes, unsigned int flags);
cudaError_t cudaMallocManaged(void **p, size_t bytes, unsigned int flags = 1);
cudaError_t cudaFree(void *p);
cudaError_t cudaFreeHost(void *p);
cudaError_t cudaHostRegister(void *p, size_t bytes, unsigned int flags);
cudaError_t cudaHostUnregister(void *p);
cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total);
cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind, cudaStream_t s = 0);
cudaError_t cudaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height,
                         cudaMemcpyKind kind);
cudaError_t cudaMemset(void *p, int value, size_t bytes);
cudaError_t cudaMemsetAsync(void *p, int value, size_t bytes, cudaStream_t s = 0);
cudaError_t cudaStreamCreate(cudaStream_t *s);
cudaError_t cudaStreamCreateWithFlags(cudaStream_t *s, unsigned int flags);
cudaError_t cudaStreamDestroy(cudaStream_t s);
cudaError_t cudaStreamSynchronize(cudaStream_t s);
cudaError_t cudaStreamQuery(cudaStream_t s);
cudaError_t cudaStreamWaitEvent(cudaStream_t s, cudaEvent_t e, unsigned int flags = 0);
cudaError_t cudaEventCreate(cudaEvent_t *e);
cudaError_t cudaEventCreateWithFlags(cudaEvent_t *e, unsigned int flags);
cudaError_t cudaEventDestroy(cudaEvent_t e);
cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t s = 0);
cudaError_t cudaEventSynchronize(cudaEvent_t e);
cudaError_t cudaEventQuery(cudaEvent_t e);
cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t a, cudaEvent_t b);
cudaError_t cudaPointerGetAttributes(void *attr, const void *p);

// __device__ variables are host globals: the symbol calls copy to and
// from them (the symbol is the variable itself, as with nvcc's runtime API)
cudaError_t nl_emu_symbol_copy(void *dst, const void *src, size_t bytes, size_t off, size_t size);
template <class T>
static inline cudaError_t cudaMemcpyToSymbol(T &symbol, const void *src, size_t bytes, size_t offset = 0,
                                             cudaMemcpyKind = cudaMemcpyHostToDevice) {
   return nl_emu_symbol_copy((char *)&symbol + offset, src, bytes, offset, sizeof(T));
}
template <class T>
static inline cudaError_t cudaMemcpyFromSymbol(void *dst, const T &symbol, size_t bytes, size_t offset = 0,
                                               cudaMemcpyKind = cudaMemcpyDeviceToHost) {
   return nl_emu_symbol_copy(dst, (const char *)&symbol + offset, bytes, offset, sizeof(T));
}
template <class T>
static inline cudaError_t cudaMemcpyToSymbolAsync(T &symbol, const void *src, size_t bytes, size_t offset = 0,
                                                  cudaMemcpyKind k = cudaMemcpyHostToDevice, cudaStream_t = 0) {
   return cudaMemcpyToSymbol(symbol, src, bytes, offset, k);
}
template <class T>
static inline cudaError_t cudaMemcpyFromSymbolAsync(void *dst, const T &symbol, size_t bytes, size_t offset = 0,
                                                    cudaMemcpyKind k = cudaMemcpyDeviceToHost, cudaStream_t = 0) {
   return cudaMemcpyFromSymbol(dst, symbol, bytes, offset, k);
}
void nl_emu_register_symbol(void *p, size_t bytes);
template <class T> static inline cudaError_t cudaGetSymbolAddress(void **p, T &symbol) {
   nl_emu_register_symbol((void *)&symbol, sizeof(T));
   *p = (void *)&symbol;
   return cudaSuccess;
}
template <class T> static inline cudaError_t cudaMalloc(T **p, size_t bytes) { return cudaMalloc((void **)p, bytes); }
template <class T> static inline cudaError_t cudaMallocHost(T **p, size_t bytes) {
   return cudaMallocHost((void **)p, bytes);
}
template <class F> static inline cudaError_t cudaFuncSetAttribute(F *, cudaFuncAttribute, int) { return cudaSuccess; }

// ------------------------------------------------- device-side functions
void nl_emu_syncthreads(const char *file, int line);
#define __syncthreads() nl_emu_syncthreads(__FILE__, __LINE__)
int __syncthreads_count(int pred);
int __syncthreads_and(int pred);
int __syncthreads_or(int pred);
void __syncwarp(unsigned int mask = 0xffffffffu);
static inline void __threadfence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline void __threadfence_block(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
unsigned int __activemask(void);
unsigned int __ballot_sync(unsigned int mask, int pred);
int __any_sync(unsigned int mask, int pred);
int __all_sync(unsigned int mask, int pred);
unsigned long long nl_emu_shfl(unsigned long long v, int mode, int arg, int width);
template <class T> static inline T nl_emu_shfl_t(T v, int mode, int arg, int width) {
   static_assert(sizeof(T) <= 8, "shuffle of more than 8 bytes");
   unsigned long long u = 0;
   memcpy(&u, &v, sizeof(T));
   u = nl_emu_shfl(u, mode, arg, width);
   T r;
   memcpy(&r, &u, sizeof(T));
   return r;
}
template <class T> static inline T __shfl_sync(unsigned int, T v, int src, int width = 32) {
   return nl_emu_shfl_t(v, 0, src, width);
}
template <class T> static inline T __shfl_up_sync(unsigned int, T v, unsigned int d, int width = 32) {
   return nl_emu_shfl_t(v, 1, (int)d, width);
}
template <class T> static inline T __shfl_down_sync(unsigned int, T v, unsigned int d, int width = 32) {
   return nl_emu_shfl_t(v, 2, (int)d, width);
}
template <class T> static inline T __shfl_xor_sync(unsigned int, T v, int m, int width = 32) {
   return nl_emu_shfl_t(v, 3, m, width);
}
template <class T> static inline T __ldg(const T *p) { return *p; }

// Atomics: one host thread runs a block's emulated threads and switches
// only at barriers, so a plain read-modify-write is atomic here.
#define NL_EMU_ATOMIC(T)                                                                   \
   static inline T atomicAdd(T *p, T v) { T o = *p; *p = o + v; return o; }                \
   static inline T atomicSub(T *p, T v) { T o = *p; *p = o - v; return o; }                \
   static inline T atomicExch(T *p, T v) { T o = *p; *p = v; return o; }                   \
   static inline T atomicMin(T *p, T v) { T o = *p; if (v < o) *p = v; return o; }         \
   static inline T atomicMax(T *p, T v) { T o = *p; if (v > o) *p = v; return o; }         \
   static inline T atomicCAS(T *p, T c, T v) { T o = *p; if (o == c) *p = v; return o; }
NL_EMU_ATOMIC(int)
NL_EMU_ATOMIC(unsigned int)
NL_EMU_ATOMIC(long long)
NL_EMU_ATOMIC(unsigned long long)
NL_EMU_ATOMIC(unsigned short)
#undef NL_EMU_ATOMIC
static inline float atomicAdd(float *p, float v) { float o = *p; *p = o + v; return o; }
static inline double atomicAdd(double *p, double v) { double o = *p; *p = o + v; return o; }
static inline float atomicExch(float *p, float v) { float o = *p; *p = v; return o; }
#define NL_EMU_ATOMIC_BITS(T)                                                              \
   static inline T atomicAnd(T *p, T v) { T o = *p; *p = o & v; return o; }                \
   static inline T atomicOr(T *p, T v) { T o = *p; *p = o | v; return o; }                 \
   static inline T atomicXor(T *p, T v) { T o = *p; *p = o ^ v; return o; }
NL_EMU_ATOMIC_BITS(int)
NL_EMU_ATOMIC_BITS(unsigned int)
NL_EMU_ATOMIC_BITS(unsigned long long)
#undef NL_EMU_ATOMIC_BITS
static inline unsigned int atomicInc(unsigned int *p, unsigned int m) {
   unsigned int o = *p; *p = o >= m ? 0 : o + 1; return o;
}
static inline unsigned int atomicDec(unsigned int *p, unsigned int m) {
   unsigned int o = *p; *p = (o == 0 || o > m) ? m : o - 1; return o;
}

// ------------------------------------------------------ integer intrinsics
static inline unsigned int __umulhi(unsigned int a, unsigned int b) { return (unsigned int)(((uint64_t)a * b) >> 32); }
static inline int __mulhi(int a, int b) { return (int)(((int64_t)a * b) >> 32); }
static inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
   return (unsigned long long)(((unsigned __int128)a * b) >> 64);
}
static inline long long __mul64hi(long long a, long long b) { return (long long)(((__int128)a * b) >> 64); }
static inline int __popc(unsigned int x) { return __builtin_popcount(x); }
static inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
static inline int __clz(int x) { return x ? __builtin_clz((unsigned)x) : 32; }
static inline int __clzll(long long x) { return x ? __builtin_clzll((unsigned long long)x) : 64; }
static inline int __ffs(int x) { return __builtin_ffs(x); }
static inline int __ffsll(long long x) { return __builtin_ffsll(x); }
static inline unsigned int __brev(unsigned int x) {
   unsigned int r = 0;
   for (int i = 0; i < 32; i++) r |= ((x >> i) & 1u) << (31 - i);
   return r;
}
static inline int __mul24(int a, int b) { return a * b; }
static inline unsigned int __umul24(unsigned int a, unsigned int b) { return a * b; }

// bit casts
#define NL_EMU_CAST(name, A, B) static inline B name(A a) { B b; memcpy(&b, &a, sizeof b); return b; }
NL_EMU_CAST(__double_as_longlong, double, long long)
NL_EMU_CAST(__longlong_as_double, long long, double)
NL_EMU_CAST(__float_as_int, float, int)
NL_EMU_CAST(__int_as_float, int, float)
NL_EMU_CAST(__float_as_uint, float, unsigned int)
NL_EMU_CAST(__uint_as_float, unsigned int, float)
#undef NL_EMU_CAST
static inline int __double2hiint(double d) { return (int)(__double_as_longlong(d) >> 32); }
static inline int __double2loint(double d) { return (int)__double_as_longlong(d); }
static inline double __hiloint2double(int hi, int lo) {
   return __longlong_as_double((long long)(((unsigned long long)(unsigned)hi << 32) | (unsigned)lo));
}

// ---------------------------------------------------------- float math
// (glibc declares some of these names itself: macros, not functions)
#define __expf expf
#define __logf logf
#define __log2f log2f
#define __log10f log10f
#define __powf powf
#define __sinf sinf
#define __cosf cosf
#define __tanf tanf
static inline float __fdividef(float x, float y) { return x / y; }
static inline float fdividef(float x, float y) { return x / y; }
static inline float __saturatef(float x) { return x != x ? 0.f : (x < 0.f ? 0.f : (x > 1.f ? 1.f : x)); }
static inline float rsqrtf(float x) { return 1.f / sqrtf(x); }
static inline double rsqrt(double x) { return 1.0 / sqrt(x); }
static inline float __frcp_rn(float x) { return 1.f / x; }
static inline double __drcp_rn(double x) { return 1.0 / x; }
static inline float __fsqrt_rn(float x) { return sqrtf(x); }
static inline double __dsqrt_rn(double x) { return sqrt(x); }
static inline float __fadd_rn(float a, float b) { return a + b; }
static inline float __fmul_rn(float a, float b) { return a * b; }
static inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
static inline double __dadd_rn(double a, double b) { return a + b; }
static inline double __dmul_rn(double a, double b) { return a * b; }
static inline double __fma_rn(double a, double b, double c) { return fma(a, b, c); }
static inline void sincospif(float x, float *s, float *c) { *s = sinf((float)M_PI * x); *c = cosf((float)M_PI * x); }
static inline float normcdff(float x) { return 0.5f * erfcf(-x / sqrtf(2.f)); }
static inline double normcdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }
static inline int __float2int_rn(float x) { return (int)nearbyintf(x); }
static inline int __float2int_rz(float x) { return (int)x; }
static inline int __float2int_rd(float x) { return (int)floorf(x); }
static inline int __float2int_ru(float x) { return (int)ceilf(x); }
static inline int __double2int_rn(double x) { return (int)nearbyint(x); }
static inline int __double2int_rz(double x) { return (int)x; }
static inline float __int2float_rn(int x) { return (float)x; }
static inline float __double2float_rn(double x) { return (float)x; }
static inline double __int2double_rn(int x) { return (double)x; }
static inline long long __float2ll_rn(float x) { return (long long)nearbyintf(x); }
static inline long long __double2ll_rn(double x) { return (long long)nearbyint(x); }

#ifdef __cplusplus
// CUDA's global min and max (integer and floating overloads)
template <class A, class B> static inline typename std::common_type<A, B>::type min(A a, B b) {
   typedef typename std::common_type<A, B>::type C;
   return (C)b < (C)a ? (C)b : (C)a;
}
template <class A, class B> static inline typename std::common_type<A, B>::type max(A a, B b) {
   typedef typename std::common_type<A, B>::type C;
   return (C)a < (C)b ? (C)b : (C)a;
}
#endif

// --------------------------------------------------------------- launches
namespace nl_emu {
struct cfg {
   dim3 grid, block;
   size_t smem;
   cudaStream_t stream;
   cfg(dim3 g, dim3 b, size_t s = 0, cudaStream_t st = 0) : grid(g), block(b), smem(s), stream(st) {}
};
// Runs the grid: body(ctx) once per emulated thread. 0, or the launch's
// error (also left for cudaGetLastError, as CUDA does).
int run(const cfg &c, void (*body)(void *), void *ctx, const char *where);
// 1 when p lies in memory that cudaMalloc gave (or is NULL)
int is_device_pointer(const void *p);
int bad_argument(const char *where, int index);

template <class T> static inline int check_arg(const char *, int, const T &) { return 0; }
template <class T> static inline int check_arg(const char *where, int index, T *const &p) {
   return is_device_pointer((const void *)p) ? 0 : bad_argument(where, index);
}

template <class F, class... A> struct launch_ctx {
   F f;
   std::tuple<A...> args;
   static void body(void *p) {
      launch_ctx *c = (launch_ctx *)p;
      std::apply(c->f, c->args);
   }
};

// k<<<c>>>(args...): the arguments are evaluated once, as for a launch;
// pointer arguments must be device memory (a host pointer in a kernel
// argument faults on a GPU).
template <class F, class... A> static inline void launch(const cfg &c, const char *where, F f, A &&...args) {
   launch_ctx<F, typename std::decay<A>::type...> ctx{f, std::tuple<typename std::decay<A>::type...>(
                                                             std::forward<A>(args)...)};
   int i = 0, bad = 0;
   std::apply([&](auto &...a) { ((bad |= check_arg(where, ++i, a)), ...); }, ctx.args);
   if (!bad) run(c, &launch_ctx<F, typename std::decay<A>::type...>::body, &ctx, where);
}
// the start of dynamic shared memory (extern __shared__ arrays)
void *dyn_smem(void);
// fills a __shared__ variable with 0xFF bytes, once per block
void shared_poison(void *p, size_t bytes);
// device memory is accessible while one of these lives (a kernel, a copy,
// a library call; translate.lua puts one around each thrust call)
struct Open {
   Open();
   ~Open();
   Open(const Open &) = delete;
};
}  // namespace nl_emu

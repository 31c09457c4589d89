// random.cu: the CUDA backend's random fills (runtime/random.c's entry
// points) from a counter-based generator, Philox4x32-10, as cutorch has a
// generator of its own, apart from the CPU's MT19937 (torch.manualSeed does
// not seed it; nl_cuda_manual_seed does, and cutorch.manualSeed is to call
// it). Element i of the f-th fill since seeding draws from the block
// Philox(key = seed, counter = (i, f)): a value depends on the seed, the
// call and the element's row-major position only, never on the launch
// configuration, so a seed replays the same tensors.
//
// The state is 24 bytes (magic, seed, fills so far), read and written by
// nl_cuda_get_rng_state / nl_cuda_set_rng_state as a CPU ByteTensor, as
// Torch7's cutorch.getRNGState returns one. The table's random_get_state
// and random_set_state entries (the CPU generator's state held in a CUDA
// ByteTensor) go through the host: they move the CPU generator's bytes.
#include "cuda_common.h"
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <thrust/execution_policy.h>
#include <thrust/sort.h>
#include <time.h>
#include <unistd.h>

#define NL_CUDA_API extern "C" __attribute__((visibility("default")))

static const int THREADS = 256;
static const uint64_t MAGIC = 0x314e58484c504e4eull;   // "NNPLHXN1"

struct rng_state {
   uint64_t magic, seed, fills;
};
static rng_state gen = {MAGIC, 0, 0};
static bool seeded = false;

// ----------------------------------------------------------- Philox4x32-10

struct u32x4 { uint32_t x, y, z, w; };

__device__ static inline u32x4 philox(uint64_t seed, uint64_t i, uint64_t f) {
   uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
   u32x4 c = {(uint32_t)i, (uint32_t)(i >> 32), (uint32_t)f, (uint32_t)(f >> 32)};
   for (int r = 0; r < 10; r++) {
      uint32_t lo0 = 0xD2511F53u * c.x, hi0 = __umulhi(0xD2511F53u, c.x);
      uint32_t lo1 = 0xCD9E8D57u * c.z, hi1 = __umulhi(0xCD9E8D57u, c.z);
      c = {hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0};
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
   }
   return c;
}

// [0, 1) with 53 bits from two words
__device__ static inline double unit(uint32_t hi, uint32_t lo) {
   return (double)((((uint64_t)hi << 32) | lo) >> 11) * (1.0 / 9007199254740992.0);
}

struct FillArgs {
   int dist;
   double a, b;
   int64_t lo;
   uint64_t range;
   uint64_t seed, f;
};

// one element's draw of dist (parameters checked by the front function)
__device__ static inline double draw(const FillArgs &p, int64_t i) {
   u32x4 r = philox(p.seed, (uint64_t)i, p.f);
   double u = unit(r.x, r.y);
   switch (p.dist) {
   case NL_RNG_UNIFORM: return u * (p.b - p.a) + p.a;
   case NL_RNG_NORMAL: return sqrt(-2.0 * log(1.0 - unit(r.z, r.w))) * cos(2.0 * M_PI * u) * p.b + p.a;
   case NL_RNG_EXPONENTIAL: return -1.0 / p.a * log(1.0 - u);
   case NL_RNG_CAUCHY: return p.a + p.b * tan(M_PI * (u - 0.5));
   case NL_RNG_LOGNORMAL: {
      double zm = p.a * p.a, zs = p.b * p.b;
      double n = sqrt(-2.0 * log(1.0 - unit(r.z, r.w))) * cos(2.0 * M_PI * u);
      return exp(n * sqrt(log(zs / zm + 1.0)) + log(zm / sqrt(zs + zm)));
   }
   case NL_RNG_GEOMETRIC: return floor(log(1.0 - u) / log(p.a)) + 1.0;
   case NL_RNG_BERNOULLI: return u <= p.a ? 1.0 : 0.0;
   default: return 0;
   }
}

template <typename T> struct IsFloatT { static const bool value = false; };
template <> struct IsFloatT<float> { static const bool value = true; };
template <> struct IsFloatT<double> { static const bool value = true; };

template <typename T> __global__ void fill_kernel(T *t, nl_cuda_geom g, int64_t n, FillArgs p) {
   NL_CUDA_LOOP(i, n) {
      T v;
      if (p.dist == NL_RNG_RANDOM || p.dist == NL_RNG_RANDOM1 || p.dist == NL_RNG_RANDOM2) {
         u32x4 r = philox(p.seed, (uint64_t)i, p.f);
         uint64_t w = ((uint64_t)r.x << 32) | r.y;
         v = (T)(int64_t)((uint64_t)p.lo + w % p.range);
      } else {
         double d = draw(p, i);
         v = IsFloatT<T>::value ? (T)d : (T)(int64_t)d;
      }
      t[nl_cuda_offset(g, i)] = v;
   }
}

template <typename T>
__global__ void bernoulli_kernel(T *t, nl_cuda_geom g, const double *q, nl_cuda_geom gq, int64_t n, uint64_t seed,
                                 uint64_t f) {
   NL_CUDA_LOOP(i, n) {
      u32x4 r = philox(seed, (uint64_t)i, f);
      t[nl_cuda_offset(g, i)] = (T)(unit(r.x, r.y) <= q[nl_cuda_offset(gq, i)] ? 1 : 0);
   }
}

// a probability outside [0, 1] (or NaN), if any, into *bad
__global__ void bad_prob_kernel(double *bad, const double *q, nl_cuda_geom gq, int64_t n) {
   NL_CUDA_LOOP(i, n) {
      double x = q[nl_cuda_offset(gq, i)];
      if (!(x >= 0 && x <= 1)) *bad = x;
   }
}

// randperm: a random 64-bit key per position; positions sorted by key
__global__ void perm_keys_kernel(uint64_t *keys, int64_t *vals, int64_t n, uint64_t seed, uint64_t f) {
   NL_CUDA_LOOP(i, n) {
      u32x4 r = philox(seed, (uint64_t)i, f);
      keys[i] = ((uint64_t)r.x << 32) | r.y;
      vals[i] = i + 1;
   }
}

template <typename T> __global__ void perm_write_kernel(T *r, int64_t st, const int64_t *vals, int64_t n) {
   NL_CUDA_LOOP(i, n) r[i * st] = (T)vals[i];
}

// ------------------------------------------------------------- generator

static uint64_t fresh_seed(void) {
   uint64_t s = 0;
   int fd = open("/dev/urandom", O_RDONLY);
   if (fd >= 0) {
      if (read(fd, &s, sizeof s) != (ssize_t)sizeof s) s = 0;
      close(fd);
   }
   if (s == 0) {
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      s = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec;
   }
   return s & ((1ull << 53) - 1);
}

// The counter word of the next fill.
static uint64_t next_fill(void) {
   if (!seeded) {
      gen = {MAGIC, fresh_seed(), 0};
      seeded = true;
   }
   return gen.fills++;
}

NL_CUDA_API int nl_cuda_manual_seed(int64_t seed) {
   gen = {MAGIC, (uint64_t)seed, 0};
   seeded = true;
   return 0;
}

// reseeds from /dev/urandom; returns the seed (< 2^53)
NL_CUDA_API int64_t nl_cuda_seed(void) {
   nl_cuda_manual_seed((int64_t)fresh_seed());
   return (int64_t)gen.seed;
}

NL_CUDA_API int64_t nl_cuda_initial_seed(void) {
   if (!seeded) next_fill(), gen.fills = 0;
   return (int64_t)gen.seed;
}

// [OUT] res: a CPU ByteTensor resized to the state's 24 bytes
NL_CUDA_API int nl_cuda_get_rng_state(nl_tensor *res) {
   if (res->_dtype != NL_BYTE || res->_device != NL_CPU)
      return nl_errorf("cutorch.getRNGState: expected a torch.ByteTensor, got %s", nl_type_name(res));
   int64_t n = (int64_t)sizeof gen;
   if (nl_tensor_resize(res, 1, &n)) return -1;
   if (!nl_tensor_is_contiguous(res)) return nl_errorf("cutorch.getRNGState: the state tensor must be contiguous");
   if (!seeded) next_fill(), gen.fills = 0;
   memcpy(nl_ptr(res), &gen, sizeof gen);
   return 0;
}

NL_CUDA_API int nl_cuda_set_rng_state(const nl_tensor *state) {
   const char *fn = "cutorch.setRNGState";
   if (state->_dtype != NL_BYTE || state->_device != NL_CPU)
      return nl_errorf("%s: expected a torch.ByteTensor, got %s", fn, nl_type_name(state));
   if (nl_numel(state) != (int64_t)sizeof gen || !nl_tensor_is_contiguous(state))
      return nl_errorf("%s: the state should be %d contiguous bytes, got %lld", fn, (int)sizeof gen,
                       (long long)nl_numel(state));
   rng_state s;
   memcpy(&s, nl_ptr(state), sizeof s);
   if (s.magic != MAGIC) return nl_errorf("%s: invalid RNG state (not made by cutorch.getRNGState)", fn);
   gen = s;
   seeded = true;
   return 0;
}

// ---------------------------------------------------------- entry points

// Modulus of tensor:random() with no bound (the CPU's: the positive range
// of the type, 2^24+1 for float, 2^53+1 for double).
static uint64_t random_modulus(int dtype) {
   switch (dtype) {
   case NL_BYTE: return 256u;
   case NL_CHAR: return 128u;
   case NL_SHORT: return 32768u;
   case NL_INT: return 2147483648u;
   case NL_LONG: return 9223372036854775808u;
   case NL_FLOAT: return (1u << 24) + 1;
   case NL_DOUBLE: return (1ull << 53) + 1;
   default: return 1;
   }
}

struct RandomFill {
   nl_tensor *t; FillArgs p;
   template <typename T> int run() {
      int64_t n = nl_numel(t);
      fill_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(t), nl_cuda_geom_of(t), n, p);
      NL_CUDA_CHECK("random", cudaGetLastError());
      return 0;
   }
};

// the front function checked the distribution's parameters and t's dtype
static int cuda_random_fill(nl_tensor *t, int dist, double a, double b) {
   if (nl_numel(t) == 0) return 0;
   bool real = dist == NL_RNG_UNIFORM || dist == NL_RNG_NORMAL || dist == NL_RNG_EXPONENTIAL || dist == NL_RNG_CAUCHY ||
               dist == NL_RNG_LOGNORMAL;
   // a float tensor takes float parameters, as on the CPU
   if (real && t->_dtype == NL_FLOAT) a = (float)a, b = (float)b;
   FillArgs p = {dist, a, b, 0, 1, 0, 0};
   switch (dist) {
   case NL_RNG_RANDOM: p.lo = 0, p.range = random_modulus(t->_dtype); break;
   case NL_RNG_RANDOM1: p.lo = 1, p.range = (uint64_t)(int64_t)b; break;
   case NL_RNG_RANDOM2: p.lo = (int64_t)a, p.range = (uint64_t)(int64_t)b - (uint64_t)(int64_t)a + 1u; break;
   default: break;
   }
   if (p.range == 0) p.range = 1;   // the whole 64-bit range would wrap; the front function bounds it
   p.f = next_fill();
   p.seed = gen.seed;
   return nl_cuda_dispatch(t->_dtype, RandomFill{t, p});
}

struct Bernoulli {
   nl_tensor *t; const nl_tensor *q; uint64_t seed, f;
   template <typename T> int run() {
      int64_t n = nl_numel(t);
      bernoulli_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(t), nl_cuda_geom_of(t),
                                                                 (const double *)nl_ptr(q), nl_cuda_geom_of(q), n, seed, f);
      NL_CUDA_CHECK("bernoulli", cudaGetLastError());
      return 0;
   }
};

// probabilities checked on the device (one double comes back), as the CPU
// checks them before drawing
static int cuda_bernoulli_tensor(nl_tensor *t, const nl_tensor *q) {
   int64_t n = nl_numel(q);
   if (n == 0) return 0;
   nl_cuda_tmp dbad(NL_DOUBLE, NL_CUDA), hbad(NL_DOUBLE, NL_CPU);
   int64_t one = 1;
   if (nl_tensor_resize(&dbad.t, 1, &one) || nl_tensor_resize(&hbad.t, 1, &one) || nl_fill(&dbad.t, 0.5)) return -1;
   bad_prob_kernel<<<nl_cuda_blocks(n, THREADS), THREADS>>>((double *)nl_ptr(&dbad.t), (const double *)nl_ptr(q),
                                                           nl_cuda_geom_of(q), n);
   NL_CUDA_CHECK("bernoulli", cudaGetLastError());
   if (nl_copy(&hbad.t, &dbad.t)) return -1;
   double bad = *(const double *)nl_ptr(&hbad.t);
   if (!(bad >= 0 && bad <= 1)) return nl_errorf("bernoulli: probability must be >= 0 and <= 1, got %g", bad);
   uint64_t f = next_fill();
   return nl_cuda_dispatch(t->_dtype, Bernoulli{t, q, gen.seed, f});
}

struct PermWrite {
   nl_tensor *res; const int64_t *vals; int64_t n;
   template <typename T> int run() {
      perm_write_kernel<T><<<nl_cuda_blocks(n, THREADS), THREADS>>>((T *)nl_ptr(res), res->_stride[0], vals, n);
      NL_CUDA_CHECK("randperm", cudaGetLastError());
      return 0;
   }
};

// res was resized to (n) by the front function
static int cuda_random_randperm(nl_tensor *res, int64_t n) {
   nl_cuda_tmp keys(NL_LONG, NL_CUDA), vals(NL_LONG, NL_CUDA);
   if (nl_tensor_resize(&keys.t, 1, &n) || nl_tensor_resize(&vals.t, 1, &n)) return -1;
   uint64_t *k = (uint64_t *)nl_ptr(&keys.t);
   int64_t *v = (int64_t *)nl_ptr(&vals.t);
   uint64_t f = next_fill();
   perm_keys_kernel<<<nl_cuda_blocks(n, THREADS), THREADS>>>(k, v, n, gen.seed, f);
   NL_CUDA_CHECK("randperm", cudaGetLastError());
   try {
      thrust::sort_by_key(thrust::device, k, k + n, v);
   } catch (const std::exception &e) {
      return nl_errorf("randperm: %s", e.what());
   }
   return nl_cuda_dispatch(res->_dtype, PermWrite{res, v, n});
}

// The CPU generator's state in a CUDA ByteTensor (resized by the front
// function): its bytes through a host tensor.
static int cuda_random_get_state(nl_tensor *res) {
   nl_cuda_tmp h(NL_BYTE, NL_CPU);
   return nl_random_get_state(&h.t) || nl_copy(res, &h.t) ? -1 : 0;
}

static int cuda_random_set_state(const nl_tensor *state) {
   nl_cuda_tmp h(NL_BYTE, NL_CPU);
   return nl_cuda_to_host(h, state) || nl_random_set_state(&h.t) ? -1 : 0;
}

extern "C" void nl_cuda_register_random(nl_backend *b) {
   b->ops.random_fill = cuda_random_fill;
   b->ops.random_bernoulli_tensor = cuda_bernoulli_tensor;
   b->ops.random_randperm = cuda_random_randperm;
   b->ops.random_get_state = cuda_random_get_state;
   b->ops.random_set_state = cuda_random_set_state;
}

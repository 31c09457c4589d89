/* random.c: Torch7's random number generator (TH's THRandom): MT19937 with
 * Torch7's seeding, doubles made of one 32-bit draw divided by 2^32,
 * Box-Muller normals that cache the second value of each pair, and the
 * tensor fills of THTensorRandom, so that a seed gives Torch7's streams.
 *
 * One global generator, like Torch7's default one. It has no lock: draw
 * from one thread at a time (the Lua state's thread). Tensor fills run
 * serially in the tensor's logical (row-major) element order, never inside
 * an OpenMP region, so a seed gives the same numbers whatever the thread
 * count and whatever the tensor's strides. The per-dtype fills are in
 * random_impl.h; tensors of a device go through the gate (backend.h). */
#include "apply.h"
#include "backend.h"
#include <math.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>

enum { MT_N = 624, MT_M = 397 };

/* The layout of Torch7's THGenerator on LP64 systems, so that the bytes of
 * getRNGState() are the ones Torch7 writes (5048 bytes). */
typedef struct generator {
   uint64_t initial_seed;
   int left;             /* draws left before the next twist, plus one */
   int seeded;
   uint64_t next;        /* index of the next state word */
   uint64_t state[MT_N];
   double normal_x, normal_y, normal_rho;
   int normal_is_valid;  /* 1: the sine half of the pair is still unused */
} generator;

static generator gen;

static void manual_seed(uint64_t seed) {
   memset(&gen, 0, sizeof gen);
   gen.initial_seed = seed;
   gen.state[0] = seed & 0xffffffffu;
   for (int j = 1; j < MT_N; j++) {
      uint64_t p = gen.state[j - 1];
      gen.state[j] = (1812433253u * (p ^ (p >> 30)) + (uint64_t)j) & 0xffffffffu;
   }
   gen.left = 1;
   gen.seeded = 1;
}

/* A seed from /dev/urandom (the clock if it cannot be read), kept below
 * 2^53 so that a Lua number holds it exactly and
 * torch.manualSeed(torch.initialSeed()) replays the stream. */
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

static inline void ensure_seeded(void) {
   if (!gen.seeded) manual_seed(fresh_seed());
}

#define MIXBITS(u, v) (((u) & 0x80000000u) | ((v) & 0x7fffffffu))
#define TWIST(u, v) ((MIXBITS(u, v) >> 1) ^ (((v) & 1u) ? 0x9908b0dfu : 0u))

static void next_state(void) {
   uint64_t *p = gen.state;
   gen.left = MT_N;
   gen.next = 0;
   for (int j = 0; j < MT_N - MT_M; j++) p[j] = p[j + MT_M] ^ TWIST(p[j], p[j + 1]);
   for (int j = MT_N - MT_M; j < MT_N - 1; j++) p[j] = p[j + MT_M - MT_N] ^ TWIST(p[j], p[j + 1]);
   p[MT_N - 1] = p[MT_M - 1] ^ TWIST(p[MT_N - 1], p[0]);
}

/* One tempered 32-bit draw. */
static inline uint64_t draw32(void) {
   if (--gen.left == 0) next_state();
   uint64_t y = gen.state[gen.next++];
   y ^= y >> 11;
   y ^= (y << 7) & 0x9d2c5680u;
   y ^= (y << 15) & 0xefc60000u;
   y ^= y >> 18;
   return y & 0xffffffffu;
}

/* [0, 1) with 32 bits of resolution, as Torch7 */
static inline double draw_unit(void) { return (double)draw32() * (1.0 / 4294967296.0); }

static inline double draw_normal(double mean, double std) {
   if (!gen.normal_is_valid) {
      gen.normal_x = draw_unit();
      gen.normal_y = draw_unit();
      gen.normal_rho = sqrt(-2.0 * log(1.0 - gen.normal_y));
      gen.normal_is_valid = 1;
      return gen.normal_rho * cos(2.0 * M_PI * gen.normal_x) * std + mean;
   }
   gen.normal_is_valid = 0;
   return gen.normal_rho * sin(2.0 * M_PI * gen.normal_x) * std + mean;
}

/* One draw of distribution d with parameters a, b (checked by the caller). */
static inline double draw(int d, double a, double b) {
   switch (d) {
   case NL_RNG_UNIFORM: return draw_unit() * (b - a) + a;
   case NL_RNG_NORMAL: return draw_normal(a, b);
   case NL_RNG_EXPONENTIAL: return -1.0 / a * log(1.0 - draw_unit());
   case NL_RNG_CAUCHY: return a + b * tan(M_PI * (draw_unit() - 0.5));
   /* as Torch7: mean and std are those of the underlying normal (log x) */
   case NL_RNG_LOGNORMAL: return exp(draw_normal(a, b));
   /* Torch7 truncates to int; floor in double is the same on int's range
    * and stays defined beyond it (p very close to 1) */
   case NL_RNG_GEOMETRIC: return floor(log(1.0 - draw_unit()) / log(a)) + 1.0;
   case NL_RNG_BERNOULLI: return draw_unit() <= a ? 1.0 : 0.0;
   default: return 0;
   }
}

static const char *dist_names[NL_RNG_NUM] = {
   "uniform", "normal", "exponential", "cauchy", "logNormal", "geometric", "bernoulli",
   "random", "random", "random"};

/* Integer bounds must convert to int64_t (2^63). */
#define INT64_BOUND 9223372036854775808.0

/* Argument checks shared by the scalar and tensor forms (Torch7's rules). */
static int check_params(int d, double a, double b) {
   if (d < 0 || d >= NL_RNG_NUM) return nl_errorf("random: unknown distribution %d", d);
   const char *fn = dist_names[d];
   switch (d) {
   case NL_RNG_NORMAL:
   case NL_RNG_LOGNORMAL:
      if (!(b > 0)) return nl_errorf("%s: standard deviation must be strictly positive, got %g", fn, b);
      break;
   case NL_RNG_GEOMETRIC:
      if (!(a > 0 && a < 1)) return nl_errorf("%s: probability must be > 0 and < 1, got %g", fn, a);
      break;
   case NL_RNG_BERNOULLI:
      if (!(a >= 0 && a <= 1)) return nl_errorf("%s: probability must be >= 0 and <= 1, got %g", fn, a);
      break;
   case NL_RNG_RANDOM1:
      if (!(b > 0)) return nl_errorf("%s: upper bound must be strictly positive, got %.17g", fn, b);
      if (!(b < INT64_BOUND)) return nl_errorf("%s: upper bound %.17g is beyond the 64-bit integers", fn, b);
      break;
   case NL_RNG_RANDOM2:
      if (!(b >= a))
         return nl_errorf("%s: upper bound must be larger than lower bound, got [%.17g, %.17g]", fn, a, b);
      if (!(a > -INT64_BOUND && b < INT64_BOUND))
         return nl_errorf("%s: bounds [%.17g, %.17g] are beyond the 64-bit integers", fn, a, b);
      break;
   default: break;
   }
   return 0;
}

/* Integer draws: random % (b + 1 - a) + a, computed in signed 64 bits so
 * that negative lower bounds work for every dtype. */
static inline int64_t draw_range(int64_t a, uint64_t range) {
   return (int64_t)((uint64_t)a + draw32() % range);
}

/* ------------------------------------------------------------ front API */

NL_API int nl_random_manual_seed(int64_t seed) {
   manual_seed((uint64_t)seed);
   return 0;
}

NL_API int64_t nl_random_seed(void) {
   uint64_t s = fresh_seed();
   manual_seed(s);
   return (int64_t)s;
}

NL_API int64_t nl_random_initial_seed(void) {
   ensure_seeded();
   return (int64_t)gen.initial_seed;
}


NL_API int nl_random_get_state(nl_tensor *res) {
   if (res->_dtype != NL_BYTE)
      return nl_errorf("getRNGState: expected a torch.ByteTensor, got %s", nl_type_name(res));
   int64_t n = (int64_t)sizeof gen;
   if (nl_tensor_resize(res, 1, &n)) return -1;
   if (!nl_tensor_is_contiguous(res)) return nl_errorf("getRNGState: the state tensor must be contiguous");
   NL_DEVICE_CALL("getRNGState", random_get_state, (res), res);
   ensure_seeded();
   memcpy(nl_ptr(res), &gen, sizeof gen);
   return 0;
}

NL_API int nl_random_set_state(const nl_tensor *state) {
   if (state->_dtype != NL_BYTE)
      return nl_errorf("setRNGState: expected a torch.ByteTensor, got %s", nl_type_name(state));
   if (nl_numel(state) != (int64_t)sizeof gen) {
      char s[NL_SHAPE_BUF];
      return nl_errorf("setRNGState: the state has %lld bytes (size %s), expected %d", (long long)nl_numel(state),
                       nl_shape_str(s, sizeof s, state), (int)sizeof gen);
   }
   if (!nl_tensor_is_contiguous(state)) return nl_errorf("setRNGState: the state tensor must be contiguous");
   NL_DEVICE_CALL("setRNGState", random_set_state, (state), state);
   generator g;
   memcpy(&g, nl_ptr(state), sizeof g);
   if (g.seeded != 1 || g.left < 1 || g.left > MT_N || g.next > MT_N)
      return nl_errorf("setRNGState: invalid RNG state (not made by getRNGState)");
   gen = g;
   return 0;
}

NL_API int nl_random_draw(double *out, int dist, double a, double b) {
   if (check_params(dist, a, b)) return -1;
   ensure_seeded();
   switch (dist) {
   case NL_RNG_RANDOM: *out = (double)draw32(); break;
   case NL_RNG_RANDOM1: *out = (double)draw_range(1, (uint64_t)(int64_t)b); break;
   case NL_RNG_RANDOM2: *out = (double)draw_range((int64_t)a, (uint64_t)(int64_t)b - (uint64_t)(int64_t)a + 1u); break;
   default: *out = draw(dist, a, b); break;
   }
   return 0;
}

/* What a fill draws: the distribution and its parameters. */
typedef struct fill_ctx {
   int dist;
   double a, b;
   int64_t lo;           /* integer draws: lower bound */
   uint64_t range;       /* integer draws: modulus */
   int prob_tensor;      /* bernoulli with a tensor of probabilities (p[1]) */
} fill_ctx;

#define RCAT_(a, b) a##b
#define RCAT(a, b) RCAT_(a, b)

#define NL_IMPL "random_impl.h"
#include "dtype_each.h"

/* the kernels by dtype; NULL: a type without random fills */
static const nl_row_fn fill_rows[NL_NUM_DTYPES] = {
   [NL_BYTE] = fill_row_Byte, [NL_CHAR] = fill_row_Char, [NL_SHORT] = fill_row_Short, [NL_INT] = fill_row_Int,
   [NL_LONG] = fill_row_Long, [NL_FLOAT] = fill_row_Float, [NL_DOUBLE] = fill_row_Double};
static void (*const perms[NL_NUM_DTYPES])(void *r, int64_t n, int64_t st) = {
   [NL_BYTE] = perm_Byte, [NL_CHAR] = perm_Char, [NL_SHORT] = perm_Short, [NL_INT] = perm_Int,
   [NL_LONG] = perm_Long, [NL_FLOAT] = perm_Float, [NL_DOUBLE] = perm_Double};

/* Modulus of tensor:random() with no bound, per dtype (Torch7's: the
 * positive range of the type, 2^24+1 for float, 2^53+1 for double). */
static const uint64_t random_modulus[NL_NUM_DTYPES] = {
   [NL_BYTE] = 256u, [NL_CHAR] = 128u, [NL_SHORT] = 32768u, [NL_INT] = 2147483648u,
   [NL_LONG] = 9223372036854775808u, [NL_FLOAT] = (1u << 24) + 1, [NL_DOUBLE] = (1ull << 53) + 1};

static int check_dtype(const char *fn, const nl_tensor *t) {
   if (t->_dtype < 0 || t->_dtype >= NL_NUM_DTYPES || !fill_rows[t->_dtype])
      return nl_errorf("%s: unsupported tensor type %s", fn, nl_type_name(t));
   return 0;
}

/* Fills t (and reads prob, a double tensor of t's size, or NULL) in
 * element order; after the gate. */
static int run_fill(const char *fn, nl_tensor *t, const nl_tensor *prob, fill_ctx *c) {
   if (nl_numel(t) == 0) return 0;
   nl_iter it;
   const nl_tensor *ts[2] = {t, prob};
   if (nl_iter_init(fn, &it, prob ? 2 : 1, ts)) return -1;
   ensure_seeded();
   /* serial: the stream must follow the element order */
   nl_iter_run_grain(&it, fill_rows[t->_dtype], c, INT64_MAX);
   return 0;
}

NL_API int nl_random_fill(nl_tensor *t, int dist, double a, double b) {
   if (check_params(dist, a, b)) return -1;
   const char *fn = dist_names[dist];
   if (check_dtype(fn, t)) return -1;
   int is_float = nl_dtypes[t->_dtype].is_float;
   int real_params = dist == NL_RNG_UNIFORM || dist == NL_RNG_NORMAL || dist == NL_RNG_EXPONENTIAL ||
                     dist == NL_RNG_CAUCHY || dist == NL_RNG_LOGNORMAL;
   if (real_params) {
      if (!is_float) return nl_errorf("%s: expected a torch.FloatTensor or torch.DoubleTensor, got %s", fn, nl_type_name(t));
      if (dist == NL_RNG_EXPONENTIAL && !(a > 0)) return nl_errorf("%s: rate must be strictly positive, got %g", fn, a);
   }
   NL_DEVICE_CALL(fn, random_fill, (t), t, dist, a, b);
   /* Torch7 passes these parameters as the tensor's real type. volatile:
    * GCC 12's SLP vectorizer at -O2 drops this float rounding when the
    * pair (a, b) is packed into one vector (a miscompilation). */
   if (real_params && t->_dtype == NL_FLOAT) {
      volatile float fa = (float)a, fb = (float)b;
      a = fa, b = fb;
   }
   fill_ctx c = {dist, a, b, 0, 1, 0};
   switch (dist) {
   case NL_RNG_RANDOM: c.lo = 0, c.range = random_modulus[t->_dtype]; break;
   case NL_RNG_RANDOM1: c.lo = 1, c.range = (uint64_t)(int64_t)b; break;
   case NL_RNG_RANDOM2: c.lo = (int64_t)a, c.range = (uint64_t)(int64_t)b - (uint64_t)(int64_t)a + 1u; break;
   default: break;
   }
   return run_fill(fn, t, NULL, &c);
}

/* Finds a probability outside [0, 1] (or nan) in a row of doubles. */
static void find_bad_prob(void *ctx, int64_t n, char **p, const int64_t *s) {
   double *bad = (double *)ctx;
   const double *q = (const double *)p[0];
   for (int64_t i = 0; i < n; i++)
      if (!(q[i * s[0]] >= 0 && q[i * s[0]] <= 1)) *bad = q[i * s[0]];
}

NL_API int nl_random_bernoulli_tensor(nl_tensor *t, const nl_tensor *p) {
   if (p->_dtype != NL_DOUBLE) return nl_errorf("bernoulli: probabilities must be a torch.DoubleTensor, got %s", nl_type_name(p));
   if (nl_check_same_numel("bernoulli", t, p) || check_dtype("bernoulli", t)) return -1;
   NL_DEVICE_CALL("bernoulli", random_bernoulli_tensor, (t, p), t, p);
   if (nl_numel(p) > 0) {
      nl_iter it;
      const nl_tensor *ts[1] = {p};
      double bad = 0.5;
      if (nl_iter_init("bernoulli", &it, 1, ts)) return -1;
      nl_iter_run_grain(&it, find_bad_prob, &bad, INT64_MAX);
      if (!(bad >= 0 && bad <= 1)) return nl_errorf("bernoulli: probability must be >= 0 and <= 1, got %g", bad);
   }
   fill_ctx c = {NL_RNG_BERNOULLI, 0, 0, 0, 1, 1};
   return run_fill("bernoulli", t, p, &c);
}

/* res: (n) a random permutation of 1..n */
NL_API int nl_random_randperm(nl_tensor *res, int64_t n) {
   if (n <= 0) return nl_errorf("randperm: n must be strictly positive, got %lld", (long long)n);
   if (check_dtype("randperm", res)) return -1;
   if (nl_tensor_resize(res, 1, &n)) return -1;
   NL_DEVICE_CALL("randperm", random_randperm, (res), res, n);
   ensure_seeded();
   perms[res->_dtype](nl_ptr(res), n, res->_stride[0]);
   return 0;
}

/* threads.c: one thread count for OpenMP and OpenBLAS. The runtime is
 * built against OpenBLAS's OpenMP variant, so both share libgomp's pool;
 * nl_set_num_threads governs everything (torch.setnumthreads).
 *
 * Shared cores. When other processes keep the cores busy, a parallel
 * region waits for its worker threads to be scheduled (milliseconds on a
 * loaded machine, against microseconds on a quiet one) and every region of
 * a training step pays it: a two-thread MLP epoch ran 1.7x slower than with
 * one thread beside one busy process. Each parallel region therefore
 * measures how late its last thread arrived; after a few late regions the
 * runtime runs on one thread (OpenBLAS included) for a while, then tries
 * the full count again (the pause doubles, up to 8 s, while the machine
 * stays busy). NNLUA_ADAPTIVE_THREADS=0 turns this off. */
#include "core.h"
#include <omp.h>
#include <stdlib.h>
#include <time.h>

void openblas_set_num_threads(int n);

static int nthreads = -1;

/* adaptive state (touched by the thread that starts regions only) */
static int adaptive = -1;        /* -1: not read from the environment yet */
static int degraded = 0;         /* running on one thread until `until` */
static int64_t until_ns = 0;
static int64_t pause_ns = 1000000000;
static int strikes = 0, goods = 0;
static int64_t late_ns;          /* the latest arrival of the current region */
static int64_t region_t0;

#define LATE_NS 400000           /* a thread arriving 0.4 ms late */
#define STRIKES 4
#define PAUSE_MAX_NS 8000000000ll

static int64_t now_ns(void) {
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

NL_API int nl_set_num_threads(int n) {
   if (n < 1) return nl_errorf("torch.setnumthreads: expected a positive number of threads, got %d", n);
   nthreads = n;
   degraded = 0, strikes = 0;
   omp_set_num_threads(n);
   openblas_set_num_threads(n);
   return 0;
}

NL_API int nl_get_num_threads(void) {
   if (nthreads < 0) nthreads = omp_get_max_threads();
   return nthreads;
}

/* 1 while the runtime runs on one thread because the cores are busy */
NL_API int nl_threads_degraded(void) { return degraded; }

/* the thread count for the next parallel region */
int nl_threads(void) {
   int n = nl_get_num_threads();
   if (!degraded || n < 2) return n;
   if (now_ns() < until_ns) return 1;
   degraded = 0, strikes = 0, goods = 0;
   openblas_set_num_threads(n);
   return n;
}

int nl_omp_in_parallel(void) { return omp_in_parallel(); }

/* region probes: nl_region_begin before `#pragma omp parallel`,
 * nl_region_arrive first thing inside it (every thread), nl_region_end
 * after it */
void nl_region_begin(void) {
   if (adaptive < 0) {
      const char *e = getenv("NNLUA_ADAPTIVE_THREADS");
      adaptive = !(e && e[0] == '0');
   }
   late_ns = 0;
   region_t0 = adaptive ? now_ns() : 0;
}

void nl_region_arrive(void) {
   if (!adaptive) return;
   int64_t late = now_ns() - region_t0, seen = __atomic_load_n(&late_ns, __ATOMIC_RELAXED);
   while (late > seen && !__atomic_compare_exchange_n(&late_ns, &seen, late, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
   }
}

void nl_region_end(void) {
   if (!adaptive) return;
   if (late_ns > LATE_NS) {
      goods = 0;
      if (++strikes >= STRIKES) {
         degraded = 1, strikes = 0;
         until_ns = now_ns() + pause_ns;
         pause_ns = pause_ns * 2 > PAUSE_MAX_NS ? PAUSE_MAX_NS : pause_ns * 2;
         openblas_set_num_threads(1);
      }
   } else {
      if (strikes > 0) strikes--;
      /* a long quiet stretch: the next degradation pauses briefly again */
      if (++goods > 2000) pause_ns = 1000000000, goods = 0;
   }
}

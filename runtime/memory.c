/* memory.c: counted, 64-byte aligned allocation per device, and the soft
 * limit that tells the Lua side when to run its collector. LuaJIT's GC
 * cannot see native bytes; this count lets it (DESIGN.md, Memory). */
#include "core.h"
#include "backend.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t live[NL_NUM_DEVICES];
static int64_t peak[NL_NUM_DEVICES];
static int64_t soft_base[NL_NUM_DEVICES] = {256ll << 20, 1ll << 30, 256ll << 20};
static int64_t soft_limit[NL_NUM_DEVICES] = {256ll << 20, 1ll << 30, 256ll << 20};
static int64_t max_alloc[NL_NUM_DEVICES];
static int should_collect;

/* The allocation budget. The soft limit alone lets garbage pile up to the
 * size of the working set: with a 235 MB dataset in memory, a training
 * loop's fresh batch tensors (x:index(1, idx), 0.4 MB a step) were freed
 * only every thousand steps, so the block cache (below) could not hand them
 * back and every batch page-faulted fresh memory in. Counting the bytes
 * allocated since the last collection bounds the garbage instead: a
 * collection every 64 MB of allocations (more with a large working set or
 * Lua heap) costs about a millisecond and keeps the blocks cycling. */
#define BUDGET_MIN ((int64_t)64 << 20)
static int64_t allocated[NL_NUM_DEVICES];
static int64_t budget[NL_NUM_DEVICES] = {BUDGET_MIN, BUDGET_MIN, BUDGET_MIN};
static int64_t budget_floor = BUDGET_MIN;

void nl_mem_count(int device, int64_t delta) {
   int64_t now = __atomic_add_fetch(&live[device], delta, __ATOMIC_RELAXED);
   if (now > peak[device]) peak[device] = now;
   if (delta > 0) {
      if (now > soft_limit[device]) should_collect = 1;
      if (__atomic_add_fetch(&allocated[device], delta, __ATOMIC_RELAXED) > budget[device]) should_collect = 1;
   }
}

/* the budget of device d after a collection */
static void rearm_budget(int d) {
   int64_t b = live[d] / 4;
   budget[d] = b > budget_floor ? b : budget_floor;
}

NL_API void nl_mem_set_budget_floor(int64_t lua_bytes) {
   budget_floor = lua_bytes > BUDGET_MIN ? lua_bytes : BUDGET_MIN;
   for (int d = 0; d < NL_NUM_DEVICES; d++) rearm_budget(d);
}

NL_API int64_t nl_mem_live(int device) {
   return device >= 0 && device < NL_NUM_DEVICES ? live[device] : 0;
}
NL_API int64_t nl_mem_peak(int device) {
   return device >= 0 && device < NL_NUM_DEVICES ? peak[device] : 0;
}
NL_API int64_t nl_mem_soft_limit(int device) {
   return device >= 0 && device < NL_NUM_DEVICES ? soft_limit[device] : 0;
}
NL_API int nl_mem_should_collect(void) { return should_collect; }

NL_API void nl_mem_collected(void) {
   should_collect = 0;
   for (int d = 0; d < NL_NUM_DEVICES; d++) {
      /* Memory still in use after a full collection is the working set:
       * let it double before collecting again, never below the base. */
      int64_t want = live[d] * 2;
      soft_limit[d] = want > soft_base[d] ? want : soft_base[d];
      __atomic_store_n(&allocated[d], 0, __ATOMIC_RELAXED);
      rearm_budget(d);
   }
}

/* Large CPU blocks are kept for reuse. A training step allocates the same
 * big temporaries every time (a batch from x:index(1, idx), a module's
 * outputs); malloc hands blocks of this size to mmap and back, so each
 * step page-faulted its fresh memory in again (a 128x784 float batch: about
 * 0.5 ms of faults against 60 us of copying). Freed blocks of at least
 * CACHE_MIN bytes wait here, by size, up to CACHE_CAP bytes in all; a
 * request takes the smallest cached block that fits within 25% (so memory
 * is not wasted on much larger blocks). Cached bytes are not live: they
 * are counted apart (nl_mem_cached) and released when an allocation fails
 * or on nl_mem_trim(). */
#include <pthread.h>
#define CACHE_MIN ((size_t)128 << 10)
#define CACHE_SLOTS 256
static size_t cache_cap = (size_t)256 << 20;
static struct { void *p; size_t bytes; } cache[CACHE_SLOTS];
static int cache_n;
static size_t cache_bytes;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void *cache_take(size_t bytes) {
   void *p = NULL;
   pthread_mutex_lock(&cache_lock);
   int best = -1;
   for (int i = 0; i < cache_n; i++)
      if (cache[i].bytes >= bytes && cache[i].bytes <= bytes + bytes / 4 &&
          (best < 0 || cache[i].bytes < cache[best].bytes))
         best = i;
   if (best >= 0) {
      p = cache[best].p;
      cache_bytes -= cache[best].bytes;
      cache[best] = cache[--cache_n];
   }
   pthread_mutex_unlock(&cache_lock);
   return p;
}

/* 1 when the block was kept */
static int cache_put(void *p, size_t bytes) {
   int kept = 0;
   pthread_mutex_lock(&cache_lock);
   if (bytes <= cache_cap) {
      /* make room: drop the oldest blocks */
      while (cache_n > 0 && (cache_n == CACHE_SLOTS || cache_bytes + bytes > cache_cap)) {
         free(cache[0].p);
         cache_bytes -= cache[0].bytes;
         memmove(&cache[0], &cache[1], (size_t)(cache_n - 1) * sizeof cache[0]);
         cache_n--;
      }
      cache[cache_n].p = p, cache[cache_n].bytes = bytes;
      cache_n++;
      cache_bytes += bytes;
      kept = 1;
   }
   pthread_mutex_unlock(&cache_lock);
   return kept;
}

NL_API void nl_mem_trim(void) {
   pthread_mutex_lock(&cache_lock);
   for (int i = 0; i < cache_n; i++) free(cache[i].p);
   cache_n = 0;
   cache_bytes = 0;
   pthread_mutex_unlock(&cache_lock);
}

NL_API int64_t nl_mem_cached(void) { return (int64_t)cache_bytes; }

/* the cache's size; 0 turns it off (NNLUA_CPU_CACHE_MB sets it at start) */
NL_API void nl_mem_set_cache(int64_t bytes) {
   cache_cap = bytes > 0 ? (size_t)bytes : 0;
   if (!cache_cap) nl_mem_trim();
}

static int64_t cpu_max_alloc(void) {
   if (!max_alloc[NL_CPU]) {
      long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
      max_alloc[NL_CPU] = pages > 0 && page > 0 ? (int64_t)pages * page : (int64_t)1 << 40;
   }
   return max_alloc[NL_CPU];
}

/* MemAvailable from /proc/meminfo in bytes (-1 when unknown) */
static int64_t cpu_available(void) {
   FILE *f = fopen("/proc/meminfo", "r");
   if (!f) return -1;
   char line[256];
   int64_t kb = -1;
   while (fgets(line, sizeof line, f))
      if (sscanf(line, "MemAvailable: %lld kB", (long long *)&kb) == 1) break;
   fclose(f);
   return kb < 0 ? -1 : kb * 1024;
}

/* Allocations of a quarter of the machine's memory or more are checked
 * against the memory actually available now: asking for more than that
 * would page the machine to death (or be killed) instead of failing. */
static int cpu_fits(size_t bytes) {
   if ((int64_t)bytes > cpu_max_alloc()) {
      nl_errorf("cannot allocate %.3g GB: more than this machine's memory (%.3g GB)", bytes / 1e9,
                cpu_max_alloc() / 1e9);
      return 0;
   }
   if ((int64_t)bytes < cpu_max_alloc() / 4) return 1;
   int64_t avail = cpu_available();
   if (avail < 0) return 1;
   if ((int64_t)bytes > avail && cache_bytes) {
      nl_mem_trim();
      avail = cpu_available();
   }
   if ((int64_t)bytes > avail) {
      nl_errorf("cannot allocate %.3g GB: only %.3g GB of this machine's %.3g GB is available now",
                bytes / 1e9, avail / 1e9, cpu_max_alloc() / 1e9);
      return 0;
   }
   return 1;
}

void *nl_mem_alloc(int device, size_t bytes) {
   if (device == NL_CPU) {
      if (!cpu_fits(bytes)) return NULL;
      static int env_read;
      if (!env_read) {
         env_read = 1;
         const char *e = getenv("NNLUA_CPU_CACHE_MB");
         if (e) nl_mem_set_cache((int64_t)atoll(e) << 20);
      }
      size_t rounded = (bytes + 63) & ~(size_t)63;
      void *p = rounded >= CACHE_MIN && cache_cap ? cache_take(rounded) : NULL;
      if (!p) p = aligned_alloc(64, rounded ? rounded : 64);
      if (!p && cache_n) {
         nl_mem_trim();
         p = aligned_alloc(64, rounded ? rounded : 64);
      }
      if (!p) { nl_errorf("out of memory allocating %zu bytes", bytes); return NULL; }
      nl_mem_count(device, (int64_t)bytes);
      return p;
   }
   const nl_backend *b = nl_backend_get("allocation", device);
   if (!b) return NULL;
   if (max_alloc[device] && (int64_t)bytes > max_alloc[device]) {
      nl_errorf("cannot allocate %.3g GB on %s: limit %.3g GB", bytes / 1e9, b->name, max_alloc[device] / 1e9);
      return NULL;
   }
   void *p = b->alloc(bytes);
   if (!p && bytes) { nl_errorf("out of %s memory allocating %zu bytes", b->name, bytes); return NULL; }
   nl_mem_count(device, (int64_t)bytes);
   return p;
}

void nl_mem_free(int device, void *p, size_t bytes) {
   if (!p) return;
   if (device == NL_CPU) {
      /* the block's real size is the rounded one; cache_take may have
       * handed out a block up to 25% larger, which is then kept under the
       * smaller size (the excess is only unused tail) */
      size_t rounded = (bytes + 63) & ~(size_t)63;
      if (!(rounded >= CACHE_MIN && cache_cap && cache_put(p, rounded))) free(p);
   }
   else {
      const nl_backend *b = nl_backend_get("free", device);
      if (b) b->free(p, bytes);
   }
   nl_mem_count(device, -(int64_t)bytes);
}

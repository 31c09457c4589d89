/* memory.c: counted, 64-byte aligned allocation per device, and the soft
 * limit that tells the Lua side when to run its collector. LuaJIT's GC
 * cannot see native bytes; this count lets it (DESIGN.md, Memory). */
#include "core.h"
#include "backend.h"
#include <stdlib.h>
#include <unistd.h>

static int64_t live[NL_NUM_DEVICES];
static int64_t peak[NL_NUM_DEVICES];
static int64_t soft_base[NL_NUM_DEVICES] = {256ll << 20, 1ll << 30, 256ll << 20};
static int64_t soft_limit[NL_NUM_DEVICES] = {256ll << 20, 1ll << 30, 256ll << 20};
static int64_t max_alloc[NL_NUM_DEVICES];
static int should_collect;

void nl_mem_count(int device, int64_t delta) {
   int64_t now = __atomic_add_fetch(&live[device], delta, __ATOMIC_RELAXED);
   if (now > peak[device]) peak[device] = now;
   if (delta > 0 && now > soft_limit[device]) should_collect = 1;
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
   }
}

static int64_t cpu_max_alloc(void) {
   if (!max_alloc[NL_CPU]) {
      long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
      max_alloc[NL_CPU] = pages > 0 && page > 0 ? (int64_t)pages * page : (int64_t)1 << 40;
   }
   return max_alloc[NL_CPU];
}

void *nl_mem_alloc(int device, size_t bytes) {
   if (device == NL_CPU) {
      if ((int64_t)bytes > cpu_max_alloc()) {
         nl_errorf("cannot allocate %.3g GB: more than this machine's memory (%.3g GB)",
                   bytes / 1e9, cpu_max_alloc() / 1e9);
         return NULL;
      }
      size_t rounded = (bytes + 63) & ~(size_t)63;
      void *p = aligned_alloc(64, rounded ? rounded : 64);
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
   if (device == NL_CPU) free(p);
   else {
      const nl_backend *b = nl_backend_get("free", device);
      if (b) b->free(p, bytes);
   }
   nl_mem_count(device, -(int64_t)bytes);
}

/* threads.c: one thread count for OpenMP and OpenBLAS. The runtime is
 * built against OpenBLAS's OpenMP variant, so both share libgomp's pool;
 * nl_set_num_threads governs everything (torch.setnumthreads). The host
 * sets OMP_WAIT_POLICY=passive before the library loads: spinning threads
 * on a shared two-core machine cost a 10x slowdown (DESIGN.md). */
#include "core.h"
#include <omp.h>

void openblas_set_num_threads(int n);

static int nthreads = -1;

NL_API int nl_set_num_threads(int n) {
   if (n < 1) return nl_errorf("torch.setnumthreads: expected a positive number of threads, got %d", n);
   nthreads = n;
   omp_set_num_threads(n);
   openblas_set_num_threads(n);
   return 0;
}

NL_API int nl_get_num_threads(void) {
   if (nthreads < 0) nthreads = omp_get_max_threads();
   return nthreads;
}

int nl_threads(void) { return nl_get_num_threads(); }
int nl_omp_in_parallel(void) { return omp_in_parallel(); }

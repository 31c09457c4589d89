/* timer.c: the clocks behind torch.Timer: wall time (monotonic) and the
 * process's user and system CPU time. */
#include "core.h"
#include <time.h>
#include <sys/resource.h>

NL_API int nl_timer_now(double *real, double *user, double *sys) {
   struct timespec ts;
   struct rusage ru;
   if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return nl_errorf("torch.Timer: clock_gettime failed");
   if (getrusage(RUSAGE_SELF, &ru) != 0) return nl_errorf("torch.Timer: getrusage failed");
   *real = (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
   *user = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
   *sys = (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
   return 0;
}

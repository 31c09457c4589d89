/* mpi_shim.c: build/libnnlua_mpi.so, the MPI calls nnlua's distributed
 * training needs (lua/mpi, lua/distlearn), on MPI_COMM_WORLD. Built only
 * when mpicc is found (Makefile), so the runtime never depends on MPI.
 * The ABI and its conventions are in mpi_shim.h. */
#define _GNU_SOURCE
#include "mpi_shim.h"
#include <dlfcn.h>
#include <limits.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API __attribute__((visibility("default")))

static char errbuf[1024];
static int g_rank = -1, g_size = -1, g_armed = 0, g_we_initialized = 0;

static int fail(const char *fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(errbuf, sizeof errbuf, fmt, ap);
   va_end(ap);
   return -1;
}

/* An MPI return code turned into this shim's convention */
static int check(int rc, const char *fn) {
   if (rc == MPI_SUCCESS) return 0;
   char s[MPI_MAX_ERROR_STRING];
   int len = 0;
   if (MPI_Error_string(rc, s, &len) != MPI_SUCCESS) snprintf(s, sizeof s, "MPI error code %d", rc);
   return fail("%s: rank %d of %d: %s", fn, g_rank, g_size, s);
}

static int ready(const char *fn) {
   int fin = 0;
   MPI_Finalized(&fin);
   if (g_rank < 0 || fin) return fail("%s: MPI is not initialised (call mpi.init() first) or already finalised", fn);
   return 0;
}

static int mpi_type(int dtype, MPI_Datatype *t, const char *fn) {
   switch (dtype) {
   case 0: *t = MPI_UINT8_T; return 0;   /* NL_BYTE */
   case 1: *t = MPI_INT8_T; return 0;    /* NL_CHAR */
   case 2: *t = MPI_INT16_T; return 0;   /* NL_SHORT */
   case 3: *t = MPI_INT32_T; return 0;   /* NL_INT */
   case 4: *t = MPI_INT64_T; return 0;   /* NL_LONG */
   case 5: *t = MPI_FLOAT; return 0;     /* NL_FLOAT */
   case 6: *t = MPI_DOUBLE; return 0;    /* NL_DOUBLE */
   default: return fail("%s: unsupported dtype %d (expected Byte, Char, Short, Int, Long, Float or Double)", fn, dtype);
   }
}

static size_t type_size(int dtype) {
   static const size_t sz[] = {1, 1, 2, 4, 8, 4, 8};
   return sz[dtype];
}

/* A status other than 0 at exit before finalize: a rank raised or called
 * os.exit(false); abort the job so that no other rank waits for it. */
static void at_exit(int status, void *arg) {
   (void)arg;
   int init = 0, fin = 0;
   MPI_Initialized(&init);
   MPI_Finalized(&fin);
   if (!init || fin || !g_we_initialized) return;
   if (status != 0) {
      fprintf(stderr, "nnlua: rank %d of %d exited with status %d (the error above): aborting the job\n", g_rank,
              g_size, status);
      fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, status);
   } else {
      MPI_Finalize();
   }
}

API int nl_mpi_init(void) {
   int init = 0, fin = 0;
   MPI_Finalized(&fin);
   if (fin) return fail("mpi.init: MPI was already finalised in this process");
   MPI_Initialized(&init);
   if (!init) {
      /* OpenMPI's components resolve libmpi's symbols globally; LuaJIT's
       * ffi.load opened this library (and libmpi with it) RTLD_LOCAL */
      dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
      int provided = 0;
      int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
      if (rc != MPI_SUCCESS) return fail("mpi.init: MPI_Init_thread failed (code %d)", rc);
      g_we_initialized = 1;
   }
   if (check(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "mpi.init")) return -1;
   if (check(MPI_Comm_rank(MPI_COMM_WORLD, &g_rank), "mpi.init")) return -1;
   if (check(MPI_Comm_size(MPI_COMM_WORLD, &g_size), "mpi.init")) return -1;
   if (!g_armed) {
      on_exit(at_exit, NULL);
      g_armed = 1;
   }
   return 0;
}

API int nl_mpi_initialized(void) {
   int init = 0, fin = 0;
   MPI_Initialized(&init);
   MPI_Finalized(&fin);
   return init && !fin && g_rank >= 0;
}

API int nl_mpi_rank(void) { return g_rank; }
API int nl_mpi_size(void) { return g_size; }

API int nl_mpi_barrier(void) {
   if (ready("mpi.barrier")) return -1;
   return check(MPI_Barrier(MPI_COMM_WORLD), "mpi.barrier");
}

/* MPI counts are int: long buffers go in chunks */
static int chunked(const char *fn, void *buf, int64_t count, int dtype, int root, MPI_Op op) {
   MPI_Datatype t = MPI_DATATYPE_NULL;
   if (ready(fn) || mpi_type(dtype, &t, fn)) return -1;
   if (count < 0) return fail("%s: negative element count %lld", fn, (long long)count);
   if (count > 0 && !buf) return fail("%s: NULL buffer for %lld elements", fn, (long long)count);
   if (root >= 0 && root >= g_size) return fail("%s: root %d out of range (%d ranks)", fn, root, g_size);
   char *p = buf;
   const int64_t step = INT_MAX / 2;
   for (int64_t done = 0; done < count; done += step) {
      int n = (int)(count - done < step ? count - done : step);
      int rc = root >= 0 ? MPI_Bcast(p, n, t, root, MPI_COMM_WORLD)
                         : MPI_Allreduce(MPI_IN_PLACE, p, n, t, op, MPI_COMM_WORLD);
      if (check(rc, fn)) return -1;
      p += (size_t)n * type_size(dtype);
   }
   return 0;
}

API int nl_mpi_bcast(void *buf, int64_t count, int dtype, int root) {
   if (root < 0) return fail("mpi.broadcast: root %d out of range (%d ranks)", root, g_size);
   return chunked("mpi.broadcast", buf, count, dtype, root, MPI_OP_NULL);
}

API int nl_mpi_allreduce_sum(void *buf, int64_t count, int dtype) {
   return chunked("mpi.allreduce", buf, count, dtype, -1, MPI_SUM);
}

API int nl_mpi_allreduce_max(void *buf, int64_t count, int dtype) {
   return chunked("mpi.allreduce", buf, count, dtype, -1, MPI_MAX);
}

API int nl_mpi_abort(int code, const char *msg) {
   fprintf(stderr, "nnlua: rank %d of %d: %s\n", g_rank, g_size, msg ? msg : "aborting");
   fflush(stderr);
   if (ready("mpi.abort")) exit(code ? code : 1);
   return check(MPI_Abort(MPI_COMM_WORLD, code ? code : 1), "mpi.abort");
}

API int nl_mpi_finalize(void) {
   int init = 0, fin = 0;
   MPI_Initialized(&init);
   MPI_Finalized(&fin);
   if (!init || fin) return 0;
   int rc = MPI_Finalize();
   g_rank = g_size = -1;
   return check(rc, "mpi.finalize");
}

API double nl_mpi_wtime(void) { return MPI_Wtime(); }

API const char *nl_mpi_error(void) { return errbuf; }

API const char *nl_mpi_library_version(void) {
   static char v[MPI_MAX_LIBRARY_VERSION_STRING];
   int len = 0;
   if (MPI_Get_library_version(v, &len) != MPI_SUCCESS) return "unknown";
   return v;
}

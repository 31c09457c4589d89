/* mpi_shim.h: the C ABI of build/libnnlua_mpi.so, the small shim between
 * LuaJIT and the MPI library (OpenMPI on Debian). MPI's own handles
 * (MPI_Comm, MPI_Datatype) are implementation-defined, so Lua never sees
 * them: it passes host pointers, element counts and nnlua dtype numbers
 * (NL_BYTE .. NL_DOUBLE of bindings/nnlua.h). lua/mpi/init.lua reads this
 * file with its `#` lines stripped into ffi.cdef, as the loader does with
 * nnlua.h. Every int function returns 0, or -1 with a message that
 * nl_mpi_error() returns. Communication is on MPI_COMM_WORLD, whose error
 * handler is MPI_ERRORS_RETURN, so a failed call comes back as a message
 * instead of killing the process silently. */
#ifndef NNLUA_MPI_SHIM_H
#define NNLUA_MPI_SHIM_H
#include <stdint.h>

/* Initialises MPI (MPI_THREAD_FUNNELED) unless it already is, and arms the
 * exit handler: a process that exits with a non-zero status before
 * nl_mpi_finalize names its rank on stderr and calls MPI_Abort, so the
 * other ranks end instead of waiting forever in a collective; one that
 * exits with status 0 is finalized. */
int nl_mpi_init(void);
int nl_mpi_initialized(void);          /* 1 after nl_mpi_init, 0 after finalize */
int nl_mpi_rank(void);                 /* 0-based rank in MPI_COMM_WORLD; -1 before init */
int nl_mpi_size(void);                 /* ranks in MPI_COMM_WORLD; -1 before init */
int nl_mpi_barrier(void);
/* buf: count elements of dtype on the host; root's values replace the others'. */
int nl_mpi_bcast(void *buf, int64_t count, int dtype, int root);
/* buf: count elements of dtype on the host; replaced by the sum over ranks (in place). */
int nl_mpi_allreduce_sum(void *buf, int64_t count, int dtype);
/* buf: count elements of dtype; replaced by the maximum over ranks (in place). */
int nl_mpi_allreduce_max(void *buf, int64_t count, int dtype);
/* Prints "nnlua: rank R of N: msg" on stderr, then MPI_Abort(code): ends every rank. */
int nl_mpi_abort(int code, const char *msg);
int nl_mpi_finalize(void);
double nl_mpi_wtime(void);
const char *nl_mpi_error(void);        /* the last failure's message */
const char *nl_mpi_library_version(void);

#endif

// nccl.cu: NCCL collectives on device memory for distributed training
// (lua/distlearn/nccl.lua): a communicator across MPI ranks (one GPU per
// process; MPI carries the 128-byte unique id), one across the GPUs of one
// process (nn.DataParallelTable), in-place sum all-reduce and broadcast.
// libnccl.so.2 is opened at run time on first use, so libnnlua_cuda links
// and loads on machines without NCCL (the collectives then report why).
// Pointers are device addresses of contiguous blocks; dtype is nnlua's.
// Not in bindings/nnlua.h: these take raw device pointers, not tensors;
// lua/distlearn/nccl.lua declares them.
#include "cuda_common.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#if __has_include(<nccl.h>)
#include <nccl.h>
#define NL_HAVE_NCCL_H 1
#endif

#define NL_CUDA_API extern "C" __attribute__((visibility("default")))

// The slice of NCCL's ABI used here (stable since NCCL 2.0): results and
// enums are ints, communicators opaque pointers, the unique id 128 bytes.
typedef struct { char internal[128]; } nl_nccl_id;
typedef void *nl_nccl_comm;
enum { NL_NCCL_SUM = 0 };
enum { NL_NCCL_INT8 = 0, NL_NCCL_UINT8 = 1, NL_NCCL_INT32 = 2, NL_NCCL_INT64 = 4, NL_NCCL_FLOAT32 = 7,
       NL_NCCL_FLOAT64 = 8 };
#ifdef NL_HAVE_NCCL_H
static_assert(sizeof(nl_nccl_id) == sizeof(ncclUniqueId), "NCCL unique id size");
static_assert((int)NL_NCCL_FLOAT32 == (int)ncclFloat32 && (int)NL_NCCL_FLOAT64 == (int)ncclFloat64 &&
              (int)NL_NCCL_INT64 == (int)ncclInt64 && (int)NL_NCCL_INT32 == (int)ncclInt32 &&
              (int)NL_NCCL_UINT8 == (int)ncclUint8 && (int)NL_NCCL_INT8 == (int)ncclInt8 &&
              (int)NL_NCCL_SUM == (int)ncclSum, "NCCL enum values");
#endif

static struct {
   int tried, ok;
   char why[256];
   int (*get_unique_id)(nl_nccl_id *);
   int (*comm_init_rank)(nl_nccl_comm *, int, nl_nccl_id, int);
   int (*comm_init_all)(nl_nccl_comm *, int, const int *);
   int (*comm_destroy)(nl_nccl_comm);
   int (*all_reduce)(const void *, void *, size_t, int, int, nl_nccl_comm, cudaStream_t);
   int (*broadcast)(const void *, void *, size_t, int, int, nl_nccl_comm, cudaStream_t);
   int (*group_start)(void);
   int (*group_end)(void);
   const char *(*error_string)(int);
} nccl;

static int load(void) {
   if (nccl.tried) return nccl.ok;
   nccl.tried = 1;
   void *h = dlopen("libnccl.so.2", RTLD_NOW | RTLD_LOCAL);
   if (!h) h = dlopen("libnccl.so", RTLD_NOW | RTLD_LOCAL);
   if (!h) {
      snprintf(nccl.why, sizeof nccl.why, "NCCL not found (libnccl.so.2: %s)", dlerror());
      return 0;
   }
   struct { void **slot; const char *name; } syms[] = {
      {(void **)&nccl.get_unique_id, "ncclGetUniqueId"}, {(void **)&nccl.comm_init_rank, "ncclCommInitRank"},
      {(void **)&nccl.comm_init_all, "ncclCommInitAll"}, {(void **)&nccl.comm_destroy, "ncclCommDestroy"},
      {(void **)&nccl.all_reduce, "ncclAllReduce"},      {(void **)&nccl.broadcast, "ncclBroadcast"},
      {(void **)&nccl.group_start, "ncclGroupStart"},    {(void **)&nccl.group_end, "ncclGroupEnd"},
      {(void **)&nccl.error_string, "ncclGetErrorString"},
   };
   for (auto &s : syms) {
      *s.slot = dlsym(h, s.name);
      if (!*s.slot) {
         snprintf(nccl.why, sizeof nccl.why, "libnccl lacks %s", s.name);
         return 0;
      }
   }
   nccl.ok = 1;
   return 1;
}

static int check(const char *fn, int rc) {
   if (rc == 0) return 0;
   return nl_errorf("%s: NCCL error %d: %s", fn, rc, nccl.error_string ? nccl.error_string(rc) : "?");
}

static int ready(const char *fn) {
   if (!load()) return nl_errorf("%s: %s", fn, nccl.why);
   return 0;
}

static int nccl_type(const char *fn, int dtype, int *t) {
   switch (dtype) {
   case NL_BYTE: *t = NL_NCCL_UINT8; return 0;
   case NL_CHAR: *t = NL_NCCL_INT8; return 0;
   case NL_INT: *t = NL_NCCL_INT32; return 0;
   case NL_LONG: *t = NL_NCCL_INT64; return 0;
   case NL_FLOAT: *t = NL_NCCL_FLOAT32; return 0;
   case NL_DOUBLE: *t = NL_NCCL_FLOAT64; return 0;
   default: return nl_errorf("%s: dtype %d has no NCCL type (Byte, Char, Int, Long, Float, Double)", fn, dtype);
   }
}

// 1 when libnccl could be opened; otherwise 0 and nl_last_error says why.
NL_CUDA_API int nl_nccl_available(void) {
   if (load()) return 1;
   nl_errorf("%s", nccl.why);
   return 0;
}

// id: 128 bytes [OUT], made on one rank and sent to the others (MPI).
NL_CUDA_API int nl_nccl_unique_id(void *id) {
   if (ready("nl_nccl_unique_id")) return -1;
   return check("nl_nccl_unique_id", nccl.get_unique_id((nl_nccl_id *)id));
}

// comm [OUT]: this rank's communicator among nranks on the current device.
NL_CUDA_API int nl_nccl_comm_init_rank(void **comm, int nranks, const void *id, int rank) {
   if (ready("nl_nccl_comm_init_rank")) return -1;
   if (nranks < 1 || rank < 0 || rank >= nranks)
      return nl_errorf("nl_nccl_comm_init_rank: rank %d of %d out of range", rank, nranks);
   nl_nccl_id v;
   memcpy(&v, id, sizeof v);
   return check("nl_nccl_comm_init_rank", nccl.comm_init_rank(comm, nranks, v, rank));
}

// comms [OUT]: ndev communicators, one per device of devs (0-based), in one process.
NL_CUDA_API int nl_nccl_comm_init_all(void **comms, int ndev, const int *devs) {
   if (ready("nl_nccl_comm_init_all")) return -1;
   if (ndev < 1) return nl_errorf("nl_nccl_comm_init_all: %d devices", ndev);
   return check("nl_nccl_comm_init_all", nccl.comm_init_all(comms, ndev, devs));
}

NL_CUDA_API int nl_nccl_comm_destroy(void *comm) {
   if (ready("nl_nccl_comm_destroy")) return -1;
   return check("nl_nccl_comm_destroy", nccl.comm_destroy(comm));
}

// buf: count elements on the current device, replaced by the sum over the
// communicator's ranks; waits for the result (the runtime's kernels run on
// the default stream).
NL_CUDA_API int nl_nccl_allreduce(void *comm, void *buf, int64_t count, int dtype) {
   int t;
   if (ready("nl_nccl_allreduce") || nccl_type("nl_nccl_allreduce", dtype, &t)) return -1;
   if (count <= 0) return 0;
   if (check("nl_nccl_allreduce", nccl.all_reduce(buf, buf, (size_t)count, t, NL_NCCL_SUM, comm, 0))) return -1;
   NL_CUDA_CHECK("nl_nccl_allreduce", cudaStreamSynchronize(0));
   return 0;
}

// buf: count elements on the current device; root's values on every rank.
NL_CUDA_API int nl_nccl_broadcast(void *comm, void *buf, int64_t count, int dtype, int root) {
   int t;
   if (ready("nl_nccl_broadcast") || nccl_type("nl_nccl_broadcast", dtype, &t)) return -1;
   if (count <= 0) return 0;
   if (check("nl_nccl_broadcast", nccl.broadcast(buf, buf, (size_t)count, t, root, comm, 0))) return -1;
   NL_CUDA_CHECK("nl_nccl_broadcast", cudaStreamSynchronize(0));
   return 0;
}

// The GPUs of one process: bufs[i] (count elements on devs[i]) all become
// their sum, one NCCL group over comms from nl_nccl_comm_init_all.
NL_CUDA_API int nl_nccl_allreduce_multi(void **comms, void **bufs, const int *devs, int ndev, int64_t count,
                                        int dtype) {
   int t;
   if (ready("nl_nccl_allreduce_multi") || nccl_type("nl_nccl_allreduce_multi", dtype, &t)) return -1;
   if (count <= 0) return 0;
   int prev = 0;
   NL_CUDA_CHECK("nl_nccl_allreduce_multi", cudaGetDevice(&prev));
   if (check("nl_nccl_allreduce_multi", nccl.group_start())) return -1;
   for (int i = 0; i < ndev; i++) {
      cudaSetDevice(devs[i]);
      int rc = nccl.all_reduce(bufs[i], bufs[i], (size_t)count, t, NL_NCCL_SUM, comms[i], 0);
      if (rc) {
         nccl.group_end();
         cudaSetDevice(prev);
         return check("nl_nccl_allreduce_multi", rc);
      }
   }
   if (check("nl_nccl_allreduce_multi", nccl.group_end())) return -1;
   for (int i = 0; i < ndev; i++) {
      cudaSetDevice(devs[i]);
      cudaError_t e = cudaStreamSynchronize(0);
      if (e != cudaSuccess) {
         cudaSetDevice(prev);
         return nl_set_error_cuda("nl_nccl_allreduce_multi", e);
      }
   }
   NL_CUDA_CHECK("nl_nccl_allreduce_multi", cudaSetDevice(prev));
   return 0;
}

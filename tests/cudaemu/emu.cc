// emu.cc: the CUDA emulator's runtime (docs/cudaemu.md). One emulated
// device whose memory is host memory; kernels run on the calling host
// thread, one block after another, each emulated thread a fiber with its
// own small stack that runs until it finishes or reaches a barrier
// (__syncthreads, a warp-level call); a barrier releases when every live
// thread of the block (warp) has reached it. Launch configurations are
// checked as CUDA checks them; errors are kept for cudaGetLastError.
#include "cuda_runtime.h"
#include <map>
#include <mutex>
#include <stdlib.h>
#include <execinfo.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#include <time.h>
#include <vector>
#if !defined(__x86_64__)
#include <ucontext.h>
#endif

uint3 threadIdx, blockIdx;
dim3 blockDim, gridDim;

namespace {

// ------------------------------------------------------------ last error
thread_local cudaError_t last_error = cudaSuccess;
cudaError_t fail(cudaError_t e) {
   last_error = e;
   return e;
}

// ---------------------------------------------------------------- memory
// Device memory is one reserved range of the address space (the arena),
// readable and writable only while device work runs: a launch, a copy or
// memset, a cuBLAS or thrust call (nl_emu::Open). Host code that reads or
// writes device memory directly faults here as it would with a GPU, and
// the handler names it. NNLUA_CUDAEMU_NOGUARD=1 leaves the arena open.
std::mutex mem_mu;
std::map<uintptr_t, size_t> allocations;  // base -> bytes (device and pinned)
size_t live_bytes = 0;
const size_t TOTAL_BYTES = (size_t)16 << 30;  // what the device reports
const size_t ARENA_BYTES = (size_t)1 << 36;
char *arena;
size_t arena_top;                        // bytes of the arena handed out so far
std::multimap<size_t, char *> arena_free;  // freed blocks by size
std::map<uintptr_t, size_t> arena_sizes;   // block -> its rounded size
int open_depth;
bool guard = true;
struct sigaction old_segv;

void set_prot(int prot) {
   if (guard && arena_top) mprotect(arena, arena_top, prot);
}

void segv(int sig, siginfo_t *si, void *uc) {
   char *a = (char *)si->si_addr;
   if (arena && a >= arena && a < arena + ARENA_BYTES) {
      static const char m[] = "cudaemu: host code touched device memory outside a kernel, copy or library call "
                              "(a GPU would fault or read garbage); the stack:\n";
      if (write(2, m, sizeof m - 1) < 0) {}
      void *bt[64];
      backtrace_symbols_fd(bt, backtrace(bt, 64), 2);
      abort();
   }
   sigaction(SIGSEGV, &old_segv, nullptr);  // not ours: the fault repeats under the old handler
   (void)sig, (void)uc;
}

bool arena_init() {
   if (arena) return true;
   void *m = mmap(nullptr, ARENA_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
   if (m == MAP_FAILED) return false;
   arena = (char *)m;
   const char *e = getenv("NNLUA_CUDAEMU_NOGUARD");
   guard = !(e && *e && strcmp(e, "0"));
   if (!guard) mprotect(arena, ARENA_BYTES, PROT_READ | PROT_WRITE);
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_sigaction = segv;
   sa.sa_flags = SA_SIGINFO | SA_NODEFER;
   sigaction(SIGSEGV, &sa, &old_segv);
   return true;
}

void open_device() {
   std::lock_guard<std::mutex> g(mem_mu);
   if (open_depth++ == 0) set_prot(PROT_READ | PROT_WRITE);
}
void close_device() {
   std::lock_guard<std::mutex> g(mem_mu);
   if (--open_depth == 0) set_prot(PROT_NONE);
}

void *track(size_t bytes) {
   std::lock_guard<std::mutex> g(mem_mu);
   if (!arena_init()) return nullptr;
   size_t r = (bytes + 255) & ~(size_t)255;
   if (r == 0) r = 256;
   char *p;
   auto it = arena_free.lower_bound(r);
   if (it != arena_free.end() && it->first < 2 * r + 4096) {
      p = it->second;
      r = it->first;
      arena_free.erase(it);
   } else {
      if (arena_top + r > ARENA_BYTES) return nullptr;
      p = arena + arena_top;
      size_t old_top = arena_top;
      arena_top += r;
      // the new pages take the arena's current state
      if (guard && open_depth) {
         size_t lo = old_top & ~(size_t)4095;
         mprotect(arena + lo, arena_top - lo, PROT_READ | PROT_WRITE);
      }
   }
   arena_sizes[(uintptr_t)p] = r;
   // fresh device memory holds garbage: a kernel that reads what no one
   // wrote should not pass by reading zeros
   if (guard && !open_depth) set_prot(PROT_READ | PROT_WRITE);
   memset(p, 0xA5, bytes);
   if (guard && !open_depth) set_prot(PROT_NONE);
   allocations[(uintptr_t)p] = bytes;
   live_bytes += bytes;
   return p;
}
bool untrack(void *p) {
   std::lock_guard<std::mutex> g(mem_mu);
   auto it = allocations.find((uintptr_t)p);
   if (it == allocations.end()) return false;
   live_bytes -= it->second;
   allocations.erase(it);
   auto a = arena_sizes.find((uintptr_t)p);
   if (a != arena_sizes.end()) {
      arena_free.emplace(a->second, (char *)p);
      arena_sizes.erase(a);
   }
   return true;
}

// ----------------------------------------------------------------- fibers
#if defined(__x86_64__)
// switch(&save_sp, next_sp): saves the callee-saved registers on the
// current stack, stores its pointer, loads next_sp and returns there
extern "C" void nl_emu_switch(void **save, void *next);
asm(R"(
   .text
   .p2align 4
   .globl nl_emu_switch
   .hidden nl_emu_switch
   .type nl_emu_switch,@function
nl_emu_switch:
   pushq %rbp
   pushq %rbx
   pushq %r12
   pushq %r13
   pushq %r14
   pushq %r15
   movq %rsp, (%rdi)
   movq %rsi, %rsp
   popq %r15
   popq %r14
   popq %r13
   popq %r12
   popq %rbx
   popq %rbp
   ret
   .size nl_emu_switch, .-nl_emu_switch
)");
#endif

enum { NOT_STARTED, RUNNABLE, WAIT_BLOCK, WAIT_WARP, DONE };
const int MAX_THREADS = 1024;
const size_t STACK_BYTES = 256 << 10;

struct Thread {
   int state;
   int stack;  // index in the pool while started and not done
#if defined(__x86_64__)
   void *sp;
#else
   ucontext_t ctx;
#endif
};

struct Block {
   Thread th[MAX_THREADS];
   int n, live, wait_block;
   int warp_live[MAX_THREADS / 32], warp_wait[MAX_THREADS / 32];
   unsigned long long slot[MAX_THREADS];  // shuffle and vote values
   const char *site_file[MAX_THREADS];    // the __syncthreads each waits at
   int site_line[MAX_THREADS];
   int bad_a, bad_b;                      // two threads at different ones
   int cur;
   void (*body)(void *);
   void *ctx;
   bool bad;  // a barrier that cannot release (threads at different ones)
#if defined(__x86_64__)
   void *sched_sp;
#else
   ucontext_t sched;
#endif
};
Block blk;
char *stack_pool;  // MAX_THREADS stacks, mapped once, pages touched on use
std::vector<int> free_stacks;
std::vector<unsigned char> dyn_smem_buf;
std::recursive_mutex launch_mu;

void set_thread_idx(int t) {
   threadIdx.x = t % blockDim.x;
   threadIdx.y = (t / blockDim.x) % blockDim.y;
   threadIdx.z = t / (blockDim.x * blockDim.y);
}

void to_scheduler() {
   Thread &me = blk.th[blk.cur];
#if defined(__x86_64__)
   nl_emu_switch(&me.sp, blk.sched_sp);
#else
   swapcontext(&me.ctx, &blk.sched);
#endif
   // resumed: the scheduler set blk.cur and threadIdx
}

// Releases the threads waiting at __syncthreads, unless they wait at
// different calls of it (a conditional barrier that diverged: CUDA leaves
// that undefined); then they stay, and the scheduler fails the launch.
void release_block_barrier() {
   int first = -1;
   for (int t = 0; t < blk.n; t++)
      if (blk.th[t].state == WAIT_BLOCK) {
         if (first < 0) {
            first = t;
         } else if (blk.site_line[t] != blk.site_line[first] || strcmp(blk.site_file[t], blk.site_file[first])) {
            blk.bad = true;
            blk.bad_a = first, blk.bad_b = t;
            return;
         }
      }
   for (int t = 0; t < blk.n; t++)
      if (blk.th[t].state == WAIT_BLOCK) blk.th[t].state = RUNNABLE;
   blk.wait_block = 0;
}
void release_warp_barrier(int w) {
   int lo = w * 32, hi = std::min(blk.n, lo + 32);
   for (int t = lo; t < hi; t++)
      if (blk.th[t].state == WAIT_WARP) blk.th[t].state = RUNNABLE;
   blk.warp_wait[w] = 0;
}

extern "C" __attribute__((noreturn, used)) void nl_emu_fiber_main() {
   blk.body(blk.ctx);
   int t = blk.cur, w = t / 32;
   blk.th[t].state = DONE;
   blk.live--;
   blk.warp_live[w]--;
   // exited threads no longer hold a barrier back (as on sm_70 and newer)
   if (blk.wait_block && blk.wait_block == blk.live) release_block_barrier();
   if (blk.warp_wait[w] && blk.warp_wait[w] == blk.warp_live[w]) release_warp_barrier(w);
   to_scheduler();
   abort();  // a finished fiber is never resumed
}

void start_fiber(Thread &th) {
   int s = free_stacks.back();
   free_stacks.pop_back();
   th.stack = s;
   char *top = stack_pool + (size_t)(s + 1) * STACK_BYTES;
#if defined(__x86_64__)
   // what nl_emu_switch pops: six registers, then the return address
   // (the fiber's entry); at entry %rsp + 8 is 16-byte aligned
   void **sp = (void **)(top - 16);
   sp[0] = (void *)nl_emu_fiber_main;
   sp[1] = nullptr;
   th.sp = (void *)(sp - 6);
#else
   getcontext(&th.ctx);
   th.ctx.uc_stack.ss_sp = top - STACK_BYTES;
   th.ctx.uc_stack.ss_size = STACK_BYTES;
   th.ctx.uc_link = nullptr;
   makecontext(&th.ctx, (void (*)())nl_emu_fiber_main, 0);
#endif
}

void resume(int t) {
   Thread &th = blk.th[t];
   blk.cur = t;
   set_thread_idx(t);
   if (th.state == NOT_STARTED) start_fiber(th);
   th.state = RUNNABLE;
#if defined(__x86_64__)
   nl_emu_switch(&blk.sched_sp, th.sp);
#else
   swapcontext(&blk.sched, &th.ctx);
#endif
   if (th.state == DONE) free_stacks.push_back(th.stack);
}

// Runs one block; false when its threads wait at barriers that cannot release.
bool run_block(int n) {
   blk.n = n;
   blk.live = n;
   blk.wait_block = 0;
   blk.bad = false;
   for (int w = 0; w * 32 < n; w++) {
      blk.warp_live[w] = std::min(32, n - w * 32);
      blk.warp_wait[w] = 0;
   }
   for (int t = 0; t < n; t++) blk.th[t].state = NOT_STARTED;
   while (blk.live > 0) {
      bool ran = false;
      for (int t = 0; t < n; t++) {
         int s = blk.th[t].state;
         if (s == NOT_STARTED || s == RUNNABLE) {
            resume(t);
            ran = true;
         }
      }
      if (!ran) {
         // abandon the stuck fibers: their stacks go back to the pool
         for (int t = 0; t < n; t++)
            if (blk.th[t].state == WAIT_BLOCK || blk.th[t].state == WAIT_WARP) free_stacks.push_back(blk.th[t].stack);
         return false;
      }
   }
   return true;
}

const char *error_string(cudaError_t e) {
   switch (e) {
   case cudaSuccess: return "no error";
   case cudaErrorInvalidValue: return "invalid argument";
   case cudaErrorMemoryAllocation: return "out of memory";
   case cudaErrorInitializationError: return "initialization error";
   case cudaErrorLaunchFailure: return "unspecified launch failure";
   case cudaErrorInvalidConfiguration: return "invalid configuration argument";
   case cudaErrorInvalidDevice: return "invalid device ordinal";
   case cudaErrorInvalidDevicePointer: return "invalid device pointer";
   case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
   case cudaErrorInsufficientDriver: return "CUDA driver version is insufficient for CUDA runtime version";
   case cudaErrorNoDevice: return "no CUDA-capable device is detected";
   case cudaErrorInvalidResourceHandle: return "invalid resource handle";
   case cudaErrorNotReady: return "device not ready";
   case cudaErrorIllegalAddress: return "an illegal memory access was encountered";
   case cudaErrorLaunchOutOfResources: return "too many resources requested for launch";
   case cudaErrorAssert: return "device-side assert triggered";
   case cudaErrorNotSupported: return "operation not supported";
   default: return "unknown error";
   }
}

}  // namespace

// ------------------------------------------------------------- launches
namespace nl_emu {

Open::Open() { open_device(); }
Open::~Open() { close_device(); }

int is_device_pointer(const void *p) {
   if (!p) return 1;
   std::lock_guard<std::mutex> g(mem_mu);
   auto it = allocations.upper_bound((uintptr_t)p);
   if (it == allocations.begin()) return 0;
   --it;
   return (uintptr_t)p <= it->first + it->second;  // one past the end counts (an end pointer)
}

int bad_argument(const char *where, int index) {
   fprintf(stderr, "cudaemu: %s: kernel argument %d is not device memory (a GPU would fault)\n", where, index);
   return fail(cudaErrorIllegalAddress);
}

void *dyn_smem(void) { return dyn_smem_buf.data(); }

// the block each __shared__ variable was last filled for
static unsigned long long block_serial;
static std::vector<std::pair<void *, unsigned long long>> poisoned;
void shared_poison(void *p, size_t bytes) {
   for (auto &e : poisoned)
      if (e.first == p) {
         if (e.second != block_serial) {
            e.second = block_serial;
            memset(p, 0xFF, bytes);
         }
         return;
      }
   poisoned.emplace_back(p, block_serial);
   memset(p, 0xFF, bytes);
}

int run(const cfg &c, void (*body)(void *), void *ctx, const char *where) {
   const dim3 &g = c.grid, &b = c.block;
   uint64_t nthreads = (uint64_t)b.x * b.y * b.z;
   if (b.x == 0 || b.y == 0 || b.z == 0 || g.x == 0 || g.y == 0 || g.z == 0 || b.x > 1024 || b.y > 1024 ||
       b.z > 64 || nthreads > MAX_THREADS || g.x > 0x7fffffffu || g.y > 65535 || g.z > 65535 ||
       c.smem > 48 * 1024) {
      if (getenv("NNLUA_CUDAEMU_VERBOSE"))
         fprintf(stderr, "cudaemu: %s: bad launch <<<(%u,%u,%u), (%u,%u,%u), %zu>>>\n", where, g.x, g.y, g.z, b.x,
                 b.y, b.z, c.smem);
      return fail(cudaErrorInvalidConfiguration);
   }
   std::lock_guard<std::recursive_mutex> lk(launch_mu);
   if (!stack_pool) {
      void *m = mmap(nullptr, (size_t)MAX_THREADS * STACK_BYTES, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (m == MAP_FAILED) return fail(cudaErrorMemoryAllocation);
      stack_pool = (char *)m;
      for (int s = MAX_THREADS - 1; s >= 0; s--) free_stacks.push_back(s);
   }
   dyn_smem_buf.assign(c.smem + 16, 0xFF);
   Open open;
   gridDim = g;
   blockDim = b;
   blk.body = body;
   blk.ctx = ctx;
   for (unsigned z = 0; z < g.z; z++)
      for (unsigned y = 0; y < g.y; y++)
         for (unsigned x = 0; x < g.x; x++) {
            blockIdx = uint3{x, y, z};
            block_serial++;
            if (c.smem) memset(dyn_smem_buf.data(), 0xFF, c.smem);
            if (!run_block((int)nthreads)) {
               if (blk.bad)
                  fprintf(stderr,
                          "cudaemu: %s: block (%u,%u,%u): threads wait at different __syncthreads (a barrier in "
                          "divergent code): thread %d at %s:%d, thread %d at %s:%d\n",
                          where, x, y, z, blk.bad_a, blk.site_file[blk.bad_a], blk.site_line[blk.bad_a], blk.bad_b,
                          blk.site_file[blk.bad_b], blk.site_line[blk.bad_b]);
               else
                  fprintf(stderr, "cudaemu: %s: block (%u,%u,%u): threads wait at barriers that cannot release\n",
                          where, x, y, z);
               return fail(cudaErrorLaunchFailure);
            }
         }
   return 0;
}

}  // namespace nl_emu

// --------------------------------------------------- device-side barriers
// (a barrier is known by its source line: the compiler may duplicate the
// call, so return addresses would not tell one barrier from another)
void nl_emu_syncthreads(const char *file, int line) {
   Thread &me = blk.th[blk.cur];
   me.state = WAIT_BLOCK;
   blk.site_file[blk.cur] = file;
   blk.site_line[blk.cur] = line;
   if (++blk.wait_block == blk.live) release_block_barrier();
   to_scheduler();
}

static int block_vote(int pred, int mode) {
   int t = blk.cur;
   blk.slot[t] = pred != 0;
   nl_emu_syncthreads(__FILE__, __LINE__);
   int count = 0, n = 0;
   for (int i = 0; i < blk.n; i++)
      if (blk.th[i].state != DONE) {
         count += (int)blk.slot[i];
         n++;
      }
   nl_emu_syncthreads(__FILE__, __LINE__);
   return mode == 0 ? count : (mode == 1 ? count == n : count > 0);
}
int __syncthreads_count(int pred) { return block_vote(pred, 0); }
int __syncthreads_and(int pred) { return block_vote(pred, 1); }
int __syncthreads_or(int pred) { return block_vote(pred, 2); }

void __syncwarp(unsigned int) {
   int t = blk.cur, w = t / 32;
   blk.th[t].state = WAIT_WARP;
   if (++blk.warp_wait[w] == blk.warp_live[w]) release_warp_barrier(w);
   to_scheduler();
}

unsigned int __activemask(void) {
   int w = blk.cur / 32;
   unsigned int m = 0;
   for (int l = 0; l < 32 && w * 32 + l < blk.n; l++)
      if (blk.th[w * 32 + l].state != DONE) m |= 1u << l;
   return m;
}

unsigned long long nl_emu_shfl(unsigned long long v, int mode, int arg, int width) {
   int t = blk.cur, lane = t % 32, base = t - lane;
   blk.slot[t] = v;
   __syncwarp();
   int seg = lane - lane % width, src;
   switch (mode) {
   case 0: src = seg + ((arg % width) + width) % width; break;
   case 1: src = lane - arg < seg ? lane : lane - arg; break;
   case 2: src = lane + arg >= seg + width ? lane : lane + arg; break;
   default: src = lane ^ arg; if (src >= seg + width) src = lane; break;
   }
   unsigned long long r = base + src < blk.n ? blk.slot[base + src] : v;
   __syncwarp();
   return r;
}

static unsigned int warp_vote(int pred) {
   int t = blk.cur, base = t - t % 32;
   blk.slot[t] = pred != 0;
   __syncwarp();
   unsigned int m = 0;
   for (int l = 0; l < 32 && base + l < blk.n; l++)
      if (blk.th[base + l].state != DONE && blk.slot[base + l]) m |= 1u << l;
   __syncwarp();
   return m;
}
unsigned int __ballot_sync(unsigned int mask, int pred) { return warp_vote(pred) & mask; }
int __any_sync(unsigned int mask, int pred) { return (warp_vote(pred) & mask) != 0; }
int __all_sync(unsigned int mask, int pred) {
   unsigned int active = __activemask() & mask;
   return (warp_vote(pred) & active) == active;
}

// ------------------------------------------------------------- runtime API
const char *cudaGetErrorString(cudaError_t e) { return error_string(e); }
const char *cudaGetErrorName(cudaError_t e) {
   switch (e) {
   case cudaSuccess: return "cudaSuccess";
   case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
   case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
   case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
   case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
   case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
   case cudaErrorInvalidDevicePointer: return "cudaErrorInvalidDevicePointer";
   default: return "cudaErrorUnknown";
   }
}
cudaError_t cudaGetLastError(void) {
   cudaError_t e = last_error;
   last_error = cudaSuccess;
   return e;
}
cudaError_t cudaPeekAtLastError(void) { return last_error; }
cudaError_t cudaGetDeviceCount(int *n) {
   *n = 1;
   return cudaSuccess;
}
cudaError_t cudaGetDevice(int *d) {
   *d = 0;
   return cudaSuccess;
}
cudaError_t cudaSetDevice(int d) { return d == 0 ? cudaSuccess : fail(cudaErrorInvalidDevice); }
cudaError_t cudaGetDeviceProperties(cudaDeviceProp *p, int d) {
   if (d != 0) return fail(cudaErrorInvalidDevice);
   memset(p, 0, sizeof *p);
   snprintf(p->name, sizeof p->name, "nnlua CUDA emulator");
   p->totalGlobalMem = TOTAL_BYTES;
   p->sharedMemPerBlock = 48 * 1024;
   p->sharedMemPerBlockOptin = 48 * 1024;
   p->sharedMemPerMultiprocessor = 64 * 1024;
   p->regsPerBlock = 65536;
   p->warpSize = 32;
   p->maxThreadsPerBlock = 1024;
   p->maxThreadsDim[0] = 1024, p->maxThreadsDim[1] = 1024, p->maxThreadsDim[2] = 64;
   p->maxGridSize[0] = 0x7fffffff, p->maxGridSize[1] = 65535, p->maxGridSize[2] = 65535;
   p->totalConstMem = 65536;
   p->major = 8, p->minor = 0;
   p->multiProcessorCount = 1;
   p->maxThreadsPerMultiProcessor = 1024;
   p->maxBlocksPerMultiProcessor = 1;
   p->unifiedAddressing = 1;
   p->canMapHostMemory = 1;
   p->concurrentKernels = 0;
   return cudaSuccess;
}
cudaError_t cudaDeviceGetAttribute(int *v, cudaDeviceAttr a, int d) {
   if (d != 0) return fail(cudaErrorInvalidDevice);
   switch (a) {
   case cudaDevAttrMaxThreadsPerBlock: case cudaDevAttrMaxBlockDimX: *v = 1024; break;
   case cudaDevAttrMaxGridDimX: *v = 0x7fffffff; break;
   case cudaDevAttrMaxSharedMemoryPerBlock: case cudaDevAttrMaxSharedMemoryPerBlockOptin: *v = 48 * 1024; break;
   case cudaDevAttrWarpSize: *v = 32; break;
   case cudaDevAttrMultiProcessorCount: *v = 1; break;
   case cudaDevAttrComputeCapabilityMajor: *v = 8; break;
   case cudaDevAttrComputeCapabilityMinor: *v = 0; break;
   default: return fail(cudaErrorInvalidValue);
   }
   return cudaSuccess;
}
cudaError_t cudaDeviceSynchronize(void) { return cudaSuccess; }
cudaError_t cudaDeviceReset(void) { return cudaSuccess; }
cudaError_t cudaDriverGetVersion(int *v) {
   *v = 12000;
   return cudaSuccess;
}
cudaError_t cudaRuntimeGetVersion(int *v) {
   *v = 12000;
   return cudaSuccess;
}

cudaError_t cudaMalloc(void **p, size_t bytes) {
   if (!p) return fail(cudaErrorInvalidValue);
   *p = nullptr;
   if (bytes == 0) return cudaSuccess;
   {
      std::lock_guard<std::mutex> g(mem_mu);
      if (bytes > TOTAL_BYTES - live_bytes) return fail(cudaErrorMemoryAllocation);
   }
   *p = track(bytes);
   return *p ? cudaSuccess : fail(cudaErrorMemoryAllocation);
}
// pinned host memory: host memory the device may also address
cudaError_t cudaMallocHost(void **p, size_t bytes) {
   if (!p) return fail(cudaErrorInvalidValue);
   if (posix_memalign(p, 256, bytes ? bytes : 1)) return fail(cudaErrorMemoryAllocation);
   std::lock_guard<std::mutex> g(mem_mu);
   allocations[(uintptr_t)*p] = bytes;
   return cudaSuccess;
}
cudaError_t cudaHostAlloc(void **p, size_t bytes, unsigned int) { return cudaMallocHost(p, bytes); }
cudaError_t cudaMallocManaged(void **p, size_t bytes, unsigned int) { return cudaMalloc(p, bytes); }
cudaError_t cudaFree(void *p) {
   if (!p) return cudaSuccess;
   if (!(arena && (char *)p >= arena && (char *)p < arena + ARENA_BYTES) || !untrack(p))
      return fail(cudaErrorInvalidDevicePointer);
   return cudaSuccess;
}
cudaError_t cudaFreeHost(void *p) {
   if (!p) return cudaSuccess;
   if ((arena && (char *)p >= arena && (char *)p < arena + ARENA_BYTES) || !untrack(p))
      return fail(cudaErrorInvalidValue);
   free(p);
   return cudaSuccess;
}
cudaError_t cudaHostRegister(void *, size_t, unsigned int) { return cudaSuccess; }
cudaError_t cudaHostUnregister(void *) { return cudaSuccess; }
cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total) {
   std::lock_guard<std::mutex> g(mem_mu);
   *free_bytes = TOTAL_BYTES - live_bytes;
   *total = TOTAL_BYTES;
   return cudaSuccess;
}

// the device side of a copy must be device memory
static bool device_range(const void *p, size_t bytes) {
   if (!p) return false;
   std::lock_guard<std::mutex> g(mem_mu);
   auto it = allocations.upper_bound((uintptr_t)p);
   if (it == allocations.begin()) return false;
   --it;
   return (uintptr_t)p + bytes <= it->first + it->second;
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind) {
   if (bytes == 0) return cudaSuccess;
   bool ddev = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
   bool sdev = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
   if (kind > cudaMemcpyDefault) return fail(cudaErrorInvalidMemcpyDirection);
   if (kind != cudaMemcpyDefault && ((ddev && !device_range(dst, bytes)) || (sdev && !device_range(src, bytes)))) {
      fprintf(stderr, "cudaemu: cudaMemcpy of %zu bytes (kind %d): the device side is not device memory\n", bytes,
              (int)kind);
      return fail(cudaErrorInvalidValue);
   }
   nl_emu::Open open;
   memmove(dst, src, bytes);
   return cudaSuccess;
}
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind, cudaStream_t) {
   return cudaMemcpy(dst, src, bytes, kind);
}
cudaError_t cudaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height,
                         cudaMemcpyKind kind) {
   if (width > dpitch || width > spitch) return fail(cudaErrorInvalidValue);
   for (size_t r = 0; r < height; r++) {
      cudaError_t e = cudaMemcpy((char *)dst + r * dpitch, (const char *)src + r * spitch, width, kind);
      if (e) return e;
   }
   return cudaSuccess;
}
cudaError_t cudaMemset(void *p, int value, size_t bytes) {
   if (bytes == 0) return cudaSuccess;
   if (!device_range(p, bytes)) return fail(cudaErrorInvalidValue);
   nl_emu::Open open;
   memset(p, value, bytes);
   return cudaSuccess;
}
cudaError_t cudaMemsetAsync(void *p, int value, size_t bytes, cudaStream_t) { return cudaMemset(p, value, bytes); }
void nl_emu_register_symbol(void *p, size_t bytes) {
   std::lock_guard<std::mutex> g(mem_mu);
   allocations[(uintptr_t)p] = bytes;
}
cudaError_t nl_emu_symbol_copy(void *dst, const void *src, size_t bytes, size_t off, size_t size) {
   if (off + bytes > size) return fail(cudaErrorInvalidValue);
   nl_emu::Open open;
   memmove(dst, src, bytes);
   return cudaSuccess;
}

// streams and events: work is done when the call returns
struct nl_emu_stream { int flags; };
struct nl_emu_event { double ms; };
cudaError_t cudaStreamCreate(cudaStream_t *s) { return cudaStreamCreateWithFlags(s, 0); }
cudaError_t cudaStreamCreateWithFlags(cudaStream_t *s, unsigned int flags) {
   *s = new nl_emu_stream{(int)flags};
   return cudaSuccess;
}
cudaError_t cudaStreamDestroy(cudaStream_t s) {
   if (s != cudaStreamLegacy && s != cudaStreamPerThread) delete s;
   return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamQuery(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamWaitEvent(cudaStream_t, cudaEvent_t, unsigned int) { return cudaSuccess; }
cudaError_t cudaEventCreate(cudaEvent_t *e) { return cudaEventCreateWithFlags(e, 0); }
cudaError_t cudaEventCreateWithFlags(cudaEvent_t *e, unsigned int) {
   *e = new nl_emu_event{0};
   return cudaSuccess;
}
cudaError_t cudaEventDestroy(cudaEvent_t e) {
   delete e;
   return cudaSuccess;
}
cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t) {
   if (!e) return fail(cudaErrorInvalidResourceHandle);
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   e->ms = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
   return cudaSuccess;
}
cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventQuery(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t a, cudaEvent_t b) {
   if (!a || !b) return fail(cudaErrorInvalidResourceHandle);
   *ms = (float)(b->ms - a->ms);
   return cudaSuccess;
}
cudaError_t cudaPointerGetAttributes(void *, const void *) { return fail(cudaErrorNotSupported); }

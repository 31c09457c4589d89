// selftest.cu: kernels that check the emulator itself (tests/cudaemu/
// cudaemu_spec.lua calls nl_cudaemu_selftest): barriers, shared memory,
// launch errors, atomics, warp shuffles. Compiled like cuda/*.cu (translated
// launches), linked into libnnlua_cudaemu.so only.
#include <cuda_runtime.h>
#include <stdio.h>
#include <string.h>

#define API extern "C" __attribute__((visibility("default")))

// each block reverses its 256 values through shared memory: needs the
// barrier between the writes and the reads
__global__ void reverse_kernel(int *out, const int *in) {
   __shared__ int s[256];
   int base = blockIdx.x * blockDim.x;
   s[threadIdx.x] = in[base + threadIdx.x];
   __syncthreads();
   out[base + threadIdx.x] = s[blockDim.x - 1 - threadIdx.x];
}

// a tree sum in dynamic shared memory, one partial per block
__global__ void sum_kernel(double *part, const double *in, int n) {
   extern __shared__ double sh[];
   double acc = 0;
   for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) acc += in[i];
   sh[threadIdx.x] = acc;
   __syncthreads();
   for (int s = blockDim.x / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
      __syncthreads();
   }
   if (threadIdx.x == 0) part[blockIdx.x] = sh[0];
}

// threads that leave early do not hold the barrier back
__global__ void early_exit_kernel(int *out, int n) {
   __shared__ int s[64];
   if ((int)threadIdx.x >= n) return;
   s[threadIdx.x] = threadIdx.x;
   __syncthreads();
   out[threadIdx.x] = s[n - 1 - threadIdx.x];
}

// half the block waits at a barrier the other half never reaches, while
// those wait at a second one: a GPU hangs or misbehaves; the emulator says so
__global__ void split_barrier_kernel(int *out) {
   if (threadIdx.x < 16) {
      __syncthreads();
      out[0] = 1;
   } else {
      __syncthreads();
      __syncthreads();
   }
}

__global__ void atomics_kernel(int *ci, float *cf, double *cd, unsigned long long *mn, int *mx) {
   atomicAdd(ci, 1);
   atomicAdd(cf, 0.5f);
   atomicAdd(cd, 0.25);
   atomicMin(mn, (unsigned long long)(1000 - threadIdx.x - blockIdx.x));
   atomicMax(mx, (int)(threadIdx.x + 7 * blockIdx.x));
}

// the warp's sum by shuffles, lane 0 writes it
__global__ void warp_sum_kernel(int *out) {
   int v = threadIdx.x;
   for (int d = 16; d > 0; d /= 2) v += __shfl_down_sync(0xffffffffu, v, d);
   if (threadIdx.x % 32 == 0) out[threadIdx.x / 32] = v;
}

__global__ void index_kernel(int *out) {
   int t = (blockIdx.y * gridDim.x + blockIdx.x) * (blockDim.x * blockDim.y) + threadIdx.y * blockDim.x + threadIdx.x;
   out[t] = t;
}

// only block 0 writes the shared value: block 1 reads undefined memory,
// which the emulator fills with 0xFF bytes (not block 0's leftover 42)
__global__ void stale_shared_kernel(int *out) {
   __shared__ int s[4];
   if (blockIdx.x == 0 && threadIdx.x == 0) s[0] = 42;
   __syncthreads();
   if (threadIdx.x == 0) out[blockIdx.x] = s[0];
}

__global__ void noop_kernel(int *p) {
   if (p) p[0] = 1;
}

#define CHECK(cond, ...)                                  \
   do {                                                   \
      if (!(cond)) {                                      \
         snprintf(msg, sizeof msg, __VA_ARGS__);          \
         return msg;                                      \
      }                                                   \
   } while (0)

static char msg[256];

// which: the check to run; returns "ok" or what went wrong
API const char *nl_cudaemu_selftest(const char *which) {
   if (!strcmp(which, "barrier")) {
      const int n = 4 * 256;
      int h[n], *in, *out;
      for (int i = 0; i < n; i++) h[i] = i;
      cudaMalloc(&in, sizeof h), cudaMalloc(&out, sizeof h);
      cudaMemcpy(in, h, sizeof h, cudaMemcpyHostToDevice);
      reverse_kernel<<<4, 256>>>(out, in);
      CHECK(cudaGetLastError() == cudaSuccess, "launch failed");
      cudaMemcpy(h, out, sizeof h, cudaMemcpyDeviceToHost);
      cudaFree(in), cudaFree(out);
      for (int i = 0; i < n; i++) CHECK(h[i] == (i / 256) * 256 + 255 - i % 256, "element %d: %d", i, h[i]);
      return "ok";
   }
   if (!strcmp(which, "dynamic_shared")) {
      const int n = 10000, blocks = 7, threads = 128;
      static double h[n];
      double *in, *part, p[blocks], want = 0, got = 0;
      for (int i = 0; i < n; i++) h[i] = i % 13, want += h[i];
      cudaMalloc(&in, sizeof h), cudaMalloc(&part, sizeof p);
      cudaMemcpy(in, h, sizeof h, cudaMemcpyHostToDevice);
      sum_kernel<<<blocks, threads, threads * sizeof(double)>>>(part, in, n);
      CHECK(cudaGetLastError() == cudaSuccess, "launch failed");
      cudaMemcpy(p, part, sizeof p, cudaMemcpyDeviceToHost);
      cudaFree(in), cudaFree(part);
      for (int b = 0; b < blocks; b++) got += p[b];
      CHECK(got == want, "sum %g, expected %g", got, want);
      return "ok";
   }
   if (!strcmp(which, "early_exit")) {
      int *out, h[40];
      cudaMalloc(&out, sizeof h);
      early_exit_kernel<<<1, 64>>>(out, 40);
      CHECK(cudaGetLastError() == cudaSuccess, "launch failed");
      cudaMemcpy(h, out, sizeof h, cudaMemcpyDeviceToHost);
      cudaFree(out);
      for (int i = 0; i < 40; i++) CHECK(h[i] == 39 - i, "element %d: %d", i, h[i]);
      return "ok";
   }
   if (!strcmp(which, "split_barrier")) {
      int *out;
      cudaMalloc(&out, 4);
      split_barrier_kernel<<<1, 32>>>(out);
      cudaError_t e = cudaGetLastError();
      cudaFree(out);
      CHECK(e == cudaErrorLaunchFailure, "got %s", cudaGetErrorString(e));
      CHECK(cudaGetLastError() == cudaSuccess, "the error was not cleared");
      return "ok";
   }
   if (!strcmp(which, "bad_launch")) {
      int *p;
      cudaMalloc(&p, 4);
      const dim3 bad[][2] = {{dim3(1), dim3(1025)}, {dim3(0), dim3(32)}, {dim3(1), dim3(0)},
                             {dim3(1, 65536), dim3(32)}, {dim3(1), dim3(32, 32, 2)}};
      for (auto &c : bad) {
         noop_kernel<<<c[0], c[1]>>>(p);
         cudaError_t e = cudaGetLastError();
         CHECK(e == cudaErrorInvalidConfiguration, "<<<(%u,%u), (%u,%u,%u)>>>: %s", c[0].x, c[0].y, c[1].x, c[1].y,
               c[1].z, cudaGetErrorString(e));
      }
      noop_kernel<<<1, 32, 64 * 1024>>>(p);
      CHECK(cudaGetLastError() != cudaSuccess, "64 KiB of dynamic shared memory accepted");
      noop_kernel<<<1, 1024>>>(p);
      CHECK(cudaGetLastError() == cudaSuccess, "a good launch failed");
      cudaFree(p);
      return "ok";
   }
   if (!strcmp(which, "host_pointer")) {
      static int host[4];
      noop_kernel<<<1, 1>>>(host);
      cudaError_t e = cudaGetLastError();
      CHECK(e == cudaErrorIllegalAddress, "got %s", cudaGetErrorString(e));
      CHECK(host[0] == 0, "the kernel ran");
      int *d = nullptr;
      CHECK(cudaMemcpy(d, host, 4, cudaMemcpyHostToDevice) != cudaSuccess, "copy to a NULL device pointer");
      CHECK(cudaMemcpy(host, host + 1, 4, cudaMemcpyDeviceToHost) != cudaSuccess, "copy from host memory as device");
      cudaGetLastError();
      return "ok";
   }
   if (!strcmp(which, "atomics")) {
      struct { int ci; float cf; double cd; unsigned long long mn; int mx; } h = {0, 0, 0, ~0ull, -1}, *d;
      cudaMalloc(&d, sizeof h);
      cudaMemcpy(d, &h, sizeof h, cudaMemcpyHostToDevice);
      atomics_kernel<<<3, 100>>>(&d->ci, &d->cf, &d->cd, &d->mn, &d->mx);
      CHECK(cudaGetLastError() == cudaSuccess, "launch failed");
      cudaMemcpy(&h, d, sizeof h, cudaMemcpyDeviceToHost);
      cudaFree(d);
      CHECK(h.ci == 300 && h.cf == 150 && h.cd == 75, "sums %d %g %g", h.ci, h.cf, h.cd);
      CHECK(h.mn == 1000 - 99 - 2 && h.mx == 99 + 14, "min %llu max %d", h.mn, h.mx);
      return "ok";
   }
   if (!strcmp(which, "shuffle")) {
      int *out, h[4];
      cudaMalloc(&out, sizeof h);
      warp_sum_kernel<<<1, 128>>>(out);
      CHECK(cudaGetLastError() == cudaSuccess, "launch failed");
      cudaMemcpy(h, out, sizeof h, cudaMemcpyDeviceToHost);
      cudaFree(out);
      for (int w = 0; w < 4; w++) CHECK(h[w] == 32 * 32 * w + 496, "warp %d: %d", w, h[w]);
      return "ok";
   }
   if (!strcmp(which, "indices")) {
      const int n = 3 * 2 * 8 * 4;
      int *out, h[n];
      cudaMalloc(&out, sizeof h);
      index_kernel<<<dim3(3, 2), dim3(8, 4)>>>(out);
      CHECK(cudaGetLastError() == cudaSuccess, "launch failed");
      cudaMemcpy(h, out, sizeof h, cudaMemcpyDeviceToHost);
      cudaFree(out);
      for (int i = 0; i < n; i++) CHECK(h[i] == i, "element %d: %d", i, h[i]);
      return "ok";
   }
   if (!strcmp(which, "stale_shared")) {
      int *out, h[2];
      cudaMalloc(&out, sizeof h);
      stale_shared_kernel<<<2, 32>>>(out);
      CHECK(cudaGetLastError() == cudaSuccess, "launch failed");
      cudaMemcpy(h, out, sizeof h, cudaMemcpyDeviceToHost);
      cudaFree(out);
      CHECK(h[0] == 42 && h[1] == -1, "blocks read %d and %d", h[0], h[1]);
      return "ok";
   }
   return "no such check";
}

-- scripts/bench/blas.lua: matrix product throughput and call overhead.
--   build/nnlua scripts/bench/blas.lua [seconds-per-case]
-- Prints GFLOP/s of torch.addmm at 128x784 times 784x1000 (the MLP's first
-- layer, batch 128) in float and double, against cblas_?gemm called through
-- the FFI in the same process on the same buffers, plus the cost of a
-- small mm call (the overhead of argument parsing, checks and dispatch).
-- The weight is used transposed (w:t(), as nn.Linear does), which nnlua
-- hands to BLAS as CblasTrans without a copy.
local ffi = require 'ffi'
local torch = require 'torch'

local budget = tonumber(arg and arg[1]) or 1.5

ffi.cdef [[
void cblas_sgemm(int order, int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void cblas_dgemm(int order, int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
                 const double *b, int ldb, double beta, double *c, int ldc);
]]
-- libnnlua links OpenBLAS; its symbols are reachable through the library
local B = torch._C
local RowMajor, NoTrans, Trans = 101, 111, 112

-- wall-clock time (os.clock is CPU time, which counts every BLAS thread)
local wall = dofile(arg[0]:match('^(.*)/') .. '/util.lua').wall

-- Runs f repeatedly for about `budget` seconds (after one warm-up call);
-- returns seconds per call.
local function time(f, secs)
   f()
   local n, t0 = 0, wall()
   local t
   repeat
      f()
      n = n + 1
      t = wall() - t0
   until t >= secs
   return t / n
end

local N, K, M = 128, 784, 1000
local flops = 2 * N * K * M
print(string.format('threads: %d', torch.getnumthreads()))
print(string.format('addmm %dx%d @ %dx%d (weight %dx%d used as w:t())', N, K, K, M, M, K))
for _, ty in ipairs({ 'FloatTensor', 'DoubleTensor' }) do
   local T = torch[ty]
   local x, w, out = T(N, K):fill(0.01), T(M, K):fill(0.02), T(N, M):zero()
   local wt = w:t()
   local gemm = ty == 'FloatTensor' and B.cblas_sgemm or B.cblas_dgemm
   local px, pw, po = x:data(), w:data(), out:data()
   -- alternate the two in rounds and keep the best of each: the machine is
   -- shared, and a slow moment should not land on one side only
   local t_ours, t_ref = math.huge, math.huge
   for _ = 1, 3 do
      t_ours = math.min(t_ours, time(function() out:addmm(0, out, 1, x, wt) end, budget / 3))
      t_ref = math.min(t_ref, time(function() gemm(RowMajor, NoTrans, Trans, N, M, K, 1, px, K, pw, K, 0, po, M) end,
         budget / 3))
   end
   print(string.format('  %-13s torch.addmm %7.2f GFLOP/s   cblas gemm %7.2f GFLOP/s   ratio %.3f', ty,
      flops / t_ours * 1e-9, flops / t_ref * 1e-9, t_ref / t_ours))
end

-- Overhead of a small product: 4x4 @ 4x4 into an existing result
do
   local a, b, r = torch.FloatTensor(4, 4):fill(1), torch.FloatTensor(4, 4):fill(1), torch.FloatTensor(4, 4)
   local pa, pb, pr = a:data(), b:data(), r:data()
   local reps = 20000
   local t_ours = time(function() for _ = 1, reps do r:mm(a, b) end end, budget / 2) / reps
   local t_ref = time(function()
      for _ = 1, reps do B.cblas_sgemm(RowMajor, NoTrans, NoTrans, 4, 4, 4, 1, pa, 4, pb, 4, 0, pr, 4) end
   end, budget / 2) / reps
   print(string.format('small mm 4x4 @ 4x4: r:mm(a, b) %.0f ns/call, cblas_sgemm %.0f ns/call, overhead %.0f ns',
      t_ours * 1e9, t_ref * 1e9, (t_ours - t_ref) * 1e9))
end

-- scripts/bench/tensor.lua: elementwise and reduction throughput, and the
-- cost of a small op call.
--   build/nnlua scripts/bench/tensor.lua
-- For sizes 1e2, 1e4, 1e6, 1e7 (float): add, cmul, tanh, sum, copy in GB/s
-- (bytes read + written per second, wall clock), then the ns per call of
-- a 4-element add (the fixed overhead: argument checks, FFI, dispatch).
-- The addmm figures against pure OpenBLAS are in scripts/bench/blas.lua.
local torch = require 'torch'

local wall = dofile(arg[0]:match('^(.*)/') .. '/util.lua').wall

-- runs f repeatedly for about `budget` seconds; returns seconds per call
local function time(f, budget)
   f()
   local n, t0 = 0, wall()
   repeat
      for _ = 1, 10 do f() end
      n = n + 10
   until wall() - t0 > budget
   return (wall() - t0) / n
end

print(string.format('threads: %d (OpenMP and OpenBLAS share one pool)', torch.getnumthreads()))
print(string.format('%-8s %10s %10s %10s %10s %10s', 'size', 'add', 'cmul', 'tanh', 'sum', 'copy'))
for _, n in ipairs { 1e2, 1e4, 1e6, 1e7 } do
   local a, b, r = torch.FloatTensor(n):fill(0.5), torch.FloatTensor(n):fill(0.25), torch.FloatTensor(n)
   local budget = n >= 1e7 and 0.6 or 0.3
   local bytes3, bytes2 = 12 * n, 8 * n
   local row = {
      bytes3 / time(function() r:add(a, b) end, budget),
      bytes3 / time(function() r:cmul(a, b) end, budget),
      bytes2 / time(function() r:tanh(a) end, budget),
      4 * n / time(function() return a:sum() end, budget),
      bytes2 / time(function() r:copy(a) end, budget),
   }
   print(string.format('%-8s %7.2f GB/s %7.2f GB/s %7.2f GB/s %7.2f GB/s %7.2f GB/s', string.format('%.0e', n),
      row[1] / 1e9, row[2] / 1e9, row[3] / 1e9, row[4] / 1e9, row[5] / 1e9))
end
local a, b, r = torch.FloatTensor(4):fill(1), torch.FloatTensor(4):fill(2), torch.FloatTensor(4)
print(string.format('small op overhead: %.0f ns per r:add(a, b) on 4 elements', time(function() r:add(a, b) end, 0.5) * 1e9))
print(string.format('element access: %.1f ns per t[i] read', time(function()
   local s = 0
   for i = 1, 4 do s = s + a[i] end
   return s
end, 0.3) * 1e9 / 4))

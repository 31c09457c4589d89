-- scripts/bench/index.lua: indexing and shape ops (math_index.c,
-- math_shape.c): microseconds per call, best of 3, on a 1000x1000
-- FloatTensor (rows: index/gather/scatter/masked along a dimension, cat of
-- two 1000x500 halves, tril), then the ns per call of a 4-element index
-- (the fixed overhead: argument checks, FFI, the device gate).
--   build/nnlua scripts/bench/index.lua
local torch = require 'torch'

local B = dofile(arg[0]:match('^(.*)/') .. '/util.lua')

local n = 1000
local x = torch.FloatTensor(n, n):uniform()
local r = torch.FloatTensor()
local rl = torch.LongTensor()
local idx = torch.LongTensor(n)
for i = 1, n do idx[i] = (i * 7919) % n + 1 end
local gidx = torch.LongTensor(n, n)
do
   local p = gidx:data()
   for i = 0, n * n - 1 do p[i] = (i * 7919) % n + 1 end
end
local mask = x:gt(0.5)
local src = torch.FloatTensor(n, n):fill(1)
local half1, half2 = x:narrow(2, 1, n / 2):contiguous(), x:narrow(2, n / 2 + 1, n / 2):contiguous()
local y = x:clone()

local rows = {
   { 'index dim 1', function() r:index(x, 1, idx) end },
   { 'index dim 2', function() r:index(x, 2, idx) end },
   { 'indexAdd dim 1', function() y:indexAdd(1, idx, src) end },
   { 'indexFill dim 2', function() y:indexFill(2, idx, 0) end },
   { 'gather dim 2', function() r:gather(x, 2, gidx) end },
   { 'scatter dim 1', function() y:scatter(1, gidx, src) end },
   { 'maskedSelect', function() r:maskedSelect(x, mask) end },
   { 'maskedFill', function() y:maskedFill(mask, 0) end },
   { 'nonzero', function() rl:nonzero(mask) end },
   { 'cat dim 1', function() r:cat(half1, half2, 1) end },
   { 'cat dim 2', function() r:cat(half1, half2, 2) end },
   { 'tril', function() r:tril(x) end },
}
print(string.format('threads: %d; %dx%d FloatTensor', torch.getnumthreads(), n, n))
for _, row in ipairs(rows) do
   print(string.format('%-16s %10.1f us', row[1], B.best(row[2], 0.2) * 1e6))
end
local s, si, sr = torch.FloatTensor(4):fill(1), torch.LongTensor({ 2, 1 }), torch.FloatTensor()
print(string.format('small index overhead: %.0f ns per r:index(s, 1, {2, 1}) on 4 elements',
   B.best(function() for _ = 1, 100 do sr:index(s, 1, si) end end, 0.3) * 1e7))

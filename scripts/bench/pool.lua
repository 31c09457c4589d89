-- scripts/bench/pool.lua: forward + backward time of one batch through the
-- pooling and per-plane image modules (runtime/nn/pooling.c,
-- spatial_misc.c), float, 2 threads, best of three:
--   max / average pooling 2x2 stride 2 on 128 x 32 x 24 x 24 (LeNet conv1's
--   output), average 3x3 stride 2 pad 1, adaptive max / average to 6x6,
--   max unpooling of the max pooling's output, reflection padding 2,
--   nearest upsampling x2, bilinear to 48x48 (on 32 x 32 x 24 x 24), LRN
--   size 5 on 32 x 32 x 24 x 24; and max pooling of a 1 x 4 x 4 image (the
--   per-call overhead).
-- With -cpu: one thread, process CPU time (os.clock) instead of wall time,
-- for comparing two builds on a loaded machine.
--   build/nnlua scripts/bench/pool.lua [-cpu] [seconds-per-case]
require 'nn'
local B = dofile(arg[0]:match('^(.*)/') .. '/util.lua')

local budget, cpu = 0.3, false
for _, a in ipairs(arg or {}) do
   if tonumber(a) then budget = tonumber(a) end
   if a == '-cpu' then cpu = true end
end
if cpu then B.wall = os.clock end
torch.setnumthreads(cpu and 1 or 2)
torch.manualSeed(1)

local function bench(name, m, x)
   local y = m:forward(x)
   local go = y:clone():uniform(-1, 1)
   local t = B.best(function()
      m:forward(x)
      m:backward(x, go)
   end, budget)
   print(string.format('%-44s %10.2f us', name, t * 1e6))
end

local big = torch.FloatTensor(128, 32, 24, 24):uniform(-1, 1)
local mid = torch.FloatTensor(32, 32, 24, 24):uniform(-1, 1)
print(string.format('threads: %d', torch.getnumthreads()))
bench('SpatialMaxPooling 2x2/2 128x32x24x24', nn.SpatialMaxPooling(2, 2, 2, 2), big)
bench('SpatialMaxPooling 3x3/2 pad 1 128x32x24x24', nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1), big)
bench('SpatialAveragePooling 2x2/2 128x32x24x24', nn.SpatialAveragePooling(2, 2, 2, 2), big)
bench('SpatialAveragePooling 3x3/2 pad 1 128x32x24x24', nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1), big)
bench('SpatialAdaptiveMaxPooling 6x6 32x32x24x24', nn.SpatialAdaptiveMaxPooling(6, 6), mid)
bench('SpatialAdaptiveAveragePooling 6x6 32x32x24x24', nn.SpatialAdaptiveAveragePooling(6, 6), mid)
local pool = nn.SpatialMaxPooling(2, 2, 2, 2)
local pooled = pool:forward(big):clone()
bench('SpatialMaxUnpooling 2x2 128x32x12x12', nn.SpatialMaxUnpooling(pool), pooled)
bench('SpatialReflectionPadding 2 32x32x24x24', nn.SpatialReflectionPadding(2, 2, 2, 2), mid)
bench('SpatialUpSamplingNearest x2 32x32x24x24', nn.SpatialUpSamplingNearest(2), mid)
bench('SpatialUpSamplingBilinear 48x48 32x32x24x24', nn.SpatialUpSamplingBilinear({oheight = 48, owidth = 48}), mid)
bench('SpatialCrossMapLRN 5 32x32x24x24', nn.SpatialCrossMapLRN(5), mid)
bench('SpatialMaxPooling 2x2/2 1x4x4 (overhead)', nn.SpatialMaxPooling(2, 2, 2, 2),
      torch.FloatTensor(1, 4, 4):uniform(-1, 1))

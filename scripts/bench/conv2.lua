-- scripts/bench/conv2.lua: torch.conv2 / xcorr2 (Torch7's tensor
-- convolutions, not the nn modules), double, 2 threads: a 512x512 image
-- with a 5x5 kernel, valid and full, and 16 planes of 64x64 into 8 with
-- 5x5 kernels. Prints ms per call and multiply-adds per second.
--   build/nnlua scripts/bench/conv2.lua
local B = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
torch.setnumthreads(2)
torch.manualSeed(1)
local x, k = torch.randn(512, 512), torch.randn(5, 5)
local x3, k4 = torch.randn(16, 64, 64), torch.randn(8, 16, 5, 5)
for _, c in ipairs {
   { 'conv2 512x512 * 5x5, valid', function() torch.conv2(x, k) end, 508 * 508 * 25 },
   { 'conv2 512x512 * 5x5, full', function() torch.conv2(x, k, 'F') end, 512 * 512 * 25 },
   { 'xcorr2 16x64x64 * 8x16x5x5, valid', function() torch.xcorr2(x3, k4) end, 8 * 16 * 60 * 60 * 25 },
} do
   local t = B.best(c[2], 0.5)
   print(string.format('%-36s %8.2f ms  %6.2f G multiply-adds/s', c[1], t * 1e3, c[3] / t * 1e-9))
end

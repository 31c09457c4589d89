-- Thread determinism (issue: hardening). Runs tensor ops and nn modules
-- once with 1 thread and once with N threads (default 2) on the same
-- inputs and compares the results. nnlua's own kernels split work so that
-- no floating-point sum depends on how many threads ran it: their results
-- must be identical bit for bit. Cases marked `blas` go through OpenBLAS's
-- GEMM, whose blocking changes with the thread count (its results differ
-- in the last bits); they must agree within 1e-4 relative.
--
-- usage: nnlua scripts/hardening/threads.lua [N]
-- prints one line per case, `threads: C cases, D differ`, and exits 1
-- when any result differs. `make tsan` runs it under ThreadSanitizer.
require 'nn'
local N = tonumber(arg and arg[1]) or 2
local small = os.getenv('NNLUA_THREADS_SMALL') ~= nil   -- smaller sizes under TSan

local unpack = table.unpack or unpack
-- under TSan the big sizes shrink (still above the kernels' parallel
-- thresholds, so both threads run)
local function S(n) return small and math.max(8, math.floor(n / 4)) or n end
local function rand(...)
   return torch.FloatTensor(...):uniform(-1, 1)
end

-- each case returns a table of tensors (or numbers) computed from its seed
local cases = {}
local function case(name, fn, blas) cases[#cases + 1] = { name = name, fn = fn, blas = blas } end

local B = small and 8 or 64
case('pointwise add/cmul/tanh/exp', function()
   local a, b = rand(S(512), 1031), rand(S(512), 1031)
   return { torch.add(a, b), torch.cmul(a, b), torch.tanh(a), torch.exp(a), torch.add(a:t(), 2) }
end)
case('addcmul, clamp, sigmoid on a non-contiguous view', function()
   local a, b = rand(S(700), 900):t(), rand(900, S(700))
   return { torch.addcmul(b, 0.5, a, b), torch.clamp(a, -0.5, 0.5), torch.sigmoid(a) }
end)
case('sum, mean, max, min, norm over a dimension', function()
   local a = rand(S(300), 2000)
   local mx, ix = a:max(2)
   return { a:sum(1), a:sum(2), a:mean(2), mx, ix, a:min(1), a:norm(2, 2) }
end)
case('sum, mean, norm, max of all elements', function()
   local a = rand(S(1000), 1000)
   return { a:sum(), a:mean(), a:norm(), a:max(), a:min(), a:var(), a:std() }
end)
case('cumsum, sort, topk', function()
   local a = rand(S(200), 500)
   local s, i = a:sort(2)
   local t, ti = a:topk(5, 2)
   return { a:cumsum(2), s, i, t, ti }
end)
case('addmm, addmv, bmm', function()
   local m = torch.addmm(torch.FloatTensor(B * 2, 500):zero(), rand(B * 2, 300), rand(300, 500))
   local v = torch.mv(rand(400, 300), rand(300))
   local bb = torch.bmm(rand(8, 40, 50), rand(8, 50, 30))
   return { m, v, bb }
end, true)
case('SoftMax, LogSoftMax, ClassNLL', function()
   local x = rand(B, 1000)
   local t = torch.LongTensor(B):random(1, 1000)
   local lsm = nn.LogSoftMax():float()
   local o = lsm:forward(x)
   local c = nn.ClassNLLCriterion():float()
   local l = c:forward(o, t)
   local gi = lsm:backward(x, c:backward(o, t))
   return { nn.SoftMax():float():forward(x), o, l, gi }
end)
case('pointwise criterions (MSE, Abs, SmoothL1, BCE) above the OpenMP threshold', function()
   local x, y = rand(B * 4, 1000), rand(B * 4, 1000)
   local p = torch.abs(x):mul(0.9):add(0.05)   -- probabilities in (0.05, 0.95)
   local out = {}
   for _, c in ipairs { nn.MSECriterion(), nn.AbsCriterion(), nn.SmoothL1Criterion(), nn.BCECriterion() } do
      c:float()
      local input = torch.type(c) == 'nn.BCECriterion' and p or x
      local target = torch.type(c) == 'nn.BCECriterion' and y:gt(0.5):float() or y
      out[#out + 1] = c:forward(input, target)
      out[#out + 1] = c:backward(input, target):clone()
   end
   return out
end)
case('Linear, Tanh, ReLU forward/backward', function()
   torch.manualSeed(3)
   local m = nn.Sequential():add(nn.Linear(300, 200)):add(nn.Tanh()):add(nn.Linear(200, 100)):add(nn.ReLU()):float()
   local x = rand(B, 300)
   local y = m:forward(x)
   m:zeroGradParameters()
   local gi = m:backward(x, rand(B, 100))
   local _, g = m:getParameters()
   return { y, gi, g }
end, true)
local function module_case(name, build, insize, blas)
   case(name, function()
      torch.manualSeed(3)
      local m = build():float()
      local x = rand(unpack(insize))
      local y = m:forward(x):clone()
      local go = rand(y:size())
      if m.zeroGradParameters then m:zeroGradParameters() end
      local gi = m:backward(x, go)
      local out = { y, gi }
      local _, g = m:parameters()
      for _, t in ipairs(g or {}) do out[#out + 1] = t end
      return out
   end, blas)
end

module_case('SpatialConvolution 3->16 5x5 pad 2', function() return nn.SpatialConvolution(3, 16, 5, 5, 1, 1, 2, 2) end,
   { B, 3, 20, 20 }, true)
module_case('SpatialConvolution 16->32 3x3 stride 2', function() return nn.SpatialConvolution(16, 32, 3, 3, 2, 2) end,
   { B, 16, 15, 15 }, true)
module_case('SpatialFullConvolution 8->4 3x3 stride 2', function() return nn.SpatialFullConvolution(8, 4, 3, 3, 2, 2) end,
   { B, 8, 9, 9 }, true)
module_case('SpatialMaxPooling 3x3/2 ceil', function() return nn.SpatialMaxPooling(3, 3, 2, 2):ceil() end,
   { B, 16, 21, 21 })
module_case('SpatialAveragePooling 2x2', function() return nn.SpatialAveragePooling(2, 2, 2, 2) end, { B, 16, 20, 20 })
module_case('SpatialBatchNormalization', function() return nn.SpatialBatchNormalization(16) end, { B, 16, 12, 12 })
module_case('BatchNormalization', function() return nn.BatchNormalization(300) end, { B, 300 })
module_case('SpatialCrossMapLRN', function() return nn.SpatialCrossMapLRN(5) end, { B, 16, 10, 10 })
module_case('SpatialUpSamplingBilinear', function() return nn.SpatialUpSamplingBilinear(2) end, { B, 4, 9, 9 })
module_case('SpatialReflectionPadding', function() return nn.SpatialReflectionPadding(2, 2, 2, 2) end, { B, 4, 9, 9 })

local function flatten(list)
   local out = {}
   for _, v in ipairs(list) do
      if type(v) == 'number' then out[#out + 1] = torch.DoubleTensor({ v })
      else out[#out + 1] = v:clone() end
   end
   return out
end

local function run(threads, c)
   torch.setnumthreads(threads)
   torch.manualSeed(7)
   return flatten(c.fn())
end

local differ = 0
for _, c in ipairs(cases) do
   local r1 = run(1, c)
   local rn = run(N, c)
   local worst = 0
   for i = 1, #r1 do
      local a, b = r1[i]:double(), rn[i]:double()
      local d = 0
      if a:nElement() > 0 then
         d = (a - b):abs():max()
         if c.blas then d = d / math.max(a:abs():max(), 1e-30) end
      end
      if d ~= d then d = math.huge end
      worst = math.max(worst, d)
   end
   local ok = c.blas and worst <= 1e-4 or worst == 0
   if not ok then differ = differ + 1 end
   local what
   if worst == 0 then what = 'identical'
   elseif ok then what = string.format('within %.2g relative (OpenBLAS GEMM)', worst)
   else what = string.format('DIFFERS by %.3g%s', worst, c.blas and ' relative' or '') end
   print(string.format('%-48s %s', c.name, what))
end
print(string.format('threads: %d cases, %d differ (1 vs %d threads)', #cases, differ, N))
torch.setnumthreads(2)
if differ > 0 then os.exit(1) end

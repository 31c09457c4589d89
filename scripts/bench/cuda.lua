-- scripts/bench/cuda.lua: the reference MLP (784-1000-10, Tanh,
-- LogSoftMax, ClassNLL, SGD lr 0.1, batch 128, float) on random data:
-- milliseconds per training step on the GPU (cunn) and on the CPU
-- (2 threads) in the same run, and addmm 128x784 by 784x1000 GFLOP/s on
-- both. Needs a CUDA device; says why and exits 0 without one.
--   build/nnlua scripts/bench/cuda.lua [steps=200]
require 'nn'
require 'optim'
local ok, why = pcall(require, 'cunn')
if not ok then
   print('no CUDA device: ' .. tostring(why))
   return
end
local steps = tonumber(arg[1]) or 200
torch.setnumthreads(2)

local function run(tensorType, sync)
   torch.manualSeed(1)
   local model = nn.Sequential():add(nn.Linear(784, 1000)):add(nn.Tanh()):add(nn.Linear(1000, 10))
      :add(nn.LogSoftMax()):type(tensorType)
   model:get(1).gradInput = nil
   local crit = nn.ClassNLLCriterion():type(tensorType)
   local p, g = model:getParameters()
   local x = torch.FloatTensor(128, 784):uniform():type(tensorType)
   local y = torch.LongTensor(128):random(1, 10)
   if tensorType == 'torch.CudaTensor' then y = y:cuda() end
   local state = { learningRate = 0.1 }
   local loss
   local function step()
      optim.sgd(function()
         g:zero()
         local o = model:forward(x)
         loss = crit:forward(o, y)
         model:backward(x, crit:backward(o, y))
         return loss, g
      end, p, state)
   end
   for _ = 1, 10 do step() end
   sync()
   local t = torch.Timer()
   for _ = 1, steps do step() end
   sync()
   return t:time().real / steps * 1e3, loss
end

local function gemm(tensorType, sync)
   local a = torch.FloatTensor(128, 784):uniform():type(tensorType)
   local b = torch.FloatTensor(784, 1000):uniform():type(tensorType)
   local c = torch.FloatTensor(128, 1000):type(tensorType)
   for _ = 1, 5 do c:mm(a, b) end
   sync()
   local n, t = 200, torch.Timer()
   for _ = 1, n do c:mm(a, b) end
   sync()
   return 2 * 128 * 784 * 1000 * n / t:time().real / 1e9
end

local gsync = function() cutorch.synchronize() end
local csync = function() end
local gms, gloss = run('torch.CudaTensor', gsync)
local cms, closs = run('torch.FloatTensor', csync)
print(string.format('MLP step (batch 128): GPU %.3f ms, CPU %.3f ms (CPU / GPU %.1f); final loss GPU %.5f, CPU %.5f',
   gms, cms, cms / gms, gloss, closs))
print(string.format('addmm 128x784x1000 float: GPU %.0f GFLOP/s, CPU %.0f GFLOP/s', gemm('torch.CudaTensor', gsync),
   gemm('torch.FloatTensor', csync)))

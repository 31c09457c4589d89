-- Run by tests/dist/distlearn_spec.lua, alone and under `mpirun -np 2`:
-- a small MLP trained with optim.sgd (momentum) for STEPS minibatches of
-- BATCH samples, each rank on its shard of every batch, gradients through
-- distlearn.AllReduceSGD. Every rank writes its final parameters to
-- OUT.<nodeIndex>, one number a line. Ranks start from different weights:
-- synchronizeParameters must give them rank 0's.
--   nnlua train_shards.lua OUT BATCH STEPS [sgd|ea]
require 'nn'
require 'optim'
local distlearn = require 'distlearn'
torch.setnumthreads(1)
local out, batch, steps, algo = arg[1], tonumber(arg[2]), tonumber(arg[3]), arg[4] or 'sgd'
local tree = distlearn.tree()

torch.manualSeed(7)
local X = torch.randn(batch * steps, 6)
local Y = torch.LongTensor(batch * steps):random(1, 3)
torch.manualSeed(100 + tree.nodeIndex)
local model = nn.Sequential():add(nn.Linear(6, 5)):add(nn.Tanh()):add(nn.Linear(5, 3)):add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local params, grads = model:getParameters()
local state = { learningRate = 0.5, momentum = 0.9 }

if algo == 'sgd' then
   local sgd = distlearn.AllReduceSGD(tree)
   sgd.synchronizeParameters(params)
   for s = 1, steps do
      local x, y, share = distlearn.shardBatch(X:narrow(1, (s - 1) * batch + 1, batch),
                                               Y:narrow(1, (s - 1) * batch + 1, batch))
      optim.sgd(function()
         grads:zero()
         local o = model:forward(x)
         local f = criterion:forward(o, y)
         model:backward(x, criterion:backward(o, y))
         sgd.sumAndNormalizeGradients(grads, share)
         return f, grads
      end, params, state)
   end
else
   -- elastic averaging: each rank on its own shard, averaged every 2 steps
   local ea = distlearn.AllReduceEA(tree, 2, 0.25)
   for s = 1, steps do
      local x, y = distlearn.shardBatch(X:narrow(1, (s - 1) * batch + 1, batch), Y:narrow(1, (s - 1) * batch + 1, batch))
      optim.sgd(function()
         grads:zero()
         local o = model:forward(x)
         local f = criterion:forward(o, y)
         model:backward(x, criterion:backward(o, y))
         return f, grads
      end, params, state)
      ea.averageParameters(params)
   end
   ea.synchronizeCenter(params)
end

local f = assert(io.open(out .. '.' .. tree.nodeIndex, 'w'))
for i = 1, params:nElement() do f:write(string.format('%.17g\n', params[i])) end
f:close()

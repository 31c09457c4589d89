-- scripts/bench/lecture.lua: one Fashion-MNIST MLP epoch (784-1000-10,
-- Tanh, LogSoftMax, ClassNLL, batch 128, float, lr 0.1, 2 threads) written
-- the way the lectures write it: each step indexes a new batch out of the
-- training tensor (trainData:index(1, idx)), runs the full model:backward
-- (every gradient Torch7 computes, the images' included) inside a feval
-- closure handed to optim.sgd. No buffers reused, no gradient skipped: this
-- is the figure a user's script gets.
--   build/nnlua scripts/bench/lecture.lua [epochs=1]
require 'nn'
require 'optim'
local data = require 'nnlua.data'
local bench = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
local wall = bench.wall
local epochs = tonumber(arg[1]) or 1

torch.setnumthreads(2)
torch.manualSeed(1)
local train = data.load('train', nil, { normalize = true })
local test = data.load('test', nil, { normalize = true })
local trainData = train.data:view(train:size(), 784)
local trainLabels = train.labels
local B = 128

local model = nn.Sequential():add(nn.Linear(784, 1000)):add(nn.Tanh()):add(nn.Linear(1000, 10)):add(nn.LogSoftMax())
model:float()
local criterion = nn.ClassNLLCriterion():float()
local params, gradParams = model:getParameters()
local config = { learningRate = 0.1 }

for e = 1, epochs do
   local t0 = wall()
   local shuffle = torch.randperm(train:size()):long()
   for t = 1, train:size(), B do
      local idx = shuffle:narrow(1, t, math.min(B, train:size() - t + 1))
      local inputs = trainData:index(1, idx)
      local targets = trainLabels:index(1, idx)
      local function feval(x)
         if x ~= params then params:copy(x) end
         gradParams:zero()
         local outputs = model:forward(inputs)
         local loss = criterion:forward(outputs, targets)
         model:backward(inputs, criterion:backward(outputs, targets))
         return loss, gradParams
      end
      optim.sgd(feval, params, config)
   end
   local secs = wall() - t0
   model:evaluate()
   local _, p = model:forward(test.data:view(test:size(), 784)):max(2)
   local acc = p:select(2, 1):eq(test.labels):sum() / test:size()
   model:training()
   print(string.format('lecture-style MLP epoch %d: %.2f s (%.0f images/s), test accuracy %.2f%%', e, secs,
      train:size() / secs, acc * 100))
end

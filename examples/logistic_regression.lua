-- examples/logistic_regression.lua: the seed tutorial's "Classifying
-- digits using logistic regression" on Fashion-MNIST: a linear layer and
-- a softmax (nn.Linear + nn.LogSoftMax + nn.ClassNLLCriterion), minibatch
-- SGD through a feval closure, and early stopping with the tutorial's
-- patience heuristic on a validation split (50,000 / 10,000).
--   nnlua examples/logistic_regression.lua [-epochs 20] [-maxTrain N]
require 'nn'
require 'optim'
require 'xlua'
local data = require 'nnlua.data'

local cmd = torch.CmdLine()
cmd:text('Logistic regression on Fashion-MNIST with early stopping')
cmd:option('-learningRate', 0.13, 'learning rate (the tutorial\'s)')
cmd:option('-batchSize', 600, 'minibatch size (the tutorial\'s)')
cmd:option('-epochs', 20, 'at most this many epochs')
cmd:option('-patience', 5000, 'look at this many minibatches at least')
cmd:option('-maxTrain', 0, 'use only the first N training images (0: all)')
cmd:option('-data', data.default_dir, 'folder with the idx files')
cmd:option('-seed', 1, 'random seed')
local opt = cmd:parse(arg or {})
torch.manualSeed(opt.seed)
torch.setdefaulttensortype('torch.FloatTensor')

-- train / validation / test: the last 10,000 training images validate
local full = data.load('train', opt.data, { normalize = true, max = opt.maxTrain > 0 and opt.maxTrain or nil })
local test = data.load('test', opt.data, { normalize = true })
local function subset(d, first, n)
   return setmetatable({ data = d.data:narrow(1, first, n), labels = d.labels:narrow(1, first, n) }, getmetatable(d))
end
local nvalid = math.floor(full:size() / 6)
local train = subset(full, 1, full:size() - nvalid)
local valid = subset(full, full:size() - nvalid + 1, nvalid)
print(string.format('%d training, %d validation, %d test images', train:size(), valid:size(), test:size()))

local model = nn.Sequential():add(nn.View(784)):add(nn.Linear(784, 10)):add(nn.LogSoftMax())
model:get(2).weight:zero()      -- the tutorial starts from zeros
model:get(2).bias:zero()
local criterion = nn.ClassNLLCriterion()
local params, grads = model:getParameters()
local state = { learningRate = opt.learningRate }

local function errorRate(d)
   local wrong = 0
   for x, y in data.batches(d, 1000, false) do
      local _, p = model:forward(x):max(2)
      wrong = wrong + p:select(2, 1):ne(y):sum()
   end
   return wrong / d:size()
end

local nbatches = math.ceil(train:size() / opt.batchSize)
local patience, patienceIncrease, threshold = opt.patience, 2, 0.995
local validationFrequency = math.min(nbatches, math.floor(patience / 2))
local best, bestParams, bestIter = math.huge, params:clone(), 0
local iter, done = 0, false
local timer = torch.Timer()
for epoch = 1, opt.epochs do
   for x, y in data.batches(train, opt.batchSize, true) do
      optim.sgd(function()
         grads:zero()
         local out = model:forward(x)
         local f = criterion:forward(out, y)
         model:backward(x, criterion:backward(out, y))
         return f, grads
      end, params, state)
      iter = iter + 1
      if iter % validationFrequency == 0 then
         local err = errorRate(valid)
         print(string.format('epoch %d, minibatch %d/%d, validation error %.3f%%', epoch,
            (iter - 1) % nbatches + 1, nbatches, err * 100))
         if err < best then
            if err < best * threshold then patience = math.max(patience, iter * patienceIncrease) end
            best, bestIter = err, iter
            bestParams:copy(params)
         end
      end
      if patience <= iter then done = true break end
   end
   if done then break end
end
params:copy(bestParams)
print(string.format('best validation error %.3f%% (minibatch %d); test error %.3f%%; %.1f s', best * 100, bestIter,
   errorRate(test) * 100, timer:time().real))

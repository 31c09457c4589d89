-- examples/mlp_regularized.lua: the seed tutorial's multilayer perceptron
-- on Fashion-MNIST: 784-500-10 with tanh, the loss NLL + l1 |W|_1 + l2
-- ||W||^2 over the weight matrices (not the biases), minibatch SGD and
-- early stopping with the patience heuristic on a validation split; the
-- parameters kept are those of the best validation error.
--   nnlua examples/mlp_regularized.lua [-L1 0] [-L2 1e-4] [-epochs 20]
require 'nn'
require 'optim'
local data = require 'nnlua.data'

local cmd = torch.CmdLine()
cmd:text('MLP with L1/L2 regularisation and early stopping on Fashion-MNIST')
cmd:option('-learningRate', 0.01, 'learning rate')
cmd:option('-batchSize', 20, 'minibatch size (the tutorial\'s)')
cmd:option('-hidden', 500, 'hidden units')
cmd:option('-L1', 0, 'L1 weight (lambda_1)')
cmd:option('-L2', 1e-4, 'L2 weight (lambda_2)')
cmd:option('-epochs', 20, 'at most this many epochs')
cmd:option('-patience', 10000, 'look at this many minibatches at least')
cmd:option('-maxTrain', 0, 'use only the first N training images (0: all)')
cmd:option('-data', data.default_dir, 'folder with the idx files')
cmd:option('-threads', 2, 'threads')
cmd:option('-seed', 1, 'random seed')
local opt = cmd:parse(arg or {})
torch.manualSeed(opt.seed)
torch.setnumthreads(opt.threads)
torch.setdefaulttensortype('torch.FloatTensor')

local full = data.load('train', opt.data, { normalize = true, max = opt.maxTrain > 0 and opt.maxTrain or nil })
local test = data.load('test', opt.data, { normalize = true })
local function subset(d, first, n)
   return setmetatable({ data = d.data:narrow(1, first, n), labels = d.labels:narrow(1, first, n) }, getmetatable(d))
end
local nvalid = math.floor(full:size() / 6)
local train = subset(full, 1, full:size() - nvalid)
local valid = subset(full, full:size() - nvalid + 1, nvalid)

local l1, l2 = nn.Linear(784, opt.hidden), nn.Linear(opt.hidden, 10)
local model = nn.Sequential():add(nn.View(784)):add(l1):add(nn.Tanh()):add(l2):add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local params, grads = model:getParameters()
local weights = { l1.weight, l2.weight }
local gradWeights = { l1.gradWeight, l2.gradWeight }
local state = { learningRate = opt.learningRate }

local function errorRate(d)
   local wrong = 0
   for x, y in data.batches(d, 1000, false) do
      local _, p = model:forward(x):max(2)
      wrong = wrong + p:select(2, 1):ne(y):sum()
   end
   return wrong / d:size()
end

local feval_x, feval_y
local function feval()
   grads:zero()
   local out = model:forward(feval_x)
   local f = criterion:forward(out, feval_y)
   model:backward(feval_x, criterion:backward(out, feval_y))
   -- the regularisers and their gradients: l1 sign(W), 2 l2 W
   for i, w in ipairs(weights) do
      if opt.L1 ~= 0 then
         f = f + opt.L1 * w:norm(1)
         gradWeights[i]:add(opt.L1, torch.sign(w))
      end
      if opt.L2 ~= 0 then
         f = f + opt.L2 * w:dot(w)
         gradWeights[i]:add(2 * opt.L2, w)
      end
   end
   return f, grads
end

local nbatches = math.ceil(train:size() / opt.batchSize)
local patience, patienceIncrease, threshold = opt.patience, 2, 0.995
local validationFrequency = math.min(nbatches, math.floor(patience / 2))
local best, bestParams, bestIter = math.huge, params:clone(), 0
local iter, done = 0, false
local timer = torch.Timer()
for epoch = 1, opt.epochs do
   for x, y in data.batches(train, opt.batchSize, true) do
      feval_x, feval_y = x, y
      optim.sgd(feval, params, state)
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

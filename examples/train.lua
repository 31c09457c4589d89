-- examples/train.lua: the lecture-style training script. With no
-- arguments it trains an MLP (784-1000-10, Tanh, LogSoftMax,
-- ClassNLLCriterion) on Fashion-MNIST with minibatch SGD through a feval
-- closure and optim.sgd, shows a progress bar, and prints the test set's
-- confusion matrix after each epoch.
--
--   nnlua examples/train.lua -h            all options
--   nnlua examples/train.lua -model lenet -epochs 3
require 'nn'
require 'optim'
require 'xlua'
local data = require 'nnlua.data'

local cmd = torch.CmdLine()
cmd:text()
cmd:text('Train a classifier on Fashion-MNIST')
cmd:text()
cmd:option('-model', 'mlp', 'mlp | lenet (convnet) | logreg')
cmd:option('-optimizer', 'sgd', 'sgd | adam')
cmd:option('-learningRate', 0.1, 'learning rate (lenet: 0.05 unless given)')
cmd:option('-learningRateDecay', 0, 'learning rate decay: lr / (1 + steps * decay) (lenet: 1e-3 unless given)')
cmd:option('-momentum', 0, 'momentum (sgd; lenet: 0.9 unless given)')
cmd:option('-dampening', -1, 'momentum dampening (sgd; -1: Torch7 default, = momentum; lenet: 0 unless given)')
cmd:option('-nesterov', false, 'Nesterov momentum (sgd; needs dampening 0)')
cmd:option('-weightDecay', 0, 'weight decay')
cmd:option('-batchSize', 128, 'minibatch size')
cmd:option('-epochs', 5, 'epochs to train')
cmd:option('-threads', 2, 'threads (OpenMP and OpenBLAS)')
cmd:option('-type', 'float', 'float | double | cuda')
cmd:option('-seed', 1, 'random seed')
cmd:option('-data', data.default_dir, 'folder with the idx files (gzipped or not)')
cmd:option('-maxTrain', 0, 'use only the first N training images (0: all)')
cmd:option('-maxTest', 0, 'use only the first N test images (0: all)')
cmd:option('-save', '', 'save the model (and optimizer state) here after each epoch')
cmd:option('-resume', '', 'continue from a checkpoint written by -save')
cmd:option('-predict', '', 'write test-set predictions to this CSV file (id,label)')
cmd:option('-quiet', false, 'no progress bar')
cmd:option('-distributed', false, 'data-parallel under mpirun -np N: each rank trains on a shard of every batch (docs/distributed.md)')
cmd:option('-out', '', 'folder for the log and its plot (default: results/ beside this script)')
cmd:option('-log', 'train.log', 'log per epoch in -out (Torch7 text format), plotted to LOG.png after every epoch; empty: no log')
cmd:text()
local opt = cmd:parse(arg or {})
if opt.model == 'convnet' then opt.model = 'lenet' end

-- the LeNet's own defaults for options not given on the command line:
-- SGD with undamped momentum and a decaying rate reaches 89.2-90.0% in 3
-- epochs (seeds 1-3)
local given = {}
for _, a in ipairs(arg or {}) do given[a] = true end
if opt.model == 'lenet' then
   local defaults = { learningRate = 0.05, momentum = 0.9, dampening = 0, learningRateDecay = 1e-3 }
   for k, v in pairs(defaults) do
      if not given['-' .. k] then opt[k] = v end
   end
end

-- -distributed: every rank of `mpirun -np N nnlua examples/train.lua
-- -distributed` runs this script with the same options and seed; each
-- trains on its shard of every minibatch, the gradients are summed across
-- ranks in feval, and rank 0 prints, logs and saves (docs/distributed.md).
-- Each rank runs one thread unless -threads is given.
local dist
if opt.distributed then
   local distlearn = require 'distlearn'
   local rank, size = distlearn.init()
   dist = { rank = rank, size = size, lib = distlearn, sgd = distlearn.AllReduceSGD(distlearn.tree()) }
   if not given['-threads'] then opt.threads = 1 end
   if rank > 0 then
      print = function() end
      opt.quiet, opt.log, opt.predict = true, '', ''
   end
   print(string.format('distributed: %d ranks, each a shard of every batch of %d', size, opt.batchSize))
end

torch.manualSeed(opt.seed)
torch.setnumthreads(opt.threads)
if opt.type == 'cuda' then
   require 'cunn'
end
local tensorType = ({ float = 'torch.FloatTensor', double = 'torch.DoubleTensor', cuda = 'torch.CudaTensor' })[opt.type]
if not tensorType then error('unknown -type ' .. opt.type .. ' (float | double | cuda)') end

-- data ---------------------------------------------------------------------
local trainData = data.load('train', opt.data, { normalize = true, max = opt.maxTrain > 0 and opt.maxTrain or nil })
local testData = data.load('test', opt.data, { normalize = true, max = opt.maxTest > 0 and opt.maxTest or nil })
-- standardise with the training set's statistics
local mean, std = trainData.data:mean(), trainData.data:std()
trainData.data:add(-mean):div(std)
testData.data:add(-mean):div(std)
print(string.format('Fashion-MNIST: %d training and %d test images', trainData:size(), testData:size()))

-- model --------------------------------------------------------------------
local model = nn.Sequential()
if opt.model == 'mlp' then
   model:add(nn.Reshape(784))
   model:add(nn.Linear(784, 1000))
   model:add(nn.Tanh())
   model:add(nn.Linear(1000, 10))
elseif opt.model == 'logreg' then
   model:add(nn.Reshape(784))
   model:add(nn.Linear(784, 10))
elseif opt.model == 'lenet' then
   model:add(nn.SpatialConvolution(1, 32, 5, 5))     -- 32 x 24 x 24
   model:add(nn.ReLU(true))
   model:add(nn.SpatialMaxPooling(2, 2, 2, 2))       -- 32 x 12 x 12
   model:add(nn.SpatialConvolution(32, 64, 5, 5))    -- 64 x 8 x 8
   model:add(nn.ReLU(true))
   model:add(nn.SpatialMaxPooling(2, 2, 2, 2))       -- 64 x 4 x 4
   model:add(nn.View(1024))
   model:add(nn.Linear(1024, 200))
   model:add(nn.ReLU(true))
   model:add(nn.Linear(200, 10))
else
   error('unknown -model ' .. opt.model .. ' (mlp | lenet | logreg)')
end
model:add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()

local optimState = {
   learningRate = opt.learningRate,
   learningRateDecay = opt.learningRateDecay,
   momentum = opt.optimizer == 'sgd' and opt.momentum or nil,
   dampening = opt.optimizer == 'sgd' and opt.dampening >= 0 and opt.dampening or nil,
   nesterov = opt.optimizer == 'sgd' and opt.nesterov or nil,
   weightDecay = opt.weightDecay,
}
local firstEpoch = 1
if opt.resume ~= '' then
   local ck = torch.load(opt.resume)
   model, optimState, firstEpoch = ck.model, ck.optimState, ck.epoch + 1
   print('resumed from ' .. opt.resume .. ' after epoch ' .. ck.epoch)
end
model:type(tensorType)
criterion:type(tensorType)
print(model)

-- The images need no gradient: Torch7's Linear skips its input gradient
-- when gradInput is nil, which saves a third of the first layer's work.
local firstLayer = model:get(1).weight and model:get(1) or model:get(2)
firstLayer.gradInput = nil

local parameters, gradParameters = model:getParameters()
print(string.format('%d parameters', parameters:nElement()))
if dist then dist.sgd.synchronizeParameters(parameters) end

local classes = trainData.classes
local confusion = optim.ConfusionMatrix(classes)
local optimize = optim[opt.optimizer]
if not optimize then error('unknown -optimizer ' .. opt.optimizer) end

-- one epoch of minibatch training
local function train(epoch)
   model:training()
   local timer = torch.Timer()
   local n = trainData:size()
   local lossSum, batches = 0, 0
   local inputs, targets
   local iterate = dist and dist.lib.batches or data.batches
   for x, y, done, share in iterate(trainData, opt.batchSize, true) do
      inputs, targets = x:type(tensorType), y
      if opt.type == 'cuda' then targets = y:cuda() end
      local feval = function(p)
         if p ~= parameters then parameters:copy(p) end
         gradParameters:zero()
         local outputs = model:forward(inputs)
         local f = criterion:forward(outputs, targets)
         model:backward(inputs, criterion:backward(outputs, targets))
         if dist then dist.sgd.sumAndNormalizeGradients(gradParameters, share) end
         return f, gradParameters
      end
      local _, fs = optimize(feval, parameters, optimState)
      lossSum, batches = lossSum + fs[1], batches + 1
      if not opt.quiet then xlua.progress(done, n) end
   end
   if dist then lossSum = dist.lib.allReduceNumber(lossSum) / dist.size end
   local t = timer:time().real
   print(string.format('epoch %d: mean loss %.4f, %.2f s (%.0f images/s)', epoch, lossSum / batches, t, n / t))
   return t, lossSum / batches
end

-- accuracy on the test set; returns the predictions
local function test()
   model:evaluate()
   confusion:zero()
   local preds = torch.LongTensor(testData:size())
   local i0 = 0
   for x, y in data.batches(testData, 1000, false) do
      local out = model:forward(x:type(tensorType)):float()
      confusion:batchAdd(out, y)
      local _, p = out:max(2)
      preds:narrow(1, i0 + 1, y:size(1)):copy(p:select(2, 1))
      i0 = i0 + y:size(1)
   end
   print(confusion)
   return preds
end

local logger
if opt.log ~= '' then
   -- outputs stay beside the script (or in -out), never in whatever folder
   -- the user stands in
   local here = (debug.getinfo(1, 'S').source:match('^@(.*)/[^/]*$')) or '.'
   local out = opt.out ~= '' and opt.out or (here .. '/results')
   local logfile = opt.log:sub(1, 1) == '/' and opt.log or (out .. '/' .. opt.log)
   os.execute('mkdir -p "' .. logfile:match('^(.*)/[^/]*$') .. '"')
   logger = optim.Logger(logfile)
   logger:setNames { 'train loss', 'test accuracy' }
   logger:style { '-', '-' }
   logger.title = opt.model .. ' on Fashion-MNIST'
   print('log: ' .. logfile .. ' (plot: ' .. logfile .. '.png, after every epoch)')
end

local preds
for epoch = firstEpoch, firstEpoch + opt.epochs - 1 do
   local _, loss = train(epoch)
   preds = test()
   if logger then
      logger:add { loss, confusion.totalValid }
      logger:plot()
   end
   if opt.save ~= '' then
      if not torch.save then error('-save needs torch.save') end
      model:clearState()
      local save = dist and dist.lib.save or torch.save   -- distributed: rank 0, atomically
      save(opt.save, { model = model, optimState = optimState, epoch = epoch })
      print('saved ' .. opt.save)
   end
end

if opt.predict ~= '' then
   local f = assert(io.open(opt.predict, 'w'))
   f:write('id,label\n')
   for i = 1, preds:size(1) do f:write(string.format('%d,%d\n', i, preds[i] - 1)) end
   f:close()
   print('wrote ' .. preds:size(1) .. ' predictions to ' .. opt.predict)
end
print(string.format('test accuracy: %.2f%%', confusion.totalValid * 100))

-- An SVHN-style tutorial pipeline, written in the classic Torch7 style.
require 'torch'
require 'nn'
require 'optim'
require 'image'
require 'xlua'

local cmd = torch.CmdLine()
cmd:text('Train a small convnet on a synthetic SVHN-like set')
cmd:option('-save', 'results', 'subdirectory to save/log experiments in')
cmd:option('-batchSize', 8, 'mini-batch size')
cmd:option('-learningRate', 1e-2, 'learning rate')
cmd:option('-epochs', 2, 'epochs')
cmd:option('-plot', true, 'live plot')
local opt = cmd:parse(arg)
print(opt)
paths.mkdir(opt.save)
torch.manualSeed(1)
torch.setdefaulttensortype('torch.FloatTensor')

-- data: 10 classes, each a coloured blob at a class-dependent place
local function make(n)
   local d = { data = torch.Tensor(n, 3, 32, 32), labels = torch.Tensor(n), size = function() return n end }
   for i = 1, n do
      local c = (i - 1) % 10 + 1
      d.labels[i] = c
      local img = torch.rand(3, 32, 32):mul(0.2)
      local y0, x0 = 2 + ((c - 1) % 5) * 6, 4 + math.floor((c - 1) / 5) * 14
      img[{ {}, { y0, y0 + 5 }, { x0, x0 + 9 } }]:add(0.8)
      d.data[i] = img
   end
   return d
end
local trainData, testData = make(80), make(40)
torch.save(paths.concat(opt.save, 'train.t7'), trainData, 'ascii')
trainData = torch.load(paths.concat(opt.save, 'train.t7'), 'ascii')

-- preprocessing as the tutorial: YUV, per-channel normalisation, local contrast on Y
local channels = { 'y', 'u', 'v' }
for i = 1, trainData:size() do trainData.data[i] = image.rgb2yuv(trainData.data[i]) end
for i = 1, testData:size() do testData.data[i] = image.rgb2yuv(testData.data[i]) end
local mean, std = {}, {}
for i, channel in ipairs(channels) do
   mean[i] = trainData.data[{ {}, i, {}, {} }]:mean()
   std[i] = trainData.data[{ {}, i, {}, {} }]:std()
   trainData.data[{ {}, i, {}, {} }]:add(-mean[i]):div(std[i])
   testData.data[{ {}, i, {}, {} }]:add(-mean[i]):div(std[i])
end
local normalization = nn.SpatialContrastiveNormalization(1, image.gaussian1D(13)):float()
for i = 1, trainData:size() do
   trainData.data[{ i, { 1 }, {}, {} }] = normalization:forward(trainData.data[{ i, { 1 }, {}, {} }])
end
for i = 1, testData:size() do
   testData.data[{ i, { 1 }, {}, {} }] = normalization:forward(testData.data[{ i, { 1 }, {}, {} }])
end

local model = nn.Sequential()
model:add(nn.SpatialConvolutionMM(3, 8, 5, 5))
model:add(nn.ReLU())
model:add(nn.SpatialMaxPooling(2, 2, 2, 2))
model:add(nn.View(8 * 14 * 14))
model:add(nn.Linear(8 * 14 * 14, 10))
model:add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local classes = { '1', '2', '3', '4', '5', '6', '7', '8', '9', '0' }
local confusion = optim.ConfusionMatrix(classes)
local trainLogger = optim.Logger(paths.concat(opt.save, 'train.log'))
local testLogger = optim.Logger(paths.concat(opt.save, 'test.log'))
local parameters, gradParameters = model:getParameters()

local function train()
   local shuffle = torch.randperm(trainData:size())
   for t = 1, trainData:size(), opt.batchSize do
      xlua.progress(t, trainData:size())
      local inputs, targets = {}, {}
      for i = t, math.min(t + opt.batchSize - 1, trainData:size()) do
         table.insert(inputs, trainData.data[shuffle[i]])
         table.insert(targets, trainData.labels[shuffle[i]])
      end
      local feval = function(x)
         if x ~= parameters then parameters:copy(x) end
         gradParameters:zero()
         local f = 0
         for i = 1, #inputs do
            local output = model:forward(inputs[i])
            f = f + criterion:forward(output, targets[i])
            model:backward(inputs[i], criterion:backward(output, targets[i]))
            confusion:add(output, targets[i])
         end
         gradParameters:div(#inputs)
         return f / #inputs, gradParameters
      end
      optim.sgd(feval, parameters, { learningRate = opt.learningRate, momentum = 0.9 })
   end
   xlua.progress(trainData:size(), trainData:size())
   print(confusion)
   trainLogger:add { ['% mean class accuracy (train set)'] = confusion.totalValid * 100 }
   confusion:zero()
end

local function test()
   for t = 1, testData:size() do
      local pred = model:forward(testData.data[t])
      confusion:add(pred, testData.labels[t])
   end
   print(confusion)
   testLogger:add { ['% mean class accuracy (test set)'] = confusion.totalValid * 100 }
   local acc = confusion.totalValid
   confusion:zero()
   return acc
end

local acc
for epoch = 1, opt.epochs do
   train()
   acc = test()
   if opt.plot then
      trainLogger:style { ['% mean class accuracy (train set)'] = '-' }
      testLogger:style { ['% mean class accuracy (test set)'] = '-' }
      trainLogger:plot()
      testLogger:plot()
   end
end
image.display { image = trainData.data[{ { 1, 8 }, 1 }], legend = 'inputs' }
print(string.format('final test accuracy %.1f', acc * 100))

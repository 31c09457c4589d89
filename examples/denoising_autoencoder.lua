-- examples/denoising_autoencoder.lua: the seed tutorial's denoising
-- autoencoder on Fashion-MNIST, then supervised fine-tuning.
--  1. pre-training: y = sigmoid(W x~ + b), z = sigmoid(W' y + b') with
--     tied weights (the decoder's weight is a transposed view of the
--     encoder's, gradients too), x~ = x with a random fraction of its
--     pixels set to zero (masking corruption), loss = cross-entropy
--     between z and the clean x (nn.BCECriterion).
--  2. fine-tuning: the encoder plus a softmax layer, trained on labels.
--   nnlua examples/denoising_autoencoder.lua [-pretrainEpochs 5] [-finetuneEpochs 5]
require 'nn'
require 'optim'
require 'xlua'
local data = require 'nnlua.data'

local cmd = torch.CmdLine()
cmd:text('Denoising autoencoder pre-training and fine-tuning on Fashion-MNIST')
cmd:option('-hidden', 500, 'hidden units')
cmd:option('-corruption', 0.3, 'fraction of pixels set to zero')
cmd:option('-pretrainEpochs', 5, 'epochs of unsupervised pre-training')
cmd:option('-pretrainRate', 0.1, 'learning rate of pre-training (the cross-entropy summed over pixels, mean over the batch)')
cmd:option('-finetuneEpochs', 5, 'epochs of supervised fine-tuning')
cmd:option('-finetuneRate', 0.1, 'learning rate of fine-tuning')
cmd:option('-batchSize', 20, 'minibatch size')
cmd:option('-maxTrain', 0, 'use only the first N training images (0: all)')
cmd:option('-data', data.default_dir, 'folder with the idx files')
cmd:option('-threads', 2, 'threads')
cmd:option('-seed', 1, 'random seed')
local opt = cmd:parse(arg or {})
torch.manualSeed(opt.seed)
torch.setnumthreads(opt.threads)
torch.setdefaulttensortype('torch.FloatTensor')

local train = data.load('train', opt.data, { normalize = true, max = opt.maxTrain > 0 and opt.maxTrain or nil })
local test = data.load('test', opt.data, { normalize = true })

-- the autoencoder, weights tied: W' = W^T shares W's storage
local r = math.sqrt(6 / (784 + opt.hidden))
local encoder = nn.Linear(784, opt.hidden)
encoder.weight:uniform(-r, r)
encoder.bias:zero()
local decoder = nn.Linear(opt.hidden, 784)
decoder.weight = encoder.weight:t()
decoder.gradWeight = encoder.gradWeight:t()
decoder.bias:zero()
local dae = nn.Sequential():add(nn.View(784)):add(encoder):add(nn.Sigmoid()):add(decoder):add(nn.Sigmoid())
local bce = nn.BCECriterion()
bce.sizeAverage = false          -- the tutorial sums over pixels; the mean over the batch is taken below
local params, grads = dae:getParameters()
print(string.format('autoencoder: %d parameters (tied weights)', params:nElement()))

local mask = torch.FloatTensor()
local state = { learningRate = opt.pretrainRate }
for epoch = 1, opt.pretrainEpochs do
   local timer, sum, nb = torch.Timer(), 0, 0
   for x in data.batches(train, opt.batchSize, true) do
      local clean = x:view(x:size(1), 784)
      mask:resizeAs(clean):bernoulli(1 - opt.corruption)
      local noisy = torch.cmul(clean, mask)
      local _, fs = optim.sgd(function()
         grads:zero()
         local z = dae:forward(noisy)
         local B = clean:size(1)
         local f = bce:forward(z, clean) / B
         dae:backward(noisy, bce:backward(z, clean):div(B))
         return f, grads
      end, params, state)
      sum, nb = sum + fs[1], nb + 1
   end
   print(string.format('pre-training epoch %d: reconstruction cross-entropy %.2f per image, %.1f s', epoch, sum / nb,
      timer:time().real))
end

-- fine-tuning: the pre-trained encoder and a softmax layer on top (a
-- copy of the encoder: its weights live in the autoencoder's flat
-- parameter vector, and the classifier gets its own)
local encoder2 = nn.Linear(784, opt.hidden)
encoder2.weight:copy(encoder.weight)
encoder2.bias:copy(encoder.bias)
local classifier = nn.Sequential():add(nn.View(784)):add(encoder2):add(nn.Sigmoid())
   :add(nn.Linear(opt.hidden, 10)):add(nn.LogSoftMax())
local nll = nn.ClassNLLCriterion()
params, grads = classifier:getParameters()
state = { learningRate = opt.finetuneRate }
local confusion = optim.ConfusionMatrix(data.classes)
for epoch = 1, opt.finetuneEpochs do
   local timer = torch.Timer()
   for x, y in data.batches(train, opt.batchSize, true) do
      optim.sgd(function()
         grads:zero()
         local out = classifier:forward(x)
         local f = nll:forward(out, y)
         classifier:backward(x, nll:backward(out, y))
         return f, grads
      end, params, state)
   end
   confusion:zero()
   for x, y in data.batches(test, 1000, false) do confusion:batchAdd(classifier:forward(x), y) end
   confusion:updateValids()
   print(string.format('fine-tuning epoch %d: test accuracy %.2f%%, %.1f s', epoch, confusion.totalValid * 100,
      timer:time().real))
end
print(confusion)

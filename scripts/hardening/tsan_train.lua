-- A short training loop for the ThreadSanitizer run (make tsan): a small
-- convnet and an MLP, a few SGD steps each with 2 threads, on random data.
require 'nn'
require 'optim'
torch.setnumthreads(2)
torch.manualSeed(1)
local function steps(model, x, y, n)
   local crit = nn.ClassNLLCriterion():float()
   model:float()
   local p, g = model:getParameters()
   local state = { learningRate = 0.05, momentum = 0.9 }
   local loss
   for _ = 1, n do
      optim.sgd(function()
         g:zero()
         local o = model:forward(x)
         loss = crit:forward(o, y)
         model:backward(x, crit:backward(o, y))
         return loss, g
      end, p, state)
   end
   return loss
end
local conv = nn.Sequential()
   :add(nn.SpatialConvolution(1, 8, 5, 5)):add(nn.ReLU(true)):add(nn.SpatialMaxPooling(2, 2, 2, 2))
   :add(nn.SpatialBatchNormalization(8))
   :add(nn.SpatialConvolution(8, 16, 3, 3)):add(nn.ReLU(true)):add(nn.View(16 * 8 * 8))
   :add(nn.Linear(16 * 8 * 8, 10)):add(nn.LogSoftMax())
local x = torch.FloatTensor(16, 1, 24, 24):uniform()
local y = torch.LongTensor(16):random(1, 10)
print(string.format('convnet loss after 5 steps: %.4f', steps(conv, x, y, 5)))
local mlp = nn.Sequential():add(nn.Linear(100, 200)):add(nn.Tanh()):add(nn.Linear(200, 10)):add(nn.LogSoftMax())
print(string.format('mlp loss after 5 steps: %.4f', steps(mlp, torch.FloatTensor(32, 100):uniform(), torch.LongTensor(32):random(1, 10), 5)))

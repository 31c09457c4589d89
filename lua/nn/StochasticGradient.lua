-- nn.StochasticGradient(module, criterion): Torch7's plain per-example SGD
-- trainer (the "60-minute blitz" trains with it).
--
--   trainer = nn.StochasticGradient(net, criterion)
--   trainer.learningRate = 0.001
--   trainer.maxIteration = 5        -- epochs; 0 or less: until stopped
--   trainer:train(dataset)          -- dataset:size(), dataset[i] = {input, target}
--
-- Fields as Torch7: learningRate (0.01), learningRateDecay (0; the rate of
-- epoch k+1 is learningRate / (1 + k * decay)), maxIteration (25),
-- shuffleIndices (true), verbose (true), hookExample(self, example),
-- hookIteration(self, iteration, currentError). Each example runs forward,
-- the criterion, updateGradInput and accUpdateGradParameters (parameters
-- move in place; gradients are not accumulated), and the same lines are
-- printed as by Torch7.
local torch = require 'torch'
local nn = require 'nn'

local StochasticGradient = torch.class('nn.StochasticGradient')

function StochasticGradient:__init(module, criterion)
   if not (torch.isTypeOf(module, 'nn.Module')) then
      error('nn.StochasticGradient(module, criterion): expected an nn.Module as the first argument, got '
         .. torch.type(module), 2)
   end
   if not (torch.isTypeOf(criterion, 'nn.Criterion')) then
      error('nn.StochasticGradient(module, criterion): expected an nn.Criterion as the second argument, got '
         .. torch.type(criterion), 2)
   end
   self.learningRate = 0.01
   self.learningRateDecay = 0
   self.maxIteration = 25
   self.shuffleIndices = true
   self.module = module
   self.criterion = criterion
   self.verbose = true
end

local function dataset_size(dataset)
   local ok, n = pcall(function() return dataset:size() end)
   if not ok or type(n) ~= 'number' then
      error('nn.StochasticGradient:train(dataset): the dataset must have a size() method returning the number '
         .. 'of examples, and dataset[i] = {input, target} (see the nn documentation)', 3)
   end
   return n
end

function StochasticGradient:train(dataset)
   local n = dataset_size(dataset)
   local module, criterion = self.module, self.criterion
   local order = torch.randperm(n, 'torch.LongTensor')
   if not self.shuffleIndices then
      for t = 1, n do order[t] = t end
   end
   local rate = self.learningRate
   local iteration = 1
   print('# StochasticGradient: training')
   while true do
      local currentError = 0
      for t = 1, n do
         local example = dataset[order[t]]
         if type(example) ~= 'table' then
            error(string.format('nn.StochasticGradient:train: dataset[%d] is a %s; expected a table {input, target}',
               order[t], torch.type(example)), 2)
         end
         local input, target = example[1], example[2]
         currentError = currentError + criterion:forward(module:forward(input), target)
         module:updateGradInput(input, criterion:updateGradInput(module.output, target))
         module:accUpdateGradParameters(input, criterion.gradInput, rate)
         if self.hookExample then self.hookExample(self, example) end
      end
      currentError = currentError / n
      if self.hookIteration then self.hookIteration(self, iteration, currentError) end
      if self.verbose then print('# current error = ' .. currentError) end
      iteration = iteration + 1
      rate = self.learningRate / (1 + iteration * self.learningRateDecay)
      if self.maxIteration > 0 and iteration > self.maxIteration then
         print('# StochasticGradient: you have reached the maximum number of iterations')
         print('# training error = ' .. currentError)
         break
      end
   end
end

return StochasticGradient

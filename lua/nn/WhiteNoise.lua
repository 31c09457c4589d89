-- nn.WhiteNoise(mean, std): adds Gaussian noise N(mean, std) in training;
-- in evaluation adds only mean. The gradient passes through unchanged.
local torch = require 'torch'
local nn = require 'nn'

local WhiteNoise, parent = torch.class('nn.WhiteNoise', 'nn.Module')

function WhiteNoise:__init(mean, std)
   parent.__init(self)
   self.mean = mean or 0
   self.std = std or 0.1
   if type(self.mean) ~= 'number' or type(self.std) ~= 'number' or self.std < 0 then
      error('nn.WhiteNoise: expected a number mean and a non-negative number std', 2)
   end
   self.noise = torch.Tensor()
end

function WhiteNoise:updateOutput(input)
   if not torch.isTensor(input) then
      nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input))
   end
   if torch.type(self.output) ~= torch.type(input) then self.output = input.new() end
   self.output:resizeAs(input):copy(input)
   if self.train ~= false then
      if torch.type(self.noise) ~= torch.type(input) then self.noise = input.new() end
      self.noise:resizeAs(input):normal(self.mean, self.std)
      self.output:add(self.noise)
   elseif self.mean ~= 0 then
      self.output:add(self.mean)
   end
   return self.output
end

function WhiteNoise:updateGradInput(input, gradOutput)
   if torch.type(self.gradInput) ~= torch.type(gradOutput) then self.gradInput = gradOutput.new() end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

function WhiteNoise:__tostring__()
   return string.format('%s mean: %f, std: %f', torch.type(self), self.mean, self.std)
end

-- nn.L1Penalty(l1weight, sizeAverage=false, provideOutput=true): passes
-- its input through and adds the gradient of l1weight * |x|_1 (divided by
-- the number of elements when sizeAverage) in the backward pass; the
-- penalty of the last forward is self.loss.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local L1Penalty, parent = torch.class('nn.L1Penalty', 'nn.Module')

function L1Penalty:__init(l1weight, sizeAverage, provideOutput)
   parent.__init(self)
   if type(l1weight) ~= 'number' then
      torch._core.raise('nn.L1Penalty: expected a number l1weight as argument 1, got ' .. torch.type(l1weight))
   end
   self.l1weight = l1weight
   self.sizeAverage = sizeAverage or false
   if provideOutput == nil then self.provideOutput = true else self.provideOutput = provideOutput end
end

local function weight(self, input)
   local m = self.l1weight
   if self.sizeAverage == true then m = m / input:nElement() end
   return m
end

function L1Penalty:updateOutput(input)
   if not torch.isTensor(input) then utils.moduleError(self, 'expected a tensor, got ' .. torch.type(input)) end
   self.loss = weight(self, input) * input:norm(1)
   self.output = input
   return self.output
end

function L1Penalty:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):copy(input):sign():mul(weight(self, input))
   if self.provideOutput == true then self.gradInput:add(gradOutput) end
   return self.gradInput
end

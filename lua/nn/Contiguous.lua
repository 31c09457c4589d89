-- nn.Contiguous: a contiguous copy of a non-contiguous input (the input
-- itself otherwise).
local torch = require 'torch'
local nn = require 'nn'

local Contiguous, parent = torch.class('nn.Contiguous', 'nn.Module')

function Contiguous:updateOutput(input)
   if not input:isContiguous() then
      if self.output._dtype ~= input._dtype then self.output = input.new() end
      self.output:resizeAs(input):copy(input)
   else
      self.output:set(input)
   end
   return self.output
end

function Contiguous:updateGradInput(input, gradOutput)
   if not gradOutput:isContiguous() then
      if self.gradInput._dtype ~= gradOutput._dtype then self.gradInput = gradOutput.new() end
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   else
      self.gradInput:set(gradOutput)
   end
   return self.gradInput
end

-- nn.MulConstant(c [, inplace]): y = c * x.
local torch = require 'torch'
local nn = require 'nn'

local MulConstant, parent = torch.class('nn.MulConstant', 'nn.Module')

function MulConstant:__init(constant, ip)
   parent.__init(self)
   if type(constant) ~= 'number' then torch._core.raise('nn.MulConstant: expected a number') end
   self.constant_scalar = constant
   self.inplace = ip or false
end

function MulConstant:updateOutput(input)
   if self.inplace then
      input:mul(self.constant_scalar)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input):mul(self.constant_scalar)
   end
   return self.output
end

function MulConstant:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   if self.inplace then
      gradOutput:mul(self.constant_scalar)
      self.gradInput:set(gradOutput)
      input:div(self.constant_scalar)
   else
      self.gradInput:resizeAs(gradOutput):copy(gradOutput):mul(self.constant_scalar)
   end
   return self.gradInput
end

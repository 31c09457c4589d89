-- nn.AddConstant(c [, inplace]): y = x + c.
local torch = require 'torch'
local nn = require 'nn'

local AddConstant, parent = torch.class('nn.AddConstant', 'nn.Module')

function AddConstant:__init(constant, ip)
   parent.__init(self)
   if type(constant) ~= 'number' and not torch.isTensor(constant) then
      torch._core.raise('nn.AddConstant: expected a number or a tensor')
   end
   self.constant_scalar = constant
   self.inplace = ip or false
end

function AddConstant:updateOutput(input)
   if self.inplace then
      input:add(self.constant_scalar)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input):add(self.constant_scalar)
   end
   return self.output
end

function AddConstant:updateGradInput(input, gradOutput)
   if self.inplace then
      self.gradInput:set(gradOutput)
      input:add(-self.constant_scalar)
   else
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   end
   return self.gradInput
end

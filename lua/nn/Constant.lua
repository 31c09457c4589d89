-- nn.Constant(value, nInputDim): outputs a constant (a number or a tensor),
-- repeated over the batch when the input has more than nInputDim
-- dimensions; the gradient to the input is zero.
local torch = require 'torch'
local nn = require 'nn'
local unpack = table.unpack or unpack
local utils = nn.utils

local Constant, parent = torch.class('nn.Constant', 'nn.Module')

function Constant:__init(value, nInputDim)
   if type(value) == 'number' then value = torch.Tensor { value } end
   if not torch.isTensor(value) then
      torch._core.raise('nn.Constant: expected a number or a tensor as argument 1, got ' .. torch.type(value))
   end
   parent.__init(self)
   self.value = value
   self.nInputDim = nInputDim
end

function Constant:updateOutput(input)
   if not torch.isTensor(input) then utils.moduleError(self, 'expected a tensor, got ' .. torch.type(input)) end
   if self.nInputDim and input:dim() > self.nInputDim then
      local vsize = self.value:size():totable()
      self.output:resize(input:size(1), unpack(vsize))
      self.output:copy(self.value:view(1, unpack(vsize)):expandAs(self.output))
   else
      self.output:resize(self.value:size()):copy(self.value)
   end
   return self.output
end

function Constant:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):zero()
   return self.gradInput
end

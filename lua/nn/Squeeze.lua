-- nn.Squeeze([dim [, numInputDims]]): removes singleton dimensions.
local torch = require 'torch'
local nn = require 'nn'

local Squeeze, parent = torch.class('nn.Squeeze', 'nn.Module')

function Squeeze:__init(dim, numInputDims)
   parent.__init(self)
   self.dim = dim
   self.numInputDims = numInputDims
end

function Squeeze:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

function Squeeze:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local dim = self.dim
   if dim and self.numInputDims and input:dim() == self.numInputDims + 1 then dim = dim + 1 end
   self.output = torch._core.squeeze_view(input, dim)
   return self.output
end

function Squeeze:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput:contiguous():view(input:size())
   return self.gradInput
end

-- nn.Unsqueeze(pos [, numInputDims]): inserts a singleton dimension.
local torch = require 'torch'
local nn = require 'nn'

local Unsqueeze, parent = torch.class('nn.Unsqueeze', 'nn.Module')

function Unsqueeze:__init(pos, numInputDims)
   parent.__init(self)
   self.pos = pos or error('nn.Unsqueeze: a position is required')
   self.numInputDims = numInputDims
end

function Unsqueeze:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

function Unsqueeze:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local pos = self.pos
   if self.numInputDims and input:dim() == self.numInputDims + 1 then pos = pos + 1 end
   self.output = input:unsqueeze(pos)
   return self.output
end

function Unsqueeze:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput:contiguous():view(input:size())
   return self.gradInput
end

function Unsqueeze:__tostring__()
   return torch.type(self) .. '(dim ' .. self.pos .. ')'
end

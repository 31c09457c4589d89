-- nn.Collapse(nInputDim): flattens the last nInputDim dimensions, keeping
-- the batch dimension when the input has more.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local Collapse, parent = torch.class('nn.Collapse', 'nn.Module')

function Collapse:__init(nInputDim)
   parent.__init(self)
   if type(nInputDim) ~= 'number' or nInputDim < 1 then
      torch._core.raise('nn.Collapse: expected the number of non-batch input dimensions, got ' .. tostring(nInputDim))
   end
   self.nInputDim = nInputDim
end

function Collapse:updateOutput(input)
   if not torch.isTensor(input) then utils.moduleError(self, 'expected a tensor, got ' .. torch.type(input)) end
   if input:dim() < self.nInputDim then
      utils.moduleError(self, string.format('expected at least %d dimensions, got a tensor of size %s',
         self.nInputDim, utils.shapeStr(input)))
   end
   if not input:isContiguous() then
      self._input = self._input or input.new()
      self._input:resizeAs(input):copy(input)
      input = self._input
   end
   if input:dim() > self.nInputDim then
      self.output = input:view(input:size(1), -1)
   else
      self.output = input:view(-1)
   end
   return self.output
end

function Collapse:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput:contiguous():view(input:size())
   return self.gradInput
end

function Collapse:clearState()
   return utils.clear(self, '_input')
end

-- nn.Max(dimension, nInputDims): the maximum over a dimension (squeezed);
-- the gradient goes to the selected element. nn.Min takes these methods
-- with _reduce = 'min'.
local torch = require 'torch'
local nn = require 'nn'

local Max, parent = torch.class('nn.Max', 'nn.Module')
Max._reduce = 'max'

function Max:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension or 1
   self.nInputDims = nInputDims
end

function Max:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then d = input:dim() + d + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then d = d + 1 end
   if d < 1 or d > input:dim() then
      nn.utils.moduleError(self, string.format('dimension %d out of range for an input of size %s', d, nn.utils.shapeStr(input)))
   end
   return d
end

function Max:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local d = self:_getPositiveDimension(input)
   local values, indices = input[self._reduce](input, d)
   self._indices = indices
   if input:dim() > 1 then self.output:set(values:select(d, 1)) else self.output:set(values) end
   return self.output
end

function Max:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   local size = input:size()
   size[d] = 1
   local g = gradOutput:contiguous():view(size)
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input):zero():scatter(d, self._indices, g)
   return self.gradInput
end

function Max:clearState()
   self._indices = nil
   return parent.clearState(self)
end

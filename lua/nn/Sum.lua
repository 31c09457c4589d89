-- nn.Sum(dimension, nInputDims, sizeAverage, squeeze): sums (or averages)
-- over a dimension; a negative dimension counts from the end, and
-- nInputDims shifts it for a batch.
local torch = require 'torch'
local nn = require 'nn'

local Sum, parent = torch.class('nn.Sum', 'nn.Module')

function Sum:__init(dimension, nInputDims, sizeAverage, squeeze)
   parent.__init(self)
   self.dimension = dimension or 1
   self.nInputDims = nInputDims
   self.sizeAverage = sizeAverage or false
   if squeeze ~= nil then self.squeeze = squeeze else self.squeeze = true end
end

function Sum:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then d = input:dim() + d + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then d = d + 1 end
   if d < 1 or d > input:dim() then
      nn.utils.moduleError(self, string.format('dimension %d out of range for an input of size %s', d, nn.utils.shapeStr(input)))
   end
   return d
end

function Sum:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local d = self:_getPositiveDimension(input)
   if type(self.output) == 'number' or self.output._dtype ~= input._dtype then self.output = input.new() end
   self.output:set(input:sum(d))
   if self.sizeAverage then self.output:div(input:size(d)) end
   if self.squeeze and self.output:dim() > 1 then self.output:set(self.output:select(d, 1)) end
   return self.output
end

function Sum:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   local size = input:size()
   size[d] = 1
   local g = gradOutput:contiguous():view(size)
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input):copy(g:expandAs(input))
   if self.sizeAverage then self.gradInput:div(input:size(d)) end
   return self.gradInput
end

function Sum:__tostring__()
   return torch.type(self)
end

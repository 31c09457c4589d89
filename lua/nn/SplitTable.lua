-- nn.SplitTable(dimension, nInputDims): a table of the slices of the input
-- along a dimension.
local torch = require 'torch'
local nn = require 'nn'

local SplitTable, parent = torch.class('nn.SplitTable', 'nn.Module')

function SplitTable:__init(dimension, nInputDims)
   parent.__init(self)
   self.dimension = dimension
   self.nInputDims = nInputDims
   self.output = {}
end

function SplitTable:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then d = input:dim() + d + 1
   elseif self.nInputDims and input:dim() == self.nInputDims + 1 then d = d + 1 end
   return d
end

function SplitTable:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local d = self:_getPositiveDimension(input)
   local n = input:size(d)
   self.output = {}
   for i = 1, n do self.output[i] = input:select(d, i) end
   return self.output
end

function SplitTable:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input):zero()
   for i = 1, #gradOutput do self.gradInput:select(d, i):copy(gradOutput[i]) end
   return self.gradInput
end

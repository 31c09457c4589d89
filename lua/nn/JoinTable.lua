-- nn.JoinTable(dimension, nInputDims): concatenates a table of tensors
-- along a dimension (shifted by one for a batch when nInputDims is set).
local torch = require 'torch'
local nn = require 'nn'

local JoinTable, parent = torch.class('nn.JoinTable', 'nn.Module')

function JoinTable:__init(dimension, nInputDims)
   parent.__init(self)
   self.size = torch.LongStorage()
   self.dimension = dimension
   self.gradInput = {}
   self.nInputDims = nInputDims
end

function JoinTable:_getPositiveDimension(input)
   local d = self.dimension
   if d < 0 then d = input[1]:dim() + d + 1
   elseif self.nInputDims and input[1]:dim() == self.nInputDims + 1 then d = d + 1 end
   return d
end

function JoinTable:updateOutput(input)
   if torch.type(input) ~= 'table' or #input == 0 then
      nn.utils.moduleError(self, 'expected a non-empty table of tensors, got ' .. torch.type(input))
   end
   local d = self:_getPositiveDimension(input)
   for i = 1, #input do
      if not torch.isTensor(input[i]) then nn.utils.moduleError(self, 'input ' .. i .. ' is not a tensor') end
   end
   if self.output._dtype ~= input[1]._dtype then self.output = input[1].new() end
   self.output = torch.cat(self.output, input, d)
   return self.output
end

function JoinTable:updateGradInput(input, gradOutput)
   local d = self:_getPositiveDimension(input)
   local offset = 1
   for i = 1, #input do
      local n = input[i]:size(d)
      self.gradInput[i] = self.gradInput[i] or input[i].new()
      self.gradInput[i]:resizeAs(input[i]):copy(gradOutput:narrow(d, offset, n))
      offset = offset + n
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

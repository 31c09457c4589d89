-- nn.Narrow(dimension, offset, length): a narrowed view of the input
-- (negative dimension and length count from the end; a negative offset
-- keeps the first size - length elements: Torch7's rules).
local torch = require 'torch'
local nn = require 'nn'

local Narrow, parent = torch.class('nn.Narrow', 'nn.Module')

function Narrow:__init(dimension, offset, length)
   parent.__init(self)
   self.dimension = dimension
   self.index = offset
   self.length = length or 1
   if not dimension or not offset then torch._core.raise('nn.Narrow(dimension, offset, length) needs dimension and offset') end
end

function Narrow:_range(input)
   local dim = self.dimension
   if dim < 0 then dim = input:dim() + dim + 1 end
   local size = input:size(dim)
   local length, offset = self.length, self.index
   if length < 0 then length = size - offset + length + 2 end
   -- Torch7's rule for a negative offset: the first size - length elements
   if offset < 0 then
      offset = 1
      length = size - length
   end
   return offset, length, dim
end

function Narrow:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local offset, length, dim = self:_range(input)
   self.output = input:narrow(dim, offset, length)
   return self.output
end

function Narrow:updateGradInput(input, gradOutput)
   local offset, length, dim = self:_range(input)
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input):zero()
   self.gradInput:narrow(dim, offset, length):copy(gradOutput)
   return self.gradInput
end

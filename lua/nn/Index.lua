-- nn.Index(dimension): input {t, index} (index a LongTensor) gives
-- t:index(dimension, index).
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local Index, parent = torch.class('nn.Index', 'nn.Module')

function Index:__init(dimension)
   parent.__init(self)
   if type(dimension) ~= 'number' then
      torch._core.raise('nn.Index: expected a dimension as argument 1, got ' .. torch.type(dimension))
   end
   self.dimension = dimension
   self.gradInput = { self.gradInput, self.gradInput.new() }
end

local function check(self, input)
   if type(input) ~= 'table' or not torch.isTensor(input[1]) or torch.type(input[2]) ~= 'torch.LongTensor' then
      utils.moduleError(self, 'expected input {tensor, LongTensor index}, got ' .. torch.type(input))
   end
   if self.dimension < 1 or self.dimension > input[1]:dim() then
      utils.moduleError(self, string.format('dimension %d out of range for a tensor of size %s',
         self.dimension, utils.shapeStr(input[1])))
   end
end

function Index:updateOutput(input)
   check(self, input)
   self.output:index(input[1], self.dimension, input[2])
   return self.output
end

function Index:updateGradInput(input, gradOutput)
   local t, index = input[1], input[2]
   self.gradInput[2]:resize(index:size()):zero()
   self.gradInput[1]:resizeAs(t):zero()
   self.gradInput[1]:indexAdd(self.dimension, index, gradOutput)
   return self.gradInput
end

-- nn.DotProduct: input {x1, x2} (vectors, or N x D batches) gives the dot
-- product of each pair.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local DotProduct, parent = torch.class('nn.DotProduct', 'nn.Module')

function DotProduct:__init()
   parent.__init(self)
   self.gradInput = { torch.Tensor(), torch.Tensor() }
end

local function pair(self, input)
   if type(input) ~= 'table' or not torch.isTensor(input[1]) or not torch.isTensor(input[2]) then
      utils.moduleError(self, 'expected a table of two tensors, got ' .. torch.type(input))
   end
   local x1, x2 = input[1], input[2]
   if not x1:isSameSizeAs(x2) or x1:dim() < 1 or x1:dim() > 2 then
      utils.moduleError(self, string.format('expected two vectors or two N x D batches of one size, got %s and %s',
         utils.shapeStr(x1), utils.shapeStr(x2)))
   end
   if x1:dim() == 1 then x1, x2 = x1:view(1, -1), x2:view(1, -1) end
   return x1, x2
end

function DotProduct:updateOutput(input)
   local x1, x2 = pair(self, input)
   self.buffer = self.buffer or x1.new()
   self.buffer:cmul(x1, x2)
   torch.sum(self.output, self.buffer, 2)
   self.output:resize(x1:size(1))
   return self.output
end

function DotProduct:updateGradInput(input, gradOutput)
   local x1, x2 = pair(self, input)
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   local go = gradOutput:contiguous():view(-1, 1):expandAs(x1)
   g1:resizeAs(x1):cmul(x2, go)
   g2:resizeAs(x2):cmul(x1, go)
   if input[1]:dim() == 1 then
      g1:resize(input[1]:size(1))
      g2:resize(input[2]:size(1))
   end
   return self.gradInput
end

function DotProduct:clearState()
   return utils.clear(self, 'buffer')
end

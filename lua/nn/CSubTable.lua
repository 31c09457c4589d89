-- nn.CSubTable: input[1] - input[2].
local torch = require 'torch'
local nn = require 'nn'

local CSubTable, parent = torch.class('nn.CSubTable', 'nn.Module')

function CSubTable:__init()
   parent.__init(self)
   self.gradInput = {}
end

function CSubTable:updateOutput(input)
   if torch.type(input) ~= 'table' or #input ~= 2 then nn.utils.moduleError(self, 'expected a table of two tensors') end
   local b = input[2]
   if torch.isTensor(b) and torch.isTensor(input[1]) and not b:isSameSizeAs(input[1])
      and b:nElement() == input[1]:nElement() then
      -- Torch7's TH subtracted tensors of one element count in element
      -- order whatever their shapes (LayerNormalization's batch relies on it)
      b = b:contiguous():view(input[1]:size())
   end
   self.output:resizeAs(input[1]):copy(input[1]):add(-1, b)
   return self.output
end

function CSubTable:updateGradInput(input, gradOutput)
   self.gradInput[1] = self.gradInput[1] or input[1].new()
   self.gradInput[2] = self.gradInput[2] or input[1].new()
   self.gradInput[1]:resizeAs(input[1]):copy(gradOutput)
   self.gradInput[2]:resizeAs(input[2]):copy(gradOutput):mul(-1)
   return self.gradInput
end

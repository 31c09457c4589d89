-- nn.ParallelTable: child i applies to input[i]; outputs form a table.
local torch = require 'torch'
local nn = require 'nn'

local ParallelTable, parent = torch.class('nn.ParallelTable', 'nn.Container')

function ParallelTable:__init()
   parent.__init(self)
   self.modules = {}
   self.output = {}
   self.gradInput = {}
end

function ParallelTable:updateOutput(input)
   for i = 1, #self.modules do
      self.output[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input[i])
   end
   return self.output
end

function ParallelTable:updateGradInput(input, gradOutput)
   for i, module in ipairs(self.modules) do
      self.gradInput[i] = self:rethrowErrors(module, i, 'updateGradInput', input[i], gradOutput[i])
   end
   return self.gradInput
end

function ParallelTable:accGradParameters(input, gradOutput, scale)
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accGradParameters', input[i], gradOutput[i], scale or 1)
   end
end

local function backward(self, input, gradOutput, scale)
   for i, module in ipairs(self.modules) do
      self.gradInput[i] = self:rethrowErrors(module, i, 'backward', input[i], gradOutput[i], scale)
   end
   return self.gradInput
end

function ParallelTable:backward(input, gradOutput, scale)
   return nn.Module._namedResult(self, pcall(backward, self, input, gradOutput, scale or 1))
end

-- printed as Torch7 did, the same tree as ConcatTable's
ParallelTable.__tostring__ = nn.ConcatTable.__tostring__

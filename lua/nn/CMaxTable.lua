-- nn.CMaxTable(): the elementwise maximum of a table of same-sized
-- tensors; the gradient goes to the (first) input holding the maximum.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local CMaxTable, parent = torch.class('nn.CMaxTable', 'nn.Module')

function CMaxTable:__init()
   parent.__init(self)
   self.gradInput = {}
   self.maxIdx = torch.Tensor()
end

-- Shared by CMinTable (cmp 'lt', index field 'minIdx').
function CMaxTable._check(self, input, gradOutput)
   if torch.type(input) ~= 'table' or #input == 0 then
      utils.moduleError(self, 'expected a non-empty table of tensors, got ' .. torch.type(input))
   end
   for i = 1, #input do
      local x = input[i]
      if not torch.isTensor(x) then
         utils.moduleError(self, string.format('input[%d] should be a tensor, got %s', i, torch.type(x)))
      end
      if not x:isSameSizeAs(input[1]) or x._dtype ~= input[1]._dtype then
         utils.moduleError(self, string.format('input[%d] is a %s of size %s, input[1] a %s of size %s', i,
            torch.typename(x), utils.shapeStr(x), torch.typename(input[1]), utils.shapeStr(input[1])))
      end
   end
   if gradOutput ~= nil and (not torch.isTensor(gradOutput) or gradOutput:nElement() ~= input[1]:nElement()) then
      utils.moduleError(self, string.format('gradOutput should be a tensor of size %s, got %s',
         utils.shapeStr(input[1]), torch.isTensor(gradOutput) and utils.shapeStr(gradOutput) or torch.type(gradOutput)))
   end
end

function CMaxTable._forward(self, input, cmp, idx)
   CMaxTable._check(self, input)
   local x1 = input[1]
   if self.output._dtype ~= x1._dtype then self.output = x1.new() end
   self.output:resizeAs(x1):copy(x1)
   self[idx]:resize(x1:size()):fill(1)
   -- type() converts every tensor field; the mask must stay a ByteTensor
   if not self._mask or torch.typename(self._mask) ~= 'torch.ByteTensor' then self._mask = torch.ByteTensor() end
   for i = 2, #input do
      self._mask[cmp](self._mask, input[i], self.output)
      self[idx]:maskedFill(self._mask, i)
      self.output:maskedCopy(self._mask, input[i]:maskedSelect(self._mask))
   end
   return self.output
end

function CMaxTable._backward(self, input, gradOutput, idx)
   CMaxTable._check(self, input, gradOutput)
   if not self._mask or torch.typename(self._mask) ~= 'torch.ByteTensor' then self._mask = torch.ByteTensor() end
   if self[idx]:nElement() ~= input[1]:nElement() then CMaxTable._forward(self, input, idx == 'maxIdx' and 'gt' or 'lt', idx) end
   local go = gradOutput:view(self[idx]:size())
   for i = 1, #input do
      local g = self.gradInput[i]
      if not torch.isTensor(g) or g._dtype ~= input[i]._dtype then g = input[i].new() end
      self.gradInput[i] = g
      g:resizeAs(input[i]):zero()
      self._mask:eq(self[idx], i)
      g:maskedCopy(self._mask, go:maskedSelect(self._mask))
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

function CMaxTable:updateOutput(input) return CMaxTable._forward(self, input, 'gt', 'maxIdx') end
function CMaxTable:updateGradInput(input, gradOutput) return CMaxTable._backward(self, input, gradOutput, 'maxIdx') end

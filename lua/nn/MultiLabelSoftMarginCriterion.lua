-- nn.MultiLabelSoftMarginCriterion([weights], [sizeAverage = true]): the
-- multi-label logistic loss -sum_i w[i] (y[i] log p[i] + (1 - y[i])
-- log(1 - p[i])) with p = sigmoid(x) and 0/1 targets; averaged over all
-- elements unless sizeAverage is false. Torch7 builds it from Sigmoid and
-- BCECriterion; the C kernel computes the same in one pass.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local MultiLabelSoftMarginCriterion, parent = torch.class('nn.MultiLabelSoftMarginCriterion', 'nn.Criterion')

function MultiLabelSoftMarginCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if weights ~= nil and (not torch.isTensor(weights) or weights:dim() ~= 1) then
      torch._core.raise('nn.MultiLabelSoftMarginCriterion: weights should be a 1D tensor')
   end
   self.weights = weights
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
end

local out = ffi.new('double[1]')

-- Torch7 squeezes input and target; a 1 x C input is then one sample.
function MultiLabelSoftMarginCriterion:_prepare(input, target)
   THNN.checkTensor(self, input)
   if not torch.isTensor(target) then
      nn.utils.moduleError(self, 'target should be a tensor of 0/1 labels shaped like the input, got '
         .. torch.type(target))
   end
   if target._dtype ~= input._dtype or target._device ~= input._device then
      self._target = (self._target and torch.type(self._target) == torch.type(input)) and self._target or input.new()
      self._target:resize(target:size()):copy(target)
      target = self._target
   end
   if input:dim() == 2 and input:size(1) == 1 then input = input:select(1, 1) end
   if target:dim() == 2 and target:size(1) == 1 then target = target:select(1, 1) end
   if target:dim() ~= input:dim() and target:nElement() == input:nElement() then
      target = target:reshape(input:size())
   end
   local w = self.weights
   if w and torch.type(w) ~= torch.type(input) then
      self.weights = w:type(input:type())
      w = self.weights
   end
   return input, target, w
end

function MultiLabelSoftMarginCriterion:updateOutput(input, target)
   local x, t, w = self:_prepare(input, target)
   THNN.check(self, C.nl_multilabelsoftmargin_forward(out, x, t, w, self.sizeAverage and 1 or 0))
   self.output = out[0]
   return self.output
end

function MultiLabelSoftMarginCriterion:updateGradInput(input, target)
   local x, t, w = self:_prepare(input, target)
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_multilabelsoftmargin_backward(self.gradInput, x, t, w, self.sizeAverage and 1 or 0))
   self.gradInput:resize(input:size())
   return self.gradInput
end

-- nn.MultiLabelMarginCriterion(): the multi-label hinge loss. Each row of
-- the target lists the row's classes (1..C) and ends at the first 0:
-- sum over targets j and non-targets i of max(0, 1 - (x[j] - x[i])) / C,
-- averaged over the batch unless sizeAverage is false.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local MultiLabelMarginCriterion, parent = torch.class('nn.MultiLabelMarginCriterion', 'nn.Criterion')

function MultiLabelMarginCriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
   self.isTarget = torch.Tensor()
   self.target = torch.LongTensor()
end

local out = ffi.new('double[1]')

function MultiLabelMarginCriterion:_prepare(input, target)
   THNN.checkTensor(self, input)
   if not torch.isTensor(target) then
      nn.utils.moduleError(self, 'target should be a tensor of class indices shaped like the input, got '
         .. torch.type(target))
   end
   -- a LongTensor on the CPU or on the input's device is taken as it is
   if target._dtype ~= C.NL_LONG or (target._device ~= C.NL_CPU and target._device ~= input._device) then
      if self.target._dtype ~= C.NL_LONG then self.target = torch.LongTensor() end
      self.target = self.target:resize(target:size()):copy(target)
      target = self.target
   end
   if torch.type(self.isTarget) ~= torch.type(input) then self.isTarget = input.new() end
   return target
end

function MultiLabelMarginCriterion:updateOutput(input, target)
   target = self:_prepare(input, target)
   THNN.check(self, C.nl_multilabelmargin_forward(out, self.isTarget, input, target, self.sizeAverage and 1 or 0))
   self.output = out[0]
   return self.output
end

function MultiLabelMarginCriterion:updateGradInput(input, target)
   target = self:_prepare(input, target)
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_multilabelmargin_backward(self.gradInput, self.isTarget, input, target,
      self.sizeAverage and 1 or 0))
   return self.gradInput
end

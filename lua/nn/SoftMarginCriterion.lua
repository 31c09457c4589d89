-- nn.SoftMarginCriterion: two-class logistic loss log(1 + exp(-y x)), targets +-1.
-- Kernels in runtime/nn/criterion.c.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SoftMarginCriterion, parent = torch.class('nn.SoftMarginCriterion', 'nn.Criterion')

function SoftMarginCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
end

local out = ffi.new('double[1]')

local function check_target(self, input, target)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, target, 'target')
end

function SoftMarginCriterion:updateOutput(input, target)
   check_target(self, input, target)
   THNN.check(self, C.nl_pointwise_criterion_forward(out, input, target, nil, C.NL_CRIT_SOFTMARGIN, self.sizeAverage and 1 or 0))
   self.output = out[0]
   return self.output
end

function SoftMarginCriterion:updateGradInput(input, target)
   check_target(self, input, target)
   if not THNN.sameType(self.gradInput, input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_pointwise_criterion_backward(self.gradInput, input, target, nil, C.NL_CRIT_SOFTMARGIN,
      self.sizeAverage and 1 or 0))
   return self.gradInput
end

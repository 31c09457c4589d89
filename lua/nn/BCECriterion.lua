-- nn.BCECriterion: binary cross entropy of probabilities x against targets y in [0, 1], optional weights.
-- Kernels in runtime/nn/criterion.c.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local BCECriterion, parent = torch.class('nn.BCECriterion', 'nn.Criterion')

function BCECriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
   if weights ~= nil and (not torch.isTensor(weights) or weights:dim() ~= 1) then
      torch._core.raise('nn.BCECriterion: weights should be a 1D tensor')
   end
   self.weights = weights
end

local out = ffi.new('double[1]')

-- weights (one per feature) expanded to the input's size
function BCECriterion:_weights(input)
   if not self.weights then return nil end
   local w = self.weights
   if not THNN.sameType(w, input) then w = w:type(input:type()) self.weights = w end
   if input:dim() == 2 and w:nElement() == input:size(2) then
      return w:view(1, w:nElement()):expand(input:size(1), w:nElement())
   end
   return w
end

local function check_target(self, input, target)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, target, 'target')
end

function BCECriterion:updateOutput(input, target)
   check_target(self, input, target)
   THNN.check(self, C.nl_pointwise_criterion_forward(out, input, target, self:_weights(input), C.NL_CRIT_BCE, self.sizeAverage and 1 or 0))
   self.output = out[0]
   return self.output
end

function BCECriterion:updateGradInput(input, target)
   check_target(self, input, target)
   if not THNN.sameType(self.gradInput, input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_pointwise_criterion_backward(self.gradInput, input, target, self:_weights(input), C.NL_CRIT_BCE,
      self.sizeAverage and 1 or 0))
   return self.gradInput
end

-- nn.L1HingeEmbeddingCriterion([margin = 1]): for a pair {x1, x2} and a
-- target y = 1 or -1, the L1 distance d = |x1 - x2|_1 when y = 1 and
-- max(0, margin - d) when y = -1 (one pair; no batch mode, as in Torch7).
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local L1HingeEmbeddingCriterion, parent = torch.class('nn.L1HingeEmbeddingCriterion', 'nn.Criterion')

function L1HingeEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 1
   self.gradInput = { torch.Tensor(), torch.Tensor() }
end

local out = ffi.new('double[1]')

function L1HingeEmbeddingCriterion:_prepare(input, y)
   if torch.type(input) ~= 'table' or #input ~= 2 then
      nn.utils.moduleError(self, 'input should be a table of two tensors {x1, x2}, got ' .. torch.type(input))
   end
   THNN.checkTensor(self, input[1], 'input[1]')
   THNN.checkTensor(self, input[2], 'input[2]')
   -- a one-element tensor of any device (its value through a copy, not :storage())
   if torch.isTensor(y) and y:nElement() == 1 then y = y:reshape(1)[1] end
   if type(y) ~= 'number' then
      nn.utils.moduleError(self, 'target should be 1 or -1, got ' .. torch.type(y))
   end
   return input[1], input[2], y
end

function L1HingeEmbeddingCriterion:updateOutput(input, y)
   local x1, x2, t = self:_prepare(input, y)
   THNN.check(self, C.nl_l1hinge_forward(out, x1, x2, t, self.margin))
   self.output = out[0]
   return self.output
end

function L1HingeEmbeddingCriterion:updateGradInput(input, y)
   local x1, x2, t = self:_prepare(input, y)
   for i = 1, 2 do
      if not torch.isTensor(self.gradInput[i]) or torch.type(self.gradInput[i]) ~= torch.type(x1) then
         self.gradInput[i] = x1.new()
      end
   end
   THNN.check(self, C.nl_l1hinge_backward(self.gradInput[1], self.gradInput[2], x1, x2, t, self.margin))
   return self.gradInput
end

-- nn.MultiMarginCriterion([p = 1], [weights], [margin = 1]): the multi-class
-- hinge loss sum_{i ~= y} max(0, margin - x[y] + x[i])^p / C per sample,
-- weighted by weights[y]; averaged over the batch unless sizeAverage is
-- false. Targets are class indices 1..C (a number, or a tensor for a batch).
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local MultiMarginCriterion, parent = torch.class('nn.MultiMarginCriterion', 'nn.Criterion')

function MultiMarginCriterion:__init(p, weights, margin)
   parent.__init(self)
   if p ~= nil and p ~= 1 and p ~= 2 then
      torch._core.raise('nn.MultiMarginCriterion: only p = 1 and p = 2 are supported, got ' .. tostring(p))
   end
   if weights ~= nil and (not torch.isTensor(weights) or weights:dim() ~= 1) then
      torch._core.raise('nn.MultiMarginCriterion: weights should be a 1D tensor')
   end
   self.p = p or 1
   self.margin = margin or 1
   self.sizeAverage = true
   self.weights = weights
   self.target = torch.LongTensor(1)
end

local out = ffi.new('double[1]')

-- A number, or any tensor of class indices, as the 1D LongTensor C expects
-- (a LongTensor on the input's device is taken as it is).
function MultiMarginCriterion:_target(target, input)
   -- type() converts every tensor field; the index buffer stays a LongTensor
   if self.target._dtype ~= C.NL_LONG then self.target = torch.LongTensor(1) end
   if type(target) == 'number' then
      self.target:resize(1)
      self.target[1] = target
      return self.target
   end
   if not torch.isTensor(target) then
      nn.utils.moduleError(self, 'target should be a number or a tensor of class indices, got ' .. torch.type(target))
   end
   if target._dtype ~= C.NL_LONG or (target._device ~= C.NL_CPU and target._device ~= input._device) then
      self.target = self.target:resize(target:size()):copy(target)
      target = self.target
   end
   return target:dim() == 1 and target or target:reshape(target:nElement())
end

function MultiMarginCriterion:_weights(input)
   local w = self.weights
   if w and torch.type(w) ~= torch.type(input) then
      self.weights = w:type(input:type())
      w = self.weights
   end
   return w
end

function MultiMarginCriterion:updateOutput(input, target)
   THNN.checkTensor(self, input)
   local t = self:_target(target, input)
   THNN.check(self, C.nl_multimargin_forward(out, input, t, self:_weights(input), self.p, self.margin,
      self.sizeAverage and 1 or 0))
   self.output = out[0]
   return self.output
end

function MultiMarginCriterion:updateGradInput(input, target)
   THNN.checkTensor(self, input)
   local t = self:_target(target, input)
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_multimargin_backward(self.gradInput, input, t, self:_weights(input), self.p, self.margin,
      self.sizeAverage and 1 or 0))
   return self.gradInput
end

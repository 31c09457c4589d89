-- nn.ClassNLLCriterion(weights, sizeAverage, ignoreIndex): the negative
-- log likelihood of log-probabilities (after LogSoftMax); targets are
-- class indices 1..C (a number, or a LongTensor for a batch). sizeAverage
-- divides by the total weight of the counted targets, as in Torch7.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local ClassNLLCriterion, parent = torch.class('nn.ClassNLLCriterion', 'nn.Criterion')

function ClassNLLCriterion:__init(weights, sizeAverage, ignoreIndex)
   parent.__init(self)
   self.sizeAverage = sizeAverage == nil and true or sizeAverage
   self.ignoreIndex = ignoreIndex or -100
   if weights then
      if not torch.isTensor(weights) or weights:dim() ~= 1 then
         torch._core.raise('nn.ClassNLLCriterion: weights should be a 1D tensor')
      end
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.LongTensor(1)
end

local out = ffi.new('double[2]')

-- A number, or any tensor of class indices, as the LongTensor C expects.
function ClassNLLCriterion:_target(target)
   if type(target) == 'number' then
      if self.target._dtype ~= C.NL_LONG or not torch._core.is_host(self.target) then self.target = torch.LongTensor(1) end
      self.target:resize(1)
      self.target[1] = target
      return self.target
   end
   if not torch.isTensor(target) then
      nn.utils.moduleError(self, 'target should be a number or a tensor of class indices, got ' .. torch.type(target))
   end
   -- a LongTensor on the CPU or on the input's device goes to C as it is
   -- (C copies CPU targets to the device); other index tensors (a
   -- CudaTensor of indices, as Torch7's cunn uses) are converted on their
   -- own device
   if target._dtype == C.NL_LONG then return target:dim() > 1 and target:view(-1) or target end
   -- type() converts every tensor field; the index buffer stays a LongTensor
   if self.target._dtype ~= C.NL_LONG or self.target._device ~= target._device then
      self.target = torch._core.new(C.NL_LONG, target._device)
   end
   self.target = self.target:resize(target:size()):copy(target)
   return self.target:dim() > 1 and self.target:view(-1) or self.target
end

function ClassNLLCriterion:updateOutput(input, target)
   THNN.checkTensor(self, input)
   local t = self:_target(target)
   local w = self.weights
   if w and not THNN.sameType(w, input) then self.weights = w:type(input:type()) w = self.weights end
   THNN.check(self, C.nl_classnll_forward(out, out + 1, input, t, w, self.sizeAverage and 1 or 0, self.ignoreIndex))
   self.output = out[0]
   self.total_weight = out[1]
   self.output_tensor[1] = out[0]
   self.total_weight_tensor[1] = out[1]
   return self.output, self.total_weight_tensor[1]
end

function ClassNLLCriterion:updateGradInput(input, target)
   THNN.checkTensor(self, input)
   local t = self:_target(target)
   if not THNN.sameType(self.gradInput, input) then self.gradInput = input.new() end
   if not self.total_weight then self:updateOutput(input, target) end
   THNN.check(self, C.nl_classnll_backward(self.gradInput, input, t, self.weights, self.sizeAverage and 1 or 0,
      self.ignoreIndex, self.total_weight))
   return self.gradInput
end

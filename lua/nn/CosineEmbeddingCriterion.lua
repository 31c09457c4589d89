-- nn.CosineEmbeddingCriterion([margin = 0]): for a pair {x1, x2} of
-- vectors (D) or batches (N x D) and targets y = +-1, 1 - cos(x1, x2)
-- where y = 1 and max(0, cos(x1, x2) - margin) where y = -1; averaged over
-- the pairs unless sizeAverage is false.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local CosineEmbeddingCriterion, parent = torch.class('nn.CosineEmbeddingCriterion', 'nn.Criterion')

function CosineEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 0
   self.gradInput = { torch.Tensor(), torch.Tensor() }
   self.sizeAverage = true
end

local out = ffi.new('double[1]')

-- x1, x2, and y as a 1D tensor of the inputs' type.
function CosineEmbeddingCriterion:_prepare(input, y)
   if torch.type(input) ~= 'table' or #input ~= 2 then
      nn.utils.moduleError(self, 'input should be a table of two tensors {x1, x2}, got ' .. torch.type(input))
   end
   local x1, x2 = input[1], input[2]
   THNN.checkTensor(self, x1, 'input[1]')
   THNN.checkTensor(self, x2, 'input[2]')
   if type(y) == 'number' then
      self._y = (self._y and torch.type(self._y) == torch.type(x1)) and self._y or x1.new(1)
      self._y:resize(1)[1] = y
      y = self._y
   elseif not torch.isTensor(y) then
      nn.utils.moduleError(self, 'target should be a number or a tensor of 1 and -1, got ' .. torch.type(y))
   elseif y._dtype ~= x1._dtype or y._device ~= x1._device then
      self._y = (self._y and torch.type(self._y) == torch.type(x1)) and self._y or x1.new()
      self._y:resize(y:size()):copy(y)
      y = self._y
   end
   if y:dim() ~= 1 and y:nElement() > 0 then y = y:reshape(y:nElement()) end
   return x1, x2, y
end

function CosineEmbeddingCriterion:updateOutput(input, y)
   local x1, x2, t = self:_prepare(input, y)
   THNN.check(self, C.nl_cosine_embedding_forward(out, x1, x2, t, self.margin, self.sizeAverage and 1 or 0))
   self.output = out[0]
   return self.output
end

function CosineEmbeddingCriterion:updateGradInput(input, y)
   local x1, x2, t = self:_prepare(input, y)
   for i = 1, 2 do
      if not torch.isTensor(self.gradInput[i]) or torch.type(self.gradInput[i]) ~= torch.type(x1) then
         self.gradInput[i] = x1.new()
      end
   end
   THNN.check(self, C.nl_cosine_embedding_backward(self.gradInput[1], self.gradInput[2], x1, x2, t, self.margin,
      self.sizeAverage and 1 or 0))
   return self.gradInput
end

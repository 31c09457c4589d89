-- nn.TemporalDynamicKMaxPooling(minK, [factor]): keeps, for every feature,
-- the k largest values of the sequence in their temporal order
-- (Kalchbrenner et al.'s dynamic k-max pooling), k = max(minK,
-- ceil(factor * sequence length)); input (T, F) or (N, T, F).
local torch = require 'torch'
local nn = require 'nn'

local M, parent = torch.class('nn.TemporalDynamicKMaxPooling', 'nn.Module')

function M:__init(minK, factor)
   parent.__init(self)
   if type(minK) ~= 'number' or minK < 1 or minK % 1 ~= 0 then
      torch._core.raise('nn.TemporalDynamicKMaxPooling: minK must be a positive integer, got ' .. tostring(minK))
   end
   self.minK = minK
   self.factor = factor or 0
end

function M:_k(input)
   nn.THNN.checkTensor(self, input)
   if input:dim() ~= 2 and input:dim() ~= 3 then
      nn.utils.moduleError(self, 'expected a 2D (T x F) or 3D (N x T x F) input, got ' .. nn.utils.shapeStr(input))
   end
   local dim = input:dim() - 1
   local T = input:size(dim)
   local k = math.max(self.minK, math.ceil(self.factor * T))
   if T < k then
      nn.utils.moduleError(self, string.format('a sequence of %d steps is shorter than k = %d', T, k))
   end
   return dim, k
end

function M:updateOutput(input)
   local dim, k = self:_k(input)
   -- the positions of the k largest, back in temporal order
   local _, order = input:sort(dim, true)
   self.indices = order:narrow(dim, 1, k):sort(dim)
   self.output = input:gather(dim, self.indices)
   return self.output
end

function M:updateGradInput(input, gradOutput)
   local dim = self:_k(input)
   nn.THNN.checkTensor(self, gradOutput, 'gradOutput')
   if not gradOutput:isSameSizeAs(self.output) then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
         nn.utils.shapeStr(self.output)))
   end
   -- each kept position receives its gradient (positions are distinct per feature)
   self.gradInput = input.new(input:size()):zero():scatter(dim, self.indices, gradOutput)
   return self.gradInput
end

function M:clearState()
   self.indices = nil
   return parent.clearState(self)
end

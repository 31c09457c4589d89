-- nn.SpatialSubtractiveNormalization(nInputPlane = 1 [, kernel = 9x9 ones]):
-- subtracts from every plane of a (N,)nInputPlane x H x W input its local
-- weighted mean over all planes, y = x - mean(x) / coef. The kernel (2-D,
-- or 1-D used separably, odd sizes) is scaled in place by 1/(sum * nInputPlane)
-- as in Torch7; coef, the estimator applied to an image of ones, corrects
-- the borders where the zero padding lowers the mean. Composite: the
-- weighted sums are SpatialConvolution layers, the rest tensor ops.
local torch = require 'torch'
local nn = require 'nn'
local U = require 'nn.spatial_normalization'

local M, parent = torch.class('nn.SpatialSubtractiveNormalization', 'nn.Module')

function M:__init(nInputPlane, kernel)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   U.checkArgs('SpatialSubtractiveNormalization', self.nInputPlane, self.kernel)
   self.kernel:div(self.kernel:sum() * self.nInputPlane)
   self.meanestimator = U.estimator(self.nInputPlane, self.kernel)
   self._cache = {}
end

function M:updateOutput(input)
   U.checkInput(self, input, self.meanestimator.modules[1].weight)
   -- coef first: the estimator's output buffer is then reused for the input
   self.coef = U.coef(self._cache, self.meanestimator, input)
   self.localsums = self.meanestimator:updateOutput(input)
   self.adjustedsums = self.adjustedsums or input.new()
   if self.adjustedsums._dtype ~= input._dtype then self.adjustedsums = input.new() end
   self.adjustedsums:resizeAs(self.localsums):copy(self.localsums):cdiv(self.coef)
   self.output:resizeAs(input):copy(input):add(-1, self.adjustedsums:expandAs(input))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   U.checkInput(self, input, self.meanestimator.modules[1].weight)
   U.checkGradOutput(self, input, gradOutput)
   if not (self.localsums and self.output:isSameSizeAs(input)) then self:updateOutput(input) end
   -- the mean is broadcast over the planes: its gradient sums them
   self._gradsums = self._gradsums or input.new()
   if self._gradsums._dtype ~= input._dtype then self._gradsums = input.new() end
   torch.sum(self._gradsums, gradOutput, input:dim() - 2)
   self._gradsums:cdiv(self.coef):mul(-1)
   local gmean = self.meanestimator:updateGradInput(input, self._gradsums)
   self.gradInput:resizeAs(input):copy(gradOutput):add(gmean)
   return self.gradInput
end

-- a type change drops the border coefficients: they are recomputed in the
-- new precision (converted ones would keep the old type's rounding, and a
-- saved and reloaded module, which recomputes them, would differ)
function M:type(t, cache)
   self.coef = nil
   self._cache = {}
   return parent.type(self, t, cache)
end

function M:clearState()
   nn.utils.clear(self, 'localsums', 'adjustedsums', '_gradsums')
   self.coef = nil
   self._cache = {}
   self.meanestimator:clearState()
   return parent.clearState(self)
end

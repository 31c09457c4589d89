-- nn.SpatialDivisiveNormalization(nInputPlane = 1 [, kernel = 9x9 ones
-- [, threshold = 1e-4 [, thresval = threshold]]]): divides every plane of a
-- (N,)nInputPlane x H x W input by its local weighted standard deviation
-- over all planes, s = sqrt(sum k * x^2) / coef, where s is replaced by
-- thresval wherever it is not above threshold. The kernel (2-D, or 1-D used
-- separably, odd sizes) is scaled in place as in Torch7: by 1/(sum * n) when
-- 2-D, 1/(sum * sqrt(n)) when 1-D; coef (the mean estimator applied to
-- ones) corrects the zero-padded borders. Composite: Square, convolutions
-- and Sqrt modules, a Threshold module, tensor ops.
local torch = require 'torch'
local nn = require 'nn'
local U = require 'nn.spatial_normalization'

local M, parent = torch.class('nn.SpatialDivisiveNormalization', 'nn.Module')

function M:__init(nInputPlane, kernel, threshold, thresval)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   self.threshold = threshold or 1e-4
   self.thresval = thresval or threshold or 1e-4
   U.checkArgs('SpatialDivisiveNormalization', self.nInputPlane, self.kernel)
   if self.kernel:dim() == 2 then
      self.kernel:div(self.kernel:sum() * self.nInputPlane)
   else
      self.kernel:div(self.kernel:sum() * math.sqrt(self.nInputPlane))
   end
   self.meanestimator = U.estimator(self.nInputPlane, self.kernel)
   self.stdestimator = nn.Sequential():add(nn.Square())
   for _, m in ipairs(U.estimator(self.nInputPlane, self.kernel).modules) do self.stdestimator:add(m) end
   self.stdestimator:add(nn.Sqrt())
   self.thresholder = nn.Threshold(self.threshold, self.thresval)
   self._cache = {}
end

local function buffer(self, name, input)
   local b = self[name]
   if not b or b._dtype ~= input._dtype then
      b = input.new()
      self[name] = b
   end
   return b
end

function M:updateOutput(input)
   U.checkInput(self, input, self.meanestimator.modules[1].weight)
   self.localstds = self.stdestimator:updateOutput(input)
   self.coef = U.coef(self._cache, self.meanestimator, input)
   self.adjustedstds = buffer(self, 'adjustedstds', input)
   self.adjustedstds:resizeAs(self.localstds):copy(self.localstds):cdiv(self.coef)
   self.thresholdedstds = self.thresholder:updateOutput(self.adjustedstds)
   self.output:resizeAs(input):copy(input):cdiv(self.thresholdedstds:expandAs(input))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   U.checkInput(self, input, self.meanestimator.modules[1].weight)
   U.checkGradOutput(self, input, gradOutput)
   if not (self.thresholdedstds and self.output:isSameSizeAs(input)) then self:updateOutput(input) end
   local stds = self.thresholdedstds:expandAs(input)
   -- through y = x / s: dy/dx = 1/s directly, dy/ds = -x/s^2 summed over the planes s is shared by
   self.gradInput:resizeAs(input):copy(gradOutput):cdiv(stds)
   local t = buffer(self, '_gradtmp', input)
   t:resizeAs(input):copy(self.gradInput):cdiv(stds):cmul(input)
   local gstd = buffer(self, '_gradstds', input)
   torch.sum(gstd, t, input:dim() - 2)
   gstd:mul(-1)
   t:set()
   local gadj = self.thresholder:updateGradInput(self.adjustedstds, gstd)
   gstd:resizeAs(gadj):copy(gadj):cdiv(self.coef)
   self.gradInput:add(self.stdestimator:updateGradInput(input, gstd))
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
   nn.utils.clear(self, 'localstds', 'adjustedstds', 'thresholdedstds', '_gradstds', '_gradtmp')
   self.coef = nil
   self._cache = {}
   self.meanestimator:clearState()
   self.stdestimator:clearState()
   self.thresholder:clearState()
   return parent.clearState(self)
end

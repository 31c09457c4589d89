-- nn.SpatialContrastiveNormalization(nInputPlane = 1 [, kernel = 9x9 ones
-- [, threshold = 1e-4 [, thresval = threshold]]]): local contrast
-- normalisation, a SpatialSubtractiveNormalization followed by a
-- SpatialDivisiveNormalization sharing one kernel (which each scales in
-- place, as in Torch7).
local torch = require 'torch'
local nn = require 'nn'
local U = require 'nn.spatial_normalization'

local M, parent = torch.class('nn.SpatialContrastiveNormalization', 'nn.Module')

function M:__init(nInputPlane, kernel, threshold, thresval)
   parent.__init(self)
   self.nInputPlane = nInputPlane or 1
   self.kernel = kernel or torch.Tensor(9, 9):fill(1)
   self.threshold = threshold or 1e-4
   self.thresval = thresval or threshold or 1e-4
   U.checkArgs('SpatialContrastiveNormalization', self.nInputPlane, self.kernel)
   self.normalizer = nn.Sequential()
   self.normalizer:add(nn.SpatialSubtractiveNormalization(self.nInputPlane, self.kernel))
   self.normalizer:add(nn.SpatialDivisiveNormalization(self.nInputPlane, self.kernel, self.threshold, self.thresval))
end

local function ref(self) return self.normalizer.modules[1].meanestimator.modules[1].weight end

function M:updateOutput(input)
   U.checkInput(self, input, ref(self))
   self.output = self.normalizer:updateOutput(input)
   return self.output
end

function M:updateGradInput(input, gradOutput)
   U.checkInput(self, input, ref(self))
   U.checkGradOutput(self, input, gradOutput)
   self.gradInput = self.normalizer:updateGradInput(input, gradOutput)
   return self.gradInput
end

function M:clearState()
   self.normalizer:clearState()
   return parent.clearState(self)
end

-- nn.SpatialCrossMapLRN(size, [alpha=1e-4], [beta=0.75], [k=1]): local
-- response normalisation across channels:
--   out = x / (k + alpha/size * sum of x^2 over the size nearest channels)^beta
-- Kernels in runtime/nn/spatial_misc.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local M, parent = torch.class('nn.SpatialCrossMapLRN', 'nn.Module')

function M:__init(size, alpha, beta, k)
   parent.__init(self)
   if type(size) ~= 'number' or size < 1 then
      torch._core.raise('nn.SpatialCrossMapLRN: size must be a positive number, got ' .. tostring(size))
   end
   self.size = size
   self.alpha = alpha or 0.0001
   self.beta = beta or 0.75
   self.k = k or 1
end

function M:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   if not self.scale or self.scale._dtype ~= input._dtype then self.scale = input.new() end
   THNN.check(self, C.nl_spatial_lrn_forward(self.output, self.scale, input, self.size, self.alpha, self.beta, self.k))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_lrn_backward(self.gradInput, input, gradOutput, self.output, self.scale or input.new(),
      self.size, self.alpha, self.beta, self.k))
   return self.gradInput
end

function M:clearState()
   if self.scale then self.scale:set() end
   return parent.clearState(self)
end


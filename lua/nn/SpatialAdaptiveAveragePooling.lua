-- nn.SpatialAdaptiveAveragePooling(W, H): average pooling to a fixed W x H
-- output whatever the input size. Kernels in runtime/nn/pooling.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local M, parent = torch.class('nn.SpatialAdaptiveAveragePooling', 'nn.Module')

function M:__init(W, H)
   parent.__init(self)
   if type(W) ~= 'number' or type(H) ~= 'number' or W < 1 or H < 1 then
      torch._core.raise('nn.SpatialAdaptiveAveragePooling: expected positive output sizes W, H')
   end
   self.W, self.H = W, H
end

function M:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_spatial_adaptive_pool_forward(self.output, nil, input, self.W, self.H))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_adaptive_avg_pool_backward(self.gradInput, input, gradOutput, self.W, self.H))
   return self.gradInput
end


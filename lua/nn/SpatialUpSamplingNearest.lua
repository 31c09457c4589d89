-- nn.SpatialUpSamplingNearest(scale): each pixel of the last two
-- dimensions repeated scale x scale times. Kernels in runtime/nn/spatial_misc.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local M, parent = torch.class('nn.SpatialUpSamplingNearest', 'nn.Module')

function M:__init(scale)
   parent.__init(self)
   if type(scale) ~= 'number' or scale < 1 or math.floor(scale) ~= scale then
      torch._core.raise('nn.SpatialUpSamplingNearest: scale must be a positive integer, got ' .. tostring(scale))
   end
   self.scale_factor = scale
end

function M:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_spatial_upsample_nearest_forward(self.output, input, self.scale_factor))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_upsample_nearest_backward(self.gradInput, input, gradOutput, self.scale_factor))
   return self.gradInput
end


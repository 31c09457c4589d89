-- nn.SpatialUpSamplingBilinear(scale | {oheight=, owidth=}): bilinear
-- interpolation of the last two dimensions on Torch7's grid (corners
-- aligned): with a scale, oH = H*scale (Torch7's latest nn). Kernels in
-- runtime/nn/spatial_misc.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local M, parent = torch.class('nn.SpatialUpSamplingBilinear', 'nn.Module')

function M:__init(params)
   parent.__init(self)
   if type(params) == 'table' then
      self.oheight, self.owidth = params.oheight, params.owidth
      if type(self.oheight) ~= 'number' or type(self.owidth) ~= 'number' or self.oheight < 1 or self.owidth < 1 then
         torch._core.raise('nn.SpatialUpSamplingBilinear: expected {oheight=, owidth=} positive sizes')
      end
   elseif type(params) == 'number' and params >= 1 and math.floor(params) == params then
      self.scale_factor = params
   else
      torch._core.raise('nn.SpatialUpSamplingBilinear: scale_factor must be a positive integer, got ' .. tostring(params))
   end
end

function M:_outSize(input)
   local H, W = input:size(input:dim() - 1), input:size(input:dim())
   if self.scale_factor then
      return H * self.scale_factor, W * self.scale_factor
   end
   return self.oheight, self.owidth
end

local function check(self, input)
   THNN.checkTensor(self, input)
   if input:dim() ~= 3 and input:dim() ~= 4 then
      nn.utils.moduleError(self, 'expected a 3D (C x H x W) or 4D (N x C x H x W) input, got ' .. nn.utils.shapeStr(input))
   end
end

function M:updateOutput(input)
   check(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   local oH, oW = self:_outSize(input)
   THNN.check(self, C.nl_spatial_upsample_bilinear_forward(self.output, input, oH, oW))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   local oH, oW = self:_outSize(input)
   THNN.check(self, C.nl_spatial_upsample_bilinear_backward(self.gradInput, input, gradOutput, oH, oW))
   return self.gradInput
end

function M:__tostring__()
   if self.scale_factor then return string.format('%s(%d)', torch.type(self), self.scale_factor) end
   return string.format('%s(%d, %d)', torch.type(self), self.oheight, self.owidth)
end

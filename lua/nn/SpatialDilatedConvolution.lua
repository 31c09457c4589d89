-- nn.SpatialDilatedConvolution(nInputPlane, nOutputPlane, kW, kH, [dW],
-- [dH], [padW], [padH], [dilationW], [dilationH]): SpatialConvolution
-- whose kernel taps are dilation pixels apart (the same im2col + GEMM
-- kernels, runtime/nn/conv_spatial.c).
local torch = require 'torch'
local nn = require 'nn'
require 'nn.SpatialConvolution'

local SDC, parent = torch.class('nn.SpatialDilatedConvolution', 'nn.SpatialConvolution')

function SDC:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH, dilationW, dilationH)
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function SDC:_extra() return self.dilationW, self.dilationH end

function SDC:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if self.padW ~= 0 or self.padH ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. ', ' .. self.dilationW .. ',' .. self.dilationH .. ')'
end

-- nn.SpatialFullConvolution(nInputPlane, nOutputPlane, kW, kH, [dW], [dH],
-- [padW], [padH], [adjW], [adjH]): the transposed convolution ("deconvolution"):
-- output (N, nOutputPlane, (H-1)*dH - 2*padH + kH + adjH, ...); weight
-- nInputPlane x nOutputPlane x kH x kW. Kernels in runtime/nn/conv_spatial.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
require 'nn.SpatialConvolution'

local SFC, parent = torch.class('nn.SpatialFullConvolution', 'nn.SpatialConvolution')

function SFC:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH, adjW, adjH)
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH or 0)
   self.adjW, self.adjH = adjW or 0, adjH or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 then
      torch._core.raise(string.format('%s: adjW and adjH must be smaller than dW and dH (%d, %d), got %d, %d',
         torch.typename(self), self.dW, self.dH, self.adjW, self.adjH))
   end
end

function SFC:_makeParameters()
   self.weight = torch.Tensor(self.nInputPlane, self.nOutputPlane, self.kH, self.kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.nInputPlane, self.nOutputPlane, self.kH, self.kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

function SFC:_extra() return self.adjW or 0, self.adjH or 0 end

SFC._kernels = { 'nl_spatial_full_conv_forward', 'nl_spatial_full_conv_backward', 'nl_spatial_full_conv_acc_grad' }

function SFC:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if self.padW ~= 0 or self.padH ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   if self.adjW ~= 0 or self.adjH ~= 0 then s = s .. ', ' .. self.adjW .. ',' .. self.adjH end
   return s .. ')'
end

-- nn.SpatialConvolutionMM: SpatialConvolution with its weight stored as
-- the nOutputPlane x (nInputPlane*kH*kW) matrix of the GEMM, as Torch7.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.SpatialConvolution'

local SpatialConvolutionMM, parent = torch.class('nn.SpatialConvolutionMM', 'nn.SpatialConvolution')

function SpatialConvolutionMM:_makeParameters()
   local k = self.nInputPlane * self.kH * self.kW
   self.weight = torch.Tensor(self.nOutputPlane, k)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.nOutputPlane, k)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

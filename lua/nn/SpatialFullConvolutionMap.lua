-- nn.SpatialFullConvolutionMap(connTable, kW, kH, [dW], [dH]): the
-- transposed convolution over the connections of connTable (output
-- (H-1)*dH + kH high); weight K x kH x kW, bias nOutputPlane. Runs as a
-- SpatialFullConvolution whose full weight is zero off the table.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.SpatialConvolutionMap'

local SFCM, parent = torch.class('nn.SpatialFullConvolutionMap', 'nn.SpatialConvolutionMap')

SFCM._transposed = true
SFCM._kernels = { 'nl_spatial_full_conv_forward', 'nl_spatial_full_conv_backward', 'nl_spatial_full_conv_acc_grad' }

function SFCM:__init(conMatrix, kW, kH, dW, dH)
   nn.Module.__init(self)
   parent._setup(self, 'nn.SpatialFullConvolutionMap', conMatrix, kW, kH, dW, dH)
   self:reset()
end

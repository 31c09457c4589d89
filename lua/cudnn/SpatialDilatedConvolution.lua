-- cudnn.SpatialDilatedConvolution(nInputPlane, nOutputPlane, kW, kH, [dW], [dH], [padW], [padH], [dilationW], [dilationH]):
-- nn.SpatialDilatedConvolution (the dilated convolution) under cudnn.torch's name, with its
-- :fastest(), :setMode() and :resetMode(); on CUDA tensors the library
-- runs it through cuDNN where it can (cuda/conv_cudnn.cu).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.SpatialDilatedConvolution', 'nn.SpatialDilatedConvolution', cudnn)
cudnn._convolution(cls)
return cls

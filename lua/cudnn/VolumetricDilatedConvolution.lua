-- cudnn.VolumetricDilatedConvolution(nInputPlane, nOutputPlane, kT, kW, kH, [dT], [dW], [dH], [padT], [padW], [padH], [dilationT], [dilationW], [dilationH]):
-- nn.VolumetricDilatedConvolution (the dilated 3D convolution) under cudnn.torch's name, with its
-- :fastest(), :setMode() and :resetMode(); on CUDA tensors the library
-- runs it through cuDNN where it can (cuda/conv_cudnn.cu).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.VolumetricDilatedConvolution', 'nn.VolumetricDilatedConvolution', cudnn)
cudnn._convolution(cls)
return cls

-- cudnn.VolumetricAveragePooling(kT, kW, kH, [dT], [dW], [dH], [padT], [padW], [padH]): nn.VolumetricAveragePooling (3D average pooling)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.VolumetricAveragePooling', 'nn.VolumetricAveragePooling', cudnn)
return cls

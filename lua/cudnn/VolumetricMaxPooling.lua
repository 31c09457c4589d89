-- cudnn.VolumetricMaxPooling(kT, kW, kH, [dT], [dW], [dH], [padT], [padW], [padH]): nn.VolumetricMaxPooling (3D max pooling)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.VolumetricMaxPooling', 'nn.VolumetricMaxPooling', cudnn)
return cls

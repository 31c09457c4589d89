-- cudnn.SpatialAveragePooling(kW, kH, [dW], [dH], [padW], [padH]): nn.SpatialAveragePooling (average pooling, padding counted as nn)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.SpatialAveragePooling', 'nn.SpatialAveragePooling', cudnn)
return cls

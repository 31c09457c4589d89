-- cudnn.SpatialMaxPooling(kW, kH, [dW], [dH], [padW], [padH]): nn.SpatialMaxPooling (max pooling; :ceil() and :floor() as nn)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.SpatialMaxPooling', 'nn.SpatialMaxPooling', cudnn)
return cls

-- cudnn.ReLU([inplace]): nn.ReLU (max(0, x))
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.ReLU', 'nn.ReLU', cudnn)
return cls

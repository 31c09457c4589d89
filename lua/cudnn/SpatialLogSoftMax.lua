-- cudnn.SpatialLogSoftMax(): nn.SpatialLogSoftMax (log-softmax over the planes at each position)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.SpatialLogSoftMax', 'nn.SpatialLogSoftMax', cudnn)
return cls

-- cudnn.SpatialSoftMax(): nn.SpatialSoftMax (softmax over the planes at each position)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.SpatialSoftMax', 'nn.SpatialSoftMax', cudnn)
return cls

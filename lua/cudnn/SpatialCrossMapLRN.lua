-- cudnn.SpatialCrossMapLRN(size, [alpha], [beta], [k]): nn.SpatialCrossMapLRN (local response normalization across channels)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.SpatialCrossMapLRN', 'nn.SpatialCrossMapLRN', cudnn)
return cls

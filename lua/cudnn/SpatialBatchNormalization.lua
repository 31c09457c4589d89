-- cudnn.SpatialBatchNormalization(nOutput, [eps], [momentum], [affine]): nn.SpatialBatchNormalization (batch normalization over the planes of (N, C, H, W))
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.SpatialBatchNormalization', 'nn.SpatialBatchNormalization', cudnn)
return cls

-- cudnn.VolumetricBatchNormalization(nOutput, [eps], [momentum], [affine]): nn.VolumetricBatchNormalization (batch normalization over the planes of (N, C, T, H, W))
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.VolumetricBatchNormalization', 'nn.VolumetricBatchNormalization', cudnn)
return cls

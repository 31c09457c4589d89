-- cudnn.BatchNormalization(nOutput, [eps], [momentum], [affine]): nn.BatchNormalization (batch normalization of (N, nOutput) inputs)
-- under cudnn.torch's name: the same arguments, fields and results, on CPU
-- and CUDA tensors alike.
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.BatchNormalization', 'nn.BatchNormalization', cudnn)
return cls

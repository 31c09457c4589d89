-- cudnn.TemporalConvolution(inputFrameSize, outputFrameSize, kW, [dW]):
-- nn.TemporalConvolution (the 1D convolution over frames) under cudnn.torch's name, with its
-- :fastest(), :setMode() and :resetMode(); on CUDA tensors the library
-- runs it as one cuBLAS GEMM over the unfolded windows (cuda/conv.cu).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls = torch.class('cudnn.TemporalConvolution', 'nn.TemporalConvolution', cudnn)
cudnn._convolution(cls)
return cls

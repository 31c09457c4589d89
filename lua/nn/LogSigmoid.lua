-- nn.LogSigmoid: y = log(1 / (1 + exp(-x))), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local LogSigmoid, parent = torch.class('nn.LogSigmoid', 'nn.Module')

nn.THNN.activation(LogSigmoid, torch._core.C.NL_ACT_LOGSIGMOID)

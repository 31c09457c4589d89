-- nn.Log: y = log(x), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Log, parent = torch.class('nn.Log', 'nn.Module')

nn.THNN.activation(Log, torch._core.C.NL_ACT_LOG)

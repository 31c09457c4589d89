-- nn.Sigmoid: y = 1 / (1 + exp(-x)), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Sigmoid, parent = torch.class('nn.Sigmoid', 'nn.Module')

nn.THNN.activation(Sigmoid, torch._core.C.NL_ACT_SIGMOID)

-- nn.Tanh: y = tanh(x), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Tanh, parent = torch.class('nn.Tanh', 'nn.Module')

nn.THNN.activation(Tanh, torch._core.C.NL_ACT_TANH)

-- nn.Exp: y = exp(x), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Exp, parent = torch.class('nn.Exp', 'nn.Module')

nn.THNN.activation(Exp, torch._core.C.NL_ACT_EXP)

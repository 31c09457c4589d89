-- nn.Abs: y = |x|, elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Abs, parent = torch.class('nn.Abs', 'nn.Module')

nn.THNN.activation(Abs, torch._core.C.NL_ACT_ABS)

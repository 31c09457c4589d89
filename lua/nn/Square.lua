-- nn.Square: y = x^2, elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Square, parent = torch.class('nn.Square', 'nn.Module')

nn.THNN.activation(Square, torch._core.C.NL_ACT_SQUARE)

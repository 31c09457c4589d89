-- nn.SoftSign: y = x / (1 + |x|), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local SoftSign, parent = torch.class('nn.SoftSign', 'nn.Module')

nn.THNN.activation(SoftSign, torch._core.C.NL_ACT_SOFTSIGN)

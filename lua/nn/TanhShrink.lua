-- nn.TanhShrink: y = x - tanh(x), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local TanhShrink, parent = torch.class('nn.TanhShrink', 'nn.Module')

nn.THNN.activation(TanhShrink, torch._core.C.NL_ACT_TANHSHRINK)

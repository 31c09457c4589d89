-- nn.SoftShrink: y = x - lambda, x + lambda or 0, elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local SoftShrink, parent = torch.class('nn.SoftShrink', 'nn.Module')

function SoftShrink:__init(lam)
   parent.__init(self)
   self.lambda = lam or 0.5
end

nn.THNN.activation(SoftShrink, torch._core.C.NL_ACT_SOFTSHRINK, function(self) return self.lambda, 0 end)

-- nn.HardShrink: y = x if |x| > lambda, else 0, elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local HardShrink, parent = torch.class('nn.HardShrink', 'nn.Module')

function HardShrink:__init(lam)
   parent.__init(self)
   self.lambda = lam or 0.5
end

nn.THNN.activation(HardShrink, torch._core.C.NL_ACT_HARDSHRINK, function(self) return self.lambda, 0 end)

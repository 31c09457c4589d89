-- nn.SoftPlus: y = log(1 + exp(beta x)) / beta, linear above threshold, elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local SoftPlus, parent = torch.class('nn.SoftPlus', 'nn.Module')

function SoftPlus:__init(beta, threshold)
   parent.__init(self)
   self.beta = beta or 1
   self.threshold = threshold or 20
end

nn.THNN.activation(SoftPlus, torch._core.C.NL_ACT_SOFTPLUS, function(self) return self.beta, self.threshold end)

-- nn.ELU: y = x if x > 0, else alpha * (exp(x) - 1), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local ELU, parent = torch.class('nn.ELU', 'nn.Module')

function ELU:__init(alpha, inplace)
   parent.__init(self)
   self.alpha = alpha or 1
   self.inplace = inplace or false
end

nn.THNN.activation(ELU, torch._core.C.NL_ACT_ELU, function(self) return self.alpha, 0 end)

function ELU:__tostring__()
   return string.format('%s (alpha:%f)', torch.type(self), self.alpha)
end

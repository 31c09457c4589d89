-- nn.Power: y = x^p, elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Power, parent = torch.class('nn.Power', 'nn.Module')

function Power:__init(p)
   parent.__init(self)
   self.pow = p
   if not p then torch._core.raise('nn.Power: an exponent is required') end
end

nn.THNN.activation(Power, torch._core.C.NL_ACT_POWER, function(self) return self.pow, 0 end)

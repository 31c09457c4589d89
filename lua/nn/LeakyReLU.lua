-- nn.LeakyReLU: y = x if x > 0, else negval * x, elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local LeakyReLU, parent = torch.class('nn.LeakyReLU', 'nn.Module')

function LeakyReLU:__init(negval, ip)
   parent.__init(self)
   if type(negval) == 'boolean' then ip, negval = negval, nil end
   self.negval = negval or 1 / 100
   self.inplace = ip or false
   if self.negval < 0 then self.inplace = false end
end

nn.THNN.activation(LeakyReLU, torch._core.C.NL_ACT_LEAKYRELU, function(self) return self.negval, 0 end)

function LeakyReLU:__tostring__()
   return torch.type(self) .. string.format('(%g)', self.negval)
end

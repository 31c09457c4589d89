-- nn.Sqrt: y = sqrt(x), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Sqrt, parent = torch.class('nn.Sqrt', 'nn.Module')

function Sqrt:__init(b)
   parent.__init(self)
   self.eps = b or 0
end

nn.THNN.activation(Sqrt, torch._core.C.NL_ACT_SQRT)

-- nn.ReLU6: y = min(max(x, 0), 6) (inplace optional).
local torch = require 'torch'
local nn = require 'nn'

local ReLU6, parent = torch.class('nn.ReLU6', 'nn.Module')

function ReLU6:__init(inplace)
   parent.__init(self)
   self.inplace = inplace or false
end

nn.THNN.activation(ReLU6, torch._core.C.NL_ACT_RELU6)

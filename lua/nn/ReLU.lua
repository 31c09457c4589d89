-- nn.ReLU: Threshold(0, 0) (inplace optional), as in Torch7.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.Threshold'

local ReLU, parent = torch.class('nn.ReLU', 'nn.Threshold')

function ReLU:__init(p)
   parent.__init(self, 0, 0, p)
end

function ReLU:__tostring__() return torch.type(self) end

-- nn.Clamp(min, max): HardTanh with the given bounds, as in Torch7.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.HardTanh'

local Clamp, parent = torch.class('nn.Clamp', 'nn.HardTanh')

function Clamp:__init(min_value, max_value)
   parent.__init(self, min_value, max_value)
end

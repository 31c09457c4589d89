-- nn.Min(dimension, nInputDims): the minimum over a dimension (squeezed);
-- the gradient goes to the selected element. The methods are nn.Max's
-- (lua/nn/Max.lua) with _reduce = 'min'.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.Max'

local Min = torch.class('nn.Min', 'nn.Module')
Min._reduce = 'min'
local Max = torch.getmetatable('nn.Max')
for _, k in ipairs { '__init', '_getPositiveDimension', 'updateOutput', 'updateGradInput', 'clearState' } do
   Min[k] = Max[k]
end

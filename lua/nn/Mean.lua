-- nn.Mean(dimension, nInputDims, squeeze): nn.Sum with sizeAverage.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.Sum'

local Mean, parent = torch.class('nn.Mean', 'nn.Sum')

function Mean:__init(dimension, nInputDims, squeeze)
   parent.__init(self, dimension, nInputDims, true, squeeze)
end

-- nn.SpatialBatchNormalization(nFeature, [eps], [momentum], [affine]):
-- BatchNormalization per plane of N x C x H x W inputs.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.BatchNormalization'

local SBN, parent = torch.class('nn.SpatialBatchNormalization', 'nn.BatchNormalization')
SBN.__version = 2
SBN.nDim = 4

-- nn.VolumetricBatchNormalization(nFeature, [eps], [momentum], [affine]):
-- BatchNormalization per feature volume of N x C x T x H x W inputs.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.BatchNormalization'

local VBN, parent = torch.class('nn.VolumetricBatchNormalization', 'nn.BatchNormalization')
VBN.__version = 2
VBN.nDim = 5

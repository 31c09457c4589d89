-- nn.SpatialSoftMax: SoftMax across the channels of each pixel of
-- (N,)C,H,W inputs (nn.SoftMax already works that way on 3D/4D inputs).
local torch = require 'torch'
require 'nn.SoftMax'

torch.class('nn.SpatialSoftMax', 'nn.SoftMax')

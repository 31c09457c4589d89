-- nn.SpatialLogSoftMax: LogSoftMax across the channels of each pixel of
-- (N,)C,H,W inputs (nn.LogSoftMax already works that way on 3D/4D inputs).
local torch = require 'torch'
local nn = require 'nn'
require 'nn.LogSoftMax'

local SpatialLogSoftMax, parent = torch.class('nn.SpatialLogSoftMax', 'nn.LogSoftMax')

function SpatialLogSoftMax:updateOutput(input)
   if torch.isTensor(input) and input:dim() ~= 3 and input:dim() ~= 4 then
      nn.utils.moduleError(self, 'expected a 3D or 4D input ([N,] C, H, W), got ' .. nn.utils.shapeStr(input))
   end
   return parent.updateOutput(self, input)
end

-- cudnn.ClippedReLU(ceiling, [inplace]): min(max(0, x), ceiling), cudnn.torch's
-- clipped ReLU, as nn.HardTanh(0, ceiling, inplace).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls, parent = torch.class('cudnn.ClippedReLU', 'nn.HardTanh', cudnn)

function cls:__init(ceiling, inplace)
   if type(ceiling) ~= 'number' or ceiling <= 0 then
      torch._core.raise('cudnn.ClippedReLU: expected a positive ceiling, got ' .. tostring(ceiling))
   end
   parent.__init(self, 0, ceiling, inplace)
   self.ceiling = ceiling
end

return cls

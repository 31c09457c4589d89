-- cudnn.Tanh([inplace]): nn.Tanh under cudnn.torch's name
-- (tanh; inplace is recorded, the output is a new tensor as nn's).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls, parent = torch.class('cudnn.Tanh', 'nn.Tanh', cudnn)

function cls:__init(inplace)
   parent.__init(self)
   self.inplace = inplace or false
end

return cls

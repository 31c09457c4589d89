-- cudnn.Sigmoid([inplace]): nn.Sigmoid under cudnn.torch's name
-- (the logistic function; inplace is recorded, the output is a new tensor as nn's).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls, parent = torch.class('cudnn.Sigmoid', 'nn.Sigmoid', cudnn)

function cls:__init(inplace)
   parent.__init(self)
   self.inplace = inplace or false
end

return cls

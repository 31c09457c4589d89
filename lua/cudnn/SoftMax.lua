-- cudnn.SoftMax([fastMode]): nn.SoftMax under cudnn.torch's name
-- (softmax over the last dimension (the planes of 3D/4D inputs); fastMode is recorded).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls, parent = torch.class('cudnn.SoftMax', 'nn.SoftMax', cudnn)

function cls:__init(fastMode)
   parent.__init(self)
   self.fastMode = fastMode or false
end

return cls

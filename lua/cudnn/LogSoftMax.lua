-- cudnn.LogSoftMax([fastMode]): nn.LogSoftMax under cudnn.torch's name
-- (log-softmax, as SoftMax; fastMode is recorded).
local torch = require 'torch'
require 'nn'
local cudnn = require 'cudnn'

local cls, parent = torch.class('cudnn.LogSoftMax', 'nn.LogSoftMax', cudnn)

function cls:__init(fastMode)
   parent.__init(self)
   self.fastMode = fastMode or false
end

return cls

-- nn.CMinTable(): the elementwise minimum of a table of same-sized
-- tensors; the gradient goes to the (first) input holding the minimum.
local torch = require 'torch'
local nn = require 'nn'

local CMinTable, parent = torch.class('nn.CMinTable', 'nn.Module')

function CMinTable:__init()
   parent.__init(self)
   self.gradInput = {}
   self.minIdx = torch.Tensor()
end

function CMinTable:updateOutput(input) return nn.CMaxTable._forward(self, input, 'lt', 'minIdx') end
function CMinTable:updateGradInput(input, gradOutput) return nn.CMaxTable._backward(self, input, gradOutput, 'minIdx') end

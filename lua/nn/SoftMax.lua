-- nn.SoftMax over the feature dimension (1D, batch 2D, or the channels of 3D/4D
-- images), numerically stable; kernels in runtime/nn/softmax.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SoftMax, parent = torch.class('nn.SoftMax', 'nn.Module')

function SoftMax:updateOutput(input)
   THNN.checkTensor(self, input)
   if not THNN.sameType(self.output, input) then self.output = input.new() end
   THNN.check(self, C.nl_softmax_forward(self.output, input, 0))
   return self.output
end

function SoftMax:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if not THNN.sameType(self.gradInput, input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_softmax_backward(self.gradInput, gradOutput, self.output, 0))
   return self.gradInput
end

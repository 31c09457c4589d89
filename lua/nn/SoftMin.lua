-- nn.SoftMin: SoftMax of -x.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SoftMin, parent = torch.class('nn.SoftMin', 'nn.Module')

function SoftMin:updateOutput(input)
   THNN.checkTensor(self, input)
   self.mininput = self.mininput and THNN.sameType(self.mininput, input) and self.mininput or input.new()
   self.mininput:resizeAs(input):copy(input):mul(-1)
   if not THNN.sameType(self.output, input) then self.output = input.new() end
   THNN.check(self, C.nl_softmax_forward(self.output, self.mininput, 0))
   return self.output
end

function SoftMin:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if not THNN.sameType(self.gradInput, input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_softmax_backward(self.gradInput, gradOutput, self.output, 0))
   self.gradInput:mul(-1)
   return self.gradInput
end

function SoftMin:clearState()
   if self.mininput then self.mininput:set() end
   return parent.clearState(self)
end

-- nn.PReLU([nOutputPlane]): y = x for x > 0, w x otherwise, with one
-- learned slope per plane (dimension 2 of a batch, 1 of a vector) or one
-- shared slope when nOutputPlane is 0 or absent. Weights start at 0.25.
-- Kernels: runtime/nn/layers.c.
local torch = require 'torch'
local nn = require 'nn'
local THNN = nn.THNN
local C = torch._core.C

local PReLU, parent = torch.class('nn.PReLU', 'nn.Module')

function PReLU:__init(nOutputPlane)
   parent.__init(self)
   if nOutputPlane ~= nil and (type(nOutputPlane) ~= 'number' or nOutputPlane < 0 or nOutputPlane % 1 ~= 0) then
      torch._core.raise('nn.PReLU: expected a number of planes >= 0, got ' .. tostring(nOutputPlane))
   end
   self.nOutputPlane = nOutputPlane or 0
   local n = (nOutputPlane == nil or nOutputPlane == 0) and 1 or nOutputPlane
   self.weight = torch.Tensor(n):fill(0.25)
   self.gradWeight = torch.Tensor(n)
end

local function check(self, input, gradOutput)
   THNN.checkTensor(self, input)
   nn.utils.checkInputType(self, input)
   if gradOutput ~= nil then
      THNN.checkTensor(self, gradOutput, 'gradOutput')
      nn.utils.checkInputType(self, gradOutput)
      if gradOutput:nElement() ~= input:nElement() then
         nn.utils.moduleError(self, string.format('gradOutput has size %s, expected the size of the input %s',
            nn.utils.shapeStr(gradOutput), nn.utils.shapeStr(input)))
      end
      return input:contiguous(), gradOutput:contiguous()
   end
   return input:contiguous()
end

function PReLU:updateOutput(input)
   input = check(self, input)
   THNN.check(self, C.nl_prelu_forward(self.output, input, self.weight, self.nOutputPlane))
   return self.output
end

function PReLU:updateGradInput(input, gradOutput)
   local x, go = check(self, input, gradOutput)
   THNN.check(self, C.nl_prelu_backward(self.gradInput, go, x, self.weight, self.nOutputPlane))
   return self.gradInput
end

function PReLU:accGradParameters(input, gradOutput, scale)
   local x, go = check(self, input, gradOutput)
   THNN.check(self, C.nl_prelu_acc_grad(self.gradWeight, x, go, self.nOutputPlane, scale or 1))
   return self.gradWeight
end

function PReLU:clearState()
   return parent.clearState(self)
end

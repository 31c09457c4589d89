-- nn.RReLU([l [, u [, inplace]]]): randomized leaky ReLU. In training,
-- each non-positive element is multiplied by a slope drawn uniformly in
-- [l, u) (defaults 1/8, 1/3) from the torch generator, in element order
-- as Torch7's THNN draws them; in evaluation the slope is (l + u) / 2.
-- Kernels: runtime/nn/layers.c.
local torch = require 'torch'
local nn = require 'nn'
local THNN = nn.THNN
local C = torch._core.C

local RReLU, parent = torch.class('nn.RReLU', 'nn.Module')

function RReLU:__init(l, u, ip)
   parent.__init(self)
   self.lower = l or 1 / 8
   self.upper = u or 1 / 3
   if type(self.lower) ~= 'number' or type(self.upper) ~= 'number' or not (self.lower >= 0 and self.upper >= self.lower) then
      torch._core.raise(string.format('nn.RReLU: expected 0 <= lower <= upper, got %s and %s',
         tostring(self.lower), tostring(self.upper)))
   end
   self.noise = torch.Tensor()
   self.train = true
   self.inplace = ip or false
end

function RReLU:updateOutput(input)
   THNN.checkTensor(self, input)
   if torch.type(self.noise) ~= torch.type(input) then self.noise = input.new() end
   if torch.type(self.output) ~= torch.type(input) then self.output = input.new() end
   THNN.check(self, C.nl_rrelu_forward(self.output, self.noise, input, self.lower, self.upper,
      self.train and 1 or 0, self.inplace and 1 or 0))
   if self.inplace then self.output:set(input) end
   return self.output
end

function RReLU:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_rrelu_backward(self.gradInput, gradOutput, input, self.noise, self.lower, self.upper,
      self.train and 1 or 0, self.inplace and 1 or 0))
   if self.inplace then self.gradInput:set(gradOutput) end
   return self.gradInput
end

function RReLU:__tostring__()
   return string.format('%s (l:%f, u:%f)', torch.type(self), self.lower, self.upper)
end

function RReLU:clearState()
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end

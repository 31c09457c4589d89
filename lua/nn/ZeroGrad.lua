-- nn.ZeroGrad: the identity forward; a zero gradient (tensor or table) backward.
local torch = require 'torch'
local nn = require 'nn'

local ZeroGrad, parent = torch.class('nn.ZeroGrad', 'nn.Module')

function ZeroGrad:updateOutput(input)
   if torch.isTensor(input) then
      if not torch.isTensor(self.output) or torch.type(self.output) ~= torch.type(input) then self.output = input.new() end
      self.output:set(input)
   else
      self.output = input
   end
   return self.output
end

function ZeroGrad:updateGradInput(input, gradOutput)
   self.gradInput = nn.utils.recursiveResizeAs(self.gradInput, input)
   self.gradInput = nn.utils.recursiveFill(self.gradInput, 0)
   return self.gradInput
end

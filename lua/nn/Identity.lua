-- nn.Identity: output = input, gradInput = gradOutput (no copy).
local torch = require 'torch'
local nn = require 'nn'

local Identity, parent = torch.class('nn.Identity', 'nn.Module')

function Identity:updateOutput(input)
   self.output = input
   return self.output
end

function Identity:updateGradInput(input, gradOutput)
   self.gradInput = gradOutput
   return self.gradInput
end

function Identity:clearState()
   self.output, self.gradInput = nil, nil
   return parent.clearState(self)
end

-- nn.L1Cost: sum |x| (no target).
local torch = require 'torch'
local nn = require 'nn'

local L1Cost, parent = torch.class('nn.L1Cost', 'nn.Criterion')

function L1Cost:updateOutput(input)
   self.output = input:norm(1)
   return self.output
end

function L1Cost:updateGradInput(input)
   self.gradInput:resizeAs(input):copy(input):sign()
   return self.gradInput
end

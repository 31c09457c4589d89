-- nn.CrossEntropyCriterion(weights): LogSoftMax followed by
-- ClassNLLCriterion, in one criterion (as in Torch7).
local torch = require 'torch'
local nn = require 'nn'

local CrossEntropyCriterion, parent = torch.class('nn.CrossEntropyCriterion', 'nn.Criterion')

function CrossEntropyCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   self.lsm = nn.LogSoftMax()
   self.nll = nn.ClassNLLCriterion(weights, sizeAverage)
   self.sizeAverage = self.nll.sizeAverage
end

function CrossEntropyCriterion:updateOutput(input, target)
   self.nll.sizeAverage = self.sizeAverage
   self.lsm:updateOutput(input)
   self.output = self.nll:updateOutput(self.lsm.output, target)
   return self.output
end

function CrossEntropyCriterion:updateGradInput(input, target)
   self.nll.sizeAverage = self.sizeAverage
   self.nll:updateGradInput(self.lsm.output, target)
   self.gradInput = self.lsm:updateGradInput(input, self.nll.gradInput)
   return self.gradInput
end

-- nn.HingeEmbeddingCriterion([margin = 1]): x for y = 1, max(0, margin -
-- x) for y = -1, averaged unless sizeAverage is false.
local torch = require 'torch'
local nn = require 'nn'

local HingeEmbeddingCriterion, parent = torch.class('nn.HingeEmbeddingCriterion', 'nn.Criterion')

function HingeEmbeddingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 1
   self.sizeAverage = true
end

function HingeEmbeddingCriterion:updateOutput(input, y)
   if type(y) == 'number' then y = torch.Tensor { y }:typeAs(input) end
   local pos = y:eq(1):typeAs(input)
   local neg = y:eq(-1):typeAs(input)
   local hinge = input:clone():mul(-1):add(self.margin):cmax(0)
   self.output = torch.cmul(input, pos):sum() + torch.cmul(hinge, neg):sum()
   if self.sizeAverage then self.output = self.output / input:nElement() end
   return self.output
end

function HingeEmbeddingCriterion:updateGradInput(input, y)
   if type(y) == 'number' then y = torch.Tensor { y }:typeAs(input) end
   -- as Torch7: y, zeroed where y is -1 and the input is past the margin
   -- (an input on the margin keeps -1)
   local inactive = torch.cmul(y:eq(-1), input:gt(self.margin))
   self.gradInput:resizeAs(input):copy(y):maskedFill(inactive, 0)
   if self.sizeAverage then self.gradInput:div(input:nElement()) end
   return self.gradInput
end

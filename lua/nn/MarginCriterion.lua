-- nn.MarginCriterion([margin = 1]): sum max(0, margin - y x) for targets
-- y = +-1, averaged unless sizeAverage is false.
local torch = require 'torch'
local nn = require 'nn'

local MarginCriterion, parent = torch.class('nn.MarginCriterion', 'nn.Criterion')

function MarginCriterion:__init(margin)
   parent.__init(self)
   self.sizeAverage = true
   self.margin = margin or 1
end

function MarginCriterion:updateOutput(input, target)
   local m = torch.cmul(input, target):mul(-1):add(self.margin):cmax(0)
   self.output = m:sum()
   if self.sizeAverage then self.output = self.output / input:nElement() end
   return self.output
end

function MarginCriterion:updateGradInput(input, target)
   -- -y where y x < margin, else +0 (Torch7's zeros print as 0, not -0)
   local inactive = torch.cmul(input, target):ge(self.margin)
   self.gradInput:resizeAs(input):copy(target):mul(-1):maskedFill(inactive, 0)
   if self.sizeAverage then self.gradInput:div(input:nElement()) end
   return self.gradInput
end

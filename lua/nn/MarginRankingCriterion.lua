-- nn.MarginRankingCriterion([margin = 1]): for inputs {x1, x2} and y = +-1,
-- max(0, -y (x1 - x2) + margin), averaged unless sizeAverage is false.
local torch = require 'torch'
local nn = require 'nn'

local MarginRankingCriterion, parent = torch.class('nn.MarginRankingCriterion', 'nn.Criterion')

function MarginRankingCriterion:__init(margin)
   parent.__init(self)
   self.margin = margin or 1
   self.gradInput = { torch.Tensor(1), torch.Tensor(1) }
   self.sizeAverage = true
end

local function asTensor(y, like)
   if type(y) == 'number' then return like.new(1):fill(y) end
   return y
end

function MarginRankingCriterion:updateOutput(input, y)
   local x1, x2 = input[1], input[2]
   y = asTensor(y, x1)
   local d = (x1 - x2):cmul(y):mul(-1):add(self.margin):cmax(0)
   self.output = d:sum()
   if self.sizeAverage and x1:nElement() > 1 then self.output = self.output / x1:nElement() end
   return self.output
end

function MarginRankingCriterion:updateGradInput(input, y)
   local x1, x2 = input[1], input[2]
   y = asTensor(y, x1)
   local active = (x1 - x2):cmul(y):mul(-1):add(self.margin):gt(0):typeAs(x1)
   local g = torch.cmul(active, y):mul(-1)
   if self.sizeAverage and x1:nElement() > 1 then g:div(x1:nElement()) end
   self.gradInput[1] = self.gradInput[1]:typeAs(x1):resizeAs(x1):copy(g)
   self.gradInput[2] = self.gradInput[2]:typeAs(x1):resizeAs(x2):copy(g):mul(-1)
   return self.gradInput
end

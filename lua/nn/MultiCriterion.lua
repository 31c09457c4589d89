-- nn.MultiCriterion(): the weighted sum of its criterions, each applied to
-- the same input and target. add(criterion [, weight = 1]).
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local MultiCriterion, parent = torch.class('nn.MultiCriterion', 'nn.Criterion')

function MultiCriterion:__init()
   parent.__init(self)
   self.criterions = {}
   self.weights = torch.DoubleStorage()
end

function MultiCriterion:add(criterion, weight)
   if not torch.isTypeOf(criterion, 'nn.Criterion') then
      torch._core.raise('nn.MultiCriterion:add: expected a criterion, got ' .. torch.type(criterion))
   end
   weight = weight or 1
   if type(weight) ~= 'number' then
      torch._core.raise('nn.MultiCriterion:add: weight should be a number, got ' .. torch.type(weight))
   end
   table.insert(self.criterions, criterion)
   self.weights:resize(#self.criterions, true)
   self.weights[#self.criterions] = weight
   return self
end

local function call(self, i, method, input, target)
   local c = self.criterions[i]
   local ok, a = pcall(c[method], c, input, target)
   if ok then return a end
   if type(a) ~= 'string' then error(a, 0) end
   torch._core.raise(string.format('%s (%d): %s', torch.type(self), i, a:gsub('^[^:]*:%d+: ', '')))
end

function MultiCriterion:updateOutput(input, target)
   self.output = 0
   for i = 1, #self.criterions do
      self.output = self.output + self.weights[i] * call(self, i, 'forward', input, target)
   end
   return self.output
end

function MultiCriterion:updateGradInput(input, target)
   if not (torch.isTensor(input) or torch.type(input) == 'table') then
      utils.moduleError(self, 'input should be a tensor or a table of tensors, got ' .. torch.type(input))
   end
   self.gradInput = utils.recursiveResizeAs(self.gradInput, input)
   utils.recursiveFill(self.gradInput, 0)
   for i = 1, #self.criterions do
      utils.recursiveAdd(self.gradInput, self.weights[i], call(self, i, 'backward', input, target))
   end
   return self.gradInput
end

-- nn.ParallelCriterion([repeatTarget = false]): the weighted sum of its
-- criterions, criterion i applied to input[i] and target[i] (or to the
-- whole target when repeatTarget). add(criterion [, weight = 1]).
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local ParallelCriterion, parent = torch.class('nn.ParallelCriterion', 'nn.Criterion')

function ParallelCriterion:__init(repeatTarget)
   parent.__init(self)
   self.criterions = {}
   self.weights = {}
   self.gradInput = {}
   self.repeatTarget = repeatTarget
end

function ParallelCriterion:add(criterion, weight)
   if not torch.isTypeOf(criterion, 'nn.Criterion') then
      torch._core.raise('nn.ParallelCriterion:add: expected a criterion, got ' .. torch.type(criterion))
   end
   weight = weight or 1
   if type(weight) ~= 'number' then
      torch._core.raise('nn.ParallelCriterion:add: weight should be a number, got ' .. torch.type(weight))
   end
   table.insert(self.criterions, criterion)
   table.insert(self.weights, weight)
   return self
end

local function check(self, input, target)
   if torch.type(input) ~= 'table' then
      utils.moduleError(self, 'input should be a table (one entry per criterion), got ' .. torch.type(input))
   end
   if #input < #self.criterions then
      utils.moduleError(self, string.format('input has %d entries for %d criterions', #input, #self.criterions))
   end
   if not self.repeatTarget and (torch.type(target) ~= 'table' or #target < #self.criterions) then
      utils.moduleError(self, 'target should be a table with one entry per criterion (or use repeatTarget), got '
         .. torch.type(target))
   end
end

-- Runs criterion i, its errors named '<self> (i): ...'.
local function call(self, i, method, input, target)
   local c = self.criterions[i]
   local ok, a = pcall(c[method], c, input[i], self.repeatTarget and target or target[i])
   if ok then return a end
   if type(a) ~= 'string' then error(a, 0) end
   torch._core.raise(string.format('%s (%d): %s', torch.type(self), i, a:gsub('^[^:]*:%d+: ', '')))
end

function ParallelCriterion:updateOutput(input, target)
   check(self, input, target)
   self.output = 0
   for i = 1, #self.criterions do
      self.output = self.output + self.weights[i] * call(self, i, 'forward', input, target)
   end
   return self.output
end

function ParallelCriterion:updateGradInput(input, target)
   check(self, input, target)
   self.gradInput = utils.recursiveResizeAs(self.gradInput, input)
   utils.recursiveFill(self.gradInput, 0)
   for i = 1, #self.criterions do
      local g = call(self, i, 'backward', input, target)
      utils.recursiveAdd(self.gradInput[i], self.weights[i], g)
   end
   return self.gradInput
end

function ParallelCriterion:type(typename, tensorCache)
   self.gradInput = {}
   return parent.type(self, typename, tensorCache)
end

-- nn.CriterionTable(criterion): a module whose input is the table {input,
-- target}; its output is the criterion's loss and its gradInput the
-- table {gradient with respect to input}.
local torch = require 'torch'
local nn = require 'nn'

local CriterionTable, parent = torch.class('nn.CriterionTable', 'nn.Module')

function CriterionTable:__init(criterion)
   parent.__init(self)
   if not torch.isTypeOf(criterion, 'nn.Criterion') then
      torch._core.raise('nn.CriterionTable: expected a criterion, got ' .. torch.type(criterion))
   end
   self.criterion = criterion
   self.gradInput = { criterion.gradInput }
end

local function check(self, input)
   if torch.type(input) ~= 'table' or input[1] == nil or input[2] == nil then
      nn.utils.moduleError(self, 'input should be a table {input, target}, got ' .. torch.type(input))
   end
end

function CriterionTable:updateOutput(input)
   check(self, input)
   self.output = self.criterion:forward(input[1], input[2])
   return self.output
end

function CriterionTable:updateGradInput(input, gradOutput)
   check(self, input)
   self.gradInput[1] = self.criterion:backward(input[1], input[2])
   return self.gradInput
end


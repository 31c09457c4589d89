-- nn.ModuleFromCriterion: a criterion as a module of {prediction, target};
-- the output is a 1-element tensor holding the loss, the gradient with
-- respect to the target is zero. criterion(node) makes one in a graph.
local torch = require 'torch'

local ModuleFromCriterion, parent = torch.class('nn.ModuleFromCriterion', 'nn.Module')

function ModuleFromCriterion:__init(criterion)
   parent.__init(self)
   self.criterion = criterion
   self.output = torch.Tensor(1)
   self.gradInput = { torch.Tensor(), torch.Tensor() }
end

local function pair(input)
   if type(input) ~= 'table' or input[1] == nil or input[2] == nil then
      error('nn.ModuleFromCriterion: expected the input {prediction, target}, got ' .. torch.type(input), 0)
   end
   return input[1], input[2]
end

function ModuleFromCriterion:updateOutput(input)
   local prediction, target = pair(input)
   self.output[1] = self.criterion:updateOutput(prediction, target)
   return self.output
end

function ModuleFromCriterion:updateGradInput(input, gradOutput)
   local prediction, target = pair(input)
   local g = self.criterion:updateGradInput(prediction, target)
   local scale = gradOutput[1]
   if type(g) == 'table' then
      if type(self.gradInput[1]) ~= 'table' then
         self.gradInput[1] = {}
         for i = 1, #g do self.gradInput[1][i] = g[i].new() end
      end
      for i = 1, #g do self.gradInput[1][i]:resizeAs(g[i]):copy(g[i]):mul(scale) end
   else
      self.gradInput[1]:resizeAs(g):copy(g):mul(scale)
   end
   self.gradInput[2]:resizeAs(target):zero()
   return self.gradInput
end

return ModuleFromCriterion

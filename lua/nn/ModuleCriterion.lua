-- nn.ModuleCriterion(criterion [, inputModule, targetModule, castTarget]):
-- the criterion applied to inputModule(input) and targetModule(target); the
-- gradient is back-propagated through inputModule (whose parameters are
-- not updated).
local torch = require 'torch'
local nn = require 'nn'

local ModuleCriterion, parent = torch.class('nn.ModuleCriterion', 'nn.Criterion')

function ModuleCriterion:__init(criterion, inputModule, targetModule, castTarget)
   parent.__init(self)
   if not torch.isTypeOf(criterion, 'nn.Criterion') then
      error('nn.ModuleCriterion: expected a criterion as first argument, got ' .. torch.type(criterion), 2)
   end
   self.criterion = criterion
   self.inputModule = inputModule
   self.targetModule = targetModule
   self.castTarget = (castTarget == nil) and true or castTarget
   if inputModule then
      local params = inputModule:parameters()
      if params and #params > 0 then
         print("Warning: nn.ModuleCriterion doesn't support parameter updates")
      end
   end
end

function ModuleCriterion:updateOutput(input, target)
   if self.inputModule then self.input = self.inputModule:forward(input) end
   if self.targetModule then self.target = self.targetModule:forward(target) end
   self.output = self.criterion:forward(self.input or input, self.target or target)
   return self.output
end

function ModuleCriterion:updateGradInput(input, target)
   self.gradInput = self.criterion:backward(self.input or input, self.target or target)
   if self.inputModule then
      self.gradInput = self.inputModule:backward(input, self.gradInput)
   end
   return self.gradInput
end

function ModuleCriterion:type(t, tensorCache)
   if self.inputModule then self.inputModule:type(t, tensorCache) end
   if self.castTarget and self.targetModule then self.targetModule:type(t, tensorCache) end
   self.criterion:type(t, tensorCache)
   self.input, self.target = nil, nil
   local im, tm, c = self.inputModule, self.targetModule, self.criterion
   self.inputModule, self.targetModule, self.criterion = nil, nil, nil
   parent.type(self, t, tensorCache)
   self.inputModule, self.targetModule, self.criterion = im, tm, c
   return self
end

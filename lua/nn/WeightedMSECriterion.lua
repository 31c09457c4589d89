-- nn.WeightedMSECriterion(weight): MSECriterion between the input and the
-- target multiplied elementwise by weight (per sample for a batch whose
-- samples have weight's shape). As in Torch7, only the target is weighted.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.MSECriterion'

local WeightedMSECriterion, parent = torch.class('nn.WeightedMSECriterion', 'nn.MSECriterion')

function WeightedMSECriterion:__init(w)
   parent.__init(self)
   if not torch.isTensor(w) then
      error('nn.WeightedMSECriterion: expected a weight tensor, got ' .. torch.type(w), 2)
   end
   self.weight = w:clone()
end

function WeightedMSECriterion:_weighted(input, target)
   if not torch.isTensor(input) or not torch.isTensor(target) then
      nn.utils.moduleError(self, 'input and target should be tensors')
   end
   if torch.type(self.weight) ~= torch.type(target) then self.weight = self.weight:type(torch.type(target)) end
   self.buffer = self.buffer and torch.type(self.buffer) == torch.type(target) and self.buffer or target.new()
   self.buffer:resizeAs(target):copy(target)
   local w = self.weight
   if input:dim() - 1 == w:dim() then
      local size = w:size():totable()
      table.insert(size, 1, 1)
      w = w:view(torch.LongStorage(size))
   end
   local ok = pcall(function() w = w:expandAs(self.buffer) end)
   if not ok then
      nn.utils.moduleError(self, string.format('weight %s does not match target %s',
         nn.utils.shapeStr(self.weight), nn.utils.shapeStr(target)))
   end
   self.buffer:cmul(w)
   return self.buffer
end

function WeightedMSECriterion:updateOutput(input, target)
   return parent.updateOutput(self, input, self:_weighted(input, target))
end

function WeightedMSECriterion:updateGradInput(input, target)
   return parent.updateGradInput(self, input, self:_weighted(input, target))
end

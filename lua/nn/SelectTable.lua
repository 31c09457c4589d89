-- nn.SelectTable(index): the index-th element of a table (negative from
-- the end); the other elements get zero gradients.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local SelectTable, parent = torch.class('nn.SelectTable', 'nn.Module')

function SelectTable:__init(index)
   parent.__init(self)
   self.index = index
   self.gradInput = {}
end

function SelectTable:updateOutput(input)
   if torch.type(input) ~= 'table' then nn.utils.moduleError(self, 'expected a table input, got ' .. torch.type(input)) end
   local index = self.index < 0 and #input + self.index + 1 or self.index
   if input[index] == nil then nn.utils.moduleError(self, string.format('index %d out of range for a table of %d', self.index, #input)) end
   self.output = input[index]
   return self.output
end

local function zeroLike(t1, t2)
   if torch.type(t2) == 'table' then
      t1 = torch.type(t1) == 'table' and t1 or {}
      for k, v in pairs(t2) do t1[k] = zeroLike(t1[k], v) end
      -- entries of an earlier, longer input go (Torch7 drops them too)
      for k in pairs(t1) do if t2[k] == nil then t1[k] = nil end end
      return t1
   end
   t1 = torch.isTensor(t1) and t1 or t2.new()
   return t1:resizeAs(t2):zero()
end

function SelectTable:updateGradInput(input, gradOutput)
   local index = self.index < 0 and #input + self.index + 1 or self.index
   for i = 1, #input do
      if i == index then self.gradInput[i] = utils.recursiveCopy(self.gradInput[i], gradOutput)
      else self.gradInput[i] = zeroLike(self.gradInput[i], input[i]) end
   end
   for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   return self.gradInput
end

function SelectTable:__tostring__()
   return torch.type(self) .. '(' .. self.index .. ')'
end

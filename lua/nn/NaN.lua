-- nn.NaN(module, id): a decorator that raises an error naming the module
-- (and whether its input, parameters, gradOutput or own computation is to
-- blame) as soon as a NaN appears in its output, gradInput or parameter
-- gradients.
local torch = require 'torch'
local nn = require 'nn'
local raise = torch._core.raise

local NaN, parent = torch.class('nn.NaN', 'nn.Decorator')

local idseq = 0
function NaN.newId()
   idseq = idseq + 1
   return idseq
end

function NaN:__init(module, id)
   parent.__init(self, module)
   self.id = id or NaN.newId()
end

function NaN:recursiveIsNaN(t)
   if torch.type(t) == 'table' then
      for _, v in pairs(t) do
         if self:recursiveIsNaN(v) then return true end
      end
      return false
   end
   if not torch.isTensor(t) then return false end
   local s = t:sum()
   return s ~= s
end

local function fail(self, where)
   raise(string.format('NaN found in %s of module :\n%s', where, self:__tostring__()))
end

function NaN:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   if self:recursiveIsNaN(self.output) then
      if self:recursiveIsNaN(input) then fail(self, 'input') end
      if self:recursiveIsNaN(self:parameters()) then fail(self, 'parameters') end
      fail(self, 'output')
   end
   return self.output
end

function NaN:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   if self:recursiveIsNaN(self.gradInput) then
      if self:recursiveIsNaN(gradOutput) then fail(self, 'gradOutput') end
      fail(self, 'gradInput')
   end
   return self.gradInput
end

function NaN:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
   local _, gradParams = self:parameters()
   if self:recursiveIsNaN(gradParams) then fail(self, 'gradParameters') end
end

function NaN:__tostring__()
   return torch.type(self) .. '(' .. self.id .. ') @ ' .. tostring(self.modules[1])
end

-- nn.GatedLinearUnit(dim): splits the input in two halves a, b along dim
-- (default the last) and gives a * sigmoid(b).
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local GatedLinearUnit, parent = torch.class('nn.GatedLinearUnit', 'nn.Module')

function GatedLinearUnit:__init(dim)
   parent.__init(self)
   self.dim = dim
end

local function halves(self, input)
   if not torch.isTensor(input) then utils.moduleError(self, 'expected a tensor, got ' .. torch.type(input)) end
   local dim = self.dim or input:dim()
   if dim < 1 or dim > input:dim() then
      utils.moduleError(self, string.format('dimension %d out of range for a tensor of size %s', dim, utils.shapeStr(input)))
   end
   local n = input:size(dim)
   if n % 2 ~= 0 then
      utils.moduleError(self, string.format('dimension %d of input (size %s) should be even, got %d',
         dim, utils.shapeStr(input), n))
   end
   return dim, input:narrow(dim, 1, n / 2), input:narrow(dim, n / 2 + 1, n / 2)
end

function GatedLinearUnit:updateOutput(input)
   local _, a, b = halves(self, input)
   self._gate = self._gate or input.new()
   self._gate:resizeAs(b):copy(b):sigmoid()
   self.output:resizeAs(a):cmul(a, self._gate)
   return self.output
end

function GatedLinearUnit:updateGradInput(input, gradOutput)
   local dim, a, b = halves(self, input)
   local n = a:size(dim)
   self._gate = self._gate or input.new()
   self._gate:resizeAs(b):copy(b):sigmoid()
   self.gradInput:resizeAs(input)
   local ga, gb = self.gradInput:narrow(dim, 1, n), self.gradInput:narrow(dim, n + 1, n)
   ga:cmul(self._gate, gradOutput)
   -- d/db a*s(b) = a * s * (1 - s)
   gb:fill(1):add(-1, self._gate):cmul(self._gate):cmul(a):cmul(gradOutput)
   return self.gradInput
end

function GatedLinearUnit:clearState()
   return utils.clear(self, '_gate')
end

-- nn.AddConstant(c [, inplace]): y = x + c.
local torch = require 'torch'
local nn = require 'nn'

local AddConstant, parent = torch.class('nn.AddConstant', 'nn.Module')

function AddConstant:__init(constant, ip)
   parent.__init(self)
   if type(constant) ~= 'number' and not torch.isTensor(constant) then
      torch._core.raise('nn.AddConstant: expected a number or a tensor')
   end
   self.constant_scalar = constant
   self.inplace = ip or false
end

-- A tensor constant of size n is added to each row of an N x n input.
function AddConstant:_constant(input)
   local c = self.constant_scalar
   if type(c) == 'number' then return c end
   local d = input:dim()
   if d > 2 or input:size(d) ~= c:nElement() then
      torch._core.raise(string.format('nn.AddConstant: a constant of %d elements needs an input of size %d or N x %d, got %s',
         c:nElement(), c:nElement(), c:nElement(), table.concat(input:size():totable(), 'x')))
   end
   if d == 2 then return c:contiguous():view(1, c:nElement()):expand(input:size(1), c:nElement()) end
   return c:view(c:nElement())
end

function AddConstant:updateOutput(input)
   local c = self:_constant(input)
   if self.inplace then
      input:add(c)
      self.output:set(input)
   else
      self.output:resizeAs(input):copy(input):add(c)
   end
   return self.output
end

function AddConstant:updateGradInput(input, gradOutput)
   if self.inplace then
      self.gradInput:set(gradOutput)
      local c = self:_constant(input)
      if type(c) == 'number' then input:add(-c) else input:add(-1, c) end
   else
      self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   end
   return self.gradInput
end

-- nn.ZipTableOneToMany: { v, {a, b, c} } -> { {v, a}, {v, b}, {v, c} }; the
-- gradient for v is the sum of its copies' gradients.
local torch = require 'torch'
local nn = require 'nn'

local ZipTableOneToMany, parent = torch.class('nn.ZipTableOneToMany', 'nn.Module')

function ZipTableOneToMany:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
   self.gradInputEl = torch.Tensor()
end

local function check(m, input)
   if type(input) ~= 'table' or #input ~= 2 or not torch.isTensor(input[1]) or type(input[2]) ~= 'table' then
      nn.utils.moduleError(m, 'input must be a table {tensor, table of tensors}')
   end
end

function ZipTableOneToMany:updateOutput(input)
   check(self, input)
   self.output = {}
   for i, v in ipairs(input[2]) do self.output[i] = { input[1], v } end
   return self.output
end

function ZipTableOneToMany:updateGradInput(input, gradOutput)
   check(self, input)
   local el = input[1]
   if torch.type(self.gradInputEl) ~= torch.type(el) then self.gradInputEl = el.new() end
   self.gradInputEl:resizeAs(el):zero()
   local gradTable = {}
   for i, g in ipairs(gradOutput) do
      self.gradInputEl:add(g[1])
      gradTable[i] = g[2]
   end
   self.gradInput = { self.gradInputEl, gradTable }
   return self.gradInput
end

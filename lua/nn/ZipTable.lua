-- nn.ZipTable: { {a1, a2}, {b1, b2} } -> { {a1, b1}, {a2, b2} }; the gradients
-- are zipped back the same way.
local torch = require 'torch'
local nn = require 'nn'

local ZipTable, parent = torch.class('nn.ZipTable', 'nn.Module')

function ZipTable:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
end

local function zip(m, t, what)
   if type(t) ~= 'table' then
      nn.utils.moduleError(m, what .. ' should be a table of tables, got ' .. torch.type(t))
   end
   local r = {}
   for i, inner in ipairs(t) do
      if type(inner) ~= 'table' then
         nn.utils.moduleError(m, string.format('%s[%d] should be a table, got %s', what, i, torch.type(inner)))
      end
      for j, x in ipairs(inner) do
         r[j] = r[j] or {}
         r[j][i] = x
      end
   end
   return r
end

function ZipTable:updateOutput(input)
   self.output = zip(self, input, 'input')
   return self.output
end

function ZipTable:updateGradInput(input, gradOutput)
   self.gradInput = zip(self, gradOutput, 'gradOutput')
   return self.gradInput
end

-- nn.ConcatTable: applies every child to the same input; the output is
-- the table of their outputs; the gradient is the sum of theirs.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local ConcatTable, parent = torch.class('nn.ConcatTable', 'nn.Container')

function ConcatTable:__init()
   parent.__init(self)
   self.modules = {}
   self.output = {}
end

function ConcatTable:updateOutput(input)
   for i = 1, #self.modules do
      self.output[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
   end
   for i = #self.modules + 1, #self.output do self.output[i] = nil end
   return self.output
end

local function backward(self, method, input, gradOutput, scale)
   local isTable = torch.type(input) == 'table'
   local wasTable = torch.type(self.gradInput) == 'table'
   for i, module in ipairs(self.modules) do
      local g = self:rethrowErrors(module, i, method, input, gradOutput[i], scale)
      if g then
         if i == 1 then
            if isTable then self.gradInput = utils.recursiveCopy(wasTable and self.gradInput or {}, g)
            else
               if not torch.isTensor(self.gradInput) or self.gradInput._dtype ~= g._dtype then self.gradInput = g.new() end
               self.gradInput:resizeAs(g):copy(g)
            end
         else
            utils.recursiveAdd(self.gradInput, g)
         end
      end
   end
   -- a table gradient has the input's length, not that of a longer earlier input
   if isTable then
      for i = #input + 1, #self.gradInput do self.gradInput[i] = nil end
   end
   return self.gradInput
end

function ConcatTable:updateGradInput(input, gradOutput)
   return backward(self, 'updateGradInput', input, gradOutput)
end

function ConcatTable:backward(input, gradOutput, scale)
   return nn.Module._namedResult(self, pcall(backward, self, 'backward', input, gradOutput, scale or 1))
end

function ConcatTable:accGradParameters(input, gradOutput, scale)
   for i, module in ipairs(self.modules) do
      self:rethrowErrors(module, i, 'accGradParameters', input, gradOutput[i], scale or 1)
   end
end

function ConcatTable:__tostring__()
   local lines = { torch.type(self) .. ' {', '  input' }
   -- Torch7's layout: the last branch is drawn with a corner, not a bar
   for i, m in ipairs(self.modules) do
      local last = i == #self.modules
      local head, ext = last and '     `-> (' or '    |`-> (', last and '\n         ' or '\n    |    '
      lines[#lines + 1] = head .. i .. '): ' .. tostring(m):gsub('\n', ext)
   end
   lines[#lines + 1] = '     ... -> output'
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

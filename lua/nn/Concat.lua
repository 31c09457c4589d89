-- nn.Concat(dimension): applies every child to the input and concatenates
-- their outputs along a dimension.
local torch = require 'torch'
local nn = require 'nn'

local Concat, parent = torch.class('nn.Concat', 'nn.Container')

function Concat:__init(dimension)
   parent.__init(self)
   self.outputSize = torch.LongStorage()
   self.dimension = dimension
end

function Concat:updateOutput(input)
   local outs = {}
   for i = 1, #self.modules do outs[i] = self:rethrowErrors(self.modules[i], i, 'updateOutput', input) end
   if outs[1] and self.output._dtype ~= outs[1]._dtype then self.output = outs[1].new() end
   self.output = torch.cat(self.output, outs, self.dimension)
   return self.output
end

-- the part of t (output-sized) that belongs to child output cur, which
-- starts at offset along the concatenation dimension (DepthConcat
-- overrides it to centre smaller outputs)
function Concat:windowNarrow(t, cur, offset)
   return t:narrow(self.dimension, offset, cur:size(self.dimension))
end

local function backward(self, method, input, gradOutput, scale)
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input):zero()
   local offset = 1
   for i, module in ipairs(self.modules) do
      local cur = module.output
      local g = self:rethrowErrors(module, i, method, input, self:windowNarrow(gradOutput, cur, offset), scale)
      if g then self.gradInput:add(g) end
      offset = offset + cur:size(self.dimension)
   end
   return self.gradInput
end

function Concat:updateGradInput(input, gradOutput) return backward(self, 'updateGradInput', input, gradOutput) end
function Concat:backward(input, gradOutput, scale)
   return nn.Module._namedResult(self, pcall(backward, self, 'backward', input, gradOutput, scale or 1))
end

function Concat:accGradParameters(input, gradOutput, scale)
   local offset = 1
   for i, module in ipairs(self.modules) do
      local cur = module.output
      self:rethrowErrors(module, i, 'accGradParameters', input, self:windowNarrow(gradOutput, cur, offset), scale or 1)
      offset = offset + cur:size(self.dimension)
   end
end

-- printed as Torch7 prints its branching containers
function Concat:__tostring__()
   local lines = { torch.type(self) .. ' {', '  input' }
   for i, m in ipairs(self.modules) do
      local last = i == #self.modules
      local head, ext = last and '     `-> (' or '    |`-> (', last and '\n         ' or '\n    |    '
      lines[#lines + 1] = head .. i .. '): ' .. tostring(m):gsub('\n', ext)
   end
   lines[#lines + 1] = '     ... -> output'
   lines[#lines + 1] = '}'
   return table.concat(lines, '\n')
end

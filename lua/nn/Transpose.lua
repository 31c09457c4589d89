-- nn.Transpose({d1, d2}, {d3, d4}, ...): swaps the dimension pairs in
-- order (a view); the gradient swaps them back in reverse order.
local torch = require 'torch'
local nn = require 'nn'

local Transpose, parent = torch.class('nn.Transpose', 'nn.Module')

function Transpose:__init(...)
   parent.__init(self)
   self.permutations = { ... }
end

-- setNumInputDims(n): the pairs count within the last n dimensions (a
-- batch dimension in front shifts them), as in Torch7
function Transpose:setNumInputDims(numInputDims)
   self.numInputDims = numInputDims
   return self
end

local function offset(self, input)
   return self.numInputDims and input:dim() - self.numInputDims or 0
end

function Transpose:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local o = offset(self, input)
   for _, p in ipairs(self.permutations) do input = input:transpose(p[1] + o, p[2] + o) end
   self.output:resizeAs(input):copy(input)
   return self.output
end

function Transpose:updateGradInput(input, gradOutput)
   local o = offset(self, input)
   for i = #self.permutations, 1, -1 do
      local p = self.permutations[i]
      gradOutput = gradOutput:transpose(p[1] + o, p[2] + o)
   end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

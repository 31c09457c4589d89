-- nn.SaturatedLU(th, v, th2, v2) (nnx): x below th becomes v, above th2
-- becomes v2 (defaults -1, -1, 1, 1), x unchanged between; the gradient is
-- zero where a value was replaced.
local nn = require 'nn'

local SaturatedLU, parent = torch.class('nn.SaturatedLU', 'nn.Module')

function SaturatedLU:__init(th, v, th2, v2)
   parent.__init(self)
   for i, x in ipairs { th or 0, v or 0, th2 or 0, v2 or 0 } do
      if type(x) ~= 'number' then
         error(string.format('nn.SaturatedLU(lower-bound, value, upper-bound, value2): argument %d should be a number, got %s', i, type(x)), 3)
      end
   end
   self.threshold, self.val = th or -1, v or -1
   self.threshold2, self.val2 = th2 or 1, v2 or 1
end

function SaturatedLU:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   self.output[input:lt(self.threshold)] = self.val
   self.output[input:gt(self.threshold2)] = self.val2
   return self.output
end

function SaturatedLU:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   self.gradInput[input:lt(self.threshold)] = 0
   self.gradInput[input:gt(self.threshold2)] = 0
   return self.gradInput
end

function SaturatedLU:__tostring__()
   return string.format('%s (%g -> %g, %g -> %g)', torch.type(self), self.threshold, self.val, self.threshold2, self.val2)
end

return SaturatedLU

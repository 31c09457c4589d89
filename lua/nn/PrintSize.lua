-- nn.PrintSize(prefix='PrintSize'): passes its input and gradOutput
-- through, printing their sizes.
local torch = require 'torch'
local nn = require 'nn'

local PrintSize, parent = torch.class('nn.PrintSize', 'nn.Module')

function PrintSize:__init(prefix)
   parent.__init(self)
   self.prefix = prefix or 'PrintSize'
end

local function size(x)
   if torch.type(x) == 'table' then return x end
   if x == nil then return 'missing size' end
   return x:size()
end

function PrintSize:updateOutput(input)
   self.output = input
   print(self.prefix .. ':input\n', size(input))
   return self.output
end

function PrintSize:updateGradInput(input, gradOutput)
   print(self.prefix .. ':gradOutput\n', size(gradOutput))
   self.gradInput = gradOutput
   return self.gradInput
end

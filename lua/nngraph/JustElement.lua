-- nngraph.JustElement: {x} -> x (what node:split(1) makes).
local torch = require 'torch'

local JustElement, parent = torch.class('nngraph.JustElement', 'nn.Module')

function JustElement:__init()
   parent.__init(self)
   self.gradInput = {}
end

function JustElement:updateOutput(input)
   if type(input) ~= 'table' or #input ~= 1 then
      error('nngraph.JustElement: expected a table of one element, got ' .. torch.type(input)
         .. (type(input) == 'table' and (' of ' .. #input) or ''), 0)
   end
   self.output = input[1]
   return self.output
end

function JustElement:updateGradInput(input, gradOutput)
   self.gradInput[1] = gradOutput
   return self.gradInput
end

return JustElement

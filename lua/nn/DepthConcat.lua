-- nn.DepthConcat(dimension): nn.Concat whose children's outputs may differ
-- in their other dimensions (Inception's branches): the output takes the
-- largest size in each, and every child's output sits centred in its
-- window, zero around it (Torch7's layout: start floor((max - size) / 2) + 1).
-- Backward and accGradParameters are Concat's, through windowNarrow.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.Concat'

local DepthConcat, parent = torch.class('nn.DepthConcat', 'nn.Concat')

-- the part of t (an output-sized tensor) where a child's output cur goes,
-- starting at offset along the concatenation dimension
function DepthConcat:windowNarrow(t, cur, offset)
   local w = t:narrow(self.dimension, offset, cur:size(self.dimension))
   for d = 1, self.outputSize:size() do
      local n = cur:size(d)
      if d ~= self.dimension and self.outputSize[d] ~= n then
         w = w:narrow(d, math.floor((self.outputSize[d] - n) / 2) + 1, n)
      end
   end
   return w
end

function DepthConcat:updateOutput(input)
   local outs = {}
   for i = 1, #self.modules do
      local o = self:rethrowErrors(self.modules[i], i, 'updateOutput', input)
      outs[i] = o
      if i == 1 then
         self.outputSize = torch.LongStorage(o:size():totable())
      else
         if o:dim() ~= self.outputSize:size() then
            nn.utils.moduleError(self, string.format('module %d gave a %dD output, module 1 a %dD one', i, o:dim(),
               self.outputSize:size()))
         end
         self.outputSize[self.dimension] = self.outputSize[self.dimension] + o:size(self.dimension)
         for d = 1, o:dim() do
            if d ~= self.dimension then self.outputSize[d] = math.max(self.outputSize[d], o:size(d)) end
         end
      end
   end
   if #outs == 0 then return self.output end
   if self.output._dtype ~= outs[1]._dtype then self.output = outs[1].new() end
   self.output:resize(self.outputSize):zero()
   local offset = 1
   for i = 1, #outs do
      self:windowNarrow(self.output, outs[i], offset):copy(outs[i])
      offset = offset + outs[i]:size(self.dimension)
   end
   return self.output
end

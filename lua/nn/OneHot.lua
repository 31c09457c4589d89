-- nn.OneHot(outputSize): class indices (a number, or a tensor of any shape)
-- to one-hot vectors along a new last dimension of size outputSize.
local torch = require 'torch'
local nn = require 'nn'

local OneHot, parent = torch.class('nn.OneHot', 'nn.Module')

function OneHot:__init(outputSize)
   parent.__init(self)
   if type(outputSize) ~= 'number' or outputSize < 1 then
      error('nn.OneHot: outputSize should be a positive number, got ' .. tostring(outputSize), 2)
   end
   self.outputSize = outputSize
end

function OneHot:updateOutput(input)
   local size
   if type(input) == 'number' then
      self._single = self._single or torch.LongTensor(1)
      self._single[1] = input
      input = self._single
      size = {}
   elseif torch.isTensor(input) then
      size = input:size():totable()
   else
      nn.utils.moduleError(self, 'input should be a number or a tensor of indices, got ' .. torch.type(input))
   end
   if input:nElement() > 0 then
      local lo, hi = input:min(), input:max()
      if lo < 1 or hi > self.outputSize or lo ~= math.floor(lo) or hi ~= math.floor(hi) then
         nn.utils.moduleError(self, string.format('indices should be integers in [1, %d], got values in [%g, %g]',
            self.outputSize, lo, hi))
      end
   end
   size[#size + 1] = self.outputSize
   self.output:resize(torch.LongStorage(size)):zero()
   size[#size] = 1
   local index = input:long():contiguous():view(torch.LongStorage(size))
   self.output:scatter(self.output:dim(), index, 1)
   return self.output
end

function OneHot:updateGradInput(input, gradOutput)
   if type(input) == 'number' then return 0 end
   self.gradInput:resize(input:size()):zero()
   return self.gradInput
end

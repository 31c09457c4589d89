-- nn.MaskedSelect: input {t, mask} (mask a ByteTensor of t's size) gives
-- the elements of t where mask is 1, as a vector.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local MaskedSelect, parent = torch.class('nn.MaskedSelect', 'nn.Module')

function MaskedSelect:__init()
   parent.__init(self)
   self._gradBuffer = torch.Tensor()
   self._gradMask = torch.ByteTensor()
   self.gradInput = { self._gradBuffer, self._gradMask }
end

local function check(self, input)
   if type(input) ~= 'table' or not torch.isTensor(input[1]) or torch.type(input[2]) ~= 'torch.ByteTensor' then
      utils.moduleError(self, 'expected input {tensor, ByteTensor mask}, got ' .. torch.type(input))
   end
   if input[1]:nElement() ~= input[2]:nElement() then
      utils.moduleError(self, string.format('mask of size %s does not match input of size %s',
         utils.shapeStr(input[2]), utils.shapeStr(input[1])))
   end
end

function MaskedSelect:updateOutput(input)
   check(self, input)
   self.output:maskedSelect(input[1], input[2])
   return self.output
end

function MaskedSelect:updateGradInput(input, gradOutput)
   local t, mask = input[1], input[2]
   self._gradBuffer:resizeAs(t):zero():maskedCopy(mask, gradOutput)
   self._gradMask:resizeAs(mask):zero()
   self.gradInput = { self._gradBuffer, self._gradMask }
   return self.gradInput
end

function MaskedSelect:type(typename, tensorCache)
   -- the mask gradient stays a ByteTensor
   local mask = self._gradMask
   self._gradMask = nil
   self.gradInput = {}
   parent.type(self, typename, tensorCache)
   self._gradMask = mask
   self.gradInput = { self._gradBuffer, self._gradMask }
   return self
end

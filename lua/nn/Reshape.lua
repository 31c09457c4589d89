-- nn.Reshape(d1, d2, ... [, batchMode]): views the input with the given
-- sizes; a leading batch dimension is kept when the input has more
-- elements than the sizes, or its first size is 1 (or batchMode is true),
-- as in Torch7.
local torch = require 'torch'
local nn = require 'nn'

local Reshape, parent = torch.class('nn.Reshape', 'nn.Module')

function Reshape:__init(...)
   parent.__init(self)
   local arg = { ... }
   if #arg == 0 then torch._core.raise('nn.Reshape: expected sizes') end
   if #arg == 1 and torch.isStorage(arg[1]) then arg = arg[1]:totable() end
   if type(arg[#arg]) == 'boolean' then self.batchMode = table.remove(arg) end
   self.size = torch.LongStorage(#arg)
   self.batchsize = torch.LongStorage(#arg + 1)
   self.nelement = 1
   for i, v in ipairs(arg) do
      if type(v) ~= 'number' or v < 1 then torch._core.raise('nn.Reshape: sizes should be positive numbers') end
      self.size[i] = v
      self.batchsize[i + 1] = v
      self.nelement = self.nelement * v
   end
end

function Reshape:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local n = input:nElement()
   -- as Torch7: without batchMode, an input whose first size is 1 keeps it
   -- as a batch of one (Reshape(4) of a 1x4 input is 1x4)
   local batch = self.batchMode == true or
      (self.batchMode == nil and (n ~= self.nelement or (input:dim() > 1 and input:size(1) == 1)))
   if batch then
      if input:dim() < 1 or n ~= input:size(1) * self.nelement then
         nn.utils.moduleError(self, string.format('input of size %s (%d elements) cannot be reshaped to %s or Nx%s',
            nn.utils.shapeStr(input), n, table.concat(self.size:totable(), 'x'), table.concat(self.size:totable(), 'x')))
      end
      self.batchsize[1] = input:size(1)
      self.output = input:contiguous():view(self.batchsize)
   else
      if n ~= self.nelement then
         nn.utils.moduleError(self, string.format('input of size %s has %d elements, expected %d', nn.utils.shapeStr(input),
            n, self.nelement))
      end
      self.output = input:contiguous():view(self.size)
   end
   return self.output
end

function Reshape:updateGradInput(input, gradOutput)
   -- a module after this one that skips its input gradient (gradInput =
   -- nil, as Torch7's Linear allows) passes nil: nothing to reshape
   if gradOutput == nil then self.gradInput = nil return nil end
   self.gradInput = gradOutput:contiguous():viewAs(input)
   return self.gradInput
end

function Reshape:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), 'x') .. ')'
end

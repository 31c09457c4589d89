-- nn.Normalize(p [, eps]): divides a vector (or each row of a batch) by
-- its p-norm, (sum |x|^p + eps)^(1/p); p = math.huge uses max |x| + eps.
-- eps defaults to 1e-10. Kernels: runtime/nn/layers.c.
local torch = require 'torch'
local nn = require 'nn'
local THNN = nn.THNN
local C = torch._core.C

local Normalize, parent = torch.class('nn.Normalize', 'nn.Module')

function Normalize:__init(p, eps)
   parent.__init(self)
   if type(p) ~= 'number' or not (p > 0) then
      torch._core.raise('nn.Normalize: expected a positive p, got ' .. tostring(p))
   end
   if eps ~= nil and type(eps) ~= 'number' then
      torch._core.raise('nn.Normalize: eps should be a number, got ' .. torch.type(eps))
   end
   self.p = p
   self.eps = eps or 1e-10
end

local function check(self, input, gradOutput)
   THNN.checkTensor(self, input)
   if input:dim() > 2 then
      nn.utils.moduleError(self, 'expected a vector or a batch of vectors (1D or 2D input), got ' .. nn.utils.shapeStr(input))
   end
   if gradOutput ~= nil then
      THNN.checkTensor(self, gradOutput, 'gradOutput')
      if not gradOutput:isSameSizeAs(input) or gradOutput._dtype ~= input._dtype then
         nn.utils.moduleError(self, string.format('gradOutput is a %s of size %s, expected a %s of the size of the input %s',
            torch.typename(gradOutput), nn.utils.shapeStr(gradOutput), torch.typename(input), nn.utils.shapeStr(input)))
      end
   end
end

local function buffers(self, input)
   for _, k in ipairs { 'output', 'gradInput', 'norm', 'normp' } do
      if not self[k] or torch.type(self[k]) ~= torch.type(input) then self[k] = input.new() end
   end
end

function Normalize:updateOutput(input)
   check(self, input)
   buffers(self, input)
   THNN.check(self, C.nl_normalize_forward(self.output, self.norm, self.normp, input, self.p, self.eps))
   return self.output
end

function Normalize:updateGradInput(input, gradOutput)
   check(self, input, gradOutput)
   buffers(self, input)
   THNN.check(self, C.nl_normalize_backward(self.gradInput, gradOutput, input, self.norm, self.normp, self.p, self.eps))
   return self.gradInput
end

function Normalize:__tostring__()
   local s = self.p % 1 == 0 and '%s(%d)' or '%s(%f)'
   if self.p == math.huge then return torch.type(self) .. '(inf)' end
   return string.format(s, torch.type(self), self.p)
end

function Normalize:clearState()
   nn.utils.clear(self, { 'norm', 'normp' })
   return parent.clearState(self)
end

-- nn.Replicate(nFeatures [, dim = 1 [, nDims]]): nFeatures copies of the
-- input along a new dimension dim, as a stride-0 view; the gradient sums.
local torch = require 'torch'
local nn = require 'nn'

local Replicate, parent = torch.class('nn.Replicate', 'nn.Module')

function Replicate:__init(nf, dim, ndim)
   parent.__init(self)
   self.nfeatures = nf
   self.dim = dim or 1
   self.ndim = ndim
   if self.dim < 1 then torch._core.raise('nn.Replicate: cannot replicate along a dimension below 1') end
end

function Replicate:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local rdim = self.dim
   if self.ndim and input:dim() == self.ndim + 1 then rdim = rdim + 1 end
   if rdim > input:dim() + 1 then nn.utils.moduleError(self, 'not enough input dimensions to replicate along dimension ' .. rdim) end
   local sz, st = {}, {}
   local k = 1
   for i = 1, input:dim() + 1 do
      if i == rdim then
         sz[i], st[i] = self.nfeatures, 0
      else
         sz[i], st[i] = input:size(k), input:stride(k)
         k = k + 1
      end
   end
   self.output = input.new():set(input:storage(), input:storageOffset(), torch.LongStorage(sz), torch.LongStorage(st))
   return self.output
end

function Replicate:updateGradInput(input, gradOutput)
   local rdim = self.dim
   if self.ndim and input:dim() == self.ndim + 1 then rdim = rdim + 1 end
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input):copy(gradOutput:sum(rdim):viewAs(input))
   return self.gradInput
end

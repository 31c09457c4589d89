-- nn.SpatialAdaptiveMaxPooling(W, H): max pooling to a fixed W x H output
-- whatever the input size (cell i covers rows floor(i*iH/H) to
-- ceil((i+1)*iH/H)). Kernels in runtime/nn/pooling.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local M, parent = torch.class('nn.SpatialAdaptiveMaxPooling', 'nn.Module')

function M:__init(W, H)
   parent.__init(self)
   if type(W) ~= 'number' or type(H) ~= 'number' or W < 1 or H < 1 then
      torch._core.raise('nn.SpatialAdaptiveMaxPooling: expected positive output sizes W, H')
   end
   self.W, self.H = W, H
   self.indices = torch.LongTensor()
end

function M:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   -- :float()/:type() convert every tensor field, and Torch7 saved the
   -- indices in the module's type: the kernel wants a LongTensor
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   THNN.check(self, C.nl_spatial_adaptive_pool_forward(self.output, self.indices, input, self.W, self.H))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_max_pool_backward(self.gradInput, input, gradOutput, self.indices))
   return self.gradInput
end

function M:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end


-- nn.TemporalMaxPooling(kW, [dW]): max over windows of kW frames (stride
-- dW, default kW) of nInputFrame x frameSize (or N x nInputFrame x
-- frameSize) inputs, per feature; indices keep the frame of each maximum
-- for backward (runtime/nn/conv_temporal.c).
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local TemporalMaxPooling, parent = torch.class('nn.TemporalMaxPooling', 'nn.Module')

function TemporalMaxPooling:__init(kW, dW)
   parent.__init(self)
   if type(kW) ~= 'number' or kW < 1 or (dW ~= nil and (type(dW) ~= 'number' or dW < 1)) then
      torch._core.raise(string.format('nn.TemporalMaxPooling: expected positive kW and dW, got %s and %s',
         tostring(kW), tostring(dW)))
   end
   self.kW = kW
   self.dW = dW or kW
   self.indices = torch.LongTensor()
end

function TemporalMaxPooling:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   -- the indices on the input's device (after :cuda(), a CudaTensor of indices)
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   THNN.check(self, C.nl_temporal_max_pool_forward(self.output, self.indices, input, self.kW, self.dW))
   return self.output
end

function TemporalMaxPooling:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_temporal_max_pool_backward(self.gradInput, input, gradOutput, self.indices, self.kW, self.dW))
   return self.gradInput
end

function TemporalMaxPooling:empty()
   self:clearState()
end

function TemporalMaxPooling:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

-- nn.SpatialMaxPooling(kW, kH, [dW], [dH], [padW], [padH]), with :ceil()
-- and :floor(); kernels in runtime/nn/pooling.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SpatialMaxPooling, parent = torch.class('nn.SpatialMaxPooling', 'nn.Module')

function SpatialMaxPooling:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   if type(kW) ~= 'number' or type(kH) ~= 'number' then
      torch._core.raise('nn.SpatialMaxPooling: expected kW and kH')
   end
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or kW, dH or kH
   self.padW, self.padH = padW or 0, padH or 0
   self.ceil_mode = false
   self.indices = torch.LongTensor()
end

function SpatialMaxPooling:ceil() self.ceil_mode = true return self end
function SpatialMaxPooling:floor() self.ceil_mode = false return self end

function SpatialMaxPooling:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   -- the input size, for SpatialMaxUnpooling
   self.iheight, self.iwidth = input:size(input:dim() - 1), input:size(input:dim())
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   THNN.check(self, C.nl_spatial_max_pool_forward(self.output, self.indices, input, self.kW, self.kH, self.dW, self.dH,
      self.padW or 0, self.padH or 0, self.ceil_mode and 1 or 0))
   return self.output
end

function SpatialMaxPooling:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_max_pool_backward(self.gradInput, input, gradOutput, self.indices))
   return self.gradInput
end

function SpatialMaxPooling:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

function SpatialMaxPooling:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW, self.dH)
   if (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. ')'
end

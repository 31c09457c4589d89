-- nn.VolumetricMaxPooling(kT, kW, kH, [dT], [dW], [dH], [padT], [padW],
-- [padH]): max over kT x kH x kW windows of (N,)C x T x H x W volumes,
-- strides defaulting to the kernel, with :ceil() and :floor(); kernels in
-- runtime/nn/conv_volumetric.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local VolumetricMaxPooling, parent = torch.class('nn.VolumetricMaxPooling', 'nn.Module')

VolumetricMaxPooling.__version = 2

function VolumetricMaxPooling:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH)
   parent.__init(self)
   for i, v in ipairs { kT, kW, kH } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format('%s: expected positive kT, kW, kH, got argument %d = %s', torch.typename(self),
            i, tostring(v)))
      end
   end
   self.kT, self.kW, self.kH = kT, kW, kH
   self.dT, self.dW, self.dH = dT or kT, dW or kW, dH or kH
   self.padT, self.padW, self.padH = padT or 0, padW or 0, padH or 0
   self.ceil_mode = false
   self.indices = torch.LongTensor()
end

function VolumetricMaxPooling:ceil() self.ceil_mode = true return self end
function VolumetricMaxPooling:floor() self.ceil_mode = false return self end

function VolumetricMaxPooling:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   -- the indices on the input's device (after :cuda(), a CudaTensor of indices)
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   -- the input size, for VolumetricMaxUnpooling (Torch7's fields)
   local d = input:dim()
   self.itime, self.iheight, self.iwidth = input:size(d - 2), input:size(d - 1), input:size(d)
   THNN.check(self, C.nl_volumetric_max_pool_forward(self.output, self.indices, input, self.kT, self.kW, self.kH,
      self.dT, self.dW, self.dH, self.padT or 0, self.padW or 0, self.padH or 0, self.ceil_mode and 1 or 0))
   return self.output
end

function VolumetricMaxPooling:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_volumetric_max_pool_backward(self.gradInput, input, gradOutput, self.indices))
   return self.gradInput
end

function VolumetricMaxPooling:empty()
   self:clearState()
end

function VolumetricMaxPooling:clearState()
   if self.indices then self.indices:set() end
   return parent.clearState(self)
end

function VolumetricMaxPooling:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW, self.kH, self.dT, self.dW,
      self.dH)
   if (self.padT or 0) ~= 0 or (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end

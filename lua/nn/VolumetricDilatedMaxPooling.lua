-- nn.VolumetricDilatedMaxPooling(kT, kW, kH, [dT], [dW], [dH], [padT],
-- [padW], [padH], [dilationT], [dilationW], [dilationH]):
-- VolumetricMaxPooling whose window taps are dilation cells apart.
-- Forward in runtime/nn/pool_window.c; backward VolumetricMaxPooling's.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN
require 'nn.VolumetricMaxPooling'

local VDMP, parent = torch.class('nn.VolumetricDilatedMaxPooling', 'nn.VolumetricMaxPooling')

function VDMP:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH, dilationT, dilationW, dilationH)
   parent.__init(self, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   self.dilationT = dilationT or 1
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function VDMP:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   local d = input:dim()
   if d >= 3 then self.itime, self.iheight, self.iwidth = input:size(d - 2), input:size(d - 1), input:size(d) end
   -- the indices on the input's device (after :cuda(), a CudaTensor of indices)
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   THNN.check(self, C.nl_volumetric_dilated_max_pool_forward(self.output, self.indices, input, self.kT, self.kW,
      self.kH, self.dT, self.dW, self.dH, self.padT or 0, self.padW or 0, self.padH or 0, self.dilationT,
      self.dilationW, self.dilationH, self.ceil_mode and 1 or 0))
   return self.output
end

function VDMP:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW, self.kH, self.dT, self.dW,
      self.dH)
   if (self.padT or 0) ~= 0 or (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   return s .. ', ' .. self.dilationT .. ',' .. self.dilationW .. ',' .. self.dilationH .. ')'
end

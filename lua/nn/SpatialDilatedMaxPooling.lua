-- nn.SpatialDilatedMaxPooling(kW, kH, [dW], [dH], [padW], [padH],
-- [dilationW], [dilationH]): SpatialMaxPooling whose window taps are
-- dilation pixels apart; :ceil() and :floor() as SpatialMaxPooling.
-- Forward in runtime/nn/pool_window.c; backward SpatialMaxPooling's.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN
require 'nn.SpatialMaxPooling'

local SDMP, parent = torch.class('nn.SpatialDilatedMaxPooling', 'nn.SpatialMaxPooling')

function SDMP:__init(kW, kH, dW, dH, padW, padH, dilationW, dilationH)
   parent.__init(self, kW, kH, dW, dH, padW, padH)
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

function SDMP:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   self.iheight, self.iwidth = input:size(input:dim() - 1), input:size(input:dim())
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   THNN.check(self, C.nl_spatial_dilated_max_pool_forward(self.output, self.indices, input, self.kW, self.kH, self.dW,
      self.dH, self.padW or 0, self.padH or 0, self.dilationW, self.dilationH, self.ceil_mode and 1 or 0))
   return self.output
end

function SDMP:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW, self.dH)
   if (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. ', ' .. self.dilationW .. ',' .. self.dilationH .. ')'
end

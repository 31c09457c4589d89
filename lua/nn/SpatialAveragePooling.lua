-- nn.SpatialAveragePooling(kW, kH, [dW], [dH], [padW], [padH]): padding
-- counts in the divisor unless :setCountExcludePad(); :ceil()/:floor().
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SpatialAveragePooling, parent = torch.class('nn.SpatialAveragePooling', 'nn.Module')

function SpatialAveragePooling:__init(kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   if type(kW) ~= 'number' or type(kH) ~= 'number' then
      torch._core.raise('nn.SpatialAveragePooling: expected kW and kH')
   end
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW, self.padH = padW or 0, padH or 0
   self.ceil_mode = false
   self.count_include_pad = true
   self.divide = true
end

function SpatialAveragePooling:ceil() self.ceil_mode = true return self end
function SpatialAveragePooling:floor() self.ceil_mode = false return self end
function SpatialAveragePooling:setCountIncludePad() self.count_include_pad = true return self end
function SpatialAveragePooling:setCountExcludePad() self.count_include_pad = false return self end

function SpatialAveragePooling:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_spatial_avg_pool_forward(self.output, input, self.kW, self.kH, self.dW, self.dH, self.padW or 0,
      self.padH or 0, self.ceil_mode and 1 or 0, self.count_include_pad == false and 0 or 1))
   if self.divide == false then self.output:mul(self.kW * self.kH) end
   return self.output
end

function SpatialAveragePooling:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_avg_pool_backward(self.gradInput, input, gradOutput, self.kW, self.kH, self.dW, self.dH,
      self.padW or 0, self.padH or 0, self.ceil_mode and 1 or 0, self.count_include_pad == false and 0 or 1))
   if self.divide == false then self.gradInput:mul(self.kW * self.kH) end
   return self.gradInput
end

function SpatialAveragePooling:__tostring__()
   local s = string.format('%s(%dx%d, %d,%d', torch.type(self), self.kW, self.kH, self.dW, self.dH)
   if (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. ')'
end

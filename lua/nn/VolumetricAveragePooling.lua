-- nn.VolumetricAveragePooling(kT, kW, kH, [dT], [dW], [dH], [padT],
-- [padW], [padH]): mean over kT x kH x kW windows of (N,)C x T x H x W
-- volumes, strides defaulting to the kernel; padding counts in the
-- divisor unless :setCountExcludePad(); :ceil()/:floor(). Kernels in
-- runtime/nn/conv_volumetric.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local VolumetricAveragePooling, parent = torch.class('nn.VolumetricAveragePooling', 'nn.Module')

function VolumetricAveragePooling:__init(kT, kW, kH, dT, dW, dH, padT, padW, padH)
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
   self.count_include_pad = true
end

function VolumetricAveragePooling:ceil() self.ceil_mode = true return self end
function VolumetricAveragePooling:floor() self.ceil_mode = false return self end
function VolumetricAveragePooling:setCountIncludePad() self.count_include_pad = true return self end
function VolumetricAveragePooling:setCountExcludePad() self.count_include_pad = false return self end

local function geom(self)
   return self.kT, self.kW, self.kH, self.dT, self.dW, self.dH, self.padT or 0, self.padW or 0, self.padH or 0,
      self.ceil_mode and 1 or 0, self.count_include_pad == false and 0 or 1
end

function VolumetricAveragePooling:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_volumetric_avg_pool_forward(self.output, input, geom(self)))
   return self.output
end

function VolumetricAveragePooling:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_volumetric_avg_pool_backward(self.gradInput, input, gradOutput, geom(self)))
   return self.gradInput
end

function VolumetricAveragePooling:empty()
   return parent.clearState(self)
end

function VolumetricAveragePooling:__tostring__()
   local s = string.format('%s(%dx%dx%d, %d,%d,%d', torch.type(self), self.kT, self.kW, self.kH, self.dT, self.dW,
      self.dH)
   if (self.padT or 0) ~= 0 or (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then
      s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH
   end
   return s .. ')'
end

-- nn.VolumetricDilatedConvolution(nInputPlane, nOutputPlane, kT, kW, kH,
-- [dT], [dW], [dH], [padT], [padW], [padH], [dilationT], [dilationW],
-- [dilationH]): VolumetricConvolution whose kernel taps are dilation
-- cells apart (the same vol2col + GEMM driver, runtime/nn/conv_volumetric.c).
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN
require 'nn.VolumetricConvolution'

local VDC, parent = torch.class('nn.VolumetricDilatedConvolution', 'nn.VolumetricConvolution')

function VDC:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH, dilationT, dilationW,
                    dilationH)
   parent.__init(self, nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   self.dilationT = dilationT or 1
   self.dilationW = dilationW or 1
   self.dilationH = dilationH or 1
end

local function check(self, input)
   nn.utils.checkInputType(self, input)
   local d = input:dim()
   if d ~= 4 and d ~= 5 then
      nn.utils.moduleError(self, string.format('expected a 4D (%d x T x H x W) or 5D (N x %d x T x H x W) input, got %s',
         self.nInputPlane, self.nInputPlane, nn.utils.shapeStr(input)))
   end
   if not self.finput or self.finput._dtype ~= input._dtype then self.finput = input.new() end
   if not self.fgradInput or self.fgradInput._dtype ~= input._dtype then self.fgradInput = input.new() end
end

local function geom(self)
   return self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH, self.dT, self.dW, self.dH,
      self.padT or 0, self.padW or 0, self.padH or 0, self.dilationT, self.dilationW, self.dilationH
end

function VDC:updateOutput(input)
   check(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_volumetric_dilated_conv_forward(self.output, self.finput, input, self.weight:contiguous(),
      self.bias, geom(self)))
   return self.output
end

function VDC:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_volumetric_dilated_conv_backward(self.gradInput, self.finput, input, gradOutput,
      self.weight:contiguous(), geom(self)))
   return self.gradInput
end

function VDC:accGradParameters(input, gradOutput, scale)
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, lT, lW, lH = geom(self)
   THNN.check(self, C.nl_volumetric_dilated_conv_acc_grad(self.gradWeight, self.gradBias, self.finput, self.fgradInput,
      input, gradOutput, a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, lT, lW, lH, scale or 1))
end

function VDC:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.kT,
      self.kW, self.kH)
   local padded = self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0
   if self.dT ~= 1 or self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d,%d', self.dT, self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH end
   s = s .. ', ' .. self.dilationT .. ',' .. self.dilationW .. ',' .. self.dilationH
   if self.bias then return s .. ')' end
   return s .. ') without bias'
end

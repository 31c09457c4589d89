-- nn.VolumetricConvolution(nInputPlane, nOutputPlane, kT, kW, kH, [dT],
-- [dW], [dH], [padT], [padW], [padH]): 3D convolution of (N,)nInputPlane x
-- T x H x W volumes by vol2col + GEMM (runtime/nn/conv_volumetric.c);
-- weight nOutputPlane x nInputPlane x kT x kH x kW.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local VolumetricConvolution, parent = torch.class('nn.VolumetricConvolution', 'nn.Module')

function VolumetricConvolution:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
   parent.__init(self)
   for i, v in ipairs { nInputPlane, nOutputPlane, kT, kW, kH } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format(
            'nn.VolumetricConvolution: expected positive nInputPlane, nOutputPlane, kT, kW, kH, got argument %d = %s',
            i, tostring(v)))
      end
   end
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kT, self.kW, self.kH = kT, kW, kH
   self.dT, self.dW, self.dH = dT or 1, dW or 1, dH or 1
   -- Torch7: each padding defaults to the one before it
   self.padT = padT or 0
   self.padW = padW or self.padT
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
   self.gradBias = torch.Tensor(nOutputPlane)
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   self:reset()
end

function VolumetricConvolution:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

-- uniform in +-1/sqrt(kT*kW*kH*nInputPlane), weight then bias (Torch7)
function VolumetricConvolution:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kT * self.kW * self.kH * self.nInputPlane) end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

-- finput: per-thread column matrices; fgradInput: per-thread weight
-- gradient sums
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
      self.padT or 0, self.padW or 0, self.padH or 0
end

function VolumetricConvolution:updateOutput(input)
   check(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_volumetric_conv_forward(self.output, self.finput, input, self.weight:contiguous(), self.bias,
      geom(self)))
   return self.output
end

function VolumetricConvolution:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_volumetric_conv_backward(self.gradInput, self.finput, input, gradOutput,
      self.weight:contiguous(), geom(self)))
   return self.gradInput
end

function VolumetricConvolution:accGradParameters(input, gradOutput, scale)
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH = geom(self)
   THNN.check(self, C.nl_volumetric_conv_acc_grad(self.gradWeight, self.gradBias, self.finput, self.fgradInput, input,
      gradOutput, a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, scale or 1))
end

function VolumetricConvolution:type(type, tensorCache)
   if self.finput then self.finput:set() end
   if self.fgradInput then self.fgradInput:set() end
   return parent.type(self, type, tensorCache)
end

function VolumetricConvolution:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

function VolumetricConvolution:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.kT,
      self.kW, self.kH)
   local padded = (self.padT or 0) ~= 0 or (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0
   if self.dT ~= 1 or self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d,%d', self.dT, self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH end
   return s .. ')'
end

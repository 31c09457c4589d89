-- nn.SpatialConvolutionLocal(nInputPlane, nOutputPlane, iW, iH, kW, kH,
-- [dW], [dH], [padW], [padH]): a 2D convolution of iH x iW images whose
-- filters are not shared across locations: weight oH x oW x nOutputPlane
-- x nInputPlane x kH x kW, bias nOutputPlane x oH x oW
-- (runtime/nn/conv_local.c).
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SpatialConvolutionLocal, parent = torch.class('nn.SpatialConvolutionLocal', 'nn.Module')

function SpatialConvolutionLocal:__init(nInputPlane, nOutputPlane, iW, iH, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   for i, v in ipairs { nInputPlane, nOutputPlane, iW, iH, kW, kH } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format(
            'nn.SpatialConvolutionLocal: expected positive nInputPlane, nOutputPlane, iW, iH, kW, kH, got argument %d = %s',
            i, tostring(v)))
      end
   end
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH, self.iW, self.iH = kW, kH, iW, iH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.oW = math.floor((self.padW * 2 + iW - self.kW) / self.dW) + 1
   self.oH = math.floor((self.padH * 2 + iH - self.kH) / self.dH) + 1
   if self.oW < 1 or self.oH < 1 then
      torch._core.raise(string.format('nn.SpatialConvolutionLocal: illegal configuration: the %dx%d kernel gives an '
         .. 'output of %dx%d from the %dx%d input', kH, kW, self.oH, self.oW, iH, iW))
   end
   self.weight = torch.Tensor(self.oH, self.oW, nOutputPlane, nInputPlane, kH, kW)
   self.bias = torch.Tensor(nOutputPlane, self.oH, self.oW)
   self.gradWeight = torch.Tensor():resizeAs(self.weight)
   self.gradBias = torch.Tensor():resizeAs(self.bias)
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   self:reset()
end

-- uniform in +-1/sqrt(kW*kH*nInputPlane), weight then bias (Torch7)
function SpatialConvolutionLocal:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW * self.kH * self.nInputPlane) end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
   return self
end

-- finput: per-thread patch matrices
local function check(self, input)
   nn.utils.checkInputType(self, input)
   if not self.finput or torch.type(self.finput) ~= torch.type(input) then self.finput = input.new() end
end

local function geom(self)
   return self.nInputPlane, self.nOutputPlane, self.iW, self.iH, self.kW, self.kH, self.dW, self.dH, self.padW or 0,
      self.padH or 0
end

function SpatialConvolutionLocal:updateOutput(input)
   check(self, input)
   if torch.type(self.output) ~= torch.type(input) then self.output = input.new() end
   THNN.check(self, C.nl_spatial_conv_local_forward(self.output, self.finput, input, self.weight:contiguous(),
      self.bias and self.bias:contiguous(), geom(self)))
   return self.output
end

function SpatialConvolutionLocal:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_conv_local_backward(self.gradInput, self.finput, input, gradOutput,
      self.weight:contiguous(), geom(self)))
   return self.gradInput
end

function SpatialConvolutionLocal:accGradParameters(input, gradOutput, scale)
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local a, b, iW, iH, kW, kH, dW, dH, pW, pH = geom(self)
   THNN.check(self, C.nl_spatial_conv_local_acc_grad(self.gradWeight, self.gradBias, self.finput, input, gradOutput,
      a, b, iW, iH, kW, kH, dW, dH, pW, pH, scale or 1))
end

function SpatialConvolutionLocal:type(type, tensorCache)
   if self.finput then self.finput:set() end
   if self.fgradInput then self.fgradInput:set() end
   return parent.type(self, type, tensorCache)
end

function SpatialConvolutionLocal:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

function SpatialConvolutionLocal:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d, %dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.iW,
      self.iH, self.kW, self.kH)
   local padded = (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0
   if self.dW ~= 1 or self.dH ~= 1 or padded then s = s .. string.format(', %d,%d', self.dW, self.dH) end
   if padded then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   return s .. ')'
end

-- nn.VolumetricFullConvolution(nInputPlane, nOutputPlane, kT, kW, kH, [dT],
-- [dW], [dH], [padT], [padW], [padH], [adjT], [adjW], [adjH]): the
-- transposed 3D convolution: output (N, nOutputPlane, (T-1)*dT - 2*padT +
-- kT + adjT, ...); weight nInputPlane x nOutputPlane x kT x kH x kW. The
-- input may be {input, target}: the adjustments then make the output the
-- target's size (Torch7). Kernels in runtime/nn/conv_volumetric.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local VFC, parent = torch.class('nn.VolumetricFullConvolution', 'nn.Module')

function VFC:__init(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH, adjT, adjW, adjH)
   parent.__init(self)
   for i, v in ipairs { nInputPlane, nOutputPlane, kT, kW, kH } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format(
            'nn.VolumetricFullConvolution: expected positive nInputPlane, nOutputPlane, kT, kW, kH, got argument %d = %s',
            i, tostring(v)))
      end
   end
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kT, self.kW, self.kH = kT, kW, kH
   self.dT, self.dW, self.dH = dT or 1, dW or 1, dH or 1
   self.padT, self.padW, self.padH = padT or 0, padW or 0, padH or 0
   self.adjT, self.adjW, self.adjH = adjT or 0, adjW or 0, adjH or 0
   if self.adjW > self.dW - 1 or self.adjH > self.dH - 1 or self.adjT > self.dT - 1 then
      torch._core.raise(string.format('nn.VolumetricFullConvolution: adjT, adjW and adjH must be smaller than dT, dW '
         .. 'and dH (%d, %d, %d), got %d, %d, %d', self.dT, self.dW, self.dH, self.adjT, self.adjW, self.adjH))
   end
   self.weight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.gradWeight = torch.Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
   self.bias = torch.Tensor(nOutputPlane)
   self.gradBias = torch.Tensor(nOutputPlane)
   self.ones = torch.Tensor()
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   self:reset()
end

function VFC:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW * self.kH * self.kT * self.nInputPlane) end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

function VFC:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

-- models saved by old Torch7 versions: (nOut, nIn, ...) weights, pT/pW/pH
function VFC:_compat()
   if not self.adjW then self.weight = self.weight:transpose(1, 2):contiguous() end
   self.padW, self.padH, self.padT = self.padW or self.pW or 0, self.padH or self.pH or 0, self.padT or self.pT or 0
   self.adjW, self.adjH, self.adjT = self.adjW or 0, self.adjH or 0, self.adjT or 0
end

-- the input tensor and the adjustments: {input, target} sets them so that
-- the output has the target's last three sizes
function VFC:_args(input)
   self:_compat()
   local x, aT, aW, aH = input, self.adjT, self.adjW, self.adjH
   if torch.type(input) == 'table' then
      x = input[1]
      local t = input[2]
      if not torch.isTensor(x) or not torch.isTensor(t) or t:dim() < 3 then
         nn.utils.moduleError(self, 'expected an input tensor or a table {input, target} of tensors')
      end
      local d = t:dim()
      aT = (t:size(d - 2) + 2 * self.padT - self.kT) % self.dT
      aH = (t:size(d - 1) + 2 * self.padH - self.kH) % self.dH
      aW = (t:size(d) + 2 * self.padW - self.kW) % self.dW
   end
   nn.utils.checkInputType(self, x)
   local d = x:dim()
   if d ~= 4 and d ~= 5 then
      nn.utils.moduleError(self, string.format('expected a 4D (%d x T x H x W) or 5D (N x %d x T x H x W) input, got %s',
         self.nInputPlane, self.nInputPlane, nn.utils.shapeStr(x)))
   end
   if not self.finput or self.finput._dtype ~= x._dtype then self.finput = x.new() end
   if not self.fgradInput or self.fgradInput._dtype ~= x._dtype then self.fgradInput = x.new() end
   return x, self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH, self.dT, self.dW, self.dH, self.padT,
      self.padW, self.padH, aT, aW, aH
end

function VFC:updateOutput(input)
   local x, a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH = self:_args(input)
   if self.output._dtype ~= x._dtype then self.output = x.new() end
   THNN.check(self, C.nl_volumetric_full_conv_forward(self.output, self.finput, x, self.weight:contiguous(), self.bias,
      a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH))
   return self.output
end

function VFC:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local x, a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH = self:_args(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local gi = torch.type(self.gradInput) == 'table' and self.gradInput[1] or self.gradInput
   if not torch.isTensor(gi) or gi._dtype ~= x._dtype then gi = x.new() end
   THNN.check(self, C.nl_volumetric_full_conv_backward(gi, self.finput, x, gradOutput, self.weight:contiguous(),
      a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH))
   if torch.type(input) == 'table' then
      -- the target gets a zero gradient: one zero expanded to its size
      self.zeroScalar = self.zeroScalar or input[2].new(1):zero()
      local ones = {}
      for i = 1, input[2]:dim() do ones[i] = 1 end
      self.gradInput = { gi, self.zeroScalar:view(table.unpack(ones)):expandAs(input[2]) }
   else
      self.gradInput = gi
   end
   return self.gradInput
end

function VFC:accGradParameters(input, gradOutput, scale)
   local x, a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH = self:_args(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   THNN.check(self, C.nl_volumetric_full_conv_acc_grad(self.gradWeight, self.gradBias, self.finput, self.fgradInput, x,
      gradOutput, a, b, kT, kW, kH, dT, dW, dH, pT, pW, pH, aT, aW, aH, scale or 1))
end

function VFC:type(type, tensorCache)
   self.finput = torch.Tensor()
   self.fgradInput = torch.Tensor()
   return parent.type(self, type, tensorCache)
end

function VFC:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
   return parent.clearState(self)
end

function VFC:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.kT,
      self.kW, self.kH)
   local padded = self.padT ~= 0 or self.padW ~= 0 or self.padH ~= 0
   if self.dT ~= 1 or self.dW ~= 1 or self.dH ~= 1 or padded then
      s = s .. string.format(', %d,%d,%d', self.dT, self.dW, self.dH)
   end
   if padded then s = s .. ', ' .. self.padT .. ',' .. self.padW .. ',' .. self.padH end
   if self.adjT ~= 0 or self.adjW ~= 0 or self.adjH ~= 0 then
      s = s .. ', ' .. self.adjT .. ',' .. self.adjW .. ',' .. self.adjH
   end
   return s .. ')'
end

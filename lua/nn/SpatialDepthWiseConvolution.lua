-- nn.SpatialDepthWiseConvolution(nInputPlane, nOutputPlane, kW, kH, [dW],
-- [dH], [padW], [padH]): each input plane convolved with its own
-- nOutputPlane kernels (a depth multiplier); output planes
-- nInputPlane*nOutputPlane, plane (i-1)*nOutputPlane + o from input i
-- and kernel o. weight nOutputPlane x (nInputPlane*kH*kW), bias
-- nOutputPlane x nInputPlane. A grouped convolution of the one driver
-- (nInputPlane groups; runtime/nn/conv_spatial.c).
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SDW, parent = torch.class('nn.SpatialDepthWiseConvolution', 'nn.Module')

function SDW:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   for i, v in ipairs { nInputPlane, nOutputPlane, kW, kH } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format(
            'nn.SpatialDepthWiseConvolution: expected positive nInputPlane, nOutputPlane, kW, kH, got argument %d = %s',
            i, tostring(v)))
      end
   end
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self.weight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.bias = torch.Tensor(nOutputPlane, nInputPlane)
   self.gradWeight = torch.Tensor(nOutputPlane, nInputPlane * kH * kW)
   self.gradBias = torch.Tensor(nOutputPlane, nInputPlane)
   self:reset()
end

function SDW:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

function SDW:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW * self.kH * self.nInputPlane) end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

function SDW:_check(input)
   nn.utils.checkInputType(self, input)
   local d = input:dim()
   if d ~= 3 and d ~= 4 then
      nn.utils.moduleError(self, string.format('expected a 3D (%d x H x W) or 4D (N x %d x H x W) input, got %s',
         self.nInputPlane, self.nInputPlane, nn.utils.shapeStr(input)))
   end
   if input:size(d - 2) ~= self.nInputPlane then
      nn.utils.moduleError(self, string.format('input has %d planes, expected %d', input:size(d - 2), self.nInputPlane))
   end
   if self.padding then
      self.padW, self.padH, self.padding = self.padding, self.padding, nil
   end
   for _, f in ipairs { 'finput', 'fgradInput', '_w', '_b', '_gw', '_gb' } do
      if not self[f] or self[f]._dtype ~= input._dtype then self[f] = input.new() end
   end
end

-- the weight and bias in the grouped convolution's layout: output plane
-- (i-1)*nOut + o is kernel o of input plane i
function SDW:_grouped()
   local nIn, nOut, kk = self.nInputPlane, self.nOutputPlane, self.kH * self.kW
   self._w:resize(nIn * nOut, 1, self.kH, self.kW)
   self._w:view(nIn, nOut, kk):copy(self.weight:view(nOut, nIn, kk):transpose(1, 2))
   local b = nil
   if self.bias then b = self._b:resize(nIn * nOut):copy(self.bias:t()) end
   return self._w, b
end

local function geom(self)
   local n = self.nInputPlane
   return n, n * self.nOutputPlane, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, n
end

-- Torch7 leaves the weight 4D (nOut x nIn x kH x kW) after a forward and
-- the weight gradient after accGradParameters; the data stay in place
local function as4d(self, t)
   local n = self.nOutputPlane * self.nInputPlane * self.kH * self.kW
   if t and t:dim() ~= 4 and t:isContiguous() and t:nElement() == n then
      t:resize(self.nOutputPlane, self.nInputPlane, self.kH, self.kW)
   end
end

function SDW:updateOutput(input)
   self:_check(input)
   as4d(self, self.weight)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   local w, b = self:_grouped()
   THNN.check(self, C.nl_spatial_grouped_conv_forward(self.output, self.finput, input, w, b, geom(self)))
   return self.output
end

function SDW:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   local w = self:_grouped()
   THNN.check(self, C.nl_spatial_grouped_conv_backward(self.gradInput, self.finput, input, gradOutput, w, geom(self)))
   return self.gradInput
end

-- the gradients in the grouped layout, then added in Torch7's
function SDW:accGradParameters(input, gradOutput, scale)
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local nIn, nOut, kk = self.nInputPlane, self.nOutputPlane, self.kH * self.kW
   as4d(self, self.gradWeight)
   self._gw:resize(nIn * nOut, 1, self.kH, self.kW):zero()
   local gb = nil
   if self.gradBias then gb = self._gb:resize(nIn * nOut):zero() end
   local a, b, kW, kH, dW, dH, pW, pH, G = geom(self)
   THNN.check(self, C.nl_spatial_grouped_conv_acc_grad(self._gw, gb, self.finput, self.fgradInput, input, gradOutput,
      a, b, kW, kH, dW, dH, pW, pH, G, scale or 1))
   self.gradWeight:view(nOut, nIn, kk):add(self._gw:view(nIn, nOut, kk):transpose(1, 2))
   if gb then self.gradBias:add(gb:view(nIn, nOut):t()) end
end

function SDW:type(type, tensorCache)
   nn.utils.clear(self, 'finput', 'fgradInput', '_w', '_b', '_gw', '_gb')
   return parent.type(self, type, tensorCache)
end

function SDW:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_w', '_b', '_gw', '_gb', '_input', '_gradOutput')
   return parent.clearState(self)
end

function SDW:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or self.padW ~= 0 or self.padH ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if self.padW ~= 0 or self.padH ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   if self.bias then return s .. ')' end
   return s .. ') without bias'
end

-- nn.SpatialConvolution(nInputPlane, nOutputPlane, kW, kH, [dW], [dH],
-- [padW], [padH]): 2D convolution of (N,)nInputPlane x H x W images by
-- im2col + GEMM (runtime/nn/conv_spatial.c); weight nOut x nIn x kH x kW.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SpatialConvolution, parent = torch.class('nn.SpatialConvolution', 'nn.Module')

function SpatialConvolution:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
   parent.__init(self)
   for i, v in ipairs { nInputPlane, nOutputPlane, kW, kH } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format('%s: expected positive nInputPlane, nOutputPlane, kW, kH, got argument %d = %s',
            torch.typename(self), i, tostring(v)))
      end
   end
   self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.padW = padW or 0
   self.padH = padH or self.padW
   self:_makeParameters()
   self:reset()
end

function SpatialConvolution:_makeParameters()
   self.weight = torch.Tensor(self.nOutputPlane, self.nInputPlane, self.kH, self.kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.nOutputPlane, self.nInputPlane, self.kH, self.kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

function SpatialConvolution:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

function SpatialConvolution:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW * self.kH * self.nInputPlane) end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

-- finput: per-thread column matrices; fgradInput: per-thread weight
-- gradient sums (the names Torch7 gives its buffers)
function SpatialConvolution:_buffers(input)
   if not self.finput or self.finput._dtype ~= input._dtype then self.finput = input.new() end
   if not self.fgradInput or self.fgradInput._dtype ~= input._dtype then self.fgradInput = input.new() end
end

function SpatialConvolution:_check(input)
   nn.utils.checkInputType(self, input)
   local d = input:dim()
   if d ~= 3 and d ~= 4 then
      nn.utils.moduleError(self, string.format('expected a 3D (%d x H x W) or 4D (N x %d x H x W) input, got %s',
         self.nInputPlane, self.nInputPlane, nn.utils.shapeStr(input)))
   end
   local planes = input:size(d - 2)
   if planes ~= self.nInputPlane then
      nn.utils.moduleError(self, string.format('input has %d planes, expected %d', planes, self.nInputPlane))
   end
   self:_buffers(input)
end

-- the window's numbers after kW, kH (dilation or adjustment)
function SpatialConvolution:_extra() return 1, 1 end

local function geom(self)
   self.padW, self.padH = self.padW or self.padding or 0, self.padH or self.padding or 0
   local e1, e2 = self:_extra()
   return self.nInputPlane, self.nOutputPlane, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, e1, e2
end

-- the kernels' names in the C namespace (SpatialFullConvolution has its own)
SpatialConvolution._kernels = { 'nl_spatial_conv_forward', 'nl_spatial_conv_backward', 'nl_spatial_conv_acc_grad' }

function SpatialConvolution:updateOutput(input)
   self:_check(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C[self._kernels[1]](self.output, self.finput, input, self.weight:contiguous(), self.bias, geom(self)))
   return self.output
end

function SpatialConvolution:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C[self._kernels[2]](self.gradInput, self.finput, input, gradOutput, self.weight:contiguous(), geom(self)))
   return self.gradInput
end

function SpatialConvolution:accGradParameters(input, gradOutput, scale)
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local n1, n2, kW, kH, dW, dH, pW, pH, e1, e2 = geom(self)
   THNN.check(self, C[self._kernels[3]](self.gradWeight, self.gradBias, self.finput, self.fgradInput, input, gradOutput,
      n1, n2, kW, kH, dW, dH, pW, pH, e1, e2, scale or 1))
end

function SpatialConvolution:clearState()
   if self.finput then self.finput:set() end
   if self.fgradInput then self.fgradInput:set() end
   return parent.clearState(self)
end

function SpatialConvolution:__tostring__()
   local s = string.format('%s(%d -> %d, %dx%d', torch.type(self), self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
   if self.dW ~= 1 or self.dH ~= 1 or (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then
      s = s .. string.format(', %d,%d', self.dW, self.dH)
   end
   if (self.padW or 0) ~= 0 or (self.padH or 0) ~= 0 then s = s .. ', ' .. self.padW .. ',' .. self.padH end
   if self.bias then return s .. ')' end
   return s .. ') without bias'
end

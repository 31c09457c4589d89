-- nn.SpatialConvolutionMap(connTable, kW, kH, [dW], [dH]): a 2D
-- convolution whose input-output plane pairs are the rows of connTable
-- (nn.tables.full/oneToOne/random); weight K x kH x kW (one kernel per
-- connection), bias nOutputPlane. Runs as a SpatialConvolution whose full
-- weight is zero off the table (runtime/nn/conv_spatial.c).
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN
require 'nn.tables'

local SCM, parent = torch.class('nn.SpatialConvolutionMap', 'nn.Module')

-- shared by SpatialFullConvolutionMap
function SCM._setup(self, name, conMatrix, kW, kH, dW, dH)
   if not torch.isTensor(conMatrix) or conMatrix:dim() ~= 2 or conMatrix:size(2) ~= 2 or conMatrix:size(1) < 1 then
      torch._core.raise(string.format('%s: expected a K x 2 connection table (nn.tables.full/oneToOne/random), got %s',
         name, torch.isTensor(conMatrix) and nn.utils.shapeStr(conMatrix) or torch.type(conMatrix)))
   end
   if type(kW) ~= 'number' or type(kH) ~= 'number' or kW < 1 or kH < 1 then
      torch._core.raise(string.format('%s: expected positive kW and kH, got %s, %s', name, tostring(kW), tostring(kH)))
   end
   if conMatrix:min() < 1 then torch._core.raise(name .. ': the connection table holds planes below 1') end
   self.kW, self.kH = kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   self.connTable = conMatrix
   self.nInputPlane = conMatrix:select(2, 1):max()
   self.nOutputPlane = conMatrix:select(2, 2):max()
   self.weight = torch.Tensor(conMatrix:size(1), kH, kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(conMatrix:size(1), kH, kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

function SCM:__init(conMatrix, kW, kH, dW, dH)
   parent.__init(self)
   SCM._setup(self, 'nn.SpatialConvolutionMap', conMatrix, kW, kH, dW, dH)
   self:reset()
end

-- stdv: uniform in +-stdv*sqrt(3); otherwise each kernel and bias in
-- +-1/sqrt(kW*kH*fan-in of its output plane)
function SCM:reset(stdv)
   if stdv then
      stdv = stdv * math.sqrt(3)
      self.weight:uniform(-stdv, stdv)
      self.bias:uniform(-stdv, stdv)
      return self
   end
   local fanin = torch.Tensor(self.nOutputPlane):zero()
   local K = self.connTable:size(1)
   for k = 1, K do
      local o = self.connTable[k][2]
      fanin[o] = fanin[o] + 1
   end
   for k = 1, K do
      local s = 1 / math.sqrt(self.kW * self.kH * fanin[self.connTable[k][2]])
      self.weight:select(1, k):uniform(-s, s)
   end
   for o = 1, self.nOutputPlane do
      self.bias[o] = torch.uniform(-1 / math.sqrt(self.kW * self.kH * fanin[o]), 1 / math.sqrt(self.kW * self.kH * fanin[o]))
   end
   return self
end

-- full layout (nOut, nIn, kH, kW) for a convolution, (nIn, nOut, kH, kW)
-- for the transposed one: the row of each connection in the flat
-- (planes x planes, kH*kW) view
function SCM:_rows()
   local K = self.connTable:size(1)
   local from = self.connTable:select(2, 1):long()
   local to = self.connTable:select(2, 2):long()
   if self._transposed then return (from - 1) * self.nOutputPlane + to, K end
   return (to - 1) * self.nInputPlane + from, K
end

-- the full weight, zero off the table (repeated connections add up)
function SCM:_fullWeight()
   local rows, K = self:_rows()
   local kk = self.kH * self.kW
   local a, b = self.nOutputPlane, self.nInputPlane
   if self._transposed then a, b = b, a end
   self._weightFull = self._weightFull and self._weightFull:typeAs(self.weight) or self.weight.new()
   self._weightFull:resize(a, b, self.kH, self.kW):zero()
   self._weightFull:view(a * b, kk):indexAdd(1, rows, self.weight:contiguous():view(K, kk))
   return self._weightFull
end

function SCM:_check(input)
   nn.utils.checkInputType(self, input)
   local d = input:dim()
   if d ~= 3 and d ~= 4 then
      nn.utils.moduleError(self, string.format('expected a 3D (%d x H x W) or 4D (N x %d x H x W) input, got %s',
         self.nInputPlane, self.nInputPlane, nn.utils.shapeStr(input)))
   end
   if input:size(d - 2) ~= self.nInputPlane then
      nn.utils.moduleError(self, string.format('input has %d planes, expected %d', input:size(d - 2), self.nInputPlane))
   end
   if not self.finput or self.finput._dtype ~= input._dtype then self.finput = input.new() end
   if not self.fgradInput or self.fgradInput._dtype ~= input._dtype then self.fgradInput = input.new() end
end

SCM._kernels = { 'nl_spatial_conv_forward', 'nl_spatial_conv_backward', 'nl_spatial_conv_acc_grad' }

local function geom(self)
   return self.nInputPlane, self.nOutputPlane, self.kW, self.kH, self.dW, self.dH, 0, 0, self._transposed and 0 or 1,
      self._transposed and 0 or 1
end

function SCM:updateOutput(input)
   self:_check(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C[self._kernels[1]](self.output, self.finput, input, self:_fullWeight(), self.bias, geom(self)))
   return self.output
end

function SCM:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C[self._kernels[2]](self.gradInput, self.finput, input, gradOutput, self:_fullWeight(), geom(self)))
   return self.gradInput
end

-- the full weight's gradient, then each connection's kernel of it
function SCM:accGradParameters(input, gradOutput, scale)
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local full = self:_fullWeight()
   self._gradWeightFull = self._gradWeightFull and self._gradWeightFull:typeAs(full) or full.new()
   self._gradWeightFull:resizeAs(full):zero()
   local a, b, kW, kH, dW, dH, pW, pH, e1, e2 = geom(self)
   THNN.check(self, C[self._kernels[3]](self._gradWeightFull, self.gradBias, self.finput, self.fgradInput, input,
      gradOutput, a, b, kW, kH, dW, dH, pW, pH, e1, e2, scale or 1))
   local rows, K = self:_rows()
   local kk = self.kH * self.kW
   self.gradWeight:view(K, kk):add(self._gradWeightFull:view(-1, kk):index(1, rows))
end

function SCM:decayParameters(decay)
   self.weight:add(-decay, self.weight)
   self.bias:add(-decay, self.bias)
end

function SCM:type(type, tensorCache)
   nn.utils.clear(self, 'finput', 'fgradInput', '_weightFull', '_gradWeightFull')
   return parent.type(self, type, tensorCache)
end

function SCM:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_weightFull', '_gradWeightFull')
   return parent.clearState(self)
end

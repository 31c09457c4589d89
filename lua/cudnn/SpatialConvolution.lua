-- cudnn.SpatialConvolution(nInputPlane, nOutputPlane, kW, kH, [dW], [dH],
-- [padW], [padH], [groups]): nn.SpatialConvolution with cudnn.torch's
-- groups (input and output planes in `groups` blocks, output block i from
-- input block i only). weight nOutputPlane x (nInputPlane/groups) x kH x
-- kW; groups > 1 runs the grouped convolution (nl_spatial_grouped_conv_*,
-- on the CPU and on CUDA).
local torch = require 'torch'
local nn = require 'nn'
local cudnn = require 'cudnn'
local C = torch._core.C
local THNN = nn.THNN

local SC, parent = torch.class('cudnn.SpatialConvolution', 'nn.SpatialConvolution', cudnn)

function SC:__init(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH, groups)
   groups = groups or 1
   if type(groups) ~= 'number' or groups < 1 or groups % 1 ~= 0 then
      torch._core.raise(string.format('cudnn.SpatialConvolution: groups must be a positive integer, got %s',
         tostring(groups)))
   end
   if type(nInputPlane) == 'number' and type(nOutputPlane) == 'number' and
      (nInputPlane % groups ~= 0 or nOutputPlane % groups ~= 0) then
      torch._core.raise(string.format('cudnn.SpatialConvolution: %d groups must divide the %d input and %d output planes',
         groups, nInputPlane, nOutputPlane))
   end
   self.groups = groups
   parent.__init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
end

function SC:_makeParameters()
   local g = self.groups or 1
   local nIn = self.nInputPlane / g
   self.weight = torch.Tensor(self.nOutputPlane, nIn, self.kH, self.kW)
   self.bias = torch.Tensor(self.nOutputPlane)
   self.gradWeight = torch.Tensor(self.nOutputPlane, nIn, self.kH, self.kW)
   self.gradBias = torch.Tensor(self.nOutputPlane)
end

local function grouped(self) return (self.groups or 1) > 1 end

local function args(self)
   self.padW, self.padH = self.padW or 0, self.padH or 0
   return self.nInputPlane, self.nOutputPlane, self.kW, self.kH, self.dW, self.dH, self.padW, self.padH, self.groups
end

function SC:updateOutput(input)
   if not grouped(self) then return parent.updateOutput(self, input) end
   self:_check(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_spatial_grouped_conv_forward(self.output, self.finput, input, self.weight:contiguous(),
      self.bias, args(self)))
   return self.output
end

function SC:updateGradInput(input, gradOutput)
   if not grouped(self) then return parent.updateGradInput(self, input, gradOutput) end
   if not self.gradInput then return end
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_grouped_conv_backward(self.gradInput, self.finput, input, gradOutput,
      self.weight:contiguous(), args(self)))
   return self.gradInput
end

function SC:accGradParameters(input, gradOutput, scale)
   if not grouped(self) then return parent.accGradParameters(self, input, gradOutput, scale) end
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local nIn, nOut, kW, kH, dW, dH, padW, padH, groups = args(self)
   THNN.check(self, C.nl_spatial_grouped_conv_acc_grad(self.gradWeight, self.gradBias, self.finput, self.fgradInput,
      input, gradOutput, nIn, nOut, kW, kH, dW, dH, padW, padH, groups, scale or 1))
end

function SC:__tostring__()
   local s = parent.__tostring__(self)
   if grouped(self) then s = s:gsub('%)([^)]*)$', ', ' .. self.groups .. ' groups)%1') end
   return s
end

cudnn._convolution(SC)
return SC

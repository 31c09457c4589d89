-- nn.BatchNormalization(nOutput, [eps], [momentum], [affine]): normalises
-- each feature of a batch (N x nOutput); running statistics for
-- evaluation. SpatialBatchNormalization does the same per plane of
-- N x C x H x W. Kernels in runtime/nn/batchnorm.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local BN, parent = torch.class('nn.BatchNormalization', 'nn.Module')
BN.__version = 2
BN.nDim = 2

function BN:__init(nOutput, eps, momentum, affine)
   parent.__init(self)
   if type(nOutput) ~= 'number' or nOutput < 1 then
      torch._core.raise(torch.typename(self) .. ': expected a positive number of features')
   end
   self.affine = affine == nil and true or affine
   self.eps = eps or 1e-5
   self.train = true
   self.momentum = momentum or 0.1
   self.running_mean = torch.zeros(nOutput)
   self.running_var = torch.ones(nOutput)
   if self.affine then
      self.weight = torch.Tensor(nOutput)
      self.bias = torch.Tensor(nOutput)
      self.gradWeight = torch.Tensor(nOutput)
      self.gradBias = torch.Tensor(nOutput)
      self:reset()
   end
end

function BN:reset()
   if self.weight then self.weight:uniform() end
   if self.bias then self.bias:zero() end
   self.running_mean:zero()
   self.running_var:fill(1)
end

function BN:_check(input)
   THNN.checkTensor(self, input)
   if input:dim() ~= self.nDim then
      nn.utils.moduleError(self, string.format('expected a %dD input, got %s', self.nDim, nn.utils.shapeStr(input)))
   end
   if input:size(2) ~= self.running_mean:nElement() then
      nn.utils.moduleError(self, string.format('input has %d features, expected %d', input:size(2), self.running_mean:nElement()))
   end
   self.save_mean = self.save_mean and self.save_mean._dtype == input._dtype and self.save_mean or input.new()
   self.save_std = self.save_std and self.save_std._dtype == input._dtype and self.save_std or input.new()
end

function BN:updateOutput(input)
   self:_check(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_batchnorm_forward(self.output, input, self.weight, self.bias, self.running_mean, self.running_var,
      self.save_mean, self.save_std, self.train and 1 or 0, self.momentum, self.eps))
   return self.output
end

local function backward(self, input, gradOutput, scale, gradInput, gradWeight, gradBias)
   self:_check(input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   THNN.check(self, C.nl_batchnorm_backward(gradInput, gradWeight, gradBias, input, gradOutput, self.weight,
      self.running_mean, self.running_var, self.save_mean, self.save_std, self.train and 1 or 0, scale, self.eps))
end

function BN:backward(input, gradOutput, scale)
   self:_check(input)
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   backward(self, input, gradOutput, scale or 1, self.gradInput, self.gradWeight, self.gradBias)
   return self.gradInput
end

function BN:updateGradInput(input, gradOutput)
   self:_check(input)
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   backward(self, input, gradOutput, 0, self.gradInput, nil, nil)
   return self.gradInput
end

function BN:accGradParameters(input, gradOutput, scale)
   backward(self, input, gradOutput, scale or 1, nil, self.gradWeight, self.gradBias)
end

function BN:clearState()
   if self.save_mean then self.save_mean:set() end
   if self.save_std then self.save_std:set() end
   return parent.clearState(self)
end

function BN:__tostring__()
   return string.format('%s (%dD) (%d)', torch.type(self), self.nDim, self.running_mean:nElement())
end

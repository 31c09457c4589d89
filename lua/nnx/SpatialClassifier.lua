-- nn.SpatialClassifier(classifier) (nnx): applies a classifier that takes
-- N x K rows (e.g. nn.Linear(K, C) + nn.LogSoftMax) at every pixel of a
-- K x H x W input: output C x H x W (or HW x C with spatialOutput = false).
local nn = require 'nn'

local Classifier, parent = torch.class('nn.SpatialClassifier', 'nn.Container')

function Classifier:__init(classifier)
   parent.__init(self)
   self.classifier = classifier or nn.Sequential()
   self.modules = { self.classifier }
   self.spatialOutput = true
end

function Classifier:add(module)
   self.classifier:add(module)
   return self
end

local function rows(self, input)
   if not torch.isTensor(input) or input:dim() ~= 3 then
      torch._core.raise(string.format('nn.SpatialClassifier: input should be 3D (K x H x W), got %s', torch.isTensor(input)
         and (input:dim() == 0 and 'an empty tensor' or table.concat(input:size():totable(), 'x')) or torch.type(input)))
   end
   local K, H, W = input:size(1), input:size(2), input:size(3)
   return input:contiguous():view(K, H * W):t():contiguous(), K, H, W
end

local function grad_rows(self, gradOutput, H, W)
   if not self.spatialOutput then return gradOutput end
   local N = gradOutput:size(1)
   return gradOutput:contiguous():view(N, H * W):t():contiguous()
end

function Classifier:updateOutput(input)
   local x, _, H, W = rows(self, input)
   local out = self.classifier:updateOutput(x)
   if self.spatialOutput then
      self.output = out:t():contiguous():view(out:size(2), H, W)
   else
      self.output = out
   end
   return self.output
end

function Classifier:updateGradInput(input, gradOutput)
   local x, K, H, W = rows(self, input)
   local g = self.classifier:updateGradInput(x, grad_rows(self, gradOutput, H, W))
   self.gradInput = g:t():contiguous():view(K, H, W)
   return self.gradInput
end

function Classifier:accGradParameters(input, gradOutput, scale)
   local x, _, H, W = rows(self, input)
   self.classifier:accGradParameters(x, grad_rows(self, gradOutput, H, W), scale)
end

function Classifier:__tostring__()
   return torch.type(self) .. ' {\n  ' .. tostring(self.classifier):gsub('\n', '\n  ') .. '\n}'
end

return Classifier

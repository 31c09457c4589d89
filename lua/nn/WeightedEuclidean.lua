-- nn.WeightedEuclidean(inputSize, outputSize): y_j = || c_j .* (x - w_j) ||
-- with a learned template w_j and diagonal scale c_j (diagCov, starting
-- at ones) per output, the columns of weight and diagCov (inputSize x
-- outputSize). Kernels: runtime/nn/layers.c (shared with nn.Euclidean).
local torch = require 'torch'
local nn = require 'nn'
require 'nn.Euclidean'

-- a Module as in Torch7 (not an nn.Euclidean), sharing Euclidean's code
local WeightedEuclidean, parent = torch.class('nn.WeightedEuclidean', 'nn.Module')
for _, k in ipairs { '_check', 'updateOutput', 'updateGradInput', 'accGradParameters' } do
   WeightedEuclidean[k] = nn.Euclidean[k]
end

function WeightedEuclidean:__init(inputSize, outputSize)
   parent.__init(self)
   nn.Euclidean._checkSizes('nn.WeightedEuclidean', inputSize, outputSize)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   self.diagCov = torch.Tensor(inputSize, outputSize)
   self.gradDiagCov = torch.Tensor(inputSize, outputSize)
   self.fastBackward = true
   self:reset()
end

function WeightedEuclidean:reset(stdv)
   nn.Euclidean.reset(self, stdv)
   self.diagCov:fill(1)
   return self
end

function WeightedEuclidean:parameters()
   return { self.weight, self.diagCov }, { self.gradWeight, self.gradDiagCov }
end

function WeightedEuclidean:accUpdateGradParameters(input, gradOutput, lr)
   local gradWeight, gradDiagCov = self.gradWeight, self.gradDiagCov
   self.gradWeight, self.gradDiagCov = self.weight, self.diagCov
   self:accGradParameters(input, gradOutput, -lr)
   self.gradWeight, self.gradDiagCov = gradWeight, gradDiagCov
end

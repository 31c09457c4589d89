-- nnx: the part of Torch7's nnx that classic scripts use, on nn: the
-- `nnx` global, nn.Minus, nn.SaturatedLU, nn.SpatialClassifier,
-- nn.SpatialPadding (nn.SpatialClassNLLCriterion is nn's own). Any other
-- nnx class (nn.SoftMaxTree, nn.SpatialFovea, nn.DataSet, ...) raises a
-- one-line message naming it when the script reaches for it.
require 'torch'
local nn = require 'nn'
require 'xlua'

local nnx = {}
package.loaded.nnx = nnx
_G.nnx = nnx

require 'nnx.Minus'
require 'nnx.SaturatedLU'
require 'nnx.SpatialClassifier'
require 'nnx.SpatialPadding'

-- nnx's other classes, which nnlua does not provide
nnx.missing = {}
for name in ([[Balance CTCCriterion DataList DataSet DataSetLabelMe DataSetSamplingPascal DistMarginCriterion
   DistNLLCriterion FunctionWrapper MultiSoftMax PixelSort Probe PullTable PushTable QDRiemaNNLinear SoftMaxForest
   SoftMaxTree SparseCriterion SpatialColorTransform SpatialDownSampling SpatialFovea SpatialGraph SpatialLinear
   SpatialMatching SpatialMaxSampling SpatialNormalization SpatialPyramid SpatialRadialMatching SpatialReSampling
   SpatialReSamplingEx SpatialRecursiveFovea SpatialSparseCriterion SpatialUpSampling SuperCriterion Tic Toc
   TreeNLLCriterion]]):gmatch('%S+') do
   nnx.missing[name] = true
end
local advice = {
   SpatialNormalization = 'nn.SpatialContrastiveNormalization',
   SpatialUpSampling = 'nn.SpatialUpSamplingNearest',
   SpatialReSampling = 'nn.SpatialUpSamplingBilinear or image.scale',
   SuperCriterion = 'nn.MultiCriterion',
   SoftMaxTree = 'nn.LogSoftMax with nn.ClassNLLCriterion',
   DataSet = 'tensors and nnlua.data',
}

local function unavailable(t, k)
   if type(k) == 'string' and nnx.missing[k] then
      local use = advice[k] and ('; use ' .. advice[k] .. ' instead') or ''
      error(string.format('nn.%s is an nnx module that nnlua does not provide%s', k, use), 2)
   end
   return nil
end

local mt = getmetatable(nn)
if not mt then
   setmetatable(nn, { __index = unavailable })
elseif mt.__index == nil then
   mt.__index = unavailable
end
setmetatable(nnx, { __index = function(_, k)
   if k == 'QDRiemaNNLinear' then
      error('nnx.QDRiemaNNLinear is an nnx module that nnlua does not provide', 2)
   end
end })

return nnx

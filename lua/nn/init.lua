-- nn: Torch7's neural-network package. Each class is one file, as in
-- Torch7 (lua/nn/Linear.lua); this file loads them in dependency order.
local torch = require 'torch'
local reg = debug.getregistry()
if reg.nnlua_nn then
   package.loaded.nn = reg.nnlua_nn
   _G.nn = reg.nnlua_nn
   return reg.nnlua_nn
end
local nn = {}
reg.nnlua_nn = nn
package.loaded.nn = nn
_G.nn = nn

-- every listed file must exist: a missing class is an error at load time
local function load(list)
   for _, name in ipairs(list) do require('nn.' .. name) end
end

-- protocol, containers, layers (nn core family)
load {
   'utils', 'Module', 'THNN', 'Container', 'Criterion', 'Sequential', 'Concat', 'DepthConcat', 'UpSampling', 'ConcatTable', 'Parallel',
   'ParallelTable', 'MapTable', 'JoinTable', 'SplitTable', 'SelectTable', 'NarrowTable', 'FlattenTable',
   'CAddTable', 'CSubTable', 'CMulTable', 'CDivTable', 'CMaxTable', 'CMinTable', 'Identity',
   'Linear', 'Bilinear', 'Add', 'Mul', 'CMul', 'CAdd', 'Euclidean', 'WeightedEuclidean', 'Cosine',
   'LookupTable', 'Reshape', 'View', 'Transpose', 'Narrow', 'Select', 'Replicate', 'Padding', 'Squeeze',
   'Unsqueeze', 'Copy', 'Contiguous', 'Mean', 'Sum', 'Max', 'Min', 'Normalize', 'MulConstant',
   'AddConstant', 'Square', 'Sqrt', 'Power', 'Abs', 'Exp', 'Log', 'Clamp', 'Dropout', 'GradientReversal',
   'Jacobian', 'WeightInit',
}

-- activations and criterions (nn kernels family)
load {
   'Tanh', 'Sigmoid', 'Threshold', 'ReLU', 'ReLU6', 'HardTanh', 'LeakyReLU', 'PReLU', 'RReLU', 'ELU',
   'SoftPlus', 'SoftSign', 'SoftShrink', 'HardShrink', 'TanhShrink', 'LogSigmoid', 'SoftMax',
   'LogSoftMax', 'SoftMin',
   'ClassNLLCriterion', 'CrossEntropyCriterion', 'MSECriterion', 'AbsCriterion', 'SmoothL1Criterion',
   'BCECriterion', 'DistKLDivCriterion', 'MarginCriterion', 'SoftMarginCriterion', 'MultiMarginCriterion',
   'MultiLabelMarginCriterion', 'MultiLabelSoftMarginCriterion', 'HingeEmbeddingCriterion',
   'L1HingeEmbeddingCriterion', 'CosineEmbeddingCriterion', 'MarginRankingCriterion', 'L1Cost',
   'ParallelCriterion', 'MultiCriterion', 'CriterionTable',
}

-- convolution, pooling, normalisation (conv family)
load {
   'SpatialConvolution', 'SpatialConvolutionMM', 'SpatialFullConvolution', 'SpatialDilatedConvolution',
   'SpatialConvolutionLocal', 'TemporalConvolution', 'TemporalMaxPooling', 'VolumetricConvolution',
   'VolumetricMaxPooling', 'VolumetricAveragePooling', 'SpatialMaxPooling', 'SpatialAveragePooling', 'SpatialAdaptiveMaxPooling',
   'SpatialAdaptiveAveragePooling', 'SpatialMaxUnpooling', 'SpatialLPPooling', 'BatchNormalization',
   'SpatialBatchNormalization', 'VolumetricBatchNormalization', 'SpatialDropout', 'VolumetricDropout', 'VolumetricReplicationPadding', 'SpatialSubSampling', 'TemporalSubSampling', 'TemporalDynamicKMaxPooling', 'SpatialZeroPadding', 'SpatialReflectionPadding',
   'SpatialReplicationPadding', 'SpatialUpSamplingNearest', 'SpatialUpSamplingBilinear',
   'SpatialCrossMapLRN', 'SpatialSoftMax', 'SpatialSubtractiveNormalization',
   'SpatialDivisiveNormalization', 'SpatialContrastiveNormalization',
}

-- issue 14, part A
load {
   'Bottle', 'CAddTensorTable', 'CReLU', 'Collapse', 'Constant', 'Convert', 'CosineDistance', 'DotProduct',
   'GatedLinearUnit', 'Index', 'L1Penalty', 'MM', 'MV', 'MaskedSelect', 'Decorator', 'DontCast', 'NaN',
   'PrintSize', 'Profile',
}

-- issue 14, part B
load {
   'OneHot', 'PairwiseDistance', 'MixtureTable', 'ModuleCriterion', 'Maxout', 'ZeroGrad', 'ZipTable',
   'ZipTableOneToMany', 'WeightedMSECriterion', 'WhiteNoise', 'PixelShuffle', 'SpatialLogSoftMax',
   'SpatialClassNLLCriterion', 'LayerNormalization', 'ClassSimplexCriterion', 'DistanceRatioCriterion',
}

-- trainers and checks
load { 'StochasticGradient', 'SparseJacobian', 'hessian', 'GPU' }

-- issue 18: data parallelism (docs/distributed.md)
load { 'DataParallelTable' }

-- issue 14, part D (nn14): weight-normalised, sparse and partial linear
-- layers, connection-table, depthwise, dilated, transposed and fractional
-- convolutions and poolings, clustering
load {
   'tables', 'FeatureLPPooling', 'LinearWeightNorm', 'WeightNorm', 'PartialLinear', 'SparseLinear',
   'SpatialConvolutionMap', 'SpatialFullConvolutionMap', 'SpatialDepthWiseConvolution', 'SpatialDilatedMaxPooling',
   'TemporalRowConvolution', 'VolumetricDilatedConvolution', 'VolumetricDilatedMaxPooling',
   'VolumetricFullConvolution', 'VolumetricMaxUnpooling', 'SpatialFractionalMaxPooling',
   'VolumetricFractionalMaxPooling', 'SpatialAutoCropMSECriterion', 'IndexLinear', 'Kmeans',
}

-- issue 16: recurrent modules (the rnn package's names)
load { 'lstm_util', 'SeqLSTM', 'FastLSTM' }

return nn

-- The cudnn classes other than the convolutions, one file each.
for _, name in ipairs {
   'ReLU', 'SpatialMaxPooling', 'SpatialAveragePooling', 'VolumetricMaxPooling', 'VolumetricAveragePooling',
   'BatchNormalization', 'SpatialBatchNormalization', 'VolumetricBatchNormalization', 'SpatialCrossMapLRN',
   'SpatialSoftMax', 'SpatialLogSoftMax', 'Tanh', 'Sigmoid', 'SoftMax', 'LogSoftMax', 'ClippedReLU',
} do require('cudnn.' .. name) end

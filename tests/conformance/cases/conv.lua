-- tests/conformance/cases/conv.lua: conformance cases for the convolution
-- family: runtime/nn/conv_spatial.c (SpatialConvolution, dilated, full),
-- conv_temporal.c (TemporalConvolution, TemporalMaxPooling),
-- conv_volumetric.c (VolumetricConvolution, max and average pooling) and
-- conv_local.c (SpatialConvolutionLocal). Batches of N = 2, nIn = 2,
-- nOut = 3; weights contiguous (the kernels require it); columns, patch
-- and partial-sum buffers are T.out() of the input's dtype. Convolutions
-- reject empty inputs and cannot alias their results, so there are no
-- #empty or #alias cases (nor scale 0: the column buffer is then left
-- as allocated, with nothing defined to compare).

return {
   -- SpatialConvolution: 2x2x5x5 input, 3x3 kernel -> 2x3x3x3
   spatial_conv_forward = function(T)
      return { T.out(), T.out(), T{2, 2, 5, 5}, T.contig(T{3, 2, 3, 3}), T{3}, 2, 3, 3, 3, 1, 1, 0, 0, 1, 1 }
   end,
   -- float, stride 2, padding 1, no bias, one image: 2x5x5 -> 3x3x3
   ['spatial_conv_forward#float_pad_stride'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 5, 5}, 'float'), T.contig(T({3, 2, 3, 3}, 'float')), T.NULL,
         2, 3, 3, 3, 2, 2, 1, 1, 1, 1 }
   end,
   -- dilation 2: 2x2x5x5 -> 2x3x1x1
   ['spatial_conv_forward#dilated'] = function(T)
      return { T.out(), T.out(), T{2, 2, 5, 5}, T.contig(T{3, 2, 3, 3}), T{3}, 2, 3, 3, 3, 1, 1, 0, 0, 2, 2 }
   end,
   spatial_conv_backward = function(T)
      return { T.out(), T.out(), T{2, 2, 5, 5}, T{2, 3, 3, 3}, T.contig(T{3, 2, 3, 3}), 2, 3, 3, 3, 1, 1, 0, 0, 1, 1 }
   end,
   ['spatial_conv_backward#float_pad_stride'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 2, 5, 5}, 'float'), T({2, 3, 3, 3}, 'float'),
         T.contig(T({3, 2, 3, 3}, 'float')), 2, 3, 3, 3, 2, 2, 1, 1, 1, 1 }
   end,
   spatial_conv_acc_grad = function(T)
      return { T.contig(T{3, 2, 3, 3}), T{3}, T.out(), T.out(), T{2, 2, 5, 5}, T{2, 3, 3, 3},
         2, 3, 3, 3, 1, 1, 0, 0, 1, 1, 0.5 }
   end,
   ['spatial_conv_acc_grad#dilated_float'] = function(T)
      return { T.contig(T({3, 2, 3, 3}, 'float')), T.NULL, T.out('float'), T.out('float'), T({2, 2, 5, 5}, 'float'),
         T({2, 3, 1, 1}, 'float'), 2, 3, 3, 3, 1, 1, 0, 0, 2, 2, 1 }
   end,

   -- SpatialFullConvolution: 2x2x4x4 input, 3x3 kernel, stride 2, adj 1
   -- -> 2x3x10x10; weight (nIn, nOut, kH, kW)
   spatial_full_conv_forward = function(T)
      return { T.out(), T.out(), T{2, 2, 4, 4}, T.contig(T{2, 3, 3, 3}), T{3}, 2, 3, 3, 3, 2, 2, 0, 0, 1, 1 }
   end,
   ['spatial_full_conv_forward#float_pad'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 4, 4}, 'float'), T.contig(T({2, 3, 3, 3}, 'float')), T.NULL,
         2, 3, 3, 3, 1, 1, 1, 1, 0, 0 }
   end,
   spatial_full_conv_backward = function(T)
      return { T.out(), T.out(), T{2, 2, 4, 4}, T{2, 3, 10, 10}, T.contig(T{2, 3, 3, 3}), 2, 3, 3, 3, 2, 2, 0, 0, 1, 1 }
   end,
   spatial_full_conv_acc_grad = function(T)
      return { T.contig(T{2, 3, 3, 3}), T{3}, T.out(), T.out(), T{2, 2, 4, 4}, T{2, 3, 10, 10},
         2, 3, 3, 3, 2, 2, 0, 0, 1, 1, 0.5 }
   end,

   -- TemporalConvolution: 2 sequences of 7 frames of 4 -> 3 frames of 3
   -- (kW 3, dW 2); weight (3, 3*4)
   temporal_conv_forward = function(T)
      return { T.out(), T{2, 7, 4}, T.contig(T{3, 12}), T{3}, 4, 3, 3, 2 }
   end,
   ['temporal_conv_forward#float_single'] = function(T)
      return { T.out('float'), T({7, 4}, 'float'), T.contig(T({3, 8}, 'float')), T.NULL, 4, 3, 2, 1 }
   end,
   temporal_conv_backward = function(T)
      return { T.out(), T{2, 7, 4}, T{2, 3, 3}, T.contig(T{3, 12}), 4, 3, 3, 2 }
   end,
   temporal_conv_acc_grad = function(T)
      return { T.contig(T{3, 12}), T{3}, T{2, 7, 4}, T{2, 3, 3}, 4, 3, 3, 2, 0.5 }
   end,
   -- TemporalMaxPooling: kW 3, dW 2: 2x7x4 -> 2x3x4; indices 0..kW-1
   temporal_max_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 7, 4}, 3, 2 }
   end,
   ['temporal_max_pool_forward#float'] = function(T)
      return { T.out('float'), T.out('long'), T({6, 3}, 'float'), 2, 2 }
   end,
   temporal_max_pool_backward = function(T)
      return { T.out(), T{2, 7, 4}, T{2, 3, 4}, T.contig(T.long({2, 3, 4}, 0, 2)), 3, 2 }
   end,

   -- VolumetricConvolution: 2x2x4x5x5 input, kernel 2x3x3 (T x H x W;
   -- arguments kT, kW, kH) -> 2x3x3x3x3
   volumetric_conv_forward = function(T)
      return { T.out(), T.out(), T{2, 2, 4, 5, 5}, T.contig(T{3, 2, 2, 3, 3}), T{3}, 2, 3, 2, 3, 3, 1, 1, 1, 0, 0, 0 }
   end,
   -- float, stride 2 and padding 1 in every dimension, one volume: 2x4x5x5 -> 3x3x3x3
   ['volumetric_conv_forward#float_pad_stride'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 4, 5, 5}, 'float'), T.contig(T({3, 2, 2, 3, 3}, 'float')),
         T.NULL, 2, 3, 2, 3, 3, 2, 2, 2, 1, 1, 1 }
   end,
   volumetric_conv_backward = function(T)
      return { T.out(), T.out(), T{2, 2, 4, 5, 5}, T{2, 3, 3, 3, 3}, T.contig(T{3, 2, 2, 3, 3}),
         2, 3, 2, 3, 3, 1, 1, 1, 0, 0, 0 }
   end,
   volumetric_conv_acc_grad = function(T)
      return { T.contig(T{3, 2, 2, 3, 3}), T{3}, T.out(), T.out(), T{2, 2, 4, 5, 5}, T{2, 3, 3, 3, 3},
         2, 3, 2, 3, 3, 1, 1, 1, 0, 0, 0, 0.5 }
   end,
   -- Volumetric pooling: 2x2x4x5x5, kernel 2, stride 2 -> 2x2x2x2x2
   volumetric_max_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 2, 4, 5, 5}, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0 }
   end,
   -- float, padding 1 and ceil mode: 2x4x5x5 -> 2x3x3x3
   ['volumetric_max_pool_forward#float_pad_ceil'] = function(T)
      return { T.out('float'), T.out('long'), T({2, 4, 5, 5}, 'float'), 2, 2, 2, 2, 2, 2, 1, 1, 1, 1 }
   end,
   -- indices: flat offsets in a 4x5x5 volume
   volumetric_max_pool_backward = function(T)
      return { T.out(), T{2, 2, 4, 5, 5}, T{2, 2, 2, 2, 2}, T.contig(T.long({2, 2, 2, 2, 2}, 0, 99)) }
   end,
   volumetric_avg_pool_forward = function(T)
      return { T.out(), T{2, 2, 4, 5, 5}, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 1 }
   end,
   ['volumetric_avg_pool_forward#float_pad_exclude'] = function(T)
      return { T.out('float'), T({2, 4, 5, 5}, 'float'), 2, 3, 3, 2, 2, 2, 1, 1, 1, 1, 0 }
   end,
   volumetric_avg_pool_backward = function(T)
      return { T.out(), T{2, 2, 4, 5, 5}, T{2, 2, 2, 2, 2}, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 1 }
   end,
   ['volumetric_avg_pool_backward#float_pad_exclude'] = function(T)
      return { T.out('float'), T({2, 4, 5, 5}, 'float'), T({2, 3, 3, 3}, 'float'), 2, 3, 3, 2, 2, 2, 1, 1, 1, 1, 0 }
   end,

   -- SpatialConvolutionLocal: 2x2x5x5, kernel 3 -> 2x3x3x3; weight
   -- (oH, oW, nOut, nIn*kH*kW), bias (nOut, oH, oW), both contiguous
   spatial_conv_local_forward = function(T)
      return { T.out(), T.out(), T{2, 2, 5, 5}, T.contig(T{3, 3, 3, 18}), T.contig(T{3, 3, 3}),
         2, 3, 5, 5, 3, 3, 1, 1, 0, 0 }
   end,
   -- float, stride 2, padding 1, no bias, one image: 2x5x5 -> 3x3x3
   ['spatial_conv_local_forward#float_pad_stride'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 5, 5}, 'float'), T.contig(T({3, 3, 3, 18}, 'float')), T.NULL,
         2, 3, 5, 5, 3, 3, 2, 2, 1, 1 }
   end,
   spatial_conv_local_backward = function(T)
      return { T.out(), T.out(), T{2, 2, 5, 5}, T{2, 3, 3, 3}, T.contig(T{3, 3, 3, 18}), 2, 3, 5, 5, 3, 3, 1, 1, 0, 0 }
   end,
   ['spatial_conv_local_backward#float_pad_stride'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 5, 5}, 'float'), T({3, 3, 3}, 'float'),
         T.contig(T({3, 3, 3, 18}, 'float')), 2, 3, 5, 5, 3, 3, 2, 2, 1, 1 }
   end,
   -- three images (patch-buffer slots shared unevenly among threads), no bias
   ['spatial_conv_local_acc_grad#batch3_nobias_float'] = function(T)
      return { T.contig(T({2, 2, 3, 8}, 'float')), T.NULL, T.out('float'), T({3, 2, 4, 3}, 'float'),
         T({3, 3, 2, 2}, 'float'), 2, 3, 3, 4, 2, 2, 1, 2, 0, 0, 2 }
   end,
   ['spatial_conv_local_forward#batch3'] = function(T)
      return { T.out(), T.out(), T{3, 2, 4, 3}, T.contig(T{2, 2, 3, 8}), T.contig(T{3, 2, 2}),
         2, 3, 3, 4, 2, 2, 1, 2, 0, 0 }
   end,
   spatial_conv_local_acc_grad = function(T)
      return { T.contig(T{3, 3, 3, 18}), T.contig(T{3, 3, 3}), T.out(), T{2, 2, 5, 5}, T{2, 3, 3, 3},
         2, 3, 5, 5, 3, 3, 1, 1, 0, 0, 0.5 }
   end,
}

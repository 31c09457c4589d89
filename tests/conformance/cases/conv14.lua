-- tests/conformance/cases/conv14.lua: conformance cases for the issue-14
-- convolutions and poolings: the grouped spatial convolution
-- (runtime/nn/conv_spatial.c), the dilated and transposed volumetric
-- convolutions (runtime/nn/conv_volumetric.c) and the window max
-- poolings (runtime/nn/pool_window.c: dilated and fractional). Weights
-- contiguous (the kernels require it); buffers are T.out() of the input's
-- dtype. No #empty or #alias cases: these reject empty inputs and never
-- write over an input.
return {
   -- grouped: 2x4x5x5, 2 groups, 6 outputs, kernel 3x2 -> 2x6x3x4
   spatial_grouped_conv_forward = function(T)
      return { T.out(), T.out(), T{2, 4, 5, 5}, T.contig(T{6, 2, 2, 3}), T{6}, 4, 6, 3, 2, 1, 1, 0, 0, 2 }
   end,
   -- float, depthwise (4 groups of one plane), stride 2, padding 1, no bias: 4x5x5 -> 8x3x3
   ['spatial_grouped_conv_forward#float_depthwise'] = function(T)
      return { T.out('float'), T.out('float'), T({4, 5, 5}, 'float'), T.contig(T({8, 1, 3, 3}, 'float')), T.NULL,
         4, 8, 3, 3, 2, 2, 1, 1, 4 }
   end,
   spatial_grouped_conv_backward = function(T)
      return { T.out(), T.out(), T{2, 4, 5, 5}, T{2, 6, 4, 4}, T.contig(T{6, 2, 2, 2}), 4, 6, 2, 2, 1, 1, 0, 0, 2 }
   end,
   spatial_grouped_conv_acc_grad = function(T)
      return { T.contig(T{6, 2, 2, 2}), T{6}, T.out(), T.out(), T{2, 4, 5, 5}, T{2, 6, 4, 4}, 4, 6, 2, 2, 1, 1, 0, 0,
         2, 0.5 }
   end,
   -- VolumetricDilatedConvolution: 2x2x5x5x5, kernel 2, dilation 2 -> 2x3x3x3x3
   volumetric_dilated_conv_forward = function(T)
      return { T.out(), T.out(), T{2, 2, 5, 5, 5}, T.contig(T{3, 2, 2, 2, 2}), T{3}, 2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0,
         2, 2, 2 }
   end,
   -- float, one volume, padding 1, dilation (1, 2, 3) in (T, W, H), no bias: 2x4x5x6 -> 3x5x5x4
   ['volumetric_dilated_conv_forward#float_pad'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 4, 5, 6}, 'float'), T.contig(T({3, 2, 2, 2, 2}, 'float')), T.NULL,
         2, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 3 }
   end,
   volumetric_dilated_conv_backward = function(T)
      return { T.out(), T.out(), T{2, 2, 5, 5, 5}, T{2, 3, 3, 3, 3}, T.contig(T{3, 2, 2, 2, 2}), 2, 3, 2, 2, 2, 1, 1, 1,
         0, 0, 0, 2, 2, 2 }
   end,
   volumetric_dilated_conv_acc_grad = function(T)
      return { T.contig(T{3, 2, 2, 2, 2}), T{3}, T.out(), T.out(), T{2, 2, 5, 5, 5}, T{2, 3, 3, 3, 3}, 2, 3, 2, 2, 2,
         1, 1, 1, 0, 0, 0, 2, 2, 2, 0.5 }
   end,
   -- VolumetricFullConvolution: 2x2x3x3x3, kernel 2, stride 2 -> 2x3x6x6x6
   volumetric_full_conv_forward = function(T)
      return { T.out(), T.out(), T{2, 2, 3, 3, 3}, T.contig(T{2, 3, 2, 2, 2}), T{3}, 2, 3, 2, 2, 2, 2, 2, 2, 0, 0, 0,
         0, 0, 0 }
   end,
   -- float, one volume, kernel 3, stride 2, padding 1, adj 1: 2x3x3x3 -> 3x6x6x6
   ['volumetric_full_conv_forward#float_pad_adj'] = function(T)
      return { T.out('float'), T.out('float'), T({2, 3, 3, 3}, 'float'), T.contig(T({2, 3, 3, 3, 3}, 'float')), T.NULL,
         2, 3, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1 }
   end,
   volumetric_full_conv_backward = function(T)
      return { T.out(), T.out(), T{2, 2, 3, 3, 3}, T{2, 3, 6, 6, 6}, T.contig(T{2, 3, 2, 2, 2}), 2, 3, 2, 2, 2, 2, 2, 2,
         0, 0, 0, 0, 0, 0 }
   end,
   volumetric_full_conv_acc_grad = function(T)
      return { T.contig(T{2, 3, 2, 2, 2}), T{3}, T.out(), T.out(), T{2, 2, 3, 3, 3}, T{2, 3, 6, 6, 6}, 2, 3, 2, 2, 2,
         2, 2, 2, 0, 0, 0, 0, 0, 0, 0.5 }
   end,
   -- SpatialDilatedMaxPooling: 2x3x7x6, kernel 3x2, stride 2x1, padding 1x0, dilation 2 -> 2x3x3x5
   spatial_dilated_max_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 3, 7, 6}, 3, 2, 2, 1, 1, 0, 2, 2, 0 }
   end,
   ['spatial_dilated_max_pool_forward#float_ceil'] = function(T)
      return { T.out('float'), T.out('long'), T({3, 7, 6}, 'float'), 2, 2, 2, 2, 1, 1, 2, 1, 1 }
   end,
   -- VolumetricDilatedMaxPooling: 2x2x5x5x5, kernel 2, dilation 2 -> 2x2x3x3x3
   volumetric_dilated_max_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 2, 5, 5, 5}, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2, 0 }
   end,
   ['volumetric_dilated_max_pool_forward#float_pad_ceil'] = function(T)
      return { T.out('float'), T.out('long'), T({2, 4, 5, 6}, 'float'), 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 2, 2, 1 }
   end,
   -- fractional: samples (N, C, 2 or 3) in [0, 1)
   spatial_fractional_max_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 3, 7, 8}, T.pos({2, 3, 2}), 4, 3, 2, 3 }
   end,
   ['spatial_fractional_max_pool_forward#float'] = function(T)
      return { T.out('float'), T.out('long'), T({3, 7, 8}, 'float'), T.pos({1, 3, 2}, 'float'), 5, 5, 2, 2 }
   end,
   volumetric_fractional_max_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 2, 5, 6, 7}, T.pos({2, 2, 3}), 3, 4, 2, 2, 2, 2 }
   end,
   ['volumetric_fractional_max_pool_forward#float'] = function(T)
      return { T.out('float'), T.out('long'), T({2, 5, 6, 7}, 'float'), T.pos({1, 2, 3}, 'float'), 4, 3, 3, 2, 3, 2 }
   end,
}

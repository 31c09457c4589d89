-- tests/conformance/cases/conv_cuda.lua: more convolution cases, for the
-- CUDA convolutions (cuda/conv.cu): batches of 3 and 5 (the im2col +
-- cuBLAS path puts several images' columns side by side and runs them in
-- chunks), dilation in the input gradient, groups with stride and
-- padding, transposed convolutions with unequal strides and adj,
-- temporal windows with gaps (dW > kW) and overlaps, and no-bias forms.
-- The strided variant makes every input and gradOutput non-contiguous
-- and bias/gradBias strided vectors. Buffers (columns, partial) are
-- T.out() of the input's dtype.
return {
   -- SpatialDilatedConvolution input gradient: 3x2x7x6, kernel 3x2, dilation 2x3, padding 1 -> 3x3x5x5
   ['spatial_conv_backward#dilated_batch3'] = function(T)
      return { T.out(), T.out(), T{3, 2, 7, 6}, T{3, 3, 5, 5}, T.contig(T{3, 2, 3, 2}), 2, 3, 2, 3, 1, 1, 1, 1, 3, 2 }
   end,
   -- 5 images, kernel 2x3 (W x H), stride 1x2, padding 1x0: 5x2x6x5 -> 5x4x2x6
   ['spatial_conv_forward#batch5_stride'] = function(T)
      return { T.out('float'), T.out('float'), T({5, 2, 6, 5}, 'float'), T.contig(T({4, 2, 3, 2}, 'float')),
         T({4}, 'float'), 2, 4, 2, 3, 1, 2, 1, 0, 1, 1 }
   end,
   ['spatial_conv_acc_grad#batch5_stride'] = function(T)
      return { T.contig(T({4, 2, 3, 2}, 'float')), T({4}, 'float'), T.out('float'), T.out('float'),
         T({5, 2, 6, 5}, 'float'), T({5, 4, 2, 6}, 'float'), 2, 4, 2, 3, 1, 2, 1, 0, 1, 1, 0.25 }
   end,
   -- groups 3 with stride 2 and padding 1: 3x6x5x5, 6 outputs, kernel 3 -> 3x6x3x3
   ['spatial_grouped_conv_backward#stride_pad'] = function(T)
      return { T.out(), T.out(), T{3, 6, 5, 5}, T{3, 6, 3, 3}, T.contig(T{6, 2, 3, 3}), 6, 6, 3, 3, 2, 2, 1, 1, 3 }
   end,
   ['spatial_grouped_conv_acc_grad#stride_pad'] = function(T)
      return { T.contig(T{6, 2, 3, 3}), T{6}, T.out(), T.out(), T{3, 6, 5, 5}, T{3, 6, 3, 3}, 6, 6, 3, 3, 2, 2, 1, 1, 3,
         1 }
   end,
   -- SpatialFullConvolution, strides 3x2, padding 1x0, adj 2x1: 3x2x3x4 -> 3x3x9x10
   ['spatial_full_conv_forward#batch3_adj'] = function(T)
      return { T.out(), T.out(), T{3, 2, 3, 4}, T.contig(T{2, 3, 3, 3}), T{3}, 2, 3, 3, 3, 2, 3, 0, 1, 1, 2 }
   end,
   ['spatial_full_conv_backward#batch3_adj'] = function(T)
      return { T.out(), T.out(), T{3, 2, 3, 4}, T{3, 3, 9, 10}, T.contig(T{2, 3, 3, 3}), 2, 3, 3, 3, 2, 3, 0, 1, 1, 2 }
   end,
   ['spatial_full_conv_acc_grad#batch3_adj'] = function(T)
      return { T.contig(T{2, 3, 3, 3}), T.NULL, T.out(), T.out(), T{3, 2, 3, 4}, T{3, 3, 9, 10}, 2, 3, 3, 3, 2, 3, 0, 1,
         1, 2, 1 }
   end,
   -- TemporalConvolution, windows with gaps (kW 2, dW 3): 3 sequences of 8 frames of 3 -> 3 frames of 4
   ['temporal_conv_forward#gaps'] = function(T)
      return { T.out(), T{3, 8, 3}, T.contig(T{4, 6}), T{4}, 3, 4, 2, 3 }
   end,
   ['temporal_conv_backward#gaps'] = function(T)
      return { T.out(), T{3, 8, 3}, T{3, 3, 4}, T.contig(T{4, 6}), 3, 4, 2, 3 }
   end,
   -- overlapping windows (kW 4, dW 1), one sequence, float, no bias
   ['temporal_conv_acc_grad#overlap_float'] = function(T)
      return { T.contig(T({2, 12}, 'float')), T.NULL, T({6, 3}, 'float'), T({3, 2}, 'float'), 3, 2, 4, 1, 1 }
   end,
   -- VolumetricConvolution input gradient, float, strides (2, 1, 2) in (T, W, H), padding 1: 3x2x4x5x5 -> 3x3x2x5x3
   ['volumetric_conv_backward#float_batch3'] = function(T)
      return { T.out('float'), T.out('float'), T({3, 2, 4, 5, 5}, 'float'), T({3, 3, 2, 3, 5}, 'float'),
         T.contig(T({3, 2, 3, 3, 3}, 'float')), 2, 3, 3, 3, 3, 2, 1, 2, 1, 1, 1 }
   end,
   -- VolumetricFullConvolution, strides (2, 1, 2), adj (1, 0, 1), batch 3: 3x2x2x3x3 -> 3x3x5x7x4
   ['volumetric_full_conv_backward#batch3_adj'] = function(T)
      return { T.out(), T.out(), T{3, 2, 2, 3, 3}, T{3, 3, 5, 7, 4}, T.contig(T{2, 3, 2, 2, 2}), 2, 3, 2, 2, 2, 2, 1, 2,
         0, 0, 0, 1, 0, 1 }
   end,
   ['volumetric_dilated_conv_acc_grad#float_batch3'] = function(T)
      return { T.contig(T({3, 2, 2, 2, 2}, 'float')), T({3}, 'float'), T.out('float'), T.out('float'),
         T({3, 2, 5, 5, 5}, 'float'), T({3, 3, 3, 3, 3}, 'float'), 2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2, 0.5 }
   end,
}

-- tests/conformance/cases/pool_edges.lua: edge cases of the pooling,
-- padding, upsampling, LRN and batch-normalisation entry points, beside
-- the ones of pooling.lua, conv.lua, conv14.lua and nn.lua: overlapping
-- windows (stride below the kernel), ceil mode with and without padding
-- in the backward passes, adaptive cells larger than the input, paddings
-- wider than the image, one-row upsampling, an even LRN size, batch norm
-- on more values per feature than a block has threads, and on more than
-- one block per feature. The 'strided' variant of the harness runs each
-- on non-contiguous inputs.
return {
   -- 3x3 windows at stride 1, padding 1, ceil mode: every input in up to 9 windows
   ['spatial_max_pool_forward#overlap_ceil'] = function(T)
      return { T.out(), T.out('long'), T{2, 3, 9, 7}, 3, 3, 1, 1, 1, 1, 1 }
   end,
   -- ceil mode without padding: the last windows hang over the edge (6x8 -> 3x4)
   ['spatial_max_pool_forward#ceil_clipped_float'] = function(T)
      return { T.out('float'), T.out('long'), T({2, 2, 6, 8}, 'float'), 3, 3, 2, 2, 0, 0, 1 }
   end,
   ['spatial_avg_pool_forward#ceil_clipped_exclude'] = function(T)
      return { T.out(), T{2, 2, 6, 8}, 3, 3, 2, 2, 0, 0, 1, 0 }
   end,
   -- 3x3, stride 2, padding 1, ceil mode on 7x6: 4x4
   ['spatial_avg_pool_backward#ceil_pad'] = function(T)
      return { T.out(), T{2, 3, 7, 6}, T{2, 3, 4, 4}, 3, 3, 2, 2, 1, 1, 1, 1 }
   end,
   -- ceil mode without padding, divisor without the overhang: 6x8 -> 3x4
   ['spatial_avg_pool_backward#ceil_clipped_exclude_float'] = function(T)
      return { T.out('float'), T({3, 6, 8}, 'float'), T({3, 3, 4}, 'float'), 3, 3, 2, 2, 0, 0, 1, 0 }
   end,
   -- stride 1: overlapping windows, 5x6 -> 5x6
   ['spatial_avg_pool_backward#overlap'] = function(T)
      return { T.out(), T{2, 2, 5, 6}, T{2, 2, 5, 6}, 3, 3, 1, 1, 1, 1, 0, 1 }
   end,
   -- more cells than input rows and columns: cells overlap (4x3 -> 7x5)
   ['spatial_adaptive_pool_forward#upscale'] = function(T)
      return { T.out(), T.out('long'), T{2, 3, 4, 3}, 5, 7 }
   end,
   ['spatial_adaptive_pool_forward#upscale_avg'] = function(T)
      return { T.out(), T.NULL, T{2, 3, 4, 3}, 5, 7 }
   end,
   ['spatial_adaptive_avg_pool_backward#upscale'] = function(T)
      return { T.out(), T{2, 3, 4, 3}, T{2, 3, 7, 5}, 5, 7 }
   end,
   ['spatial_adaptive_avg_pool_backward#float'] = function(T)
      return { T.out('float'), T({3, 9, 7}, 'float'), T({3, 4, 3}, 'float'), 3, 4 }
   end,
   -- replication wider than the image: pads 5, 4, 3, 6 of 3x2 -> 12x11
   ['spatial_padding_forward#replication_wide'] = function(T)
      return { T.out(), T{2, 2, 3, 2}, 5, 4, 3, 6, 2 }
   end,
   ['spatial_padding_backward#replication_wide'] = function(T)
      return { T.out(), T{2, 2, 3, 2}, T{2, 2, 12, 11}, 5, 4, 3, 6, 2 }
   end,
   -- reflection with a crop on the other side: pads 2, -1, -2, 3 of 5x4 -> 6x5
   ['spatial_padding_backward#reflection_crop_float'] = function(T)
      return { T.out('float'), T({3, 5, 4}, 'float'), T({3, 6, 5}, 'float'), 2, -1, -2, 3, 1 }
   end,
   -- one input row: every output row reads it (1x3 -> 4x5)
   ['spatial_upsample_bilinear_forward#one_row'] = function(T)
      return { T.out(), T{2, 2, 1, 3}, 4, 5 }
   end,
   ['spatial_upsample_bilinear_backward#one_row'] = function(T)
      return { T.out(), T{2, 2, 1, 3}, T{2, 2, 4, 5}, 4, 5 }
   end,
   -- downsampling: 7x6 -> 3x4
   ['spatial_upsample_bilinear_backward#shrink_float'] = function(T)
      return { T.out('float'), T({3, 7, 6}, 'float'), T({3, 3, 4}, 'float'), 3, 4 }
   end,
   -- an even size: the window is channels [c-1, c+1]
   ['spatial_lrn_forward#even_size'] = function(T)
      return { T.out(), T.out(), T{2, 6, 3, 3}, 4, 0.2, 0.5, 1.5 }
   end,
   ['spatial_lrn_backward#even_size_float'] = function(T)
      return { T.out('float'), T({6, 3, 3}, 'float'), T({6, 3, 3}, 'float'), T.contig(T({6, 3, 3}, 'float')),
               T.contig(T.pos({6, 3, 3}, 'float')), 4, 0.2, 0.5, 1.5 }
   end,
   -- VolumetricMaxPooling and VolumetricAveragePooling with overlapping
   -- windows, padding and ceil mode: kT 3, kW 3, kH 2, dT 2, dW 2, dH 1,
   -- padding 1: 5x6x7 -> 3x7x4
   ['volumetric_max_pool_forward#overlap_ceil'] = function(T)
      return { T.out(), T.out('long'), T{2, 2, 5, 6, 7}, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1 }
   end,
   ['volumetric_avg_pool_forward#overlap_ceil_exclude'] = function(T)
      return { T.out(), T{2, 2, 5, 6, 7}, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 0 }
   end,
   ['volumetric_avg_pool_backward#overlap_ceil'] = function(T)
      return { T.out(), T{2, 2, 5, 6, 7}, T{2, 2, 3, 7, 4}, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1 }
   end,
   ['volumetric_max_pool_backward#float_one_volume'] = function(T)
      return { T.out('float'), T({2, 5, 6, 7}, 'float'), T({2, 3, 7, 4}, 'float'),
               T.contig(T.long({2, 3, 7, 4}, 0, 209)) }
   end,
   -- TemporalMaxPooling with overlapping windows (kW 3, dW 1): 7 -> 5 frames
   ['temporal_max_pool_forward#overlap'] = function(T)
      return { T.out(), T.out('long'), T{2, 7, 4}, 3, 1 }
   end,
   ['temporal_max_pool_backward#overlap'] = function(T)
      return { T.out(), T{2, 7, 4}, T{2, 5, 4}, T.contig(T.long({2, 5, 4}, 0, 2)), 3, 1 }
   end,
   ['temporal_max_pool_backward#float_one_sequence'] = function(T)
      return { T.out('float'), T({9, 3}, 'float'), T({4, 3}, 'float'), T.contig(T.long({4, 3}, 0, 2)), 3, 2 }
   end,
   -- batch norm over more values per feature (297, 370) than a block's threads
   ['batchnorm_forward#spatial_large'] = function(T)
      return { T.out(), T{3, 4, 9, 11}, T{4}, T{4}, T{4}, T.pos{4}, T.out(), T.out(), 1, 0.1, 1e-5 }
   end,
   ['batchnorm_forward#large_batch_no_running_float'] = function(T)
      return { T.out('float'), T({370, 5}, 'float'), T({5}, 'float'), T({5}, 'float'), T.NULL, T.NULL,
               T.out('float'), T.out('float'), 1, 0.1, 1e-5 }
   end,
   ['batchnorm_backward#spatial_large'] = function(T)
      return { T.out(), T{4}, T{4}, T{3, 4, 9, 11}, T{3, 4, 9, 11}, T{4}, T.NULL, T.NULL, T{4}, T.pos{4}, 1, 0.5,
               1e-5 }
   end,
   -- 5040 values per feature: several blocks per feature (cuda/batchnorm.cu's chunks)
   ['batchnorm_forward#chunked'] = function(T)
      return { T.out(), T{2, 3, 40, 63}, T{3}, T{3}, T{3}, T.pos{3}, T.out(), T.out(), 1, 0.1, 1e-5 }
   end,
   ['batchnorm_forward#chunked_eval_float'] = function(T)
      return { T.out('float'), T({4500, 2}, 'float'), T({2}, 'float'), T({2}, 'float'), T({2}, 'float'),
               T.pos({2}, 'float'), T({2}, 'float'), T({2}, 'float'), 0, 0.1, 1e-5 }
   end,
   ['batchnorm_backward#chunked'] = function(T)
      return { T.out(), T{3}, T{3}, T{2, 3, 40, 63}, T{2, 3, 40, 63}, T{3}, T.NULL, T.NULL, T{3}, T.pos{3}, 1, 1,
               1e-5 }
   end,
   ['batchnorm_backward#eval_no_weight'] = function(T)
      return { T.out(), T.NULL, T{4}, T{3, 4, 9, 11}, T{3, 4, 9, 11}, T.NULL, T{4}, T.pos{4}, T.NULL, T.NULL, 0, 1,
               1e-5 }
   end,
}

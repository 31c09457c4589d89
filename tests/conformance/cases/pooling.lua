-- tests/conformance/cases/pooling.lua: conformance cases for the pooling
-- and per-plane image entry points (runtime/nn/pooling.c, spatial_misc.c).
-- Index tensors hold valid positions: flat 0-based offsets in the input
-- plane (max-pool backward) or in the output plane (max unpooling). No
-- '#empty' cases: an input with a zero size has no dimensions in Torch7
-- (an [empty] tensor), which every entry point here rejects as not 3D/4D.
-- No '#alias' cases: none of these writes its result over an input.
return {
   -- max pooling 3x2 kernel, stride 2x1, padding 1x0 on a batch of 2x3 planes of 7x6
   spatial_max_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 3, 7, 6}, 3, 2, 2, 1, 1, 0, 0 }
   end,
   ['spatial_max_pool_forward#ceil'] = function(T)
      return { T.out('float'), T.out('long'), T({3, 7, 6}, 'float'), 3, 3, 2, 2, 1, 1, 1 }
   end,
   -- gradOutput and indices 2x3x2x2 into 5x4 input planes (offsets 0..19)
   spatial_max_pool_backward = function(T)
      return { T.out(), T{2, 3, 5, 4}, T{2, 3, 2, 2}, T.long({2, 3, 2, 2}, 0, 19) }
   end,
   ['spatial_max_pool_backward#float'] = function(T)
      return { T.out('float'), T({3, 5, 4}, 'float'), T({3, 3, 2}, 'float'), T.long({3, 3, 2}, 0, 19) }
   end,
   spatial_avg_pool_forward = function(T)
      return { T.out(), T{2, 3, 7, 6}, 3, 3, 2, 2, 1, 1, 0, 1 }
   end,
   ['spatial_avg_pool_forward#ceil'] = function(T)
      return { T.out('float'), T({3, 7, 6}, 'float'), 3, 2, 2, 2, 1, 0, 1, 0 }
   end,
   -- 3x3 kernel, stride 2, padding 1 on 7x6: output 4x3
   spatial_avg_pool_backward = function(T)
      return { T.out(), T{2, 3, 7, 6}, T{2, 3, 4, 3}, 3, 3, 2, 2, 1, 1, 0, 1 }
   end,
   ['spatial_avg_pool_backward#exclude_pad'] = function(T)
      return { T.out('float'), T({3, 7, 6}, 'float'), T({3, 4, 3}, 'float'), 3, 3, 2, 2, 1, 1, 0, 0 }
   end,
   -- adaptive max (indices) to 3 wide x 2 high
   spatial_adaptive_pool_forward = function(T)
      return { T.out(), T.out('long'), T{2, 3, 7, 5}, 3, 2 }
   end,
   ['spatial_adaptive_pool_forward#avg'] = function(T)
      return { T.out('float'), T.NULL, T({3, 7, 5}, 'float'), 3, 2 }
   end,
   spatial_adaptive_avg_pool_backward = function(T)
      return { T.out(), T{2, 3, 7, 5}, T{2, 3, 2, 3}, 3, 2 }
   end,
   -- unpooling 2x2 planes into 4x4 (offsets 0..15); backward gathers
   spatial_max_unpool = function(T)
      return { T.out(), T{2, 3, 2, 2}, T{2, 3, 2, 2}, T.long({2, 3, 2, 2}, 0, 15), 4, 4, 0 }
   end,
   ['spatial_max_unpool#backward'] = function(T)
      return { T.out('float'), T({3, 2, 2}, 'float'), T({3, 4, 4}, 'float'), T.long({3, 2, 2}, 0, 15), 4, 4, 1 }
   end,
   -- zero padding with a crop (negative right pad)
   spatial_padding_forward = function(T)
      return { T.out(), T{2, 3, 5, 4}, 2, -1, 1, 3, 0 }
   end,
   ['spatial_padding_forward#reflection'] = function(T)
      return { T.out('float'), T({3, 5, 4}, 'float'), 2, 1, 1, 3, 1 }
   end,
   ['spatial_padding_forward#replication'] = function(T)
      return { T.out(), T{2, 3, 5, 4}, 3, 0, 2, 4, 2 }
   end,
   -- reflection 2,1,1,3 of 5x4: gradOutput 9x7
   spatial_padding_backward = function(T)
      return { T.out(), T{2, 3, 5, 4}, T{2, 3, 9, 7}, 2, 1, 1, 3, 1 }
   end,
   ['spatial_padding_backward#zero'] = function(T)
      return { T.out('float'), T({3, 5, 4}, 'float'), T({3, 9, 5}, 'float'), 2, -1, 1, 3, 0 }
   end,
   ['spatial_padding_backward#replication'] = function(T)
      return { T.out(), T{2, 3, 5, 4}, T{2, 3, 11, 7}, 3, 0, 2, 4, 2 }
   end,
   -- negative padding crops, in every mode
   ['spatial_padding_forward#crop_reflection'] = function(T)
      return { T.out(), T{2, 3, 5, 4}, 1, -1, 0, 1, 1 }
   end,
   ['spatial_padding_backward#crop_replication'] = function(T)
      return { T.out(), T{2, 3, 5, 4}, T{2, 3, 5, 4}, -1, 1, 1, -1, 2 }
   end,
   spatial_upsample_nearest_forward = function(T)
      return { T.out(), T{2, 3, 4, 3}, 2 }
   end,
   ['spatial_upsample_nearest_forward#float'] = function(T)
      return { T.out('float'), T({3, 4, 3}, 'float'), 3 }
   end,
   spatial_upsample_nearest_backward = function(T)
      return { T.out(), T{2, 3, 4, 3}, T{2, 3, 8, 6}, 2 }
   end,
   ['spatial_upsample_nearest_backward#float'] = function(T)
      return { T.out('float'), T({3, 4, 3}, 'float'), T({3, 12, 9}, 'float'), 3 }
   end,
   spatial_upsample_bilinear_forward = function(T)
      return { T.out(), T{2, 3, 4, 3}, 7, 5 }
   end,
   ['spatial_upsample_bilinear_forward#float'] = function(T)
      return { T.out('float'), T({3, 4, 3}, 'float'), 9, 4 }
   end,
   spatial_upsample_bilinear_backward = function(T)
      return { T.out(), T{2, 3, 4, 3}, T{2, 3, 7, 5}, 7, 5 }
   end,
   ['spatial_upsample_bilinear_backward#float'] = function(T)
      return { T.out('float'), T({3, 4, 3}, 'float'), T({3, 9, 4}, 'float'), 9, 4 }
   end,
   -- LRN across 3 channels of 5; the backward's output and scale are a
   -- forward's buffers: contiguous, scale positive
   spatial_lrn_forward = function(T)
      return { T.out(), T.out(), T{2, 5, 3, 4}, 3, 0.01, 0.75, 1 }
   end,
   ['spatial_lrn_forward#float'] = function(T)
      return { T.out('float'), T.out('float'), T({5, 3, 4}, 'float'), 5, 0.1, 0.75, 2 }
   end,
   spatial_lrn_backward = function(T)
      return { T.out(), T{2, 5, 3, 4}, T{2, 5, 3, 4}, T.contig(T{2, 5, 3, 4}), T.contig(T.pos{2, 5, 3, 4}), 3, 0.01,
               0.75, 1 }
   end,
   ['spatial_lrn_backward#float'] = function(T)
      return { T.out('float'), T({5, 3, 4}, 'float'), T({5, 3, 4}, 'float'), T.contig(T({5, 3, 4}, 'float')),
               T.contig(T.pos({5, 3, 4}, 'float')), 5, 0.1, 0.75, 2 }
   end,
}

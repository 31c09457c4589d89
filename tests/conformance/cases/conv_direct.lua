-- conformance cases of nl_conv_direct (runtime/math_conv.c): torch.conv2/
-- xcorr2/conv3/xcorr3. Arguments: out, x, k, nd, full, flip, map.
return {
   -- conv2, sum mode: x 3x6x7, k 2x3x3x2 -> 2x4x6
   conv_direct = function(T) return { T.out(), T{3, 6, 7}, T{2, 3, 3, 2}, 2, 0, 1, 0 } end,
   -- xcorr2 full, one plane, float
   ['conv_direct#float_full'] = function(T)
      return { T.out('float'), T({1, 5, 4}, 'float'), T({1, 1, 2, 3}, 'float'), 2, 1, 0, 0 }
   end,
   -- map mode: out[i] = x[i] * k[i]
   ['conv_direct#map'] = function(T) return { T.out(), T{2, 5, 5}, T{2, 3, 2}, 2, 1, 1, 1 } end,
   -- conv3 valid and xcorr3 full
   ['conv_direct#3d'] = function(T) return { T.out(), T{2, 4, 5, 3}, T{2, 2, 2, 3, 2}, 3, 0, 1, 0 } end,
   ['conv_direct#3d_full_map'] = function(T) return { T.out('float'), T({2, 3, 3, 2}, 'float'), T({2, 2, 2, 2}, 'float'), 3, 1, 0, 1 } end,
   -- integer tensors (Torch7 convolves every type)
   ['conv_direct#int'] = function(T) return { T.out('int'), T({1, 4, 4}, 'int'), T({1, 1, 2, 2}, 'int'), 2, 0, 1, 0 } end,
}

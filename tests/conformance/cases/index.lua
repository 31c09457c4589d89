-- conformance cases for the indexing family (runtime/math_index.c) and the
-- shape ops (runtime/math_shape.c). Dimensions are 0-based, index values
-- 1-based (T.long with lo = 1). An index cannot be empty (a tensor with a
-- size 0 has no dimensions, which index and gather/scatter refuse), so only
-- the mask ops, nonzero and cat have #empty cases. Where the order of
-- writes would decide the result (index_copy, scatter) the indices of one
-- slice are distinct, so a parallel backend must agree with the CPU.
return {
   masked_select = function(T) return { T.out(), T{3, 4}, T.mask{3, 4} } end,
   ['masked_select#flat_mask_float'] = function(T) return { T.out('float'), T({2, 6}, 'float'), T.mask{12} } end,
   ['masked_select#alias'] = function(T) local x = T{3, 4}; return { x, x, T.mask{3, 4} } end,
   ['masked_select#empty'] = function(T) return { T.out(), T{0}, T.mask{0} } end,
   masked_fill = function(T) return { T{3, 4}, T.mask{3, 4}, 0.25 } end,
   ['masked_fill#int'] = function(T) return { T({5, 2}, 'int'), T.mask{5, 2}, -3 } end,
   ['masked_fill#empty'] = function(T) return { T{0}, T.mask{0}, 1 } end,
   masked_copy = function(T) return { T{3, 4}, T.mask{3, 4}, T{12} } end,
   ['masked_copy#long'] = function(T) return { T({4, 2}, 'long'), T.mask{8}, T({2, 5}, 'long') } end,
   ['masked_copy#empty'] = function(T) return { T{0}, T.mask{0}, T{3} } end,

   index_select = function(T) return { T.out(), T{4, 5}, 0, T.long({3}, 1, 4) } end,
   ['index_select#dim2_float'] = function(T) return { T.out('float'), T({3, 4, 2}, 'float'), 1, T.long({5}, 1, 4) } end,
   ['index_select#alias'] = function(T) local x = T{4, 4}; return { x, x, 1, T.long({4}, 1, 4) } end,
   index_copy = function(T) return { T{4, 5}, 0, T.long({2}, 1, 4), T{2, 5} } end,
   ['index_copy#dim2_int'] = function(T) return { T({3, 4}, 'int'), 1, T.long({3}, 1, 4), T({3, 3}, 'int') } end,
   index_add = function(T) return { T{3, 4}, 0, T.long({6}, 1, 3), T{6, 4} } end,
   ['index_add#dim2_long'] = function(T) return { T({2, 5}, 'long'), 1, T.long({4}, 1, 5), T({2, 4}, 'long') } end,
   index_fill = function(T) return { T{4, 5}, 1, T.long({3}, 1, 5), -1.5 } end,
   ['index_fill#byte'] = function(T) return { T({3, 3}, 'byte'), 0, T.long({2}, 1, 3), 7 } end,

   gather = function(T) return { T.out(), T{3, 4}, 1, T.long({3, 2}, 1, 4) } end,
   ['gather#dim1_float'] = function(T) return { T.out('float'), T({3, 4}, 'float'), 0, T.long({2, 4}, 1, 3) } end,
   ['gather#alias'] = function(T) local x = T{3, 4}; return { x, x, 1, T.long({3, 4}, 1, 4) } end,
   scatter = function(T) return { T{3, 4}, 1, T.long({3, 2}, 1, 4), T{3, 2} } end,
   ['scatter#dim1_short'] = function(T) return { T({3, 4}, 'short'), 0, T.long({2, 4}, 1, 3), T({2, 4}, 'short') } end,
   scatter_fill = function(T) return { T{3, 4}, 0, T.long({2, 4}, 1, 3), 0.5 } end,
   ['scatter_fill#char'] = function(T) return { T({2, 5}, 'char'), 1, T.long({2, 3}, 1, 5), -4 } end,
   nonzero = function(T) return { T.out('long'), T.mask{3, 4} } end,
   ['nonzero#int'] = function(T) return { T.out('long'), T.ints({2, 3, 2}, 'int', 0, 2) } end,
   ['nonzero#empty'] = function(T) return { T.out('long'), T{0} } end,

   tril = function(T) return { T.out(), T{4, 5}, 0 } end,
   ['tril#below_float'] = function(T) return { T.out('float'), T({5, 3}, 'float'), -1 } end,
   ['tril#alias'] = function(T) local x = T{4, 4}; return { x, x, 1 } end,
   triu = function(T) return { T.out(), T{4, 5}, 1 } end,
   ['triu#long'] = function(T) return { T.out('long'), T({3, 5}, 'long'), -1 } end,
   ['triu#alias'] = function(T) local x = T{4, 4}; return { x, x, 0 } end,
   diag = function(T) return { T.out(), T{4}, 1 } end,
   ['diag#matrix'] = function(T) return { T.out(), T{4, 5}, -1 } end,
   ['diag#matrix_int'] = function(T) return { T.out('int'), T({3, 3}, 'int'), 0 } end,
   eye = function(T) return { T.out(), 3, 4 } end,
   ['eye#square_float'] = function(T) return { T.out('float'), 4, 0 } end,
   cat = function(T) return { T.out(), T.list{ T{2, 3}, T{4, 3} }, 2, 0 } end,
   ['cat#dim2_int'] = function(T)
      return { T.out('int'), T.list{ T({2, 3}, 'int'), T({2, 1}, 'int'), T({2, 2}, 'int') }, 3, 1 }
   end,
   ['cat#last_skip_empty'] = function(T) return { T.out(), T.list{ T{3, 2}, T.out(), T{3, 2} }, 3, -1 } end,
   ['cat#alias'] = function(T) local x = T{2, 3}; return { x, T.list{ x, T{2, 3} }, 2, 0 } end,
   ['cat#empty'] = function(T) return { T.out(), T.list{ T.out(), T.out() }, 2, -1 } end,
}

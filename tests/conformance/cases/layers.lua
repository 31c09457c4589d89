-- conformance cases for the layers family (runtime/nn/layers.c): PReLU,
-- RReLU, (Weighted)Euclidean, Normalize, LookupTable. PReLU and the
-- LookupTable indices need contiguous tensors (T.contig); RReLU's training
-- noise comes from the generator the runner reseeds before each call.
return {
   prelu_forward = function(T) return { T.out(), T.contig(T{2, 3, 4}), T.contig(T{3}), 3 } end,
   ['prelu_forward#shared_float'] = function(T)
      return { T.out('float'), T.contig(T({5, 2}, 'float')), T({1}, 'float'), 0 } end,
   ['prelu_forward#alias'] = function(T) local x = T.contig(T{2, 3}); return { x, x, T.contig(T{3}), 3 } end,
   prelu_backward = function(T)
      return { T.out(), T.contig(T{2, 3, 4}), T.contig(T{2, 3, 4}), T.contig(T{3}), 3 } end,
   ['prelu_backward#shared'] = function(T) return { T.out(), T.contig(T{7}), T.contig(T{7}), T{1}, 0 } end,
   prelu_acc_grad = function(T)
      return { T.contig(T{3}), T.contig(T{2, 3, 4}), T.contig(T{2, 3, 4}), 3, 0.5 } end,
   ['prelu_acc_grad#shared_float'] = function(T)
      return { T({1}, 'float'), T.contig(T({6}, 'float')), T.contig(T({6}, 'float')), 0, 1 } end,

   rrelu_forward = function(T) return { T.out(), T.out(), T{3, 4}, 0.1, 0.3, 1, 0 } end,
   ['rrelu_forward#eval_float'] = function(T)
      return { T.out('float'), T.out('float'), T({3, 4}, 'float'), 0.1, 0.3, 0, 0 } end,
   ['rrelu_forward#alias'] = function(T) return { T.out(), T.out(), T{2, 5}, 0.125, 1 / 3, 1, 1 } end,
   rrelu_backward = function(T) return { T.out(), T{3, 4}, T{3, 4}, T.pos{3, 4}, 0.1, 0.3, 1, 0 } end,
   ['rrelu_backward#eval'] = function(T) return { T.out(), T{3, 4}, T{3, 4}, T.NULL, 0.1, 0.3, 0, 0 } end,
   ['rrelu_backward#alias_float'] = function(T)
      return { T.out('float'), T({6}, 'float'), T({6}, 'float'), T.NULL, 0.1, 0.3, 0, 1 } end,

   euclidean_forward = function(T) return { T.out(), T{2, 3}, T{3, 4}, T.NULL } end,
   ['euclidean_forward#weighted_float'] = function(T)
      return { T.out('float'), T({2, 3}, 'float'), T({3, 4}, 'float'), T({3, 4}, 'float') } end,
   ['euclidean_forward#vector'] = function(T) return { T.out(), T{3}, T{3, 5}, T.NULL } end,
   euclidean_backward = function(T) return { T.out(), T{2, 4}, T{2, 3}, T{3, 4}, T.NULL, T.pos{2, 4} } end,
   ['euclidean_backward#weighted'] = function(T)
      return { T.out(), T{2, 4}, T{2, 3}, T{3, 4}, T{3, 4}, T.pos{2, 4} } end,
   euclidean_acc_grad = function(T)
      return { T{3, 4}, T.NULL, T{2, 3}, T{2, 4}, T{3, 4}, T.NULL, T.pos{2, 4}, 0.5 } end,
   ['euclidean_acc_grad#weighted_float'] = function(T)
      return { T({3, 4}, 'float'), T({3, 4}, 'float'), T({2, 3}, 'float'), T({2, 4}, 'float'), T({3, 4}, 'float'),
               T({3, 4}, 'float'), T.pos({2, 4}, 'float'), 1 } end,

   normalize_forward = function(T) return { T.out(), T.out(), T.out(), T{3, 4}, 2, 1e-10 } end,
   ['normalize_forward#pinf_float'] = function(T)
      return { T.out('float'), T.out('float'), T.out('float'), T({3, 4}, 'float'), math.huge, 1e-10 } end,
   ['normalize_forward#p3_vector'] = function(T) return { T.out(), T.out(), T.out(), T{5}, 3, 1e-10 } end,
   normalize_backward = function(T)
      return { T.out(), T{3, 4}, T{3, 4}, T.contig(T.pos{3}), T.contig(T.pos{3}), 2, 1e-10 } end,
   ['normalize_backward#p1_float'] = function(T)
      return { T.out('float'), T({2, 5}, 'float'), T({2, 5}, 'float'), T.contig(T.pos({2}, 'float')),
               T.contig(T.pos({2}, 'float')), 1, 1e-10 } end,
   ['normalize_backward#pinf'] = function(T)
      return { T.out(), T{3, 4}, T{3, 4}, T.contig(T.pos{3}), T.contig(T.pos{3}), math.huge, 1e-10 } end,

   lookup_table_forward = function(T) return { T.out(), T{5, 3}, T.contig(T.long({2, 4}, 1, 5)) } end,
   ['lookup_table_forward#vector_float'] = function(T)
      return { T.out('float'), T({4, 6}, 'float'), T.contig(T.long({7}, 1, 4)) } end,
   lookup_table_acc_grad = function(T)
      return { T{5, 3}, T.NULL, T.contig(T.long({6}, 1, 5)), T{6, 3}, 0, 0, 0.5 } end,
   ['lookup_table_acc_grad#freq_pad'] = function(T)
      return { T{5, 3}, T.contig(T.long({5}, 1, 1)), T.contig(T.long({2, 4}, 1, 5)), T{2, 4, 3}, 1, 2, 1 } end,
   ['lookup_table_acc_grad#float'] = function(T)
      return { T({4, 2}, 'float'), T.NULL, T.contig(T.long({3}, 1, 4)), T({3, 2}, 'float'), 0, 0, 2 } end,
   -- a batch of many repeats of three rows, counted, no padding
   ['lookup_table_acc_grad#repeats_float'] = function(T)
      return { T({4, 3}, 'float'), T.contig(T.long({4}, 1, 1)), T.contig(T.long({3, 7}, 1, 3)), T({3, 7, 3}, 'float'), 1, 0,
         0.25 } end,
   lookup_table_renorm = function(T) return { T{5, 3}, T.out('long'), T.contig(T.long({4}, 1, 5)), 0.5, 2 } end,
   ['lookup_table_renorm#p1_float'] = function(T)
      return { T({6, 4}, 'float'), T.out('long'), T.contig(T.long({2, 3}, 1, 6)), 0.8, 1 } end,
}

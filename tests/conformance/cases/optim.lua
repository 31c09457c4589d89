-- conformance cases for the fused optimizer steps (runtime/optim.c): the
-- flat parameter vectors must be contiguous (T.contig); the second-moment
-- and variance buffers are positive, as after any earlier step.
return {
   sgd_step = function(T) return { T.contig(T{10}), T.contig(T{10}), T.NULL, 0.1, 0, 0, 0, 0, 0 } end,
   ['sgd_step#momentum_float'] = function(T)
      return { T.contig(T({9}, 'float')), T.contig(T({9}, 'float')), T.contig(T({9}, 'float')), 0.05, 1e-3, 0.9, 0.1,
               0, 0 } end,
   ['sgd_step#nesterov_init'] = function(T)
      return { T.contig(T{8}), T.contig(T{8}), T.contig(T{8}), 0.05, 0, 0.9, 0, 1, 1 } end,
   ['sgd_step#empty'] = function(T) return { T{0}, T{0}, T.NULL, 0.1, 0, 0, 0, 0, 0 } end,
   adam_step = function(T)
      return { T.contig(T{10}), T.contig(T{10}), T.contig(T{10}), T.contig(T.pos{10}), 0.9, 0.999, 1e-8, 0.01 } end,
   ['adam_step#float'] = function(T)
      return { T.contig(T({7}, 'float')), T.contig(T({7}, 'float')), T.contig(T({7}, 'float')),
               T.contig(T.pos({7}, 'float')), 0.8, 0.99, 1e-6, 0.1 } end,
   adagrad_step = function(T) return { T.contig(T{10}), T.contig(T{10}), T.contig(T.pos{10}), 0.1 } end,
   ['adagrad_step#float'] = function(T)
      return { T.contig(T({6}, 'float')), T.contig(T({6}, 'float')), T.contig(T.pos({6}, 'float')), 0.5 } end,
   rmsprop_step = function(T)
      return { T.contig(T{10}), T.contig(T{10}), T.contig(T.pos{10}), 0.01, 0.99, 1e-8 } end,
   ['rmsprop_step#float'] = function(T)
      return { T.contig(T({5}, 'float')), T.contig(T({5}, 'float')), T.contig(T.pos({5}, 'float')), 0.1, 0.9,
               1e-6 } end,
}

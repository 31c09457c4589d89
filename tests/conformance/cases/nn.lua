-- conformance cases for the nn activations, softmaxes, batch normalisation
-- and criterions (runtime/nn/activation.c, softmax.c, batchnorm.c,
-- criterion.c, criterion_margin.c)
local C = require('torch')._core.C

-- 0/1 targets of a binary criterion, of the input's dtype
local function labels(T, sizes, dt) return T.ints(sizes, dt or 'double', 0, 1) end

return {
   -- activations: forward out = f(in), backward gi = go * f'(in, out)
   act_forward = function(T) return { T.out(), T{3, 4}, C.NL_ACT_TANH, 0, 0 } end,
   ['act_forward#tanh_float'] = function(T) return { T.out('float'), T({4, 5}, 'float'), C.NL_ACT_TANH, 0, 0 } end,
   ['act_forward#threshold_float'] = function(T)
      return { T.out('float'), T({2, 3, 2}, 'float'), C.NL_ACT_RELU, 0.1, -0.5 }
   end,
   ['act_forward#softplus'] = function(T) return { T.out(), T{6}, C.NL_ACT_SOFTPLUS, 2, 1 } end,
   ['act_forward#log'] = function(T) return { T.out(), T.pos{3, 3}, C.NL_ACT_LOG, 0, 0 } end,
   ['act_forward#power_float'] = function(T) return { T.out('float'), T.pos({5}, 'float'), C.NL_ACT_POWER, 1.5, 0 } end,
   ['act_forward#alias'] = function(T) local x = T{3, 4}; return { x, x, C.NL_ACT_SIGMOID, 0, 0 } end,
   ['act_forward#empty'] = function(T) return { T.out(), T{0}, C.NL_ACT_ELU, 1, 0 } end,
   act_backward = function(T) return { T.out(), T{3, 4}, T{3, 4}, T{3, 4}, C.NL_ACT_TANH, 0, 0 } end,
   ['act_backward#sigmoid_float'] = function(T)
      return { T.out('float'), T({4, 5}, 'float'), T({4, 5}, 'float'), T({4, 5}, 'float'), C.NL_ACT_SIGMOID, 0, 0 }
   end,
   ['act_backward#hardtanh'] = function(T) return { T.out(), T{7}, T{7}, T{7}, C.NL_ACT_HARDTANH, -0.3, 0.4 } end,
   ['act_backward#softplus_float'] = function(T)
      return { T.out('float'), T({6}, 'float'), T({6}, 'float'), T({6}, 'float'), C.NL_ACT_SOFTPLUS, 1, 20 }
   end,
   ['act_backward#alias'] = function(T)
      local g = T{3, 4}
      return { g, g, T{3, 4}, T{3, 4}, C.NL_ACT_LEAKYRELU, 0.1, 0 }
   end,
   ['act_backward#empty'] = function(T) return { T.out(), T{0}, T{0}, T{0}, C.NL_ACT_RELU, 0, 0 } end,

   -- SoftMax (log 0) and LogSoftMax (log 1): 1D, (N, C), (C, H, W), (N, C, H, W)
   softmax_forward = function(T) return { T.out(), T{4, 5}, 0 } end,
   ['softmax_forward#log'] = function(T) return { T.out(), T{4, 5}, 1 } end,
   ['softmax_forward#log_float_1d'] = function(T) return { T.out('float'), T({7}, 'float'), 1 } end,
   ['softmax_forward#float_4d'] = function(T) return { T.out('float'), T({2, 3, 2, 2}, 'float'), 0 } end,
   ['softmax_forward#log_3d'] = function(T) return { T.out(), T{3, 2, 2}, 1 } end,
   -- the output (and the gradInput it makes) must be contiguous
   softmax_backward = function(T) return { T.out(), T{4, 5}, T.contig(T{4, 5}), 0 } end,
   ['softmax_backward#log'] = function(T) return { T.out(), T{4, 5}, T.contig(T{4, 5}), 1 } end,
   ['softmax_backward#log_float_4d'] = function(T)
      return { T.out('float'), T({2, 3, 2, 2}, 'float'), T.contig(T({2, 3, 2, 2}, 'float')), 1 }
   end,

   -- ClassNLL: loss and total weight boxes; targets 1-based
   classnll_forward = function(T) return { T.box(), T.box(), T{4, 5}, T.long({4}, 1, 5), T.NULL, 1, -100 } end,
   ['classnll_forward#weights'] = function(T)
      return { T.box(), T.box(), T{4, 5}, T.long({4}, 1, 5), T.pos{5}, 1, -100 }
   end,
   ['classnll_forward#ignore_float'] = function(T)
      return { T.box(), T.box(), T({6, 3}, 'float'), T.long({6}, 1, 3), T.NULL, 0, 2 }
   end,
   ['classnll_forward#1d'] = function(T) return { T.box(), T.box(), T{5}, T.long({1}, 1, 5), T.NULL, 1, -100 } end,
   classnll_backward = function(T) return { T.out(), T{4, 5}, T.long({4}, 1, 5), T.NULL, 1, -100, 4 } end,
   ['classnll_backward#weights_float'] = function(T)
      return { T.out('float'), T({4, 5}, 'float'), T.long({4}, 1, 5), T.pos({5}, 'float'), 1, -100, 2.5 }
   end,
   ['classnll_backward#ignore'] = function(T) return { T.out(), T{6, 3}, T.long({6}, 1, 3), T.NULL, 0, 3, 1 } end,

   -- elementwise criterions: MSE, Abs, SmoothL1, BCE (weights optional), DistKLDiv, SoftMargin
   pointwise_criterion_forward = function(T) return { T.box(), T{3, 4}, T{3, 4}, T.NULL, C.NL_CRIT_MSE, 1 } end,
   ['pointwise_criterion_forward#abs_float'] = function(T)
      return { T.box(), T({5, 2}, 'float'), T({5, 2}, 'float'), T.NULL, C.NL_CRIT_ABS, 0 }
   end,
   ['pointwise_criterion_forward#smoothl1'] = function(T)
      return { T.box(), T{8}, T{8}, T.NULL, C.NL_CRIT_SMOOTHL1, 1 }
   end,
   ['pointwise_criterion_forward#distkldiv'] = function(T)
      return { T.box(), T{3, 4}, T.pos{3, 4}, T.NULL, C.NL_CRIT_DISTKLDIV, 1 }
   end,
   ['pointwise_criterion_forward#softmargin_float'] = function(T)
      return { T.box(), T({6}, 'float'), T({6}, 'float'), T.NULL, C.NL_CRIT_SOFTMARGIN, 0 }
   end,
   ['pointwise_criterion_forward#empty'] = function(T) return { T.box(), T{0}, T{0}, T.NULL, C.NL_CRIT_MSE, 1 } end,
   pointwise_criterion_backward = function(T)
      return { T.out(), T{3, 4}, T{3, 4}, T.NULL, C.NL_CRIT_SMOOTHL1, 1 }
   end,
   ['pointwise_criterion_backward#mse_float'] = function(T)
      return { T.out('float'), T({4, 3}, 'float'), T({4, 3}, 'float'), T.NULL, C.NL_CRIT_MSE, 0 }
   end,
   ['pointwise_criterion_backward#bce_weights'] = function(T)
      return { T.out(), T.pos{3, 4}, labels(T, { 3, 4 }), T.pos{3, 4}, C.NL_CRIT_BCE, 1 }
   end,
   ['pointwise_criterion_backward#alias'] = function(T)
      local x = T{5}
      return { x, x, T{5}, T.NULL, C.NL_CRIT_ABS, 1 }
   end,

   -- batch normalisation: training (batch statistics, running ones updated) and evaluation
   batchnorm_forward = function(T)
      return { T.out(), T{4, 3}, T{3}, T{3}, T{3}, T.pos{3}, T.out(), T.out(), 1, 0.1, 1e-5 }
   end,
   -- evaluation leaves save_mean and save_invstd as they are (sized, unwritten): give them values
   ['batchnorm_forward#eval'] = function(T)
      return { T.out(), T{4, 3}, T{3}, T{3}, T{3}, T.pos{3}, T{3}, T{3}, 0, 0.1, 1e-5 }
   end,
   ['batchnorm_forward#spatial_float'] = function(T)
      return { T.out('float'), T({2, 3, 2, 2}, 'float'), T.NULL, T.NULL, T({3}, 'float'), T.pos({3}, 'float'),
         T.out('float'), T.out('float'), 1, 0.2, 1e-3 }
   end,
   ['batchnorm_forward#volumetric'] = function(T)
      return { T.out(), T{2, 3, 2, 2, 2}, T{3}, T{3}, T{3}, T.pos{3}, T.out(), T.out(), 1, 0.1, 1e-5 }
   end,
   batchnorm_backward = function(T)
      return { T.out(), T{3}, T{3}, T{4, 3}, T{4, 3}, T{3}, T.NULL, T.NULL, T{3}, T.pos{3}, 1, 1, 1e-5 }
   end,
   ['batchnorm_backward#eval'] = function(T)
      return { T.out(), T{3}, T{3}, T{4, 3}, T{4, 3}, T{3}, T{3}, T.pos{3}, T.NULL, T.NULL, 0, 0.5, 1e-5 }
   end,
   ['batchnorm_backward#params_only_float'] = function(T)
      return { T.NULL, T({3}, 'float'), T({3}, 'float'), T({2, 3, 2, 2}, 'float'), T({2, 3, 2, 2}, 'float'), T.NULL,
         T.NULL, T.NULL, T({3}, 'float'), T.pos({3}, 'float'), 1, 2, 1e-5 }
   end,

   -- margin and embedding criterions
   multimargin_forward = function(T) return { T.box(), T{4, 5}, T.long({4}, 1, 5), T.NULL, 1, 1, 1 } end,
   ['multimargin_forward#p2_weights_float'] = function(T)
      return { T.box(), T({4, 5}, 'float'), T.long({4}, 1, 5), T.pos({5}, 'float'), 2, 0.5, 0 }
   end,
   ['multimargin_forward#1d'] = function(T) return { T.box(), T{5}, T.long({1}, 1, 5), T.NULL, 1, 1, 1 } end,
   multimargin_backward = function(T) return { T.out(), T{4, 5}, T.long({4}, 1, 5), T.NULL, 1, 1, 1 } end,
   ['multimargin_backward#p2_weights'] = function(T)
      return { T.out(), T{4, 5}, T.long({4}, 1, 5), T.pos{5}, 2, 0.7, 0 }
   end,
   -- each row's targets end at the first value < 1
   multilabelmargin_forward = function(T) return { T.box(), T.out(), T{3, 4}, T.long({3, 4}, 0, 4), 1 } end,
   ['multilabelmargin_forward#float'] = function(T)
      return { T.box(), T.out('float'), T({2, 5}, 'float'), T.long({2, 5}, 0, 5), 0 }
   end,
   multilabelmargin_backward = function(T) return { T.out(), T.out(), T{3, 4}, T.long({3, 4}, 0, 4), 1 } end,
   ['multilabelmargin_backward#1d_float'] = function(T)
      return { T.out('float'), T.out('float'), T({5}, 'float'), T.long({5}, 0, 5), 0 }
   end,
   multilabelsoftmargin_forward = function(T) return { T.box(), T{3, 4}, labels(T, { 3, 4 }), T.NULL, 1 } end,
   ['multilabelsoftmargin_forward#weights_float'] = function(T)
      return { T.box(), T({2, 4}, 'float'), labels(T, { 2, 4 }, 'float'), T.pos({4}, 'float'), 0 }
   end,
   multilabelsoftmargin_backward = function(T) return { T.out(), T{3, 4}, labels(T, { 3, 4 }), T.NULL, 1 } end,
   ['multilabelsoftmargin_backward#weights'] = function(T)
      return { T.out(), T{2, 4}, labels(T, { 2, 4 }), T.pos{4}, 0 }
   end,
   -- targets y: all 1 (loss 1 - cos) or all -1 (loss max(0, cos - margin))
   cosine_embedding_forward = function(T)
      return { T.box(), T{3, 4}, T{3, 4}, T.ints({3}, 'double', 1, 1), 0, 1 }
   end,
   ['cosine_embedding_forward#neg_float'] = function(T)
      return { T.box(), T({3, 4}, 'float'), T({3, 4}, 'float'), T.ints({3}, 'float', -1, -1), -0.5, 0 }
   end,
   cosine_embedding_backward = function(T)
      return { T.out(), T.out(), T{3, 4}, T{3, 4}, T.ints({3}, 'double', 1, 1), 0, 1 }
   end,
   ['cosine_embedding_backward#neg'] = function(T)
      return { T.out(), T.out(), T{3, 4}, T{3, 4}, T.ints({3}, 'double', -1, -1), -0.5, 0 }
   end,
   l1hinge_forward = function(T) return { T.box(), T{3, 4}, T{3, 4}, 1, 0.5 } end,
   ['l1hinge_forward#neg_float'] = function(T) return { T.box(), T({6}, 'float'), T({6}, 'float'), -1, 10 } end,
   l1hinge_backward = function(T) return { T.out(), T.out(), T{3, 4}, T{3, 4}, 1, 0.5 } end,
   ['l1hinge_backward#neg'] = function(T) return { T.out(), T.out(), T{3, 4}, T{3, 4}, -1, 10 } end,
   -- x1 = x2: a random +-1 per element (the runner reseeds before each call)
   ['l1hinge_backward#alias'] = function(T) local x = T{2, 3}; return { T.out(), T.out(), x, x, 1, 0.5 } end,
   -- one sample (1D) for the row criterions' backward passes, summed
   ['multimargin_backward#1d_float'] = function(T)
      return { T.out('float'), T({6}, 'float'), T.long({1}, 1, 6), T.NULL, 2, 1, 0 }
   end,
   ['multilabelsoftmargin_backward#1d_float'] = function(T)
      return { T.out('float'), T({5}, 'float'), labels(T, { 5 }, 'float'), T.NULL, 0 }
   end,
   ['cosine_embedding_forward#1d'] = function(T)
      return { T.box(), T{6}, T{6}, T.ints({1}, 'double', 1, 1), 0, 1 }
   end,
   -- x1 and x2 of different shapes with the same number of elements
   ['l1hinge_forward#shapes'] = function(T) return { T.box(), T{2, 6}, T{3, 4}, 1, 0.5 } end,
   ['l1hinge_backward#shapes_float'] = function(T)
      return { T.out('float'), T.out('float'), T({4, 3}, 'float'), T({12}, 'float'), -1, 100 }
   end,
}

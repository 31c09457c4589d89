-- conformance cases for the math family: pointwise (runtime/math_pointwise.c)
-- and reductions (runtime/math_reduce.c)
local C = require('torch')._core.C

return {
   unary = function(T) return { T.out(), T{3, 4}, C.NL_U_TANH, 0, 0 } end,
   ['unary#exp_float'] = function(T) return { T.out('float'), T({5, 2}, 'float'), C.NL_U_EXP, 0, 0 } end,
   ['unary#sqrt'] = function(T) return { T.out(), T.pos{7}, C.NL_U_SQRT, 0, 0 } end,
   ['unary#clamp_int'] = function(T) return { T.out('int'), T({4, 3}, 'int'), C.NL_U_CLAMP, 2, 6 } end,
   ['unary#alias'] = function(T) local x = T{3, 4}; return { x, x, C.NL_U_MUL, 2.5, 0 } end,
   ['unary#empty'] = function(T) return { T.out(), T{0}, C.NL_U_NEG, 0, 0 } end,
   binary = function(T) return { T.out(), T{3, 4}, T{3, 4}, C.NL_B_ADD, 0.5 } end,
   ['binary#div_float'] = function(T) return { T.out('float'), T({6}, 'float'), T.pos({6}, 'float'), C.NL_B_DIV, 1 } end,
   ['binary#cmax_long'] = function(T) return { T.out('long'), T({2, 5}, 'long'), T({2, 5}, 'long'), C.NL_B_CMAX, 1 } end,
   ['binary#alias'] = function(T) local x = T{4, 2}; return { x, x, T{4, 2}, C.NL_B_MUL, 1 } end,
   ternary = function(T) return { T.out(), T{3, 3}, T{3, 3}, T{3, 3}, C.NL_T_ADDCMUL, 0.3 } end,
   ['ternary#addcdiv'] = function(T) return { T.out('float'), T({5}, 'float'), T({5}, 'float'), T.pos({5}, 'float'),
      C.NL_T_ADDCDIV, -2 } end,
   compare = function(T) return { T.out('byte'), T{3, 4}, T{3, 4}, C.NL_C_LT, 0 } end,
   ['compare#scalar'] = function(T) return { T.out(), T{3, 4}, T.NULL, C.NL_C_GE, 0.1 } end,
   reduce_all = function(T) return { T.box(), T{4, 5}, C.NL_R_SUM, 0 } end,
   ['reduce_all#norm'] = function(T) return { T.box(), T({3, 3}, 'float'), C.NL_R_NORM, 3 } end,
   ['reduce_all#max_int'] = function(T) return { T.box(), T({7}, 'int'), C.NL_R_MAX, 0 } end,
   ['reduce_all#var'] = function(T) return { T.box(), T{2, 6}, C.NL_R_VAR, 0 } end,
   reduce_dim = function(T) return { T.out(), T.NULL, T{4, 5}, 1, C.NL_R_SUM, 0 } end,
   ['reduce_dim#max'] = function(T) return { T.out(), T.out('long'), T{4, 5}, 0, C.NL_R_MAX, 0 } end,
   ['reduce_dim#std_float'] = function(T) return { T.out('float'), T.NULL, T({3, 4, 2}, 'float'), 2, C.NL_R_STD, 0 } end,
   cumulate = function(T) return { T.out(), T{3, 4}, 1, C.NL_R_SUM } end,
   ['cumulate#prod_long'] = function(T) return { T.out('long'), T.ints({4, 3}, 'long', 1, 3), 0, C.NL_R_PROD } end,
   dist = function(T) return { T.box(), T{3, 4}, T{3, 4}, 2 } end,
   ['dist#p1_float'] = function(T) return { T.box(), T({6}, 'float'), T({6}, 'float'), 1 } end,
}

-- conformance cases for the LSTM cell (runtime/nn/lstm.c): forward
-- rewrites the gates in place; backward updates grad_c in place and takes
-- an optional second gradient of h.
return {
   lstm_cell_forward = function(T) return { T.out(), T.out(), T{3, 8}, T{3, 2} } end,
   ['lstm_cell_forward#float'] = function(T)
      return { T.out('float'), T.out('float'), T({4, 20}, 'float'), T({4, 5}, 'float') } end,
   ['lstm_cell_forward#one_row'] = function(T) return { T.out(), T.out(), T{1, 4}, T{1, 1} } end,
   lstm_cell_backward = function(T)
      return { T.out(), T{3, 2}, T.pos{3, 8}, T{3, 2}, T{3, 2}, T{3, 2}, T{3, 2} } end,
   ['lstm_cell_backward#no_h2_float'] = function(T)
      return { T.out('float'), T({4, 5}, 'float'), T.pos({4, 20}, 'float'), T({4, 5}, 'float'), T({4, 5}, 'float'),
               T({4, 5}, 'float'), T.NULL } end,
}

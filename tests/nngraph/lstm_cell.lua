-- One LSTM time step as an nn.gModule, built from nodes the way char-rnn's
-- model/LSTM.lua builds it (Linear, CAddTable, Reshape, SplitTable +
-- split, Sigmoid, Tanh, CMulTable). For specs, and for comparing a fused
-- LSTM against the graph one:
--
--   local lstm_cell = dofile(NNLUA_ROOT .. '/tests/nngraph/lstm_cell.lua')
--   local g, named = lstm_cell(input_size, rnn_size, n_layers [, opt])
--
-- inputs  {x, prev_c[1], prev_h[1], ..., prev_c[n], prev_h[n]}
-- outputs {next_c[1], next_h[1], ..., next_c[n], next_h[n] [, logprobs]}
-- x is batch x input_size (opt.onehot: a vector of class indices, turned
-- into one-hot rows by nn.OneHot(input_size) as char-rnn does). Each layer
-- L computes i2h_L(x_L) + h2h_L(prev_h[L]), a batch x 4*rnn_size tensor
-- whose four blocks of rnn_size columns are, in this order, the input
-- gate, the forget gate, the output gate (all through Sigmoid) and the
-- cell candidate (through Tanh):
--   next_c = forget * prev_c + input * candidate
--   next_h = output * tanh(next_c)
-- opt.dropout (default 0) adds nn.Dropout before the upper layers' input
-- and the decoder; opt.output_size adds the decoder Linear(rnn_size,
-- output_size) + LogSoftMax as the last output.
-- named.i2h[L], named.h2h[L], named.decoder are the Linear modules.
require 'nngraph'

return function(input_size, rnn_size, n_layers, opt)
   opt = opt or {}
   n_layers = n_layers or 1
   local dropout = opt.dropout or 0
   local named = { i2h = {}, h2h = {} }

   local inputs = { nn.Identity()() }
   for L = 1, n_layers do
      inputs[#inputs + 1] = nn.Identity()()   -- prev_c[L]
      inputs[#inputs + 1] = nn.Identity()()   -- prev_h[L]
   end

   local outputs = {}
   local x, size_L
   for L = 1, n_layers do
      local prev_c = inputs[L * 2]
      local prev_h = inputs[L * 2 + 1]
      if L == 1 then
         x = opt.onehot and nn.OneHot(input_size)(inputs[1]) or inputs[1]
         size_L = input_size
      else
         x = outputs[(L - 1) * 2]
         if dropout > 0 then x = nn.Dropout(dropout)(x) end
         size_L = rnn_size
      end
      named.i2h[L] = nn.Linear(size_L, 4 * rnn_size)
      named.h2h[L] = nn.Linear(rnn_size, 4 * rnn_size)
      local i2h = named.i2h[L](x):annotate { name = 'i2h_' .. L }
      local h2h = named.h2h[L](prev_h):annotate { name = 'h2h_' .. L }
      local all_input_sums = nn.CAddTable()({ i2h, h2h })
      local reshaped = nn.Reshape(4, rnn_size)(all_input_sums)
      local n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
      local in_gate = nn.Sigmoid()(n1)
      local forget_gate = nn.Sigmoid()(n2)
      local out_gate = nn.Sigmoid()(n3)
      local in_transform = nn.Tanh()(n4)
      local next_c = nn.CAddTable()({
         nn.CMulTable()({ forget_gate, prev_c }),
         nn.CMulTable()({ in_gate, in_transform }),
      })
      local next_h = nn.CMulTable()({ out_gate, nn.Tanh()(next_c) })
      outputs[#outputs + 1] = next_c
      outputs[#outputs + 1] = next_h
   end

   if opt.output_size then
      local top_h = outputs[#outputs]
      if dropout > 0 then top_h = nn.Dropout(dropout)(top_h) end
      named.decoder = nn.Linear(rnn_size, opt.output_size)
      local proj = named.decoder(top_h):annotate { name = 'decoder' }
      outputs[#outputs + 1] = nn.LogSoftMax()(proj)
   end

   return nn.gModule(inputs, outputs), named
end

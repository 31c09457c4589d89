-- rnn: the Element-Research package's name for the recurrent modules nnlua
-- provides in nn: nn.SeqLSTM (a whole sequence, fused cell) and
-- nn.FastLSTM (a step module), so `require 'rnn'` in classic scripts works.
-- Other rnn classes (Sequencer, Recursor, peephole nn.LSTM, SeqLSTMP, ...)
-- are not provided: using one raises a message naming what to use.
require 'nn'
local rnn = { SeqLSTM = nn.SeqLSTM, FastLSTM = nn.FastLSTM, version = 'nnlua' }

local missing = {
   Sequencer = 'run nn.SeqLSTM over the whole sequence (seqlen x batch x input), or step nn.FastLSTM yourself',
   Recursor = 'step nn.FastLSTM yourself (forget()/remember() keep its state)',
   Recurrent = 'nn.FastLSTM or nn.SeqLSTM',
   SeqLSTMP = 'nn.SeqLSTM followed by nn.Linear over its output',
   SeqGRU = 'nn.SeqLSTM',
   GRU = 'nn.FastLSTM',
   BiSequencer = 'two nn.SeqLSTM, one over the reversed sequence, joined with nn.JoinTable',
}
setmetatable(rnn, {
   __index = function(_, k)
      if missing[k] then error(string.format("rnn.%s is not provided by nnlua: use %s", k, missing[k]), 2) end
      return nil
   end,
})
package.loaded.rnn = rnn
return rnn

-- examples/char-rnn.lua: a character-level LSTM language model in the
-- style of char-rnn, for nnlua. It reads a text (by default the public-
-- domain text shipped in examples/data/), trains a LookupTable ->
-- nn.SeqLSTM x layers -> Linear -> LogSoftMax model on it with truncated
-- backpropagation through time (the LSTM state carries from one batch to
-- the next), RMSprop or Adam and gradient clipping, checkpoints, and
-- samples text with a temperature.
--
--   nnlua examples/char-rnn.lua                       train a few minutes
--   nnlua examples/char-rnn.lua -save cv/lm.t7        ... and checkpoint
--   nnlua examples/char-rnn.lua -resume cv/lm.t7      continue training
--   nnlua examples/char-rnn.lua -resume cv/lm.t7 -sample -primetext "And " -temperature 0.8 -length 200
--   nnlua examples/char-rnn.lua -h                    all options
require 'nn'
require 'optim'

local here = (arg and arg[0] or ''):match('^(.*)/[^/]*$') or '.'

local cmd = torch.CmdLine()
cmd:text()
cmd:text('Train a character-level LSTM language model, or sample from one')
cmd:text()
cmd:option('-data', here .. '/data/genesis.txt', 'the text to learn')
cmd:option('-rnn_size', 128, 'LSTM units per layer')
cmd:option('-num_layers', 2, 'LSTM layers')
cmd:option('-dropout', 0, 'dropout after each LSTM layer (0: none)')
cmd:option('-seq_length', 50, 'steps of backpropagation through time per batch')
cmd:option('-batch_size', 50, 'parallel streams of text')
cmd:option('-iters', 300, 'batches to train (0: only sample, with -resume)')
cmd:option('-optim', 'rmsprop', 'rmsprop | adam')
cmd:option('-learning_rate', 2e-3, 'learning rate')
cmd:option('-decay_rate', 0.95, 'rmsprop decay (alpha)')
cmd:option('-grad_clip', 5, 'clip each gradient element to [-grad_clip, grad_clip]')
cmd:option('-print_every', 10, 'progress line every N batches')
cmd:option('-save', '', 'write a checkpoint here at the end (and every -save_every batches)')
cmd:option('-save_every', 0, 'checkpoint every N batches (0: only at the end)')
cmd:option('-resume', '', 'continue from (or sample from) this checkpoint')
cmd:option('-sample', false, 'sample text after training (or from -resume with -iters 0)')
cmd:option('-primetext', '', 'text to prime the sampler with')
cmd:option('-temperature', 1, 'sampling temperature: below 1 more conservative, above 1 more varied')
cmd:option('-length', 200, 'characters to sample')
cmd:option('-seed', 123, 'random seed')
cmd:option('-threads', 2, 'CPU threads')
cmd:option('-type', 'float', 'float | double (on the CPU)')
cmd:option('-gpu', false, 'train on CUDA when cutorch finds a device')
cmd:text()
local opt = cmd:parse(arg or {})

torch.manualSeed(opt.seed)
torch.setnumthreads(opt.threads)

-- device --------------------------------------------------------------------
local cuda = false
if opt.gpu then
   local ok = pcall(require, 'cunn')
   if ok and cutorch and cutorch.getDeviceCount and cutorch.getDeviceCount() > 0 then
      cuda = true
      print(string.format('running on CUDA (%d device%s)', cutorch.getDeviceCount(),
         cutorch.getDeviceCount() > 1 and 's' or ''))
   else
      print('-gpu: no CUDA device found; running on the CPU')
   end
end

-- checkpoint ------------------------------------------------------------------
local checkpoint
if opt.resume ~= '' then
   checkpoint = torch.load(opt.resume)
   -- the model's shape comes from the checkpoint
   for _, k in ipairs { 'rnn_size', 'num_layers', 'dropout' } do opt[k] = checkpoint.opt[k] end
end

-- data: the text as indices into the sorted set of its characters ----------
local vocab, ivocab
local text
do
   local f = io.open(opt.data, 'rb')
   if not f then error('char-rnn: cannot read the text ' .. opt.data .. ' (-data)', 0) end
   text = f:read('*a')
   f:close()
end
if checkpoint then
   vocab = checkpoint.vocab
else
   local seen, chars = {}, {}
   for c in text:gmatch('.') do
      if not seen[c] then seen[c] = true; chars[#chars + 1] = c end
   end
   table.sort(chars)
   vocab = {}
   for i, c in ipairs(chars) do vocab[c] = i end
end
ivocab = {}
local V = 0
for c, i in pairs(vocab) do ivocab[i] = c; V = math.max(V, i) end

local data = torch.LongTensor(#text)
do
   local bytes = torch.ByteTensor(torch.ByteStorage():string(text))
   local map = torch.LongTensor(256):fill(0)
   for c, i in pairs(vocab) do map[c:byte() + 1] = i end
   data:copy(map:index(1, bytes:long():add(1)))
   if data:min() < 1 then error('char-rnn: the text has characters the checkpoint\'s vocabulary lacks', 0) end
end

-- batch_size streams, each a contiguous slice of the text; batch k is the
-- next seq_length characters of every stream (T x N), so the LSTM state at
-- the end of one batch is the right start for the next
local T, N = opt.seq_length, opt.batch_size
local nbatches = math.floor((#text - 1) / (T * N))
if opt.iters > 0 and nbatches < 1 then
   error(string.format('char-rnn: the text (%d characters) is shorter than one batch (%d x %d); lower -seq_length or '
      .. '-batch_size', #text, T, N), 0)
end
local streams_x, streams_y
if nbatches >= 1 then
   local len = nbatches * T
   streams_x = data:narrow(1, 1, N * len):view(N, len):t():contiguous()      -- len x N
   streams_y = data:narrow(1, 2, N * len):view(N, len):t():contiguous()
end
print(string.format('%s: %d characters, vocabulary of %d, %d batches of %d x %d per epoch', opt.data, #text, V,
   nbatches, T, N))

-- model ---------------------------------------------------------------------------
-- embed (on the CPU: the lookup of character indices) -> net (the LSTM
-- layers and the classifier; on CUDA with -gpu). Each part keeps one flat
-- parameter vector and its own optimizer state.
local tensorType = ({ float = 'torch.FloatTensor', double = 'torch.DoubleTensor' })[opt.type]
if not tensorType then error('char-rnn: unknown -type ' .. opt.type .. ' (float | double)', 0) end
if opt.optim ~= 'adam' and opt.optim ~= 'rmsprop' then error('char-rnn: unknown -optim ' .. opt.optim .. ' (rmsprop | adam)', 0) end
local embed = nn.LookupTable(V, opt.rnn_size):type(tensorType)
local net = nn.Sequential()
if cuda then net:add(nn.Copy(tensorType, 'torch.CudaTensor', false, true)) end
local lstms = {}
for l = 1, opt.num_layers do
   local lstm = nn.SeqLSTM(opt.rnn_size, opt.rnn_size)
   lstm:remember('both')
   lstms[l] = lstm
   net:add(lstm)
   if opt.dropout > 0 then net:add(nn.Dropout(opt.dropout)) end
end
net:add(nn.View(-1, opt.rnn_size))
net:add(nn.Linear(opt.rnn_size, V))
net:add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
if cuda then
   net:cuda()
   criterion:cuda()
else
   net:type(tensorType)
   criterion:type(tensorType)
end
local parts = { embed, net }
local params, grads = {}, {}
for k, m in ipairs(parts) do params[k], grads[k] = m:getParameters() end
if checkpoint then
   for k = 1, 2 do params[k]:copy(checkpoint.params[k]) end
else
   for k = 1, 2 do params[k]:uniform(-0.08, 0.08) end
   for _, lstm in ipairs(lstms) do lstm.bias:zero(); lstm.bias:narrow(1, opt.rnn_size + 1, opt.rnn_size):fill(1) end
end
print(string.format('model: %d parameters, %d LSTM layer%s of %d', params[1]:nElement() + params[2]:nElement(),
   opt.num_layers, opt.num_layers > 1 and 's' or '', opt.rnn_size))

local function newState()
   return opt.optim == 'adam' and { learningRate = opt.learning_rate } or
      { learningRate = opt.learning_rate, alpha = opt.decay_rate }
end
local optimStates = checkpoint and checkpoint.optimStates or { newState(), newState() }
local optimizer = opt.optim == 'adam' and optim.adam or optim.rmsprop
local iteration = checkpoint and checkpoint.iteration or 0
if checkpoint then print(string.format('resumed from %s after %d batches', opt.resume, iteration)) end

local function save(file)
   local p = { params[1]:double():clone(), params[2]:double():clone() }
   torch.save(file, { params = p, vocab = vocab, opt = opt, iteration = iteration, optimStates = optimStates })
   print('saved ' .. file)
end

local function norm2(ts)
   local s = 0
   for _, t in ipairs(ts) do s = s + t:norm() ^ 2 end
   return math.sqrt(s)
end

-- training: truncated BPTT, the state carried between batches -------------------
local x, y = torch.LongTensor(), torch.LongTensor()
if cuda then y = torch.CudaTensor() end
local batch = 0
-- forward and backward of one batch; the gradients clipped
local function step()
   for k = 1, 2 do grads[k]:zero() end
   if batch == 0 then for _, lstm in ipairs(lstms) do lstm:forget() end end
   x:resize(T, N):copy(streams_x:narrow(1, batch * T + 1, T))
   y:resize(T * N):copy(streams_y:narrow(1, batch * T + 1, T))
   batch = (batch + 1) % nbatches
   local e = embed:forward(x)
   local out = net:forward(e)
   local loss = criterion:forward(out, y)
   local ge = net:backward(e, criterion:backward(out, y))
   embed:backward(x, ge)
   for k = 1, 2 do grads[k]:clamp(-opt.grad_clip, opt.grad_clip) end
   return loss
end

if opt.iters > 0 then
   embed:training()
   net:training()
   batch = iteration % nbatches
   local first, last
   for i = 1, opt.iters do
      local timer = torch.Timer()
      local loss = step()
      for k = 1, 2 do optimizer(function() return loss, grads[k] end, params[k], optimStates[k]) end
      iteration = iteration + 1
      local dt = timer:time().real
      first = first or loss
      last = loss
      if i % opt.print_every == 0 or i == 1 or i == opt.iters then
         print(string.format('%d/%d (epoch %.3f), train_loss = %6.4f, grad/param norm = %6.4e, time/batch = %.4fs',
            iteration, iteration - i + opt.iters, iteration / nbatches, loss, norm2(grads) / norm2(params), dt))
      end
      if loss ~= loss then error('char-rnn: the loss is NaN; lower -learning_rate', 0) end
      if opt.save ~= '' and opt.save_every > 0 and i % opt.save_every == 0 then save(opt.save) end
   end
   print(string.format('loss: first batch %.4f, last batch %.4f', first, last))
   if opt.save ~= '' then save(opt.save) end
end

-- sampling: one character at a time, the state carried by remember ------------
if opt.sample or opt.iters == 0 then
   embed:evaluate()
   net:evaluate()
   for _, lstm in ipairs(lstms) do lstm:remember('both'); lstm:forget() end
   local one = torch.LongTensor(1, 1)
   local logp
   local out = {}
   local prime = opt.primetext
   if prime == '' then prime = ivocab[torch.random(1, V)] end
   for c in prime:gmatch('.') do
      if not vocab[c] then error(string.format('char-rnn: %q is not in the vocabulary', c), 0) end
      one[1][1] = vocab[c]
      logp = net:forward(embed:forward(one))
      out[#out + 1] = c
   end
   for _ = 1, opt.length do
      -- p ~ exp(log p / temperature), shifted by the maximum against underflow
      local lp = logp:double():view(-1)
      local probs = lp:add(-lp:max()):div(opt.temperature):exp()
      probs:div(probs:sum())
      local k = torch.multinomial(probs, 1)[1]
      out[#out + 1] = ivocab[k]
      one[1][1] = k
      logp = net:forward(embed:forward(one))
   end
   print('--- sample (temperature ' .. opt.temperature .. ') ---')
   print(table.concat(out))
end

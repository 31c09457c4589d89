-- nn.lstm_util: what nn.SeqLSTM and nn.FastLSTM share: the pointwise
-- cell (runtime/nn/lstm.c, or tensor ops on a device without that entry),
-- argument checks, the default initialisation and the import of a
-- char-rnn cell's Linear weights.
--
-- Layout: weight is (D + H) x 4H: rows 1..D multiply the input x_t, rows
-- D+1..D+H the previous output h_{t-1}; bias is 4H. The 4H columns are
-- four blocks of H in the gate order i (input), f (forget), o (output),
-- g (cell candidate), char-rnn's order:
--   [i f o] = sigmoid([x h] W + b)[1..3H],  g = tanh(...)[3H+1..4H]
--   c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C

local U = {}
nn.lstm_util = U

local function has_kernel(t, name) return C.nl_supports(t, name) ~= 0 end

-- h, c (N x H) from the pre-activations gates (N x 4H, turned into the
-- activations) and the previous cell prev_c
function U.cellForward(m, h, c, gates, prev_c)
   if has_kernel(gates, 'nl_lstm_cell_forward') then
      nn.THNN.check(m, C.nl_lstm_cell_forward(h, c, gates, prev_c))
   else
      U.cellForwardOps(h, c, gates, prev_c)
   end
end

-- the same with tensor ops (for a device without the kernel; the plain
-- reference the kernel is checked against)
function U.cellForwardOps(h, c, gates, prev_c)
   local H = gates:size(2) / 4
   gates:narrow(2, 1, 3 * H):sigmoid()
   local g = gates:narrow(2, 3 * H + 1, H):tanh()
   local i, f, o = gates:narrow(2, 1, H), gates:narrow(2, H + 1, H), gates:narrow(2, 2 * H + 1, H)
   c:resizeAs(prev_c):cmul(f, prev_c):addcmul(i, g)
   h:resizeAs(c):tanh(c):cmul(o)
end

-- grad_gates (N x 4H) and, in place, grad_c: the gradient of the next
-- cell in, of prev_c out; grad_h2 may be nil
function U.cellBackward(m, grad_gates, grad_c, gates, prev_c, c, grad_h, grad_h2)
   if has_kernel(gates, 'nl_lstm_cell_backward') then
      nn.THNN.check(m, C.nl_lstm_cell_backward(grad_gates, grad_c, gates, prev_c, c, grad_h, grad_h2))
   else
      U.cellBackwardOps(grad_gates, grad_c, gates, prev_c, c, grad_h, grad_h2)
   end
end

function U.cellBackwardOps(grad_gates, grad_c, gates, prev_c, c, grad_h, grad_h2)
   local H = gates:size(2) / 4
   local i, f = gates:narrow(2, 1, H), gates:narrow(2, H + 1, H)
   local o, g = gates:narrow(2, 2 * H + 1, H), gates:narrow(2, 3 * H + 1, H)
   grad_gates:resizeAs(gates)
   local di, df = grad_gates:narrow(2, 1, H), grad_gates:narrow(2, H + 1, H)
   local dout, dg = grad_gates:narrow(2, 2 * H + 1, H), grad_gates:narrow(2, 3 * H + 1, H)
   local dh = grad_h.new():resizeAs(grad_h):copy(grad_h)
   if grad_h2 then dh:add(grad_h2) end
   local tc = c.new():tanh(c)
   -- dc += dh * o * (1 - tanh(c)^2)
   dg:cmul(tc, tc):mul(-1):add(1):cmul(o):cmul(dh)
   grad_c:add(dg)
   dout:fill(1):add(-1, o):cmul(o):cmul(tc):cmul(dh)
   dg:cmul(g, g):mul(-1):add(1):cmul(i):cmul(grad_c)
   di:fill(1):add(-1, i):cmul(i):cmul(g):cmul(grad_c)
   df:fill(1):add(-1, f):cmul(f):cmul(prev_c):cmul(grad_c)
   grad_c:cmul(f)
end

-- The per-step work (one N x H x 4H GEMM and the cell) runs on one thread
-- below this many flops per step: waking a second thread for a GEMM of a
-- tenth of a millisecond costs more than it saves, most of all on a busy
-- machine (2 layers of 128, batch 50: 2.7x faster than with 2 threads).
U.serialStepFlops = 2 ^ 25

-- fn() with one thread when the steps are small (see serialStepFlops)
function U.steps(N, H, fn)
   local nt = torch.getnumthreads()
   if nt == 1 or 8 * N * H * H >= U.serialStepFlops then return fn() end
   torch.setnumthreads(1)
   local ok, err = pcall(fn)
   torch.setnumthreads(nt)
   if not ok then error(err, 0) end
end

function U.checkSize(cls, v, what)
   if type(v) ~= 'number' or v < 1 or v ~= math.floor(v) then
      error(string.format('%s: expected a positive integer %s, got %s', cls, what, tostring(v)), 3)
   end
end

-- rnn's initialisation: weights N(0, 1/sqrt(D + H)), bias 0 but 1 on the
-- forget gate
function U.reset(m, D, H, std)
   std = std or 1 / math.sqrt(D + H)
   m.weight:normal(0, std)
   m.bias:zero()
   m.bias:narrow(1, H + 1, H):fill(1)
   return m
end

-- Sets weight and bias from a char-rnn cell: i2h = nn.Linear(D, 4H) on
-- x_t and h2h = nn.Linear(H, 4H) on h_{t-1} (gates i, f, o, g, as here).
function U.loadCell(m, D, H, i2h, h2h)
   local name = torch.type(m)
   local function need(l, what, cols)
      if not (l and torch.isTensor(l.weight) and l.weight:dim() == 2 and l.weight:size(1) == 4 * H
         and l.weight:size(2) == cols) then
         error(string.format('%s:loadCell: %s must be a Linear with a %dx%d weight, got %s', name, what, 4 * H, cols,
            l and torch.isTensor(l.weight) and nn.utils.shapeStr(l.weight) or torch.type(l)), 3)
      end
   end
   need(i2h, 'i2h', D)
   need(h2h, 'h2h', H)
   m.weight:narrow(1, 1, D):copy(i2h.weight:t())
   m.weight:narrow(1, D + 1, H):copy(h2h.weight:t())
   m.bias:zero()
   if i2h.bias then m.bias:add(i2h.bias) end
   if h2h.bias then m.bias:add(h2h.bias) end
   return m
end

-- 'both', 'train', 'eval' or 'neither' (rnn's remember modes); nil: 'both'
function U.rememberMode(m, mode)
   mode = mode == nil and 'both' or mode
   if mode ~= 'both' and mode ~= 'train' and mode ~= 'eval' and mode ~= 'neither' then
      error(torch.type(m) .. ':remember: expected "both", "train", "eval" or "neither", got ' .. tostring(mode), 3)
   end
   return mode
end

-- whether the state carries over into this forward (self.train, _remember)
function U.remembering(m)
   local mode = m._remember or 'neither'
   if m.train ~= false then return mode == 'both' or mode == 'train' end
   return mode == 'both' or mode == 'eval'
end

-- The same LSTM step from plain nn modules, char-rnn's cell without
-- nngraph: {x, c_prev, h_prev} -> {c, h}, with i2h = nn.Linear(D, 4H) and
-- h2h = nn.Linear(H, 4H) (returned too, for loadCell). Slower than the
-- fused modules; the reference they are checked against, and what a
-- graph-built LSTM computes.
function U.referenceCell(D, H)
   local function sel(k) return nn.SelectTable(k) end
   local function seq(...)
      local s = nn.Sequential()
      for _, m in ipairs { ... } do s:add(m) end
      return s
   end
   local function cat(...)
      local c = nn.ConcatTable()
      for _, m in ipairs { ... } do c:add(m) end
      return c
   end
   local i2h, h2h = nn.Linear(D, 4 * H), nn.Linear(H, 4 * H)
   local function gate(k, act) return seq(sel(1), nn.Narrow(2, (k - 1) * H + 1, H), act) end
   local cell = seq(
      -- {x, c, h} -> {sums, c}
      cat(seq(cat(seq(sel(1), i2h), seq(sel(3), h2h)), nn.CAddTable()), sel(2)),
      -- -> {i, f, o, g, c}
      cat(gate(1, nn.Sigmoid()), gate(2, nn.Sigmoid()), gate(3, nn.Sigmoid()), gate(4, nn.Tanh()), sel(2)),
      -- -> {c_next = f * c + i * g, o}
      cat(seq(cat(seq(cat(sel(2), sel(5)), nn.CMulTable()), seq(cat(sel(1), sel(4)), nn.CMulTable())),
         nn.CAddTable()), sel(3)),
      -- -> {c_next, h = o * tanh(c_next)}
      cat(sel(1), seq(cat(sel(2), seq(sel(1), nn.Tanh())), nn.CMulTable())))
   return cell, i2h, h2h
end

-- The same step as char-rnn's model/LSTM.lua writes it with nngraph:
-- gModule {x, c_prev, h_prev} -> {c, h} over i2h, h2h, Reshape(4, H),
-- SplitTable and the gates; returns it with i2h and h2h.
function U.graphCell(D, H)
   require 'nngraph'
   local x, prev_c, prev_h = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local i2h, h2h = nn.Linear(D, 4 * H), nn.Linear(H, 4 * H)
   local sums = nn.CAddTable()({ i2h(x), h2h(prev_h) })
   local n1, n2, n3, n4 = nn.SplitTable(2)(nn.Reshape(4, H)(sums)):split(4)
   local i, f, o, g = nn.Sigmoid()(n1), nn.Sigmoid()(n2), nn.Sigmoid()(n3), nn.Tanh()(n4)
   local next_c = nn.CAddTable()({ nn.CMulTable()({ f, prev_c }), nn.CMulTable()({ i, g }) })
   local next_h = nn.CMulTable()({ o, nn.Tanh()(next_c) })
   return nn.gModule({ x, prev_c, prev_h }, { next_c, next_h }), i2h, h2h
end

-- char-rnn's clone_many_times: T copies of net made through a
-- torch.MemoryFile (writeObject once, readObject per copy), each copy's
-- parameters and gradients set to the prototype's tensors (so flatten the
-- prototype with getParameters first: the copies then share the flat
-- storage).
function U.cloneManyTimes(net, T)
   local params, gradParams = net:parameters()
   local mem = torch.MemoryFile('w'):binary()
   mem:writeObject(net)
   local clones = {}
   for t = 1, T do
      local reader = torch.MemoryFile(mem:storage(), 'r'):binary()
      local clone = reader:readObject()
      reader:close()
      if params then
         local cp, cg = clone:parameters()
         for i = 1, #params do
            cp[i]:set(params[i])
            cg[i]:set(gradParams[i])
         end
      end
      clones[t] = clone
   end
   mem:close()
   return clones
end

return U

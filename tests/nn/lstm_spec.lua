-- nn.SeqLSTM and nn.FastLSTM (the fused LSTM, runtime/nn/lstm.c) against
-- the same LSTM built from plain nn modules and cloned per step through
-- torch.MemoryFile (nn.lstm_util.referenceCell / cloneManyTimes, char-rnn's
-- way); Jacobians; states carried by remember/forget; masks; sizes.
local torch = require 'torch'
local nn = require 'nn'
local U = nn.lstm_util

local function maxdiff(a, b) return (a:double() - b:double()):abs():max() end

-- The reference LSTM over x (T x N x D) from c0, h0, with gradOutput go:
-- outputs (T x N x H), gradInput, grad c0, h0, and the cell's i2h / h2h
-- gradients.
local function reference(i2h0, h2h0, x, c0, h0, go)
   local T, N, D = x:size(1), x:size(2), x:size(3)
   local H = h0:size(2)
   local cell, i2h, h2h = U.referenceCell(D, H)
   i2h.weight:copy(i2h0.weight); i2h.bias:copy(i2h0.bias)
   h2h.weight:copy(h2h0.weight); h2h.bias:copy(h2h0.bias)
   cell:type(x:type())
   local _, gp = cell:getParameters()
   gp:zero()
   local clones = U.cloneManyTimes(cell, T)
   local out = x.new(T, N, H)
   local c, h = c0, h0
   local inputs = {}
   for t = 1, T do
      inputs[t] = { x[t], c, h }
      local o = clones[t]:forward(inputs[t])
      c, h = o[1], o[2]
      out[t]:copy(h)
   end
   local gx = x.new(T, N, D)
   local gc, gh = c0.new(N, H):zero(), h0.new(N, H):zero()
   for t = T, 1, -1 do
      local gi = clones[t]:backward(inputs[t], { gc, gh:clone():add(go[t]) })
      gx[t]:copy(gi[1])
      gc, gh = gi[2]:clone(), gi[3]:clone()
   end
   return { out = out, gx = gx, gc0 = gc, gh0 = gh, i2h = i2h, h2h = h2h, clones = clones }
end

-- a SeqLSTM and the reference with one set of weights, compared
local function compare(dtype, tol, T, N, D, H, withState)
   torch.manualSeed(7)
   local _, i2h, h2h = U.referenceCell(D, H)
   local m = nn.SeqLSTM(D, H):loadCell(i2h, h2h):type(dtype)
   m:zeroGradParameters()
   local x = torch.randn(T, N, D):type(dtype)
   local c0, h0 = torch.randn(N, H):type(dtype), torch.randn(N, H):type(dtype)
   local go = torch.randn(T, N, H):type(dtype)
   local zc, zh = c0:clone():zero(), h0:clone():zero()
   local ref = reference(i2h, h2h, x, withState and c0 or zc, withState and h0 or zh, go)
   local input = withState and { c0, h0, x } or x
   local out = m:forward(input)
   local gi = m:backward(input, go)
   assert.is_true(maxdiff(out, ref.out) < tol, 'output ' .. maxdiff(out, ref.out))
   local gx = withState and gi[3] or gi
   assert.is_true(maxdiff(gx, ref.gx) < tol, 'gradInput ' .. maxdiff(gx, ref.gx))
   if withState then
      assert.is_true(maxdiff(gi[1], ref.gc0) < tol, 'grad c0')
      assert.is_true(maxdiff(gi[2], ref.gh0) < tol, 'grad h0')
   end
   assert.is_true(maxdiff(m.gradWeight:narrow(1, 1, D), ref.i2h.gradWeight:t()) < tol, 'gradWeight (input rows)')
   assert.is_true(maxdiff(m.gradWeight:narrow(1, D + 1, H), ref.h2h.gradWeight:t()) < tol, 'gradWeight (h rows)')
   assert.is_true(maxdiff(m.gradBias, ref.i2h.gradBias) < tol, 'gradBias')
   assert.is_true(maxdiff(m.gradBias, ref.h2h.gradBias) < tol, 'gradBias (h2h)')
   assert.is_true(torch.abs(out):max() > 0.05 and torch.abs(m.gradWeight):max() > 0.05, 'values are not trivially zero')
   return m
end

describe('nn.SeqLSTM against the LSTM built from nn modules', function()
   it('double, zero initial state', function() compare('torch.DoubleTensor', 1e-12, 5, 3, 4, 6, false) end)
   it('double, initial states {c0, h0, x} and their gradients', function()
      compare('torch.DoubleTensor', 1e-12, 4, 2, 3, 5, true)
   end)
   it('float (the float kernel and its tanh)', function() compare('torch.FloatTensor', 2e-5, 6, 4, 5, 7, true) end)
   it('wide enough for the threaded path', function() compare('torch.FloatTensor', 3e-5, 3, 64, 8, 96, false) end)
   it('runs small steps on one thread and restores the thread count, also after an error', function()
      local nt = torch.getnumthreads()
      torch.setnumthreads(2)
      local seen
      nn.lstm_util.steps(4, 8, function() seen = torch.getnumthreads() end)
      assert.are.equal(1, seen)
      assert.are.equal(2, torch.getnumthreads())
      nn.lstm_util.steps(64, 1024, function() seen = torch.getnumthreads() end)
      assert.are.equal(2, seen)
      assert.has_error(function() nn.lstm_util.steps(4, 8, function() error('boom', 0) end) end, 'boom')
      assert.are.equal(2, torch.getnumthreads())
      torch.setnumthreads(nt)
   end)

   it('accGradParameters scales and accumulates', function()
      torch.manualSeed(3)
      local m = nn.SeqLSTM(3, 4)
      local x, go = torch.randn(3, 2, 3), torch.randn(3, 2, 4)
      m:zeroGradParameters()
      m:forward(x)
      m:backward(x, go)
      local gw, gb = m.gradWeight:clone(), m.gradBias:clone()
      m:backward(x, go, 0.5)
      assert.is_true(maxdiff(m.gradWeight, gw * 1.5) < 1e-12)
      assert.is_true(maxdiff(m.gradBias, gb * 1.5) < 1e-12)
   end)
end)

describe('the LSTM cell kernel', function()
   it('matches the tensor-op version in float and double, forward and backward', function()
      for _, ty in ipairs { 'torch.DoubleTensor', 'torch.FloatTensor' } do
         torch.manualSeed(11)
         local N, H = 5, 9
         local g0 = torch.randn(N, 4 * H):mul(2):type(ty)
         local pc = torch.randn(N, H):type(ty)
         local h1, c1, g1 = torch.Tensor():type(ty), torch.Tensor():type(ty), g0:clone()
         local h2, c2, g2 = torch.Tensor():type(ty), torch.Tensor():type(ty), g0:clone()
         U.cellForward(nn.SeqLSTM(1, 1), h1, c1, g1, pc)
         U.cellForwardOps(h2, c2, g2, pc)
         local tol = ty == 'torch.FloatTensor' and 1e-6 or 1e-14
         assert.is_true(maxdiff(h1, h2) < tol and maxdiff(c1, c2) < tol and maxdiff(g1, g2) < tol)
         local dh, dh2 = torch.randn(N, H):type(ty), torch.randn(N, H):type(ty)
         local dc1, dc2 = torch.randn(N, H):type(ty), nil
         dc2 = dc1:clone()
         local dg1, dg2 = torch.Tensor():type(ty), torch.Tensor():type(ty)
         U.cellBackward(nn.SeqLSTM(1, 1), dg1, dc1, g1, pc, c1, dh, dh2)
         U.cellBackwardOps(dg2, dc2, g2, pc, c2, dh, dh2)
         assert.is_true(maxdiff(dg1, dg2) < tol * 10 and maxdiff(dc1, dc2) < tol * 10)
      end
   end)
   it('hand-computed step', function()
      -- pre-activations 0 everywhere: i = f = o = 1/2, g = 0, c = c_prev / 2
      local g = torch.zeros(1, 8)
      local h, c = torch.Tensor(), torch.Tensor()
      torch._core.C.nl_lstm_cell_forward(h, c, g, torch.Tensor { { 2, -4 } })
      assert.are.same({ { 1, -2 } }, c:totable())
      assert.is_true(math.abs(h[1][1] - 0.5 * math.tanh(1)) < 1e-15)
      assert.are.same({ 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0 }, g[1]:totable())
   end)
   it('rejects bad sizes with the sizes in the message', function()
      local C = torch._core.C
      local ffi = require 'ffi'
      assert.are.equal(-1, C.nl_lstm_cell_forward(torch.Tensor(), torch.Tensor(), torch.Tensor(2, 7), torch.Tensor(2, 1)))
      assert.truthy(ffi.string(C.nl_last_error()):find('gates have size 2x7, expected N x 4H', 1, true))
      assert.are.equal(-1, C.nl_lstm_cell_forward(torch.Tensor(), torch.Tensor(), torch.Tensor(2, 8), torch.Tensor(3, 2)))
      assert.truthy(ffi.string(C.nl_last_error()):find('prev_c has size 3x2, expected 2x2', 1, true))
   end)
end)

describe('nn.SeqLSTM', function()
   it('passes the Jacobian checks (input and parameters, double)', function()
      torch.manualSeed(5)
      local m = nn.SeqLSTM(3, 4)
      local x = torch.randn(4, 2, 3)
      assert.is_true(nn.Jacobian.testJacobian(m, x) < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight) < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, x, m.bias, m.gradBias) < 1e-6)
      m.batchfirst = true
      assert.is_true(nn.Jacobian.testJacobian(m, torch.randn(2, 3, 3)) < 1e-6)
   end)

   it('remember() carries h and c between forwards; forget() drops them', function()
      torch.manualSeed(9)
      local m = nn.SeqLSTM(3, 5)
      local x = torch.randn(6, 2, 3)
      local whole = m:forward(x):clone()
      m:remember():forget()
      assert.are.equal('both', m._remember)
      m:forward(x:narrow(1, 1, 4))
      local second = m:forward(x:narrow(1, 5, 2)):clone()
      assert.is_true(maxdiff(second, whole:narrow(1, 5, 2)) < 1e-14)
      m:forget()
      local fresh = m:forward(x:narrow(1, 5, 2)):clone()
      local m2 = m:clone():forget():remember('neither')
      assert.is_true(maxdiff(fresh, m2:forward(x:narrow(1, 5, 2))) < 1e-14)
      assert.is_true(maxdiff(fresh, second) > 1e-3)
      -- without remember every forward starts from zeros
      m2:forward(x:narrow(1, 1, 4))
      assert.is_true(maxdiff(fresh, m2:forward(x:narrow(1, 5, 2))) < 1e-14)
      -- evaluate() forgets; remember('train') does not carry in evaluation
      m:remember('train'):evaluate()
      m:forward(x:narrow(1, 1, 4))
      assert.is_true(maxdiff(fresh, m:forward(x:narrow(1, 5, 2))) < 1e-14)
      -- forget() between forward and backward keeps what backward needs
      m:training()
      m:forward(x)
      local g1 = m:backward(x, torch.ones(6, 2, 5)):clone()
      m:forget()
      m:forward(x)
      m:forget()
      assert.is_true(maxdiff(m:backward(x, torch.ones(6, 2, 5)), g1) < 1e-15)
      assert.has_error(function() m:remember('sometimes') end,
         'nn.SeqLSTM:remember: expected "both", "train", "eval" or "neither", got sometimes')
   end)

   it('a remembered state of another batch size is an error naming the sizes', function()
      local m = nn.SeqLSTM(2, 3):remember()
      m:forward(torch.randn(2, 4, 2))
      assert.has_error(function() m:forward(torch.randn(2, 5, 2)) end,
         'nn.SeqLSTM(2 -> 3): the batch size changed from 4 to 5 while remembering states; call forget() first')
   end)

   it('userPrevOutput / userPrevCell start the sequence; gradients land in userGradPrev*', function()
      torch.manualSeed(4)
      local m = nn.SeqLSTM(3, 4)
      local x, c0, h0 = torch.randn(3, 2, 3), torch.randn(2, 4), torch.randn(2, 4)
      local go = torch.randn(3, 2, 4)
      local a = m:forward({ c0, h0, x }):clone()
      local ga = m:backward({ c0, h0, x }, go)
      local gc0, gh0 = ga[1]:clone(), ga[2]:clone()
      m.userPrevOutput, m.userPrevCell = h0, c0
      local b = m:forward(x)
      assert.is_true(maxdiff(a, b) < 1e-15)
      m:backward(x, go)
      assert.is_true(maxdiff(m.userGradPrevOutput, gh0) < 1e-15)
      assert.is_true(maxdiff(m.userGradPrevCell, gc0) < 1e-15)
      assert.is_nil(m.userPrevOutput)
      -- gradPrevOutput adds to the last step's gradient of h
      local gpo = torch.randn(2, 4)
      m:forward(x)
      m.gradPrevOutput = gpo
      local g1 = m:updateGradInput(x, go):clone()
      local go2 = go:clone()
      go2[3]:add(gpo)
      m:forward(x)
      assert.is_true(maxdiff(m:updateGradInput(x, go2), g1) < 1e-15)
   end)

   it('takes non-contiguous and batch-first inputs', function()
      torch.manualSeed(2)
      local m = nn.SeqLSTM(3, 4)
      local x = torch.randn(5, 2, 3)
      local go = torch.randn(5, 2, 4)
      local y = m:forward(x):clone()
      local gx = m:backward(x, go):clone()
      -- a strided view holding the same values
      local big = torch.randn(5, 2, 6)
      local xs = big:narrow(3, 2, 3):copy(x)
      assert.is_false(xs:isContiguous())
      assert.is_true(maxdiff(m:forward(xs), y) < 1e-15)
      assert.is_true(maxdiff(m:backward(xs, go:transpose(1, 2):contiguous():transpose(1, 2)), gx) < 1e-15)
      -- batch x seqlen
      m.batchfirst = true
      local yb = m:forward(x:transpose(1, 2):contiguous())
      assert.are.same({ 2, 5, 4 }, yb:size():totable())
      assert.is_true(maxdiff(yb, y:transpose(1, 2)) < 1e-15)
      local gb = m:backward(x:transpose(1, 2):contiguous(), go:transpose(1, 2))
      assert.is_true(maxdiff(gb, gx:transpose(1, 2)) < 1e-15)
   end)

   it('maskzero: a zero input step zeroes h and c, and the next step starts afresh', function()
      torch.manualSeed(6)
      local m = nn.SeqLSTM(3, 4)
      m.maskzero = true
      local x = torch.randn(5, 2, 3)
      x[3][1]:zero()
      local y = m:forward(x):clone()
      assert.are.equal(0, torch.abs(y[3][1]):max())
      assert.is_true(torch.abs(y[3][2]):max() > 0)
      local fresh = nn.SeqLSTM(3, 4)
      fresh.weight:copy(m.weight); fresh.bias:copy(m.bias)
      local y2 = fresh:forward(x:narrow(1, 4, 2):narrow(2, 1, 1))
      assert.is_true(maxdiff(y:narrow(1, 4, 2):narrow(2, 1, 1), y2) < 1e-15)
      -- and no gradient flows back through the masked step
      local go = torch.zeros(5, 2, 4)
      go[5][1]:fill(1)
      local gx = m:backward(x, go)
      assert.are.equal(0, torch.abs(gx:narrow(1, 1, 3):select(2, 1)):max())
      assert.is_true(torch.abs(gx[4][1]):max() > 0)
   end)

   it('bad input sizes raise errors naming nn.SeqLSTM and the sizes', function()
      local m = nn.SeqLSTM(3, 4)
      assert.has_error(function() m:forward(torch.randn(5, 2, 7)) end,
         'nn.SeqLSTM(3 -> 4): input has size 5x2x7, expected seqlen x batch x 3')
      assert.has_error(function() m:forward(torch.randn(5, 3)) end,
         'nn.SeqLSTM(3 -> 4): input has size 5x3, expected seqlen x batch x 3')
      assert.has_error(function() m:forward({ torch.randn(2, 5), torch.randn(5, 2, 3) }) end,
         'nn.SeqLSTM(3 -> 4): h0 has size 2x5, expected 2x4 (batch x outputsize)')
      m:forward(torch.randn(5, 2, 3))
      assert.has_error(function() m:backward(torch.randn(5, 2, 3), torch.randn(5, 2, 3)) end,
         'nn.SeqLSTM(3 -> 4): gradOutput has size 5x2x3, expected 5x2x4')
      assert.has_error(function() m:backward(torch.randn(4, 2, 3), torch.randn(4, 2, 4)) end,
         'nn.SeqLSTM(3 -> 4): backward for a 4x2 (seqlen x batch) input, but the last forward was 5x2')
      assert.has_error(function() m:forward(torch.randn(5, 2, 3):float()) end,
         'nn.SeqLSTM(3 -> 4): input is torch.FloatTensor but the module is torch.DoubleTensor; call model:float() or input:double()')
      assert.has_error(function() nn.SeqLSTM(3, 0) end, 'nn.SeqLSTM: expected a positive integer outputsize, got 0')
   end)

   it('serialises, converts type and clears state', function()
      torch.manualSeed(8)
      local m = nn.SeqLSTM(3, 4)
      local x = torch.randn(3, 2, 3)
      local y = m:forward(x):clone()
      local f = torch.MemoryFile('rw'):binary()
      f:writeObject(m:clone():clearState())
      f:seek(1)
      local m2 = f:readObject()
      assert.are.equal('nn.SeqLSTM', torch.type(m2))
      assert.is_true(maxdiff(m2:forward(x), y) < 1e-15)
      local mf = m:clone():float()
      assert.is_true(maxdiff(mf:forward(x:float()), y) < 1e-5)
      assert.are.equal(4, m.hiddenSize)
      assert.are.equal('nn.SeqLSTM(3 -> 4)', tostring(m))
   end)
end)

describe('nn.FastLSTM', function()
   it('step by step equals nn.SeqLSTM, forward and backward through time', function()
      for _, ty in ipairs { 'torch.DoubleTensor', 'torch.FloatTensor' } do
         torch.manualSeed(12)
         local T, N, D, H = 4, 3, 5, 6
         local s = nn.SeqLSTM(D, H):type(ty)
         local f = nn.FastLSTM(D, H):type(ty)
         f.weight:copy(s.weight); f.bias:copy(s.bias)
         s:zeroGradParameters(); f:zeroGradParameters()
         local x, go = torch.randn(T, N, D):type(ty), torch.randn(T, N, H):type(ty)
         local y = s:forward(x)
         local gx = s:backward(x, go)
         local tol = ty == 'torch.FloatTensor' and 1e-5 or 1e-13
         for t = 1, T do assert.is_true(maxdiff(f:forward(x[t]), y[t]) < tol) end
         for t = T, 1, -1 do
            local g = f:backward(x[t], go[t])
            assert.is_true(maxdiff(g, gx[t]) < tol, 'gradInput at step ' .. t)
         end
         assert.is_true(maxdiff(f.gradWeight, s.gradWeight) < tol * 10)
         assert.is_true(maxdiff(f.gradBias, s.gradBias) < tol * 10)
         -- one backward too many
         assert.has_error(function() f:backward(x[1], go[1]) end)
      end
   end)

   it('SeqLSTM:toFastLSTM copies the weights', function()
      torch.manualSeed(14)
      local s = nn.SeqLSTM(3, 4)
      local f = s:toFastLSTM()
      assert.are.equal('nn.FastLSTM', torch.type(f))
      local x = torch.randn(2, 2, 3)
      local y = s:forward(x)
      f:forward(x[1])
      assert.is_true(maxdiff(f:forward(x[2]), y[2]) < 1e-15)
      s.weight:zero()
      assert.is_true(torch.abs(f.weight):max() > 0)
   end)

   it('keeps its state until forget(); a vector input is one sample', function()
      torch.manualSeed(13)
      local f = nn.FastLSTM(3, 4)
      local x = torch.randn(3)
      local a = f:forward(x):clone()
      local b = f:forward(x):clone()
      assert.are.same({ 4 }, a:size():totable())
      assert.is_true(maxdiff(a, b) > 1e-4)
      f:forget()
      assert.is_true(maxdiff(f:forward(x), a) < 1e-15)
      assert.has_error(function() f:forward(torch.randn(2, 5)) end,
         'nn.FastLSTM(3 -> 4): input has size 2x5, expected batch x 3 or 3')
      assert.has_error(function() f:forward(torch.randn(2, 3)) end,
         'nn.FastLSTM(3 -> 4): the batch size changed from 1 to 2 at step 2; call forget() first')
   end)

   it('in evaluation keeps only the last step', function()
      local f = nn.FastLSTM(2, 2)
      f:evaluate()
      for _ = 1, 20 do f:forward(torch.randn(1, 2)) end
      local n = 0
      for _ in pairs(f._cells) do n = n + 1 end
      assert.is_true(n <= 2)
   end)
end)

-- A char-rnn LSTM step built from nodes (tests/nngraph/lstm_cell.lua):
-- forward and backward against the same step computed by hand with
-- tensor operations, gradient checks of the stacked model, and char-rnn's
-- clones over time sharing one set of parameters.
require 'nngraph'
local U = dofile(NNLUA_ROOT .. '/tests/nngraph/util.lua')
local lstm_cell = dofile(NNLUA_ROOT .. '/tests/nngraph/lstm_cell.lua')

local function sigmoid(t) return torch.sigmoid(t) end

-- One LSTM step by hand: returns next_c, next_h and a backward function.
local function reference_step(named, x, prev_c, prev_h, R)
   local Wi, bi = named.i2h[1].weight, named.i2h[1].bias
   local Wh, bh = named.h2h[1].weight, named.h2h[1].bias
   local B, H = x:size(1), prev_h:size(2)
   local sums = x * Wi:t() + bi:view(1, 4 * H):expand(B, 4 * H) + prev_h * Wh:t() + bh:view(1, 4 * H):expand(B, 4 * H)
   local i = sigmoid(sums:narrow(2, 1, H))
   local f = sigmoid(sums:narrow(2, H + 1, H))
   local o = sigmoid(sums:narrow(2, 2 * H + 1, H))
   local gcand = torch.tanh(sums:narrow(2, 3 * H + 1, H))
   local c = torch.cmul(f, prev_c) + torch.cmul(i, gcand)
   local tc = torch.tanh(c)
   local h = torch.cmul(o, tc)
   local function backward(dc_next, dh_next)
      local one = torch.ones(B, H)
      local do_ = torch.cmul(dh_next, tc)
      local dc = dc_next + torch.cmul(torch.cmul(dh_next, o), one - torch.cmul(tc, tc))
      local di, dg, df = torch.cmul(dc, gcand), torch.cmul(dc, i), torch.cmul(dc, prev_c)
      local dprev_c = torch.cmul(dc, f)
      local dsums = torch.cat({
         torch.cmul(di, torch.cmul(i, one - i)),
         torch.cmul(df, torch.cmul(f, one - f)),
         torch.cmul(do_, torch.cmul(o, one - o)),
         torch.cmul(dg, one - torch.cmul(gcand, gcand)),
      }, 2)
      return {
         dx = dsums * Wi, dprev_h = dsums * Wh, dprev_c = dprev_c,
         dWi = dsums:t() * x, dbi = dsums:sum(1):view(4 * H),
         dWh = dsums:t() * prev_h, dbh = dsums:sum(1):view(4 * H),
      }
   end
   return c, h, backward
end

describe('char-rnn LSTM step as a gModule', function()
   it('forward and backward match the step computed by hand', function()
      torch.manualSeed(31)
      local g, named = lstm_cell(5, 4, 1)
      local x, c0, h0 = torch.randn(3, 5), torch.randn(3, 4), torch.randn(3, 4)
      local out = g:forward({ x, c0, h0 })
      local c, h, backward = reference_step(named, x, c0, h0)
      assert.are.equal(2, #out)
      assert.is_true(U.maxdiff(out[1], c) < 1e-12)
      assert.is_true(U.maxdiff(out[2], h) < 1e-12)
      local dc, dh = torch.randn(3, 4), torch.randn(3, 4)
      g:zeroGradParameters()
      local gi = g:backward({ x, c0, h0 }, { dc, dh })
      local ref = backward(dc, dh)
      assert.is_true(U.maxdiff(gi[1], ref.dx) < 1e-12)
      assert.is_true(U.maxdiff(gi[2], ref.dprev_c) < 1e-12)
      assert.is_true(U.maxdiff(gi[3], ref.dprev_h) < 1e-12)
      assert.is_true(U.maxdiff(named.i2h[1].gradWeight, ref.dWi) < 1e-12)
      assert.is_true(U.maxdiff(named.i2h[1].gradBias, ref.dbi) < 1e-12)
      assert.is_true(U.maxdiff(named.h2h[1].gradWeight, ref.dWh) < 1e-12)
      assert.is_true(U.maxdiff(named.h2h[1].gradBias, ref.dbh) < 1e-12)
   end)

   it('two layers with one-hot input and a decoder pass a gradient check', function()
      torch.manualSeed(32)
      local g, named = lstm_cell(6, 3, 2, { onehot = true, output_size = 6 })
      assert.are.equal(5, g.nInputs)
      assert.are.equal(5, #g.outnode.children)
      local names = {}
      for _, node in ipairs(g.forwardnodes) do
         local n = node.data.annotations.name
         if n then names[n] = node.data.module end
      end
      assert.are.equal(named.decoder, names.decoder)
      assert.are.equal(named.i2h[2], names.i2h_2)
      assert.are.equal(named.h2h[1], names.h2h_1)
      local input = { torch.Tensor { 2, 6 } }
      for _ = 1, 4 do input[#input + 1] = torch.randn(2, 3) end
      local out = g:forward(input)
      -- log-probabilities: each row sums to 1 after exp
      assert.is_true(math.abs(torch.exp(out[5]):sum() - 2) < 1e-12)
      assert.are.equal(6 * 12 + 12 + 3 * 12 + 12 + 2 * (3 * 12 + 12) + 3 * 6 + 6, g:getParameters():nElement())
      -- the class indices get no gradient of their own
      assert.is_true(U.gradcheck(g, input, nil, { [1] = true }) < 1e-6)
   end)

   it('clones over time share parameters and accumulate gradients (char-rnn)', function()
      torch.manualSeed(33)
      local proto = lstm_cell(4, 3, 1)
      local params, grads = proto:getParameters()
      params:uniform(-0.1, 0.1)
      -- char-rnn's clone_many_times: through a MemoryFile, then sharing
      local clones = {}
      for t = 1, 3 do
         local mem = torch.MemoryFile('w'):binary()
         mem:writeObject(proto)
         local reader = torch.MemoryFile(mem:storage(), 'r'):binary()
         local clone = reader:readObject()
         reader:close()
         local cp, cg = clone:parameters()
         local pp, pg = proto:parameters()
         for i = 1, #pp do
            cp[i]:set(pp[i])
            cg[i]:set(pg[i])
         end
         clones[t] = clone
      end
      -- also the one-call form
      clones[4] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias')
      -- a change through one clone is seen by all
      clones[2]:findModules('nn.Linear')[1].weight[1][1] = 0.5
      assert.are.equal(0.5, params[1])
      assert.are.equal(0.5, clones[4]:findModules('nn.Linear')[1].weight[1][1])
      -- unroll 4 steps, backpropagate through time
      local xs, c, h = {}, { [0] = torch.zeros(2, 3) }, { [0] = torch.zeros(2, 3) }
      for t = 1, 4 do
         xs[t] = torch.randn(2, 4)
         local out = clones[t]:forward({ xs[t], c[t - 1], h[t - 1] })
         c[t], h[t] = out[1]:clone(), out[2]:clone()
      end
      grads:zero()
      local dc, dh = torch.zeros(2, 3), torch.ones(2, 3)
      for t = 4, 1, -1 do
         local gi = clones[t]:backward({ xs[t], c[t - 1], h[t - 1] }, { dc, dh })
         dc, dh = gi[2]:clone(), gi[3]:clone()
      end
      -- the gradient in the shared storage is the derivative of sum(h[4]) by
      -- the shared parameters: check it by central differences
      local accumulated = grads:clone()
      local function run()
         local cc, hh = torch.zeros(2, 3), torch.zeros(2, 3)
         for t = 1, 4 do
            local out = proto:forward({ xs[t], cc, hh })
            cc, hh = out[1]:clone(), out[2]:clone()
         end
         return hh:sum()
      end
      local worst = 0
      for i = 1, params:nElement(), 7 do
         local orig = params[i]
         params[i] = orig + 1e-6
         local lp = run()
         params[i] = orig - 1e-6
         local lm = run()
         params[i] = orig
         worst = math.max(worst, math.abs((lp - lm) / 2e-6 - accumulated[i]))
      end
      assert.is_true(worst < 1e-6, 'BPTT gradient error ' .. worst)
   end)
end)

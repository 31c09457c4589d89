-- nn.SeqLSTM against char-rnn's LSTM written with nngraph (the cell of
-- char-rnn's model/LSTM.lua: i2h, h2h, Reshape, SplitTable, gates, as
-- nn.lstm_util.graphCell builds it),
-- cloned per step through torch.MemoryFile with shared parameters: the same
-- outputs, gradients of the inputs and of every weight, in double and float.
local torch = require 'torch'
local nn = require 'nn'
require 'nngraph'
local U = nn.lstm_util

local function maxdiff(a, b) return (a:double() - b:double()):abs():max() end

describe('nn.SeqLSTM against the nngraph LSTM of char-rnn', function()
   for _, case in ipairs { { 'torch.DoubleTensor', 1e-12 }, { 'torch.FloatTensor', 3e-5 } } do
      it(case[1], function()
         local ty, tol = case[1], case[2]
         torch.manualSeed(31)
         local T, N, D, H = 6, 3, 5, 7
         local cell, i2h, h2h = U.graphCell(D, H)
         local m = nn.SeqLSTM(D, H):loadCell(i2h, h2h):type(ty)
         cell:type(ty)
         local params, grads = cell:getParameters()
         grads:zero()
         m:zeroGradParameters()
         local clones = U.cloneManyTimes(cell, T)
         local x, go = torch.randn(T, N, D):type(ty), torch.randn(T, N, H):type(ty)
         local y = m:forward(x)
         local gx = m:backward(x, go)
         local c, h = torch.zeros(N, H):type(ty), torch.zeros(N, H):type(ty)
         local inputs = {}
         for t = 1, T do
            inputs[t] = { x[t], c, h }
            local o = clones[t]:forward(inputs[t])
            c, h = o[1], o[2]
            assert.is_true(maxdiff(h, y[t]) < tol, 'output at step ' .. t)
         end
         local gc, gh = torch.zeros(N, H):type(ty), torch.zeros(N, H):type(ty)
         for t = T, 1, -1 do
            local gi = clones[t]:backward(inputs[t], { gc, gh + go[t] })
            assert.is_true(maxdiff(gi[1], gx[t]) < tol, 'gradInput at step ' .. t)
            gc, gh = gi[2]:clone(), gi[3]:clone()
         end
         -- the clones' gradients summed in the flat vector: i2h's and h2h's
         local cp = clones[1]:parameters()
         assert.are.equal(params:storage():data(), cp[1]:storage():data())
         local _, cg = clones[1]:parameters()
         local iw, ib, hw, hb
         for k, p in ipairs(cp) do
            if p:dim() == 2 and p:size(2) == D then iw, ib = cg[k], cg[k + 1] end
            if p:dim() == 2 and p:size(2) == H then hw, hb = cg[k], cg[k + 1] end
         end
         assert.is_true(maxdiff(m.gradWeight:narrow(1, 1, D), iw:t()) < tol * 10)
         assert.is_true(maxdiff(m.gradWeight:narrow(1, D + 1, H), hw:t()) < tol * 10)
         assert.is_true(maxdiff(m.gradBias, ib) < tol * 10 and maxdiff(m.gradBias, hb) < tol * 10)
         assert.is_true(torch.abs(iw):max() > 0.01)
      end)
   end
end)

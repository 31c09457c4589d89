-- What char-rnn needs besides the LSTM: cloning through torch.MemoryFile
-- with parameters shared (nn.lstm_util.cloneManyTimes, after getParameters
-- on the prototype as model_utils.combine_all_parameters does), File
-- positions as Torch7 counts them, and nn.LookupTable's renorm, padding
-- and index types (values recorded from Torch7).
local torch = require 'torch'
local nn = require 'nn'
local U = nn.lstm_util

local function maxdiff(a, b) return (a:double() - b:double()):abs():max() end

describe('torch.MemoryFile for cloning', function()
   it('counts positions from 1 as Torch7 (position after n bytes is n + 1; seek(1) rewinds)', function()
      local f = torch.MemoryFile('rw'):binary()
      f:writeInt(7)
      f:writeInt(9)
      assert.are.equal(9, f:position())
      f:seek(5)
      assert.are.equal(9, f:readInt())
      f:seek(1)
      assert.are.equal(7, f:readInt())
      f:seekEnd()
      assert.are.equal(9, f:position())
      assert.has_error(function() f:seek(0) end)
      assert.has_error(function() f:seek(10) end)
      local g = torch.MemoryFile('rw'):binary()
      g:writeObject({ a = 1 })
      g:seek(1)
      assert.are.equal(1, g:readObject().a)
   end)

   it('writeObject once, readObject per clone, from the storage of a "w" file', function()
      local net = nn.Linear(3, 2)
      local mem = torch.MemoryFile('w'):binary()
      mem:writeObject(net)
      for _ = 1, 2 do
         local r = torch.MemoryFile(mem:storage(), 'r'):binary()
         local c = r:readObject()
         r:close()
         assert.are.equal('nn.Linear', torch.type(c))
         assert.are.same(net.weight:totable(), c.weight:totable())
         assert.are_not.equal(net.weight:storage():data(), c.weight:storage():data())
      end
   end)
end)

describe('clones sharing parameters (char-rnn)', function()
   local function setup()
      torch.manualSeed(21)
      local cell = U.referenceCell(3, 4)
      local params, grads = cell:getParameters()
      local clones = U.cloneManyTimes(cell, 4)
      return cell, params, grads, clones
   end

   it('a change through the flat parameters or one clone is seen in all', function()
      local _, params, _, clones = setup()
      local p1 = clones[1]:parameters()
      local p3 = clones[3]:parameters()
      assert.are.equal(params:storage():data(), p1[1]:storage():data())
      params:fill(0.25)
      for _, c in ipairs(clones) do
         for _, p in ipairs(c:parameters()) do assert.are.equal(0.25, p:max()); assert.are.equal(0.25, p:min()) end
      end
      p1[1]:fill(-1)
      assert.are.equal(-1, p3[1]:max())
      local x = { torch.randn(2, 3), torch.zeros(2, 4), torch.zeros(2, 4) }
      assert.is_true(maxdiff(clones[2]:forward(x)[2], clones[4]:forward(x)[2]) == 0)
   end)

   it('gradients of all clones accumulate in the flat gradient', function()
      local _, _, grads, clones = setup()
      local x = { torch.randn(2, 3), torch.randn(2, 4), torch.randn(2, 4) }
      local go = { torch.randn(2, 4), torch.randn(2, 4) }
      grads:zero()
      clones[1]:forward(x)
      clones[1]:backward(x, go)
      local one = grads:clone()
      assert.is_true(torch.abs(one):max() > 0)
      clones[2]:forward(x)
      clones[2]:backward(x, go)
      assert.is_true(maxdiff(grads, one * 2) < 1e-12 * torch.abs(one):max(), maxdiff(grads, one * 2) .. " " .. torch.abs(one):max())
      clones[3]:zeroGradParameters()
      assert.are.equal(0, torch.abs(grads):max())
   end)

   it('the clones unrolled over time give nn.SeqLSTM\'s output', function()
      torch.manualSeed(22)
      local cell, i2h, h2h = U.referenceCell(3, 4)
      local m = nn.SeqLSTM(3, 4):loadCell(i2h, h2h)
      cell:getParameters()
      local clones = U.cloneManyTimes(cell, 3)
      local x = torch.randn(3, 2, 3)
      local y = m:forward(x)
      local c, h = torch.zeros(2, 4), torch.zeros(2, 4)
      for t = 1, 3 do
         local o = clones[t]:forward({ x[t], c, h })
         c, h = o[1], o[2]
         assert.is_true(maxdiff(h, y[t]) < 1e-14)
      end
   end)

   it('loadCell names the Linear that does not fit', function()
      local m = nn.SeqLSTM(3, 4)
      assert.has_error(function() m:loadCell(nn.Linear(3, 16), nn.Linear(5, 16)) end,
         'nn.SeqLSTM:loadCell: h2h must be a Linear with a 16x4 weight, got 16x5')
   end)
end)

describe('nn.LookupTable (values recorded from Torch7)', function()
   it('maxNorm renormalises the rows looked up, 2-D batch input', function()
      local lt = nn.LookupTable(4, 3, 0, 1.0)
      lt.weight:copy(torch.Tensor { { 3, 4, 0 }, { 0.3, 0.4, 0 }, { 1, 2, 2 }, { 0, 0, 5 } })
      local out = lt:forward(torch.LongTensor { { 1, 2 }, { 3, 1 } })
      local want = torch.Tensor { { { 0.6, 0.8, 0 }, { 0.3, 0.4, 0 } }, { { 1 / 3, 2 / 3, 2 / 3 }, { 0.6, 0.8, 0 } } }
      assert.is_true(maxdiff(out, want) < 1e-6)
      -- row 4 was not looked up: unchanged
      assert.are.same({ 0, 0, 5 }, lt.weight[4]:totable())
      assert.is_true(maxdiff(lt.weight[1], torch.Tensor { 0.6, 0.8, 0 }) < 1e-6)
   end)

   it('maxNorm with normType 1 (setMaxNorm, setNormType)', function()
      local lt = nn.LookupTable(3, 2):setMaxNorm(2):setNormType(1)
      lt.weight:copy(torch.Tensor { { 3, 1 }, { 1, 0.5 }, { -2, -2 } })
      lt:forward(torch.LongTensor { 3, 2, 1 })
      assert.is_true(maxdiff(lt.weight, torch.Tensor { { 1.5, 0.5 }, { 1, 0.5 }, { -1, -1 } }) < 1e-6)
   end)

   it('paddingValue rows get no gradient; Int, Float and Double indices', function()
      for _, ty in ipairs { 'torch.IntTensor', 'torch.FloatTensor', 'torch.DoubleTensor', 'torch.LongTensor' } do
         local lt = nn.LookupTable(4, 2, 2):setPadding(2)
         lt.weight:fill(0)
         lt.gradWeight:zero()
         local idx = torch.Tensor { 2, 1, 2, 4, 1 }:type(ty)
         lt:forward(idx)
         lt:backward(idx, torch.Tensor { { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 } })
         assert.are.same({ { 7, 7 }, { 0, 0 }, { 0, 0 }, { 4, 4 } }, lt.gradWeight:totable())
      end
   end)

   it('scaleGradByFreq divides by the count of each index', function()
      local lt = nn.LookupTable(4, 2):scaleGradByFreq()
      lt.gradWeight:zero()
      local idx = torch.DoubleTensor { 2, 1, 2, 4, 1 }
      lt:forward(idx)
      lt:backward(idx, torch.Tensor { { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 } })
      assert.are.same({ { 3.5, 3.5 }, { 2, 2 }, { 0, 0 }, { 4, 4 } }, lt.gradWeight:totable())
   end)

   it('an index out of range names the module and the range', function()
      local lt = nn.LookupTable(4, 2)
      assert.has_error(function() lt:forward(torch.LongTensor { 1, 5 }) end)
      local ok, err = pcall(function() lt:forward(torch.LongTensor { 1, 5 }) end)
      assert.is_false(ok)
      assert.truthy(tostring(err):find('index 5 is out of range', 1, true))
   end)
end)

describe("require 'rnn'", function()
   it('gives the rnn package names of the recurrent modules and says what is missing', function()
      local rnn = require 'rnn'
      assert.are.equal(nn.SeqLSTM, rnn.SeqLSTM)
      assert.are.equal(nn.FastLSTM, rnn.FastLSTM)
      local ok, err = pcall(function() return rnn.Sequencer end)
      assert.is_false(ok)
      assert.is_truthy(err:match('rnn.Sequencer is not provided by nnlua: use'))
   end)
end)

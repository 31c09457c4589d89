-- examples/train.lua -distributed under `mpirun -np 2`: each rank trains
-- on a shard of every batch; the run ends with the loss and test accuracy
-- of the single-process run (float rounding aside), printed once (rank 0),
-- and rank 0's checkpoint loads.
local M = dofile(NNLUA_ROOT .. '/tests/dist/mpirun.lua')
local data = require 'nnlua.data'
local why = M.unavailable()
local have = io.open(data.default_dir .. '/train-images-idx3-ubyte.gz') or io.open(data.default_dir .. '/train-images-idx3-ubyte')
if have then have:close() elseif not why then why = 'no dataset in ' .. data.default_dir .. ' (scripts/setup installs it)' end

describe('examples/train.lua -distributed', function()
   it('under mpirun -np 2 ends where one process ends, printing once', function()
      if why then return pending(why) end
      local opts = '-epochs 1 -maxTrain 1024 -maxTest 300 -quiet -log "" -threads 1'
      local train = NNLUA_ROOT .. '/examples/train.lua'
      local out1, rc1 = M.run(string.format('%s %s %s', M.nnlua, train, opts))
      assert.are.equal(0, rc1, out1)
      local ck = M.tmpname()
      local out2, rc2 = M.run(string.format('mpirun -np 2 %s %s -distributed -save %s %s', M.nnlua, train, ck, opts), 120)
      assert.are.equal(0, rc2, out2)
      local loss1 = tonumber(out1:match('epoch 1: mean loss ([%d.]+)'))
      local loss2 = tonumber(out2:match('epoch 1: mean loss ([%d.]+)'))
      local acc1 = tonumber(out1:match('test accuracy: ([%d.]+)%%'))
      local acc2 = tonumber(out2:match('test accuracy: ([%d.]+)%%'))
      assert.is_truthy(loss1 and loss2 and acc1 and acc2, out1 .. out2)
      assert.is_true(math.abs(loss1 - loss2) <= 2e-4, out1 .. out2)
      assert.is_true(math.abs(acc1 - acc2) <= 0.5, out1 .. out2)
      assert.is_true(acc2 > 50, out2)
      assert.is_truthy(out2:find('distributed: 2 ranks', 1, true), out2)
      local _, n = out2:gsub('test accuracy:', '')
      assert.are.equal(1, n, out2)
      local saved = torch.load(ck)
      os.remove(ck)
      assert.are.equal(1, saved.epoch)
      assert.is_truthy(saved.model)
   end)
end)

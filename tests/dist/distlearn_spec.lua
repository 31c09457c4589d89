-- distlearn under `mpirun -np 2` on this machine: two ranks training on the
-- halves of each batch end with the parameters of one process training on
-- whole batches (AllReduceSGD); elastic averaging matches a reference
-- computed here; a rank that raises ends the job with its message and a
-- non-zero status, instead of leaving the other waiting.
local M = dofile(NNLUA_ROOT .. '/tests/dist/mpirun.lua')
require 'nn'
require 'optim'
local why = M.unavailable()

local function cleanup(base)
   for i = 1, 2 do os.remove(base .. '.' .. i) end
end

describe('distlearn.AllReduceSGD under mpirun -np 2', function()
   local function compare(batch, steps)
      local one, two = M.tmpname(), M.tmpname()
      local out1, rc1 = M.single('train_shards.lua', string.format('%s %d %d', one, batch, steps))
      assert.are.equal(0, rc1, out1)
      local out2, rc2 = M.mpirun(2, 'train_shards.lua', string.format('%s %d %d', two, batch, steps))
      assert.are.equal(0, rc2, out2)
      local p1, a, b = M.readNumbers(one .. '.1'), M.readNumbers(two .. '.1'), M.readNumbers(two .. '.2')
      cleanup(one)
      cleanup(two)
      assert.are.equal(53, p1:nElement())          -- 6*5+5 + 5*3+3
      assert.are.equal(p1:nElement(), a:nElement())
      -- both ranks hold the same parameters: those of the single process
      assert.is_true((a - b):abs():max() == 0)
      assert.is_true((a - p1):abs():max() < 1e-12, 'max difference ' .. (a - p1):abs():max())
      return p1
   end

   it('halves of each batch of 8 give the parameters of whole batches', function()
      if why then return pending(why) end
      local p = compare(8, 5)
      -- and training moved them away from the initial weights
      torch.manualSeed(101)
      local init = nn.Sequential():add(nn.Linear(6, 5)):add(nn.Tanh()):add(nn.Linear(5, 3)):getParameters()
      assert.is_true((p - init):abs():max() > 1e-2)
   end)

   it('an odd batch (4 + 3 samples) is weighted by each rank\'s share', function()
      if why then return pending(why) end
      compare(7, 4)
   end)
end)

describe('distlearn.AllReduceEA under mpirun -np 2', function()
   it('ends both ranks on the center that the elastic averaging rule gives', function()
      if why then return pending(why) end
      local base = M.tmpname()
      local out, rc = M.mpirun(2, 'train_shards.lua', base .. ' 8 6 ea')
      assert.are.equal(0, rc, out)
      local a, b = M.readNumbers(base .. '.1'), M.readNumbers(base .. '.2')
      cleanup(base)
      assert.is_true((a - b):abs():max() == 0)
      -- the same two ranks simulated in this process: tau 2, alpha 0.25
      torch.manualSeed(7)
      local X, Y = torch.randn(48, 6), torch.LongTensor(48):random(1, 3)
      local ranks = {}
      for r = 1, 2 do
         torch.manualSeed(100 + r)
         local m = nn.Sequential():add(nn.Linear(6, 5)):add(nn.Tanh()):add(nn.Linear(5, 3)):add(nn.LogSoftMax())
         local p, g = m:getParameters()
         ranks[r] = { m = m, p = p, g = g, state = { learningRate = 0.5, momentum = 0.9 } }
      end
      local crit = nn.ClassNLLCriterion()
      local center   -- as torch-distlearn: rank 0's parameters at the first averaging call
      local function elastic()
         local sum = center:clone():zero()
         for _, r in ipairs(ranks) do
            local d = (r.p - center):mul(0.25)
            r.p:add(-1, d)
            sum:add(d)
         end
         center:add(sum)
      end
      for s = 1, 6 do
         for i, r in ipairs(ranks) do
            local x, y = X:narrow(1, (s - 1) * 8 + (i - 1) * 4 + 1, 4), Y:narrow(1, (s - 1) * 8 + (i - 1) * 4 + 1, 4)
            optim.sgd(function()
               r.g:zero()
               local o = r.m:forward(x)
               local f = crit:forward(o, y)
               r.m:backward(x, crit:backward(o, y))
               return f, r.g
            end, r.p, r.state)
         end
         center = center or ranks[1].p:clone()
         if s % 2 == 0 then elastic() end
      end
      elastic()
      assert.is_true((a - center):abs():max() < 1e-12, 'max difference ' .. (a - center):abs():max())
   end)
end)

describe('a failing rank', function()
   it('ends the job with a non-zero status, its message and its rank, without a hang', function()
      if why then return pending(why) end
      local out, rc, secs = M.mpirun(2, 'fail_rank.lua', '', 30)
      assert.are_not.equal(0, rc)
      assert.are_not.equal(124, rc, 'timed out: ' .. out)
      assert.is_truthy(out:find('rank 1 could not read its shard', 1, true), out)
      assert.is_truthy(out:find('rank 1 of 2', 1, true), out)
      assert.is_falsy(out:find('rank 0 finished', 1, true))
      assert.is_true(secs < 20)
   end)

   it('killed outright ends the job too, mpirun naming the rank', function()
      if why then return pending(why) end
      local out, rc, secs = M.mpirun(2, 'die_rank.lua', '', 30)
      assert.are_not.equal(0, rc)
      assert.are_not.equal(124, rc, 'timed out: ' .. out)
      assert.is_truthy(out:find('process rank 1 .* exited on signal 9'), out)
      assert.is_falsy(out:find('rank 0 finished', 1, true))
      assert.is_true(secs < 20)
   end)
end)

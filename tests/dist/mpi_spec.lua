-- The mpi module: collectives' values under `mpirun -np 2` (every dtype,
-- a buffer larger than one message, broadcast from either root, TorchMPI's
-- spellings), and in this process, alone (rank 0 of 1), the identities and
-- the errors for bad arguments.
local M = dofile(NNLUA_ROOT .. '/tests/dist/mpirun.lua')
local mpi = require 'mpi'
local distlearn = require 'distlearn'
local why = M.unavailable()

describe('mpi under mpirun -np 2', function()
   it('all-reduces, broadcasts and finalizes with the expected values on both ranks', function()
      if why then return pending(why) end
      local out, rc = M.mpirun(2, 'collectives.lua')
      assert.are.equal(0, rc, out)
      local expect = {
         size = '2',
         allreduceByte = '3 6 9', allreduceInt = '3 6 9', allreduceLong = '3 6 9',
         allreduceFloat = '3 6 9', allreduceDouble = '3 6 9',
         bigsum = '600000',                 -- 3e5 * (0.5 + 1.5)
         broadcast1 = '2.5 4 2.5 2.5',      -- rank 1's matrix
         broadcastTensor0 = '3 3',          -- rank 0's 0 * 10 + 3
         number = '1.5',                    -- 0.25 + 1.25
         max = '4',                         -- max(1, 4)
         finalized = '',
      }
      for r = 0, 1 do
         for name, v in pairs(expect) do
            local got = out:match('r' .. r .. ' ' .. name .. ' ?([^\n]*)')
            assert.are.equal(v, got, 'rank ' .. r .. ' ' .. name .. ':\n' .. out)
         end
         assert.is_truthy(out:match('r' .. r .. ' noncontig [^\n]*mpi.allreduce: the torch.DoubleTensor of size 4x3 is not contiguous'), out)
      end
   end)
end)

describe('mpi alone (rank 0 of 1)', function()
   setup(function() mpi.init() end)

   it('is rank 0 of 1 and its collectives are identities', function()
      assert.are.equal(0, mpi.rank())
      assert.are.equal(1, mpi.size())
      local t = torch.FloatTensor { 1, 2, 3 }
      assert.are.equal(t, mpi.allreduce(t))
      assert.are.same({ 1, 2, 3 }, t:totable())
      assert.are.same({ 1, 2, 3 }, mpi.broadcast(t, 0):totable())
      assert.are.equal(2.5, mpi.allreduce(2.5))
      mpi.barrier()
   end)

   it('raises for bad arguments, naming the function', function()
      assert.has_error(function() mpi.allreduce(torch.DoubleTensor(3, 4):t()) end,
         'mpi.allreduce: the torch.DoubleTensor of size 4x3 is not contiguous (use a contiguous tensor, e.g. ' ..
         'the flat parameters of model:getParameters())')
      assert.has_error(function() mpi.allreduce('x') end, 'mpi.allreduce: expected a tensor, got string')
      assert.has_error(function() mpi.broadcast(torch.DoubleTensor(2), 1) end,
         'mpi.broadcast: root 1 out of range (ranks 0..0)')
   end)
end)

describe('distlearn.shard', function()
   it('splits n items into contiguous blocks, the first n % size ranks one longer', function()
      local got = {}
      for r = 0, 2 do got[#got + 1] = { distlearn.shard(10, r, 3) } end
      assert.are.same({ { 1, 4 }, { 5, 3 }, { 8, 3 } }, got)
      assert.are.same({ 1, 7 }, { distlearn.shard(7, 0, 1) })
      assert.are.same({ 2, 0 }, { distlearn.shard(1, 1, 2) })
   end)

   it('shardBatch gives this rank\'s rows and its share of the batch', function()
      local x, y = torch.range(1, 7):view(7, 1), torch.range(11, 17)
      local xs, ys, share = distlearn.shardBatch(x, y, 1, 2)
      assert.are.same({ { 5 }, { 6 }, { 7 } }, xs:totable())
      assert.are.same({ 15, 16, 17 }, ys:totable())
      assert.are.equal(3 / 7, share)
   end)

   it('raises for a rank out of range and for an empty shard', function()
      assert.has_error(function() distlearn.shard(10, 3, 3) end,
         'distlearn.shard: rank 3 out of range for 3 ranks (0-based)')
      assert.has_error(function() distlearn.shard(-1, 0, 3) end,
         'distlearn.shard: n should be a non-negative integer, got -1')
      assert.has_error(function() distlearn.shardBatch(torch.zeros(1, 2), nil, 1, 2) end,
         'distlearn.shardBatch: a batch of 1 for 2 ranks leaves rank 1 nothing')
   end)

   it('distlearn.batches alone yields whole batches with share 1', function()
      local d = { data = torch.range(1, 10):view(10, 1), labels = torch.range(1, 10):long() }
      function d:size() return 10 end
      local seen = {}
      for x, y, done, share in distlearn.batches(d, 4, false) do
         seen[#seen + 1] = { x:size(1), y[1], done, share }
      end
      assert.are.same({ { 4, 1, 4, 1 }, { 4, 5, 8, 1 }, { 2, 9, 10, 1 } }, seen)
   end)
end)

describe('distlearn.save', function()
   it('writes the checkpoint atomically (no temporary file left) on rank 0', function()
      local path = M.tmpname()
      assert.are.equal(path, distlearn.save(path, { a = torch.DoubleTensor { 1, 2 } }))
      assert.are.same({ 1, 2 }, torch.load(path).a:totable())
      local p = io.popen('ls ' .. path .. '.tmp* 2>/dev/null')
      local left = p:read('*a')
      p:close()
      os.remove(path)
      assert.are.equal('', left)
   end)
end)

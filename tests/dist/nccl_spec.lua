-- CUDA tensors through the mpi module: with NCCL (cuda/nccl.cu,
-- distlearn.nccl: one GPU per rank, so one rank on a one-GPU machine) and
-- staged through host memory (NNLUA_NCCL=0: two ranks may share a GPU).
-- Pending where no CUDA device exists.
local M = dofile(NNLUA_ROOT .. '/tests/dist/mpirun.lua')
local why = M.unavailable()
if not why then
   local ok, cutorch = pcall(require, 'cutorch')
   if not ok then why = 'no CUDA device: ' .. tostring(cutorch) end
end

describe('mpi on CUDA tensors', function()
   it('sums and broadcasts through the host copy on 2 ranks (NNLUA_NCCL=0)', function()
      if why then return pending(why) end
      local out, rc = M.run(string.format('env NNLUA_NCCL=0 mpirun -np 2 %s %scuda_collectives.lua', M.nnlua, M.scripts))
      assert.are.equal(0, rc, out)
      for r = 0, 1 do
         assert.is_truthy(out:find('r' .. r .. ' path host', 1, true), out)
         assert.is_truthy(out:find('r' .. r .. ' allreduce 3 3 3 3', 1, true), out)
         assert.is_truthy(out:find('r' .. r .. ' broadcast 2.5 2.5 2.5', 1, true), out)
      end
   end)

   it('goes device to device through NCCL (one rank per GPU)', function()
      if why then return pending(why) end
      local n = require('cutorch').getDeviceCount()
      local np = math.min(n, 2)
      local out, rc = M.run(string.format('mpirun -np %d sh -c \'CUDA_VISIBLE_DEVICES=$OMPI_COMM_WORLD_LOCAL_RANK ' ..
         'exec %s %scuda_collectives.lua\'', np, M.nnlua, M.scripts))
      if out:find('path host', 1, true) then return pending('libnccl.so.2 not found on this machine') end
      assert.are.equal(0, rc, out)
      local sum = np == 1 and '1 1 1 1' or '3 3 3 3'
      for r = 0, np - 1 do
         assert.is_truthy(out:find('r' .. r .. ' path nccl', 1, true), out)
         assert.is_truthy(out:find('r' .. r .. ' allreduce ' .. sum, 1, true), out)
         assert.is_truthy(out:find('r' .. r .. ' broadcast 2.5 2.5 2.5', 1, true), out)
      end
   end)
end)

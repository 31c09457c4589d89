-- distlearn: data-parallel training on MPI, with torch-distlearn's API
-- (distlearn.AllReduceSGD(tree), distlearn.AllReduceEA(tree, tau, alpha))
-- over the mpi module (lua/mpi). docs/distributed.md has the whole story:
--
--   local distlearn = require 'distlearn'
--   local tree = distlearn.tree()                 -- joins the job (mpi.init)
--   local sgd = distlearn.AllReduceSGD(tree)
--   sgd.synchronizeParameters(params)             -- rank 0's weights everywhere
--   for x, y, _, share in distlearn.batches(trainData, 128, true) do
--      feval: forward/backward on this rank's shard, then
--             sgd.sumAndNormalizeGradients(gradParams, share)
--   end
--   distlearn.save('model.t7', model)             -- rank 0, atomically
--
-- Run under `mpirun -np N nnlua script.lua`; without mpirun the script is
-- rank 0 of 1 and every collective is the identity.
local torch = require 'torch'
local mpi = require 'mpi'
local raise = torch._core.raise

local distlearn = {}
package.loaded.distlearn = distlearn

distlearn.mpi = mpi
distlearn.MPITree = require 'distlearn.MPITree'
distlearn.AllReduceSGD = require 'distlearn.AllReduceSGD'
distlearn.AllReduceEA = require 'distlearn.AllReduceEA'

-- distlearn.init(): joins the job; returns rank (0-based) and size.
function distlearn.init() return mpi.init() end
function distlearn.rank() mpi.init() return mpi.rank() end
function distlearn.size() mpi.init() return mpi.size() end
function distlearn.barrier() mpi.barrier() end

-- distlearn.tree(): the tree on every rank of the job (one per process).
local tree
function distlearn.tree()
   tree = tree or distlearn.MPITree()
   return tree
end

-- distlearn.shard(n [, rank, size]): this rank's contiguous block of n
-- items as (first, count), first 1-based. The first n % size ranks get one
-- item more; rank (0-based) and size default to this process's. count is 0
-- when n < size for the ranks past n.
function distlearn.shard(n, rank, size)
   if rank == nil then rank, size = mpi.init() end
   for _, v in ipairs { { 'n', n }, { 'rank', rank }, { 'size', size } } do
      if type(v[2]) ~= 'number' or v[2] % 1 ~= 0 or v[2] < 0 then
         raise(string.format('distlearn.shard: %s should be a non-negative integer, got %s', v[1], tostring(v[2])))
      end
   end
   if size < 1 or rank >= size then
      raise(string.format('distlearn.shard: rank %d out of range for %d ranks (0-based)', rank, size))
   end
   local base, extra = math.floor(n / size), n % size
   local count = base + (rank < extra and 1 or 0)
   local first = rank * base + math.min(rank, extra) + 1
   return first, count
end

-- distlearn.shardBatch(x, y [, rank, size]): this rank's rows of a
-- minibatch (views along dimension 1) and its share of the batch
-- (rows / batch rows).
function distlearn.shardBatch(x, y, rank, size)
   local n = x:size(1)
   local first, count = distlearn.shard(n, rank, size)
   if count == 0 then
      raise(string.format('distlearn.shardBatch: a batch of %d for %d ranks leaves rank %d nothing', n,
         size or mpi.size(), rank or mpi.rank()))
   end
   return x:narrow(1, first, count), y and y:narrow(1, first, count), count / n
end

-- distlearn.batches(d, batchSize, shuffle): nnlua.data.batches for one
-- rank: every rank walks the same order (rank 0's shuffle, broadcast once
-- per call) and gets its shard of each minibatch. Yields x, y (this rank's
-- rows), done (samples of the whole dataset consumed so far) and share
-- (this rank's fraction of the batch, for sumAndNormalizeGradients). A
-- last batch with fewer samples than ranks is skipped on every rank.
function distlearn.batches(d, batchSize, shuffle)
   local rank, size = mpi.init()
   local n = d:size()
   local order = shuffle and torch.randperm(n):long() or torch.range(1, n):long()
   if shuffle then mpi.broadcast(order, 0) end
   local feat = d.data[1]:nElement()
   local flat = d.data:view(n, feat)
   local x = d.data.new():resize(batchSize, feat)
   local y = torch.LongTensor(batchSize)
   local shape = d.data:size():totable()
   local i = 0
   return function()
      if i >= n then return nil end
      local b = math.min(batchSize, n - i)
      if b < size then return nil end
      local first, count = distlearn.shard(b, rank, size)
      local idx = order:narrow(1, i + first, count)
      x:resize(count, feat):index(flat, 1, idx)
      y:resize(count):index(d.labels, 1, idx)
      i = i + b
      shape[1] = count
      return x:view(torch.LongStorage(shape)), y, i, count / b
   end
end

-- distlearn.broadcastParameters(params [, root = 0]): root's values on
-- every rank (a tensor or a table of tensors).
function distlearn.broadcastParameters(params, root)
   distlearn.tree().walkTable(params, function(p) mpi.broadcast(p, root or 0) end)
   return params
end

-- distlearn.allReduceNumber(x): the sum of x over ranks.
function distlearn.allReduceNumber(x) mpi.init() return mpi.allreduce(x) end

-- distlearn.save(path, object): rank 0 writes object with torch.save to a
-- temporary file beside path and renames it over path (a reader never
-- sees half a checkpoint); every rank then waits at a barrier. Returns
-- path on rank 0, nil on the others.
function distlearn.save(path, object)
   local rank = mpi.init()
   local ok, err = true, nil
   if rank == 0 then
      local tmp = string.format('%s.tmp%d', path, math.random(1, 1e9))
      ok, err = pcall(torch.save, tmp, object)
      if ok then
         local renamed, why = os.rename(tmp, path)
         if not renamed then ok, err = false, why end
      end
      if not ok then os.remove(tmp) end
   end
   mpi.barrier()
   if not ok then raise('distlearn.save: cannot write ' .. path .. ': ' .. tostring(err)) end
   return rank == 0 and path or nil
end

-- distlearn.protect(f, ...): f's results; an error in f names this rank and
-- aborts the whole job (mpi.protect).
distlearn.protect = mpi.protect

return distlearn

-- distlearn.MPITree: the "tree" that torch-distlearn's algorithms take
-- (torch-ipc's tree, here on MPI_COMM_WORLD): nodeIndex (1-based),
-- numNodes, allReduce, scatter, walkTable. allReduce always sums, in
-- place, with one MPI all-reduce per tensor; scatter broadcasts the root's
-- (rank 0's) values. stats counts the all-reduce calls and their time.
local mpi = require 'mpi'
local torch = require 'torch'

local function walkTable(t, f)
   if torch.isTensor(t) then return f(t) end
   if type(t) ~= 'table' then
      torch._core.raise('distlearn: expected a tensor or a table of tensors, got ' .. torch.type(t))
   end
   for _, v in ipairs(t) do walkTable(v, f) end
end

local function MPITree()
   local rank, size = mpi.init()
   local tree = { nodeIndex = rank + 1, numNodes = size, stats = { calls = 0, seconds = 0 } }
   tree.walkTable = walkTable

   -- tree.allReduce(value): every node's value (a tensor or a table of
   -- them) becomes the sum over nodes; returns value and the number of
   -- nodes that contributed. torch-distlearn's optional add and zero
   -- functions are accepted; the reduction is always a sum.
   function tree.allReduce(value)
      if value == nil then return nil, size end
      local t0 = mpi.wtime()
      walkTable(value, function(t)
         mpi.allreduce(t)
         tree.stats.calls = tree.stats.calls + 1
      end)
      tree.stats.seconds = tree.stats.seconds + (mpi.wtime() - t0)
      return value, size
   end

   -- tree.scatter(value): the root's value (rank 0) on every node
   function tree.scatter(value)
      walkTable(value, function(t) mpi.broadcast(t, 0) end)
      return value
   end

   function tree.barrier() mpi.barrier() end
   return tree
end

return MPITree

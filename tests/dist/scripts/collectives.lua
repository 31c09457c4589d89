-- Run by tests/dist/mpi_spec.lua under `mpirun -np 2`: prints one line per
-- result, "name value ...", for the spec to check.
local mpi = require 'mpi'
torch.setnumthreads(1)
local rank, size = mpi.init()
local function put(name, t)
   local v = {}
   for i = 1, t:nElement() do v[i] = string.format('%.17g', t:view(-1)[i]) end
   print(string.format('r%d %s %s', rank, name, table.concat(v, ' ')))
end
print(string.format('r%d size %d', rank, size))
-- sums of (rank + 1) * (1, 2, 3) over ranks, per dtype
for _, ty in ipairs { 'Byte', 'Int', 'Long', 'Float', 'Double' } do
   local t = torch[ty .. 'Tensor'](3)
   for i = 1, 3 do t[i] = (rank + 1) * i end
   put('allreduce' .. ty, mpi.allreduce(t))
end
-- a large buffer: 3e5 doubles of value rank + 0.5
local big = torch.DoubleTensor(300000):fill(rank + 0.5)
mpi.allreduce(big)
print(string.format('r%d bigsum %.17g', rank, big:sum()))
-- broadcast from rank 1 (a 2x2 matrix)
local b = torch.DoubleTensor(2, 2):fill(rank == 1 and 2.5 or -1)
b[1][2] = rank == 1 and 4 or -1
put('broadcast1', mpi.broadcast(b, 1))
-- TorchMPI's spelling, root 0
local c = torch.FloatTensor(2):fill(rank * 10 + 3)
put('broadcastTensor0', mpi.broadcastTensor(0, c))
print(string.format('r%d number %.17g', rank, mpi.allreduce(rank + 0.25)))
print(string.format('r%d max %.17g', rank, mpi.allreduceMax(rank * 3 + 1)))
local ok, err = pcall(mpi.allreduce, torch.DoubleTensor(3, 4):t())
print(string.format('r%d noncontig %s', rank, tostring(err)))
mpi.barrier()
mpi.finalize()
print(string.format('r%d finalized', rank))

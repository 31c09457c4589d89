-- Run by tests/dist/nccl_spec.lua under mpirun: all-reduce and broadcast
-- of CUDA tensors (NCCL device to device, or staged through the host with
-- NNLUA_NCCL=0); prints "r<rank> <name> <values>" and which path ran.
require 'cutorch'
local mpi = require 'mpi'
local rank, size = mpi.init()
local nccl = require 'distlearn.nccl'
print(string.format('r%d path %s', rank, nccl.available() and 'nccl' or 'host'))
local t = torch.CudaTensor(4):fill(rank + 1)
mpi.allreduce(t)
print(string.format('r%d allreduce %s', rank, table.concat(t:float():totable(), ' ')))
local d = torch.CudaDoubleTensor(3):fill(rank == 0 and 2.5 or -1)
mpi.broadcast(d, 0)
print(string.format('r%d broadcast %s', rank, table.concat(d:double():totable(), ' ')))

-- Run by tests/dist/distlearn_spec.lua under `mpirun -np 2`: rank 1 is
-- killed (SIGKILL, no exit handler runs) while rank 0 waits in an
-- all-reduce.
local ffi = require 'ffi'
local distlearn = require 'distlearn'
ffi.cdef 'int getpid(void); int kill(int pid, int sig);'
torch.setnumthreads(1)
local tree = distlearn.tree()
local g = torch.DoubleTensor(4):fill(1)
tree.allReduce(g)
if tree.nodeIndex == 2 then ffi.C.kill(ffi.C.getpid(), 9) end
for _ = 1, 3 do tree.allReduce(g) end
print('rank 0 finished: wrong')

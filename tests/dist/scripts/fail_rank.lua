-- Run by tests/dist/distlearn_spec.lua under `mpirun -np 2`: rank 1 raises
-- after one step while rank 0 goes on to all-reduce (where it would wait
-- forever if nothing ended the job).
local distlearn = require 'distlearn'
torch.setnumthreads(1)
local tree = distlearn.tree()
local g = torch.DoubleTensor(4):fill(1)
tree.allReduce(g)
if tree.nodeIndex == 2 then error('rank 1 could not read its shard') end
for _ = 1, 3 do tree.allReduce(g) end
print('rank 0 finished: wrong')

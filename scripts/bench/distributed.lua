-- scripts/bench/distributed.lua: data-parallel training speed of the
-- Fashion-MNIST MLP (784-1000-10, Tanh, LogSoftMax, ClassNLL, float, a
-- global batch of 128 split across the ranks, optim.sgd) with distlearn's
-- AllReduceSGD at 1 and 2 processes on this machine (loopback MPI, one
-- thread per rank). Prints steps per second, the mean all-reduce time per
-- step (795,010 floats, 3.2 MB), and the all-reduce alone.
--   build/nnlua scripts/bench/distributed.lua [steps=40] [max ranks=2]
-- runs itself under `mpirun -np 1` and `-np 2`; inputs are random (the
-- figure is about time, not accuracy).
require 'nn'
require 'optim'
local distlearn = require 'distlearn'
local mpi = require 'mpi'

local here = arg[0]:match('^(.*)/') or '.'
local launched = os.getenv('OMPI_COMM_WORLD_SIZE')

if not launched then
   local steps, maxRanks = tonumber(arg[1]) or 40, tonumber(arg[2]) or 2
   local why = mpi.unavailable()
   if why then error('scripts/bench/distributed.lua: ' .. why) end
   local exe = arg[-1] or 'build/nnlua'
   -- OpenMPI settings for one machine (loopback), as root, yielding the
   -- core while a rank waits; any of them set in the environment wins
   local env = {}
   for _, kv in ipairs { 'OMPI_ALLOW_RUN_AS_ROOT=1', 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1',
      'OMPI_MCA_rmaps_base_oversubscribe=1', 'OMPI_MCA_btl=self,vader', 'OMPI_MCA_btl_vader_single_copy_mechanism=none',
      'OMPI_MCA_hwloc_base_binding_policy=none', 'OMPI_MCA_mpi_yield_when_idle=1' } do
      if not os.getenv(kv:match('^[^=]*')) then env[#env + 1] = kv end
   end
   env = table.concat(env, ' ')
   print(string.format('MLP 784-1000-10, global batch 128, float, 1 thread per rank, %d steps; %s', steps,
      mpi.libraryVersion():match('^[^,\n]*')))
   print(string.format('%-6s %10s %12s %14s %14s', 'ranks', 'steps/s', 'images/s', 'allreduce ms', 'alone ms'))
   local base
   for np = 1, maxRanks do
      local cmd = string.format('%s mpirun -np %d %s %s/distributed.lua %d 2>&1', env, np, exe, here, steps)
      local p = io.popen(cmd)
      local out = p:read('*a')
      p:close()
      local sps, ar, alone = out:match('RESULT ([%d.]+) ([%d.]+) ([%d.]+)')
      if not sps then error('scripts/bench/distributed.lua: the run with ' .. np .. ' ranks failed:\n' .. out) end
      sps = tonumber(sps)
      base = base or sps
      print(string.format('%-6d %10.2f %12.0f %14.2f %14.2f   (x%.2f)', np, sps, sps * 128, tonumber(ar),
         tonumber(alone), sps / base))
   end
   return
end

-- one rank of the job
local steps = tonumber(arg[1]) or 40
torch.setnumthreads(1)
local tree = distlearn.tree()
local rank, size = mpi.rank(), mpi.size()
torch.manualSeed(1)
local model = nn.Sequential():add(nn.Linear(784, 1000)):add(nn.Tanh()):add(nn.Linear(1000, 10)):add(nn.LogSoftMax())
model:float()
local criterion = nn.ClassNLLCriterion():float()
local params, grads = model:getParameters()
local sgd = distlearn.AllReduceSGD(tree)
sgd.synchronizeParameters(params)
local X = torch.FloatTensor(128, 784):uniform()
local Y = torch.LongTensor(128):random(1, 10)
local x, y, share = distlearn.shardBatch(X, Y)
local config = { learningRate = 0.1 }
local function step()
   optim.sgd(function()
      grads:zero()
      local o = model:forward(x)
      local f = criterion:forward(o, y)
      model:backward(x, criterion:backward(o, y))
      sgd.sumAndNormalizeGradients(grads, share)
      return f, grads
   end, params, config)
end
for _ = 1, 3 do step() end
mpi.barrier()
tree.stats.seconds = 0
local t0 = mpi.wtime()
for _ = 1, steps do step() end
local t = mpi.wtime() - t0
local ar = tree.stats.seconds / steps
-- the all-reduce of the gradient buffer alone
mpi.barrier()
local t1 = mpi.wtime()
for _ = 1, 20 do mpi.allreduce(grads) end
local alone = (mpi.wtime() - t1) / 20
-- the slowest rank decides
local slowest = mpi.allreduceMax(t)
if rank == 0 then
   print(string.format('RESULT %.4f %.4f %.4f', steps / slowest, ar * 1e3, alone * 1e3))
end

-- nn.DataParallelTable: cunn's data-parallel container, with its API:
--
--   local dpt = nn.DataParallelTable(1)          -- split the batch along dim 1
--   dpt:add(model, {1, 2})                       -- once, with the GPU ids
--   dpt:threads(function() require 'cunn' end)   -- accepted
--   dpt:forward(x); dpt:backward(x, gradOutput); dpt:syncParameters()
--
-- This version holds one replica. On CPU tensors, and with one GPU, it is
-- the plain module: forward, backward and parameters are the module's own
-- (syncParameters has nothing to copy). Replicas on two or more GPUs of
-- one process need cutorch on more than device 1, which this version
-- lacks: a CUDA input with two or more GPUs assigned raises and says so.
-- Data parallelism across GPUs today is one process per GPU under mpirun
-- with distlearn (NCCL device to device: cuda/nccl.cu, distlearn.nccl;
-- docs/distributed.md).
local torch = require 'torch'
local nn = require 'nn'
local core = torch._core
local raise = core.raise

local DataParallelTable, parent = torch.class('nn.DataParallelTable', 'nn.Container')

-- nn.DataParallelTable(dimension [, flattenParams [, useNCCL]])
function DataParallelTable:__init(dimension, flattenParams, useNCCL)
   parent.__init(self)
   if type(dimension) ~= 'number' or dimension < 1 or dimension % 1 ~= 0 then
      raise('nn.DataParallelTable: dimension should be a positive integer (the batch dimension), got ' ..
         tostring(dimension))
   end
   self.dimension = dimension
   self.flattenParams = flattenParams or false
   self.usenccl = useNCCL or false
   self.gpuAssignments = {}
end

-- dpt:add(module, gpus): gpus a table of GPU ids (1-based), or one id;
-- called once.
function DataParallelTable:add(module, gpus)
   if not torch.isTypeOf(module, 'nn.Module') then
      raise('nn.DataParallelTable:add: expected a module, got ' .. torch.type(module))
   end
   if type(gpus) == 'number' then gpus = { gpus } end
   if type(gpus) ~= 'table' or #gpus < 1 then
      raise('nn.DataParallelTable:add: expected a table of GPU ids, e.g. {1, 2}, got ' .. torch.type(gpus))
   end
   for _, g in ipairs(gpus) do
      if type(g) ~= 'number' or g < 1 or g % 1 ~= 0 then
         raise('nn.DataParallelTable:add: GPU ids are positive integers, got ' .. tostring(g))
      end
   end
   if #self.modules > 0 then
      raise('nn.DataParallelTable:add: add should only be called once with a table of GPU assignments')
   end
   self.modules[1] = module
   self.gpuAssignments = gpus
   return self
end

-- dpt:threads(initFunc): cunn runs initFunc in each worker thread; here
-- the one replica runs in this thread, so initFunc runs once, now.
function DataParallelTable:threads(initFunc)
   if initFunc ~= nil and type(initFunc) ~= 'function' then
      raise('nn.DataParallelTable:threads: expected a function, got ' .. type(initFunc))
   end
   if initFunc then initFunc(1) end
   return self
end

function DataParallelTable:__tostring()
   return 'DataParallelTable: ' .. #self.gpuAssignments .. ' x ' .. tostring(self.modules[1])
end

local function first_tensor(x)
   if torch.isTensor(x) then return x end
   if type(x) == 'table' then
      for _, v in ipairs(x) do
         local t = first_tensor(v)
         if t then return t end
      end
   end
end

-- The one replica, after checking that the call can run on it.
function DataParallelTable:_replica(input, fn)
   local m = self.modules[1]
   if not m then raise('nn.DataParallelTable:' .. fn .. ': no module (call dpt:add(module, gpus) first)') end
   local t = first_tensor(input)
   if t and not core.is_host(t) and #self.gpuAssignments > 1 then
      raise(string.format('nn.DataParallelTable:%s: %d GPUs assigned, but replicas on more than one GPU of ' ..
         'a process need cutorch beyond device 1, which this version lacks; assign one GPU, or run one ' ..
         'process per GPU with distlearn under mpirun (docs/distributed.md)', fn, #self.gpuAssignments))
   end
   return m
end

function DataParallelTable:updateOutput(input)
   self.output = self:_replica(input, 'updateOutput'):updateOutput(input)
   return self.output
end

function DataParallelTable:updateGradInput(input, gradOutput)
   self.gradInput = self:_replica(input, 'updateGradInput'):updateGradInput(input, gradOutput)
   return self.gradInput
end

function DataParallelTable:accGradParameters(input, gradOutput, scale)
   self:_replica(input, 'accGradParameters'):accGradParameters(input, gradOutput, scale)
end

function DataParallelTable:backward(input, gradOutput, scale)
   self.gradInput = self:_replica(input, 'backward'):backward(input, gradOutput, scale)
   return self.gradInput
end

-- Copies the first replica's parameters to the others: none here.
function DataParallelTable:syncParameters()
   return self
end

-- cunn flattens each replica's parameters; the one replica keeps its own.
function DataParallelTable:flattenParameters()
   return self
end

return DataParallelTable

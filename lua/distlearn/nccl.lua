-- distlearn.nccl: CUDA tensors summed and broadcast device to device by
-- NCCL (cuda/nccl.cu in libnnlua_cuda) across the ranks of the MPI job:
-- rank 0 makes NCCL's unique id and MPI broadcasts it, then every rank
-- joins one communicator on its GPU (one GPU per process: give each rank
-- its own with CUDA_VISIBLE_DEVICES, docs/distributed.md). The mpi module
-- sends CUDA tensors here when NCCL can be opened (NNLUA_NCCL=0 turns it
-- off: then they are staged through host memory). Not yet run on a GPU.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local raise = core.raise

local reg = debug.getregistry()
if reg.nnlua_nccl then return reg.nnlua_nccl end
local nccl = {}
reg.nnlua_nccl = nccl

local lib, comm
local function open()
   if lib ~= nil then return lib end
   lib = false
   if os.getenv('NNLUA_NCCL') == '0' then return lib end
   local cu = torch._loader.cuda()
   if not cu then return lib end
   ffi.cdef [[
      int nl_nccl_available(void);
      int nl_nccl_unique_id(void *id);
      int nl_nccl_comm_init_rank(void **comm, int nranks, const void *id, int rank);
      int nl_nccl_comm_init_all(void **comms, int ndev, const int *devs);
      int nl_nccl_comm_destroy(void *comm);
      int nl_nccl_allreduce(void *comm, void *buf, int64_t count, int dtype);
      int nl_nccl_broadcast(void *comm, void *buf, int64_t count, int dtype, int root);
      int nl_nccl_allreduce_multi(void **comms, void **bufs, const int *devs, int ndev, int64_t count, int dtype);
   ]]
   if cu.nl_nccl_available() == 1 then lib = cu end
   return lib
end

-- true when CUDA tensors can go through NCCL here
function nccl.available() return open() ~= false end

local function check(rc)
   if rc ~= 0 then raise(ffi.string(core.C.nl_last_error())) end
end

-- this process's communicator among the MPI job's ranks
local function communicator()
   if comm then return comm end
   local mpi = require 'mpi'
   local rank, size = mpi.init()
   local id = torch.ByteTensor(128):zero()
   if rank == 0 then check(lib.nl_nccl_unique_id(id:data())) end
   mpi.broadcast(id, 0)
   local box = ffi.new('void *[1]')
   check(lib.nl_nccl_comm_init_rank(box, size, id:data(), rank))
   comm = box[0]
   return comm
end

local function block(name, t)
   if not t:isContiguous() then
      raise(string.format('distlearn.nccl.%s: the %s of size %s is not contiguous', name, torch.type(t),
         table.concat(t:size():totable(), 'x')))
   end
   return core.C.nl_tensor_data(t), t:nElement(), t._dtype
end

-- t (a CUDA tensor) becomes the sum over ranks, in place
function nccl.allreduce(t)
   if not open() then raise('distlearn.nccl.allreduce: NCCL is not available') end
   local p, n, d = block('allreduce', t)
   check(lib.nl_nccl_allreduce(communicator(), p, n, d))
   return t
end

-- t (a CUDA tensor) takes root's values, in place
function nccl.broadcast(t, root)
   if not open() then raise('distlearn.nccl.broadcast: NCCL is not available') end
   local p, n, d = block('broadcast', t)
   check(lib.nl_nccl_broadcast(communicator(), p, n, d, root or 0))
   return t
end

return nccl

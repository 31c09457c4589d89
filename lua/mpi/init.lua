-- mpi: message passing between the processes of one job, on OpenMPI
-- through build/libnnlua_mpi.so (runtime/mpi/). The names are torch-mpi's
-- (init, rank, size, barrier, broadcast, allreduce, finalize), with
-- TorchMPI's spellings as aliases (start, stop, broadcastTensor(root, t),
-- allreduceTensor(t)). Ranks are 0-based, as MPI's.
--
--   mpirun -np 2 nnlua script.lua      every rank runs script.lua
--   nnlua script.lua                   rank 0 of 1, without MPI
--
-- A process started by mpirun (OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK
-- in its environment) joins the job at mpi.init(); one started without a
-- launcher is rank 0 of 1 and every collective is the identity, so the same
-- script runs with and without mpirun. NNLUA_MPI=1 forces MPI's own
-- singleton initialisation instead.
--
-- Tensors are reduced and broadcast in place; they must be contiguous.
-- CUDA tensors go through NCCL when libnnlua_cuda has it (distlearn.nccl),
-- otherwise through a host copy.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local raise = core.raise

local reg = debug.getregistry()
if reg.nnlua_mpi then
   package.loaded.mpi = reg.nnlua_mpi
   return reg.nnlua_mpi
end

local mpi = {}
reg.nnlua_mpi = mpi
package.loaded.mpi = mpi

local loader = torch._loader
local here = debug.getinfo(1, 'S').source:match('^@(.*)/mpi/[^/]*$') or '.'

local function exists(p)
   local f = io.open(p, 'rb')
   if f then f:close() return true end
   return false
end

-- The shim's declarations: runtime/mpi/mpi_shim.h in the source tree, or
-- installed beside nnlua.h.
local lib, libwhy
local function shim()
   if lib then return lib end
   if libwhy then return nil, libwhy end
   local header
   for _, p in ipairs { here .. '/../runtime/mpi/mpi_shim.h', here .. '/mpi_shim.h' } do
      if exists(p) then header = p break end
   end
   local path = loader.libdir .. '/libnnlua_mpi.so'
   if not header then
      libwhy = 'cannot find mpi_shim.h (looked beside ' .. here .. ')'
   elseif not exists(path) then
      libwhy = path .. ' was not built (OpenMPI was missing at build time: scripts/setup installs ' ..
         'libopenmpi-dev and openmpi-bin, then run make)'
   else
      local f = assert(io.open(header, 'rb'))
      local src = f:read('*a'):gsub('\n#[^\n]*', '\n'):gsub('^#[^\n]*', '')
      f:close()
      if not reg.nnlua_mpi_cdef then
         ffi.cdef(src)
         reg.nnlua_mpi_cdef = true
      end
      local ok, l = pcall(ffi.load, path)
      if ok then lib = l else libwhy = 'cannot load ' .. path .. ': ' .. tostring(l) end
   end
   return lib, libwhy
end

local function launched()
   return os.getenv('OMPI_COMM_WORLD_SIZE') or os.getenv('PMIX_RANK') or os.getenv('PMI_RANK')
      or os.getenv('NNLUA_MPI') == '1'
end

local state = { rank = 0, size = 1, mode = nil }   -- mode: 'mpi' | 'single' | nil (not started)

local function check(rc)
   if rc ~= 0 then raise(ffi.string(lib.nl_mpi_error())) end
end

-- mpi.init(): joins the job; returns rank, size. Idempotent.
function mpi.init()
   if state.mode then return state.rank, state.size end
   if launched() then
      local l, why = shim()
      if not l then raise('mpi.init: started by an MPI launcher but ' .. why) end
      check(l.nl_mpi_init())
      state.mode, state.rank, state.size = 'mpi', l.nl_mpi_rank(), l.nl_mpi_size()
   else
      state.mode, state.rank, state.size = 'single', 0, 1
   end
   return state.rank, state.size
end
mpi.start = mpi.init

local function started(name)
   if not state.mode then raise('mpi.' .. name .. ': call mpi.init() first') end
   if state.mode == 'finalized' then raise('mpi.' .. name .. ': called after mpi.finalize()') end
   return state.mode == 'mpi'
end

function mpi.rank() started('rank') return state.rank end
function mpi.size() started('size') return state.size end
-- true when this process communicates through MPI (false: rank 0 of 1 alone)
function mpi.usingMPI() return state.mode == 'mpi' end
function mpi.initialized() return state.mode ~= nil end

function mpi.barrier()
   if started('barrier') then check(lib.nl_mpi_barrier()) end
end

-- seconds (MPI_Wtime, or a wall-clock timer alone)
local clock
function mpi.wtime()
   if state.mode == 'mpi' then return lib.nl_mpi_wtime() end
   clock = clock or torch.Timer()
   return clock:time().real
end

-- The tensor's contiguous element block; raises naming the function.
local function block(name, t)
   if not torch.isTensor(t) then
      raise(string.format('mpi.%s: expected a tensor, got %s', name, torch.type(t)))
   end
   if not t:isContiguous() then
      raise(string.format('mpi.%s: the %s of size %s is not contiguous (use a contiguous tensor, e.g. ' ..
         'the flat parameters of model:getParameters())', name, torch.type(t),
         table.concat(t:size():totable(), 'x')))
   end
   if t._dtype == core.C.NL_HALF then raise('mpi.' .. name .. ': Half tensors are not supported') end
   return t:data(), t:nElement(), t._dtype
end

-- A CUDA tensor: through NCCL when available, otherwise staged on the host.
-- op: 'allreduce' or 'broadcast'.
local function on_device(op, t, root)
   local ok, nccl = pcall(require, 'distlearn.nccl')
   if ok and nccl.available() then return nccl[op](t, root) end
   local name = torch.typename(t):gsub('^torch%.Cuda', 'torch.')
   local host = t:type(name == 'torch.Tensor' and 'torch.FloatTensor' or name)
   if op == 'allreduce' then mpi.allreduce(host) else mpi.broadcast(host, root) end
   t:copy(host)
   return t
end

-- mpi.allreduce(t): t becomes the sum of every rank's t (in place); returns
-- t. With a number, returns the sum over ranks.
function mpi.allreduce(t)
   if type(t) == 'number' then
      if not started('allreduce') then return t end
      local b = torch.DoubleTensor(1):fill(t)
      check(lib.nl_mpi_allreduce_sum(b:data(), 1, b._dtype))
      return b[1]
   end
   local use = started('allreduce')
   if torch.isTensor(t) and not core.is_host(t) then
      if not use then return t end
      return on_device('allreduce', t)
   end
   local p, n, d = block('allreduce', t)
   if use and n > 0 then check(lib.nl_mpi_allreduce_sum(p, n, d)) end
   return t
end

-- mpi.allreduceMax(t or number): the maximum over ranks (in place for t).
function mpi.allreduceMax(t)
   if type(t) == 'number' then
      if not started('allreduceMax') then return t end
      local b = torch.DoubleTensor(1):fill(t)
      check(lib.nl_mpi_allreduce_max(b:data(), 1, b._dtype))
      return b[1]
   end
   local p, n, d = block('allreduceMax', t)
   if started('allreduceMax') and n > 0 then check(lib.nl_mpi_allreduce_max(p, n, d)) end
   return t
end

-- mpi.broadcast(t [, root = 0]): every rank's t becomes root's (in place).
function mpi.broadcast(t, root)
   root = root or 0
   if type(root) ~= 'number' or root < 0 or root >= state.size or root % 1 ~= 0 then
      raise(string.format('mpi.broadcast: root %s out of range (ranks 0..%d)', tostring(root), state.size - 1))
   end
   local use = started('broadcast')
   if torch.isTensor(t) and not core.is_host(t) then
      if not use then return t end
      return on_device('broadcast', t, root)
   end
   local p, n, d = block('broadcast', t)
   if use and n > 0 then check(lib.nl_mpi_bcast(p, n, d, root)) end
   return t
end

-- TorchMPI's spellings
function mpi.allreduceTensor(t) return mpi.allreduce(t) end
function mpi.broadcastTensor(root, t) return mpi.broadcast(t, root) end

-- mpi.abort([msg [, code = 1]]): names this rank and msg on stderr, then
-- ends every rank of the job (MPI_Abort). Alone: exits with code.
function mpi.abort(msg, code)
   code = code or 1
   if state.mode == 'mpi' then
      lib.nl_mpi_abort(code, tostring(msg or 'aborting'))
   end
   io.stderr:write(string.format('nnlua: rank %d of %d: %s\n', state.rank, state.size, tostring(msg or 'aborting')))
   os.exit(code)
end

-- mpi.protect(f, ...): calls f; an error in it is printed with this rank's
-- number and a traceback, then the job is aborted (mpi.abort), so no other
-- rank waits for this one. Returns f's results.
function mpi.protect(f, ...)
   local res = { xpcall(f, debug.traceback, ...) }
   if not res[1] then mpi.abort(res[2], 1) end
   return unpack(res, 2, table.maxn(res))
end

function mpi.finalize()
   if state.mode == 'mpi' then check(lib.nl_mpi_finalize()) end
   state.mode = state.mode and 'finalized'
end
mpi.stop = mpi.finalize

-- The MPI library's version string ('' without MPI).
function mpi.libraryVersion()
   local l = shim()
   if not l then return '' end
   return ffi.string(l.nl_mpi_library_version())
end

-- For specs and tools: nil, or why the shim cannot be used.
function mpi.unavailable()
   local _, why = shim()
   return why
end

return mpi

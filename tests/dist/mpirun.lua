-- Shared by the tests/dist specs: runs `mpirun -np N nnlua script args`
-- on this machine (loopback only: shared memory and self), bounded by
-- timeout. OpenMPI's settings make it work as root and on fewer cores than
-- ranks (CI: root, 2 cores). The ranks use the normal build even in the
-- sanitizer run: OpenMPI patches the allocator, which AddressSanitizer's
-- preloaded runtime does not tolerate.
local M = {}
local root = NNLUA_ROOT
M.nnlua = root .. '/build/nnlua'
M.scripts = root .. '/tests/dist/scripts/'

local function found(cmd)
   local p = io.popen('command -v ' .. cmd .. ' 2>/dev/null')
   local s = p:read('*a')
   p:close()
   return s ~= ''
end

local function exists(path)
   local f = io.open(path, 'rb')
   if f then f:close() return true end
   return false
end

-- nil when mpirun can run here, otherwise why not
function M.unavailable()
   if not found('mpirun') then return 'mpirun not found (scripts/setup installs openmpi-bin)' end
   if not exists(root .. '/build/libnnlua_mpi.so') then
      return 'build/libnnlua_mpi.so not built (make, with libopenmpi-dev installed)'
   end
   if not exists(M.nnlua) then return 'build/nnlua not built' end
end

local env = table.concat({
   'env -u LD_PRELOAD -u NNLUA_BUILD -u ASAN_OPTIONS -u UBSAN_OPTIONS',
   'OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1',
   'OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl=self,vader',
   'OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_hwloc_base_binding_policy=none',
   'OMPI_MCA_mpi_yield_when_idle=1',
}, ' ')

-- Runs the command line; returns output (stdout and stderr), exit status
-- and seconds taken.
-- M.run(cmd [, limit = 60 s]): with the settings above, bounded
function M.run(cmd, limit)
   local t = torch.Timer()
   local p = io.popen(string.format('%s timeout %d %s 2>&1; echo "rc=$?"', env, limit or 60, cmd))
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return out:gsub('rc=%d+%s*$', ''), rc, t:time().real
end

-- M.mpirun(np, script, args [, limit = 60 s])
function M.mpirun(np, script, args, limit)
   return M.run(string.format('mpirun -np %d %s %s %s', np, M.nnlua, M.scripts .. script, args or ''), limit)
end

-- M.single(script, args): the same script without mpirun (rank 0 of 1)
function M.single(script, args)
   return M.run(string.format('%s %s %s', M.nnlua, M.scripts .. script, args or ''))
end

-- The numbers of a file, one a line, as a DoubleTensor
function M.readNumbers(path)
   local v = {}
   for line in io.lines(path) do v[#v + 1] = tonumber(line) end
   return torch.DoubleTensor(v)
end

function M.tmpname()
   local p = os.tmpname()
   os.remove(p)
   return p
end

return M

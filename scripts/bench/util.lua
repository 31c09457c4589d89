-- Helpers the benchmark scripts share: a monotonic wall clock (a bare
-- clock_gettime through the FFI: cheap enough to sit inside the loops that
-- time 60 ns calls), best-of timing, and running a Python script under Debian's
-- python3-torch with the setting the comparison gives PyTorch here
-- (OMP_WAIT_POLICY=passive, 2 threads; nnlua's own GOMP_SPINCOUNT unset).
--   local B = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
local B = {}

local ffi = require 'ffi'
pcall(ffi.cdef, 'typedef struct { long tv_sec; long tv_nsec; } nl_bench_timespec; '
   .. 'int clock_gettime(int, nl_bench_timespec *);')
local ts = ffi.new('nl_bench_timespec')
function B.wall()
   ffi.C.clock_gettime(1, ts)   -- CLOCK_MONOTONIC
   return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

-- the best seconds per call of fn over 3 measurements after a warm-up,
-- each running fn for at least `budget` seconds
function B.best(fn, budget)
   fn()
   local best = math.huge
   for _ = 1, 3 do
      local n, t0 = 0, B.wall()
      repeat fn(); n = n + 1 until B.wall() - t0 >= budget
      best = math.min(best, (B.wall() - t0) / n)
   end
   return best
end

-- whether -nopytorch is among the arguments
function B.nopytorch(args)
   for _, a in ipairs(args or {}) do if a == '-nopytorch' then return true end end
   return false
end

local has
function B.has_pytorch()
   if has == nil then
      local p = io.popen('/usr/bin/python3 -c "import torch" 2>/dev/null && echo yes')
      has = p:read('*a'):match('yes') ~= nil
      p:close()
   end
   return has
end

-- runs the Python source; returns its output (stdout and stderr)
function B.run_pytorch(source)
   local path = os.tmpname() .. '.py'
   local f = assert(io.open(path, 'w'))
   f:write(source)
   f:close()
   local p = io.popen('env -u GOMP_SPINCOUNT OMP_WAIT_POLICY=passive OMP_NUM_THREADS=2 /usr/bin/python3 ' .. path
      .. ' 2>&1')
   local out = p:read('*a')
   p:close()
   os.remove(path)
   return out
end

return B

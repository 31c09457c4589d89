-- torch.core: the glue every torch file shares: the C namespace, error
-- raising at the caller's line, the memory-pressure check, size parsing.
local ffi = require 'ffi'
local torch = require 'torch'
local C = torch._C

local core = {}
torch._core = core
core.C = C


-- Runs the collector when the runtime's native byte count passed its soft
-- limit: LuaJIT cannot see native memory, so this is what keeps a training
-- loop bounded without collectgarbage() in user code.
local function collect()
   collectgarbage('collect')
   C.nl_mem_collected()
   C.nl_mem_set_budget_floor(collectgarbage('count') * 4096)   -- 4x the Lua heap, in bytes
end
core.collect = collect

-- Errors are raised at the user's line: the first stack frame that is not
-- in nnlua's own Lua packages (so a bad size deep inside nn.Sequential
-- points at the script's model:forward line, and one inside a feval closure
-- called by optim points into the closure).
local libroot = debug.getinfo(1, 'S').source:match('^@(.*[/\\])torch[/\\]core%.lua$')
local loaderpath = debug.getinfo(require('nnlua_loader').cuda, 'S').source
core.libroot = libroot
-- the host names the user's line of an interrupt with it
debug.getregistry()['nnlua.libroot'] = libroot

local function user_level()
   local i = 3          -- 1 = user_level, 2 = raise, 3 = its caller
   while true do
      local info = debug.getinfo(i, 'S')
      if not info then return 1 end
      local src = info.source
      if info.what ~= 'C' and not (libroot and src:sub(2, #libroot + 1) == libroot) and src ~= loaderpath then
         return i - 1     -- relative to raise()
      end
      i = i + 1
   end
end
core.user_level = user_level

-- raise(msg): raise(msg) at the user's line.
local function raise(msg)
   error(msg, user_level())
end
core.raise = raise

-- named(name, f): f, but an error raised inside it by another function of
-- ours is prefixed with `name: ` (torch.zeros(-1) says "zeros: resize:
-- negative size ..."), for functions built from others. Costs a pcall.
function core.named(name, f)
   local prefix = name .. ': '
   local function finish(ok, ...)
      if ok then return ... end
      local msg = tostring((...))
      -- drop the "file:line: " position, keep the message
      local body = msg:match('^[^\n]-:%d+: (.*)$') or msg
      if body:sub(1, #prefix) ~= prefix then body = prefix .. body end
      raise(body)
   end
   return function(...) return finish(pcall(f, ...)) end
end

-- check(rc): raises the runtime's message at the user's line (raise finds
-- that line itself: no caller passes a stack level).
function core.check(rc)
   if rc ~= 0 then
      raise(ffi.string(C.nl_last_error()))
   end
   if C.nl_mem_should_collect() ~= 0 then collect() end
end
local check = core.check

-- Calls f(...) (a C function returning a status); on failure that looks
-- like an allocation failure, collects, empties caches and retries once.
-- fname: the name of the C function (looked up in the namespace per call,
-- as LuaJIT wants; never cache C functions)
function core.alloc_call(fname, ...)
   local rc = C[fname](...)
   if rc ~= 0 then
      local msg = ffi.string(C.nl_last_error())
      if msg:find('allocate') or msg:find('out of memory') then
         collect()
         if torch._empty_cuda_cache then torch._empty_cuda_cache() end
         rc = C[fname](...)
      end
   end
   check(rc)
end

-- Sizes: numbers, a LongStorage, or a table of numbers. Fills a shared
-- int64_t[8] and returns (ndim, buffer). Errors name `fn`.
-- A size beyond any tensor (or NaN) is refused here: converted to int64
-- it would wrap and read as a negative size.
local function size_value(fn, i, v)
   if v ~= v or v >= 2 ^ 62 then raise(string.format('%s: size %g in dimension %d is too large', fn, v, i)) end
   return v
end
local sizebuf = ffi.new('int64_t[8]')
local sizebuf2 = ffi.new('int64_t[8]')
core.sizebuf, core.sizebuf2 = sizebuf, sizebuf2

function core.sizes_from_table(fn, tbl, buf)
   buf = buf or sizebuf
   local n = #tbl
   if n > 8 then raise(fn .. ': at most 8 dimensions are supported, got ' .. n) end
   for i = 1, n do
      local v = tbl[i]
      if type(v) ~= 'number' then
         raise(string.format('%s: size %d is a %s, expected a number', fn, i, type(v)))
      end
      buf[i - 1] = size_value(fn, i, v)
   end
   return n, buf
end

-- parse_sizes(fn, a1, ...): a1 may be a LongStorage, a table, or the first
-- of several numbers.
function core.parse_sizes(fn, a1, ...)
   local buf = sizebuf
   if a1 == nil then return 0, buf end
   if type(a1) == 'number' then
      local n = select('#', ...) + 1
      while n > 1 and select(n - 1, ...) == nil do n = n - 1 end   -- trailing nils
      if n > 8 then raise(fn .. ': at most 8 dimensions are supported, got ' .. n) end
      buf[0] = size_value(fn, 1, a1)
      for i = 1, n - 1 do
         local v = select(i, ...)
         if type(v) ~= 'number' then
            raise(string.format('%s: size %d is a %s, expected a number', fn, i + 1, type(v)))
         end
         buf[i] = size_value(fn, i + 1, v)
      end
      return n, buf
   elseif type(a1) == 'table' then
      return core.sizes_from_table(fn, a1, buf)
   elseif torch.isStorage(a1) then
      local n = #a1
      if n > 8 then raise(fn .. ': at most 8 dimensions are supported, got ' .. n) end
      for i = 1, n do buf[i - 1] = a1[i] end
      return n, buf
   end
   raise(string.format('%s: expected sizes (numbers, a table or a LongStorage), got %s', fn, torch.type(a1)))
end

-- Default tensor type
core.default_dtype = C.NL_DOUBLE

-- True when x's elements live in host memory that Lua can address (a CPU
-- tensor or storage). The one place outside cutorch that knows the CPU's
-- device number: where an operation runs is decided by the C gate.
function core.is_host(x) return x._device == C.NL_CPU end

function torch.setnumthreads(n)
   if type(n) ~= 'number' then raise('torch.setnumthreads: expected a number of threads') end
   check(C.nl_set_num_threads(n))
end
function torch.getnumthreads() return C.nl_get_num_threads() end

-- Native memory as the runtime counts it (bytes), per device.
function torch.memoryUsage(device)
   if device ~= nil and (type(device) ~= 'number' or device < 0 or device > 1) then
      raise('torch.memoryUsage: device should be 0 (CPU) or 1 (CUDA), got ' ..
         (type(device) == 'number' and tostring(device) or torch.type(device)))
   end
   return tonumber(C.nl_mem_live(device or 0)), tonumber(C.nl_mem_peak(device or 0))
end

return core

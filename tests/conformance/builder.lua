-- builder.lua: the tensors a conformance case asks for (`T` in the cases),
-- made on one device with the same values on every device. A builder is
-- made per (device, variant): in the 'strided' variant every tensor T{...}
-- is a non-contiguous view (stride 2 in every dimension's element steps)
-- holding the same values as in the 'contig' variant.
local ffi = require 'ffi'
local torch = require 'torch'
local C = torch._core.C

local M = {}

local dtypes = {
   byte = C.NL_BYTE, char = C.NL_CHAR, short = C.NL_SHORT, int = C.NL_INT, long = C.NL_LONG,
   float = C.NL_FLOAT, double = C.NL_DOUBLE, half = C.NL_HALF,
}
M.dtypes = dtypes

local function check(rc, what)
   if rc ~= 0 then error(what .. ': ' .. ffi.string(C.nl_last_error()), 3) end
end

local function header(dt, device)
   local t = ffi.new('nl_tensor')
   check(C.nl_tensor_init(t, dt, device), 'nl_tensor_init')
   return t
end

local function numel(sizes)
   local n = 1
   for _, s in ipairs(sizes) do n = n * s end
   return n
end

function M.new(device, variant)
   local T = { device = device, variant = variant, NULL = ffi.cast('nl_tensor *', nil) }
   local serial = 0

   -- a device tensor of sizes and dtype name holding value(i) at flat index
   -- i (1-based, row-major)
   local function make(sizes, dtname, value, contig)
      local dt = dtypes[dtname or 'double']
      assert(dt, 'conformance builder: unknown dtype ' .. tostring(dtname))
      local nd, n = #sizes, numel(sizes)
      local host = header(dt, C.NL_CPU)
      local sz = ffi.new('int64_t[?]', math.max(nd, 1), sizes)
      check(C.nl_tensor_resize(host, nd, sz), 'resize')
      for i = 1, n do check(C.nl_set1(host, i - 1, value(i)), 'set1') end
      local t = header(dt, device)
      if variant == 'strided' and not contig and n > 0 then
         local base = header(dt, device)
         local two = ffi.new('int64_t[1]', 2 * n)
         check(C.nl_tensor_resize(base, 1, two), 'resize')
         local st = ffi.new('int64_t[?]', nd)
         local s = 2
         for d = nd, 1, -1 do st[d - 1] = s; s = s * sizes[d] end
         check(C.nl_tensor_set_storage(t, base._storage, 1, nd, sz, st), 'set_storage')
      else
         check(C.nl_tensor_resize(t, nd, sz), 'resize')
      end
      check(C.nl_copy(t, host), 'copy to the device')
      return t
   end

   local function float_value(k)
      return function(i)
         local v = math.sin(i * 1.37 + k * 0.71) * 0.9
         if math.abs(v) < 0.05 then v = v < 0 and -0.5 or 0.5 end
         return v
      end
   end

   setmetatable(T, { __call = function(_, sizes, dtname)
      serial = serial + 1
      local k = serial
      local dt = dtypes[dtname or 'double']
      if dt == C.NL_FLOAT or dt == C.NL_DOUBLE or dt == C.NL_HALF then
         return make(sizes, dtname, float_value(k))
      end
      return make(sizes, dtname, function(i) return (i * 7 + k) % 9 + 1 end)
   end })

   function T.pos(sizes, dtname)
      serial = serial + 1
      local k = serial
      return make(sizes, dtname, function(i) return 0.5 + ((i * 0.618 + k * 0.1) % 1) end)
   end

   function T.ints(sizes, dtname, lo, hi)
      serial = serial + 1
      local k = serial
      return make(sizes, dtname or 'long', function(i) return lo + (i * 7 + k) % (hi - lo + 1) end)
   end

   function T.long(sizes, lo, hi) return T.ints(sizes, 'long', lo, hi) end

   function T.mask(sizes)
      serial = serial + 1
      local k = serial
      return make(sizes, 'byte', function(i) return (i + k) % 2 end)
   end

   -- symmetric positive definite: M M^T + n I for M of fixed values
   function T.spd(n, dtname)
      local m = {}
      for i = 1, n * n do m[i] = math.sin(i * 0.9) end
      return make({ n, n }, dtname, function(i)
         local r, c = math.floor((i - 1) / n), (i - 1) % n
         local s = r == c and n or 0
         for j = 0, n - 1 do s = s + m[r * n + j + 1] * m[c * n + j + 1] end
         return s
      end)
   end

   function T.out(dtname)
      local dt = dtypes[dtname or 'double']
      assert(dt, 'conformance builder: unknown dtype ' .. tostring(dtname))
      return header(dt, device)
   end

   function T.box(n) return ffi.new('double[?]', n or 1) end

   function T.list(ts)
      local a = ffi.new('const nl_tensor *[?]', #ts)
      for i, t in ipairs(ts) do a[i - 1] = t end
      return { list = a, items = ts, n = #ts }
   end

   function T.contig(x)
      if C.nl_tensor_is_contiguous(x) ~= 0 then return x end
      local t = header(x._dtype, x._device)
      check(C.nl_tensor_resize_as(t, x), 'resize')
      check(C.nl_copy(t, x), 'copy')
      return t
   end

   return T
end

-- A CPU double copy of any tensor (any device), for comparison.
function M.to_host(t)
   local h = header(C.NL_DOUBLE, C.NL_CPU)
   if t._ndim > 0 then
      check(C.nl_tensor_resize_as(h, t), 'resize')
      if C.nl_tensor_numel(t) > 0 then check(C.nl_copy(h, t), 'copy to the host') end
   end
   return h
end

return M

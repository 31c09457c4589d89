-- Math on torch.HalfTensor, through float. Half is a storage type in the
-- runtime (create, copy and convert, fill, index, views, save/load run on
-- the half elements themselves); every other method and torch.* function
-- given a HalfTensor converts the half arguments to FloatTensors, runs the
-- float operation, writes results back into the half arguments (so
-- in-place forms and [res] arguments keep working) and returns
-- HalfTensors where the float operation returned new FloatTensors:
--   h = torch.HalfTensor{1, 2}; h:add(1); h:sum()  --> 5
--   torch.max(h, 1)                               --> HalfTensor, LongTensor
-- Torch7 had no math on HalfTensor at all; this costs a conversion each
-- way, which is the price of a type meant for storage.
local torch = require 'torch'
local ffi = require 'ffi'
local core = torch._core
local C = core.C
local TensorBase, isTensor = core.TensorBase, core.isTensor

local HALF = C.NL_HALF
local FLOAT = C.NL_FLOAT
local unpack = unpack or table.unpack
local function pack(...) return { n = select('#', ...), ... } end

local function is_half(x) return isTensor(x) and x._dtype == HALF end

local REFUSED = 'is a storage type'

-- Runs f over the arguments with each half tensor replaced by a float copy.
local function through_float(f, ...)
   local args = pack(...)
   local images = {}
   for i = 1, args.n do
      local a = args[i]
      if is_half(a) then
         local fl = a:float()
         images[#images + 1] = { a, fl }
         args[i] = fl
      end
   end
   local r = pack(f(unpack(args, 1, args.n)))
   for _, p in ipairs(images) do
      local h, fl = p[1], p[2]
      if not h:isSameSizeAs(fl) then h:resize(fl:size()) end
      h:copy(fl)
   end
   for i = 1, r.n do
      local v = r[i]
      if isTensor(v) then
         local orig
         for _, p in ipairs(images) do
            if rawequal(v, p[2]) or torch.pointer(v) == torch.pointer(p[2]) then orig = p[1] end
         end
         if orig then r[i] = orig elseif v._dtype == FLOAT then r[i] = v:half() end
      end
   end
   return unpack(r, 1, r.n)
end

-- f as it runs natively, falling back to float when the runtime refuses a
-- half tensor (it refuses before it touches any element)
local function with_fallback(f)
   return function(...)
      local r = pack(pcall(f, ...))
      if r[1] then return unpack(r, 2, r.n) end
      local msg = r[2]
      if type(msg) == 'string' and msg:find(REFUSED, 1, true) then return through_float(f, ...) end
      error(msg, 0)
   end
end

-- methods of HalfTensor (and CudaHalfTensor where cutorch makes one)
local half_class = torch._classes['torch.HalfTensor']
local skip = { new = true, __constructor = true, __typename = true, _dtype = true, _device = true,
   _isTensorClass = true, __tostring__ = true, half = true, float = true, double = true, type = true, typeAs = true,
   copy = true, fill = true }
for name, f in pairs(TensorBase) do
   if type(f) == 'function' and not skip[name] and rawget(half_class, name) == nil then
      half_class[name] = with_fallback(f)
   end
end

-- torch.* functions: only calls whose first arguments hold a half tensor
-- take the fallback path
local function wrap_function(f)
   local fb = with_fallback(f)
   return function(...)
      local a1, a2, a3, a4 = ...
      if is_half(a1) or is_half(a2) or is_half(a3) or is_half(a4) then return fb(...) end
      return f(...)
   end
end
local plain = { setdefaulttensortype = true, getdefaulttensortype = true, class = true, type = true,
   typename = true, isTensor = true, isStorage = true, pointer = true, getmetatable = true, factory = true,
   save = true, load = true, saveobj = true, loadobj = true, serialize = true, deserialize = true, isTypeOf = true, setnumthreads = true,
   getnumthreads = true, manualSeed = true, seed = true, initialSeed = true, getRNGState = true, setRNGState = true }
for name, f in pairs(torch) do
   if type(f) == 'function' and not plain[name] and name:sub(1, 1) ~= '_' then
      torch[name] = wrap_function(f)
   end
end

return torch

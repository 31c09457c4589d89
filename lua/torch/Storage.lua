-- torch.*Storage: Lua-held references (nl_storage_ref) to C storages.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise

-- The dtypes, in the runtime's order, read from its traits table
-- (runtime/dtype.c): names[dtype + 1] = 'Float', ctypes[dtype + 1] = 'float'.
local names, ctypes = {}, {}
for d = 0, C.NL_NUM_DTYPES - 1 do
   names[d + 1] = ffi.string(C.nl_dtype_name(d))
   ctypes[d + 1] = ffi.string(C.nl_dtype_ctype(d))
end
local LONG, HALF = C.NL_LONG, C.NL_HALF
core.dtype_names = names
core.dtype_ctypes = ctypes
core.ptr_ct = {}
for i, ct in ipairs(ctypes) do core.ptr_ct[i - 1] = ffi.typeof(ct .. ' *') end
core.dtype_of_name = {}
for i, n in ipairs(names) do core.dtype_of_name[n] = i - 1 end

local ref_ct = ffi.typeof('nl_storage_ref')
core.storage_ct = ref_ct

local StorageBase = {}
core.StorageBase = StorageBase
local ND = C.NL_NUM_DTYPES
local storage_classes = {}     -- [dtype + ND*device] -> class
core.storage_classes = storage_classes

local function class_of(s)
   local p = s._p
   if p == nil then return storage_classes[C.NL_DOUBLE] end
   return storage_classes[p._dtype + ND * p._device]
end
core.storage_class_of = class_of

local function new_storage(dtype, device, n)
   local s = ref_ct()
   core.alloc_call('nl_storage_new', s, dtype, device, n)
   return s
end
core.new_storage = new_storage

local function elem_check(s, i)
   local p = s._p
   if type(i) ~= 'number' or i < 1 or i > p._size or i % 1 ~= 0 then
      raise(string.format('%s: index %s out of range (size %d)', torch.typename(s), tostring(i), tonumber(p._size)))
   end
   if not core.is_host(p) then raise(torch.typename(s) .. ': elements of a device storage are not addressable; copy it to a CPU storage') end
end

local function get(s, i)
   elem_check(s, i)
   local p = s._p
   local v = ffi.cast(core.ptr_ct[p._dtype], p._data)[i - 1]
   if p._dtype == LONG then return tonumber(v) end
   if p._dtype == HALF then return C.nl_half_to_double(v) end
   return v
end

local function set(s, i, v)
   elem_check(s, i)
   local p = s._p
   if p._dtype == HALF then v = C.nl_half_from_double(v) end
   ffi.cast(core.ptr_ct[p._dtype], p._data)[i - 1] = v
end

ffi.metatype(ref_ct, {
   __index = function(s, k)
      if type(k) == 'number' then return get(s, k) end
      local cls = class_of(s)
      return cls[k]
   end,
   __newindex = function(s, k, v)
      if type(k) == 'number' then return set(s, k, v) end
      raise(torch.typename(s) .. ': cannot set field ' .. tostring(k))
   end,
   __len = function(s) return s._p ~= nil and tonumber(s._p._size) or 0 end,
   __gc = function(s) C.nl_storage_ref_release(s) end,
   __tostring = function(s) return class_of(s).__tostring__(s) end,
   __eq = function(a, b)
      return ffi.istype(ref_ct, a) and ffi.istype(ref_ct, b) and a._p == b._p
   end,
})

function StorageBase.size(s) return s._p ~= nil and tonumber(s._p._size) or 0 end
function StorageBase.fill(s, v)
   check(C.nl_storage_fill(s._p, v))
   return s
end
function StorageBase.resize(s, n)
   if type(n) ~= 'number' or n < 0 then raise(torch.typename(s) .. ':resize: expected a non-negative size') end
   core.alloc_call('nl_storage_resize', s._p, n)
   return s
end
function StorageBase.copy(s, src)
   if torch.isStorage(src) then check(C.nl_storage_copy(s._p, src._p))
   elseif type(src) == 'table' then
      if #src ~= s:size() then raise(string.format('%s:copy: table has %d elements, storage %d', torch.typename(s), #src, s:size())) end
      for i = 1, #src do s[i] = src[i] end
   else raise(torch.typename(s) .. ':copy: expected a storage or a table') end
   return s
end
function StorageBase.totable(s)
   local t = {}
   for i = 1, s:size() do t[i] = s[i] end
   return t
end
function StorageBase.data(s) return ffi.cast(core.ptr_ct[s._p._dtype], s._p._data) end
function StorageBase.elementSize(s) return C.nl_dtype_size(s._p._dtype) end
function StorageBase.isStorage() return true end
function StorageBase.type(s, name)
   local cls = class_of(s)
   if name == nil then return cls.__typename end
   if name == cls.__typename then return s end
   local target = torch.getmetatable(name)
   if not target or not target._isStorageClass then raise(torch.typename(s) .. ':type: unknown storage type ' .. tostring(name)) end
   local r = new_storage(target._dtype, target._device, s:size())
   check(C.nl_storage_copy(r._p, s._p))
   return r
end
function StorageBase.__tostring__(s)
   -- replaced by torch.print; a plain form until then
   return string.format('[%s of size %d]', torch.typename(s), s:size())
end

local function make_storage_class(dtype, device, name)
   local cls = setmetatable({ __typename = name, _dtype = dtype, _device = device, _isStorageClass = true },
      { __index = StorageBase })
   local ctor = setmetatable({}, {
      __index = cls,
      __newindex = cls,
      __tostring = function() return name end,
      __call = function(_, a, b, c)
         if a == nil then return new_storage(dtype, device, 0) end
         if type(a) == 'number' then return new_storage(dtype, device, a) end
         if type(a) == 'table' then
            local s = new_storage(dtype, device, #a)
            if device == C.NL_CPU then
               local ptr = ffi.cast(core.ptr_ct[dtype], s._p._data)
               for i = 1, #a do
                  if type(a[i]) ~= 'number' then
                     raise(string.format('%s: element %d of the table is a %s, expected a number', name, i, type(a[i])))
                  end
                  ptr[i - 1] = dtype == HALF and C.nl_half_from_double(a[i]) or a[i]
               end
            else
               s:copy(a)
            end
            return s
         end
         if type(a) == 'string' then   -- (filename [, shared [, size]]): the file's contents, mapped
            if device ~= C.NL_CPU then raise(name .. ': a file can be mapped only into a CPU storage') end
            if c ~= nil and (type(c) ~= 'number' or c < 0 or c % 1 ~= 0) then
               raise(string.format('%s: the size should be a non-negative integer, got %s', name, tostring(c)))
            end
            local s = ref_ct()
            check(C.nl_storage_map(s, a, dtype, b and 1 or 0, c or 0))
            return s
         end
         if torch.isStorage(a) then   -- (storage, [offset, [size]]): a view sharing a's memory
            if class_of(a) ~= cls then
               raise(string.format('%s: a view needs a storage of the same type, got %s', name, torch.typename(a)))
            end
            local off = b or 1
            if type(off) ~= 'number' or off < 1 or off % 1 ~= 0 or off > a:size() + 1 then
               raise(string.format('%s: view offset %s is out of range for a storage of size %d', name, tostring(off), a:size()))
            end
            local n = c or (a:size() - off + 1)
            if type(n) ~= 'number' or n < 0 or n % 1 ~= 0 or off - 1 + n > a:size() then
               raise(string.format('%s: view of %s elements from element %d is out of range for a storage of size %d',
                  name, tostring(n), off, a:size()))
            end
            local s = ref_ct()
            check(C.nl_storage_view(s, a._p, off - 1, n))
            return s
         end
         raise(string.format('%s: expected a size, a table or nothing, got %s', name, torch.type(a)))
      end,
   })
   cls.__constructor = ctor
   storage_classes[dtype + ND * device] = cls
   torch._classes[name] = cls
   return ctor
end
core.make_storage_class = make_storage_class

for i, n in ipairs(names) do
   torch[n .. 'Storage'] = make_storage_class(i - 1, C.NL_CPU, 'torch.' .. n .. 'Storage')
end

function torch.isStorage(x) return type(x) == 'cdata' and ffi.istype(ref_ct, x) end

return StorageBase

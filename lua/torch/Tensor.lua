-- torch.*Tensor: the nl_tensor FFI metatype, Torch7's tensor classes,
-- constructors, geometry, views and indexing. Math lives in the family
-- files (TensorMath.lua, ...), which add methods to core.TensorBase.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise

local T = ffi.typeof('nl_tensor')
core.tensor_ct = T

local TensorBase = {}        -- methods shared by every tensor class
core.TensorBase = TensorBase
local ND, LONG, HALF = C.NL_NUM_DTYPES, C.NL_LONG, C.NL_HALF
local is_host = core.is_host
local classes = {}           -- [dtype + ND*device] -> class table
core.tensor_classes = classes

local function class_of(t) return classes[t._dtype + ND * t._device] end
core.class_of = class_of

local function isTensor(x) return type(x) == 'cdata' and ffi.istype(T, x) end
torch.isTensor = isTensor
core.isTensor = isTensor

-- A new, empty tensor header of a dtype/device (Lua owns it; __gc drops the
-- storage reference).
local function new(dtype, device)
   local t = T()
   t._dtype = dtype
   t._device = device or 0
   return t
end
core.new = new

-- A new empty tensor of the same type as t.
local function empty_like(t) return new(t._dtype, t._device) end
core.empty_like = empty_like

local function resize_n(t, n, buf)
   local rc = C.nl_tensor_resize(t, n, buf)
   if rc ~= 0 then core.alloc_call('nl_tensor_resize', t, n, buf)
   elseif C.nl_mem_should_collect() ~= 0 then core.collect() end
   return t
end
core.resize_n = resize_n

function torch._cdata_typename(x)
   if ffi.istype(T, x) then return class_of(x).__typename end
   if ffi.istype(core.storage_ct, x) then return core.storage_class_of(x).__typename end
   return nil
end

local function shape_str(t)
   if t._ndim == 0 then return 'empty' end
   local s = {}
   for i = 0, t._ndim - 1 do s[#s + 1] = tostring(tonumber(t._size[i])) end
   return table.concat(s, 'x')
end
core.shape_str = shape_str

-- Type and argument checks shared by the families --------------------------

function core.check_tensor(fn, x, i)
   if not isTensor(x) then
      raise(string.format('%s: argument %d should be a tensor, got %s', fn, i, torch.type(x)))
   end
end
function core.check_same_type(fn, a, b)
   if a._dtype ~= b._dtype or a._device ~= b._device then
      raise(string.format('%s: expected %s, got %s', fn, torch.typename(a), torch.typename(b)))
   end
end

-- Metatype -----------------------------------------------------------------

local get_number, set_number, index_table, newindex_table

local function tensor_index(t, k)
   if type(k) == 'number' then
      if t._ndim == 1 then return get_number(t, k) end
      return t:select(1, k)
   end
   local cls = classes[t._dtype + ND * t._device]
   local v = cls[k]
   if v ~= nil then return v end
   if type(k) == 'string' then return nil end
   return index_table(t, k)
end

local function tensor_newindex(t, k, v)
   if type(k) == 'number' then
      if t._ndim == 1 then return set_number(t, k, v) end
      local view = t:select(1, k)
      if isTensor(v) then view:copy(v) else view:fill(v) end
      return
   end
   if type(k) == 'string' then
      raise(string.format('%s: cannot set field "%s" on a tensor', torch.typename(t), k))
   end
   return newindex_table(t, k, v)
end

-- Operators and printing are looked up at call time so that the family
-- files can define them after this one. As in Torch7, an operator a program
-- defines on a tensor class (function torch.FloatTensor:__sub(o) ... end)
-- takes the place of the built-in one for that class.
local function operator(meta, base)
   return function(a, b)
      local cls = class_of(isTensor(a) and a or b)
      local f = rawget(cls, meta)
      if f then return f(a, b) end
      return TensorBase[base](a, b)
   end
end

ffi.metatype(T, {
   __index = tensor_index,
   __newindex = tensor_newindex,
   __gc = function(t) C.nl_tensor_release(t) end,
   __len = function(t) return t:size() end,
   __tostring = function(t) return class_of(t).__tostring__(t) end,
   __eq = function(a, b) return isTensor(a) and isTensor(b) and torch.pointer(a) == torch.pointer(b) end,
   __add = operator('__add', '__add__'),
   __sub = operator('__sub', '__sub__'),
   __mul = operator('__mul', '__mul__'),
   __div = operator('__div', '__div__'),
   __unm = operator('__unm', '__unm__'),
   __mod = operator('__mod', '__mod__'),
   __concat = function(a, b) return tostring(a) .. tostring(b) end,
})

-- Element access ------------------------------------------------------------

local function elem_ptr(t, k)
   if not is_host(t) then
      return nil
   end
   local n = tonumber(t._size[0])
   if k < 0 then k = n + k + 1 end
   if k < 1 or k > n or k % 1 ~= 0 then
      raise(string.format('index %s out of range for a tensor of size %s', tostring(k), shape_str(t)))
   end
   return ffi.cast(core.ptr_ct[t._dtype], t._storage._data), t._offset + (k - 1) * t._stride[0]
end

get_number = function(t, k)
   local p, off = elem_ptr(t, k)
   if p == nil then
      local out = ffi.new('double[1]')
      check(C.nl_get1(out, t, k - 1))
      return out[0]
   end
   local v = p[off]
   if t._dtype == LONG then return tonumber(v) end
   if t._dtype == HALF then return C.nl_half_to_double(v) end
   return v
end

set_number = function(t, k, v)
   if type(v) ~= 'number' then
      if isTensor(v) and v:nElement() == 1 then v = v:storage()[v:storageOffset()]
      else raise(string.format('%s: can only assign a number to an element, got %s', torch.typename(t), torch.type(v))) end
   end
   local p, off = elem_ptr(t, k)
   if p == nil then check(C.nl_set1(t, k - 1, v)) return end
   if t._dtype == HALF then v = C.nl_half_from_double(v) end
   p[off] = v
end

-- t[{ i, {a,b}, {} }] and t[mask] ------------------------------------------

-- Applies a table index to a view: numbers select, {a,b} narrow (negative
-- counts from the end), {a} narrows to one, {} keeps the dimension.
local function apply_table_index(t, idx)
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_set(r, t))
   local dim = 1
   if #idx > t._ndim then
      raise(string.format('index with %d entries is too long for a %dD tensor of size %s', #idx, t._ndim, shape_str(t)))
   end
   for i = 1, #idx do
      local e = idx[i]
      local size = tonumber(r._size[dim - 1])
      if type(e) == 'number' then
         if e < 0 then e = size + e + 1 end
         if e < 1 or e > size then
            raise(string.format('index %d out of range for dimension %d of a tensor of size %s', idx[i], i, shape_str(t)))
         end
         if r._ndim == 1 then
            check(C.nl_tensor_narrow(r, r, 0, e - 1, 1))
            dim = dim + 1
         else
            check(C.nl_tensor_select(r, r, dim - 1, e - 1))
         end
      elseif type(e) == 'table' then
         local a, b = e[1] or 1, e[2] or e[1] or size
         if a < 0 then a = size + a + 1 end
         if b < 0 then b = size + b + 1 end
         if a < 1 or b > size or b < a then
            raise(string.format('range {%s, %s} out of range for dimension %d of a tensor of size %s',
               tostring(e[1]), tostring(e[2]), i, shape_str(t)))
         end
         check(C.nl_tensor_narrow(r, r, dim - 1, a - 1, b - a + 1))
         dim = dim + 1
      else
         raise(string.format('index entry %d is a %s, expected a number or a table', i, type(e)))
      end
   end
   return r
end

local function all_numbers(idx, t)
   if #idx ~= t._ndim then return false end
   for i = 1, #idx do if type(idx[i]) ~= 'number' then return false end end
   return true
end

index_table = function(t, k)
   if type(k) == 'table' then
      local r = apply_table_index(t, k)
      if all_numbers(k, t) then return r:storage()[r:storageOffset()] end
      return r
   elseif isTensor(k) then
      if k._dtype == C.NL_BYTE then return t:maskedSelect(k) end
      if k._dtype == C.NL_LONG then return t:index(1, k) end
   end
   raise(string.format('%s: cannot index with a %s', torch.typename(t), torch.type(k)))
end

newindex_table = function(t, k, v)
   if type(k) == 'table' then
      local r = apply_table_index(t, k)
      if isTensor(v) then r:copy(v) else r:fill(v) end
      return
   elseif isTensor(k) and k._dtype == C.NL_BYTE then
      if isTensor(v) then t:maskedCopy(k, v) else t:maskedFill(k, v) end
      return
   end
   raise(string.format('%s: cannot index with a %s', torch.typename(t), torch.type(k)))
end

-- Constructors ---------------------------------------------------------------

-- Fills a fresh tensor from a (nested) Lua table.
local function from_table(t, tbl)
   local sizes, cur = {}, tbl
   while type(cur) == 'table' do
      sizes[#sizes + 1] = #cur
      cur = cur[1]
   end
   local n, buf = core.sizes_from_table('tensor constructor', sizes, nil)
   resize_n(t, n, buf)
   if t._ndim == 0 then return t end
   local host = t
   -- Half elements are written through a double host (the copy rounds)
   if t._dtype == HALF then host = new(C.NL_DOUBLE, C.NL_CPU) resize_n(host, n, buf)
   elseif not is_host(t) then host = new(t._dtype, C.NL_CPU) resize_n(host, n, buf) end
   local p = ffi.cast(core.ptr_ct[host._dtype], host._storage._data) + host._offset
   local k = 0
   local function fill(x, d)
      if #x ~= sizes[d] then
         raise(string.format('tensor constructor: inconsistent table: dimension %d has %d elements, expected %d', d, #x, sizes[d]))
      end
      if d == #sizes then
         for i = 1, #x do
            local v = x[i]
            if type(v) ~= 'number' then
               raise(string.format('tensor constructor: element is a %s, expected a number', type(v)))
            end
            p[k] = v
            k = k + 1
         end
      else
         for i = 1, #x do
            if type(x[i]) ~= 'table' then raise('tensor constructor: inconsistent table nesting') end
            fill(x[i], d + 1)
         end
      end
   end
   fill(tbl, 1)
   if host ~= t then t:copy(host) end
   return t
end

-- torch.XTensor(...): (), (sizes...), (LongStorage [, strides]), (table),
-- (tensor) a view, (storage [, offset [, sizes [, strides]]]) a view.
local function construct(dtype, device, a1, ...)
   local t = new(dtype, device)
   if a1 == nil then return t end
   if type(a1) == 'number' then
      local n, buf = core.parse_sizes('tensor constructor', a1, ...)
      return resize_n(t, n, buf)
   end
   if type(a1) == 'table' then return from_table(t, a1) end
   if isTensor(a1) then
      if a1._dtype ~= dtype or a1._device ~= device then
         raise(string.format('%s constructor: cannot view a %s; convert it with :type(\'%s\')', torch.typename(t),
            torch.typename(a1), torch.typename(t)))
      end
      check(C.nl_tensor_set(t, a1))
      return t
   end
   if torch.isStorage(a1) and a1._p ~= nil and a1._p._dtype == C.NL_LONG and
      (dtype ~= C.NL_LONG or select('#', ...) == 0 or torch.isStorage((...))) then
      -- torch.XTensor(sizes [, strides]) with LongStorages, as in Torch7
      local n, buf = core.parse_sizes('tensor constructor', a1)
      resize_n(t, n, buf)
      local strides = ...
      if strides then t:set(t:storage(), 1, a1, strides) end
      return t
   end
   if torch.isStorage(a1) then
      if a1._p == nil then return t end
      t:set(a1, (...) or 1, select(2, ...))
      return t
   end
   raise(string.format('tensor constructor: cannot build a tensor from a %s', torch.type(a1)))
end
core.construct = construct

local function make_tensor_class(dtype, device, name)
   local cls = setmetatable({ __typename = name, _dtype = dtype, _device = device, _isTensorClass = true },
      { __index = TensorBase })
   local ctor = setmetatable({}, {
      __index = cls,
      __newindex = cls,
      __tostring = function() return name end,
      __call = function(_, ...) return construct(dtype, device, ...) end,
   })
   cls.__constructor = ctor
   -- x.new(...) is this class's constructor, as in Torch7 (x.new() is an
   -- empty tensor of x's type; x.new() therefore a view of x)
   cls.new = function(...) return construct(dtype, device, ...) end
   classes[dtype + ND * device] = cls
   torch._classes[name] = cls
   return ctor, cls
end
core.make_tensor_class = make_tensor_class

local type_of_name = {}    -- 'torch.FloatTensor' -> {dtype, device}
core.type_of_name = type_of_name
for i, n in ipairs(core.dtype_names) do
   local name = ffi.string(C.nl_dtype_tensor_name(i - 1, C.NL_CPU))
   torch[n .. 'Tensor'] = make_tensor_class(i - 1, C.NL_CPU, name)
   type_of_name[name] = { i - 1, C.NL_CPU }
end

function torch.setdefaulttensortype(name)
   local ty = type_of_name[name]
   if not ty or ty[2] ~= C.NL_CPU then raise('torch.setdefaulttensortype: unknown or non-CPU type ' .. tostring(name)) end
   core.default_dtype = ty[1]
   torch.Tensor = torch[name:match('torch%.(.*)')]
   torch.Storage = torch[core.dtype_names[ty[1] + 1] .. 'Storage']
end
function torch.getdefaulttensortype()
   return ffi.string(C.nl_dtype_tensor_name(core.default_dtype, C.NL_CPU))
end
torch.setdefaulttensortype('torch.DoubleTensor')

-- Geometry -------------------------------------------------------------------

function TensorBase.dim(t) return t._ndim end
TensorBase.nDimension = TensorBase.dim
function TensorBase.nElement(t) return tonumber(C.nl_tensor_numel(t)) end
TensorBase.numel = TensorBase.nElement

function TensorBase.size(t, d)
   if d ~= nil then
      if type(d) ~= 'number' or d < 1 or d > t._ndim then
         raise(string.format('size: dimension %s out of range for a %dD tensor', type(d) == 'number' and tostring(d) or torch.type(d), t._ndim))
      end
      return tonumber(t._size[d - 1])
   end
   local s = torch.LongStorage(t._ndim)
   local p = ffi.cast('int64_t *', s._p._data)
   for i = 0, t._ndim - 1 do p[i] = t._size[i] end
   return s
end

function TensorBase.stride(t, d)
   if d ~= nil then
      if type(d) ~= 'number' or d < 1 or d > t._ndim then
         raise(string.format('stride: dimension %s out of range for a %dD tensor', type(d) == 'number' and tostring(d) or torch.type(d), t._ndim))
      end
      return tonumber(t._stride[d - 1])
   end
   local s = torch.LongStorage(t._ndim)
   local p = ffi.cast('int64_t *', s._p._data)
   for i = 0, t._ndim - 1 do p[i] = t._stride[i] end
   return s
end

function TensorBase.storage(t)
   if t._storage == nil then return nil end
   local s = core.storage_ct()
   C.nl_storage_retain(t._storage)
   s._p = t._storage
   return s
end
function TensorBase.storageOffset(t) return tonumber(t._offset) + 1 end
function TensorBase.data(t) return ffi.cast(core.ptr_ct[t._dtype], C.nl_tensor_data(t)) end
function TensorBase.isContiguous(t) return C.nl_tensor_is_contiguous(t) == 1 end
function TensorBase.isSameSizeAs(t, o)
   core.check_tensor('isSameSizeAs', o, 1)
   if t._ndim ~= o._ndim then return false end
   for i = 0, t._ndim - 1 do if t._size[i] ~= o._size[i] then return false end end
   return true
end
function TensorBase.isSize(t, s)
   if not (torch.isStorage(s) or type(s) == 'table') then
      raise('isSize: expected a LongStorage or a table of sizes, got ' .. torch.type(s))
   end
   if #s ~= t._ndim then return false end
   for i = 1, #s do if s[i] ~= tonumber(t._size[i - 1]) then return false end end
   return true
end
function TensorBase.isTensor() return true end
function TensorBase.type(t, name)
   local cls = class_of(t)
   if name == nil then return cls.__typename end
   if type(name) ~= 'string' then raise('type: expected a type name such as \'torch.FloatTensor\', got ' .. torch.type(name)) end
   if name == cls.__typename then return t end
   local ty = type_of_name[name]
   if not ty then
      if name:match('Cuda') and not package.loaded.cutorch then
         raise(string.format('%s:type: %s needs require \'cutorch\'', cls.__typename, name))
      end
      raise(string.format('%s:type: unknown type %s', cls.__typename, tostring(name)))
   end
   local r = new(ty[1], ty[2])
   check(C.nl_tensor_resize_as(r, t))
   check(C.nl_copy(r, t))
   return r
end
function TensorBase.typeAs(t, o)
   core.check_tensor('typeAs', o, 1)
   return t:type(o:type())
end
for i, n in ipairs(core.dtype_names) do
   local name = ffi.string(C.nl_dtype_tensor_name(i - 1, C.NL_CPU))
   TensorBase[n:lower()] = function(t) return t:type(name) end
end


-- Views ----------------------------------------------------------------------

local function dim_arg(fn, t, d)
   if type(d) ~= 'number' then
      raise(string.format('%s: dimension should be a number, got %s', fn, torch.type(d)))
   end
   return d - 1
end

local function num_arg(fn, x, what)
   if type(x) ~= 'number' then raise(string.format('%s: %s should be a number, got %s', fn, what, torch.type(x))) end
   return x
end
core.num_arg = num_arg

function TensorBase.narrow(t, d, first, size)
   local r = new(t._dtype, t._device)
   num_arg('narrow', first, 'the first index')
   num_arg('narrow', size, 'the size')
   check(C.nl_tensor_narrow(r, t, dim_arg('narrow', t, d), first - 1, size))
   return r
end
function TensorBase.select(t, d, i)
   if type(i) ~= 'number' then raise('select: index should be a number') end
   if i < 0 and t._ndim >= d then i = tonumber(t._size[d - 1]) + i + 1 end
   -- as Torch7: selecting in a vector gives the element, a number (Torch7
   -- does not look at the dimension there)
   if t._ndim == 1 and type(d) == 'number' then
      local n = tonumber(t._size[0])
      if i < 1 or i > n or i % 1 ~= 0 then
         raise(string.format('select: index %s out of range for a vector of size %d', tostring(i), n))
      end
      return get_number(t, i)
   end
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_select(r, t, dim_arg('select', t, d), i - 1))
   return r
end
function TensorBase.sub(t, ...)
   local args = { n = select('#', ...), ... }   -- the n field: see TensorBlas.lua parse_add
   if #args % 2 ~= 0 or #args / 2 > t._ndim then
      raise(string.format('sub: expected pairs of first,last indices (at most %d pairs), got %d numbers', t._ndim, #args))
   end
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_set(r, t))
   for d = 1, #args / 2 do
      local size = tonumber(t._size[d - 1])
      local a, b = args[2 * d - 1], args[2 * d]
      if type(a) ~= 'number' or type(b) ~= 'number' then raise('sub: indices should be numbers') end
      if a < 0 then a = size + a + 1 end
      if b < 0 then b = size + b + 1 end
      if a < 1 or b > size or b < a then
         raise(string.format('sub: range %d to %d is out of range for dimension %d of a %s tensor', args[2 * d - 1],
            args[2 * d], d, shape_str(t)))
      end
      check(C.nl_tensor_narrow(r, r, d - 1, a - 1, b - a + 1))
   end
   return r
end
function TensorBase.transpose(t, d1, d2)
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_transpose(r, t, dim_arg('transpose', t, d1), dim_arg('transpose', t, d2)))
   return r
end
function TensorBase.t(t)
   if t._ndim ~= 2 then
      raise(string.format('t: expected a 2D tensor (matrix), got a %dD tensor of size %s', t._ndim, shape_str(t)))
   end
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_transpose(r, t, 0, 1))
   return r
end
function TensorBase.unfold(t, d, size, step)
   local r = new(t._dtype, t._device)
   num_arg('unfold', size, 'the size')
   num_arg('unfold', step, 'the step')
   check(C.nl_tensor_unfold(r, t, dim_arg('unfold', t, d), size, step))
   return r
end
-- view and expand also take Torch7's result-first forms: res:view(src,
-- sizes...) and res:viewAs(src, template) make res that view of src (likewise
-- expand and expandAs). A tensor alone as the sizes means its sizes.
local function reshaper(name, cfn)
   return function(t, a1, ...)
      local r, src = new(t._dtype, t._device), t
      if isTensor(a1) and select('#', ...) > 0 then
         core.check_same_type(name, t, a1)
         r, src = t, a1
         a1 = ...
         if isTensor(a1) then a1 = a1:size() end
         local n, buf = core.parse_sizes(name, a1, select(2, ...))
         check(cfn(r, src, n, buf))
         return r
      end
      local n, buf
      if isTensor(a1) then n, buf = a1._ndim, a1._size
      else n, buf = core.parse_sizes(name, a1, ...) end
      check(cfn(r, src, n, buf))
      return r
   end
end
TensorBase.view = reshaper('view', function(...) return C.nl_tensor_view(...) end)
TensorBase.expand = reshaper('expand', function(...) return C.nl_tensor_expand(...) end)
function TensorBase.viewAs(t, o, template)
   core.check_tensor('viewAs', o, 1)
   if template ~= nil then
      core.check_tensor('viewAs', template, 2)
      return t:view(o, template)
   end
   return t:view(o)
end
function TensorBase.expandAs(t, o, template)
   core.check_tensor('expandAs', o, 1)
   if template ~= nil then
      core.check_tensor('expandAs', template, 2)
      return t:expand(o, template)
   end
   return t:expand(o)
end
-- the squeezed view (always a tensor)
local function squeeze_view(t, d)
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_squeeze(r, t, d and dim_arg('squeeze', t, d) or -1))
   return r
end
core.squeeze_view = squeeze_view
-- As Torch7: a squeezed tensor of one element is returned as a number.
function TensorBase.squeeze(t, d)
   local r = squeeze_view(t, d)
   if r._ndim == 1 and r._size[0] == 1 and core.is_host(r) then return r[1] end
   return r
end
-- torch.squeeze([res,] x [, dim]): res is set to the squeezed view
function torch.squeeze(a, b, c)
   if isTensor(a) and isTensor(b) then
      if a._dtype ~= b._dtype or a._device ~= b._device then
         raise(string.format('torch.squeeze: the result is a %s but the tensor is a %s', torch.typename(a), torch.typename(b)))
      end
      a:set(squeeze_view(b, c))
      if a._ndim == 1 and a._size[0] == 1 and core.is_host(a) then return a[1] end
      return a
   end
   core.check_tensor('torch.squeeze', a, 1)
   return TensorBase.squeeze(a, b)
end
function TensorBase.unsqueeze(t, d)
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_unsqueeze(r, t, dim_arg('unsqueeze', t, d)))
   return r
end
local permbuf = ffi.new('int[8]')
function TensorBase.permute(t, ...)
   local p = { n = select('#', ...), ... }
   if #p ~= t._ndim then
      raise(string.format('permute: expected %d dimensions for a tensor of size %s, got %d', t._ndim, shape_str(t), #p))
   end
   for i = 1, #p do
      if type(p[i]) ~= 'number' then raise('permute: dimensions should be numbers, got ' .. torch.type(p[i])) end
      permbuf[i - 1] = p[i] - 1
   end
   local r = new(t._dtype, t._device)
   check(C.nl_tensor_permute(r, t, permbuf))
   return r
end
function TensorBase.contiguous(t)
   if C.nl_tensor_is_contiguous(t) == 1 then return t end
   return t:clone()
end
function TensorBase.clone(t)
   local r = new(t._dtype, t._device)
   resize_n(r, t._ndim, t._size)
   check(C.nl_copy(r, t))
   return r
end

-- set(): (tensor), (storage [, offset [, sizes [, strides]]]), ()
function TensorBase.set(t, a, offset, sizes, strides, ...)
   if a == nil then
      check(C.nl_tensor_set_storage(t, nil, 0, 0, nil, nil))
      return t
   end
   if isTensor(a) then
      check(C.nl_tensor_set(t, a))
      return t
   end
   if torch.isStorage(a) then
      offset = offset or 1
      local n, buf, sbuf
      if sizes == nil then
         n, buf = 1, core.sizebuf
         buf[0] = a:size() - offset + 1
      elseif type(sizes) == 'number' then
         -- Torch7's (storage, offset, size1, stride1, size2, stride2, ...)
         local args = { sizes, strides, ... }
         n = math.ceil(#args / 2)
         buf, sbuf = core.sizebuf, core.sizebuf2
         for i = 1, n do
            buf[i - 1] = args[2 * i - 1]
            sbuf[i - 1] = args[2 * i] or -1
         end
      else
         n, buf = core.parse_sizes('set', sizes)
         if strides then
            sbuf = core.sizebuf2
            for i = 1, n do sbuf[i - 1] = strides[i] end
         end
      end
      check(C.nl_tensor_set_storage(t, a._p, offset - 1, n, buf, sbuf))
      return t
   end
   raise(string.format('set: expected a tensor or a storage, got %s', torch.type(a)))
end

function TensorBase.resize(t, a1, ...)
   local n, buf = core.parse_sizes('resize', a1, ...)
   return resize_n(t, n, buf)
end
function TensorBase.resizeAs(t, o)
   core.check_tensor('resizeAs', o, 1)
   return resize_n(t, o._ndim, o._size)
end

function TensorBase.copy(t, src)
   if not isTensor(src) then
      raise(string.format('copy: expected a tensor as source, got %s', torch.type(src)))
   end
   check(C.nl_copy(t, src))
   return t
end
function TensorBase.fill(t, v)
   if type(v) ~= 'number' then raise(string.format('fill: expected a number, got %s', torch.type(v))) end
   check(C.nl_fill(t, v))
   return t
end
function TensorBase.zero(t)
   check(C.nl_fill(t, 0))
   return t
end

function TensorBase.totable(t)
   if t._ndim == 0 then return {} end
   local c = t:contiguous()
   if c._dtype == HALF then c = c:double()
   elseif not is_host(c) then c = c:type(ffi.string(C.nl_dtype_tensor_name(c._dtype, C.NL_CPU))) end
   local p = ffi.cast(core.ptr_ct[c._dtype], c._storage._data) + c._offset
   local long = c._dtype == LONG
   local k = 0
   local function build(d)
      local r = {}
      local n = tonumber(c._size[d])
      if d == c._ndim - 1 then
         for i = 1, n do
            local v = p[k]
            r[i] = long and tonumber(v) or v
            k = k + 1
         end
      else
         for i = 1, n do r[i] = build(d + 1) end
      end
      return r
   end
   return build(0)
end

-- Lua-function element maps (Torch7's apply/map/map2), on CPU tensors.
local function each(fn, ...)
   local ts = { ... }
   for _, x in ipairs(ts) do
      if not is_host(x) then raise(fn .. ': only CPU tensors') end
   end
   return ts
end
function TensorBase.apply(t, f)
   each('apply', t)
   if t._dtype == HALF then     -- through float, Half being storage only
      local x = t:float()
      x:apply(f)
      return t:copy(x)
   end
   local n = t:nElement()
   local p = ffi.cast(core.ptr_ct[t._dtype], t._storage ~= nil and t._storage._data or nil)
   local long = t._dtype == LONG
   local function walk(d, off)
      local size, st = tonumber(t._size[d]), tonumber(t._stride[d])
      for i = 0, size - 1 do
         if d == t._ndim - 1 then
            local v = p[off + i * st]
            local r = f(long and tonumber(v) or v)
            if r ~= nil then p[off + i * st] = r end
         else
            walk(d + 1, off + i * st)
         end
      end
   end
   if n > 0 then walk(0, tonumber(t._offset)) end
   return t
end
function TensorBase.map(t, o, f)
   local ov = o:contiguous():view(o:nElement())
   local i = 0
   t:apply(function(x) i = i + 1 return f(x, ov[i]) end)
   return t
end
function TensorBase.map2(t, a, b, f)
   local av, bv = a:contiguous():view(a:nElement()), b:contiguous():view(b:nElement())
   local i = 0
   t:apply(function(x) i = i + 1 return f(x, av[i], bv[i]) end)
   return t
end

-- x:cuda() and friends before require 'cutorch' (which replaces them)
for _, name in ipairs { 'cuda', 'cudaDouble', 'cudaLong' } do
   TensorBase[name] = function(t)
      raise(string.format("%s:%s(): CUDA tensors need require 'cutorch' first", torch.typename(t), name))
   end
end

-- Until the print family defines it
function TensorBase.__tostring__(t)
   return string.format('[%s of size %s]', torch.typename(t), shape_str(t))
end

return TensorBase

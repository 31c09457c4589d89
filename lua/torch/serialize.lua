-- torch.save / torch.load / torch.serialize / torch.deserialize and
-- File:writeObject / File:readObject: Torch7's object format. Every object
-- is a type tag; tables, torch objects and functions also carry a
-- reference index, so shared tensors, storages and tables, and cycles,
-- come back shared. Torch objects write "V 1", their class name, then
-- either their own write() or the table of their fields (nn modules).
-- Tensors: nDimension, sizes, strides, storageOffset (1-based), storage.
-- Storages: size, then the elements. Files written by Torch7 load, and
-- files written here load in Torch7.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, raise = core.C, core.raise
local File = torch.getmetatable('torch.File')

local TYPE_NIL, TYPE_NUMBER, TYPE_STRING, TYPE_TABLE, TYPE_TORCH, TYPE_BOOLEAN = 0, 1, 2, 3, 4, 5
local TYPE_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION, TYPE_RECUR_FUNCTION = 6, 7, 8

local dtype_names = core.dtype_names

-- Torch7's CUDA class names, from the runtime's list: 'torch.CudaTensor'
-- and 'torch.CudaStorage' -> 'Float', 'torch.CudaHalfTensor' -> 'Half'
-- (cutorch writes half elements as 2-byte values, as HalfStorage does);
-- cuda_prefix.Float = 'Cuda', cuda_prefix.Double = 'CudaDouble'.
local cuda_kind, cuda_prefix = {}, {}
for d = 0, C.NL_NUM_DTYPES - 1 do
   local kind = dtype_names[d + 1]
   local tname = ffi.string(C.nl_dtype_tensor_name(d, C.NL_CUDA))
   cuda_kind[tname] = kind
   cuda_kind[(tname:gsub('Tensor$', 'Storage'))] = kind
   cuda_prefix[kind] = tname:match('^torch%.(%a+)Tensor$')
end

-- 'torch.FloatTensor' -> 'Float', false ; 'torch.CudaTensor' -> 'Float', true
local function tensor_kind(name)
   if cuda_kind[name] and name:match('Tensor$') then return cuda_kind[name], true end
   local n = name:match('^torch%.(%a+)Tensor$')
   if n and torch.getmetatable(name) and torch.getmetatable(name)._isTensorClass then return n, false end
   return nil
end
local function storage_kind(name)
   if cuda_kind[name] and name:match('Storage$') then return cuda_kind[name], true end
   local n = name:match('^torch%.(%a+)Storage$')
   if n and torch[n .. 'Storage'] then return n, false end
   return nil
end

local warned_cuda = false
local function cuda_fallback(self, name, kind)
   if package.loaded.cutorch then return false end
   if not warned_cuda then
      warned_cuda = true
      io.stderr:write(string.format('warning: %s holds CUDA data (%s); loading it as CPU tensors (torch.%sTensor) '
         .. 'since cutorch is not loaded\n', self._name or 'the file', name, kind))
   end
   return true
end

-- Writing ---------------------------------------------------------------------

local function object_refs(self)
   if not self._refs then self._refs, self._nextIndex = {}, 0 end
   return self._refs
end

-- The path of the object being written, for errors and warnings, as Torch7
-- names it: <?>.outer.theinner.baz (table keys; a closure's upvalues by name)
local UPVALUES = {}
local function path_str(names)
   local parts = {}
   for i, v in ipairs(names) do
      if v ~= UPVALUES and names[i - 1] ~= UPVALUES then parts[#parts + 1] = v end
   end
   return table.concat(parts, '.')
end

-- whether writeObject can write x (a value its table branch may meet)
local function writable(x)
   local ty = type(x)
   if ty == 'nil' or ty == 'number' or ty == 'string' or ty == 'boolean' or ty == 'table' then return true end
   if ty == 'function' then return (pcall(string.dump, x)) end
   return torch.typename(x) ~= nil and (ty ~= 'cdata' or torch.isTensor(x) or torch.isStorage(x))
end

local function write_storage(self, s)
   local p = s._p
   local name = dtype_names[p._dtype + 1]
   local n = p ~= nil and tonumber(p._size) or 0
   self:writeLong(n)
   if not core.is_host(p) then
      local host = torch[name .. 'Storage'](n)
      C.nl_storage_copy(host._p, p)
      self:_writeFrom(name, ffi.cast(File._ctype_of[name] .. ' *', host._p._data), n)
   else
      self:_writeFrom(name, ffi.cast(File._ctype_of[name] .. ' *', p._data), n)
   end
end

local function write_tensor(self, t)
   local nd = t._ndim
   self:writeInt(nd)
   local sz, st = torch.LongStorage(nd), torch.LongStorage(nd)
   for i = 1, nd do sz[i], st[i] = tonumber(t._size[i - 1]), tonumber(t._stride[i - 1]) end
   self:writeLong(sz)
   self:writeLong(st)
   self:writeLong(tonumber(t._offset) + 1)
   self:writeObject(t:storage())
end

-- writeObject(obj [, debugname [, hook]]): hook(x) replaces every object
-- (obj and all it holds) before it is written, as Torch7's
function File:writeObject(obj, debugname, hook)
   local names = self._writeNames
   if not names or self._writeDepth == 0 then names = {} self._writeNames = names end
   self._writeDepth = (self._writeDepth or 0) + 1
   names[#names + 1] = debugname or '<?>'
   local oldHook = self._hook
   if hook ~= nil then
      if type(hook) ~= 'function' then raise(self:_what() .. ':writeObject: the hook should be a function, got ' .. type(hook)) end
      self._hook = hook
   end
   local ok, err = pcall(self._writeObject, self, obj)
   self._hook = oldHook
   names[#names] = nil
   self._writeDepth = self._writeDepth - 1
   if not ok then error(err, 0) end
end

-- the type tag writeObject would write for x (nil when it cannot), as Torch7's
function File:isWritableObject(x)
   local ty = type(x)
   if ty ~= 'boolean' and not x then return TYPE_NIL end
   local typename = torch.typename(x)
   if typename and torch.factory(typename) then return TYPE_TORCH end
   if ty == 'table' then return TYPE_TABLE end
   if ty == 'number' then return TYPE_NUMBER end
   if ty == 'string' then return TYPE_STRING end
   if ty == 'boolean' then return TYPE_BOOLEAN end
   if ty == 'function' and pcall(string.dump, x) then return TYPE_RECUR_FUNCTION end
   return nil
end

function File:writeBool(v)
   self:writeInt(v and 1 or 0)
end
function File:readBool()
   return self:readInt() == 1
end

-- referenced(false): every occurrence of an object is written in full
-- (no back-references), as Torch7's File:referenced
function File:referenced(ref)
   self._noRefs = not ref
   return self
end
function File:isReferenced() return not self._noRefs end

function File:_writeObject(obj)
   if self._hook then obj = self._hook(obj) end
   local refs = object_refs(self)
   local names = self._writeNames
   local ty = type(obj)
   if ty == 'nil' then return self:writeInt(TYPE_NIL) end
   if ty == 'number' then
      self:writeInt(TYPE_NUMBER)
      return self:writeDouble(obj)
   end
   if ty == 'string' then
      self:writeInt(TYPE_STRING)
      self:writeInt(#obj)
      return self:_writeChars(obj)
   end
   if ty == 'boolean' then
      self:writeInt(TYPE_BOOLEAN)
      return self:writeInt(obj and 1 or 0)
   end
   local typename = torch.typename(obj)
   local tag
   if ty == 'function' then tag = TYPE_RECUR_FUNCTION
   elseif typename and (ty == 'cdata' or getmetatable(obj)) then tag = TYPE_TORCH
   elseif ty == 'table' then tag = TYPE_TABLE
   else
      raise(string.format('torch.save: cannot serialise a %s (%s) at %s', ty, tostring(obj), path_str(names)))
   end
   if tag == TYPE_RECUR_FUNCTION and not pcall(string.dump, obj) then
      raise(string.format('torch.save: cannot serialise a C or built-in function (%s) at %s', tostring(obj),
         path_str(names)))
   end
   self:writeInt(tag)
   -- cdata are compared by address for sharing
   local key = obj
   if ty == 'cdata' then
      key = torch.isTensor(obj) and ('T' .. torch.pointer(obj)) or ('S' .. tostring(ffi.cast('void *', obj._p)))
   end
   local idx = not self._noRefs and refs[key]
   if idx then return self:writeInt(idx) end
   self._nextIndex = self._nextIndex + 1
   if not self._noRefs then refs[key] = self._nextIndex end
   self:writeInt(self._nextIndex)
   if tag == TYPE_RECUR_FUNCTION then
      -- upvalues shared between closures get one id per file, so that
      -- readObject joins them again (debug.upvalueid, as Torch7 under LuaJIT)
      local ids = self._upvalueIds or {}
      self._upvalueIds = ids
      local upvalues = {}
      local i = 1
      while true do
         local name, value = debug.getupvalue(obj, i)
         if not name then break end
         if name == '_ENV' then value = nil end
         local id
         if debug.upvalueid then
            local ref = debug.upvalueid(obj, i)
            if not ids[ref] then ids.n = (ids.n or 0) + 1 ids[ref] = ids.n end
            id = ids[ref]
         end
         upvalues[#upvalues + 1] = { name = name, id = id, value = value }
         i = i + 1
      end
      local dumped = string.dump(obj)
      self:writeInt(#dumped)
      self:_writeChars(dumped)
      return self:writeObject(upvalues, UPVALUES)
   end
   if tag == TYPE_TORCH then
      local version = 'V 1'
      self:writeInt(#version)
      self:_writeChars(version)
      self:writeInt(#typename)
      self:_writeChars(typename)
      if torch.isTensor(obj) then return write_tensor(self, obj) end
      if torch.isStorage(obj) then return write_storage(self, obj) end
      if obj.write then return obj:write(self) end
      -- a field that cannot be written is left out with a warning, as Torch7
      local fields = {}
      for k, v in pairs(obj) do
         if writable(v) then fields[k] = v
         else
            print(string.format('$ Warning: cannot write object field <%s> of <%s> %s', tostring(k), typename,
               path_str(names)))
         end
      end
      return self:writeObject(fields, typename)
   end
   local n = 0
   for _ in pairs(obj) do n = n + 1 end
   self:writeInt(n)
   local upvalue_entry = names[#names - 1] == UPVALUES and type(obj.name) == 'string'
   for k, v in pairs(obj) do
      self:writeObject(k)
      local name = (type(k) == 'string' or type(k) == 'number') and tostring(k) or nil
      if upvalue_entry and k == 'value' then name = obj.name end
      self:writeObject(v, name)
   end
end

-- Reading ---------------------------------------------------------------------

-- classes whose package is not the prefix of their name
local class_package = { ['nn.gModule'] = 'nngraph', ['nn.ModuleFromCriterion'] = 'nngraph' }

local function read_storage(self, kind, cuda)
   local n = self:readLong()
   if n == nil then return nil end
   local es = File._size_of[kind]
   -- a declared size must fit in what is left of the file
   local need = self._binary and n * (kind == 'Long' and self._longSize or es) or n
   if n < 0 or need > self:_left() then
      return self:_fail(string.format('a %sStorage of %s elements does not fit in the %d bytes left', kind,
         tostring(n), self:_left()))
   end
   local s = torch[kind .. 'Storage'](n)
   if n > 0 and not self:_readInto(kind, ffi.cast(File._ctype_of[kind] .. ' *', s._p._data), n) then return nil end
   if cuda and package.loaded.cutorch then
      local name = cuda_prefix[kind] .. 'Storage'
      if torch[name] then
         local g = torch[name](n)
         C.nl_storage_copy(g._p, s._p)
         return g
      end
   end
   return s
end

local function read_tensor(self, t)
   local nd = self:readInt()
   if nd == nil then return nil end
   if nd < 0 or nd > 8 then return self:_fail('a tensor with ' .. tostring(nd) .. ' dimensions') end
   local sz = self:readLong(nd)
   local st = self:readLong(nd)
   local off = self:readLong()
   if not (sz and st and off) then return nil end
   local s = self:readObject()
   if nd == 0 or s == nil then return t end
   if not torch.isStorage(s) or s._p._dtype ~= t._dtype then
      return self:_fail('a tensor whose storage is ' .. torch.type(s))
   end
   for i = 1, nd do
      if sz[i] < 0 then return self:_fail('a tensor with a negative size') end
   end
   local buf, sbuf = ffi.new('int64_t[8]'), ffi.new('int64_t[8]')
   for i = 1, nd do buf[i - 1], sbuf[i - 1] = sz[i], st[i] end
   if C.nl_tensor_set_storage(t, s._p, off - 1, nd, buf, sbuf) ~= 0 then
      return self:_fail('an inconsistent tensor: ' .. ffi.string(C.nl_last_error()))
   end
   return t
end

function File:readObject()
   if not self._objects then self._objects = {} end
   local objects = self._objects
   local tag = self:readInt()
   if tag == nil then return nil end
   if tag == TYPE_NIL then return nil end
   if tag == TYPE_NUMBER then return self:readDouble() end
   if tag == TYPE_BOOLEAN then return self:readInt() == 1 end
   if tag == TYPE_STRING then
      local n = self:readInt()
      if n == nil then return nil end
      if n < 0 or n > self:_left() then return self:_fail(string.format('a %s-byte string in %d bytes', tostring(n), self:_left())) end
      return self:_readChars(n)
   end
   if tag ~= TYPE_TABLE and tag ~= TYPE_TORCH and tag ~= TYPE_FUNCTION and tag ~= TYPE_RECUR_FUNCTION
      and tag ~= LEGACY_TYPE_RECUR_FUNCTION then
      return self:_fail('unknown object type tag ' .. tostring(tag))
   end
   local idx = self:readInt()
   if idx == nil then return nil end
   if objects[idx] ~= nil then return objects[idx] end
   if tag == TYPE_FUNCTION or tag == TYPE_RECUR_FUNCTION or tag == LEGACY_TYPE_RECUR_FUNCTION then
      local n = self:readInt()
      if n == nil then return nil end
      if n < 0 or n > self:_left() then return self:_fail('a function of ' .. tostring(n) .. ' bytes') end
      local dumped = self:_readChars(n)
      local f, err = loadstring(dumped)
      if not f then return self:_fail('a function that does not load: ' .. tostring(err)) end
      objects[idx] = f
      local upvalues = self:readObject()
      if type(upvalues) == 'table' then
         local joined = self._upvalueClosures or {}
         self._upvalueClosures = joined
         for i, u in ipairs(upvalues) do
            if type(u) == 'table' then
               debug.setupvalue(f, i, u.value)
               if u.id and debug.upvaluejoin then
                  local first = joined[u.id]
                  if first then debug.upvaluejoin(f, i, first[1], first[2]) else joined[u.id] = { f, i } end
               end
            else
               debug.setupvalue(f, i, u)
            end
         end
      end
      return f
   end
   if tag == TYPE_TABLE then
      local n = self:readInt()
      if n == nil then return nil end
      if n < 0 or n > self:_left() then return self:_fail('a table of ' .. tostring(n) .. ' entries') end
      local t = {}
      objects[idx] = t
      for _ = 1, n do
         local k = self:readObject()
         local v = self:readObject()
         if k == nil then
            if self._error then return nil end
            return self:_fail('a table key that is nil')
         end
         t[k] = v
      end
      return t
   end
   -- TYPE_TORCH: "V <version>" then the class name (older files: the name only)
   local n = self:readInt()
   if n == nil then return nil end
   if n < 0 or n > math.min(self:_left(), 1024) then return self:_fail('a class name of ' .. tostring(n) .. ' bytes') end
   local version_str = self:_readChars(n)
   local name, version = version_str, 0
   if version_str:match('^V ') then
      version = tonumber(version_str:sub(3)) or 0
      local m = self:readInt()
      if m == nil then return nil end
      if m < 0 or m > math.min(self:_left(), 1024) then return self:_fail('a class name of ' .. tostring(m) .. ' bytes') end
      name = self:_readChars(m)
   end
   local kind, cuda = tensor_kind(name)
   if kind then
      if cuda then cuda_fallback(self, name, kind) end
      local cname = kind .. 'Tensor'
      -- a CUDA type cutorch lacks (CudaHalf) loads on the host, as its storage does
      if cuda and package.loaded.cutorch and torch[cuda_prefix[kind] .. 'Tensor'] then cname = cuda_prefix[kind] .. 'Tensor' end
      local t = torch[cname]()
      objects[idx] = t
      return read_tensor(self, t)
   end
   kind, cuda = storage_kind(name)
   if kind then
      if cuda then cuda_fallback(self, name, kind) end
      local s = read_storage(self, kind, cuda)
      objects[idx] = s
      return s
   end
   local factory = torch.factory(name)
   if not factory then
      -- a package's classes may not be loaded yet (nn, optim)
      local pkg = name:match('^([%w_]+)%.')
      if pkg and pkg ~= 'torch' then pcall(require, pkg) end
      factory = torch.factory(name)
      -- classes another package adds to nn (nngraph's nn.gModule)
      if not factory and class_package[name] then
         pcall(require, class_package[name])
         factory = torch.factory(name)
      end
   end
   if not factory then return self:_fail(string.format('unknown Torch class <%s>', name)) end
   local obj = factory()
   objects[idx] = obj
   if obj.read then
      obj:read(self, version)
   else
      local fields = self:readObject()
      if type(fields) ~= 'table' then
         if self._error then return nil end
         return self:_fail('the fields of a ' .. name .. ' are not a table')
      end
      for k, v in pairs(fields) do obj[k] = v end
   end
   return obj
end

-- torch.save / torch.load ----------------------------------------------------------

local function check_format(fn, format)
   format = format or 'binary'
   if format ~= 'binary' and format ~= 'ascii' then
      raise(string.format("%s: format should be 'binary' or 'ascii', got %s", fn, tostring(format)))
   end
   return format
end

local function serialise_to(f, obj, format)
   if format == 'binary' then f:binary() else f:ascii() end
   f:writeObject(obj)
end

-- Writes to a temporary file in the same folder, then renames it over the
-- target: an error while serialising, or a crash, leaves any previous
-- file intact.
function torch.save(filename, obj, format, referenced)
   if type(filename) ~= 'string' then raise('torch.save: expected a file name, got ' .. torch.type(filename)) end
   format = check_format('torch.save', format)
   if referenced ~= nil and type(referenced) ~= 'boolean' then
      raise('torch.save: referenced should be true or false (or nil), got ' .. torch.type(referenced))
   end
   local f = torch.MemoryFile('w')
   f:referenced(referenced ~= false)
   local ok, err = pcall(serialise_to, f, obj, format)
   if not ok then raise('torch.save: ' .. tostring(err):gsub('^.-:%d+: ', '') .. ' (' .. filename .. ' was not modified)') end
   local tmp = string.format('%s.tmp%d', filename, math.random(1e9))
   local out = io.open(tmp, 'wb')
   if not out then raise(string.format('torch.save: cannot write in the folder of %s', filename)) end
   local wrote = out:write(f:_string())
   local flushed = out:flush()
   out:close()
   if not wrote or not flushed then
      os.remove(tmp)
      raise('torch.save: writing ' .. filename .. ' failed (disk full?); the previous file is intact')
   end
   local okr, rerr = os.rename(tmp, filename)
   if not okr then
      os.remove(tmp)
      raise('torch.save: cannot replace ' .. filename .. ': ' .. tostring(rerr))
   end
   return true
end

function torch.load(filename, format, referenced)
   if type(filename) ~= 'string' then raise('torch.load: expected a file name, got ' .. torch.type(filename)) end
   if referenced ~= nil and type(referenced) ~= 'boolean' then
      raise('torch.load: referenced should be true or false (or nil), got ' .. torch.type(referenced))
   end
   -- 'b32' / 'b64': binary files written with 4- or 8-byte longs
   local longSize
   if format == 'b32' or format == 'b64' then
      longSize = format == 'b32' and 4 or 8
      format = 'binary'
   end
   local fh = io.open(filename, 'rb')
   if not fh then raise('torch.load: cannot open ' .. filename) end
   local head = fh:read(4) or ''
   fh:close()
   if format == nil then
      -- binary files start with a little-endian int tag; ascii with a digit
      format = (#head == 4 and head:byte(2) == 0 and head:byte(3) == 0) and 'binary' or 'ascii'
   end
   format = check_format('torch.load', format)
   local f = torch.DiskFile(filename, 'r')
   if format == 'binary' then f:binary() else f:ascii() end
   f:referenced(referenced ~= false)
   if longSize then f:longSize(longSize) end
   local obj = f:readObject()
   f:close()
   return obj
end
-- saveobj/loadobj: Torch7's other names of save and load; errors name them
local function alias(name, f, orig)
   return function(...)
      local r = { pcall(f, ...) }
      if not r[1] then raise((tostring(r[2]):gsub('^.-torch%.' .. orig .. ':', 'torch.' .. name .. ':'))) end
      return unpack(r, 2)
   end
end
torch.saveobj = alias('saveobj', torch.save, 'save')
torch.loadobj = alias('loadobj', torch.load, 'load')

function torch.serialize(obj, format)
   format = check_format('torch.serialize', format)
   local f = torch.MemoryFile('w')
   serialise_to(f, obj, format)
   return f:_string()
end

function torch.deserialize(str, format)
   if type(str) ~= 'string' then raise('torch.deserialize: expected a string, got ' .. torch.type(str)) end
   format = check_format('torch.deserialize', format)
   local f = torch.getmetatable('torch.MemoryFile')._fromString(str)
   if format == 'binary' then f:binary() else f:ascii() end
   return f:readObject()
end

-- torch.serializeToStorage(obj [, format]): the serialised bytes in a
-- CharStorage (no trailing zero byte); deserializeFromStorage reads one.
local function storage_format(fn, format)
   if format ~= nil and format ~= 'binary' and format ~= 'ascii' then
      raise(string.format("%s: format should be 'binary' or 'ascii', got %s", fn,
         type(format) == 'string' and format or torch.type(format)))
   end
   return format or 'binary'
end

function torch.serializeToStorage(obj, format)
   format = storage_format('torch.serializeToStorage', format)
   local ok, str = pcall(torch.serialize, obj, format)
   if not ok then raise('torch.serializeToStorage: ' .. tostring(str):gsub('^[^\n]-:%d+: ', '')) end
   local s = torch.CharStorage(#str)
   if #str > 0 then ffi.copy(s._p._data, str, #str) end
   return s
end

function torch.deserializeFromStorage(storage, format)
   if not torch.isStorage(storage) then
      raise('torch.deserializeFromStorage: expected a storage, got ' .. torch.type(storage))
   end
   format = storage_format('torch.deserializeFromStorage', format)
   local es = storage:elementSize()
   local str = ffi.string(storage._p._data, storage:size() * es)
   return torch.deserialize(str, format)
end

return torch

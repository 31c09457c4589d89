-- torch.File, torch.DiskFile, torch.MemoryFile, torch.PipeFile: Torch7's
-- file objects (binary, little-endian, or ascii), over an in-memory byte
-- buffer: a DiskFile opened for reading loads the file once and every
-- read is bounds-checked (a truncated or corrupted file is a clear error
-- naming the file and the byte offset, never a crash or a huge
-- allocation); one opened for writing collects bytes and writes them on
-- close (torch.save makes that atomic). Object (de)serialisation is in
-- torch/serialize.lua.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, raise = core.C, core.raise

local reg = debug.getregistry()
if not reg.nnlua_file_cdef then
   ffi.cdef [[
      void *malloc(size_t n);
      void *realloc(void *p, size_t n);
      void free(void *p);
      void *memcpy(void *dst, const void *src, size_t n);
   ]]
   reg.nnlua_file_cdef = true
end

local File = torch.class('torch.File')
local DiskFile = torch.class('torch.DiskFile', 'torch.File')
local MemoryFile = torch.class('torch.MemoryFile', 'torch.File')
local PipeFile = torch.class('torch.PipeFile', 'torch.File')

-- Byte buffer ------------------------------------------------------------------

local function buf_new(cap)
   cap = math.max(cap or 4096, 64)
   local p = ffi.C.malloc(cap)
   if p == nil then raise('torch.File: out of memory') end
   return { p = ffi.gc(ffi.cast('uint8_t *', p), ffi.C.free), cap = cap, size = 0 }
end

local function buf_reserve(b, extra)
   local need = b.size + extra
   if need <= b.cap then return end
   local cap = b.cap
   while cap < need do cap = cap * 2 end
   local old = ffi.gc(b.p, nil)
   local p = ffi.C.realloc(old, cap)
   if p == nil then
      ffi.gc(old, ffi.C.free)
      raise('torch.File: out of memory growing the write buffer to ' .. cap .. ' bytes')
   end
   b.p = ffi.gc(ffi.cast('uint8_t *', p), ffi.C.free)
   b.cap = cap
end

-- Writes n bytes at byte offset `at` (the file's position: after a seek a
-- write overwrites, as Torch7's files do), growing the buffer; returns
-- the offset after them.
local function buf_write(b, src, n, at)
   at = at or b.size
   if at + n > b.size then buf_reserve(b, at + n - b.size) end
   ffi.C.memcpy(b.p + at, src, n)
   if at + n > b.size then b.size = at + n end
   return at + n
end

local function buf_from_string(s)
   local b = buf_new(#s + 1)
   ffi.C.memcpy(b.p, s, #s)
   b.size = #s
   return b
end

-- Common file object -----------------------------------------------------------

local function init(self, name, mode, quiet)
   self._name = name
   self._mode = mode or 'r'
   if not self._mode:match('^[rw]w?$') then raise(string.format('torch.File: mode should be r, w or rw, got %s', tostring(mode))) end
   self._binary = false
   self._quiet = quiet or false
   self._pos = 0
   self._longSize = 8
   self._autoSpacing = true
   self._open = true
   self._canRead = self._mode:find('r') ~= nil
   self._canWrite = self._mode:find('w') ~= nil
end

function File:binary() self._binary = true return self end
function File:ascii() self._binary = false return self end
function File:isBinary() return self._binary end
function File:quiet() self._quiet = true return self end
function File:pedantic() self._quiet = false return self end
function File:isQuiet() return self._quiet end
function File:hasError() return self._error ~= nil end
function File:clearError() self._error = nil end
function File:isReadable() return self._canRead end
function File:isWritable() return self._canWrite end
function File:isAutoSpacing() return self._autoSpacing end
function File:autoSpacing() self._autoSpacing = true return self end
function File:noAutoSpacing() self._autoSpacing = false return self end
function File:longSize(n)
   if n ~= 4 and n ~= 8 and n ~= 0 then raise('torch.File:longSize: expected 4 or 8 (or 0 for the default), got ' .. tostring(n)) end
   self._longSize = n == 0 and 8 or n
   return self
end
-- Positions are 1-based, as Torch7's: a new file is at position 1, and
-- seek(1) goes back to the first byte.
function File:position() return self._pos + 1 end
function File:seek(pos)
   if type(pos) ~= 'number' or pos < 1 or pos > self._buf.size + 1 then
      raise(string.format('%s: seek to position %s is outside the file (positions 1 to %d)', self:_what(),
         tostring(pos), self._buf.size + 1))
   end
   self._pos = pos - 1
   return self
end
function File:seekEnd() self._pos = self._buf.size return self end
function File:_what()
   return string.format('%s <%s>', torch.typename(self) or 'torch.File', self._name or '?')
end

-- Errors name the file and the byte offset.
function File:_fail(msg)
   if self._quiet then
      self._error = msg
      return
   end
   raise(string.format('%s: %s at byte offset %d', self:_what(), msg, self._pos))
end

local function check_open(self, write)
   if not self._open then raise(self:_what() .. ': the file is closed') end
   if write and not self._canWrite then raise(self:_what() .. ': the file is not open for writing') end
   if not write and not self._canRead then raise(self:_what() .. ': the file is not open for reading') end
end

-- Binary primitives --------------------------------------------------------------

-- element C type and size per dtype name, from the runtime's traits
local ctype_of, size_of = {}, {}
for d = 0, C.NL_NUM_DTYPES - 1 do
   local name = core.dtype_names[d + 1]
   ctype_of[name], size_of[name] = core.dtype_ctypes[d + 1], C.nl_dtype_size(d)
end
File._ctype_of, File._size_of = ctype_of, size_of

-- raw bytes left
function File:_left() return self._buf.size - self._pos end

function File:_readRaw(dst, nbytes, what)
   if nbytes > self:_left() then
      self:_fail(string.format('truncated file: %s needs %d bytes, %d left', what, nbytes, self:_left()))
      return false
   end
   ffi.C.memcpy(dst, self._buf.p + self._pos, nbytes)
   self._pos = self._pos + nbytes
   return true
end

-- Ascii tokens -----------------------------------------------------------------

local function skip_space(self)
   local b, pos = self._buf, self._pos
   while pos < b.size do
      local c = b.p[pos]
      if c ~= 32 and c ~= 10 and c ~= 13 and c ~= 9 then break end
      pos = pos + 1
   end
   self._pos = pos
end

local function read_token(self, what)
   skip_space(self)
   local b, start = self._buf, self._pos
   local pos = start
   while pos < b.size do
      local c = b.p[pos]
      if c == 32 or c == 10 or c == 13 or c == 9 then break end
      pos = pos + 1
   end
   if pos == start then
      self:_fail('truncated file: expected ' .. what)
      return nil
   end
   local s = ffi.string(b.p + start, pos - start)
   self._pos = pos
   local v = tonumber(s)
   if v == nil then
      local l = s:lower()
      if l == 'inf' or l == '+inf' then v = math.huge
      elseif l == '-inf' then v = -math.huge
      elseif l == 'nan' or l == '-nan' then v = 0 / 0
      else
         self._pos = start
         self:_fail(string.format('expected %s, found %q', what, s:sub(1, 40)))
         return nil
      end
   end
   return v
end

-- after a block of ascii values, one end of line is consumed
local function end_block(self)
   local b = self._buf
   if self._pos < b.size and b.p[self._pos] == 10 then self._pos = self._pos + 1 end
end

-- Byte order: Torch7's binary files are in the CPU's order (little-endian
-- here) unless bigEndianEncoding() was asked for; elements are swapped in
-- place, n of es bytes at p.
local function swap_bytes(p, es, n)
   if es <= 1 then return end
   local q = ffi.cast('uint8_t *', p)
   for i = 0, n - 1 do
      local o = i * es
      for j = 0, es / 2 - 1 do
         q[o + j], q[o + es - 1 - j] = q[o + es - 1 - j], q[o + j]
      end
   end
end
function File:isLittleEndianCPU() return ffi.abi('le') end
function File:isBigEndianCPU() return not ffi.abi('le') end
function File:nativeEndianEncoding() self._bigEndian = false return self end
function File:littleEndianEncoding() self._bigEndian = false return self end
function File:bigEndianEncoding() self._bigEndian = true return self end
-- Torch7's DiskFile:noBuffer() turned off stdio buffering; bytes are
-- buffered in memory here until close, as always
function File:noBuffer() return self end

-- Reads n values of a type into dst (a typed pointer); ascii or binary.
function File:_readInto(name, dst, n)
   check_open(self, false)
   if n == 0 then return true end
   if self._binary then
      if name == 'Long' and self._longSize == 4 then
         local tmp = ffi.new('int32_t[?]', n)
         if not self:_readRaw(tmp, 4 * n, string.format('%d long(s)', n)) then return false end
         if self._bigEndian then swap_bytes(tmp, 4, n) end
         for i = 0, n - 1 do dst[i] = tmp[i] end
         return true
      end
      if not self:_readRaw(dst, size_of[name] * n, string.format('%d %s value(s)', n, name:lower())) then return false end
      if self._bigEndian then swap_bytes(dst, size_of[name], n) end
      return true
   end
   if name == 'Byte' or name == 'Char' then
      -- raw characters, after the end of line of the previous block
      if not self:_readRaw(dst, n, string.format('%d char(s)', n)) then return false end
      end_block(self)
      return true
   end
   if n > self:_left() then
      self:_fail(string.format('truncated file: %d %s values cannot fit in the %d bytes left', n, name:lower(), self:_left()))
      return false
   end
   local half = name == 'Half'
   for i = 0, n - 1 do
      local v = read_token(self, 'a ' .. name:lower())
      if v == nil then return false end
      dst[i] = half and C.nl_half_from_double(v) or v
   end
   end_block(self)
   return true
end

function File:_writeFrom(name, src, n)
   check_open(self, true)
   local b = self._buf
   if self._binary then
      if name == 'Long' and self._longSize == 4 then
         local tmp = ffi.new('int32_t[?]', math.max(n, 1))
         for i = 0, n - 1 do tmp[i] = src[i] end
         if self._bigEndian then swap_bytes(tmp, 4, n) end
         self._pos = buf_write(b, tmp, 4 * n, self._pos)
      elseif self._bigEndian and size_of[name] > 1 then
         local es = size_of[name]
         local tmp = ffi.new('uint8_t[?]', math.max(es * n, 1))
         ffi.copy(tmp, src, es * n)
         swap_bytes(tmp, es, n)
         self._pos = buf_write(b, tmp, es * n, self._pos)
      else
         self._pos = buf_write(b, src, size_of[name] * n, self._pos)
      end
      return
   end
   if n == 0 then return end   -- an empty block writes nothing, not even its end of line
   if name == 'Byte' or name == 'Char' then
      self._pos = buf_write(b, src, n, self._pos)
   else
      local parts = {}
      -- Half as Torch7 writes it: the value as a float, '%.9g'
      local half = name == 'Half'
      local fmt = (name == 'Double' and '%.17g') or ((name == 'Float' or half) and '%.9g') or nil
      for i = 0, n - 1 do
         local v = src[i]
         if half then v = C.nl_half_to_double(v) end
         if fmt then
            v = tonumber(v)
            -- a NaN whose payload bits LuaJIT reads as another value (an
            -- uninitialised element can hold one) is still a NaN
            if type(v) ~= 'number' or v ~= v then
               -- printf's spelling: a NaN with its sign bit set (0/0 on x86) is -nan
               local neg
               if name == 'Double' then neg = ffi.cast('int64_t *', src + i)[0] < 0
               elseif name == 'Float' then neg = ffi.cast('int32_t *', src + i)[0] < 0
               else neg = ffi.cast('int16_t *', src + i)[0] < 0 end
               parts[#parts + 1] = neg and '-nan' or 'nan'
            elseif v == math.huge then parts[#parts + 1] = 'inf'
            elseif v == -math.huge then parts[#parts + 1] = '-inf'
            else parts[#parts + 1] = string.format(fmt, v) end
         else
            parts[#parts + 1] = tostring(v):gsub('[UL]+$', '')
         end
      end
      local s = table.concat(parts, ' ')
      self._pos = buf_write(b, s, #s, self._pos)
   end
   if self._autoSpacing then self._pos = buf_write(b, '\n', 1, self._pos) end
end

-- readInt(), readInt(n) -> storage, readInt(storage); writeInt(v | storage)
for name, ct in pairs(ctype_of) do
   local storageClass = name .. 'Storage'
   File['read' .. name] = function(self, arg)
      if arg == nil then
         local v = ffi.new(ct .. '[1]')
         -- quiet: a failed read gives 0 (and hasError()), as Torch7
         if not self:_readInto(name, v, 1) then return 0 end
         if name == 'Long' then return tonumber(v[0]) end
         if name == 'Half' then return C.nl_half_to_double(v[0]) end
         return v[0]
      end
      local s = arg
      if type(arg) == 'number' then
         if arg < 0 or arg > self:_left() * (self._binary and 1 or 1) + 1 then
            self:_fail(string.format('cannot read %s %s values: only %d bytes left', tostring(arg), name:lower(), self:_left()))
            return nil
         end
         s = torch[storageClass](arg)
      end
      local n = s:size()
      if n > 0 and not self:_readInto(name, ffi.cast(ct .. ' *', s._p._data), n) then return nil end
      return s
   end
   File['write' .. name] = function(self, v)
      if torch.isStorage(v) then
         self:_writeFrom(name, ffi.cast(ct .. ' *', v._p._data), v:size())
         return v:size()
      end
      if type(v) ~= 'number' and type(v) ~= 'cdata' then
         raise(string.format('%s:write%s: expected a number or a %s, got %s', self:_what(), name, storageClass, torch.type(v)))
      end
      if name == 'Half' then v = C.nl_half_from_double(tonumber(v)) end
      local tmp = ffi.new(ct .. '[1]', v)
      self:_writeFrom(name, tmp, 1)
      return 1
   end
end

-- readString(n) (or '*a', '*l'); writeString(s)
function File:writeString(s)
   if type(s) ~= 'string' then raise(self:_what() .. ':writeString: expected a string, got ' .. type(s)) end
   check_open(self, true)
   self._pos = buf_write(self._buf, s, #s, self._pos)
   return #s
end

function File:readString(fmt)
   check_open(self, false)
   local b = self._buf
   if (fmt == '*a' or fmt == '*l') and self._pos >= b.size then
      -- nothing left: an error (quiet: '' and hasError()), as Torch7, so that
      -- a reading loop ends on hasError()
      self:_fail(string.format("readString('%s'): end of file", fmt))
      return ''
   end
   if fmt == '*a' then
      local s = ffi.string(b.p + self._pos, b.size - self._pos)
      self._pos = b.size
      return s
   elseif fmt == '*l' then
      local start = self._pos
      while self._pos < b.size and b.p[self._pos] ~= 10 do self._pos = self._pos + 1 end
      local s = ffi.string(b.p + start, self._pos - start)
      if self._pos < b.size then self._pos = self._pos + 1 end
      return s
   end
   local n = tonumber(fmt)
   if not n then raise(self:_what() .. ":readString: expected a length, '*a' or '*l'") end
   if n > self:_left() then return self:_fail(string.format('truncated file: a %d-byte string, %d bytes left', n, self:_left())) end
   local s = ffi.string(b.p + self._pos, n)
   self._pos = self._pos + n
   return s
end

-- ascii strings are raw characters followed by an end of line
function File:_readChars(n)
   if self._binary then return self:readString(n) end
   local s = self:readString(n)
   end_block(self)
   return s
end
function File:_writeChars(s)
   self:writeString(s)
   if not self._binary and self._autoSpacing then self:writeString('\n') end
end

function File:synchronize() return self end
function File:close()
   self._open = false
   return true
end

-- DiskFile ------------------------------------------------------------------

function DiskFile:__init(name, mode, quiet)
   if type(name) ~= 'string' then raise('torch.DiskFile: expected a file name, got ' .. torch.type(name)) end
   init(self, name, mode, quiet)
   if self._canRead and not self._canWrite then
      local f = io.open(name, 'rb')
      if not f then
         if quiet then self._error = 'cannot open' self._openFailed = true self._buf = buf_new() return end
         raise(string.format('torch.DiskFile: cannot open <%s> for reading', name))
      end
      local s = f:read('*a')
      f:close()
      self._buf = buf_from_string(s)
   else
      self._buf = buf_new()
      if self._canRead then
         local f = io.open(name, 'rb')
         if f then
            local s = f:read('*a')
            f:close()
            self._buf = buf_from_string(s)
         end
      end
      -- fail early on an unwritable path, not at close
      local f = io.open(name, self._canRead and 'ab' or 'wb')
      if not f then raise(string.format('torch.DiskFile: cannot open <%s> for writing', name)) end
      f:close()
   end
end

-- torch.DiskFile(name, mode, true) returns nil when the file cannot be opened
do
   local ctor_mt = getmetatable(torch.DiskFile)
   local plain = ctor_mt.__call
   ctor_mt.__call = function(c, ...)
      local f = plain(c, ...)
      if f._openFailed then return nil end
      return f
   end
end

function DiskFile:_flushTo(path)
   local f = io.open(path, 'wb')
   if not f then raise(string.format('torch.DiskFile: cannot open <%s> for writing', path)) end
   local ok = f:write(ffi.string(self._buf.p, self._buf.size))
   local ok2 = f:flush()
   f:close()
   if not ok or not ok2 then raise(string.format('torch.DiskFile: writing <%s> failed (disk full?)', path)) end
end

function DiskFile:close()
   if self._open and self._canWrite then self:_flushTo(self._name) end
   self._open = false
   return true
end

function DiskFile:synchronize()
   if self._canWrite then self:_flushTo(self._name) end
   return self
end

-- MemoryFile ----------------------------------------------------------------

-- torch.MemoryFile([storage | mode [, mode]])
function MemoryFile:__init(a, mode)
   if torch.isStorage(a) then
      init(self, 'memory', mode or 'rw')
      local n = a:size()
      -- a CharStorage from :storage() ends with a 0 byte (Torch7)
      if n > 0 and a[n] == 0 then n = n - 1 end
      self._buf = buf_new(n + 1)
      ffi.C.memcpy(self._buf.p, a._p._data, n)
      self._buf.size = n
   else
      init(self, 'memory', a or 'rw')
      self._buf = buf_new()
   end
end

-- A reading MemoryFile over the bytes of a Lua string.
function MemoryFile._fromString(str)
   local f = torch.MemoryFile('r')
   f._buf = buf_from_string(str)
   return f
end

-- the contents as a CharStorage (with Torch7's trailing zero byte)
function MemoryFile:storage()
   local s = torch.CharStorage(self._buf.size + 1)
   ffi.C.memcpy(s._p._data, self._buf.p, self._buf.size)
   s[self._buf.size + 1] = 0
   return s
end

function MemoryFile:_string() return ffi.string(self._buf.p, self._buf.size) end

-- PipeFile ------------------------------------------------------------------

function PipeFile:__init(command, mode, quiet)
   if type(command) ~= 'string' then raise('torch.PipeFile: expected a command, got ' .. torch.type(command)) end
   init(self, command, mode or 'r', quiet)
   if self._canRead then
      local p = io.popen(command, 'r')
      local s = p:read('*a')
      p:close()
      self._buf = buf_from_string(s or '')
   else
      self._buf = buf_new()
   end
end

function PipeFile:close()
   if self._open and self._canWrite then
      local p = io.popen(self._name, 'w')
      p:write(ffi.string(self._buf.p, self._buf.size))
      p:close()
   end
   self._open = false
   return true
end

return File

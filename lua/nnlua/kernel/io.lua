-- nnlua.kernel.io: a cell's standard streams inside the kernel. print,
-- io.write, io.stdout and io.stderr send `stream` messages to the notebook;
-- io.read and io.stdin:read ask the frontend with `input_request`. Output of
-- one cell is bounded: past the limit the rest is counted, not sent.
local kio = {}

local real = { print = print, write = io.write, read = io.read, stdout = io.stdout, stderr = io.stderr,
               stdin = io.stdin, tostring = tostring }
kio.real = real

-- A file-like object (a userdata, printed as the file it stands for): the
-- methods given, anything else forwarded to the real file.
local function proxy(file, methods)
   local p = newproxy(true)
   local mt = getmetatable(p)
   mt.__index = function(_, k)
      if methods[k] then return methods[k] end
      local f = file[k]
      if type(f) == 'function' then return function(_, ...) return f(file, ...) end end
      return f
   end
   mt.__tostring = function() return tostring(file) end
   return p
end

local function concat(fname, ...)
   local n = select('#', ...)
   local parts = {}
   for i = 1, n do
      local v = select(i, ...)
      local t = type(v)
      if t == 'number' then v = string.format('%.14g', v)
      elseif t ~= 'string' then
         error(string.format("bad argument #%d to '%s' (string expected, got %s)", i, fname, t), 3)
      end
      parts[i] = v
   end
   return table.concat(parts)
end

-- Installs the streams. `send(name, text)` publishes text on stream name
-- ('stdout' or 'stderr'); `ask(prompt, password)` returns the line the user
-- typed (or raises). Returns the controller: begin_cell(), end_cell().
function kio.install(send, ask, limit)
   limit = limit or 1000000
   local sent, dropped = 0, 0
   local function out(name, text)
      if text == '' then return end
      if sent >= limit then dropped = dropped + #text return end
      if sent + #text > limit then
         local keep = limit - sent
         dropped = dropped + #text - keep
         text = text:sub(1, keep)
      end
      sent = sent + #text
      send(name, text)
   end
   local stdout, stderr
   stdout = proxy(real.stdout, {
      write = function(self, ...) out('stdout', concat('write', ...)) return self end,
      flush = function(self) return self end,
      setvbuf = function() return true end,
      close = function() return nil, 'nnlua kernel: the notebook\'s stdout stays open' end,
   })
   stderr = proxy(real.stderr, {
      write = function(self, ...) out('stderr', concat('write', ...)) return self end,
      flush = function(self) return self end,
      setvbuf = function() return true end,
      close = function() return nil, 'nnlua kernel: the notebook\'s stderr stays open' end,
   })
   local function read_one(fmt)
      fmt = fmt or '*l'
      if type(fmt) == 'number' then return (ask(''):sub(1, fmt)) end
      fmt = tostring(fmt):gsub('^%*', '')
      local c = fmt:sub(1, 1)
      if c == 'l' then return ask('') end
      if c == 'L' then return ask('') .. '\n' end
      if c == 'n' then return tonumber(ask('')) end
      if c == 'a' then return ask('') end
      error("bad argument #1 to 'read' (invalid format)", 3)
   end
   local function read(...)
      local n = select('#', ...)
      if n <= 1 then return read_one((...)) end
      local res = {}
      for i = 1, n do res[i] = read_one((select(i, ...))) end
      return unpack(res, 1, n)
   end
   local stdin = proxy(real.stdin, {
      read = function(_, ...) return read(...) end,
      lines = function() return function() return read_one('*l') end end,
   })

   _G.print = function(...)
      local n = select('#', ...)
      local parts = {}
      for i = 1, n do parts[i] = tostring((select(i, ...))) end
      out('stdout', table.concat(parts, '\t') .. '\n')
   end
   io.write = function(...)
      if io.output() ~= real.stdout then return real.write(...) end
      out('stdout', concat('write', ...))
      return stdout
   end
   io.read = function(...)
      if io.input() ~= real.stdin then return real.read(...) end
      return read(...)
   end
   io.stdout, io.stderr, io.stdin = stdout, stderr, stdin

   local ctl = {}
   function ctl.begin_cell() sent, dropped = 0, 0 end
   -- Returns the number of bytes this cell's output dropped.
   function ctl.end_cell() return dropped end
   ctl.limit = limit
   return ctl
end

return kio

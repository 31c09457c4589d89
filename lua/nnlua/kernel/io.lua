-- nnlua.kernel.io: a cell's standard streams inside the kernel. print,
-- io.write, io.stdout and io.stderr send `stream` messages to the notebook;
-- io.read and io.stdin:read ask the frontend with `input_request`. Output of
-- one cell is bounded: past the limit the rest is counted, not sent.
-- Text is gathered into few messages: a write is sent at once when nothing
-- was sent for `interval` seconds, otherwise it waits in a buffer that goes
-- out when it holds 8 KB, at the next write or check (`ctl.tick`, which the
-- kernel calls from a count hook while a cell runs) past the interval, and
-- at the end of the cell. A loop printing thousands of lines a second sends
-- about 1/interval messages a second, and a lone print shows at once.
local protocol = require 'nnlua.kernel.protocol'
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
-- typed (or raises). opts: limit (bytes per cell, default 1e6), interval
-- (seconds, default 0.05). Returns the controller: begin_cell(),
-- end_cell() (sends what is buffered; returns the bytes dropped), flush(),
-- tick().
function kio.install(send, ask, opts)
   opts = opts or {}
   local limit = opts.limit or 1000000
   local interval = opts.interval or 0.05
   local now = protocol.now
   local sent, dropped = 0, 0
   local buf, buflen, bufname, last = {}, 0, nil, -math.huge
   local function flush()
      if buflen == 0 then return end
      local text = table.concat(buf)
      buf, buflen = {}, 0
      last = now()
      send(bufname, text)
   end
   local function out(name, text)
      if text == '' then return end
      if sent >= limit then dropped = dropped + #text return end
      if sent + #text > limit then
         local keep = limit - sent
         dropped = dropped + #text - keep
         text = text:sub(1, keep)
      end
      sent = sent + #text
      if name ~= bufname then
         flush()
         bufname = name
      end
      buf[#buf + 1] = text
      buflen = buflen + #text
      if buflen >= 8192 or now() - last >= interval then flush() end
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

   -- print as th's (nnlua.pretty: tables as trees) when that is loaded;
   -- setprintlevel switches between pretty.print and env.plain_print, so
   -- both are pointed at the notebook too
   local function plain_print(...)
      local n = select('#', ...)
      local parts = {}
      for i = 1, n do parts[i] = tostring((select(i, ...))) end
      out('stdout', table.concat(parts, '\t') .. '\n')
   end
   local pretty, env = package.loaded['nnlua.pretty'], package.loaded['nnlua.env']
   local saved = { print = _G.print, write = io.write, read = io.read, stdout = io.stdout, stderr = io.stderr,
                   stdin = io.stdin, pretty_print = pretty and pretty.print, plain_print = env and env.plain_print }
   local function kprint(...) out('stdout', pretty.format(...)) end
   _G.print = pretty and (_G.print ~= saved.plain_print) and kprint or plain_print
   if pretty then pretty.print = kprint end
   if env then env.plain_print = plain_print end
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

   local ctl = { limit = limit, flush = flush }
   function ctl.begin_cell() sent, dropped = 0, 0 end
   function ctl.end_cell()
      flush()
      return dropped
   end
   function ctl.tick()
      if buflen > 0 and now() - last >= interval then flush() end
   end
   -- Puts back what install replaced.
   function ctl.uninstall()
      _G.print, io.write, io.read = saved.print, saved.write, saved.read
      io.stdout, io.stderr, io.stdin = saved.stdout, saved.stderr, saved.stdin
      if pretty then pretty.print = saved.pretty_print end
      if env then env.plain_print = saved.plain_print end
   end
   return ctl
end

return kio

-- xlua: the helpers Torch7 training scripts expect, with Torch7's names:
-- progress (Torch7's bar, redrawn in place on a terminal; a plain line per
-- tenth when the output is a file or a pipe), print, formatTime, error,
-- trycatch, require, installed, table2string, usage, unpack, unpack_class,
-- usage_module, envparams, log, clear, clearall, who, OptionParser,
-- Profiler; and string.split, string.tosymbol, table.splice, table.prune,
-- the globals xprint, xerror, xrequire.
local ffi = require 'ffi'
local sys = require 'sys'

local xlua = {}
package.loaded.xlua = xlua
_G.xlua = xlua   -- Torch7 scripts use the global after require

local reg = debug.getregistry()
if not reg.nnlua_xlua_cdef then
   pcall(ffi.cdef, 'int isatty(int fd);')
   reg.nnlua_xlua_cdef = true
end

-- the globals present before the user's (xlua.clearall and who keep them)
local protected = {}
for k in pairs(_G) do protected[k] = true end

local function now()
   local torch = package.loaded.torch
   if torch and torch.Timer then
      xlua._timer = xlua._timer or torch.Timer()
      return xlua._timer:time().real
   end
   return os.clock()
end

-- Torch7's compact duration: at most two units, '0ms' for nothing.
function xlua.formatTime(seconds)
   local floor = math.floor
   local days = floor(seconds / 86400)
   seconds = seconds - days * 86400
   local hours = floor(seconds / 3600)
   seconds = seconds - hours * 3600
   local minutes = floor(seconds / 60)
   seconds = seconds - minutes * 60
   local secondsf = floor(seconds)
   local millis = floor((seconds - secondsf) * 1000)
   local parts = {}
   for _, u in ipairs { { days, 'D' }, { hours, 'h' }, { minutes, 'm' }, { secondsf, 's' }, { millis, 'ms' } } do
      if u[1] > 0 and #parts < 2 then parts[#parts + 1] = u[1] .. u[2] end
   end
   if #parts == 0 then return '0ms' end
   return table.concat(parts)
end
local formatTime = xlua.formatTime

local function fmt_rate_time(s)
   if s < 1 then return string.format('%dms', math.floor(s * 1000)) end
   if s < 60 then return string.format('%.1fs', s) end
   if s < 3600 then return string.format('%dm%02ds', math.floor(s / 60), math.floor(s % 60)) end
   return string.format('%dh%02dm', math.floor(s / 3600), math.floor(s % 3600 / 60))
end

local function term_width()
   local w = tonumber(os.getenv('COLUMNS') or '')
   if not w then
      local p = io.popen('tput cols 2>/dev/null')
      w = p and tonumber(p:read('*a'))
      if p then p:close() end
   end
   return math.min(w or 80, 120)
end

-- The bar as Torch7 draws it: ' [====>....  i/n  .....] ETA: 2s | Step: 10ms'
-- (the count overwrites the middle of the bar).
function xlua.progress_line(current, goal, width, elapsed, step)
   local barLength = width - 34
   local percent = math.floor(current * barLength / goal)
   local bar = {}
   for i = 1, barLength do
      bar[i] = i < percent and '=' or (i == percent and '>' or '.')
   end
   local tm
   if percent < barLength then
      tm = ' ETA: ' .. formatTime(math.max(0, (goal - current) * step))
   else
      tm = ' Tot: ' .. formatTime(elapsed)
   end
   tm = tm .. ' | Step: ' .. formatTime(step)
   local line = ' [' .. table.concat(bar) .. '] ' .. tm
   local pos = barLength - 1 - math.floor(barLength / 2)   -- 0-based column of the count
   local count = ' ' .. current .. '/' .. goal .. ' '
   return line:sub(1, pos) .. count .. line:sub(pos + #count + 1)
end

local state = {}
xlua.progress_width = nil

function xlua.progress(i, n)
   if type(i) ~= 'number' or type(n) ~= 'number' or n <= 0 then
      error('xlua.progress: expected (current, total) numbers with total > 0', 2)
   end
   local t = now()
   if i <= 1 or not state.start or i < (state.last or 0) then
      state.start, state.last_print, state.tty = t, -1, ffi.C.isatty(1) == 1
      state.first, state.t0 = i, t
      state.width = state.tty and (xlua.progress_width or term_width()) or 80
   end
   state.last = i
   local elapsed = t - state.start
   if state.tty then
      local width = xlua.progress_width or state.width
      local step = i > state.first and (t - state.t0) / (i - state.first) or 0
      io.write('\r' .. xlua.progress_line(i, n, width, elapsed, step))
      if i >= n then io.write('\n') end
      io.flush()
   else
      local rate = elapsed > 0 and i / elapsed or 0
      local eta = rate > 0 and (n - i) / rate or 0
      local frac = math.min(i / n, 1)
      -- a line per 10% when not on a terminal
      local decile = math.floor(frac * 10)
      if decile > state.last_print or i >= n then
         state.last_print = decile
         print(string.format('progress: %d/%d (%d%%) | %s | ETA: %s | %.1f/s', i, n, math.floor(frac * 100),
            fmt_rate_time(elapsed), fmt_rate_time(eta), rate))
      end
   end
end

-- xlua.print(obj, ...): a table as '{[k] = v,\n [k2] = v2}' (long values
-- cut at 40 characters), anything else with tostring; more values follow
-- after four spaces, through print.
function xlua.print(obj, ...)
   if type(obj) == 'table' then
      local mt = getmetatable(obj)
      if mt and mt.__tostring__ then
         io.write(mt.__tostring__(obj))
      else
         local tos = tostring(obj)
         if mt and mt.__tostring and not tos:find('table: ', 1, true) then
            if type(obj.usage) == 'string' then io.write(obj.usage .. '\n\nFIELDS:\n')
            else io.write(tos .. ':\n') end
         end
         local keys = {}
         for k in pairs(obj) do keys[#keys + 1] = k end
         table.sort(keys, function(a, b)
            if type(a) == type(b) and (type(a) == 'number' or type(a) == 'string') then return a < b end
            return type(a) < type(b)
         end)
         local lines = {}
         for idx, k in ipairs(keys) do
            local v = obj[k]
            local pre = (idx > 1 and ' ' or '') .. '[' .. tostring(k) .. '] = '
            if type(v) == 'userdata' then
               lines[idx] = pre .. '<userdata>'
            else
               local s = tostring(v):gsub('\n', '\\n')
               if #s > 40 then lines[idx] = pre .. s:sub(1, 40) .. sys.COLORS.none .. ' ... '
               else lines[idx] = pre .. s end
            end
         end
         io.write('{' .. table.concat(lines, ',\n') .. '}')
      end
   else
      io.write(tostring(obj))
   end
   if select('#', ...) > 0 then
      io.write('    ')
      print(...)
   else
      io.write('\n')
   end
end
rawset(_G, 'xprint', xlua.print)

-- error(message [, domain [, usage]]): raises '<domain> message' (red on a
-- terminal), the usage text after it.
function xlua.error(message, domain, usage)
   local c = sys.COLORS
   if domain then message = '<' .. domain .. '> ' .. tostring(message) end
   local msg = c.Red .. tostring(message) .. c.none
   if usage then msg = msg .. '\n' .. tostring(usage) end
   error(msg, 2)
end
rawset(_G, 'xerror', xlua.error)

function xlua.trycatch(try, catch)
   local ok, err = pcall(try)
   if not ok then catch(err) end
end

-- installed(name): true and the file when a package of that name is on
-- package.path or package.cpath.
function xlua.installed(name)
   for pattern in (package.path .. ';' .. package.cpath):gmatch('[^;]+') do
      local p = pattern:gsub('%?', (name:gsub('%.', '/')))
      local f = io.open(p, 'rb')
      if f then f:close() return true, p end
   end
   return false
end

-- require(name): the package, or false after printing why it could not be
-- loaded (nothing is installed: nnlua has no package manager).
function xlua.require(name, luarocks)
   local ok, res = pcall(require, name)
   if not ok then
      print(res)
      print('warning: <' .. name .. '> could not be loaded (is it installed?)')
      return false
   end
   return res
end
rawset(_G, 'xrequire', xlua.require)

require 'xlua.table'
require 'xlua.OptionParser'
require 'xlua.Profiler'

-- log(file [, append]): a copy of everything written to stdout from now on
-- goes to file.
function xlua.log(file, append)
   local dir = sys.dirname(file)
   if dir ~= '.' then require('paths').mkdir(dir) end
   local f = assert(io.open(file, append and 'a' or 'w'))
   local write = io.write
   io._write = write
   io.write = function(...)
      write(...)
      for i = 1, select('#', ...) do f:write(tostring((select(i, ...)))) end
      f:flush()
   end
end

function xlua.clear(name)
   _G[name] = nil
   collectgarbage()
end

-- clearall(): removes the globals created after xlua was loaded.
function xlua.clearall()
   for k in pairs(_G) do
      if not protected[k] then
         if package.loaded[k] then package.loaded[k] = nil end
         _G[k] = nil
      end
   end
   collectgarbage()
end

-- who(): the user's globals (and the packages loaded as globals).
function xlua.who()
   local user, libs = {}, {}
   for k, v in pairs(_G) do
      if package.loaded[k] and k ~= '_G' then libs[#libs + 1] = k
      elseif not protected[k] then user[k] = v end
   end
   table.sort(libs)
   xlua.print('')
   xlua.print('Global Libs:')
   xlua.print(libs)
   xlua.print('')
   xlua.print('Global Vars:')
   xlua.print(user)
   xlua.print('')
end

-- envparams(defaults): defaults overridden by environment variables of the
-- same names (numbers and booleans converted).
function xlua.envparams(defaults)
   local params = {}
   for k, v in pairs(defaults) do
      params[k] = v
      local s = os.getenv(k)
      if s ~= nil then
         local new = s
         if type(v) == 'number' then
            new = tonumber(s)
            if new == nil then error(string.format('xlua.envparams: %s=%s is not a number', k, s), 2) end
         elseif type(v) == 'boolean' then
            if s == 'false' or s == 'False' then new = false
            elseif s == 'true' or s == 'True' then new = true end
         end
         params[k] = new
      end
   end
   return params
end

return xlua

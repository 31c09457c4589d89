-- xlua: the helpers Torch7 training scripts expect, chiefly
-- xlua.progress(i, n): a progress bar with elapsed time, ETA and rate,
-- redrawn in place on a terminal and printed as plain periodic lines when
-- the output is a file or a pipe.
local ffi = require 'ffi'
local xlua = {}
package.loaded.xlua = xlua
_G.xlua = xlua   -- Torch7 scripts use the global after require

local reg = debug.getregistry()
if not reg.nnlua_xlua_cdef then
   pcall(ffi.cdef, 'int isatty(int fd);')
   reg.nnlua_xlua_cdef = true
end

local function now()
   if torch and torch.Timer then
      xlua._timer = xlua._timer or torch.Timer()
      return xlua._timer:time().real
   end
   return os.clock()
end

local function fmt_time(s)
   if s < 1 then return string.format('%dms', math.floor(s * 1000)) end
   if s < 60 then return string.format('%.1fs', s) end
   if s < 3600 then return string.format('%dm%02ds', math.floor(s / 60), math.floor(s % 60)) end
   return string.format('%dh%02dm', math.floor(s / 3600), math.floor(s % 3600 / 60))
end

local state = {}
xlua.progress_width = 40

function xlua.progress(i, n)
   if type(i) ~= 'number' or type(n) ~= 'number' or n <= 0 then
      error('xlua.progress: expected (current, total) numbers with total > 0', 2)
   end
   local t = now()
   if i <= 1 or not state.start or i < (state.last or 0) then
      state.start, state.last_print, state.tty = t, -1, ffi.C.isatty(1) == 1
   end
   state.last = i
   local elapsed = t - state.start
   local rate = elapsed > 0 and i / elapsed or 0
   local eta = rate > 0 and (n - i) / rate or 0
   local frac = math.min(i / n, 1)
   if state.tty then
      local w = xlua.progress_width
      local done = math.floor(frac * w)
      local bar = string.rep('=', done) .. (done < w and '>' or '') .. string.rep('.', math.max(w - done - 1, 0))
      io.write(string.format('\r [%s] %d/%d | %s | ETA: %s | %.1f/s ', bar, i, n, fmt_time(elapsed), fmt_time(eta), rate))
      if i >= n then io.write('\n') end
      io.flush()
   else
      -- a line per 10% when not on a terminal
      local decile = math.floor(frac * 10)
      if decile > state.last_print or i >= n then
         state.last_print = decile
         print(string.format('progress: %d/%d (%d%%) | %s | ETA: %s | %.1f/s', i, n, math.floor(frac * 100),
            fmt_time(elapsed), fmt_time(eta), rate))
      end
   end
end

-- xlua.print: print with table expansion, as in Torch7's xlua
function xlua.print(...)
   for _, v in ipairs { ... } do
      if type(v) == 'table' and package.loaded['nnlua.repl'] then
         print(package.loaded['nnlua.repl'].show(v))
      else
         print(v)
      end
   end
end

return xlua

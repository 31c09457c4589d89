-- sys: Torch7's small system package. clock (wall seconds), tic/toc,
-- execute/fexecute (a command's output as a string, trimmed), ls/ll/la/lla,
-- dirname/concat (from paths), fpath, split, uname ('linux'), OS, sleep,
-- usleep, isNaN, prefix (the install folder) and COLORS: Torch7's ANSI
-- escapes when stdout is a terminal, empty strings when it is a file or a
-- pipe (so logs stay clean).
local ffi = require 'ffi'
local paths = require 'paths'

local sys = {}
package.loaded.sys = sys
_G.sys = sys

local reg = debug.getregistry()
if not reg.nnlua_sys_cdef then
   pcall(ffi.cdef, [[
      struct nl_timeval { long tv_sec; long tv_usec; };
      int gettimeofday(struct nl_timeval *tv, void *tz);
      int usleep(unsigned int usec);
   ]])
   pcall(ffi.cdef, 'int isatty(int fd);')
   reg.nnlua_sys_cdef = true
end
local C = ffi.C

local tv = ffi.new('struct nl_timeval')
-- Seconds since the epoch, microsecond resolution (Torch7's sys.clock).
function sys.clock()
   C.gettimeofday(tv, nil)
   return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) * 1e-6
end

local tic_start
function sys.tic()
   tic_start = sys.clock()
end

-- Seconds since the last sys.tic() (printed too when verbose).
function sys.toc(verbose)
   if not tic_start then error('sys.toc: call sys.tic() first', 2) end
   local dt = sys.clock() - tic_start
   if verbose then print(dt) end
   return dt
end

local function trim(s) return (s:gsub('^%s*', ''):gsub('%s*$', '')) end

local function check_cmd(fn, cmd)
   if type(cmd) ~= 'string' then error(string.format('sys.%s: expected a command string, got %s', fn, type(cmd)), 3) end
end

-- The output (stdout and stderr) of a shell command, trimmed.
function sys.execute(cmd)
   check_cmd('execute', cmd)
   local f = io.popen(cmd .. ' 2>&1')
   local s = f:read('*all')
   f:close()
   return trim(s)
end

-- The same through a temporary file; readwhat as for file:read.
function sys.fexecute(cmd, readwhat)
   check_cmd('fexecute', cmd)
   local tmp = os.tmpname()
   os.execute(cmd .. ' >' .. tmp .. ' 2>&1')
   local f = assert(io.open(tmp))
   local s = f:read(readwhat or '*all') or ''
   f:close()
   os.remove(tmp)
   return trim(s)
end

function sys.uname()
   if ffi.os == 'Windows' then return 'windows' end
   if ffi.os == 'OSX' then return 'macos' end
   if ffi.os == 'Linux' then return 'linux' end
   return '?'
end
sys.OS = sys.uname()

sys.ls = function(d) return sys.execute('ls ' .. (d or '')) end
sys.ll = function(d) return sys.execute('ls -l ' .. (d or '')) end
sys.la = function(d) return sys.execute('ls -a ' .. (d or '')) end
sys.lla = function(d) return sys.execute('ls -la ' .. (d or '')) end

-- The folder above bin/ of the running program (Torch7: of its luajit).
sys.prefix = (function()
   local dir = paths.execdir()
   if not dir then return '' end
   if paths.basename(dir) == 'bin' or paths.basename(dir) == 'build' then return paths.dirname(dir) end
   return dir
end)()

-- fpath(): the folder and the name of the calling file.
function sys.fpath()
   local src = debug.getinfo(2, 'S').source:gsub('^@', '')
   if src:sub(1, 1) ~= '/' then src = paths.concat(paths.cwd(), src) end
   return paths.dirname(src), paths.basename(src)
end

-- split(str, pat): the pieces between matches of the pattern pat (an
-- empty first piece dropped, as Torch7).
function sys.split(str, pat)
   if type(str) ~= 'string' or type(pat) ~= 'string' then
      error('sys.split: expected (string, pattern string)', 2)
   end
   local t = {}
   local fpat = '(.-)' .. pat
   local last_end = 1
   local s, e, cap = str:find(fpat, 1)
   while s do
      if s ~= 1 or cap ~= '' then t[#t + 1] = cap end
      last_end = e + 1
      s, e, cap = str:find(fpat, last_end)
   end
   if last_end <= #str then t[#t + 1] = str:sub(last_end) end
   return t
end

function sys.isNaN(x) return x ~= x end

function sys.usleep(us) C.usleep(us) end
function sys.sleep(seconds)
   if type(seconds) ~= 'number' then error('sys.sleep: expected seconds as a number, got ' .. type(seconds), 2) end
   C.usleep(math.floor(seconds * 1e6))
end

sys.dirname = paths.dirname
sys.concat = paths.concat

-- Torch7's sys.COLORS, blank when stdout is not a terminal.
local ansi = {
   none = '\27[0m', black = '\27[0;30m', red = '\27[0;31m', green = '\27[0;32m', yellow = '\27[0;33m',
   blue = '\27[0;34m', magenta = '\27[0;35m', cyan = '\27[0;36m', white = '\27[0;37m',
   Black = '\27[1;30m', Red = '\27[1;31m', Green = '\27[1;32m', Yellow = '\27[1;33m',
   Blue = '\27[1;34m', Magenta = '\27[1;35m', Cyan = '\27[1;36m', White = '\27[1;37m',
   _black = '\27[40m', _red = '\27[41m', _green = '\27[42m', _yellow = '\27[43m',
   _blue = '\27[44m', _magenta = '\27[45m', _cyan = '\27[46m', _white = '\27[47m',
}
sys.ANSI_COLORS = ansi
sys.COLORS = {}
local tty = C.isatty(1) == 1
for k, v in pairs(ansi) do sys.COLORS[k] = tty and v or '' end

return sys

-- paths: Torch7's file-system helpers, on libc through the FFI, with
-- Torch7's names and return values: filep, dirp, concat (absolute and
-- normalised), dirname, basename, extname, cwd, home (a string), execdir,
-- tmpname, uname, is_win, is_mac, mkdir (with parents), rmdir, dir (nil for
-- a missing folder), files (with a pattern or a filter), iterfiles,
-- iterdirs, rmall, thisfile, dofile, require, findprogram.
-- Failures of the system calls return nil, "path: reason", errno as Torch7
-- does; a wrong argument type raises an error naming the function.
local ffi = require 'ffi'

local paths = {}
package.loaded.paths = paths
_G.paths = paths   -- a global in Torch7, as torch loads it

local reg = debug.getregistry()
if not reg.nnlua_paths_cdef2 then
   if not reg.nnlua_paths_cdef then
      ffi.cdef [[
         typedef struct nl_dirstream nl_DIR;
         struct nl_dirent { uint64_t d_ino; int64_t d_off; unsigned short d_reclen; unsigned char d_type; char d_name[256]; };
         nl_DIR *opendir(const char *name);
         struct nl_dirent *readdir(nl_DIR *dir);
         int closedir(nl_DIR *dir);
         int mkdir(const char *path, unsigned int mode);
         int rmdir(const char *path);
         char *getcwd(char *buf, size_t size);
         int access(const char *path, int mode);
      ]]
      reg.nnlua_paths_cdef = true
   end
   pcall(ffi.cdef, 'char *strerror(int errnum);')
   reg.nnlua_paths_cdef2 = true
end
local C = ffi.C

local function check_str(fn, s, i)
   if type(s) == 'number' then return tostring(s) end
   if type(s) ~= 'string' then
      error(string.format('paths.%s: expected a path string%s, got %s', fn, i and (' as argument ' .. i) or '', type(s)), 3)
   end
   return s
end

-- nil, "path: reason", errno (the last failed call's)
local function sys_error(p)
   local e = ffi.errno()
   return nil, p .. ': ' .. ffi.string(C.strerror(e)), e
end

function paths.dirp(p)
   p = check_str('dirp', p)
   local d = C.opendir(p)
   if d == nil then return false end
   C.closedir(d)
   return true
end

function paths.filep(p)
   p = check_str('filep', p)
   if paths.dirp(p) then return false end
   local f = io.open(p, 'rb')
   if f then f:close() return true end
   return false
end

function paths.cwd()
   local buf = ffi.new('char[4096]')
   if C.getcwd(buf, 4096) == nil then return '.' end
   return ffi.string(buf)
end

-- '/a/./b//c/../d/' -> '/a/b/d' (p absolute)
local function normalise(p)
   local out = {}
   for part in p:gmatch('[^/]+') do
      if part == '..' then
         if #out > 0 then out[#out] = nil end
      elseif part ~= '.' then
         out[#out + 1] = part
      end
   end
   return '/' .. table.concat(out, '/')
end

-- concat(...): the parts joined, an absolute part restarting the path,
-- made absolute against the current folder and normalised; no argument:
-- the current folder.
function paths.concat(...)
   local n = select('#', ...)
   if n == 0 then return paths.cwd() end
   local out = ''
   for i = 1, n do
      local p = check_str('concat', (select(i, ...)), i)
      if p:sub(1, 1) == '/' then out = p
      elseif p ~= '' then out = out == '' and p or (out .. '/' .. p) end
   end
   if out:sub(1, 1) ~= '/' then out = paths.cwd() .. '/' .. out end
   return normalise(out)
end

function paths.dirname(p)
   p = check_str('dirname', p)
   local s = p:gsub('/+$', '')
   if s == '' then return p:sub(1, 1) == '/' and '/' or '.' end
   local d = s:match('^(.*)/[^/]*$')
   if d == nil then return '.' end
   d = d:gsub('/+$', '')
   if d == '' then return '/' end
   return d
end

-- basename(p [, ext]): the last part of p, without '.ext' when it ends so.
function paths.basename(p, ext)
   p = check_str('basename', p)
   local b = p:gsub('/+$', ''):match('([^/]*)$')
   if ext then
      ext = check_str('basename', ext, 2):gsub('^%.', '')
      local suffix = '.' .. ext
      if #b > #suffix and b:sub(-#suffix) == suffix then b = b:sub(1, -#suffix - 1) end
   end
   return b
end

-- extname(p): the extension without its dot, nil when there is none.
function paths.extname(p)
   p = check_str('extname', p)
   return p:match('%.([^./]+)$')
end

paths.home = os.getenv('HOME') or '.'

function paths.uname()
   if ffi.os == 'Windows' then return 'Windows' end
   if ffi.os == 'OSX' then return 'Darwin' end
   return ffi.os
end
function paths.is_win() return paths.uname():match('Windows') end
function paths.is_mac() return paths.uname():match('Darwin') end

-- The folder of the running program (nnlua).
function paths.execdir()
   local exe = rawget(_G, '_NNLUA_EXE')
   if type(exe) ~= 'string' then return nil end
   return paths.dirname(exe)
end

-- A fresh temporary file name; the files are removed when the program ends.
local tmpfiles = {}
local sentinel = newproxy(true)
getmetatable(sentinel).__gc = function()
   for _, f in ipairs(tmpfiles) do os.remove(f) end
end
tmpfiles.sentinel = sentinel
function paths.tmpname()
   local f = os.tmpname()
   tmpfiles[#tmpfiles + 1] = f
   return f
end

-- mkdir(p): creates p and its missing parents; true, or nil, message, errno
-- (an existing p included, as Torch7).
function paths.mkdir(p)
   p = check_str('mkdir', p)
   if C.mkdir(p, tonumber('755', 8)) == 0 then return true end
   local err = { sys_error(p) }
   if err[3] == 2 then   -- ENOENT: a parent is missing
      local parent = paths.dirname(p)
      if parent ~= p and not paths.dirp(parent) and paths.mkdir(parent) then
         if C.mkdir(p, tonumber('755', 8)) == 0 then return true end
         return sys_error(p)
      end
   end
   return unpack(err, 1, 3)
end

function paths.rmdir(p)
   p = check_str('rmdir', p)
   if C.rmdir(p) == 0 then return true end
   return sys_error(p)
end

-- dir(p): the names in folder p, '.' and '..' included; nil when p is not
-- a folder.
function paths.dir(p)
   p = check_str('dir', p)
   local d = C.opendir(p)
   if d == nil then return nil end
   local names = {}
   while true do
      local e = C.readdir(d)
      if e == nil then break end
      names[#names + 1] = ffi.string(e.d_name)
   end
   C.closedir(d)
   return names
end

-- files(p [, filter]): an iterator over dir(p) ('.' and '..' included);
-- filter a Lua pattern the name must contain, or a function(name).
function paths.files(p, filter)
   p = check_str('files', p)
   local f = filter
   if type(filter) == 'string' then
      f = function(name) return name:find(filter) end
   elseif filter ~= nil and type(filter) ~= 'function' then
      error('paths.files: expected a pattern string or a function as argument 2, got ' .. type(filter), 2)
   end
   local names, i = paths.dir(p), 0
   return function()
      if not names then return nil end
      while true do
         i = i + 1
         local name = names[i]
         if name == nil then return nil end
         if not f or f(name) then return name end
      end
   end
end

function paths.iterfiles(p)
   p = check_str('iterfiles', p)
   return paths.files(p, function(name)
      return name ~= '.' and name ~= '..' and paths.filep(p .. '/' .. name)
   end)
end

function paths.iterdirs(p)
   p = check_str('iterdirs', p)
   return paths.files(p, function(name)
      return name ~= '.' and name ~= '..' and paths.dirp(p .. '/' .. name)
   end)
end

-- rmall(p, 'yes'): removes a file or a folder tree; true, or nil and why.
function paths.rmall(p, yes)
   p = check_str('rmall', p)
   if yes ~= 'yes' then return nil, "missing second argument ('yes')" end
   if paths.filep(p) then
      local ok, err = os.remove(p)
      if not ok then return nil, err, p end
      return true
   elseif paths.dirp(p) then
      for name in paths.files(p) do
         if name ~= '.' and name ~= '..' then
            local sub = p .. '/' .. name
            local ok, err = paths.rmall(sub, 'yes')
            if not ok then return nil, err, sub end
         end
      end
      return paths.rmdir(p)
   end
   return nil, 'not a file or directory', p
end

-- thisfile([name [, depth]]): the absolute name of the file of the calling
-- function (`depth` frames up, default 2); with name, that name beside it.
-- nil for code that is not in a file (the REPL, -e), or just name.
function paths.thisfile(name, depth)
   local info = debug.getinfo(depth or 2, 'S')
   local src = info and info.source
   local f
   if type(src) == 'string' and src:sub(1, 1) == '@' then f = paths.concat(src:sub(2)) end
   if type(name) == 'string' then
      if f then return paths.concat(paths.dirname(f), name) end
      return name
   end
   return f
end

-- dofile(name): runs name relative to the calling file's folder.
function paths.dofile(name, depth)
   check_str('dofile', name)
   local here = paths.thisfile(nil, 1 + (depth or 2))
   if here and name:sub(1, 1) ~= '/' then name = paths.concat(paths.dirname(here), name) end
   return dofile(name)
end

function paths.require(name)
   return require(name)
end

-- findprogram(name, ...): the first of the names found on PATH.
function paths.findprogram(...)
   for i = 1, select('#', ...) do
      local exe = check_str('findprogram', (select(i, ...)), i)
      for dir in (os.getenv('PATH') or '.'):gmatch('[^:]+') do
         local p = dir .. '/' .. exe
         if paths.filep(p) and C.access(p, 1) == 0 then return p end
      end
   end
   return nil
end

paths.dirsep = '/'
return paths

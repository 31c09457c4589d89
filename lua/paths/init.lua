-- paths: Torch7's file-system helpers (filep, dirp, concat, dirname,
-- basename, extname, mkdir, files, iterfiles, iterdirs, cwd, home,
-- thisfile, rmall), on libc through the FFI.
local ffi = require 'ffi'

local paths = {}
package.loaded.paths = paths
_G.paths = paths   -- a global in Torch7, as torch loads it

local reg = debug.getregistry()
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

local function check_str(fn, s)
   if type(s) ~= 'string' then error(string.format('paths.%s: expected a path string, got %s', fn, type(s)), 3) end
end

function paths.dirp(p)
   check_str('dirp', p)
   local d = ffi.C.opendir(p)
   if d == nil then return false end
   ffi.C.closedir(d)
   return true
end

function paths.filep(p)
   check_str('filep', p)
   if paths.dirp(p) then return false end
   local f = io.open(p, 'rb')
   if f then f:close() return true end
   return false
end

function paths.concat(...)
   local parts = { ... }
   if #parts == 0 then return paths.cwd() end
   local out
   for _, p in ipairs(parts) do
      check_str('concat', p)
      if p:sub(1, 1) == '/' or not out then out = p
      else out = out:gsub('/+$', '') .. '/' .. p end
   end
   if out:sub(1, 1) ~= '/' then out = paths.cwd() .. '/' .. out end
   return out
end

function paths.dirname(p)
   check_str('dirname', p)
   local d = p:gsub('/+$', ''):match('^(.*)/[^/]*$')
   if d == nil then return '.' end
   if d == '' then return '/' end
   return d
end

function paths.basename(p, ext)
   check_str('basename', p)
   local b = p:gsub('/+$', ''):match('([^/]*)$')
   if ext then
      ext = ext:gsub('^%.', '')
      b = b:gsub('%.' .. ext:gsub('%p', '%%%0') .. '$', '')
   end
   return b
end

function paths.extname(p)
   check_str('extname', p)
   return p:match('%.([^./]+)$')
end

function paths.cwd()
   local buf = ffi.new('char[4096]')
   if ffi.C.getcwd(buf, 4096) == nil then return '.' end
   return ffi.string(buf)
end

function paths.home() return os.getenv('HOME') or '.' end

function paths.mkdir(p)
   check_str('mkdir', p)
   if paths.dirp(p) then return true end
   return ffi.C.mkdir(p, tonumber('755', 8)) == 0
end

function paths.rmdir(p)
   check_str('rmdir', p)
   return ffi.C.rmdir(p) == 0
end

-- Iterates the names in a directory (without . and ..).
function paths.files(p, filter)
   check_str('files', p)
   local d = ffi.C.opendir(p)
   if d == nil then return function() return nil end end
   local done = false
   return function()
      while not done do
         local e = ffi.C.readdir(d)
         if e == nil then
            done = true
            ffi.C.closedir(d)
            return nil
         end
         local name = ffi.string(e.d_name)
         if (not filter or (type(filter) == 'string' and name:find(filter)) or (type(filter) == 'function' and filter(name))) then
            return name
         end
      end
   end
end

function paths.iterfiles(p)
   local it = paths.files(p)
   return function()
      for name in it do
         if name ~= '.' and name ~= '..' and paths.filep(p .. '/' .. name) then return name end
      end
   end
end

function paths.iterdirs(p)
   local it = paths.files(p)
   return function()
      for name in it do
         if name ~= '.' and name ~= '..' and paths.dirp(p .. '/' .. name) then return name end
      end
   end
end

function paths.rmall(p, yes)
   check_str('rmall', p)
   if yes ~= 'yes' then error('paths.rmall: pass "yes" as the second argument to delete ' .. p, 2) end
   if paths.dirp(p) then
      for name in paths.files(p) do
         if name ~= '.' and name ~= '..' then paths.rmall(p .. '/' .. name, 'yes') end
      end
      return paths.rmdir(p)
   end
   return os.remove(p) ~= nil
end

-- The file of the calling function (Torch7's paths.thisfile()).
function paths.thisfile(arg)
   local src = debug.getinfo(2, 'S').source
   local f = src:match('^@(.*)$')
   if not f then return nil end
   if f:sub(1, 1) ~= '/' then f = paths.cwd() .. '/' .. f end
   if arg then return paths.concat(paths.dirname(f), arg) end
   return f
end

paths.dirsep = '/'
return paths

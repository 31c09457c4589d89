-- nnlua_loader: reads bindings/nnlua.h into ffi.cdef and opens libnnlua.
-- It finds the header and the libraries relative to its own location, in
-- the build tree (bindings/ next to build/) and after `make install`
-- (share/nnlua/lua/ next to lib/nnlua/). The result is cached in the
-- registry: busted and other loaders may re-require modules, and running
-- ffi.cdef twice would fail.
local ffi = require 'ffi'

local reg = debug.getregistry()
if reg.nnlua_loader then return reg.nnlua_loader end

local here = debug.getinfo(1, 'S').source:match('^@(.*)/[^/]*$') or '.'

local function exists(p)
   local f = io.open(p, 'rb')
   if f then f:close() return true end
   return false
end

local function first(cands)
   for _, p in ipairs(cands) do if exists(p) then return p end end
end

local header = first { here .. '/nnlua.h', here .. '/../bindings/nnlua.h' }
if not header then error('nnlua: cannot find nnlua.h next to ' .. here) end

local builddir = os.getenv('NNLUA_BUILD') or 'build'
-- build tree; make install (PREFIX/lib/nnlua); luarocks (share/nnlua/lib)
local libdirs = { here .. '/../' .. builddir, here .. '/../../../lib/nnlua', here .. '/../lib' }
if os.getenv('NNLUA_LIBDIR') then table.insert(libdirs, 1, os.getenv('NNLUA_LIBDIR')) end
local libdir
for _, d in ipairs(libdirs) do
   if exists(d .. '/libnnlua.so') then libdir = d break end
end
if not libdir then
   error('nnlua: cannot find libnnlua.so (looked in ' .. table.concat(libdirs, ', ') .. '); run make')
end

local f = assert(io.open(header, 'rb'))
local src = f:read('*a')
f:close()
-- preprocessor lines go; everything else is plain C declarations
src = src:gsub('\n#[^\n]*', '\n'):gsub('^#[^\n]*', '')
ffi.cdef(src)

local M = {
   C = ffi.load(libdir .. '/libnnlua.so'),
   libdir = libdir,
   header = header,
   header_source = src,
}

-- The CUDA library is opened on first use only: machines without CUDA
-- never need it. Returns the namespace, or nil and the reason.
function M.cuda()
   if M.CU then return M.CU end
   if M.cuda_error then return nil, M.cuda_error end
   local path = libdir .. '/libnnlua_cuda.so'
   -- NNLUA_CUDA_LIB: another library in its place (the test build's CUDA
   -- emulator, docs/cudaemu.md); never loaded unless the variable names it
   local other = os.getenv('NNLUA_CUDA_LIB')
   if other and other ~= '' then
      path = other
      if not exists(path) then
         M.cuda_error = 'NNLUA_CUDA_LIB names ' .. path .. ', which does not exist'
         return nil, M.cuda_error
      end
   elseif not exists(path) then
      M.cuda_error = 'libnnlua_cuda.so was not built (no CUDA toolkit at build time)'
      return nil, M.cuda_error
   end
   local ok, lib = pcall(ffi.load, path)
   if not ok then
      M.cuda_error = 'cannot load libnnlua_cuda.so: ' .. tostring(lib)
      return nil, M.cuda_error
   end
   if lib.nl_cuda_init() ~= 0 then
      M.cuda_error = ffi.string(M.C.nl_last_error())
      return nil, M.cuda_error
   end
   M.CU = lib
   return lib
end

reg.nnlua_loader = M
return M

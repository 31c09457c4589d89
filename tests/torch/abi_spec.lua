-- The one-header ABI: the header parses, every declared function resolves
-- in the built libraries, and no struct field hides a method name.
local ffi = require 'ffi'
local torch = require 'torch'
local loader = torch._loader

local function declared_functions(src)
   local names = {}
   -- a declaration: a return type, a name, '(' at the start of a line
   for line in src:gmatch('[^\n]+') do
      local name = line:match('^[%w_ %*]-[%s%*]([%w_]+)%s*%(')
      if name and not line:match('^%s') and not line:match('typedef') then names[#names + 1] = name end
   end
   return names
end

describe('bindings/nnlua.h', function()
   local names = declared_functions(loader.header_source)

   it('declares the runtime API', function()
      assert.is_true(#names > 40, 'found only ' .. #names .. ' declarations')
   end)

   it('every declared function resolves in libnnlua or libnnlua_cuda', function()
      local cuda_path = loader.libdir .. '/libnnlua_cuda.so'
      local f = io.open(cuda_path, 'rb')
      local cudalib
      if f then
         f:close()
         cudalib = ffi.load(cuda_path)
      end
      local missing = {}
      for _, n in ipairs(names) do
         local ok = pcall(function() return loader.C[n] end)
         if not ok and n:match('^nl_cuda_') then
            if cudalib then ok = pcall(function() return cudalib[n] end) else ok = true end
         end
         if not ok then missing[#missing + 1] = n end
      end
      assert.are.same({}, missing)
   end)

   it('no tensor or storage field shares a method name', function()
      local core = torch._core
      for _, ct in ipairs { 'nl_tensor', 'nl_storage', 'nl_storage_ref' } do
         local fields = {}
         for field in loader.header_source:match('typedef struct ' .. ct .. ' {(.-)}'):gmatch('([%w_]+)%s*[%[;]') do
            fields[#fields + 1] = field
         end
         assert.is_true(#fields > 0)
         for _, field in ipairs(fields) do
            assert.is_truthy(field:match('^_[^_]'), ct .. '.' .. field .. ' must start with one underscore')
            assert.is_nil(rawget(core.TensorBase, field))
            assert.is_nil(rawget(core.StorageBase, field))
         end
      end
   end)
end)

describe('CUDA library', function()
   it('loads and registers, or explains why not', function()
      local lib, why = loader.cuda()
      if lib then
         assert.is_true(lib.nl_cuda_device_count() > 0)
         assert.are.equal(1, loader.C.nl_backend_cuda_available())
      else
         assert.is_string(why)
         assert.is_truthy(why:match('CUDA') or why:match('cuda') or why:match('device'))
         pending('no CUDA device here: ' .. why)
      end
   end)
end)

-- The CUDA emulator itself (docs/cudaemu.md): its barriers, shared memory,
-- launch checks, atomics and shuffles, through the kernels of
-- tests/cudaemu/selftest.cu. Runs in the emulator's pass of scripts/test
-- (NNLUA_CUDA_LIB names the emulator); the other passes have no emulator
-- loaded and define no test here.
local ffi = require 'ffi'
local lib_path = os.getenv('NNLUA_CUDA_LIB')
if not (lib_path and lib_path:find('cudaemu', 1, true)) then return end

describe('the CUDA emulator', function()
   pcall(ffi.cdef, 'const char *nl_cudaemu_selftest(const char *which);')
   local lib = ffi.load(lib_path)
   local function check(which) return ffi.string(lib.nl_cudaemu_selftest(which)) end

   it('is the device cutorch sees, one device', function()
      local ok, why = pcall(require, 'cutorch')
      assert(ok, why)
      assert.are.equal(1, cutorch.getDeviceCount())
   end)
   it('releases __syncthreads only when every thread of the block reached it', function()
      assert.are.equal('ok', check('barrier'))
   end)
   it('gives each launch its dynamic shared memory (extern __shared__)', function()
      assert.are.equal('ok', check('dynamic_shared'))
   end)
   it('lets threads that returned early not hold a barrier back', function()
      assert.are.equal('ok', check('early_exit'))
   end)
   it('fails a launch whose threads wait at different barriers', function()
      assert.are.equal('ok', check('split_barrier'))
   end)
   it('rejects bad launch configurations as CUDA does', function()
      assert.are.equal('ok', check('bad_launch'))
   end)
   it('rejects host pointers as kernel arguments and as the device side of copies', function()
      assert.are.equal('ok', check('host_pointer'))
   end)
   it('adds, mins and maxes atomically', function()
      assert.are.equal('ok', check('atomics'))
   end)
   it('exchanges values across a warp with shuffles', function()
      assert.are.equal('ok', check('shuffle'))
   end)
   it('numbers threads and blocks in 2-D grids as CUDA does', function()
      assert.are.equal('ok', check('indices'))
   end)
   it('faults host code that reads device memory directly, naming it', function()
      local script = os.tmpname()
      local f = assert(io.open(script, 'w'))
      f:write([[
require 'cutorch'
local ffi = require 'ffi'
local t = torch.CudaTensor(4):fill(1)
print('value', ffi.cast('float *', torch._core.C.nl_tensor_data(t))[0])
]])
      f:close()
      local p = io.popen(('NNLUA_CUDA_LIB=%q %q %q 2>&1'):format(lib_path, NNLUA_ROOT .. '/build/nnlua', script))
      local out = p:read('*a')
      p:close()
      os.remove(script)
      assert.is_truthy(out:find('host code touched device memory', 1, true), out)
      assert.is_falsy(out:find('value', 1, true), out)
   end)
   it('names an unknown check', function()
      assert.are.equal('no such check', check('nothing'))
   end)
end)

-- cudnn: Torch7's cudnn.torch names over nnlua's nn modules. Each
-- cudnn.X is a subclass of nn.X with cudnn.torch's constructor arguments
-- (cudnn.SpatialConvolution takes groups), so a model runs wherever its
-- tensors are: on CPU tensors as nn does, on CUDA tensors through
-- libnnlua_cuda, whose convolutions use cuDNN (cuda/conv_cudnn.cu) with
-- im2col + cuBLAS as the fallback. cudnn.convert(model, cudnn | nn
-- [, exclusion_fn]) turns modules of the one package into the other's.
--
-- Switches, as Torch7's fields: cudnn.benchmark (false: cuDNN's
-- heuristic picks each layer shape's algorithm; true: every algorithm is
-- timed once per shape and the fastest kept), cudnn.fastest (accepted; the
-- choice is always the heuristic's or the timed fastest), cudnn.verbose
-- (one line per algorithm choice on stderr), cudnn.allowTF32 (true, as
-- PyTorch allows TF32 in convolutions; false: full float precision) and
-- cudnn.enabled (false: im2col + cuBLAS only).
-- Defaults from NNLUA_CUDNN_BENCHMARK, NNLUA_CUDNN_TF32 and
-- NNLUA_CUDNN_VERBOSE; NNLUA_CUDNN=0 turns cuDNN off (im2col + cuBLAS).
local torch = require 'torch'
local nn = require 'nn'
local ffi = require 'ffi'
local reg = debug.getregistry()
if reg.nnlua_cudnn then
   package.loaded.cudnn = reg.nnlua_cudnn
   _G.cudnn = reg.nnlua_cudnn
   return reg.nnlua_cudnn
end

local cudnn = {}
reg.nnlua_cudnn = cudnn
package.loaded.cudnn = cudnn
_G.cudnn = cudnn

local function env_flag(name, default)
   local v = os.getenv(name)
   if v == nil or v == '' then return default end
   return not (v == '0' or v == 'false' or v == 'off')
end

cudnn.benchmark = env_flag('NNLUA_CUDNN_BENCHMARK', false)
cudnn.fastest = false
cudnn.verbose = env_flag('NNLUA_CUDNN_VERBOSE', false)
cudnn.allowTF32 = env_flag('NNLUA_CUDNN_TF32', true)
-- false: the convolutions run im2col + cuBLAS only (nnlua's own switch)
cudnn.enabled = env_flag('NNLUA_CUDNN', true)

-- The C side of the switches (libnnlua_cuda), once cutorch has loaded it.
local declared = false
local function declare()
   if declared then return end
   declared = true
   for _, d in ipairs {
      'int nl_cudnn_config(const char *key, int value);',
      'long long nl_cudnn_version(void);',
      'long long nl_cudnn_calls(int path);',
      'int nl_cudnn_clear_cache(void);',
      'const char *nl_cudnn_info(void);',
   } do pcall(ffi.cdef, d) end
end

local function cuda_lib()
   local CU = torch._loader.CU
   if CU then declare() end
   return CU
end

local pushed = {}
local SWITCHES = { benchmark = 'benchmark', allowTF32 = 'allow_tf32', verbose = 'verbose', enabled = 'enabled' }

-- Hands changed switches to libnnlua_cuda (a no-op before CUDA is
-- loaded); the convolution modules call it before each pass.
function cudnn._sync()
   local CU = cuda_lib()
   if not CU then return end
   for field, key in pairs(SWITCHES) do
      local v = cudnn[field] and 1 or 0
      if pushed[key] ~= v then
         CU.nl_cudnn_config(key, v)
         pushed[key] = v
      end
   end
end

-- cudnn.version: cuDNN's version number (90100 for 9.1.0), 0 where
-- libnnlua_cuda was built without cuDNN or libcudnn does not load; read
-- on first use (it opens the CUDA library, which needs no device).
local function read_version()
   local CU = cuda_lib()
   if not CU then
      local path = torch._loader.libdir .. '/libnnlua_cuda.so'
      local f = io.open(path, 'rb')
      if not f then return 0 end
      f:close()
      local ok, lib = pcall(ffi.load, path)
      if not ok then return 0 end
      declare()
      CU = lib
   end
   local ok, v = pcall(function() return tonumber(CU.nl_cudnn_version()) end)
   return ok and v or 0
end

setmetatable(cudnn, {
   __index = function(t, k)
      if k == 'version' then
         local v = read_version()
         rawset(t, 'version', v)
         return v
      end
   end,
})

-- Torch7's handle and stream accessors: the library keeps its own.
function cudnn.getHandle() return nil end
function cudnn.getStream() return nil end
function cudnn.errcheck(name, ...) return true end

-- Forgets every layer shape's descriptors and chosen algorithms.
function cudnn.reset()
   local CU = cuda_lib()
   if CU then CU.nl_cudnn_clear_cache() end
end

-- Passes served by cuDNN and by the im2col + cuBLAS fallback since the
-- last reset (cudnn.calls(true) resets): {cudnn = n, fallback = m}.
function cudnn.calls(reset)
   local CU = cuda_lib()
   if not CU then return { cudnn = 0, fallback = 0 } end
   local r = { cudnn = tonumber(CU.nl_cudnn_calls(0)), fallback = tonumber(CU.nl_cudnn_calls(1)) }
   if reset then CU.nl_cudnn_calls(-1) end
   return r
end

-- Why cuDNN is not in use ('' when it is, or no CUDA library yet).
function cudnn.info()
   local CU = cuda_lib()
   if not CU then return 'CUDA is not loaded (require \'cutorch\')' end
   return ffi.string(CU.nl_cudnn_info())
end

-- The methods every cudnn convolution has: Torch7's algorithm choices
-- are recorded (the library chooses per shape: cudnn.benchmark), and each
-- pass first hands the switches to the library.
function cudnn._convolution(cls)
   function cls:fastest(mode)
      if mode == nil then mode = true end
      self.fastest_mode = mode
      return self
   end
   function cls:setMode(fmode, bdmode, bwmode)
      self.fmode, self.bdmode, self.bwmode = fmode, bdmode, bwmode
      return self
   end
   function cls:resetMode()
      self.fmode, self.bdmode, self.bwmode = nil, nil, nil
      return self
   end
   function cls:clearDesc() return self end
   function cls:resetWeightDescriptors() return self end
   for _, m in ipairs { 'updateOutput', 'updateGradInput', 'accGradParameters' } do
      local f = cls[m]
      cls[m] = function(self, ...)
         cudnn._sync()
         return f(self, ...)
      end
   end
   return cls
end

-- the classes: convolutions (own files), then the others (cudnn.modules)
for _, name in ipairs {
   'SpatialConvolution', 'SpatialFullConvolution', 'SpatialDilatedConvolution', 'VolumetricConvolution',
   'VolumetricFullConvolution', 'VolumetricDilatedConvolution', 'TemporalConvolution',
} do require('cudnn.' .. name) end
require 'cudnn.modules'
require 'cudnn.convert'

return cudnn

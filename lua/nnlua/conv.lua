-- nnlua.conv: the CPU engine of float SpatialConvolution(MM) (and its
-- dilated form): 'gemm' (im2col + OpenBLAS), 'onednn' (oneDNN's direct
-- convolution, build/libnnlua_dnnl.so) or 'auto' (the default: each
-- direction and shape times both once and keeps the faster, as
-- cudnn.benchmark does). NNLUA_CONV_ENGINE sets the default.
--   local conv = require 'nnlua.conv'
--   conv.engine('onednn')   -- returns the previous engine's name
--   conv.available()        -- true, path | false, why oneDNN did not load
local ffi = require 'ffi'
local torch = require 'torch'
local C = torch._core.C

local M = {}

local names = { [0] = 'auto', 'gemm', 'onednn' }
local codes = { auto = 0, gemm = 1, onednn = 2 }

-- the engine's name; with a name, sets it and returns the previous one
function M.engine(name)
   local old = names[C.nl_conv_get_engine()]
   if name ~= nil then
      local code = codes[name]
      if not code then
         error(string.format("nnlua.conv.engine: expected 'auto', 'gemm' or 'onednn', got %s", tostring(name)), 2)
      end
      C.nl_conv_set_engine(code)
   end
   return old
end

function M.available()
   local ok = C.nl_conv_onednn_available() ~= 0
   return ok, ffi.string(C.nl_conv_onednn_info())
end

-- calls each engine served since the last reset: { gemm = n, onednn = n }
function M.calls()
   return { gemm = C.nl_conv_engine_calls(1), onednn = C.nl_conv_engine_calls(2) }
end

-- forgets auto's choices and the call counts
function M.reset()
   C.nl_conv_engine_reset()
end

return M

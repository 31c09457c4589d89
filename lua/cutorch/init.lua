-- cutorch: CUDA tensors. Loads libnnlua_cuda on first require (machines
-- without CUDA never need it) and adds Torch7's CUDA classes:
-- torch.CudaTensor (float), CudaDoubleTensor, CudaLongTensor, ... with
-- the same methods as CPU tensors; each op runs where its tensors live.
local torch = require 'torch'
local core = torch._core
local reg = debug.getregistry()
if reg.nnlua_cutorch then
   package.loaded.cutorch = reg.nnlua_cutorch
   _G.cutorch = reg.nnlua_cutorch   -- a second require (another environment) sees the global too
   return reg.nnlua_cutorch
end

local lib, why = torch._loader.cuda()
if not lib then error(tostring(why), 2) end

local cutorch = {}
reg.nnlua_cutorch = cutorch
package.loaded.cutorch = cutorch
_G.cutorch = cutorch
cutorch._lib = lib

-- The classes of every dtype the runtime lists, named by it
-- ('torch.CudaTensor' for float); Half is a host storage type only.
local ffi = require 'ffi'
local C = core.C
for d = 0, C.NL_NUM_DTYPES - 1 do
   if d ~= C.NL_HALF then
      local full = ffi.string(C.nl_dtype_tensor_name(d, C.NL_CUDA))
      local cname = full:match('^torch%.(.*)$')
      torch[cname] = core.make_tensor_class(d, C.NL_CUDA, full)
      core.type_of_name[full] = { d, C.NL_CUDA }
      local sname = cname:gsub('Tensor$', 'Storage')
      torch[sname] = core.make_storage_class(d, C.NL_CUDA, 'torch.' .. sname)
   end
end

-- t:cuda() -> torch.CudaTensor, as in cutorch
function core.TensorBase.cuda(t) return t:type('torch.CudaTensor') end
function core.TensorBase.cudaDouble(t) return t:type('torch.CudaDoubleTensor') end
function core.TensorBase.cudaLong(t) return t:type('torch.CudaLongTensor') end
function core.TensorBase.getDevice(t) return t._device == C.NL_CUDA and 1 or -1 end

function cutorch.getDeviceCount() return lib.nl_cuda_device_count() end
function cutorch.getDevice() return 1 end
function cutorch.setDevice(d)
   if d ~= 1 then core.raise('cutorch.setDevice: only device 1 is supported in this version, got ' .. tostring(d)) end
end
function cutorch.synchronize() core.check(lib.nl_cuda_synchronize()) end
function cutorch.emptyCache() lib.nl_cuda_empty_cache() end
torch._empty_cuda_cache = cutorch.emptyCache
function cutorch.getMemoryUsage()
   return tonumber(C.nl_mem_live(C.NL_CUDA))
end

return cutorch

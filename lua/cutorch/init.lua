-- cutorch: CUDA tensors. Loads libnnlua_cuda on first require (machines
-- without CUDA never need it) and adds Torch7's CUDA classes:
-- torch.CudaTensor (float), CudaDoubleTensor, CudaLongTensor, ... with
-- the same methods as CPU tensors; each op runs where its tensors live.
local torch = require 'torch'
local core = torch._core
local reg = debug.getregistry()
if reg.nnlua_cutorch then
   package.loaded.cutorch = reg.nnlua_cutorch
   return reg.nnlua_cutorch
end

local lib, why = torch._loader.cuda()
if not lib then error(tostring(why), 2) end

local cutorch = {}
reg.nnlua_cutorch = cutorch
package.loaded.cutorch = cutorch
_G.cutorch = cutorch
cutorch._lib = lib

local names = { Byte = 'CudaByteTensor', Char = 'CudaCharTensor', Short = 'CudaShortTensor',
   Int = 'CudaIntTensor', Long = 'CudaLongTensor', Float = 'CudaTensor', Double = 'CudaDoubleTensor' }
for i, n in ipairs(core.dtype_names) do
   local cname = names[n]
   if cname then
      local full = 'torch.' .. cname
      torch[cname] = core.make_tensor_class(i - 1, 1, full)
      core.type_of_name[full] = { i - 1, 1 }
      local sname = cname:gsub('Tensor$', 'Storage')
      torch[sname] = core.make_storage_class(i - 1, 1, 'torch.' .. sname)
   end
end

-- t:cuda() -> torch.CudaTensor, as in cutorch
function core.TensorBase.cuda(t) return t:type('torch.CudaTensor') end
function core.TensorBase.cudaDouble(t) return t:type('torch.CudaDoubleTensor') end
function core.TensorBase.cudaLong(t) return t:type('torch.CudaLongTensor') end
function core.TensorBase.getDevice(t) return t._device == 1 and 1 or -1 end

function cutorch.getDeviceCount() return lib.nl_cuda_device_count() end
function cutorch.getDevice() return 1 end
function cutorch.setDevice(d)
   if d ~= 1 then core.raise('cutorch.setDevice: only device 1 is supported in this version, got ' .. tostring(d)) end
end
function cutorch.synchronize() core.check(lib.nl_cuda_synchronize()) end
function cutorch.emptyCache() lib.nl_cuda_empty_cache() end
torch._empty_cuda_cache = cutorch.emptyCache
function cutorch.getMemoryUsage()
   return tonumber(core.C.nl_mem_live(1))
end

return cutorch

-- What the cunn specs share: whether CUDA modules can run here (cunn loads
-- and finds a device, or NNLUA_CUNN_SPEC_CPU=1 runs the same comparisons
-- with CPU tensors to check a spec on a machine without a GPU), the tensor
-- types of the device under test, and the comparison with the CPU.
local spec = require 'tests.spec_util'

local M = {}
M.as_cpu = os.getenv('NNLUA_CUNN_SPEC_CPU') == '1'
M.ok, M.why = true, nil
if not M.as_cpu then M.ok, M.why = pcall(require, 'cunn') end
M.pending_reason = 'no CUDA device here: ' .. tostring(M.why)
M.FT = M.as_cpu and 'torch.FloatTensor' or 'torch.CudaTensor'
M.DT = M.as_cpu and 'torch.DoubleTensor' or 'torch.CudaDoubleTensor'
M.LT = M.as_cpu and 'torch.LongTensor' or 'torch.CudaLongTensor'

-- gpu (a device tensor or number) equals cpu within tol: same sizes, then
-- the values in double
function M.close(gpu, cpu, tol)
   if type(cpu) == 'number' then return spec.close(gpu, cpu, tol, tol) end
   if gpu:dim() ~= cpu:dim() then return false end
   for d = 1, cpu:dim() do
      if gpu:size(d) ~= cpu:size(d) then return false end
   end
   return spec.close(gpu:double(), cpu:double(), tol, tol)
end

return M

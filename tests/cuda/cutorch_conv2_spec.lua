-- torch.conv2/xcorr2/conv3/xcorr3 on CUDA tensors (cuda/math_conv.cu)
-- against the CPU in double: one plane, 3-D input with 4-D kernels, the
-- map form, full mode, strided arguments, an integer tensor, a result
-- argument. Pending, with the reason, where no CUDA device is present (the
-- CUDA emulator pass of `make test` runs it).
local torch = require 'torch'

local ok, why = pcall(require, 'cutorch')

describe('cutorch torch.conv2 and friends', function()
   if not ok then
      it('needs a CUDA device', function() pending('no CUDA device here: ' .. tostring(why)) end)
      return
   end

   local function maxdiff(gpu, cpu) return (gpu:double() - cpu):abs():max() end

   it('match the CPU on every form', function()
      torch.manualSeed(2)
      local x, k = torch.randn(9, 8), torch.randn(3, 2)
      local x3, k4, k3 = torch.randn(2, 7, 6), torch.randn(3, 2, 2, 3), torch.randn(2, 3, 3)
      local v, kv = torch.randn(4, 5, 6), torch.randn(2, 2, 3)
      local D = 'torch.CudaDoubleTensor'
      for _, mode in ipairs { 'V', 'F' } do
         assert.is_true(maxdiff(torch.conv2(x:type(D), k:type(D), mode), torch.conv2(x, k, mode)) < 1e-12)
         assert.is_true(maxdiff(torch.xcorr2(x3:type(D), k4:type(D), mode), torch.xcorr2(x3, k4, mode)) < 1e-12)
         assert.is_true(maxdiff(torch.conv2(x3:type(D), k3:type(D), mode), torch.conv2(x3, k3, mode)) < 1e-12)
         assert.is_true(maxdiff(torch.conv3(v:type(D), kv:type(D), mode), torch.conv3(v, kv, mode)) < 1e-12)
      end
      -- strided input and kernel, float
      local xs = x:cuda():t()
      assert.is_false(xs:isContiguous())
      assert.is_true(maxdiff(torch.xcorr2(xs, k:cuda():t()), torch.xcorr2(x:t(), k:t())) < 1e-4)
      -- a result argument, and x:conv2(k)
      local r = torch.CudaTensor()
      torch.conv2(r, x:cuda(), k:cuda(), 'F')
      assert.is_true(maxdiff(r, torch.conv2(x, k, 'F')) < 1e-4)
      assert.are.same({ 7, 7 }, x:cuda():conv2(k:cuda()):size():totable())
   end)

   it('integer tensors round as the CPU', function()
      local xi = torch.IntTensor(5, 6):random(-9, 9)
      local ki = torch.IntTensor(2, 3):random(-3, 3)
      local gpu = torch.conv2(xi:type('torch.CudaIntTensor'), ki:type('torch.CudaIntTensor'), 'F')
      assert.are.equal('torch.CudaIntTensor', torch.type(gpu))
      assert.are.same(torch.conv2(xi, ki, 'F'):totable(), gpu:int():totable())
   end)
end)

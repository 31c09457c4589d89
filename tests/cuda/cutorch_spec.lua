-- CUDA tensors against the CPU: copies, elementwise ops, comparisons,
-- reductions and addmm, on contiguous and non-contiguous views. Skipped,
-- with the reason, where no CUDA device is present.
local torch = require 'torch'
local spec = require 'tests.spec_util'

local ok, why = pcall(require, 'cutorch')

describe('cutorch', function()
   if not ok then
      it('needs a CUDA device', function() pending('no CUDA device here: ' .. tostring(why)) end)
      return
   end

   local function close(gpu, cpu, tol)
      return spec.close(gpu:double(), cpu:double(), tol or 1e-5, tol or 1e-5)
   end
   local function data(...)
      torch.manualSeed(7)
      return torch.randn(...)
   end

   it('copies every dtype both ways, with non-contiguous views', function()
      for _, ty in ipairs { 'Byte', 'Int', 'Long', 'Float', 'Double' } do
         local cpu = torch[ty .. 'Tensor'](3, 4):copy(torch.range(1, 12):view(3, 4))
         local g = cpu:type(ty == 'Float' and 'torch.CudaTensor' or 'torch.Cuda' .. ty .. 'Tensor')
         assert.is_true(g:type():match('Cuda') ~= nil)
         assert.are.same(cpu:totable(), g:type(cpu:type()):totable())
         assert.are.same(cpu:t():totable(), g:t():type(cpu:type()):totable())
      end
      local x = data(5, 6)
      local g = x:cuda()
      assert.are.equal('torch.CudaTensor', torch.type(g))
      assert.is_true(close(g:narrow(2, 2, 3), x:narrow(2, 2, 3)))
      local t = torch.CudaTensor(6, 5):copy(x:t())
      assert.is_true(close(t, x:t()))
      g:fill(2.5)
      assert.are.equal(2.5, g:double()[3][4])
   end)

   it('elementwise ops match the CPU', function()
      local x, y = data(7, 9), data(7, 9):add(3)
      local gx, gy = x:cuda(), y:cuda()
      for _, f in ipairs { 'tanh', 'exp', 'abs', 'sigmoid', 'neg', 'floor' } do
         assert.is_true(close(torch[f](gx), torch[f](x:float())), f)
      end
      assert.is_true(close(torch.add(gx, 2, gy), torch.add(x, 2, y)))
      assert.is_true(close(torch.cmul(gx:t(), gy:t()), torch.cmul(x:t(), y:t())))
      assert.is_true(close(torch.cdiv(gx, gy), torch.cdiv(x, y)))
      assert.is_true(close(gx:clone():mul(3):add(1), x:clone():mul(3):add(1)))
      assert.is_true(close(torch.addcmul(gx, 0.5, gx, gy), torch.addcmul(x, 0.5, x, y)))
      assert.are.same(x:gt(0):totable(), gx:gt(0):byte():totable())
      assert.is_true(close(torch.pow(gy, 2), torch.pow(y, 2)))
      assert.is_true(close(torch.clamp(gx, -0.5, 0.5), torch.clamp(x, -0.5, 0.5)))
   end)

   it('reductions match the CPU', function()
      local x = data(33, 17)
      local gx = x:cuda()
      assert.is_true(math.abs(gx:sum() - x:float():sum()) < 1e-3)
      assert.is_true(math.abs(gx:max() - x:max()) < 1e-6)
      assert.is_true(math.abs(gx:std() - x:std()) < 1e-4)
      assert.is_true(math.abs(gx:norm() - x:norm()) < 1e-4)
      assert.is_true(close(gx:sum(1), x:sum(1), 1e-4))
      assert.is_true(close(gx:t():mean(2), x:t():mean(2), 1e-5))
      local gv, gi = gx:max(2)
      local v, i = x:max(2)
      assert.is_true(close(gv, v))
      assert.are.same(i:totable(), gi:long():totable())
   end)

   it('addmm goes through cuBLAS, with transposed operands', function()
      local a, b, m = data(64, 33), data(33, 17), data(64, 17)
      local ga, gb, gm = a:cuda(), b:cuda(), m:cuda()
      assert.is_true(close(torch.mm(ga, gb), torch.mm(a:float(), b:float()), 1e-4))
      assert.is_true(close(torch.addmm(gm, 0.5, ga, gb), torch.addmm(m, 0.5, a, b), 1e-4))
      local at, bt = a:t():contiguous(), b:t():contiguous()
      assert.is_true(close(torch.mm(at:cuda():t(), bt:cuda():t()), torch.mm(a, b), 1e-4))
      local d = torch.CudaDoubleTensor(64, 17)
      d:mm(a:cudaDouble(), b:cudaDouble())
      assert.is_true(spec.close(d:double(), torch.mm(a, b), 1e-12, 1e-12))
   end)

   it('synchronize waits for launched kernels; results are then readable', function()
      local a = data(512, 512):cuda()
      local r = torch.CudaTensor(512, 512)
      for _ = 1, 20 do r:mm(a, a) end
      cutorch.synchronize()
      assert.is_true(close(r, torch.mm(a:float(), a:float()), 1e-3))
   end)

   it('mixing devices is a clear error', function()
      assert.has_error(function() torch.add(torch.CudaTensor(3), torch.FloatTensor(3)) end,
         'add: tensor types differ: torch.CudaTensor and torch.FloatTensor; convert one with :type()')
   end)
end)

-- The CUDA entry points past elementwise math: batched BLAS, indexing,
-- sort/topk, shape ops, cumulative ops, dist, fused optim steps against the
-- CPU through the Lua API; the Philox generator by its statistics, its
-- seeding and its state (it is cutorch's own, not the CPU's stream).
-- Skipped, with the reason, where no CUDA device is present.
local torch = require 'torch'
local ffi = require 'ffi'
local spec = require 'tests.spec_util'

local ok, why = pcall(require, 'cutorch')

describe('CUDA entry points', function()
   if not ok then
      it('needs a CUDA device', function() pending('no CUDA device here: ' .. tostring(why)) end)
      return
   end
   local CU = cutorch._lib
   for _, decl in ipairs { 'int nl_cuda_manual_seed(int64_t seed);', 'int nl_cuda_get_rng_state(nl_tensor *res);',
                           'int nl_cuda_set_rng_state(const nl_tensor *state);' } do
      pcall(ffi.cdef, decl)
   end

   -- the CPU's draws (each test seeds the CPU generator first)
   local function data(...) return torch.randn(...) end
   before_each(function() torch.manualSeed(21) end)
   local function close(gpu, cpu, tol)
      return spec.close(gpu:double(), cpu:double(), tol or 1e-4, tol or 1e-4)
   end

   it('batched products and dot match the CPU (contiguous and transposed)', function()
      local a, b, m = data(4, 3, 5), data(4, 5, 2), data(4, 3, 2)
      local ga, gb, gm = a:cuda(), b:cuda(), m:cuda()
      assert.is_true(close(torch.bmm(ga, gb), torch.bmm(a:float(), b:float())))
      assert.is_true(close(torch.baddbmm(gm, 0.5, gm, 2, ga, gb), torch.baddbmm(m, 0.5, m, 2, a, b)))
      local at = a:transpose(2, 3):contiguous():transpose(2, 3)
      assert.is_true(close(torch.bmm(at:cuda(), gb), torch.bmm(at, b)))
      local r = data(3, 2)
      assert.is_true(close(torch.addbmm(r:cuda(), ga, gb), torch.addbmm(r, a, b)))
      local x, y = data(50), data(50)
      assert.is_true(math.abs(x:cuda():dot(y:cuda()) - x:dot(y)) < 1e-4)
      assert.is_true(math.abs(x:view(5, 10):t():cuda():dot(y:view(5, 10):t():cuda()) - x:view(5, 10):t():dot(y:view(5, 10):t())) < 1e-4)
      -- addmm into a result aliasing a factor
      local s = data(4, 4)
      local gs = s:cuda()
      gs:addmm(0, gs, 1, gs, gs)
      assert.is_true(close(gs, torch.mm(s, s)))
   end)

   it('indexing matches the CPU', function()
      local x = data(5, 6)
      local gx = x:cuda()
      local idx = torch.LongTensor { 3, 1, 3, 5 }
      assert.is_true(close(gx:index(1, idx:cudaLong()), x:index(1, idx)))
      assert.is_true(close(gx:index(2, idx:cudaLong()), x:index(2, idx)))
      local src = data(4, 6)
      assert.is_true(close(gx:clone():indexAdd(1, idx:cudaLong(), src:cuda()), x:clone():indexAdd(1, idx, src)))
      assert.is_true(close(gx:clone():indexCopy(1, idx:cudaLong(), src:cuda()), x:clone():indexCopy(1, idx, src)))
      assert.is_true(close(gx:clone():indexFill(2, idx:cudaLong(), 7), x:clone():indexFill(2, idx, 7)))
      local g = torch.LongTensor { { 1, 2 }, { 6, 6 }, { 3, 1 }, { 2, 2 }, { 5, 4 } }
      assert.is_true(close(gx:gather(2, g:cudaLong()), x:gather(2, g)))
      local sc = data(5, 2)
      assert.is_true(close(gx:clone():scatter(2, g:cudaLong(), sc:cuda()), x:clone():scatter(2, g, sc)))
      local mask = x:gt(0.2)
      local gmask = mask:type('torch.CudaByteTensor')
      assert.is_true(close(gx:maskedSelect(gmask), x:maskedSelect(mask)))
      assert.is_true(close(gx:clone():maskedFill(gmask, -1), x:clone():maskedFill(mask, -1)))
      assert.are.same(x:nonzero():totable(), gx:nonzero():long():totable())
      local ok2, err = pcall(function() gx:index(1, torch.LongTensor { 9 }:cudaLong()) end)
      assert.is_false(ok2)
      assert.is_truthy(tostring(err):find('out of range', 1, true))
   end)

   it('sort and topk match the CPU, ties in position order', function()
      local x = torch.Tensor { { 3, 1, 2, 1 }, { 0, 0, 5, -1 } }
      for _, desc in ipairs { false, true } do
         local v, i = x:cuda():sort(2, desc)
         local cv, ci = x:sort(2, desc)
         assert.are.same(cv:totable(), v:double():totable())
         assert.are.same(ci:totable(), i:long():totable())
      end
      local y = data(7, 40)
      local v, i = y:cuda():topk(5, 2, true, true)
      local cv, ci = y:topk(5, 2, true, true)
      assert.is_true(close(v, cv))
      assert.are.same(ci:totable(), i:long():totable())
   end)

   it('shape, cumulative and distance ops match the CPU', function()
      local x = data(4, 6)
      local gx = x:cuda()
      assert.is_true(close(gx:tril(1), x:tril(1)))
      assert.is_true(close(gx:triu(-1), x:triu(-1)))
      assert.is_true(close(gx:diag(2), x:diag(2)))
      assert.is_true(close(torch.diag(gx:select(1, 1), -1), torch.diag(x:select(1, 1), -1)))
      assert.is_true(close(torch.eye(torch.CudaTensor(), 3, 5), torch.eye(3, 5)))
      assert.is_true(close(torch.cat(gx, gx:narrow(1, 1, 2), 1), torch.cat(x, x:narrow(1, 1, 2), 1)))
      assert.is_true(close(gx:cumsum(2), x:cumsum(2)))
      assert.is_true(close(gx:t():cumprod(1), x:t():cumprod(1)))
      local y = data(4, 6):mul(2)
      for _, p in ipairs { 0, 1, 2, 3.5, math.huge } do
         assert.is_true(math.abs(gx:dist(y:cuda(), p) - x:dist(y, p)) < 1e-3 * (1 + x:dist(y, p)), 'dist p = ' .. p)
      end
      local c1, c2 = data(3, 5), data(3, 5)
      assert.is_true(close(torch.cross(c1:cuda(), c2:cuda(), 1), torch.cross(c1, c2, 1)))
      assert.is_true(torch.cross(c1, c2, 1):abs():max() > 0.1)
   end)

   it('Philox draws have the distributions asked for, and a seed replays them', function()
      CU.nl_cuda_manual_seed(123)
      -- double: a float draw just below 2 may round to 2
      local u = torch.CudaDoubleTensor(200000):uniform(-1, 2):double()
      assert.is_true(u:min() >= -1 and u:max() < 2)
      assert.is_true(math.abs(u:mean() - 0.5) < 0.02)
      local n = torch.CudaDoubleTensor(200000):normal(0.5, 2):double()
      assert.is_true(math.abs(n:mean() - 0.5) < 0.03 and math.abs(n:std() - 2) < 0.03)
      local b = torch.CudaTensor(200000):bernoulli(0.3):double()
      assert.is_true(math.abs(b:mean() - 0.3) < 0.01)
      local r = torch.CudaLongTensor(60000):random(1, 6):double()
      assert.are.equal(1, r:min())
      assert.are.equal(6, r:max())
      local p = torch.randperm(torch.CudaLongTensor(), 1000):long()
      assert.are.same(torch.range(1, 1000):long():totable(), p:sort():totable())
      CU.nl_cuda_manual_seed(7)
      local a1 = torch.CudaTensor(3, 4):uniform():double()
      local state = torch.ByteTensor()
      assert.are.equal(0, CU.nl_cuda_get_rng_state(state))
      local a2 = torch.CudaTensor(3, 4):uniform():double()
      CU.nl_cuda_manual_seed(7)
      assert.are.same(a1:totable(), torch.CudaTensor(3, 4):uniform():double():totable())
      assert.are.equal(0, CU.nl_cuda_set_rng_state(state))
      -- the same row-major positions draw the same values on a strided view
      local v = torch.CudaTensor(4, 3):t()
      v:uniform()
      assert.are.same(a2:totable(), v:double():totable())
      assert.is_false(a1:equal(a2))
   end)

   it('fused optim steps match the CPU', function()
      local x, g = data(100), data(100)
      local state = { learningRate = 0.1, momentum = 0.9 }
      local cx, cg = x:clone(), g:clone()
      local gx, gg = x:cuda(), g:cuda()
      local optim = require 'optim'
      for _ = 1, 3 do
         optim.sgd(function() return 0, cg end, cx, state)
      end
      local gstate = { learningRate = 0.1, momentum = 0.9 }
      for _ = 1, 3 do
         optim.sgd(function() return 0, gg end, gx, gstate)
      end
      assert.is_true(close(gx, cx:float(), 1e-4))
      local ax, ag = x:clone(), g:clone()
      local gax = x:cuda()
      local s1, s2 = {}, {}
      for _ = 1, 3 do
         optim.adam(function() return 0, ag end, ax, s1)
         optim.adam(function() return 0, ag:cuda() end, gax, s2)
      end
      assert.is_true(close(gax, ax:float(), 1e-4))
   end)
end)

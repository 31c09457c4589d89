-- The remaining nn layers (Bilinear, Euclidean, WeightedEuclidean, Cosine,
-- LookupTable, Normalize, Padding, PReLU, RReLU): values against plain
-- Lua loops, Jacobians in double on the input and every parameter, batch
-- and single-sample modes, non-contiguous inputs, and the messages of bad
-- inputs.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')

local TOL = 1e-5 -- central differences in double

-- input and every parameter of m, through nn.Jacobian
local function jacobians(m, x)
   local err = nn.Jacobian.testJacobian(m, x, -1.5, 1.5)
   assert.is_true(err < TOL, 'input gradient error ' .. err)
   local ps, gs = m:parameters()
   for i, p in ipairs(ps or {}) do
      local perr = nn.Jacobian.testJacobianParameters(m, x, p, gs[i], -1.5, 1.5)
      assert.is_true(perr < TOL, 'parameter ' .. i .. ' gradient error ' .. perr)
   end
end

local function close(a, b, tol)
   local d = U.maxdiff(a, b)
   assert.is_true(d <= (tol or 1e-12), 'difference ' .. d)
end

describe('nn.Bilinear', function()
   local function ref(m, x1, x2)
      local N, K, I, J = x1:size(1), m.weight:size(1), m.weight:size(2), m.weight:size(3)
      local y = torch.zeros(N, K)
      for n = 1, N do
         for k = 1, K do
            local s = m.bias and m.bias[k] or 0
            for i = 1, I do
               for j = 1, J do s = s + x1[n][i] * m.weight[k][i][j] * x2[n][j] end
            end
            y[n][k] = s
         end
      end
      return y
   end

   -- largest |analytic - numeric| derivative of sum(y .* R) over both
   -- inputs and the parameters, scale 0.5
   local function tableJacobian(m, x1, x2)
      local R = torch.randn(x1:size(1), m.weight:size(1))
      local function f() return m:forward({ x1, x2 }):clone():cmul(R):sum() end
      m:zeroGradParameters()
      m:forward({ x1, x2 })
      local gi = m:backward({ x1, x2 }, R, 0.5)
      gi = { gi[1]:clone(), gi[2]:clone() }
      local worst = 0
      local function check(t, g, scale)
         local flat, gflat = t:view(-1), g:contiguous():view(-1)
         for i = 1, flat:nElement() do
            local v = flat[i]
            flat[i] = v + 1e-6
            local fp = f()
            flat[i] = v - 1e-6
            local fm = f()
            flat[i] = v
            worst = math.max(worst, math.abs(scale * (fp - fm) / 2e-6 - gflat[i]))
         end
      end
      check(x1, gi[1], 1)
      check(x2, gi[2], 1)
      local ps, gs = m:parameters()
      for k, p in ipairs(ps) do check(p, gs[k], 0.5) end
      return worst
   end

   it('matches plain loops, with and without bias', function()
      torch.manualSeed(1)
      for _, bias in ipairs { true, false } do
         local m = nn.Bilinear(3, 4, 5, bias)
         local x1, x2 = torch.randn(6, 3), torch.randn(6, 4)
         close(m:forward({ x1, x2 }), ref(m, x1, x2))
         assert.are.equal(bias, m.bias ~= nil)
         local ps = m:parameters()
         assert.are.equal(bias and 2 or 1, #ps)
      end
   end)

   it('has exact gradients for both inputs and the parameters (accGradParameters honours scale)', function()
      torch.manualSeed(2)
      for _, bias in ipairs { true, false } do
         local m = nn.Bilinear(3, 2, 4, bias)
         assert.is_true(tableJacobian(m, torch.randn(5, 3), torch.randn(5, 2)) < TOL)
      end
   end)

   it('takes non-contiguous inputs', function()
      torch.manualSeed(3)
      local m = nn.Bilinear(3, 4, 2)
      local x1, x2 = torch.randn(5, 3), torch.randn(5, 4)
      local y = m:forward({ x1, x2 }):clone()
      local go = torch.randn(5, 2)
      local g = m:backward({ x1, x2 }, go)
      local g1, g2 = g[1]:clone(), g[2]:clone()
      close(m:forward({ U.noncontig(x1), U.noncontig(x2) }), y)
      local h = m:backward({ U.noncontig(x1), U.noncontig(x2) }, U.noncontig(go))
      close(h[1], g1)
      close(h[2], g2)
   end)

   it('prints as Torch7 and names itself in errors', function()
      assert.are.equal('nn.Bilinear(3x4 -> 2) ', tostring(nn.Bilinear(3, 4, 2)))
      assert.are.equal('nn.Bilinear(3x4 -> 2)  without bias', tostring(nn.Bilinear(3, 4, 2, false)))
      local m = nn.Bilinear(3, 4, 2)
      assert.has_error(function() m:forward({ torch.randn(2, 3), torch.randn(2, 5) }) end,
         'nn.Bilinear(3x4 -> 2): input should be {N x 3, N x 4}, got {2x3, 2x5}')
      assert.has_error(function() m:forward(torch.randn(2, 3)) end,
         'nn.Bilinear(3x4 -> 2): input should be a table {N x 3, N x 4} of two tensors, got a tensor of size 2x3')
      m:forward({ torch.randn(2, 3), torch.randn(2, 4) })
      assert.has_error(function() m:backward({ torch.randn(2, 3), torch.randn(2, 4) }, torch.randn(2, 3)) end,
         'nn.Bilinear(3x4 -> 2): gradOutput should be a 2x2 torch.DoubleTensor, got torch.DoubleTensor of size 2x3')
   end)
end)

describe('nn.Euclidean and nn.WeightedEuclidean', function()
   local function ref(m, x)
      local batch = x:dim() == 2
      local X = batch and x or x:view(1, -1)
      local I, J = m.weight:size(1), m.weight:size(2)
      local y = torch.zeros(X:size(1), J)
      for n = 1, X:size(1) do
         for j = 1, J do
            local s = 0
            for i = 1, I do
               local d = X[n][i] - m.weight[i][j]
               if m.diagCov then d = d * m.diagCov[i][j] end
               s = s + d * d
            end
            y[n][j] = math.sqrt(s)
         end
      end
      return batch and y or y[1]
   end

   for _, name in ipairs { 'Euclidean', 'WeightedEuclidean' } do
      it(name .. ' matches plain loops in batch, single and non-contiguous modes', function()
         torch.manualSeed(4)
         local m = nn[name](5, 3)
         if m.diagCov then m.diagCov:uniform(0.5, 2) end
         local x = torch.randn(4, 5)
         close(m:forward(x), ref(m, x))
         close(m:forward(x[2]), ref(m, x[2]))
         assert.are.same({ 3 }, m.output:size():totable())
         close(m:forward(U.noncontig(x)), ref(m, x))
         -- batch rows equal single samples, for the gradients too
         local go = torch.randn(4, 3)
         m:zeroGradParameters()
         local gb = m:backward(x, go):clone()
         local gw = m.gradWeight:clone()
         m:zeroGradParameters()
         for n = 1, 4 do
            m:forward(x[n])
            close(m:backward(x[n], go[n]), gb[n])
         end
         close(m.gradWeight, gw)
      end)

      it(name .. ' has exact gradients (input, every parameter, batch and single)', function()
         torch.manualSeed(5)
         jacobians(nn[name](4, 3), torch.Tensor(3, 4))
         jacobians(nn[name](4, 2), torch.Tensor(4))
         local m = nn[name](4, 3)
         local err = U.jacobianParams(m, torch.randn(2, 4), 0.25)
         assert.is_true(err < TOL, 'scaled parameter gradient error ' .. err)
      end)
   end

   it('accUpdateGradParameters moves each parameter by -lr * gradient', function()
      torch.manualSeed(21)
      for _, m in ipairs { nn.Euclidean(4, 3), nn.WeightedEuclidean(4, 3) } do
         for _, p in ipairs(m:parameters()) do
            assert.is_true(nn.Jacobian.testJacobianUpdateParameters(m, torch.Tensor(5, 4), p) < 1e-5)
         end
      end
   end)

   it('WeightedEuclidean has two parameters, diagCov starting at ones', function()
      local m = nn.WeightedEuclidean(4, 2)
      local ps, gs = m:parameters()
      assert.are.equal(2, #ps)
      assert.are.equal(m.diagCov, ps[2])
      assert.are.equal(m.gradDiagCov, gs[2])
      assert.are.equal(8, m.diagCov:sum())
   end)

   it('names itself in errors', function()
      assert.has_error(function() nn.Euclidean(5, 3):forward(torch.randn(2, 4)) end,
         'nn.Euclidean: expected a vector (5) or a batch (N x 5), got a tensor of size 2x4')
      local m = nn.WeightedEuclidean(5, 3)
      assert.has_error(function() m:backward(torch.randn(2, 5), torch.randn(2, 3)) end,
         'nn.WeightedEuclidean: backward called before forward of this input')
      m:forward(torch.randn(2, 5))
      assert.has_error(function() m:backward(torch.randn(2, 5), torch.randn(2, 4)) end,
         'nn.WeightedEuclidean: gradOutput has size 2x4, expected 2x3')
   end)
end)

describe('nn.Cosine', function()
   local function ref(m, x)
      local batch = x:dim() == 2
      local X = batch and x or x:view(1, -1)
      local J, I = m.weight:size(1), m.weight:size(2)
      local y = torch.zeros(X:size(1), J)
      for n = 1, X:size(1) do
         for j = 1, J do
            local d, nw, nx = 0, 0, 0
            for i = 1, I do
               d = d + X[n][i] * m.weight[j][i]
               nw = nw + m.weight[j][i] ^ 2
               nx = nx + X[n][i] ^ 2
            end
            y[n][j] = d / (math.sqrt(nw) + 1e-12) / (math.sqrt(nx) + 1e-12)
         end
      end
      return batch and y or y[1]
   end

   it('matches plain loops in batch, single and non-contiguous modes', function()
      torch.manualSeed(6)
      local m = nn.Cosine(5, 3)
      local x = torch.randn(4, 5)
      close(m:forward(x), ref(m, x))
      close(m:forward(x[3]), ref(m, x[3]))
      close(m:forward(U.noncontig(x)), ref(m, x))
      assert.is_true(m:forward(x):abs():max() <= 1)
   end)

   it('has exact gradients (input, weight, batch and single, scale)', function()
      torch.manualSeed(7)
      jacobians(nn.Cosine(4, 3), torch.Tensor(3, 4))
      jacobians(nn.Cosine(4, 2), torch.Tensor(4))
      assert.is_true(U.jacobianParams(nn.Cosine(4, 3), torch.randn(2, 4), 0.5) < TOL)
      assert.is_true(U.jacobianParams(nn.Cosine(4, 3), torch.randn(4), 0.5) < TOL)
   end)

   it('names itself in errors', function()
      assert.has_error(function() nn.Cosine(5, 3):forward(torch.randn(2, 4)) end,
         'nn.Cosine: expected a vector (5) or a batch (N x 5), got a tensor of size 2x4')
      assert.has_error(function() nn.Cosine(5, 3):forward(torch.FloatTensor(5)) end,
         'nn.Cosine: input is torch.FloatTensor but the module is torch.DoubleTensor; call model:float() or input:double()')
   end)
end)

describe('nn.LookupTable', function()
   it('picks rows for a vector and a batch of indices, of any index type and layout', function()
      torch.manualSeed(8)
      local m = nn.LookupTable(10, 4)
      local idx = torch.LongTensor { { 1, 3, 10 }, { 2, 2, 7 } }
      local y = m:forward(idx):clone()
      assert.are.same({ 2, 3, 4 }, y:size():totable())
      for b = 1, 2 do
         for r = 1, 3 do close(y[b][r], m.weight[idx[b][r]], 0) end
      end
      close(m:forward(idx[2]), y[2], 0)
      close(m:forward(idx:double()), y, 0)
      close(m:forward(idx:t():contiguous():t()), y, 0)
      assert.are.same({ 2, 3 }, m:backward(idx, torch.randn(2, 3, 4)):size():totable())
      assert.are.equal(0, m.gradInput:abs():sum())
   end)

   it('accumulates gradients per row with scale, skips the padding index, scales by frequency', function()
      torch.manualSeed(9)
      local m = nn.LookupTable(6, 3)
      local idx = torch.LongTensor { 2, 5, 2, 1 }
      local go = torch.randn(4, 3)
      m:zeroGradParameters()
      m:forward(idx)
      m:backward(idx, go, 0.5)
      local want = torch.zeros(6, 3)
      for r = 1, 4 do want[idx[r]]:add(0.5, go[r]) end
      close(m.gradWeight, want)
      -- padding: index 2 gets nothing
      m:setPadding(2)
      m:zeroGradParameters()
      m:backward(idx, go)
      want:zero()
      want[5]:copy(go[2])
      want[1]:copy(go[4])
      close(m.gradWeight, want)
      -- by frequency: index 2 appears twice
      m:setPadding(0):scaleGradByFreq()
      m:zeroGradParameters()
      m:backward(idx, go)
      want:zero()
      want[2]:add(0.5, go[1]):add(0.5, go[3])
      want[5]:copy(go[2])
      want[1]:copy(go[4])
      close(m.gradWeight, want)
   end)

   it('has exact weight gradients (batch input)', function()
      torch.manualSeed(10)
      local m = nn.LookupTable(5, 3)
      assert.is_true(U.jacobianParams(m, torch.LongTensor { { 1, 4 }, { 4, 5 } }, 0.5) < TOL)
   end)

   it('renormalises the rows it uses to maxNorm before the lookup', function()
      torch.manualSeed(11)
      local m = nn.LookupTable(5, 4, 0, 1.5)
      m.weight:mul(3)
      local before = m.weight:clone()
      local y = m:forward(torch.LongTensor { 2, 4, 2 })
      for k = 1, 5 do
         local n = before[k]:norm()
         if k == 2 or k == 4 then
            if n > 1.5 then close(m.weight[k], before[k] * (1.5 / (n + 1e-7))) else close(m.weight[k], before[k]) end
         else
            close(m.weight[k], before[k], 0)
         end
      end
      close(y[1], m.weight[2], 0)
      assert.is_true(y[2]:norm() <= 1.5 + 1e-9)
      -- normType 1
      local m1 = nn.LookupTable(3, 4, 0, 1, 1)
      m1.weight:fill(1)
      m1:forward(torch.LongTensor { 3 })
      close(m1.weight[3], torch.Tensor(4):fill(1 / (4 + 1e-7)))
      close(m1.weight[1], torch.Tensor(4):fill(1), 0)
   end)

   it('names itself in errors', function()
      local m = nn.LookupTable(5, 3)
      assert.has_error(function() m:forward(torch.LongTensor { 1, 6 }) end,
         'nn.LookupTable: index 6 is out of range (the table has 5 rows, indices are 1..5)')
      assert.has_error(function() m:forward(torch.LongTensor { 0 }) end,
         'nn.LookupTable: index 0 is out of range (the table has 5 rows, indices are 1..5)')
      assert.has_error(function() m:forward(torch.LongTensor(2, 2, 2):fill(1)) end,
         'nn.LookupTable: input must be a vector or matrix of indices, got a tensor of size 2x2x2')
      m:forward(torch.LongTensor { 1, 2 })
      assert.has_error(function() m:backward(torch.LongTensor { 1, 2 }, torch.randn(2, 4)) end,
         'nn.LookupTable: gradOutput has size 2x4, expected 2x3 for indices of size 2')
   end)
end)

describe('nn.Normalize', function()
   local function ref(x, p, eps)
      local X = x:dim() == 2 and x or x:view(1, -1)
      local y = X:clone()
      for n = 1, X:size(1) do
         local s
         if p == math.huge then
            s = 0
            for i = 1, X:size(2) do s = math.max(s, math.abs(X[n][i])) end
            s = s + eps
         else
            s = 0
            for i = 1, X:size(2) do s = s + math.abs(X[n][i]) ^ p end
            s = (s + eps) ^ (1 / p)
         end
         for i = 1, X:size(2) do y[n][i] = X[n][i] / s end
      end
      return x:dim() == 2 and y or y[1]
   end

   for _, p in ipairs { 1, 2, 3, 4, 1.5, math.huge } do
      it('p = ' .. p .. ': plain loops, batch and single, non-contiguous, exact gradients', function()
         torch.manualSeed(12)
         local m = nn.Normalize(p)
         local x = torch.randn(3, 5)
         close(m:forward(x), ref(x, p, 1e-10))
         close(m:forward(x[2]), ref(x[2], p, 1e-10))
         close(m:forward(U.noncontig(x)), ref(x, p, 1e-10))
         jacobians(nn.Normalize(p), torch.Tensor(3, 5))
         jacobians(nn.Normalize(p), torch.Tensor(4))
         local go = torch.randn(3, 5)
         local g = m:forward(x) and m:backward(x, go):clone()
         close(m:backward(U.noncontig(x), U.noncontig(go)), g)
      end)
   end

   it('uses eps and prints as Torch7', function()
      local m = nn.Normalize(2, 1)
      close(m:forward(torch.Tensor { 3, 4 }), torch.Tensor { 3, 4 } / math.sqrt(26))
      assert.are.equal('nn.Normalize(2)', tostring(nn.Normalize(2)))
      assert.are.equal('nn.Normalize(1.500000)', tostring(nn.Normalize(1.5)))
      assert.are.equal('nn.Normalize(inf)', tostring(nn.Normalize(math.huge)))
   end)

   it('names itself in errors', function()
      assert.has_error(function() nn.Normalize(2):forward(torch.randn(2, 3, 4)) end,
         'nn.Normalize(2): expected a vector or a batch of vectors (1D or 2D input), got 2x3x4')
      assert.has_error(function() nn.Normalize(0) end, 'nn.Normalize: expected a positive p, got 0')
      local m = nn.Normalize(2)
      m:forward(torch.randn(2, 3))
      assert.has_error(function() m:backward(torch.randn(2, 3), torch.randn(3, 2)) end,
         'nn.Normalize(2): gradOutput is a torch.DoubleTensor of size 3x2, expected a torch.DoubleTensor of the size of the input 2x3')
   end)
end)

describe('nn.Padding', function()
   local x = torch.Tensor { { 1, 2, 3 }, { 4, 5, 6 } }
   it('pads before or after, at an index, with a value, in batch mode', function()
      close(nn.Padding(2, 2):forward(x), torch.Tensor { { 1, 2, 3, 0, 0 }, { 4, 5, 6, 0, 0 } }, 0)
      close(nn.Padding(2, -2):forward(x), torch.Tensor { { 0, 0, 1, 2, 3 }, { 0, 0, 4, 5, 6 } }, 0)
      close(nn.Padding(1, -1, nil, 7):forward(x), torch.Tensor { { 7, 7, 7 }, { 1, 2, 3 }, { 4, 5, 6 } }, 0)
      close(nn.Padding(2, -1, nil, 9, 2):forward(x), torch.Tensor { { 1, 9, 2, 3 }, { 4, 9, 5, 6 } }, 0)
      close(nn.Padding(2, 1, nil, 9, 2):forward(x), torch.Tensor { { 1, 2, 9, 3 }, { 4, 5, 9, 6 } }, 0)
      -- nInputDim 1: a 2D input is a batch of vectors, so dim 1 means 2
      close(nn.Padding(1, 1, 1):forward(x), torch.Tensor { { 1, 2, 3, 0 }, { 4, 5, 6, 0 } }, 0)
      close(nn.Padding(1, -1, 1, 5):forward(torch.Tensor { 1, 2 }), torch.Tensor { 5, 1, 2 }, 0)
      close(nn.Padding(2, -1, nil, 9, 2):forward(U.noncontig(x)), torch.Tensor { { 1, 9, 2, 3 }, { 4, 9, 5, 6 } }, 0)
   end)

   it('passes back the gradient of the input entries, exactly', function()
      local m = nn.Padding(2, -1, nil, 9, 2)
      m:forward(x)
      local go = torch.Tensor { { 1, 2, 3, 4 }, { 5, 6, 7, 8 } }
      close(m:backward(x, go), torch.Tensor { { 1, 3, 4 }, { 5, 7, 8 } }, 0)
      torch.manualSeed(13)
      jacobians(nn.Padding(1, 2, 2), torch.Tensor(3, 4))
      jacobians(nn.Padding(1, -3, 1, 0.5, 2), torch.Tensor(4))
   end)

   it('names itself in errors', function()
      assert.has_error(function() nn.Padding(3, 1):forward(x) end, 'nn.Padding: cannot pad dimension 3 of a tensor of size 2x3')
      assert.has_error(function() nn.Padding(2, -1, nil, 0, 5):forward(x) end,
         'nn.Padding: index 5 is out of range for dimension 2 of size 3 (expected 1..4)')
      local m = nn.Padding(2, 1)
      m:forward(x)
      assert.has_error(function() m:backward(x, torch.randn(2, 3)) end,
         'nn.Padding: gradOutput has size 2x3, expected 4 in dimension 2')
   end)
end)

describe('nn.PReLU', function()
   local function ref(x, w, planes)
      local y = x:clone()
      local flat = y:view(-1)
      local ks = 1
      for d = 3, x:dim() do ks = ks * x:size(d) end
      for i = 1, flat:nElement() do
         local c = planes == 0 and 1 or (x:dim() == 1 and i or (math.floor((i - 1) / ks) % planes + 1))
         if flat[i] <= 0 then flat[i] = flat[i] * w[c] end
      end
      return y
   end

   it('shared and per-plane slopes match plain loops (1D, 2D, 4D, non-contiguous)', function()
      torch.manualSeed(14)
      local m0, m3 = nn.PReLU(), nn.PReLU(3)
      assert.are.same({ 0.25 }, m0.weight:totable())
      m0.weight:fill(0.1)
      m3.weight:copy(torch.Tensor { 0.1, 0.2, 0.3 })
      for _, sz in ipairs { { 3 }, { 4, 3 }, { 2, 3, 2, 2 } } do
         local x = torch.randn(torch.LongStorage(sz))
         close(m0:forward(x), ref(x, m0.weight, 0), 0)
         close(m3:forward(x), ref(x, m3.weight, 3), 0)
      end
      local x = torch.randn(5, 3)
      close(m3:forward(U.noncontig(x)), ref(x, m3.weight, 3), 0)
   end)

   it('has exact gradients, weight gradients summed with scale', function()
      torch.manualSeed(15)
      jacobians(nn.PReLU(), torch.Tensor(3, 4))
      jacobians(nn.PReLU(4), torch.Tensor(3, 4))
      jacobians(nn.PReLU(2), torch.Tensor(2, 2, 3))
      jacobians(nn.PReLU(3), torch.Tensor(3))
      local m = nn.PReLU(2)
      local x, go = torch.randn(4, 2), torch.randn(4, 2)
      m:zeroGradParameters()
      m:forward(x)
      m:backward(x, go, 0.5)
      for c = 1, 2 do
         local s = 0
         for n = 1, 4 do if x[n][c] <= 0 then s = s + x[n][c] * go[n][c] end end
         assert.is_true(math.abs(m.gradWeight[c] - 0.5 * s) < 1e-14)
      end
   end)

   it('names itself in errors', function()
      assert.has_error(function() nn.PReLU(4):forward(torch.randn(2, 3)) end,
         'nn.PReLU: input has size 2x3: expected 4 planes in dimension 2')
      local m = nn.PReLU()
      m:forward(torch.randn(2, 3))
      assert.has_error(function() m:backward(torch.randn(2, 3), torch.randn(5)) end,
         'nn.PReLU: gradOutput has size 5, expected the size of the input 2x3')
   end)
end)

describe('nn.RReLU', function()
   it('draws one uniform slope per non-positive element from the torch stream', function()
      local x = torch.randn(4, 5)
      x[1][1] = 0
      local m = nn.RReLU(0.1, 0.4)
      torch.manualSeed(16)
      local y = m:forward(x):clone()
      torch.manualSeed(16)
      local want = x:clone()
      for i = 1, 4 do
         for j = 1, 5 do
            if x[i][j] <= 0 then want[i][j] = x[i][j] * torch.uniform(0.1, 0.4) end
         end
      end
      close(y, want, 0)
      -- the gradient is the noise that was drawn
      local go = torch.randn(4, 5)
      close(m:backward(x, go), go:clone():cmul(m.noise), 0)
      for i = 1, 4 do
         for j = 1, 5 do
            local r = m.noise[i][j]
            if x[i][j] > 0 then assert.are.equal(1, r) else assert.is_true(r >= 0.1 and r < 0.4) end
         end
      end
      -- a non-contiguous input draws in its element order too
      torch.manualSeed(16)
      close(m:forward(U.noncontig(x)), want, 0)
   end)

   it('evaluates with the mean slope and has exact gradients there; in place works', function()
      torch.manualSeed(17)
      local m = nn.RReLU(0.2, 0.6)
      m:evaluate()
      local x = torch.randn(3, 4)
      local want = x:clone()
      want:apply(function(v) return v <= 0 and v * 0.4 or v end)
      close(m:forward(x), want, 1e-15)
      jacobians(m, torch.Tensor(3, 4))
      jacobians(m, torch.Tensor(5))
      local mi = nn.RReLU(0.2, 0.6, true)
      mi:evaluate()
      local xi = x:clone()
      local yi = mi:forward(xi)
      close(yi, want, 1e-15)
      assert.are.equal(xi:storage(), yi:storage())
      -- l == u: training behaves like a leaky ReLU with that slope
      local ml = nn.RReLU(0.3, 0.3)
      close(ml:forward(x), x:clone():apply(function(v) return v <= 0 and v * 0.3 or v end), 1e-15)
      assert.is_true(nn.Jacobian.testJacobian(ml, torch.Tensor(3, 4)) < TOL)
   end)

   it('prints as Torch7 and names itself in errors', function()
      assert.are.equal('nn.RReLU (l:0.125000, u:0.333333)', tostring(nn.RReLU()))
      assert.has_error(function() nn.RReLU(0.5, 0.1) end, 'nn.RReLU: expected 0 <= lower <= upper, got 0.5 and 0.1')
      assert.has_error(function() nn.RReLU():backward(torch.randn(2, 3), torch.randn(2, 3)) end,
         'nn.RReLU (l:0.125000, u:0.333333): backward called before a training forward of this input')
      assert.has_error(function() nn.RReLU():forward(torch.LongTensor(3)) end,
         'nn.RReLU (l:0.125000, u:0.333333): input is torch.LongTensor; expected a FloatTensor or DoubleTensor (call :float() or :double())')
   end)
end)

describe('remaining layers in float', function()
   it('run in float and agree with double', function()
      torch.manualSeed(18)
      local mods = {
         { nn.PReLU(3), torch.randn(4, 3) }, { nn.RReLU(0.2, 0.2), torch.randn(4, 3) },
         { nn.Euclidean(3, 2), torch.randn(4, 3) }, { nn.WeightedEuclidean(3, 2), torch.randn(4, 3) },
         { nn.Normalize(2), torch.randn(4, 3) }, { nn.Normalize(math.huge), torch.randn(4, 3) },
         { nn.Cosine(3, 2), torch.randn(4, 3) }, { nn.Padding(1, 2, 1), torch.randn(4, 3) },
      }
      for _, c in ipairs(mods) do
         local m, x = c[1], c[2]
         local yd = m:forward(x):clone()
         local gd = m:backward(x, yd):clone()
         local mf = m:clone():float()
         local xf = x:float()
         close(mf:forward(xf), yd, 1e-5)
         close(mf:backward(xf, yd:float()), gd, 1e-4)
      end
      local lt = nn.LookupTable(4, 3)
      local y = lt:forward(torch.LongTensor { 2, 4 }):clone()
      lt:float()
      close(lt:forward(torch.LongTensor { 2, 4 }), y, 1e-6)
   end)
end)

describe('remaining layers on large inputs', function()
   it('take the parallel paths and agree with one thread exactly', function()
      local saved = torch.getnumthreads()
      torch.manualSeed(19)
      local cases = {
         { nn.PReLU(8), torch.randn(64, 8, 9, 9) }, { nn.PReLU(), torch.randn(300, 200) },
         { nn.Euclidean(60, 40), torch.randn(50, 60) }, { nn.WeightedEuclidean(60, 40), torch.randn(50, 60) },
         { nn.Normalize(3), torch.randn(400, 100) }, { nn.Normalize(math.huge), torch.randn(400, 100) },
         { nn.LookupTable(3000, 16), torch.LongTensor(2500):random(1, 3000) },
      }
      for _, c in ipairs(cases) do
         local m, x = c[1], c[2]
         local res = {}
         for k, nt in ipairs { 1, 4 } do
            torch.setnumthreads(nt)
            m:zeroGradParameters()
            local y = m:forward(x):clone()
            local go = y:clone():uniform(-1, 1)
            torch.manualSeed(20)
            go:uniform(-1, 1)
            local gi = m:backward(x, go):clone()
            local _, gs = m:parameters()
            res[k] = { y, gi, gs and gs[1]:clone() }
         end
         torch.setnumthreads(saved)
         close(res[1][1], res[2][1], 0)
         if res[1][2]:type() ~= 'torch.LongTensor' then close(res[1][2], res[2][2], 0) end
         if res[1][3] then close(res[1][3], res[2][3], 0) end
      end
   end)
end)

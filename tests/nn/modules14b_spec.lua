-- Issue 14, part B: OneHot, PairwiseDistance, MixtureTable, ModuleCriterion,
-- Maxout, ZeroGrad, ZipTable, ZipTableOneToMany, WeightedMSECriterion,
-- WhiteNoise, PixelShuffle, SpatialLogSoftMax, SpatialClassNLLCriterion,
-- LayerNormalization, ClassSimplexCriterion, DistanceRatioCriterion.
-- (Their Torch7 recordings in fixtures/torch7/nn_modules2.lua are run by
-- tests/nn/fixtures2_spec.lua.) Hand-computed values, central-difference gradients
-- (also through table inputs), non-contiguous inputs and bad inputs.
require 'nn'
local spec = require 'tests.spec_util'

-- a result against expected numbers, tensors or tables of them, within tol
local function same(a, b, what, tol)
   tol = tol or 1e-10
   if type(b) == 'table' and not torch.isTensor(b) then
      assert.are.equal(#b, #a, what .. ': table length')
      for i = 1, #b do same(a[i], b[i], what .. '[' .. i .. ']', tol) end
      return
   end
   if type(b) == 'number' then
      assert.is_true(math.abs(a - b) <= tol * (1 + math.abs(b)), string.format('%s: %.17g vs %.17g', what, a, b))
      return
   end
   assert.are.same(b:size():totable(), a:size():totable(), what .. ': size')
   assert.is_true(spec.close(a, b, tol, tol), what .. ': values differ')
end

-- central-difference gradient of f() with respect to tensor x (changed in place, restored)
local function numgrad(f, x)
   local g = torch.Tensor(x:size())
   local gf, st, dims = g:view(-1), x:storage(), x:size():totable()
   local idx = {}
   for d = 1, #dims do idx[d] = 1 end
   for i = 1, gf:nElement() do
      local off = x:storageOffset()
      for d = 1, #dims do off = off + (idx[d] - 1) * x:stride(d) end
      local v = st[off]
      st[off] = v + 1e-6
      local fp = f()
      st[off] = v - 1e-6
      local fm = f()
      st[off] = v
      gf[i] = (fp - fm) / 2e-6
      for d = #dims, 1, -1 do
         idx[d] = idx[d] + 1
         if idx[d] <= dims[d] then break end
         idx[d] = 1
      end
   end
   return g
end

-- a module with a (possibly nested) table input: backward of a random
-- projection R of the output against central differences on every input tensor
local function checkTableGrad(m, input, tensors, grads, R)
   local function f()
      local out = m:forward(input)
      return out:clone():cmul(R):sum()
   end
   m:forward(input)
   local gi = m:backward(input, R)
   for k, x in ipairs(tensors) do
      local analytic = grads(gi)[k]:clone()
      local d = (analytic - numgrad(f, x)):abs():max()
      assert.is_true(d < 1e-5, 'input ' .. k .. ' gradient error ' .. d)
   end
end

local function criterionGrad(c, input, target, tensors, grads)
   c:forward(input, target)
   local gi = c:backward(input, target)
   for k, x in ipairs(tensors) do
      local analytic = grads(gi)[k]:clone()
      local d = (analytic - numgrad(function() return c:forward(input, target) end, x)):abs():max()
      assert.is_true(d < 1e-5, 'input ' .. k .. ' gradient error ' .. d)
   end
end

local function jacobians(m, x)
   local err = nn.Jacobian.testJacobian(m, x, -1.5, 1.5)
   assert.is_true(err < 1e-5, 'input gradient error ' .. err)
   local ps, gs = m:parameters()
   for i, p in ipairs(ps or {}) do
      local perr = nn.Jacobian.testJacobianParameters(m, x, p, gs[i], -1.5, 1.5)
      assert.is_true(perr < 1e-5, 'parameter ' .. i .. ' gradient error ' .. perr)
   end
end

-- a transposed copy: same values as x (rows x cols), non-contiguous
local function noncontig(x)
   local t = x:t():clone():t()
   assert.is_false(t:isContiguous())
   return t
end

describe('nn.OneHot', function()
   it('one-hot rows for a tensor of indices, a number, and a 2D index tensor', function()
      local m = nn.OneHot(4)
      local y = m:forward(torch.LongTensor { 2, 4, 1 })
      same(y, torch.Tensor { { 0, 1, 0, 0 }, { 0, 0, 0, 1 }, { 1, 0, 0, 0 } }, 'output')
      same(m:forward(3), torch.Tensor { 0, 0, 1, 0 }, 'number')
      local y2 = m:forward(torch.LongTensor { { 1, 2 }, { 3, 4 } })
      assert.are.same({ 2, 2, 4 }, y2:size():totable())
      assert.are.equal(1, y2[2][2][4])
      assert.are.equal(4, y2:sum())
   end)
   it('a zero gradient of the input size; non-contiguous and double indices', function()
      local m = nn.OneHot(3)
      local idx = torch.LongTensor { { 1, 2 }, { 3, 1 } }:t()
      assert.is_false(idx:isContiguous())
      local y = m:forward(idx)
      same(y[1][2], torch.Tensor { 0, 0, 1 }, 'transposed index')
      same(m:forward(torch.Tensor { 2, 3 }), torch.Tensor { { 0, 1, 0 }, { 0, 0, 1 } }, 'double indices')
      local gi = m:backward(idx, y)
      assert.are.same({ 2, 2 }, gi:size():totable())
      assert.are.equal(0, gi:abs():sum())
   end)
   it('rejects out-of-range indices', function()
      assert.has_error(function() nn.OneHot(3):forward(torch.LongTensor { 1, 4 }) end,
         'nn.OneHot: indices should be integers in [1, 3], got values in [1, 4]')
      assert.has_error(function() nn.OneHot(3):forward('a') end)
   end)
end)

describe('nn.PairwiseDistance', function()
   it('p-norms of row differences, and of vectors', function()
      local a = torch.Tensor { { 1, 2, 3 }, { 0, 0, 0 } }
      local b = torch.Tensor { { 1, 0, 0 }, { 3, 4, 0 } }
      same(nn.PairwiseDistance(2):forward({ a, b }), torch.Tensor { math.sqrt(13), 5 }, 'p=2')
      same(nn.PairwiseDistance(1):forward({ a, b }), torch.Tensor { 5, 7 }, 'p=1')
      same(nn.PairwiseDistance(3):forward({ a[1], b[1] }), torch.Tensor { (8 + 27) ^ (1 / 3) }, 'vector p=3')
   end)
   it('gradients by central differences for p = 2, 3 (batch and vector), non-contiguous inputs', function()
      for _, p in ipairs { 2, 3 } do
         local a, b = noncontig(torch.randn(4, 5)), noncontig(torch.randn(4, 5))
         local m = nn.PairwiseDistance(p)
         checkTableGrad(m, { a, b }, { a, b }, function(g) return g end, torch.randn(4))
         local u, v = torch.randn(5), torch.randn(5)
         checkTableGrad(m, { u, v }, { u, v }, function(g) return g end, torch.randn(1))
      end
   end)
   it('p = 1 gives sign gradients', function()
      local a, b = torch.Tensor { { 1, -2 } }, torch.Tensor { { 0, 1 } }
      local m = nn.PairwiseDistance(1)
      m:forward({ a, b })
      local g = m:backward({ a, b }, torch.Tensor { 2 })
      same(g[1], torch.Tensor { { 2, -2 } }, 'grad 1')
      same(g[2], torch.Tensor { { -2, 2 } }, 'grad 2')
   end)
   it('rejects 3D inputs and mismatched sizes', function()
      assert.has_error(function() nn.PairwiseDistance(2):forward({ torch.randn(2, 2, 2), torch.randn(2, 2, 2) }) end,
         'nn.PairwiseDistance: input must be vector or matrix, got 2x2x2')
      assert.has_error(function() nn.PairwiseDistance(2):forward({ torch.randn(2, 3), torch.randn(2, 4) }) end,
         'nn.PairwiseDistance: input sizes differ: 2x3 vs 2x4')
   end)
end)

describe('nn.MixtureTable', function()
   it('a gated sum of a table of experts (hand-computed)', function()
      local g = torch.Tensor { { 0.25, 0.75 } }
      local e1, e2 = torch.Tensor { { 4, 8 } }, torch.Tensor { { 0, 4 } }
      same(nn.MixtureTable():forward({ g, { e1, e2 } }), torch.Tensor { { 1, 5 } }, 'table experts')
      local et = torch.Tensor { { { 4, 8 }, { 0, 4 } } } -- 1 x 2 experts x 2
      same(nn.MixtureTable():forward({ g, et }), torch.Tensor { { 1, 5 } }, 'tensor experts')
      same(nn.MixtureTable():forward({ g[1], { e1[1], e2[1] } }), torch.Tensor { 1, 5 }, 'single sample')
   end)
   it('gradients of gater and experts by central differences, table and tensor experts', function()
      local g, e1, e2, e3 = torch.rand(3, 3), torch.randn(3, 4), noncontig(torch.randn(3, 4)), torch.randn(3, 4)
      checkTableGrad(nn.MixtureTable(), { g, { e1, e2, e3 } }, { g, e1, e2, e3 },
         function(gi) return { gi[1], gi[2][1], gi[2][2], gi[2][3] } end, torch.randn(3, 4))
      local et = torch.randn(3, 3, 4)
      checkTableGrad(nn.MixtureTable(), { g, et }, { g, et }, function(gi) return gi end, torch.randn(3, 4))
      local g1, f1, f2 = torch.rand(2), torch.randn(4), torch.randn(4)
      checkTableGrad(nn.MixtureTable(), { g1, { f1, f2 } }, { g1, f1, f2 },
         function(gi) return { gi[1], gi[2][1], gi[2][2] } end, torch.randn(4))
   end)
   it('rejects a gater that does not match the number of experts', function()
      assert.has_error(function() nn.MixtureTable():forward({ torch.rand(2, 3), { torch.randn(2, 4) } }) end,
         'nn.MixtureTable: Should be one gater output per expert: gater 2x3, 1 experts')
   end)
end)

describe('nn.ModuleCriterion', function()
   it('applies the input and target modules, and backpropagates through the input module', function()
      local x, t = torch.randn(3, 4), torch.randn(3, 4)
      local c = nn.ModuleCriterion(nn.MSECriterion(), nn.Tanh(), nn.MulConstant(2))
      local expected = (torch.tanh(x) - t * 2):pow(2):mean()
      same(c:forward(x, t), expected, 'loss')
      criterionGrad(c, x, t, { x }, function(g) return { g } end)
      local xn = noncontig(torch.randn(4, 3))
      criterionGrad(c, xn, torch.randn(4, 3), { xn }, function(g) return { g } end)
   end)
   it('needs a criterion', function()
      assert.has_error(function() nn.ModuleCriterion(nn.Tanh()) end,
         'nn.ModuleCriterion: expected a criterion as first argument, got nn.Tanh')
   end)
end)

describe('nn.Maxout', function()
   it('is Linear, View and Max: the max over the pieces', function()
      local m = nn.Maxout(3, 2, 4)
      local x = torch.randn(5, 3)
      local lin = m.modules[1]:forward(x):view(5, 4, 2)
      same(m:forward(x), lin:max(2):view(5, 2), 'output')
      same(m:forward(x[1]), lin[1]:max(1):view(2), 'single sample')
   end)
   it('Jacobians on input and parameters, non-contiguous input', function()
      local m = nn.Maxout(4, 3, 2)
      jacobians(m, torch.randn(5, 4))
      local x = noncontig(torch.randn(5, 4))
      same(m:forward(x), m:forward(x:contiguous()):clone(), 'non-contiguous')
   end)
   it('rejects bad sizes', function()
      assert.has_error(function() nn.Maxout(3, 0, 2) end,
         'nn.Maxout(inputSize, outputSize, maxoutNumber): sizes should be positive numbers')
   end)
end)

describe('nn.ZeroGrad', function()
   it('passes values forward and zero gradients back (tensor and table)', function()
      local x = noncontig(torch.randn(3, 2))
      local m = nn.ZeroGrad()
      same(m:forward(x), x, 'output')
      local gi = m:backward(x, torch.randn(3, 2))
      assert.are.same({ 3, 2 }, gi:size():totable())
      assert.are.equal(0, gi:abs():sum())
      local t = { torch.randn(2), { torch.randn(3) } }
      local gt = nn.ZeroGrad():backward(t, t)
      assert.are.equal(0, gt[1]:abs():sum() + gt[2][1]:abs():sum())
      assert.are.equal(3, gt[2][1]:nElement())
   end)
end)

describe('nn.ZipTable and nn.ZipTableOneToMany', function()
   it('zips a table of tables, and the gradients back', function()
      local a1, a2, b1, b2 = torch.randn(2), torch.randn(2), torch.randn(2), torch.randn(2)
      local m = nn.ZipTable()
      local y = m:forward({ { a1, a2 }, { b1, b2 } })
      assert.are.equal(a1, y[1][1]); assert.are.equal(b1, y[1][2])
      assert.are.equal(a2, y[2][1]); assert.are.equal(b2, y[2][2])
      local g = m:backward({ { a1, a2 }, { b1, b2 } }, { { b2, a1 }, { b1, a2 } })
      assert.are.equal(b2, g[1][1]); assert.are.equal(b1, g[1][2])
      assert.has_error(function() m:forward({ a1 }) end, 'nn.ZipTable: input[1] should be a table, got torch.DoubleTensor')
   end)
   it('pairs one element with each of a table; its gradient sums', function()
      local v, a, b = noncontig(torch.randn(2, 3)), torch.randn(4), torch.randn(5)
      local m = nn.ZipTableOneToMany()
      local y = m:forward({ v, { a, b } })
      assert.are.equal(2, #y)
      assert.are.equal(v, y[1][1]); assert.are.equal(a, y[1][2]); assert.are.equal(b, y[2][2])
      local g1, g2 = torch.randn(2, 3), torch.randn(2, 3)
      local g = m:backward({ v, { a, b } }, { { g1, a }, { g2, b } })
      same(g[1], g1 + g2, 'element gradient')
      assert.are.equal(a, g[2][1]); assert.are.equal(b, g[2][2])
      assert.has_error(function() m:forward({ v }) end, 'nn.ZipTableOneToMany: input must be a table {tensor, table of tensors}')
   end)
end)

describe('nn.WeightedMSECriterion', function()
   it('MSE against the weighted target, per sample for batches', function()
      local w = torch.Tensor { 1, 2 }
      local c = nn.WeightedMSECriterion(w)
      local x, t = torch.Tensor { { 1, 1 }, { 0, 3 } }, torch.Tensor { { 1, 1 }, { 1, 1 } }
      -- weighted targets {1, 2} per row: squared errors 0, 1, 1, 1
      same(c:forward(x, t), 3 / 4, 'batch loss')
      same(c:forward(x[2], t[2]), (1 + 1) / 2, 'single sample')
      criterionGrad(c, x, t, { x }, function(g) return { g } end)
      local xn, tn = noncontig(torch.randn(2, 3)), noncontig(torch.randn(2, 3))
      local cn = nn.WeightedMSECriterion(torch.randn(3))
      criterionGrad(cn, xn, tn, { xn }, function(g) return { g } end)
   end)
   it('rejects a weight that does not fit the target', function()
      assert.has_error(function() nn.WeightedMSECriterion(torch.ones(3)):forward(torch.randn(2, 2), torch.randn(2, 2)) end,
         'nn.WeightedMSECriterion: weight 3 does not match target 2x2')
   end)
end)

describe('nn.WhiteNoise', function()
   it('adds N(mean, std) in training, mean in evaluation; gradient passes through', function()
      local m = nn.WhiteNoise(1, 0.5)
      local x = noncontig(torch.zeros(200, 100))
      local y = m:forward(x)
      assert.is_true(math.abs(y:mean() - 1) < 0.01)
      assert.is_true(math.abs(y:std() - 0.5) < 0.01)
      m:evaluate()
      same(m:forward(x), torch.ones(200, 100), 'evaluate')
      local g = torch.randn(200, 100)
      same(m:backward(x, g), g, 'gradInput')
      assert.are.equal('nn.WhiteNoise mean: 1.000000, std: 0.500000', tostring(m))
      assert.has_error(function() nn.WhiteNoise(0, -1) end, 'nn.WhiteNoise: expected a number mean and a non-negative number std')
   end)
end)

describe('nn.PixelShuffle', function()
   it('moves channel c*r*r + i*r + j to pixel (h*r + i, w*r + j)', function()
      local r, C, H, W = 2, 2, 3, 2
      local x = torch.randn(2, C * r * r, H, W)
      local y = nn.PixelShuffle(r):forward(x)
      assert.are.same({ 2, C, H * r, W * r }, y:size():totable())
      for n = 1, 2 do for c = 1, C do for h = 1, H do for w = 1, W do for i = 1, r do for j = 1, r do
         assert.are.equal(x[n][(c - 1) * r * r + (i - 1) * r + j][h][w], y[n][c][(h - 1) * r + i][(w - 1) * r + j])
      end end end end end end
      same(nn.PixelShuffle(r):forward(x[2]), y[2], '3D input')
   end)
   it('Jacobian, non-contiguous input', function()
      jacobians(nn.PixelShuffle(2), torch.randn(2, 8, 2, 3))
      local x = torch.randn(2, 3, 3, 8):transpose(2, 4)
      same(nn.PixelShuffle(2):forward(x), nn.PixelShuffle(2):forward(x:contiguous()), 'non-contiguous')
   end)
   it('rejects channels that are not a multiple of r^2', function()
      assert.has_error(function() nn.PixelShuffle(2):forward(torch.randn(1, 3, 2, 2)) end,
         'nn.PixelShuffle: input channels 3 are not a multiple of 4 (upscaleFactor^2)')
   end)
end)

describe('nn.SpatialLogSoftMax', function()
   it('log-softmax over the channels of every pixel', function()
      local x = torch.randn(2, 3, 4, 5)
      local y = nn.SpatialLogSoftMax():forward(x)
      local e = x:transpose(2, 4):contiguous():view(-1, 3)
      local ref = nn.LogSoftMax():forward(e):view(2, 5, 4, 3):transpose(2, 4)
      same(y, ref, 'output')
      same(nn.SpatialLogSoftMax():forward(x[1]), ref[1], '3D input')
      jacobians(nn.SpatialLogSoftMax(), torch.randn(2, 3, 2, 3))
      local xn = x:transpose(3, 4):clone():transpose(3, 4)
      same(nn.SpatialLogSoftMax():forward(xn), ref, 'non-contiguous')
   end)
   it('rejects 2D inputs', function()
      assert.has_error(function() nn.SpatialLogSoftMax():forward(torch.randn(3, 4)) end,
         'nn.SpatialLogSoftMax: expected a 3D or 4D input ([N,] C, H, W), got 3x4')
   end)
end)

describe('nn.SpatialClassNLLCriterion', function()
   it('averages -input[n][t][h][w] over pixels, with class weights', function()
      local x = torch.randn(2, 3, 2, 2)
      local t = torch.LongTensor(2, 2, 2):random(1, 3)
      local w = torch.Tensor { 1, 2, 0.5 }
      local s, tw = 0, 0
      for n = 1, 2 do for h = 1, 2 do for v = 1, 2 do
         local k = t[n][h][v]
         s = s - w[k] * x[n][k][h][v]; tw = tw + w[k]
      end end end
      same(nn.SpatialClassNLLCriterion(w):forward(x, t), s / tw, 'weighted average')
      same(nn.SpatialClassNLLCriterion(w, false):forward(x, t), s, 'sum')
      local c = nn.SpatialClassNLLCriterion(w)
      criterionGrad(c, x, t, { x }, function(g) return { g } end)
      local xn = x:transpose(3, 4):clone():transpose(3, 4)
      same(c:forward(xn, t), s / tw, 'non-contiguous')
   end)
   it('needs 4D input and 3D target', function()
      assert.has_error(function() nn.SpatialClassNLLCriterion():forward(torch.randn(3, 2, 2), torch.LongTensor(2, 2):fill(1)) end,
         'nn.SpatialClassNLLCriterion: only batches of spatial inputs supported (4D tensors), but got input of dimension: 3')
   end)
end)

describe('nn.LayerNormalization', function()
   it('normalises a single sample to zero mean and norm sqrt(n), then gain and bias', function()
      local x = torch.Tensor { 1, 2, 3, 4 }
      local m = nn.LayerNormalization(4)
      local c = x - 2.5
      same(m:forward(x), c / c:norm() * 2, 'output')
      m.modules[5].weight:fill(2); m.modules[6].bias:fill(1)
      same(m:forward(x), c / c:norm() * 4 + 1, 'gain and bias')
      assert.are.equal(4, #nn.LayerNormalization(4, 0, 1e-10, false).modules)
   end)
   it('Jacobians on input and parameters, non-contiguous input', function()
      local m = nn.LayerNormalization(5)
      jacobians(m, torch.randn(3, 5))
      jacobians(m, torch.randn(5))
      local x = noncontig(torch.randn(3, 5))
      same(m:forward(x), m:forward(x:contiguous()):clone(), 'non-contiguous')
   end)
end)

describe('nn.ClassSimplexCriterion', function()
   it('the simplex vertices are unit vectors with inner products -1/(n-1)', function()
      local c = nn.ClassSimplexCriterion(4)
      local g = c.simplex * c.simplex:t()
      for i = 1, 4 do for j = 1, 4 do
         assert.is_true(math.abs(g[i][j] - (i == j and 1 or -1 / 3)) < 1e-12)
      end end
      same(c.simplex:select(2, 4), torch.zeros(4), 'last coordinate')
   end)
   it('MSE against the target vertices; predictions', function()
      local c = nn.ClassSimplexCriterion(3)
      local x, t = torch.randn(2, 3), torch.Tensor { 3, 1 }
      local ref = torch.cat(c.simplex[3]:view(1, 3), c.simplex[1]:view(1, 3), 1)
      same(c:forward(x, t), (x - ref):pow(2):mean(), 'loss')
      criterionGrad(c, x, t, { x }, function(g) return { g } end)
      same(c:forward(x[1], 3), (x[1] - c.simplex[3]):pow(2):mean(), 'number target')
      local p = c:getTopPrediction(c.simplex:clone())
      assert.are.same({ 1, 2, 3 }, p:totable())
      local xn = noncontig(torch.randn(3, 2))
      criterionGrad(c, xn, t, { xn }, function(g) return { g } end)
   end)
   it('rejects bad classes', function()
      assert.has_error(function() nn.ClassSimplexCriterion(1) end,
         'nn.ClassSimplexCriterion: Required positive integer argument nClasses > 1')
      assert.has_error(function() nn.ClassSimplexCriterion(3):forward(torch.randn(3), 4) end,
         'nn.ClassSimplexCriterion: target class 4 out of range [1, 3]')
   end)
end)

describe('nn.DistanceRatioCriterion', function()
   it('mean of X + log(exp(-X) + exp(-Y)); gradients', function()
      local X, Y = torch.Tensor { 1, 2 }, torch.Tensor { 3, 0 }
      local expected = (1 + math.log(math.exp(-1) + math.exp(-3)) + 2 + math.log(math.exp(-2) + 1)) / 2
      same(nn.DistanceRatioCriterion():forward({ X, Y }), expected, 'loss')
      same(nn.DistanceRatioCriterion(false):forward({ X, Y }), expected * 2, 'sum')
      local c = nn.DistanceRatioCriterion()
      local a, b = torch.randn(4), torch.randn(6):narrow(1, 2, 4)
      criterionGrad(c, { a, b }, nil, { a, b }, function(g) return g end)
   end)
   it('rejects distances of different sizes', function()
      assert.has_error(function() nn.DistanceRatioCriterion():forward({ torch.randn(3), torch.randn(4) }) end,
         "nn.DistanceRatioCriterion: Number of distances don't match: 3 vs 4")
   end)
end)

-- The same modules on CUDA against the CPU in double (pending without a
-- device; NNLUA_CUNN_SPEC_CPU=1 runs it with FloatTensor to check the spec).
describe('part B classes on CUDA against the CPU', function()
   local as_cpu = os.getenv('NNLUA_CUNN_SPEC_CPU') == '1'
   local ok, why = true, nil
   if not as_cpu then ok, why = pcall(require, 'cunn') end
   if not ok then
      it('needs a CUDA device', function() pending('no CUDA device here: ' .. tostring(why)) end)
      return
   end
   local FT = as_cpu and 'torch.FloatTensor' or 'torch.CudaTensor'
   local function exact(t) return t:float():double() end
   local function gpu(x)
      if torch.isTensor(x) then return x:type(FT) end
      local r = {}
      for i, v in ipairs(x) do r[i] = gpu(v) end
      return r
   end
   local function closeAll(g, c, what)
      if type(c) == 'number' then
         assert.is_true(math.abs(g - c) <= 1e-4 * (1 + math.abs(c)), what)
      elseif torch.isTensor(c) then
         assert.is_true(spec.close(g:double(), c, 1e-4, 1e-4), what)
      else
         for i = 1, #c do closeAll(g[i], c[i], what .. '[' .. i .. ']') end
      end
   end
   local function module(name, make, x, go)
      it(name, function()
         torch.manualSeed(1)
         local mc = make():double()
         local mg = mc:clone():type(FT)
         local yc = mc:forward(x)
         closeAll(mg:forward(gpu(x)), yc, name .. ': forward')
         closeAll(mg:backward(gpu(x), gpu(go)), mc:backward(x, go), name .. ': backward')
      end)
   end
   local function criterion(name, make, x, t)
      it(name, function()
         local cc = make():double()
         local cg = cc:clone():type(FT)
         local tg = torch.isTensor(t) and t:type() == 'torch.DoubleTensor' and gpu(t) or t
         closeAll(cg:forward(gpu(x), tg), cc:forward(x, t), name .. ': loss')
         closeAll(cg:backward(gpu(x), tg), cc:backward(x, t), name .. ': gradInput')
      end)
   end
   module('PixelShuffle', function() return nn.PixelShuffle(2) end, exact(torch.randn(2, 8, 3, 3)),
      exact(torch.randn(2, 2, 6, 6)))
   module('SpatialLogSoftMax', function() return nn.SpatialLogSoftMax() end, exact(torch.randn(2, 3, 4, 4)),
      exact(torch.randn(2, 3, 4, 4)))
   module('Maxout', function() return nn.Maxout(5, 3, 2) end, exact(noncontig(torch.randn(4, 5))),
      exact(torch.randn(4, 3)))
   module('LayerNormalization', function() return nn.LayerNormalization(5) end, exact(torch.randn(3, 5)),
      exact(torch.randn(3, 5)))
   module('PairwiseDistance', function() return nn.PairwiseDistance(2) end,
      { exact(torch.randn(4, 5)), exact(torch.randn(4, 5)) }, exact(torch.randn(4)))
   module('MixtureTable', function() return nn.MixtureTable() end,
      { exact(torch.rand(3, 2)), { exact(torch.randn(3, 4)), exact(torch.randn(3, 4)) } }, exact(torch.randn(3, 4)))
   criterion('WeightedMSECriterion', function() return nn.WeightedMSECriterion(torch.Tensor { 1, 2, 3 }) end,
      exact(torch.randn(2, 3)), exact(torch.randn(2, 3)))
   criterion('SpatialClassNLLCriterion', function() return nn.SpatialClassNLLCriterion(torch.Tensor { 1, 2, 0.5 }) end,
      exact(torch.randn(2, 3, 2, 2)), torch.LongTensor(2, 2, 2):random(1, 3))
   criterion('ClassSimplexCriterion', function() return nn.ClassSimplexCriterion(4) end,
      exact(torch.randn(3, 4)), torch.LongTensor { 1, 4, 2 })
   criterion('DistanceRatioCriterion', function() return nn.DistanceRatioCriterion() end,
      { exact(torch.randn(4)), exact(torch.randn(4)) }, nil)
end)

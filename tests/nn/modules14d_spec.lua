-- Issue 14 (nn14): FeatureLPPooling, LinearWeightNorm, WeightNorm,
-- PartialLinear, SparseLinear, TemporalRowConvolution, IndexLinear,
-- Kmeans, SpatialAutoCropMSECriterion. Values hand-computed, by identity
-- with Linear/TemporalConvolution, or Torch7's results
-- (tests/nn/modules14d_data.lua); Jacobians in double; non-contiguous
-- inputs; bad inputs named. The nn_modules2 recordings are matched in
-- fixtures2_spec.lua.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
local D = dofile(NNLUA_ROOT .. '/tests/nn/modules14d_data.lua')

local function errorOf(f)
   local ok, err = pcall(f)
   assert.is_false(ok)
   return tostring(err)
end

local function close(a, b, tol)
   if type(b) == 'table' then b = torch.Tensor(b):viewAs(a) end
   assert.are.same(b:size():totable(), a:size():totable())
   local d = U.maxdiff(a, b)
   assert.is_true(d <= (tol or 1e-12), 'max difference ' .. d)
end

describe('nn.FeatureLPPooling', function()
   it('pools powers across features, batch or not', function()
      local m = nn.FeatureLPPooling(2, 1, 2, false)
      close(m:forward(torch.Tensor { 3, 4, 0 }), { 5, 4 })
      -- power 1 is a sum; gradients 1
      local m1 = nn.FeatureLPPooling(3, 1, 1, false)
      close(m1:forward(torch.Tensor { 1, -2, 3, 5 }), { 2, 6 })
      close(m1:backward(torch.Tensor { 1, -2, 3, 5 }, torch.Tensor { 1, 1 }), { 1, 2, 2, 1 })
      -- power 3 of a negative sum is NaN, as Torch7
      local m3 = nn.FeatureLPPooling(2, 1, 3, false)
      local y = m3:forward(torch.Tensor { 1, -2, 3 })
      assert.is_true(y[1] ~= y[1])
      assert.is_true(math.abs(y[2] - 19 ^ (1 / 3)) < 1e-12)
      -- a zero window has gradient 0 (not NaN)
      local mz = nn.FeatureLPPooling(2, 2, 2, false)
      mz:forward(torch.Tensor { 0, 0, 1, 1 })
      close(mz:backward(torch.Tensor { 0, 0, 1, 1 }, torch.Tensor { 1, 1 }), { 0, 0, math.sqrt(0.5), math.sqrt(0.5) })
      -- batch of 2 x 6 features x 2 x 3, stride 2: each (n, o, i, j) from features 2o-1, 2o
      local b = nn.FeatureLPPooling(2, 2, 2, true)
      local x = torch.randn(2, 6, 2, 3)
      local out = b:forward(x)
      assert.are.same({ 2, 3, 2, 3 }, out:size():totable())
      close(out[2][3], (x[2][5]:clone():pow(2) + x[2][6]:clone():pow(2)):sqrt())
      close(b:forward(U.noncontig(x)), out)
      assert.is_true(U.jacobianInput(b, x) < 1e-6)
      assert.are.equal('nn.FeatureLPPooling(w2 s2 power 2 batch 1', tostring(b))
   end)
   it('names the module for a bad input', function()
      assert.matches('nn.FeatureLPPooling%(w3 s1 power 2 batch 0: input has 2 features %(size 2%), fewer than the width 3',
         errorOf(function() nn.FeatureLPPooling(3, 1, 2, false):forward(torch.randn(2)) end))
      assert.matches('width must be within 2 to 16', errorOf(function() nn.FeatureLPPooling(1, 1, 2) end))
      assert.matches('expected a 2D to 4D input', errorOf(function() nn.FeatureLPPooling(2, 1, 2, true):forward(torch.randn(4)) end))
   end)
end)

describe('nn.LinearWeightNorm and nn.WeightNorm', function()
   it('LinearWeightNorm is a Linear with w = g v / ||v||', function()
      torch.manualSeed(1)
      local m = nn.LinearWeightNorm(4, 3)
      m.g:uniform(0.5, 2)
      local x = torch.randn(5, 4)
      local y = m:forward(x):clone()
      local w = m.v:clone()
      for i = 1, 3 do w[i]:mul(m.g[i][1] / m.v[i]:norm()) end
      close(y, x * w:t() + m.bias:view(1, 3):expand(5, 3))
      close(m:forward(U.noncontig(x)), y)
      assert.is_true(U.jacobianInput(m, x) < 1e-6)
      assert.is_true(U.jacobianParams(m, x) < 1e-6)
      -- toLinear / fromLinear round trip
      local l = m:toLinear()
      close(l:forward(x), y)
      close(nn.LinearWeightNorm.fromLinear(l):forward(x), y)
      assert.are.equal('nn.LinearWeightNorm(4 -> 3)', tostring(m))
      assert.are.equal('nn.LinearWeightNorm(4 -> 3) without bias', tostring(nn.LinearWeightNorm(4, 3, false)))
      assert.matches('nn.LinearWeightNorm%(4 %-> 3%): input has 5 columns, expected 4',
         errorOf(function() m:forward(torch.randn(2, 5)) end))
   end)

   it('WeightNorm wraps a module: weight = g v / sqrt(||v||^2 + 1e-4) over the non-output dimensions', function()
      torch.manualSeed(2)
      local lin = nn.Linear(4, 3)
      local m = nn.WeightNorm(lin)
      local x = torch.randn(5, 4)
      local y = m:forward(x):clone()
      local w = m.v:clone()
      for i = 1, 3 do w[i]:mul(m.g[i][1] / math.sqrt(m.v[i]:norm() ^ 2 + 1e-4)) end
      close(lin.weight, w)
      close(y, x * w:t() + lin.bias:view(1, 3):expand(5, 3))
      assert.is_true(U.jacobianInput(m, x) < 1e-6)
      assert.is_true(U.jacobianParams(m, x) < 1e-6)
      -- outputDim 2 on a convolution: the norm runs over every dimension but the second
      local conv = nn.SpatialConvolution(2, 3, 3, 3)
      local mc = nn.WeightNorm(conv, 2)
      assert.are.same({ 2, 27 }, mc.v:size():totable())
      local xc = torch.randn(2, 2, 4, 4)
      mc:forward(xc)
      local wt = conv.weight:transpose(1, 2):contiguous():view(2, 27)
      for i = 1, 2 do
         assert.is_true(math.abs(wt[i]:norm() - mc.g[i][1] * mc.v[i]:norm() / math.sqrt(mc.v[i]:norm() ^ 2 + 1e-4)) < 1e-12)
      end
      close(mc:forward(U.noncontig(xc)), mc.output:clone())
      assert.is_true(U.jacobianParams(mc, xc[1]) < 1e-6)
      assert.are.equal('nn.WeightNorm @ nn.Linear(4 -> 3)', tostring(m))
      -- saved without weight, rebuilt on load
      local file = os.tmpname()
      torch.save(file, m)
      local r = torch.load(file)
      os.remove(file)
      close(r.modules[1].weight, lin.weight)
      close(r:forward(x), y)
      assert.matches('nn.WeightNorm: the module nn.Tanh has no weight', errorOf(function() nn.WeightNorm(nn.Tanh()) end))
   end)
end)

describe('nn.PartialLinear', function()
   it('is a Linear restricted to a partition of its outputs', function()
      torch.manualSeed(3)
      local m = nn.PartialLinear(5, 4)
      m.bias:uniform(-1, 1)
      local W = m.network:get(1):get(2).weight
      local x = torch.randn(3, 5)
      close(m:forward(x), x * W:t() + m.bias:expand(3, 4))
      m:setPartition(torch.LongTensor { 2, 4 })
      local y = m:forward(x):clone()
      close(y, x * W:index(1, torch.LongTensor { 2, 4 }):t() + m.bias:index(2, torch.LongTensor { 2, 4 }):expand(3, 2))
      close(m:forward(U.noncontig(x)), y)
      -- gradients reach only the partition's rows
      m:zeroGradParameters()
      m:backward(x, torch.ones(3, 2))
      local _, g = m:parameters()
      assert.are.equal(0, g[1][1]:abs():sum() + g[1][3]:abs():sum())
      close(g[2], { 0, 3, 0, 3 })
      assert.is_true(U.jacobianInput(m, x) < 1e-6)
      m:resetPartition()
      assert.is_true(U.jacobianParams(m, x) < 1e-6)
      assert.are.equal('nn.PartialLinear(5 -> 4)', tostring(m))
      assert.matches('nn.PartialLinear%(5 %-> 4%): expected a batch %(N x 5%), got a tensor of size 5',
         errorOf(function() m:forward(torch.randn(5)) end))
      assert.matches('partition indices must lie in %[1, 4%]', errorOf(function() m:setPartition(torch.LongTensor { 5 }) end))
   end)
end)

describe('nn.SparseLinear', function()
   it('takes (index, value) rows, one sample, a table batch or the legacy 3D form', function()
      torch.manualSeed(4)
      local m = nn.SparseLinear(6, 3)
      local dense = torch.Tensor(6):zero()
      dense[2], dense[5] = 0.5, -2
      local x = torch.Tensor { { 2, 0.5 }, { 5, -2 } }
      close(m:forward(x), m.weight * dense + m.bias)
      local x2 = torch.Tensor { { 1, 3 } }
      local y = m:forward({ x, x2 }):clone()
      assert.are.same({ 2, 3 }, y:size():totable())
      close(y[2], m.weight:select(2, 1) * 3 + m.bias)
      -- legacy: batch x nnz x 2
      local leg = torch.Tensor { { { 2, 0.5 }, { 5, -2 } }, { { 1, 3 }, { 1, 0 } } }
      close(m:forward(leg), y)
      -- a non-contiguous sample (the transpose of a 2 x nnz tensor)
      close(m:forward(x:t():clone():t()), m.weight * dense + m.bias)
      -- gradients: the used columns only; then sparse zeroing and update
      m:zeroGradParameters()
      m:forward({ x, x2 })
      local go = torch.Tensor { { 1, 2, 3 }, { -1, 0, 1 } }
      m:backward({ x, x2 }, go)
      close(m.gradWeight:select(2, 2), go[1] * 0.5)
      close(m.gradWeight:select(2, 5), go[1] * -2)
      close(m.gradWeight:select(2, 1), go[2] * 3)
      assert.are.equal(0, m.gradWeight:select(2, 3):abs():sum())
      close(m.gradBias, { 0, 2, 4 })
      local w0 = m.weight:clone()
      m:updateParameters(0.1)
      close(m.weight, w0 - m.gradWeight * 0.1)
      m:zeroGradParameters()
      assert.are.equal(0, m.gradWeight:abs():sum())
      -- Jacobian of the parameters, against the dense product
      assert.is_true(U.jacobianParams(m, leg) < 1e-6)
      -- doGradInput: dense (index, value) rows
      local md = nn.SparseLinear(6, 3, true)
      md:forward(x)
      local gi = md:backward(x, torch.Tensor { 1, 0, 2 })
      close(gi:select(2, 1), torch.range(1, 6))
      close(gi:select(2, 2), md.weight:t() * torch.Tensor { 1, 0, 2 })
      assert.are.equal('nn.SparseLinear', tostring(m))
   end)
   it('names the module for a bad index or input', function()
      local m = nn.SparseLinear(6, 3)
      assert.matches('nn.SparseLinear: index 7 is out of range %(the input size is 6%)',
         errorOf(function() m:forward(torch.Tensor { { 7, 1 } }) end))
      assert.matches('nn.SparseLinear: each sample must be an nnz x 2 tensor', errorOf(function() m:forward({ torch.ones(2, 3) }) end))
   end)
end)

describe('nn.TemporalRowConvolution', function()
   it('convolves each feature row over time with its own kernel', function()
      torch.manualSeed(5)
      local m = nn.TemporalRowConvolution(3, 2, 2)
      local x = torch.randn(7, 3)
      local y = m:forward(x):clone()
      assert.are.same({ 3, 3 }, y:size():totable())
      for t = 1, 3 do
         for f = 1, 3 do
            local v = m.bias[f] + m.weight[f][1][1] * x[2 * t - 1][f] + m.weight[f][1][2] * x[2 * t][f]
            assert.is_true(math.abs(y[t][f] - v) < 1e-12)
         end
      end
      -- featFirst: the transposed layout gives the transposed output
      local mf = nn.TemporalRowConvolution(3, 2, 2, true)
      mf.weight:copy(m.weight)
      mf.bias:copy(m.bias)
      close(mf:forward(x:t()), y:t())
      -- a batch, and a non-contiguous one
      local xb = torch.randn(2, 7, 3)
      close(m:forward(xb)[2], m:forward(xb[2]):clone())
      close(m:forward(U.noncontig(xb)), m:forward(xb):clone())
      assert.is_true(U.jacobianInput(m, xb) < 1e-6)
      assert.is_true(U.jacobianParams(m, xb, 0.5) < 1e-6)
      assert.is_true(U.jacobianParams(mf, xb:transpose(2, 3):contiguous()) < 1e-6)
      assert.are.equal('nn.TemporalRowConvolution(3, 2, 2)', tostring(m))
      assert.are.equal('nn.TemporalRowConvolution(3, 2) without bias', tostring(nn.TemporalRowConvolution(3, 2):noBias()))
   end)
   it('names the module and the sizes for a bad input', function()
      local m = nn.TemporalRowConvolution(3, 2)
      assert.matches('nn.TemporalRowConvolution%(3, 2%): input has 4 features %(size 5x4, nInputFrame x inputFrameSize%), expected 3',
         errorOf(function() m:forward(torch.randn(5, 4)) end))
      assert.matches('input has 1 frames %(size 1x3%), fewer than the kernel width 2',
         errorOf(function() m:forward(torch.randn(1, 3)) end))
   end)
end)

describe('nn.IndexLinear', function()
   local function batch()
      return { { torch.LongTensor { 1, 5, 5 }, torch.LongTensor { 2 } }, { torch.Tensor { 2, -1, 0.5 }, torch.Tensor { 3 } } }
   end
   it("matches Torch7's outputs and sparse updates", function()
      torch.manualSeed(7)
      local m = nn.IndexLinear(6, 3)
      m:reset()
      close(m:forward(batch()), torch.Tensor(D.il_out):view(2, 3))
      m:zeroGradParameters()
      m:backward(batch(), torch.Tensor { { 1, -2, 0.5 }, { 0.25, 1, -1 } })
      m:updateParameters(0.1)
      close(m.weight, torch.Tensor(D.il_w):view(6, 3))
      close(m.bias, D.il_b)
      -- max-normalised, with weight decay, in training
      torch.manualSeed(8)
      local n = nn.IndexLinear(6, 3, nil, nil, nil, nil, true)
      n:reset()
      n:training()
      n.weightDecay = 0.01
      close(n:forward(batch()), torch.Tensor(D.iln_out):view(2, 3))
      n:zeroGradParameters()
      n:backward(batch(), torch.Tensor { { 1, -2, 0.5 }, { 0.25, 1, -1 } })
      n:updateParameters(0.1)
      close(n.weight, torch.Tensor(D.iln_w):view(6, 7))
      close(n.bias, D.iln_b)
      -- the flat form with keysOffset 2
      torch.manualSeed(9)
      local f = nn.IndexLinear(6, 2, nil, 2)
      f:reset()
      close(f:forward({ torch.LongTensor { 0, 3, 1 }, torch.Tensor { 1, 2, 3 }, torch.LongTensor { 2, 1 } }),
         torch.Tensor(D.ilf_out):view(2, 2))
   end)
   it('equals a dense Linear on the same features, one sample or a batch', function()
      torch.manualSeed(10)
      local m = nn.IndexLinear(5, 2)
      m:reset()
      local dense = torch.Tensor { 0, 1.5, 0, -2, 0 }
      local expect = m.weight:t() * dense + m.bias
      close(m:forward({ torch.LongTensor { 2, 4 }, torch.Tensor { 1.5, -2 } }), expect)
      -- non-contiguous values (every other element)
      local vals = torch.Tensor { { 1.5, 9 }, { -2, 9 } }:select(2, 1)
      assert.is_false(vals:isContiguous())
      close(m:forward({ torch.LongTensor { 2, 4 }, vals }), expect)
      -- accUpdateGradParameters moves the weight like backward + updateParameters
      local a = m:clone()
      local go = torch.Tensor { 1, -1 }
      a:forward({ torch.LongTensor { 2, 4 }, torch.Tensor { 1.5, -2 } })
      a:accUpdateGradParameters({ torch.LongTensor { 2, 4 }, torch.Tensor { 1.5, -2 } }, go, 0.1)
      m:zeroGradParameters()
      m:forward({ torch.LongTensor { 2, 4 }, torch.Tensor { 1.5, -2 } })
      m:backward({ torch.LongTensor { 2, 4 }, torch.Tensor { 1.5, -2 } }, go)
      m:updateParameters(0.1)
      close(a.weight, m.weight)
      close(a.bias, m.bias)
      -- doGradInput: the dense gradient for every feature
      local g = nn.IndexLinear(5, 2, true)
      g:reset()
      g:forward({ torch.LongTensor { 2 }, torch.Tensor { 1 } })
      local gi = g:backward({ torch.LongTensor { 2 }, torch.Tensor { 1 } }, torch.Tensor { 1, 2 })
      close(gi[2], g.weight * torch.Tensor { 1, 2 })
      assert.are.equal('nn.IndexLinear', tostring(m))
   end)
   it('names the module for a key out of range or a bad input', function()
      local m = nn.IndexLinear(5, 2)
      assert.matches('nn.IndexLinear: key 6 is outside the 5 features',
         errorOf(function() m:forward({ torch.LongTensor { 6 }, torch.Tensor { 1 } }) end))
      assert.matches('nn.IndexLinear: keys 2 and values 3 should be 1D tensors of the same size',
         errorOf(function() m:forward({ torch.LongTensor { 1, 2 }, torch.Tensor { 1, 2, 3 } }) end))
   end)
end)

describe('nn.Kmeans', function()
   local function data() return torch.Tensor(D.km_data):view(12, 2) end
   it("assigns clusters and moves centroids as Torch7", function()
      torch.manualSeed(10)
      torch.randn(12, 2)
      local m = nn.Kmeans(3, 2)
      m:initRandom(data())
      close(m.weight, torch.Tensor(D.km_init):view(3, 2))
      close(m:forward(data()), D.km_out)
      assert.is_true(math.abs(m.loss - D.km_loss) < 1e-12)
      m:zeroGradParameters()
      m:backward(data(), m.output)
      close(m.gradWeight, torch.Tensor(D.km_gw):view(3, 2))
      -- one Lloyd step: each centroid moves to the mean of its samples
      local w0 = m.weight:clone()
      m:updateParameters(1)
      local x = data()
      for c = 1, 3 do
         local n = m.output:eq(c):sum()
         if n > 0 then
            local mean = x:index(1, m.output:eq(c):nonzero():view(-1)):mean(1):view(2)
            close(m.weight[c], mean, 1e-6)
         else
            close(m.weight[c], w0[c])
         end
      end
      local loss = m.loss
      m:forward(x)
      assert.is_true(m.loss <= loss)
      -- k-means++ initialisation
      torch.manualSeed(11)
      local k2 = nn.Kmeans(3, 2)
      k2:initKmeansPlus(data(), 0.5)
      close(k2.weight, torch.Tensor(D.km2_init):view(3, 2))
      -- a non-contiguous input
      close(m:forward(U.noncontig(x)), m:forward(x):clone())
      assert.are.equal(0, m:backward(x, m.output):abs():sum())
      assert.are.equal('nn.Kmeans', tostring(m))
   end)
   it('names the module for a bad input', function()
      assert.matches("nn.Kmeans: input 4x3 has 3 columns, the centroids' dimensionality is 2",
         errorOf(function() nn.Kmeans(2, 2):forward(torch.randn(4, 3)) end))
      assert.matches('initRandom: need at least k = 5 samples, got 3',
         errorOf(function() nn.Kmeans(5, 2):initRandom(torch.randn(3, 2)) end))
   end)
end)

describe('nn.SpatialAutoCropMSECriterion', function()
   it('compares the input with the centre crop of a larger target', function()
      local c = nn.SpatialAutoCropMSECriterion()
      local a = torch.Tensor(2, 2, 3):copy(torch.range(1, 12)):div(5)
      local b = torch.Tensor(2, 5, 4):copy(torch.range(1, 40)):div(17)
      assert.is_true(math.abs(c:forward(a, b) - D.ac_loss) < 1e-15)
      local crop = b:narrow(2, 2, 2):narrow(3, 1, 3)
      close(c:backward(a, b), (a - crop) * (2 / 12))
      -- a batch, non-contiguous, sizeAverage false
      local s = nn.SpatialAutoCropMSECriterion(false)
      local x = torch.randn(2, 3, 2, 2)
      local t = torch.randn(2, 3, 4, 4)
      local cropped = t:narrow(3, 2, 2):narrow(4, 2, 2)
      assert.is_true(math.abs(s:forward(U.noncontig(x), t) - (x - cropped):pow(2):sum()) < 1e-12)
      -- the gradient by central differences
      local g = s:backward(x, t):clone()
      local flat = x:view(-1)
      for i = 1, flat:nElement() do
         local v = flat[i]
         flat[i] = v + 1e-6
         local fp = s:forward(x, t)
         flat[i] = v - 1e-6
         local fm = s:forward(x, t)
         flat[i] = v
         assert.is_true(math.abs((fp - fm) / 2e-6 - g:view(-1)[i]) < 1e-6)
      end
   end)
   it('names itself when the target is smaller', function()
      assert.matches('nn.SpatialAutoCropMSECriterion: the input 1x3x3 is larger than the target 1x2x4',
         errorOf(function() nn.SpatialAutoCropMSECriterion():forward(torch.randn(1, 3, 3), torch.randn(1, 2, 4)) end))
   end)
end)

describe('the issue-14 (nn14) modules under :float() and clearState', function()
   it('give the double results in float, and forward again after clearState', function()
      torch.manualSeed(12)
      local cases = {
         { nn.FeatureLPPooling(2, 1, 2, true), torch.rand(2, 4, 3) },
         { nn.LinearWeightNorm(4, 3), torch.randn(2, 4) },
         { nn.WeightNorm(nn.Linear(4, 3)), torch.randn(2, 4) },
         { nn.PartialLinear(4, 3), torch.randn(2, 4) },
         { nn.TemporalRowConvolution(3, 2), torch.randn(5, 3) },
         { nn.SpatialConvolutionMap(nn.tables.full(2, 2), 2, 2), torch.randn(2, 4, 4) },
         { nn.SpatialFullConvolutionMap(nn.tables.oneToOne(2), 2, 2), torch.randn(2, 3, 3) },
         { nn.SpatialDepthWiseConvolution(2, 2, 2, 2), torch.randn(2, 4, 4) },
         { nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2), torch.randn(2, 5, 5) },
         { nn.VolumetricDilatedConvolution(2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 1, 1), torch.randn(2, 4, 3, 3) },
         { nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 1, 2, 1), torch.randn(2, 3, 4, 3) },
         { nn.VolumetricFullConvolution(2, 2, 2, 2, 2), torch.randn(2, 2, 2, 2) },
      }
      for _, c in ipairs(cases) do
         local m, x = c[1], c[2]
         local name = torch.type(m)
         local y = m:forward(x):clone()
         local go = torch.randn(y:size())
         local gi = m:updateGradInput(x, go):clone()
         m:float()
         local yf = m:forward(x:float())
         assert.are.equal('torch.FloatTensor', torch.type(yf), name)
         assert.is_true(U.maxdiff(yf, y) < 1e-5, name)
         assert.is_true(U.maxdiff(m:updateGradInput(x:float(), go:float()), gi) < 1e-5, name)
         m:clearState()
         assert.is_true(U.maxdiff(m:double():forward(x), y) < 1e-5, name)
      end
   end)
end)

describe('Torch7-saved nn14 modules', function()
   local cases = dofile(NNLUA_ROOT .. '/tests/nn/modules14d_t7.lua')
   for _, c in ipairs(cases) do
      it('load and give the recorded output: ' .. c.ctor, function()
         local m = torch.deserialize(c.t7, 'ascii')
         local x = torch.Tensor(c.input):view(torch.LongStorage(c.isize))
         close(m:forward(x), torch.Tensor(c.output):view(torch.LongStorage(c.osize)))
         -- and convert and run backward
         m:float()
         local y = m:forward(x:float())
         assert.are.equal('torch.FloatTensor', torch.type(y))
         local gi = m:backward(x:float(), y:clone():fill(1))
         if torch.isTensor(gi) and gi:nElement() > 0 then assert.are.same(c.isize, gi:size():totable()) end
      end)
   end
end)

-- nn.VolumetricDropout (issue 14): whole feature volumes dropped together,
-- evaluation scaling, backward through the same mask, clear errors. Its
-- random stream is checked against Torch7's recording in fixtures2_spec.
require 'nn'

describe('nn.VolumetricDropout', function()
   it('drops whole volumes of (N,)C,T,H,W inputs and backpropagates through the same mask', function()
      torch.manualSeed(1)
      local m = nn.VolumetricDropout(0.5)
      local x = torch.rand(3, 4, 2, 3, 3):add(1)
      local y = m:forward(x)
      local kept = 0
      for n = 1, 3 do
         for c = 1, 4 do
            local v = y[n][c]
            -- all zero, or the input unchanged (Torch7 does not rescale in training)
            local zero, same = v:eq(0):all(), v:eq(x[n][c]):all()
            assert.is_true(zero or same)
            if same then kept = kept + 1 end
            local g = m:backward(x, torch.ones(x:size()))[n][c]
            assert.are.equal(same and 1 or 0, g:max())
            assert.are.equal(same and 1 or 0, g:min())
         end
      end
      assert.is_true(kept > 0 and kept < 12)
      -- a single sample (C,T,H,W), non-contiguous
      local xs = torch.rand(3, 3, 2, 4):add(1):transpose(2, 4)
      local ys = m:forward(xs)
      for c = 1, 3 do assert.is_true(ys[c]:eq(0):all() or ys[c]:eq(xs[c]):all()) end
   end)

   it('scales by 1 - p in evaluation', function()
      local m = nn.VolumetricDropout(0.25)
      m:evaluate()
      local x = torch.randn(2, 2, 2, 2, 2)
      assert.is_true(m:forward(x):eq(x * 0.75):all())
   end)

   it('names itself for a bad input', function()
      assert.has_error(function() nn.VolumetricDropout(0.5):forward(torch.randn(2, 3, 4)) end)
      local ok, err = pcall(function() nn.VolumetricDropout(0.5):forward(torch.randn(2, 3, 4)) end)
      assert.is_false(ok)
      assert.matches('nn.VolumetricDropout%(0.500000%): expected a 4D %(C x T x H x W%) or 5D', err)
   end)
end)

describe('nn.VolumetricBatchNormalization', function()
   local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
   it('normalises each feature over batch, time and space, as SpatialBatchNormalization on a merged view', function()
      torch.manualSeed(2)
      local x = torch.randn(3, 2, 2, 3, 4)
      local v = nn.VolumetricBatchNormalization(2)
      local s = nn.SpatialBatchNormalization(2)
      s.weight:copy(v.weight)
      s.bias:copy(v.bias)
      local xs = x:view(3, 2, 6, 4)
      assert.is_true(U.maxdiff(v:forward(x):view(3, 2, 6, 4), s:forward(xs)) < 1e-14)
      local go = torch.randn(x:size())
      v:zeroGradParameters()
      s:zeroGradParameters()
      assert.is_true(U.maxdiff(v:backward(x, go):view(3, 2, 6, 4), s:backward(xs, go:view(3, 2, 6, 4))) < 1e-14)
      assert.is_true(U.maxdiff(v.gradWeight, s.gradWeight) < 1e-12)
      assert.is_true(U.maxdiff(v.running_mean, s.running_mean) < 1e-14)
      -- a non-contiguous input gives the same result
      local xt = x:transpose(4, 5):contiguous():transpose(4, 5)
      assert.is_false(xt:isContiguous())
      v:evaluate()
      assert.is_true(U.maxdiff(v:forward(xt), v:forward(x)) < 1e-14)
      v:training()
      assert.is_true(U.jacobianInput(v, x) < 1e-6)
   end)
   it('refuses an input that is not 5D by name', function()
      local ok, err = pcall(function() nn.VolumetricBatchNormalization(2):forward(torch.randn(3, 2, 4, 4)) end)
      assert.is_false(ok)
      assert.matches('nn.VolumetricBatchNormalization.*expected a 5D input, got 3x2x4x4', err)
   end)
end)

describe('nn.VolumetricReplicationPadding', function()
   local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
   -- the plain loop: output (t, h, w) reads input at the clamped position
   local function ref(x, l, r, t, b, f, k)
      local C, T, H, W = x:size(1), x:size(2), x:size(3), x:size(4)
      local y = torch.Tensor(C, T + f + k, H + t + b, W + l + r)
      local function clamp(i, n) return math.min(math.max(i, 1), n) end
      for c = 1, C do
         for i = 1, y:size(2) do
            for j = 1, y:size(3) do
               for q = 1, y:size(4) do y[c][i][j][q] = x[c][clamp(i - f, T)][clamp(j - t, H)][clamp(q - l, W)] end
            end
         end
      end
      return y
   end
   it('repeats the border, crops with negative pads, and has exact gradients', function()
      torch.manualSeed(4)
      local x = torch.randn(2, 3, 4, 5)
      for _, p in ipairs { { 1, 0, 1, 2, 0, 1 }, { 2, 1, 0, 1, 1, 1 }, { -1, 1, 1, -1, 0, -1 } } do
         local m = nn.VolumetricReplicationPadding(unpack(p))
         assert.is_true(U.maxdiff(m:forward(x), ref(x, unpack(p))) == 0)
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), ref(x, unpack(p))) == 0)
         assert.is_true(U.jacobianInput(m, x) < 1e-8)
         -- batched: each sample as alone
         local xb = torch.randn(2, 2, 3, 4, 5)
         local yb = m:forward(xb):clone()
         for n = 1, 2 do assert.is_true(U.maxdiff(yb[n], ref(xb[n], unpack(p))) == 0) end
      end
   end)
   it('names itself for a bad input or padding', function()
      local ok, err = pcall(function() nn.VolumetricReplicationPadding(1):forward(torch.randn(3, 4, 5)) end)
      assert.is_false(ok)
      assert.matches('nn.VolumetricReplicationPadding.*expected a 4D %(C x T x H x W%) or 5D', err)
      ok, err = pcall(function() nn.VolumetricReplicationPadding(-3, -3, 0, 0, 0, 0):forward(torch.randn(1, 2, 2, 4)) end)
      assert.is_false(ok)
      assert.matches('padding %-3,%-3 leaves nothing of a width of size 4', err)
   end)
end)

describe('nn.SpatialSubSampling and nn.TemporalSubSampling', function()
   local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
   it('SpatialSubSampling: weight x window sum + bias per plane, exact gradients', function()
      torch.manualSeed(6)
      local m = nn.SpatialSubSampling(3, 2, 3, 2, 1)
      local x = torch.randn(2, 3, 7, 6)
      local y = m:forward(x)
      assert.are.same({ 2, 3, 5, 3 }, y:size():totable())
      for n = 1, 2 do
         for c = 1, 3 do
            for i = 1, 5 do
               for j = 1, 3 do
                  local win = x[n][c]:narrow(1, i, 3):narrow(2, (j - 1) * 2 + 1, 2)
                  assert.is_true(math.abs(y[n][c][i][j] - (m.weight[c] * win:sum() + m.bias[c])) < 1e-12)
               end
            end
         end
      end
      assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y) < 1e-14)
      assert.is_true(U.jacobianInput(m, x) < 1e-8)
      assert.is_true(U.jacobianParams(m, x) < 1e-8)
      assert.is_true(U.jacobianInput(m, x[1]) < 1e-8)
      local ok, err = pcall(function() m:forward(torch.randn(2, 4, 7, 6)) end)
      assert.is_false(ok)
      assert.matches('nn.SpatialSubSampling: input has 4 planes, expected 3', err, 1, true)
   end)
   it('TemporalSubSampling: weight x window sum + bias per feature, exact gradients', function()
      torch.manualSeed(7)
      local m = nn.TemporalSubSampling(4, 3, 2)
      local x = torch.randn(2, 9, 4)
      local y = m:forward(x)
      assert.are.same({ 2, 4, 4 }, y:size():totable())
      for n = 1, 2 do
         for t = 1, 4 do
            for f = 1, 4 do
               local s = x[n]:narrow(1, (t - 1) * 2 + 1, 3):select(2, f):sum()
               assert.is_true(math.abs(y[n][t][f] - (m.weight[f] * s + m.bias[f])) < 1e-12)
            end
         end
      end
      assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y) < 1e-14)
      assert.is_true(U.jacobianInput(m, x) < 1e-8)
      assert.is_true(U.jacobianParams(m, x) < 1e-8)
      local ok, err = pcall(function() m:forward(torch.randn(2, 9, 5)) end)
      assert.is_false(ok)
      assert.matches('nn.TemporalSubSampling: input frames have 5 features, expected 4', err, 1, true)
   end)
end)

describe('nn.DepthConcat', function()
   local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
   it('centres smaller outputs in zeros and backpropagates through the same windows', function()
      torch.manualSeed(8)
      local m = nn.DepthConcat(2)
      m:add(nn.SpatialConvolution(2, 3, 3, 3)):add(nn.SpatialConvolution(2, 2, 1, 1)):add(nn.SpatialConvolution(2, 1, 2, 2))
      local x = torch.randn(2, 2, 6, 6)
      local y = m:forward(x)
      assert.are.same({ 2, 6, 6, 6 }, y:size():totable())
      local a, b, c = m.modules[1].output, m.modules[2].output, m.modules[3].output
      -- 4x4 in 6x6 starts at 2; 6x6 fills; 5x5 in 6x6 starts at floor(1/2) + 1 = 1
      assert.is_true(U.maxdiff(y:narrow(2, 1, 3):narrow(3, 2, 4):narrow(4, 2, 4), a) == 0)
      assert.are.equal(0, y:narrow(2, 1, 3):select(3, 1):abs():max())
      assert.is_true(U.maxdiff(y:narrow(2, 4, 2), b) == 0)
      assert.is_true(U.maxdiff(y:narrow(2, 6, 1):narrow(3, 1, 5):narrow(4, 1, 5), c) == 0)
      assert.are.equal(0, y:narrow(2, 6, 1):select(3, 6):abs():max())
      local y0 = y:clone()   -- forward reuses its output tensor
      assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y0) < 1e-12)
      assert.is_true(U.jacobianInput(m, x) < 1e-8)
      assert.is_true(U.jacobianParams(m, x) < 1e-8)
      assert.matches('^nn.DepthConcat {\n  input\n    |`%-> %(1%)', tostring(m))
   end)
   it('names the child whose output does not fit', function()
      local m = nn.DepthConcat(1):add(nn.Linear(3, 2)):add(nn.View(1, 3))
      local ok, err = pcall(function() m:forward(torch.randn(3)) end)
      assert.is_false(ok)
      assert.matches('nn.DepthConcat.*module 2 gave a 2D output, module 1 a 1D one', err)
   end)
end)

describe('nn.UpSampling', function()
   local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
   it('upsamples spatial inputs as the SpatialUpSampling modules and volumetric ones by repetition', function()
      torch.manualSeed(9)
      local x = torch.randn(2, 3, 4, 5)
      assert.is_true(U.maxdiff(nn.UpSampling(2):forward(x), nn.SpatialUpSamplingNearest(2):forward(x)) == 0)
      local lin = nn.UpSampling(3, 'bilinear')
      assert.are.same({ 2, 3, 12, 15 }, lin:forward(x):size():totable())   -- as Torch7 (H x scale)
      assert.is_true(U.maxdiff(lin.output, nn.SpatialUpSamplingBilinear(3):forward(x)) == 0)
      assert.is_true(U.jacobianInput(lin, x) < 1e-8)
      local v = torch.randn(1, 2, 2, 3, 2)
      local m = nn.UpSampling(2)
      local y = m:forward(v)
      assert.are.same({ 1, 2, 4, 6, 4 }, y:size():totable())
      for t = 1, 4 do
         for h = 1, 6 do
            for w = 1, 4 do
               assert.are.equal(v[1][2][math.ceil(t / 2)][math.ceil(h / 2)][math.ceil(w / 2)], y[1][2][t][h][w])
            end
         end
      end
      assert.is_true(U.maxdiff(m:forward(U.noncontig(v)), y) == 0)
      assert.is_true(U.jacobianInput(m, v) < 1e-8)
      assert.are.equal('nn.UpSampling(2x, nearest)', tostring(m))
      assert.are.equal('nn.UpSampling(3x, linear)', tostring(lin))
   end)
   it('says what it cannot do', function()
      local ok, err = pcall(function() nn.UpSampling(2, 'linear'):forward(torch.randn(1, 1, 2, 2, 2)) end)
      assert.is_false(ok)
      assert.matches('nn.UpSampling.*trilinear %(volumetric linear%) upsampling is not implemented yet', err)
      assert.has_error(function() nn.UpSampling(1.5) end, 'nn.UpSampling: the scale factor must be a positive integer, got 1.5')
      ok, err = pcall(function() nn.UpSampling(2):forward(torch.randn(3, 4)) end)
      assert.matches('expected a 4D %(N x C x H x W%) or 5D', err)
   end)
end)

describe('nn.TemporalDynamicKMaxPooling', function()
   local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
   it('keeps the k largest of every feature in temporal order, gradients routed back', function()
      local x = torch.Tensor { { 1, 9 }, { 5, 2 }, { 3, 7 }, { 8, 4 }, { 2, 6 } }   -- T = 5, F = 2
      local m = nn.TemporalDynamicKMaxPooling(2, 0.5)                              -- k = max(2, ceil(2.5)) = 3
      local y = m:forward(x)
      assert.are.same({ { 5, 9 }, { 3, 7 }, { 8, 6 } }, y:totable())
      local gi = m:backward(x, torch.Tensor { { 1, 2 }, { 3, 4 }, { 5, 6 } })
      assert.are.same({ { 0, 2 }, { 1, 0 }, { 3, 4 }, { 5, 0 }, { 0, 6 } }, gi:totable())
      torch.manualSeed(10)
      local xb = torch.randn(2, 7, 3)
      local yb = m:forward(xb):clone()
      assert.are.same({ 2, 4, 3 }, yb:size():totable())
      assert.is_true(U.maxdiff(m:forward(U.noncontig(xb)), yb) == 0)
      assert.is_true(U.jacobianInput(m, xb) < 1e-8)
   end)
   it('names itself when the sequence is too short', function()
      local ok, err = pcall(function() nn.TemporalDynamicKMaxPooling(4):forward(torch.randn(3, 2)) end)
      assert.is_false(ok)
      assert.matches('nn.TemporalDynamicKMaxPooling: a sequence of 3 steps is shorter than k = 4', err, 1, true)
   end)
end)

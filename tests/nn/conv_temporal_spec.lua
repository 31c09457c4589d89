-- Temporal and volumetric modules (TemporalConvolution,
-- TemporalMaxPooling, VolumetricConvolution, VolumetricMaxPooling,
-- VolumetricAveragePooling, SpatialLPPooling, SpatialConvolutionLocal):
-- values against plain loops, Jacobians in double, batch vs single
-- sample, non-contiguous inputs, stride and padding edge cases, messages.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')

-- out[t][o] = b[o] + sum_{j, f} w[o][j*F + f] * x[(t-1)*dW + j][f]
local function tconv_ref(x, w, b, kW, dW)
   local T, F, oF = x:size(1), x:size(2), w:size(1)
   local oT = math.floor((T - kW) / dW) + 1
   local y = torch.zeros(oT, oF)
   for t = 1, oT do
      for o = 1, oF do
         local s = b and b[o] or 0
         for j = 1, kW do
            for f = 1, F do s = s + w[o][(j - 1) * F + f] * x[(t - 1) * dW + j][f] end
         end
         y[t][o] = s
      end
   end
   return y
end

local function tmax_ref(x, kW, dW)
   local T, F = x:size(1), x:size(2)
   local oT = math.floor((T - kW) / dW) + 1
   local y = torch.zeros(oT, F)
   for t = 1, oT do
      for f = 1, F do
         local m = -math.huge
         for j = 1, kW do m = math.max(m, x[(t - 1) * dW + j][f]) end
         y[t][f] = m
      end
   end
   return y
end

describe('nn.TemporalConvolution', function()
   it('matches a plain loop for several kernel widths and strides', function()
      torch.manualSeed(11)
      for _, c in ipairs { { 3, 1 }, { 2, 2 }, { 3, 2 }, { 2, 3 }, { 1, 1 }, { 5, 2 }, { 4, 1 } } do
         local kW, dW = c[1], c[2]
         local m = nn.TemporalConvolution(3, 4, kW, dW)
         local x = torch.randn(2, 9, 3)
         local y = m:forward(x):clone()
         local oT = math.floor((9 - kW) / dW) + 1
         assert.are.same({ 2, oT, 4 }, y:size():totable())
         for n = 1, 2 do
            assert.is_true(U.maxdiff(y[n], tconv_ref(x[n], m.weight, m.bias, kW, dW)) < 1e-13)
            -- the single sequence gives the batch's row
            assert.is_true(U.maxdiff(m:forward(x[n]), y[n]) < 1e-14)
         end
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y) < 1e-14)
      end
   end)

   it('has exact gradients for input, weight and bias', function()
      torch.manualSeed(12)
      for _, c in ipairs { { 3, 1 }, { 2, 3 }, { 3, 2 } } do
         local m = nn.TemporalConvolution(2, 3, c[1], c[2])
         local x = torch.randn(2, 8, 2)
         assert.is_true(U.jacobianInput(m, x) < 1e-8)
         assert.is_true(U.jacobianParams(m, x) < 1e-8)
         assert.is_true(U.jacobianParams(m, x[1], 0.5) < 1e-8)
         assert.is_true(U.jacobianInput(m, U.noncontig(x[2])) < 1e-8)
      end
      local m = nn.TemporalConvolution(2, 3, 3, 1)
      local x = torch.randn(7, 2)
      local err = nn.Jacobian.testJacobian(m, x)
      assert.is_true(err < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight) < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, x, m.bias, m.gradBias) < 1e-6)
   end)

   it('accumulates parameter gradients over a batch like the single sequences', function()
      torch.manualSeed(13)
      local m = nn.TemporalConvolution(3, 2, 2, 1)
      local x, go = torch.randn(3, 5, 3), torch.randn(3, 4, 2)
      m:zeroGradParameters()
      m:forward(x)
      m:backward(x, go)
      local gw, gb = m.gradWeight:clone(), m.gradBias:clone()
      m:zeroGradParameters()
      for n = 1, 3 do m:forward(x[n]) m:backward(x[n], go[n]) end
      assert.is_true(U.maxdiff(gw, m.gradWeight) < 1e-12)
      assert.is_true(U.maxdiff(gb, m.gradBias) < 1e-12)
   end)

   it('works in float', function()
      torch.manualSeed(14)
      local m = nn.TemporalConvolution(3, 2, 2, 1)
      local x = torch.randn(6, 3)
      local y = m:forward(x):clone()
      m:float()
      assert.are.equal('torch.FloatTensor', torch.type(m:forward(x:float())))
      assert.is_true(U.maxdiff(m.output, y) < 1e-5)
   end)

   it('rejects bad inputs naming the module and the sizes', function()
      local m = nn.TemporalConvolution(4, 3, 2)
      assert.has_error(function() m:forward(torch.randn(6, 5)) end,
         'nn.TemporalConvolution: input frames have 5 elements (input 6x5), expected 4')
      assert.has_error(function() m:forward(torch.randn(1, 4)) end,
         'nn.TemporalConvolution: input has 1 frames (input 1x4), fewer than the kernel width 2')
      assert.has_error(function() m:forward(torch.randn(4)) end,
         'nn.TemporalConvolution: expected a 2D (nFrame x 4) or 3D (N x nFrame x 4) input, got 4')
      m:forward(torch.randn(6, 4))
      assert.has_error(function() m:backward(torch.randn(6, 4), torch.randn(4, 3)) end,
         'nn.TemporalConvolution: gradOutput has size 4x3, expected 5x3')
      assert.has_error(function() m:forward(torch.randn(6, 4):float()) end,
         'nn.TemporalConvolution: input is torch.FloatTensor but the module is torch.DoubleTensor; call model:float() or input:double()')
   end)
end)

describe('nn.TemporalMaxPooling', function()
   it('matches a plain loop and routes gradients to the maxima', function()
      torch.manualSeed(21)
      for _, c in ipairs { { 2 }, { 3, 1 }, { 2, 3 }, { 3, 2 } } do
         local kW, dW = c[1], c[2] or c[1]
         local m = nn.TemporalMaxPooling(kW, c[2])
         local x = torch.randn(2, 9, 3)
         local y = m:forward(x):clone()
         for n = 1, 2 do
            assert.are.equal(0, U.maxdiff(y[n], tmax_ref(x[n], kW, dW)))
            assert.are.equal(0, U.maxdiff(m:forward(x[n]), y[n]))
         end
         assert.are.equal(0, U.maxdiff(m:forward(U.noncontig(x)), y))
         assert.is_true(U.jacobianInput(m, x) < 1e-8)
      end
   end)

   it('sums the gradient of a frame that is the maximum of overlapping windows', function()
      local m = nn.TemporalMaxPooling(3, 1)
      local x = torch.Tensor { { 0 }, { 5 }, { 1 }, { 2 } }
      assert.are.same({ 5, 5 }, m:forward(x):view(-1):totable())
      local gi = m:backward(x, torch.Tensor { { 1 }, { 10 } })
      assert.are.same({ 0, 11, 0, 0 }, gi:view(-1):totable())
   end)

   it('rejects bad inputs naming the module', function()
      local m = nn.TemporalMaxPooling(4)
      assert.has_error(function() m:forward(torch.randn(3, 2)) end,
         'nn.TemporalMaxPooling: input has 3 frames (input 3x2), fewer than the kernel width 4')
      assert.has_error(function() m:forward(torch.randn(2, 3, 4, 5)) end,
         'nn.TemporalMaxPooling: expected a 2D (nFrame x frameSize) or 3D (N x nFrame x frameSize) input, got 2x3x4x5')
      m:forward(torch.randn(8, 2))
      assert.has_error(function() m:backward(torch.randn(8, 2), torch.randn(3, 2)) end,
         'nn.TemporalMaxPooling: gradOutput has size 3x2, expected 2x2')
   end)
end)

-- Direct 3D convolution of one volume x (nIn, T, H, W) with w (nOut, nIn,
-- kT, kH, kW), stride d = {dT, dH, dW}, padding p = {pT, pH, pW}.
local function conv3d_ref(x, w, b, d, p)
   local nIn, T, H, W = x:size(1), x:size(2), x:size(3), x:size(4)
   local nOut, kT, kH, kW = w:size(1), w:size(3), w:size(4), w:size(5)
   local oT = math.floor((T + 2 * p[1] - kT) / d[1]) + 1
   local oH = math.floor((H + 2 * p[2] - kH) / d[2]) + 1
   local oW = math.floor((W + 2 * p[3] - kW) / d[3]) + 1
   local y = torch.zeros(nOut, oT, oH, oW)
   for o = 1, nOut do for z = 1, oT do for i = 1, oH do for j = 1, oW do
      local s = b and b[o] or 0
      for c = 1, nIn do for a = 1, kT do for u = 1, kH do for v = 1, kW do
         local t, yi, xj = (z - 1) * d[1] - p[1] + a, (i - 1) * d[2] - p[2] + u, (j - 1) * d[3] - p[3] + v
         if t >= 1 and t <= T and yi >= 1 and yi <= H and xj >= 1 and xj <= W then
            s = s + x[c][t][yi][xj] * w[o][c][a][u][v]
         end
      end end end end
      y[o][z][i][j] = s
   end end end end
   return y
end

-- 3D pooling of one plane x (T, H, W) by a reducer over the window values
-- inside the volume; k, d, p ordered {T, H, W}; sizes oT, oH, oW given.
local function pool3d_ref(x, k, d, p, osz, reduce)
   local y = torch.zeros(osz[1], osz[2], osz[3])
   local T, H, W = x:size(1), x:size(2), x:size(3)
   for z = 1, osz[1] do for i = 1, osz[2] do for j = 1, osz[3] do
      local vals, padded = {}, 1
      local s = { (z - 1) * d[1] - p[1], (i - 1) * d[2] - p[2], (j - 1) * d[3] - p[3] }
      for q, n in ipairs { T, H, W } do padded = padded * (math.min(s[q] + k[q], n + p[q]) - s[q]) end
      for a = s[1] + 1, s[1] + k[1] do for u = s[2] + 1, s[2] + k[2] do for v = s[3] + 1, s[3] + k[3] do
         if a >= 1 and a <= T and u >= 1 and u <= H and v >= 1 and v <= W then vals[#vals + 1] = x[a][u][v] end
      end end end
      y[z][i][j] = reduce(vals, padded)
   end end end
   return y
end
local function vmax(vals) return math.max(unpack(vals)) end
local function vmean_incl(vals, padded)
   local s = 0
   for _, v in ipairs(vals) do s = s + v end
   return s / padded
end
local function vmean_excl(vals)
   local s = 0
   for _, v in ipairs(vals) do s = s + v end
   return s / #vals
end

describe('nn.VolumetricConvolution', function()
   local cases = {
      { 2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0 },
      { 2, 2, 3, 2, 2, 2, 1, 2, 1, 0, 1 },
      { 1, 2, 1, 3, 2, 1, 2, 1, 0, 1, 0 },
      { 3, 2, 2, 3, 3, 3, 2, 2, 1, 1, 1 },
   }
   it('matches a direct convolution with strides and padding', function()
      torch.manualSeed(31)
      for _, c in ipairs(cases) do
         local m = nn.VolumetricConvolution(unpack(c))
         local x = torch.randn(2, c[1], 4, 5, 6)
         local y = m:forward(x):clone()
         for n = 1, 2 do
            local ref = conv3d_ref(x[n], m.weight, m.bias, { c[6], c[8], c[7] }, { c[9], c[11], c[10] })
            assert.are.same(ref:size():totable(), y[n]:size():totable())
            assert.is_true(U.maxdiff(y[n], ref) < 1e-13)
            assert.is_true(U.maxdiff(m:forward(x[n]), y[n]) < 1e-14)
         end
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y) < 1e-14)
      end
   end)

   it('has exact gradients for input, weight and bias', function()
      torch.manualSeed(32)
      for _, c in ipairs { cases[2], cases[4] } do
         local m = nn.VolumetricConvolution(unpack(c))
         local x = torch.randn(2, c[1], 3, 4, 4)
         assert.is_true(U.jacobianInput(m, x) < 1e-8)
         assert.is_true(U.jacobianParams(m, x) < 1e-8)
         assert.is_true(U.jacobianParams(m, x[2], 0.5) < 1e-8)
      end
   end)

   it('prints like Torch7 and defaults each padding to the one before', function()
      local m = nn.VolumetricConvolution(2, 3, 3, 3, 3, 1, 1, 1, 1)
      assert.are.same({ 1, 1, 1 }, { m.padT, m.padW, m.padH })
      assert.are.equal('nn.VolumetricConvolution(2 -> 3, 3x3x3, 1,1,1, 1,1,1)', tostring(m))
      assert.are.equal('nn.VolumetricConvolution(2 -> 3, 1x2x3)', tostring(nn.VolumetricConvolution(2, 3, 1, 2, 3)))
   end)

   it('rejects bad inputs naming the module and the sizes', function()
      local m = nn.VolumetricConvolution(2, 3, 2, 2, 2)
      assert.has_error(function() m:forward(torch.randn(3, 4, 4, 4)) end,
         'nn.VolumetricConvolution(2 -> 3, 2x2x2): input has 3 planes, expected 2')
      assert.has_error(function() m:forward(torch.randn(2, 4, 4)) end,
         'nn.VolumetricConvolution(2 -> 3, 2x2x2): expected a 4D (2 x T x H x W) or 5D (N x 2 x T x H x W) input, got 2x4x4')
      assert.has_error(function() m:forward(torch.randn(2, 1, 4, 4)) end,
         'nn.VolumetricConvolution(2 -> 3, 2x2x2): input volume 1x4x4 (padded 1x4x4) is smaller than the 2x2x2 kernel (T x H x W)')
      m:forward(torch.randn(2, 3, 3, 3))
      assert.has_error(function() m:backward(torch.randn(2, 3, 3, 3), torch.randn(3, 2, 2, 3)) end,
         'nn.VolumetricConvolution(2 -> 3, 2x2x2): gradOutput has size 3x2x2x3, expected 3x2x2x2')
   end)
end)

describe('nn.VolumetricMaxPooling and nn.VolumetricAveragePooling', function()
   -- kT, kW, kH, dT, dW, dH, padT, padW, padH
   local cases = {
      { 2, 2, 2 },
      { 3, 2, 2, 1, 2, 1 },
      { 2, 3, 2, 2, 2, 2, 1, 1, 0 },
      { 3, 3, 3, 2, 2, 2, 1, 1, 1 },
   }
   local function osz(m, x, ceil)
      local r = {}
      local k, d, p = { m.kT, m.kH, m.kW }, { m.dT, m.dH, m.dW }, { m.padT, m.padH, m.padW }
      for q = 1, 3 do
         local n = x:size(x:dim() - 3 + q)
         local f = ceil and math.ceil or math.floor
         local o = f((n + 2 * p[q] - k[q]) / d[q]) + 1
         if p[q] > 0 and (o - 1) * d[q] >= n + p[q] then o = o - 1 end
         r[q] = o
      end
      return r, k, d, p
   end
   it('match plain loops in floor and ceil mode, batch and single', function()
      torch.manualSeed(41)
      for _, c in ipairs(cases) do
         for _, ceil in ipairs { false, true } do
            local x = torch.randn(2, 2, 5, 6, 7)
            local mods = {
               { nn.VolumetricMaxPooling(unpack(c)), vmax },
               { nn.VolumetricAveragePooling(unpack(c)), vmean_incl },
               { nn.VolumetricAveragePooling(unpack(c)):setCountExcludePad(), vmean_excl },
            }
            for _, mr in ipairs(mods) do
               local m, reduce = mr[1], mr[2]
               if ceil then m:ceil() end
               local y = m:forward(x):clone()
               local o, k, d, p = osz(m, x, ceil)
               for n = 1, 2 do for ch = 1, 2 do
                  assert.is_true(U.maxdiff(y[n][ch], pool3d_ref(x[n][ch], k, d, p, o, reduce)) < 1e-14)
               end end
               assert.are.equal(0, U.maxdiff(m:forward(x[2]), y[2]))
               assert.are.equal(0, U.maxdiff(m:forward(U.noncontig(x)), y))
            end
         end
      end
   end)

   it('have exact gradients', function()
      torch.manualSeed(42)
      for _, c in ipairs { cases[2], cases[4] } do
         local x = torch.randn(2, 2, 4, 5, 5)
         assert.is_true(U.jacobianInput(nn.VolumetricMaxPooling(unpack(c)), x) < 1e-8)
         assert.is_true(U.jacobianInput(nn.VolumetricAveragePooling(unpack(c)):ceil(), x) < 1e-8)
         assert.is_true(U.jacobianInput(nn.VolumetricAveragePooling(unpack(c)):setCountExcludePad(), x[1]) < 1e-8)
      end
   end)

   it('print like Torch7 and reject bad inputs naming the module', function()
      local m = nn.VolumetricMaxPooling(2, 2, 2)
      assert.are.equal('nn.VolumetricMaxPooling(2x2x2, 2,2,2)', tostring(m))
      assert.are.equal('nn.VolumetricAveragePooling(3x3x3, 2,2,2, 1,1,1)', tostring(nn.VolumetricAveragePooling(unpack(cases[4]))))
      assert.has_error(function() m:forward(torch.randn(3, 4, 4)) end,
         'nn.VolumetricMaxPooling(2x2x2, 2,2,2): expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got 3x4x4')
      assert.has_error(function() m:forward(torch.randn(2, 1, 4, 4)) end,
         'nn.VolumetricMaxPooling(2x2x2, 2,2,2): input volume 1x4x4 (T x H x W) is smaller than the 2x2x2 kernel')
      assert.has_error(function() nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1, 2):forward(torch.randn(2, 4, 4, 4)) end,
         'nn.VolumetricAveragePooling(2x2x2, 1,1,1, 2,0,0): padding 2,0,0 should be non-negative and at most half the 2x2x2 kernel')
      m:forward(torch.randn(2, 4, 4, 4))
      assert.has_error(function() m:backward(torch.randn(2, 4, 4, 4), torch.randn(2, 2, 2, 3)) end,
         "nn.VolumetricMaxPooling(2x2x2, 2,2,2): gradOutput has size 2x2x2x3, expected the output's 2x2x2x2")
   end)
end)

describe('nn.SpatialLPPooling', function()
   it('computes window p-norms through its Sequential', function()
      torch.manualSeed(51)
      for _, p in ipairs { 2, 3 } do
         local m = nn.SpatialLPPooling(3, p, 2, 3, 1, 2)
         local x = torch.rand(2, 3, 7, 6) + 0.1
         local y = m:forward(x):clone()
         assert.are.same({ 2, 3, 3, 5 }, y:size():totable())
         for n = 1, 2 do for c = 1, 3 do for i = 1, 3 do for j = 1, 5 do
            local s = 0
            for u = 1, 3 do for v = 1, 2 do s = s + x[n][c][(i - 1) * 2 + u][j - 1 + v] ^ p end end
            assert.is_true(math.abs(s ^ (1 / p) - y[n][c][i][j]) < 1e-13)
         end end end end
         assert.is_true(U.maxdiff(m:forward(x[1]), y[1]) < 1e-14)
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y) < 1e-14)
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
      end
      local m = nn.SpatialLPPooling(2, 2, 2, 2)
      assert.are.same({ 'nn.Square', 'nn.SpatialAveragePooling', 'nn.MulConstant', 'nn.Sqrt' },
         { torch.type(m.modules[1]), torch.type(m.modules[2]), torch.type(m.modules[3]), torch.type(m.modules[4]) })
      assert.are.equal(0, #(m:parameters() or {}))
   end)

   it('rejects bad inputs naming the module', function()
      local m = nn.SpatialLPPooling(2, 2, 2, 2)
      assert.has_error(function() m:forward(torch.rand(3, 4, 4)) end, 'nn.SpatialLPPooling: input has 3 planes, expected 2')
      assert.has_error(function() m:forward(torch.rand(4, 4)) end,
         'nn.SpatialLPPooling: expected a 3D (2 x H x W) or 4D (N x 2 x H x W) input, got 4x4')
      assert.has_error(function() m:forward(torch.rand(2, 1, 4)) end,
         'nn.SpatialLPPooling: input image 1x4 is smaller than the 2x2 kernel')
   end)
end)

describe('nn.SpatialConvolutionLocal', function()
   -- out[o][y][x] = b[o][y][x] + sum w[y][x][o][c][i][j] * x[c][(y-1)dH - padH + i][(x-1)dW - padW + j]
   local function local_ref(x, m)
      local y = torch.zeros(m.nOutputPlane, m.oH, m.oW)
      for o = 1, m.nOutputPlane do for i = 1, m.oH do for j = 1, m.oW do
         local s = m.bias[o][i][j]
         for c = 1, m.nInputPlane do for u = 1, m.kH do for v = 1, m.kW do
            local yi, xj = (i - 1) * m.dH - m.padH + u, (j - 1) * m.dW - m.padW + v
            if yi >= 1 and yi <= m.iH and xj >= 1 and xj <= m.iW then s = s + x[c][yi][xj] * m.weight[i][j][o][c][u][v] end
         end end end
         y[o][i][j] = s
      end end end
      return y
   end
   local cases = { { 2, 3, 5, 4, 3, 2 }, { 1, 2, 6, 5, 2, 3, 2, 1, 1, 0 }, { 3, 2, 4, 4, 3, 3, 2, 2, 1, 1 } }

   it('matches a plain loop with its own filter at every location', function()
      torch.manualSeed(61)
      for _, c in ipairs(cases) do
         local m = nn.SpatialConvolutionLocal(unpack(c))
         local x = torch.randn(2, c[1], c[4], c[3])
         local y = m:forward(x):clone()
         for n = 1, 2 do
            assert.is_true(U.maxdiff(y[n], local_ref(x[n], m)) < 1e-13)
            assert.is_true(U.maxdiff(m:forward(x[n]), y[n]) < 1e-14)
         end
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y) < 1e-14)
      end
   end)

   it('has exact gradients for input, weight and bias', function()
      torch.manualSeed(62)
      for _, c in ipairs { cases[2], cases[3] } do
         local m = nn.SpatialConvolutionLocal(unpack(c))
         local x = torch.randn(2, c[1], c[4], c[3])
         assert.is_true(U.jacobianInput(m, x) < 1e-8)
         assert.is_true(U.jacobianParams(m, x) < 1e-8)
         assert.is_true(U.jacobianParams(m, x[1], 0.5) < 1e-8)
      end
   end)

   it('prints like Torch7 and rejects bad inputs naming the module', function()
      local m = nn.SpatialConvolutionLocal(2, 3, 5, 4, 3, 2)
      assert.are.equal('nn.SpatialConvolutionLocal(2 -> 3, 5x4, 3x2)', tostring(m))
      assert.are.same({ 3, 3, 3, 2, 2, 3 }, m.weight:size():totable())
      assert.has_error(function() m:forward(torch.randn(2, 5, 4)) end,
         'nn.SpatialConvolutionLocal(2 -> 3, 5x4, 3x2): input has size 2x5x4, expected 2x4x5')
      assert.has_error(function() m:forward(torch.randn(4, 5)) end,
         'nn.SpatialConvolutionLocal(2 -> 3, 5x4, 3x2): expected a 3D (2 x 4 x 5) or 4D (N x 2 x 4 x 5) input, got 4x5')
      m:forward(torch.randn(2, 4, 5))
      assert.has_error(function() m:backward(torch.randn(2, 4, 5), torch.randn(3, 3, 4)) end,
         'nn.SpatialConvolutionLocal(2 -> 3, 5x4, 3x2): gradOutput has size 3x3x4, expected 3x3x3')
      assert.has_error(function() nn.SpatialConvolutionLocal(1, 1, 2, 2, 3, 3) end,
         'nn.SpatialConvolutionLocal: illegal configuration: the 3x3 kernel gives an output of 0x0 from the 2x2 input')
   end)
end)

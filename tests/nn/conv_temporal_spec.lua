-- Temporal and volumetric modules (TemporalConvolution,
-- TemporalMaxPooling, VolumetricConvolution, VolumetricMaxPooling,
-- VolumetricAveragePooling, SpatialLPPooling): values against plain
-- loops, Jacobians in double, batch vs single sample, non-contiguous
-- inputs, stride and padding edge cases, messages.
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

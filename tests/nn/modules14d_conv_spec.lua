-- Issue 14 (nn14): the connection-table, depthwise, dilated, transposed
-- and fractional convolutions and poolings. Values against plain-Lua
-- references, identities with the existing modules, or Torch7's results
-- (tests/nn/modules14d_data.lua); Jacobians in double; non-contiguous
-- inputs; bad inputs named. The Torch7 recordings of nn_modules2.lua are
-- matched in fixtures2_spec.lua.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')
local D = dofile(NNLUA_ROOT .. '/tests/nn/modules14d_data.lua')

local function errorOf(f)
   local ok, err = pcall(f)
   assert.is_false(ok)
   return tostring(err)
end

local function close(a, b, tol)
   assert.are.same(b:size():totable(), a:size():totable())
   local d = U.maxdiff(a, b)
   assert.is_true(d <= (tol or 1e-12), 'max difference ' .. d)
end

describe('nn.tables and nn.SpatialConvolutionMap', function()
   it('builds Torch7 connection tables', function()
      assert.are.same({ { 1, 1 }, { 2, 1 }, { 1, 2 }, { 2, 2 } }, nn.tables.full(2, 2):totable())
      assert.are.same({ { 1, 1 }, { 2, 2 }, { 3, 3 } }, nn.tables.oneToOne(3):totable())
      torch.manualSeed(3)
      local t = nn.tables.random(5, 4, 2)
      assert.are.same({ 8, 2 }, t:size():totable())
      for o = 1, 4 do
         local a, b = t[2 * o - 1], t[2 * o]
         assert.are.equal(o, a[2])
         assert.are.equal(o, b[2])
         assert.are_not.equal(a[1], b[1])
      end
      assert.matches('nn.tables.random: nto %(3%) exceeds', errorOf(function() nn.tables.random(2, 2, 3) end))
   end)

   it('equals a SpatialConvolution whose weight is zero off the table', function()
      torch.manualSeed(4)
      local tbl = torch.Tensor { { 1, 1 }, { 3, 1 }, { 2, 2 }, { 3, 2 } }
      local m = nn.SpatialConvolutionMap(tbl, 3, 2, 2, 1)
      assert.are.equal(3, m.nInputPlane)
      assert.are.equal(2, m.nOutputPlane)
      local c = nn.SpatialConvolution(3, 2, 3, 2, 2, 1)
      c.weight:zero()
      for k = 1, 4 do c.weight[tbl[k][2]][tbl[k][1]]:copy(m.weight[k]) end
      c.bias:copy(m.bias)
      local x = torch.randn(2, 3, 6, 7)
      close(m:forward(x), c:forward(x))
      local go = torch.randn(c.output:size())
      m:zeroGradParameters()
      c:zeroGradParameters()
      close(m:backward(x, go), c:backward(x, go))
      for k = 1, 4 do close(m.gradWeight[k], c.gradWeight[tbl[k][2]][tbl[k][1]]) end
      close(m.gradBias, c.gradBias)
      -- a non-contiguous input, one image
      close(m:forward(U.noncontig(x[1])), c:forward(x[1]))
      assert.is_true(U.jacobianInput(m, x[1]) < 1e-6)
      assert.is_true(U.jacobianParams(m, x[1], 0.5) < 1e-6)
      assert.are.equal('nn.SpatialConvolutionMap', tostring(m))
   end)

   it('SpatialFullConvolutionMap equals SpatialFullConvolution on the table', function()
      torch.manualSeed(5)
      local tbl = nn.tables.oneToOne(2)
      local m = nn.SpatialFullConvolutionMap(tbl, 3, 3, 2, 2)
      local c = nn.SpatialFullConvolution(2, 2, 3, 3, 2, 2)
      c.weight:zero()
      for k = 1, 2 do c.weight[k][k]:copy(m.weight[k]) end
      c.bias:copy(m.bias)
      local x = torch.randn(2, 4, 3)
      close(m:forward(x), c:forward(x))
      assert.are.same({ 2, 9, 7 }, m.output:size():totable())
      close(m:forward(U.noncontig(x)), c.output)
      assert.is_true(U.jacobianInput(m, x) < 1e-6)
      assert.is_true(U.jacobianParams(m, x) < 1e-6)
   end)

   it('names the module and the sizes for a bad input', function()
      local m = nn.SpatialConvolutionMap(nn.tables.full(2, 3), 3, 3)
      assert.matches('nn.SpatialConvolutionMap: input has 4 planes, expected 2',
         errorOf(function() m:forward(torch.randn(4, 5, 5)) end))
      assert.matches('nn.SpatialConvolutionMap: expected a 3D', errorOf(function() m:forward(torch.randn(5, 5)) end))
      assert.matches('expected a K x 2 connection table', errorOf(function() nn.SpatialConvolutionMap(torch.ones(3), 3, 3) end))
   end)
end)

describe('nn.SpatialDepthWiseConvolution', function()
   it('convolves each input plane with its own kernels, planes (i-1)*nOut + o', function()
      torch.manualSeed(6)
      local m = nn.SpatialDepthWiseConvolution(3, 2, 3, 2, 1, 2, 1, 0)
      local x = torch.randn(2, 3, 5, 6)
      local y = m:forward(x)
      assert.are.same({ 2, 6, 2, 6 }, y:size():totable())
      local w = m.weight:view(2, 3, 2, 3)
      for i = 1, 3 do
         local c = nn.SpatialConvolution(1, 2, 3, 2, 1, 2, 1, 0)
         c.weight:copy(w:select(2, i))
         c.bias:copy(m.bias:select(2, i))
         close(y:narrow(2, (i - 1) * 2 + 1, 2), c:forward(x:narrow(2, i, 1)))
      end
      close(m:forward(U.noncontig(x)), y)
      -- a batch of 8 small images (the driver puts several images' columns in one GEMM per group)
      local xb = torch.randn(8, 3, 4, 4)
      local yb = m:forward(xb):clone()
      local gob = torch.randn(yb:size())
      m:zeroGradParameters()
      local gib = m:backward(xb, gob):clone()
      local gwb, gbb = m.gradWeight:clone():view(2, 3, 2, 3), m.gradBias:clone()
      for i = 1, 3 do
         local c = nn.SpatialConvolution(1, 2, 3, 2, 1, 2, 1, 0)
         c.weight:copy(w:select(2, i))
         c.bias:copy(m.bias:select(2, i))
         local planes = yb:narrow(2, (i - 1) * 2 + 1, 2)
         close(planes, c:forward(xb:narrow(2, i, 1)))
         c:zeroGradParameters()
         close(gib:narrow(2, i, 1), c:backward(xb:narrow(2, i, 1), gob:narrow(2, (i - 1) * 2 + 1, 2)))
         close(gwb:select(2, i), c.gradWeight:view(2, 2, 3))
         close(gbb:select(2, i), c.gradBias)
      end
      -- Torch7 leaves the weight 4D after a forward
      assert.are.same({ 2, 3, 2, 3 }, m.weight:size():totable())
      assert.is_true(U.jacobianInput(m, x[1]) < 1e-6)
      assert.is_true(U.jacobianParams(m, x, 0.5) < 1e-6)
      assert.are.equal('nn.SpatialDepthWiseConvolution(3 -> 2, 3x2, 1,2, 1,0)', tostring(m))
      assert.are.equal('nn.SpatialDepthWiseConvolution(3 -> 2, 3x3) without bias',
         tostring(nn.SpatialDepthWiseConvolution(3, 2, 3, 3):noBias()))
   end)
   it('names the module for a bad input', function()
      local m = nn.SpatialDepthWiseConvolution(3, 2, 3, 3)
      assert.matches('nn.SpatialDepthWiseConvolution%(3 %-> 2, 3x3%): input has 2 planes, expected 3',
         errorOf(function() m:forward(torch.randn(2, 5, 5)) end))
   end)
end)

-- max over the dilated window of a plane, taps outside skipped
local function dilatedMax2d(x, kW, kH, dW, dH, padW, padH, dilW, dilH, oH, oW)
   local y = torch.Tensor(oH, oW)
   for i = 1, oH do
      for j = 1, oW do
         local best = -math.huge
         for a = 0, kH - 1 do
            for b = 0, kW - 1 do
               local r, c = (i - 1) * dH - padH + a * dilH + 1, (j - 1) * dW - padW + b * dilW + 1
               if r >= 1 and r <= x:size(1) and c >= 1 and c <= x:size(2) then best = math.max(best, x[r][c]) end
            end
         end
         y[i][j] = best
      end
   end
   return y
end

describe('nn.SpatialDilatedMaxPooling and nn.VolumetricDilatedMaxPooling', function()
   it('takes the max over dilated windows, with padding and ceil mode', function()
      torch.manualSeed(7)
      local m = nn.SpatialDilatedMaxPooling(3, 2, 2, 1, 1, 1, 2, 3):ceil()
      local x = torch.randn(2, 2, 9, 8)
      local y = m:forward(x)
      -- H: ceil((9 + 2 - 4) / 1) + 1 = 8; W: ceil((8 + 2 - 5) / 2) + 1 = 4
      assert.are.same({ 2, 2, 8, 4 }, y:size():totable())
      for n = 1, 2 do
         for c = 1, 2 do close(y[n][c], dilatedMax2d(x[n][c], 3, 2, 2, 1, 1, 1, 2, 3, 8, 4), 0) end
      end
      close(m:forward(U.noncontig(x)), y, 0)
      -- the gradient goes to each window's maximum
      local g = m:backward(x, torch.ones(y:size()))
      assert.are.equal(y:nElement(), g:sum())
      assert.is_true(U.jacobianInput(m, x) < 1e-6)
      assert.are.equal('nn.SpatialDilatedMaxPooling(3x2, 2,1, 1,1, 2,3)', tostring(m))
   end)
   it('is SpatialMaxPooling at dilation 1, and VolumetricMaxPooling likewise', function()
      local x = torch.randn(3, 7, 6)
      close(nn.SpatialDilatedMaxPooling(3, 2, 2, 2, 1, 1):forward(x), nn.SpatialMaxPooling(3, 2, 2, 2, 1, 1):forward(x), 0)
      local v = torch.randn(2, 2, 5, 6, 7)
      close(nn.VolumetricDilatedMaxPooling(2, 3, 2, 1, 2, 1):forward(v), nn.VolumetricMaxPooling(2, 3, 2, 1, 2, 1):forward(v),
         0)
   end)
   it('VolumetricDilatedMaxPooling: dilated volumes, backward through the maxima', function()
      torch.manualSeed(8)
      local m = nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 2, 1, 0, 1, 0, 2, 2, 1)
      local x = torch.randn(2, 5, 4, 6)
      local y = m:forward(x)
      -- T: (5 - 3) + 1 = 3; H: (4 - 2) / 1 + 1 = 3; W: (6 + 2 - 3) / 2 + 1 = 3
      assert.are.same({ 2, 3, 3, 3 }, y:size():totable())
      -- each output is the max over its taps (t + 2i, h + j, w + 2k)
      for c = 1, 2 do
         for t = 1, 3 do
            for h = 1, 3 do
               for w = 1, 3 do
                  local best = -math.huge
                  for i = 0, 1 do
                     for j = 0, 1 do
                        for k = 0, 1 do
                           local ww = (w - 1) * 2 - 1 + 2 * k + 1
                           if ww >= 1 and ww <= 6 then best = math.max(best, x[c][t + 2 * i][h + j][ww]) end
                        end
                     end
                  end
                  assert.are.equal(best, y[c][t][h][w])
               end
            end
         end
      end
      close(m:forward(U.noncontig(x)), y, 0)
      assert.is_true(U.jacobianInput(m, x) < 1e-6)
      assert.are.equal('nn.VolumetricDilatedMaxPooling(2x2x2, 1,2,1, 0,1,0, 2,2,1)', tostring(m))
   end)
   it('names the module and the sizes for a bad input', function()
      assert.matches('nn.SpatialDilatedMaxPooling%(2x2, 1,1, 3,3%): input grid 1x3x3 %(T x H x W%) is too small',
         errorOf(function() nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 3, 3):forward(torch.randn(1, 3, 3)) end))
      assert.matches('nn.VolumetricDilatedMaxPooling.*expected a 4D %(C x T x H x W%) or 5D',
         errorOf(function() nn.VolumetricDilatedMaxPooling(2, 2, 2):forward(torch.randn(3, 4, 4)) end))
   end)
end)

describe('nn.VolumetricDilatedConvolution and nn.VolumetricFullConvolution', function()
   it('VolumetricDilatedConvolution is VolumetricConvolution at dilation 1 and a strided one on a dilated kernel',
      function()
         torch.manualSeed(9)
         local x = torch.randn(2, 2, 5, 6, 5)
         local d = nn.VolumetricDilatedConvolution(2, 3, 2, 2, 2, 1, 1, 1, 1, 0, 1, 1, 1, 1)
         local c = nn.VolumetricConvolution(2, 3, 2, 2, 2, 1, 1, 1, 1, 0, 1)
         c.weight:copy(d.weight)
         c.bias:copy(d.bias)
         close(d:forward(x), c:forward(x))
         -- dilation 2: the same as a 3x3x3 kernel whose odd taps are zero
         local d2 = nn.VolumetricDilatedConvolution(2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2)
         local c3 = nn.VolumetricConvolution(2, 3, 3, 3, 3)
         c3.weight:zero()
         for i = 1, 2 do
            for j = 1, 2 do
               for k = 1, 2 do
                  c3.weight[{ {}, {}, 2 * i - 1, 2 * j - 1, 2 * k - 1 }]:copy(d2.weight[{ {}, {}, i, j, k }])
               end
            end
         end
         c3.bias:copy(d2.bias)
         close(d2:forward(x), c3:forward(x))
         close(d2:forward(U.noncontig(x)), c3.output)
         local xs = torch.randn(2, 3, 4, 3)
         assert.is_true(U.jacobianInput(d2, xs) < 1e-6)
         assert.is_true(U.jacobianParams(d2, xs, 0.5) < 1e-6)
         assert.are.equal('nn.VolumetricDilatedConvolution(2 -> 3, 2x2x2, 2,2,2)', tostring(d2))
         assert.matches('nn.VolumetricDilatedConvolution.*input volume 2x2x2 %(padded 2x2x2%) is smaller than the 3x3x3',
            errorOf(function() d2:forward(torch.randn(2, 2, 2, 2)) end))
      end)

   it('VolumetricFullConvolution is the input gradient of VolumetricConvolution', function()
      torch.manualSeed(10)
      local f = nn.VolumetricFullConvolution(2, 3, 3, 2, 2, 2, 1, 2, 1, 0, 1, 1, 0, 1)
      local c = nn.VolumetricConvolution(3, 2, 3, 2, 2, 2, 1, 2, 1, 0, 1)
      c.weight:copy(f.weight)
      local x = torch.randn(2, 2, 3, 4, 3)
      local y = f:forward(x)
      -- T: (3-1)*2 - 2 + 3 + 1 = 6; H: (4-1)*2 - 2 + 2 + 1 = 7; W: (3-1)*1 + 2 = 4
      assert.are.same({ 2, 3, 6, 7, 4 }, y:size():totable())
      c:forward(y)
      local expect = c:updateGradInput(y, x):clone()
      close(y - f.bias:view(1, 3, 1, 1, 1):expandAs(y), expect)
      close(f:forward(U.noncontig(x)), y)
      assert.is_true(U.jacobianInput(f, x[1]) < 1e-6)
      assert.is_true(U.jacobianParams(f, x[1], 0.5) < 1e-6)
      assert.are.equal('nn.VolumetricFullConvolution(2 -> 3, 3x2x2, 2,1,2, 1,0,1, 1,0,1)', tostring(f))
      -- {input, target}: the adjustments give the target's size
      local g = nn.VolumetricFullConvolution(2, 3, 3, 3, 3, 2, 2, 2)
      local out = g:forward({ x[1], torch.Tensor(3, 8, 10, 7) })
      assert.are.same({ 3, 8, 10, 7 }, out:size():totable())
      local gi = g:backward({ x[1], torch.Tensor(3, 8, 10, 7) }, out:clone():fill(1))
      assert.are.same({ 2, 3, 4, 3 }, gi[1]:size():totable())
      assert.are.equal(0, gi[2]:abs():sum())
      assert.matches('adjT, adjW and adjH must be smaller than dT, dW and dH',
         errorOf(function() nn.VolumetricFullConvolution(2, 3, 3, 3, 3, 1, 1, 1, 0, 0, 0, 1, 0, 0) end))
      assert.matches('nn.VolumetricFullConvolution.*input has 3 planes, expected 2',
         errorOf(function() g:forward(torch.randn(3, 2, 2, 2)) end))
   end)
end)

describe('nn.SpatialFractionalMaxPooling and nn.VolumetricFractionalMaxPooling', function()
   local function input2d()
      local x = torch.Tensor(2, 2, 7, 6)
      for i = 1, x:nElement() do x:storage()[i] = math.sin(i * 1.7) end
      return x
   end
   it("places the windows from fixed samples as Torch7 does", function()
      local m = nn.SpatialFractionalMaxPooling(2, 3, 3, 4)
      m.randomSamples = torch.Tensor({ 0.2, 0.7, 0.9, 0.1, 0.4, 0.55, 0.05, 0.95 }):view(2, 2, 2)
      m:fixPoolingRegions()
      local x = input2d()
      close(m:forward(x), torch.Tensor(D.fs_out):view(2, 2, 4, 3), 0)
      close(m:forward(U.noncontig(x)), torch.Tensor(D.fs_out):view(2, 2, 4, 3), 0)
      -- the samples stay fixed: a second forward gives the same
      close(m:forward(x), torch.Tensor(D.fs_out):view(2, 2, 4, 3), 0)
      assert.is_true(U.jacobianInput(m, x) < 1e-6)
      assert.are.equal('nn.SpatialFractionalMaxPooling(3x4, 2,3)', tostring(m))
      local v = nn.VolumetricFractionalMaxPooling(2, 2, 3, 3, 4, 2)
      v.randomSamples = torch.Tensor({ 0.3, 0.6, 0.8, 0.15, 0.45, 0.7 }):view(1, 2, 3)
      v:fixPoolingRegions()
      local xv = torch.Tensor(1, 2, 5, 6, 7)
      for i = 1, xv:nElement() do xv:storage()[i] = math.cos(i * 0.9) end
      -- Torch7's layout: the last dimension gets outT = 3, the one before outW = 4, the third-last outH = 2
      close(v:forward(xv), torch.Tensor(D.fv_out):view(1, 2, 2, 4, 3), 0)
      assert.is_true(U.jacobianInput(v, xv[1]) < 1e-6)
      assert.are.equal('nn.VolumetricFractionalMaxPooling(3x4x2, 2,2,3)', tostring(v))
   end)
   it("draws its samples from the torch generator as Torch7 (Torch7's sums after manualSeed(5))", function()
      torch.manualSeed(5)
      local x = torch.Tensor(2, 2, 6, 7)
      for i = 1, x:nElement() do x:storage()[i] = math.sin(i * 0.37) end
      local m = nn.SpatialFractionalMaxPooling(2, 2, 3, 3)
      assert.is_true(math.abs(m:forward(x):sum() - 26.020292561793582) < 1e-12)
      assert.is_true(math.abs(m.randomSamples:sum() - 4.4477453869767487) < 1e-12)
      assert.is_true(math.abs(m:forward(x):sum() - 25.807357480188443) < 1e-12)
      assert.is_true(math.abs(m.randomSamples:sum() - 3.7118145846761763) < 1e-12)
      local v = nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.5, 0.5)
      local xv = torch.Tensor(1, 2, 6, 7, 8)
      for i = 1, xv:nElement() do xv:storage()[i] = math.sin(i * 0.37) end
      local yv = v:forward(xv)
      assert.are.same({ 1, 2, 3, 3, 4 }, yv:size():totable())
      assert.is_true(math.abs(yv:sum() - 67.978407117777749) < 1e-12)
      assert.is_true(math.abs(v.randomSamples:sum() - 3.0138244887348264) < 1e-12)
   end)
   it('draws new samples at each forward unless fixed, and takes ratios', function()
      torch.manualSeed(11)
      local m = nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.75)
      local x = torch.randn(3, 3, 10, 8)
      local y = m:forward(x)
      assert.are.same({ 3, 3, 7, 4 }, y:size():totable())
      local s1 = m.randomSamples:clone()
      m:forward(x)
      assert.is_true(U.maxdiff(s1, m.randomSamples) > 0)
      -- every output is one of its plane's inputs, and at least the plane's minimum
      for n = 1, 3 do
         for c = 1, 3 do assert.is_true(y[n][c]:min() >= x[n][c]:min() and y[n][c]:max() <= x[n][c]:max()) end
      end
   end)
   it('names the module and the sizes for a bad input', function()
      assert.matches('nn.SpatialFractionalMaxPooling%(5x5, 2,2%): input grid 1x4x4 %(T x H x W%) is too small for 5 windows of 2',
         errorOf(function() nn.SpatialFractionalMaxPooling(2, 2, 5, 5):forward(torch.randn(1, 4, 4)) end))
      assert.matches('nn.SpatialFractionalMaxPooling%(2x2, 2,2%): expected a 3D %(C x H x W%) or 4D',
         errorOf(function() nn.SpatialFractionalMaxPooling(2, 2, 2, 2):forward(torch.randn(4, 4)) end))
      assert.matches('ratios must lie in %(0, 1%)', errorOf(function() nn.SpatialFractionalMaxPooling(2, 2, 0.5, 1.5) end))
   end)
end)

describe('nn.VolumetricMaxUnpooling', function()
   it('puts each value back at its maximum, zeros elsewhere', function()
      torch.manualSeed(12)
      local p = nn.VolumetricMaxPooling(2, 2, 2)
      local u = nn.VolumetricMaxUnpooling(p)
      local x = torch.randn(2, 3, 4, 4, 5)
      local y = p:forward(x)
      local z = u:forward(y)
      assert.are.same({ 2, 3, 4, 4, 5 }, z:size():totable())
      -- nonzero exactly where x is its window's maximum, with x's value
      local mask = z:ne(0)
      assert.are.equal(y:nElement(), mask:sum())
      close(z:maskedSelect(mask), x:maskedSelect(mask), 0)
      -- backward gathers at the same places; the pooling undoes the unpooling
      local go = torch.randn(z:size())
      close(u:backward(y, go), go:maskedSelect(mask):view(y:size()) * 0 + u.gradInput, 0)
      close(p:forward(z), y, 0)
      close(u:forward(U.noncontig(y)), z, 0)
      assert.is_true(U.jacobianInput(u, y) < 1e-6)
      assert.are.equal('nn.VolumetricMaxUnpooling associated to nn.VolumetricMaxPooling(2x2x2, 2,2,2)', tostring(u))
   end)
   it('refuses a pooling module with stride and kernel apart, and input of another size', function()
      assert.matches('kernel must equal its stride',
         errorOf(function() nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2, 1, 1, 1)) end))
      local p = nn.VolumetricMaxPooling(2, 2, 2)
      local u = nn.VolumetricMaxUnpooling(p)
      p:forward(torch.randn(2, 4, 4, 4))
      assert.matches("nn.VolumetricMaxUnpooling.*input has size 2x3x2x2, expected the pooling's output size 2x2x2x2",
         errorOf(function() u:forward(torch.randn(2, 3, 2, 2)) end))
   end)
end)

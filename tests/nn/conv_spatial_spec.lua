-- SpatialConvolution(MM), SpatialDilatedConvolution, SpatialFullConvolution:
-- forward against direct loops, Jacobians in double, batch vs single
-- image, non-contiguous inputs, float vs double, threads, bad sizes.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')

local function batch_ref(ref, x, ...)
   local outs = {}
   for n = 1, x:size(1) do outs[n] = ref(x[n], ...) end
   local y = torch.Tensor(x:size(1), outs[1]:size(1), outs[1]:size(2), outs[1]:size(3))
   for n = 1, x:size(1) do y[n]:copy(outs[n]) end
   return y
end

describe('nn.SpatialConvolution', function()
   local cases = {
      -- nIn, nOut, kW, kH, dW, dH, padW, padH, H, W
      { 2, 3, 3, 3, 1, 1, 0, 0, 6, 5 },
      { 3, 4, 3, 2, 2, 1, 1, 2, 7, 6 },
      { 1, 2, 5, 5, 3, 3, 2, 2, 9, 11 },
      { 2, 2, 1, 1, 1, 1, 0, 0, 4, 3 },
      { 2, 3, 4, 3, 3, 2, 1, 0, 5, 8 },   -- stride that skips the last columns
   }
   for _, c in ipairs(cases) do
      local nIn, nOut, kW, kH, dW, dH, padW, padH, H, W = unpack(c)
      it(string.format('matches a direct convolution (%s)', table.concat(c, ',')), function()
         torch.manualSeed(1)
         local m = nn.SpatialConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH)
         local x = torch.randn(2, nIn, H, W)
         local ref = batch_ref(U.conv2d, x, m.weight, m.bias, dW, dH, padW, padH)
         assert.is_true(U.maxdiff(m:forward(x), ref) < 1e-12)
         -- single image agrees with the batch
         assert.is_true(U.maxdiff(m:forward(x[2]), ref[2]) < 1e-12)
         -- non-contiguous input
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), ref) < 1e-12)
      end)
      it(string.format('has exact input and parameter gradients (%s)', table.concat(c, ',')), function()
         torch.manualSeed(2)
         local m = nn.SpatialConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH)
         local x = torch.randn(2, nIn, H, W)
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
         assert.is_true(U.jacobianParams(m, x, 0.5) < 1e-7)
         assert.is_true(U.jacobianInput(m, x[1]) < 1e-7)
         assert.is_true(U.jacobianParams(m, x[1]) < 1e-7)
      end)
   end

   it('initialises as Torch7: uniform(-1/sqrt(kW*kH*nIn), ...) weight then bias', function()
      torch.manualSeed(5)
      local m = nn.SpatialConvolution(3, 4, 5, 3)
      torch.manualSeed(5)
      local stdv = 1 / math.sqrt(5 * 3 * 3)
      local w = torch.Tensor(4, 3, 3, 5):uniform(-stdv, stdv)
      local b = torch.Tensor(4):uniform(-stdv, stdv)
      assert.are.equal(0, U.maxdiff(m.weight, w))
      assert.are.equal(0, U.maxdiff(m.bias, b))
      assert.are.same({ 4, 45 }, nn.SpatialConvolutionMM(3, 4, 5, 3).weight:size():totable())
   end)

   it('MM shares the results with a 2D weight', function()
      torch.manualSeed(3)
      local a = nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)
      local b = nn.SpatialConvolutionMM(3, 4, 3, 3, 1, 1, 1, 1)
      b.weight:copy(a.weight:view(4, 27))
      b.bias:copy(a.bias)
      local x = torch.randn(3, 3, 7, 7)
      assert.is_true(U.maxdiff(a:forward(x), b:forward(x)) < 1e-13)
      local go = torch.randn(3, 4, 7, 7)
      a:zeroGradParameters(); b:zeroGradParameters()
      assert.is_true(U.maxdiff(a:backward(x, go), b:backward(x, go)) < 1e-13)
      assert.is_true(U.maxdiff(a.gradWeight:view(4, 27), b.gradWeight) < 1e-12)
      assert.is_true(U.jacobianParams(b, x:narrow(1, 1, 2)) < 1e-7)
   end)

   it('noBias drops the bias', function()
      torch.manualSeed(4)
      local m = nn.SpatialConvolution(2, 3, 3, 3):noBias()
      local x = torch.randn(2, 5, 5)
      assert.is_true(U.maxdiff(m:forward(x), U.conv2d(x, m.weight, nil, 1, 1, 0, 0)) < 1e-12)
      assert.are.equal(1, #m:parameters())
      assert.is_true(U.jacobianParams(m, x) < 1e-7)
   end)

   it('groups small images into one GEMM and agrees with image by image, with 1, 2 or 3 threads', function()
      -- outputs of 5x5 (and 3x2) are far below the GEMM width nnlua wants,
      -- so a batch of 9 runs grouped GEMMs, with a shorter last group
      torch.manualSeed(9)
      for _, c in ipairs { { 3, 4, 3, 3, 1, 1, 1, 1, 5, 5 }, { 2, 5, 3, 2, 2, 2, 0, 1, 4, 6 } } do
         local nIn, nOut, kW, kH, dW, dH, padW, padH, H, W = unpack(c)
         local m = nn.SpatialConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH)
         local x = torch.randn(9, nIn, H, W)
         local ref = batch_ref(U.conv2d, x, m.weight, m.bias, dW, dH, padW, padH)
         local go = torch.randn(ref:size())
         -- image by image: the single-image path
         local gi1, gw1, gb1 = torch.Tensor(x:size()), m.gradWeight:clone():zero(), m.gradBias:clone():zero()
         for n = 1, 9 do
            m:zeroGradParameters()
            m:forward(x[n])
            gi1[n]:copy(m:backward(x[n], go[n]))
            gw1:add(m.gradWeight)
            gb1:add(m.gradBias)
         end
         local threads = torch.getnumthreads()
         for _, nt in ipairs { 1, 2, 3 } do
            torch.setnumthreads(nt)
            m:zeroGradParameters()
            assert.is_true(U.maxdiff(m:forward(x), ref) < 1e-12)
            assert.is_true(U.maxdiff(m:backward(x, go), gi1) < 1e-12)
            assert.is_true(U.maxdiff(m.gradWeight, gw1) < 1e-11)
            assert.is_true(U.maxdiff(m.gradBias, gb1) < 1e-11)
            -- non-contiguous batch
            assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), ref) < 1e-12)
         end
         torch.setnumthreads(threads)
         assert.is_true(U.jacobianInput(m, x:narrow(1, 1, 5)) < 1e-7)
         assert.is_true(U.jacobianParams(m, x:narrow(1, 1, 5), 0.5) < 1e-7)
      end
   end)

   it('float agrees with double, with 1 or 2 threads', function()
      torch.manualSeed(6)
      local m = nn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1)
      local x, go = torch.randn(5, 4, 9, 8), torch.randn(5, 6, 9, 8)
      m:zeroGradParameters()
      local y = m:forward(x):clone()
      local gi = m:backward(x, go):clone()
      local gw = m.gradWeight:clone()
      local threads = torch.getnumthreads()
      for _, nt in ipairs { 1, 2 } do
         torch.setnumthreads(nt)
         local f = m:clone():float()
         f:zeroGradParameters()
         assert.is_true(U.maxdiff(f:forward(x:float()), y) < 1e-4)
         assert.is_true(U.maxdiff(f:backward(x:float(), go:float()), gi) < 1e-4)
         assert.is_true(U.maxdiff(f.gradWeight, gw) < 1e-3)
      end
      torch.setnumthreads(threads)
   end)

   it('names the module and the expected size in its errors', function()
      local m = nn.SpatialConvolution(3, 16, 5, 5)
      assert.has_error(function() m:forward(torch.randn(4, 10, 10)) end,
         'nn.SpatialConvolution(3 -> 16, 5x5): input has 4 planes, expected 3')
      assert.has_error(function() m:forward(torch.randn(10, 10)) end,
         'nn.SpatialConvolution(3 -> 16, 5x5): expected a 3D (3 x H x W) or 4D (N x 3 x H x W) input, got 10x10')
      assert.has_error(function() m:forward(torch.randn(3, 4, 9)) end,
         'nn.SpatialConvolution(3 -> 16, 5x5): input image 4x9 (padded 4x9) is smaller than the 5x5 kernel')
      m:forward(torch.randn(2, 3, 9, 9))
      assert.has_error(function() m:backward(torch.randn(2, 3, 9, 9), torch.randn(2, 16, 4, 5)) end,
         'nn.SpatialConvolution(3 -> 16, 5x5): gradOutput has size 2x16x4x5, expected 2x16x5x5')
      assert.has_error(function() m:forward(torch.randn(3, 9, 9):float()) end,
         'nn.SpatialConvolution(3 -> 16, 5x5): input is torch.FloatTensor but the module is torch.DoubleTensor; '
            .. 'call model:float() or input:double()')
   end)
end)

describe('nn.SpatialDilatedConvolution', function()
   it('matches a direct dilated convolution and has exact gradients', function()
      torch.manualSeed(7)
      for _, c in ipairs { { 2, 3, 3, 3, 1, 1, 2, 2, 2, 2, 7, 6 }, { 1, 2, 2, 3, 2, 1, 0, 1, 3, 2, 8, 9 } } do
         local nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH, H, W = unpack(c)
         local m = nn.SpatialDilatedConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH)
         local x = torch.randn(2, nIn, H, W)
         local ref = batch_ref(U.conv2d, x, m.weight, m.bias, dW, dH, padW, padH, dilW, dilH)
         assert.is_true(U.maxdiff(m:forward(x), ref) < 1e-12)
         assert.is_true(U.maxdiff(m:forward(x[1]), ref[1]) < 1e-12)
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
         assert.is_true(U.jacobianParams(m, x) < 1e-7)
      end
   end)

   it('rejects an image smaller than the dilated kernel', function()
      local m = nn.SpatialDilatedConvolution(1, 1, 3, 3, 1, 1, 0, 0, 3, 3)
      assert.has_error(function() m:forward(torch.randn(1, 6, 6)) end,
         'nn.SpatialDilatedConvolution(1 -> 1, 3x3, 3,3): input image 6x6 (padded 6x6) is smaller than the 7x7 kernel')
   end)
end)

describe('nn.SpatialFullConvolution', function()
   it('matches a direct transposed convolution and has exact gradients', function()
      torch.manualSeed(8)
      for _, c in ipairs { { 2, 3, 3, 3, 2, 2, 1, 1, 1, 1, 4, 3 }, { 3, 2, 2, 3, 1, 2, 0, 1, 0, 1, 3, 5 } } do
         local nIn, nOut, kW, kH, dW, dH, padW, padH, adjW, adjH, H, W = unpack(c)
         local m = nn.SpatialFullConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH, adjW, adjH)
         local x = torch.randn(2, nIn, H, W)
         local ref = batch_ref(U.fullconv2d, x, m.weight, m.bias, dW, dH, padW, padH, adjW, adjH)
         assert.is_true(U.maxdiff(m:forward(x), ref) < 1e-12)
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x[2])), ref[2]) < 1e-12)
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
         assert.is_true(U.jacobianParams(m, x) < 1e-7)
      end
   end)

   it('rejects adj not below the stride', function()
      assert.has_error(function() nn.SpatialFullConvolution(1, 1, 3, 3, 2, 2, 0, 0, 2, 0) end,
         'nn.SpatialFullConvolution: adjW and adjH must be smaller than dW and dH (2, 2), got 2, 0')
   end)
end)

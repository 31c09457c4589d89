-- nnx: the modules provided (values by hand, gradients by central
-- differences), and the message for the nnx modules nnlua lacks.
require 'nn'
require 'nnx'

describe('nnx', function()
   it('is a global table after require', function()
      assert.are.equal(package.loaded.nnx, rawget(_G, 'nnx'))
      assert.are.equal('table', type(nnx))
   end)

   it('nn.Minus negates, forward and backward', function()
      local m = nn.Minus()
      assert.are.same({ -1, 2, -0.5 }, m:forward(torch.Tensor { 1, -2, 0.5 }):totable())
      assert.are.same({ -3, 4 }, m:backward(torch.Tensor { 0, 0 }, torch.Tensor { 3, -4 }):totable())
   end)

   it('nn.SaturatedLU replaces values outside the bounds and zeroes their gradient', function()
      local m = nn.SaturatedLU()
      local x = torch.Tensor { -3, -0.5, 0.5, 2 }
      assert.are.same({ -1, -0.5, 0.5, 1 }, m:forward(x):totable())
      assert.are.same({ 0, 1, 1, 0 }, m:backward(x, torch.ones(4)):totable())
      m = nn.SaturatedLU(0, 0, 5, 6)
      assert.are.same({ 0, 0.5, 6 }, m:forward(torch.Tensor { -1, 0.5, 7 }):totable())
      assert.has_error(function() nn.SaturatedLU('a') end,
         'nn.SaturatedLU(lower-bound, value, upper-bound, value2): argument 1 should be a number, got string')
   end)

   it('nn.SpatialClassifier applies the classifier at every pixel', function()
      torch.manualSeed(1)
      local lin = nn.Linear(3, 2)
      local m = nn.SpatialClassifier(lin)
      local x = torch.randn(3, 4, 5)
      local y = m:forward(x)
      assert.are.same({ 2, 4, 5 }, y:size():totable())
      for i = 1, 4 do
         for j = 1, 5 do
            local want = lin.weight * x[{ {}, i, j }] + lin.bias
            for c = 1, 2 do assert.is_true(math.abs(y[c][i][j] - want[c]) < 1e-12) end
         end
      end
      local err = nn.Jacobian.testJacobian(m, x)
      assert.is_true(err < 1e-5, tostring(err))
      err = nn.Jacobian.testJacobianParameters(m, x, lin.weight, lin.gradWeight)
      assert.is_true(err < 1e-5, tostring(err))
      m.spatialOutput = false
      assert.are.same({ 20, 2 }, m:forward(x):size():totable())
      assert.has_error(function() m:forward(torch.randn(3, 4)) end, 'nn.SpatialClassifier: input should be 3D (K x H x W), got 3x4')
      local params = m:parameters()
      assert.are.equal(lin.weight, params[1])
   end)

   it('nn.SpatialPadding pads with zeros as nnx did', function()
      local m = nn.SpatialPadding(1, 2, 0, 1)
      local y = m:forward(torch.ones(1, 2, 2))
      assert.are.same({ { { 0, 1, 1, 0, 0 }, { 0, 1, 1, 0, 0 }, { 0, 0, 0, 0, 0 } } }, y:totable())
      assert.are.same({ 1, 4, 4 }, nn.SpatialPadding(1):forward(torch.ones(1, 2, 2)):size():totable())
      assert.has_error(function() nn.SpatialPadding(1, 1, 1, 1, 2, 3, 5) end,
         'nn.SpatialPadding: only zero padding of the last two dimensions of a 3D input (y_dim 2, x_dim 3, val 0) is provided')
   end)

   it('names the nnx modules nnlua does not provide, and what to use', function()
      assert.has_error(function() return nn.SoftMaxTree(10, {}, 1) end,
         'nn.SoftMaxTree is an nnx module that nnlua does not provide; use nn.LogSoftMax with nn.ClassNLLCriterion instead')
      assert.has_error(function() return nn.SpatialFovea {} end, 'nn.SpatialFovea is an nnx module that nnlua does not provide')
      -- other names stay nil, nn's own classes are untouched
      assert.is_nil(nn.NoSuchModule)
      assert.are.equal('nn.SpatialClassNLLCriterion', torch.type(nn.SpatialClassNLLCriterion()))
   end)
end)

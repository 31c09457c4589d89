-- Gradient checks by central differences in double (nn.Jacobian) for every
-- module with a backward: on the input and on every parameter, in batch
-- and single-sample modes, plus a non-contiguous input.
require 'nn'

local cases = {
   { 'Linear(5, 3)', { 4, 5 } }, { 'Linear(5, 3)', { 5 } }, { 'Linear(5, 3, false)', { 2, 5 } },
   { 'Tanh()', { 3, 4 } }, { 'Sigmoid()', { 3, 4 } }, { 'ReLU()', { 3, 4 } }, { 'ELU(0.7)', { 3, 4 } },
   { 'LeakyReLU(0.1)', { 3, 4 } }, { 'SoftPlus()', { 3, 4 } }, { 'SoftSign()', { 3, 4 } },
   { 'LogSigmoid()', { 3, 4 } }, { 'TanhShrink()', { 3, 4 } }, { 'HardTanh()', { 3, 4 } },
   { 'SoftMax()', { 3, 5 } }, { 'LogSoftMax()', { 3, 5 } }, { 'SoftMin()', { 5 } }, { 'LogSoftMax()', { 2, 3, 2, 2 } },
   { 'Square()', { 3, 4 } }, { 'Power(3)', { 3, 4 } }, { 'Exp()', { 3, 4 } },
   { 'Add(4)', { 3, 4 } }, { 'Mul()', { 3, 4 } }, { 'CMul(4)', { 3, 4 } }, { 'CAdd(4)', { 3, 4 } },
   { 'MulConstant(3)', { 3, 4 } }, { 'Sum(2)', { 3, 4 } }, { 'Mean(1)', { 3, 4 } }, { 'Max(2)', { 3, 4 } },
   { 'Narrow(2, 2, 2)', { 3, 4 } }, { 'Select(2, 3)', { 3, 4 } }, { 'Transpose({1, 2})', { 3, 4 } },
   { 'Replicate(3)', { 4 } }, { 'Reshape(12)', { 3, 4 } }, { 'View(12)', { 3, 4 } },
   { 'SpatialConvolution(2, 3, 3, 3)', { 2, 2, 5, 5 } }, { 'SpatialConvolution(2, 3, 3, 3, 2, 1, 1, 2)', { 2, 6, 5 } },
   { 'SpatialConvolutionMM(2, 3, 3, 2, 1, 2, 1, 0)', { 2, 2, 5, 6 } }, { 'SpatialMaxPooling(2, 2, 2, 2)', { 2, 2, 4, 4 } },
   { 'SpatialMaxPooling(3, 3, 2, 2, 1, 1)', { 2, 5, 5 } }, { 'SpatialAveragePooling(3, 3, 2, 2, 1, 1)', { 2, 2, 5, 5 } },
   { 'BatchNormalization(4)', { 5, 4 } }, { 'SpatialBatchNormalization(3)', { 2, 3, 3, 3 } },
}

describe('gradient checks (nn.Jacobian, double)', function()
   for _, c in ipairs(cases) do
      it(c[1] .. ' on a ' .. table.concat(c[2], 'x') .. ' input', function()
         torch.manualSeed(11)
         local m = loadstring('return nn.' .. c[1])()
         local input = torch.Tensor(torch.LongStorage(c[2]))
         local err = nn.Jacobian.testJacobian(m, input, -1.5, 1.5)
         assert.is_true(err < 1e-5, 'input gradient error ' .. err)
         local ps, gs = m:parameters()
         for i, p in ipairs(ps or {}) do
            local perr = nn.Jacobian.testJacobianParameters(m, input, p, gs[i], -1.5, 1.5)
            assert.is_true(perr < 1e-5, 'parameter ' .. i .. ' gradient error ' .. perr)
         end
         local oerr, gerr = nn.Jacobian.testIO(m, input)
         assert.are.equal(0, oerr)
         assert.are.equal(0, gerr)
      end)
   end

   it('accGradParameters honours scale', function()
      local m = nn.Linear(4, 3)
      local x, g = torch.randn(2, 4), torch.randn(2, 3)
      m:zeroGradParameters()
      m:forward(x)
      m:backward(x, g, 1)
      local g1 = m.gradWeight:clone()
      m:zeroGradParameters()
      m:backward(x, g, 0.5)
      assert.is_true((m.gradWeight * 2 - g1):abs():max() < 1e-12)
   end)

   it('non-contiguous inputs give the same gradients as contiguous ones', function()
      for _, name in ipairs { 'Linear(4, 3)', 'Tanh()', 'LogSoftMax()', 'SpatialConvolution(1, 2, 2, 2)' } do
         local m = loadstring('return nn.' .. name)()
         local x = name:match('Spatial') and torch.randn(1, 4, 5):transpose(2, 3) or torch.randn(4, 3):t()
         local xc = x:contiguous()
         local out = m:forward(x):clone()
         local g = out.new():resizeAs(out):uniform()
         local gi = m:backward(x, g):clone()
         assert.is_true((m:forward(xc) - out):abs():max() < 1e-12, name)
         assert.is_true((m:backward(xc, g) - gi):abs():max() < 1e-12, name)
      end
   end)

   it('a wrong input size names the module and the expected size', function()
      assert.has_error(function() nn.Linear(784, 1000):forward(torch.Tensor(2, 783)) end,
         'nn.Linear(784 -> 1000): input has 783 columns, expected 784')
      local ok, err = pcall(function() nn.SpatialConvolution(3, 16, 5, 5):forward(torch.Tensor(4, 32, 32)) end)
      assert.is_false(ok)
      assert.matches('nn.SpatialConvolution%(3 %-> 16, 5x5%): input has 4 planes, expected 3', err)
   end)
end)

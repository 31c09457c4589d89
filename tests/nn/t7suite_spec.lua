-- nn behaviours that nn's own test suite (torch/nn test.lua) relies on and
-- nnlua first did differently; each is checked here with values.
require 'nn'

describe('nn Torch7 suite: spatial normalisations across a type change', function()
   it('after :float() then :double(), the output survives clearState and save/load exactly', function()
      local kernel = torch.Tensor(3, 3):fill(1)
      local input = torch.rand(2, 3, 6, 5)
      for _, make in ipairs {
         function() return nn.SpatialContrastiveNormalization(3, kernel) end,
         function() return nn.SpatialSubtractiveNormalization(3, kernel) end,
         function() return nn.SpatialDivisiveNormalization(3, kernel) end,
      } do
         local m = make()
         m:float()
         m:forward(input:float())
         m:double()
         local y = m:forward(input):clone()
         -- the kernel went through float, so a fresh module is only close
         assert.is_true((y - make():forward(input)):abs():max() < 1e-6)
         m:clearState()
         local copy = torch.deserialize(torch.serialize(m))
         assert.are.equal(0, (copy:forward(input) - y):abs():max())
      end
   end)

   it('the subtractive normalisation of a constant image is zero at every pixel, borders included', function()
      local m = nn.SpatialSubtractiveNormalization(1, torch.Tensor(3, 3):fill(1))
      m:float()
      m:forward(torch.FloatTensor(1, 4, 4):fill(2))
      m:double()
      local y = m:forward(torch.Tensor(1, 4, 4):fill(2))
      assert.is_true(y:abs():max() < 1e-12, 'max ' .. y:abs():max())
   end)
end)

describe('nn Torch7 suite: TemporalConvolution sharing its weights', function()
   it('accUpdateGradParameters on two modules sharing the weights subtracts lr * gradient once per module', function()
      torch.manualSeed(3)
      local m1 = nn.TemporalConvolution(2, 3, 2)
      local input, gradOutput = torch.randn(4, 2), torch.randn(3, 3)
      -- the gradient of one module, computed apart
      local ref = m1:clone()
      ref:zeroGradParameters()
      ref:forward(input)
      ref:backward(input, gradOutput)
      local w0, b0 = m1.weight:clone(), m1.bias:clone()
      local m2 = m1:clone('weight', 'bias')
      m2:share(m1, 'weight', 'bias')
      assert.is_true(m2.shared)
      for _, m in ipairs { m1, m2 } do
         m:forward(input)
         m:updateGradInput(input, gradOutput)
         m:accUpdateGradParameters(input, gradOutput, 0.1)
      end
      assert.is_true((m1.weight - (w0 - ref.gradWeight * 0.2)):abs():max() < 1e-12)
      assert.is_true((m2.bias - (b0 - ref.gradBias * 0.2)):abs():max() < 1e-12)
   end)
end)

describe('nn Torch7 suite: SelectTable with nested tables of changing length', function()
   it('the zero gradient of a nested table follows the current input, not a longer earlier one', function()
      local m = nn.SelectTable(1)
      local long = { torch.ones(2), { torch.ones(3), torch.ones(3), torch.ones(3) } }
      local short = { torch.ones(2), { torch.ones(4), torch.ones(4) } }
      m:forward(long)
      local g = m:backward(long, torch.Tensor { 5, 6 })
      assert.are.equal(3, #g[2])
      m:forward(short)
      g = m:backward(short, torch.Tensor { 7, 8 })
      assert.are.equal(2, #g)
      assert.are.equal(2, #g[2])
      assert.is_nil(g[2][3])
      assert.are.same({ 0, 0, 0, 0 }, g[2][2]:totable())
      assert.are.same({ 7, 8 }, g[1]:totable())
   end)
end)

describe('nn Torch7 suite: ConcatTable on table inputs of changing length', function()
   it('the gradient table has the length of the current input', function()
      local m = nn.ConcatTable():add(nn.Identity()):add(nn.Identity())
      local x = { torch.Tensor { 1, 2 }, torch.Tensor { 3, 4 } }
      local y = { torch.Tensor { 5, 6 } }
      assert.are.equal(2, #m:forward(x))
      assert.are.equal(2, #m:backward(x, { x, x }))
      assert.are.equal(2, #m:forward(y))
      local g = m:backward(y, { y, y })
      assert.are.equal(1, #g)
      assert.are.same({ 10, 12 }, g[1]:totable())
   end)
end)

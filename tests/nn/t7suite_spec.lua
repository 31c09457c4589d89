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

-- Differential tests against Torch7: modules' printed forms. Each expected
-- string is what Torch7's `print(module)` wrote (recorded with its nn).
require 'nn'

describe('diff: printing as Torch7', function()
   local cases = {
      { function() return nn.LeakyReLU(0.1) end, 'nn.LeakyReLU(0.1)' },
      { function() return nn.LeakyReLU() end, 'nn.LeakyReLU(0.01)' },
      { function() return nn.ELU() end, 'nn.ELU (alpha:1.000000)' },
      { function() return nn.ELU(0.5, true) end, 'nn.ELU (alpha:0.500000)' },
      { function() return nn.SelectTable(2) end, 'nn.SelectTable(2)' },
      { function() return nn.SelectTable(-1) end, 'nn.SelectTable(-1)' },
      { function() return nn.SpatialUpSamplingNearest(2) end, 'nn.SpatialUpSamplingNearest' },
      { function() return nn.SpatialCrossMapLRN(5) end, 'nn.SpatialCrossMapLRN' },
      { function() return nn.SpatialAdaptiveMaxPooling(2, 2) end, 'nn.SpatialAdaptiveMaxPooling' },
      { function() return nn.SpatialAdaptiveAveragePooling(2, 3) end, 'nn.SpatialAdaptiveAveragePooling' },
      { function() return nn.CriterionTable(nn.MSECriterion()) end, 'nn.CriterionTable' },
      { function() return nn.CReLU(3) end, 'CReLU()' },
      { function() return nn.ParallelTable() end, 'nn.ParallelTable {\n  input\n     ... -> output\n}' },
      { function() return nn.ParallelTable():add(nn.Identity()):add(nn.Tanh()) end,
        'nn.ParallelTable {\n  input\n    |`-> (1): nn.Identity\n     `-> (2): nn.Tanh\n     ... -> output\n}' },
   }
   for _, c in ipairs(cases) do
      it(c[2]:match('^[^\n]*'), function()
         assert.are.equal(c[2], tostring(c[1]()))
      end)
   end

   it('a ParallelTable inside a Sequential indents its branches', function()
      local m = nn.Sequential():add(nn.Linear(3, 4))
      m:add(nn.ParallelTable():add(nn.Identity()):add(nn.Sequential():add(nn.Tanh()):add(nn.ReLU())))
      assert.are.equal(table.concat({
         'nn.Sequential {',
         '  [input -> (1) -> (2) -> output]',
         '  (1): nn.Linear(3 -> 4)',
         '  (2): nn.ParallelTable {',
         '    input',
         '      |`-> (1): nn.Identity',
         '       `-> (2): nn.Sequential {',
         '             [input -> (1) -> (2) -> output]',
         '             (1): nn.Tanh',
         '             (2): nn.ReLU',
         '           }',
         '       ... -> output',
         '  }',
         '}' }, '\n'), tostring(m))
   end)

   it('errors still name the class when the printed form does not', function()
      local ok, err = pcall(function() nn.CReLU(3):forward(torch.randn(4, 4)) end)
      assert.is_false(ok)
      assert.matches('nn.CReLU: expected at least 3 dimensions', err)
      ok, err = pcall(function() nn.SelectTable(3):forward({ torch.Tensor(1) }) end)
      assert.is_false(ok)
      assert.matches('nn.SelectTable%(3%): index 3 out of range', err)
   end)
end)

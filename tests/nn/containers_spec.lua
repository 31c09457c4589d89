-- Table containers and table modules: values against hand computations
-- and gradients against finite differences.
require 'nn'
local spec = require 'tests.spec_util'

describe('table modules', function()
   it('ConcatTable + CAddTable is a residual sum', function()
      torch.manualSeed(1)
      local lin = nn.Linear(4, 4)
      local m = nn.Sequential():add(nn.ConcatTable():add(lin):add(nn.Identity())):add(nn.CAddTable())
      local x = torch.randn(3, 4)
      local y = m:forward(x)
      assert.is_true(spec.close(y, lin:forward(x) + x, 1e-12))
      local g = torch.randn(3, 4)
      local gi = m:backward(x, g)
      local expect = torch.mm(g, lin.weight) + g
      assert.is_true(spec.close(gi, expect, 1e-12))
   end)
   it('ParallelTable, JoinTable, SplitTable, SelectTable, NarrowTable', function()
      local a, b = torch.randn(2, 3), torch.randn(2, 5)
      local p = nn.Sequential():add(nn.ParallelTable():add(nn.Tanh()):add(nn.Identity())):add(nn.JoinTable(2))
      local y = p:forward({ a, b })
      assert.are.same({ 2, 8 }, y:size():totable())
      assert.is_true(spec.close(y:narrow(2, 1, 3), torch.tanh(a), 1e-12))
      local g = p:backward({ a, b }, torch.ones(2, 8))
      assert.is_true(spec.close(g[2], torch.ones(2, 5), 0))
      local s = nn.SplitTable(1):forward(torch.Tensor { { 1, 2 }, { 3, 4 } })
      assert.are.same({ 3, 4 }, s[2]:totable())
      assert.are.same({ 5, 6 }, nn.SelectTable(-1):forward({ torch.Tensor { 1 }, torch.Tensor { 5, 6 } }):totable())
      local sg = nn.SelectTable(2):backward({ torch.Tensor { 1 }, torch.Tensor { 5, 6 } }, torch.Tensor { 7, 8 })
      assert.are.same({ { 0 }, { 7, 8 } }, { sg[1]:totable(), sg[2]:totable() })
      assert.are.equal(2, #nn.NarrowTable(2, 2):forward({ 1, 2, 3, 4 }))
   end)
   it('CMulTable, CSubTable, CDivTable gradients match finite differences', function()
      local a, b = torch.randn(5):add(3), torch.randn(5):add(3)
      for _, name in ipairs { 'CMulTable', 'CSubTable', 'CDivTable', 'CAddTable' } do
         local m = nn[name]()
         local out = m:forward({ a, b }):clone()
         local g = torch.randn(5)
         local gi = m:backward({ a, b }, g)
         for k = 1, 2 do
            local x = k == 1 and a or b
            for i = 1, 5 do
               local o = x[i]
               x[i] = o + 1e-6
               local up = m:forward({ a, b }):dot(g)
               x[i] = o - 1e-6
               local dn = m:forward({ a, b }):dot(g)
               x[i] = o
               assert.is_true(math.abs((up - dn) / 2e-6 - gi[k][i]) < 1e-5, name .. ' input ' .. k)
            end
         end
         assert.is_true(out:nElement() == 5)
      end
   end)
   it('Concat joins children along a dimension', function()
      torch.manualSeed(2)
      local m = nn.Concat(2):add(nn.Linear(3, 2)):add(nn.Linear(3, 4))
      local x = torch.randn(5, 3)
      local y = m:forward(x)
      assert.are.same({ 5, 6 }, y:size():totable())
      local err = nn.Jacobian.testJacobian(m, x)
      assert.is_true(err < 1e-5)
   end)
   it('bad inputs name the module', function()
      assert.has_error(function() nn.JoinTable(1):forward(torch.Tensor(3)) end,
         'nn.JoinTable: expected a non-empty table of tensors, got torch.DoubleTensor')
      local ok, err = pcall(function() nn.SelectTable(3):forward({ torch.Tensor(1) }) end)
      assert.is_false(ok)
      assert.matches('nn.SelectTable%(3%): index 3 out of range for a table of 1', err)
   end)
end)

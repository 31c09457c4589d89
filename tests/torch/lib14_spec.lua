-- torch.pstrf, serializeToStorage/deserializeFromStorage, File positions
-- (1-based, as Torch7), Generator serialisation, gels' over-determined
-- result shape, nn.AddConstant with a tensor constant, nn.utils.tableSize.
local spec = require 'tests.helper'
local torch = require 'torch'
local nn = require 'nn'

describe('torch.pstrf', function()
   it('factors a positive definite matrix with complete pivoting: A[p][p] = R^T R', function()
      local R, piv = torch.pstrf(torch.Tensor { { 4, 2 }, { 2, 3 } })
      -- hand-computed: no pivot (4 is the largest diagonal), R = [2 1; 0 sqrt 2]
      assert.is_true(spec.close(R, torch.Tensor { { 2, 1 }, { 0, math.sqrt(2) } }, 1e-12))
      assert.are.equal('torch.IntTensor', torch.type(piv))
      assert.are.same({ 1, 2 }, piv:totable())
      -- the larger diagonal comes first
      local R2, p2 = torch.pstrf(torch.Tensor { { 1, 0.5 }, { 0.5, 9 } })
      assert.are.same({ 2, 1 }, p2:totable())
      assert.are.equal(3, R2[1][1])
      torch.manualSeed(3)
      local a = torch.randn(5, 7)
      a = a * a:t()
      for _, uplo in ipairs { 'U', 'L' } do
         local r, p = torch.pstrf(a, uplo)
         local pa = a:index(1, p:long()):index(2, p:long())
         local prod = uplo == 'U' and r:t() * r or r * r:t()
         assert.is_true(spec.close(prod, pa, 1e-10))
      end
      -- [res] form, float, non-contiguous input
      local rf, pf = torch.FloatTensor(), torch.IntTensor()
      local at = a:float():t()
      assert.are.equal(rf, (torch.pstrf(rf, pf, at)))
      assert.are.same({ 5, 5 }, rf:size():totable())
   end)

   it('rejects a rank-deficient or non-square matrix', function()
      assert.has_error(function() torch.pstrf(torch.Tensor { { 1, 1 }, { 1, 1 } }) end)
      local ok, err = pcall(torch.pstrf, torch.Tensor(2, 3))
      assert.is_false(ok)
      assert.is_truthy(err:match('pstrf: expected a square 2D tensor A, got 2x3'))
      ok, err = pcall(torch.pstrf, torch.Tensor { { 1 } }, 'X')
      assert.is_false(ok)
      assert.is_truthy(err:match("the triangle should be 'U' or 'L'"))
   end)
end)

describe('serializeToStorage', function()
   it('round-trips objects through a CharStorage, binary and ascii', function()
      local obj = { 1, 'two', t = torch.Tensor { 3, 4 } }
      local s = torch.serializeToStorage(obj)
      assert.are.equal('torch.CharStorage', torch.type(s))
      local back = torch.deserializeFromStorage(s)
      assert.are.equal('two', back[2])
      assert.are.same({ 3, 4 }, back.t:totable())
      -- Torch7's sizes for {1, 2}: 60 bytes binary, 22 ascii
      assert.are.equal(60, torch.serializeToStorage({ 1, 2 }):size())
      assert.are.equal(22, torch.serializeToStorage({ 1, 2 }, 'ascii'):size())
      assert.are.equal(2, torch.deserializeFromStorage(torch.serializeToStorage({ 1, 2 }, 'ascii'), 'ascii')[2])
      assert.has_error(function() torch.deserializeFromStorage('x') end,
         'torch.deserializeFromStorage: expected a storage, got string')
   end)
end)

describe('File positions', function()
   it('are 1-based as in Torch7, and a generator survives writeObject/readObject', function()
      local f = torch.MemoryFile()
      assert.are.equal(1, f:position())
      f:writeInt(5)
      assert.are.equal(3, f:position())
      f:seek(1)
      assert.are.equal(5, f:readInt())
      assert.has_error(function() f:seek(0) end)
      local g = torch.Generator()
      torch.manualSeed(g, 5)
      local m = torch.MemoryFile()
      m:writeObject(g)
      m:seek(1)
      local g2 = m:readObject()
      assert.are.equal('torch.Generator', torch.type(g2))
      assert.are.equal(torch.uniform(g), torch.uniform(g2))
      -- a copied state does not alias
      torch.uniform(g)
      assert.are_not.equal(torch.uniform(g), torch.uniform(g2))
   end)
end)

describe('nn.AddConstant with a tensor constant and nn.utils.tableSize', function()
   it('adds the constant to every row, in place or not', function()
      local m = nn.AddConstant(torch.Tensor { 1, 2, 3 })
      assert.are.same({ { 2, 3, 4 }, { 2, 3, 4 } }, m:forward(torch.ones(2, 3)):totable())
      local mi = nn.AddConstant(torch.Tensor { 1, 2, 3 }, true)
      local x = torch.ones(2, 3)
      mi:forward(x)
      assert.are.equal(18, x:sum())
      mi:backward(x, torch.ones(2, 3))
      assert.are.equal(6, x:sum())
      local ok, err = pcall(m.forward, m, torch.ones(2, 4))
      assert.is_false(ok)
      assert.is_truthy(err:match('a constant of 3 elements needs an input of size 3 or N x 3, got 2x4'))
      assert.are.equal(3, nn.utils.tableSize { 1, 2, x = 3 })
      assert.is_function(table.unpack)
   end)
end)

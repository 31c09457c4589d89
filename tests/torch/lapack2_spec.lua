-- trtrs, geqrf, orgqr, ormqr (OpenBLAS's LAPACK through the FFI) and the
-- aliases mod/cmod, getnumcores, isatty.
local spec = require 'tests.helper'
local torch = require 'torch'

describe('torch.trtrs', function()
   it('solves triangular systems, transposed or not, in both types, with [res] forms', function()
      local a = torch.Tensor { { 2, 1 }, { 0, 4 } }
      local b = torch.Tensor { { 1 }, { 2 } }
      local x = torch.trtrs(b, a)
      -- hand-computed: x2 = 2/4, x1 = (1 - 0.5)/2
      assert.is_true(spec.close(x, torch.Tensor { { 0.25 }, { 0.5 } }, 1e-15))
      -- b and a untouched
      assert.are.same({ { 1 }, { 2 } }, b:totable())
      local xt = torch.trtrs(b, a, 'U', 'T')
      assert.is_true(spec.close(xt, torch.Tensor { { 0.5 }, { 0.375 } }, 1e-15))
      local xl = torch.trtrs(b, a:t(), 'L')
      assert.is_true(spec.close(xl, torch.Tensor { { 0.5 }, { 0.375 } }, 1e-15))
      local rb, ra = torch.FloatTensor(), torch.FloatTensor()
      local r1 = torch.trtrs(rb, ra, b:float(), a:float())
      assert.are.equal(rb, r1)
      assert.is_true(spec.close(rb, torch.Tensor { { 0.25 }, { 0.5 } }, 1e-7))
      assert.has_error(function() torch.trtrs(b, torch.Tensor(2, 3)) end, nil)
      local ok, err = pcall(torch.trtrs, b, torch.Tensor { { 1, 0 }, { 0, 0 } })
      assert.is_false(ok)
      assert.is_truthy(err:match('trtrs: A is singular'))
      ok, err = pcall(torch.trtrs, b, a, 'X')
      assert.is_false(ok)
      assert.is_truthy(err:match("trtrs: the triangle should be one of 'U' 'L'"))
   end)
end)

describe('torch.geqrf, orgqr, ormqr', function()
   it('give a Householder QR whose Q is orthonormal and whose QR is A', function()
      torch.manualSeed(4)
      local m = torch.randn(5, 3)
      local a, tau = torch.geqrf(m)
      assert.are.same({ 5, 3 }, a:size():totable())
      assert.are.equal(3, tau:size(1))
      local q = torch.orgqr(a, tau)
      assert.is_true(spec.close(q:t() * q, torch.eye(3), 1e-12))
      local r = a:narrow(1, 1, 3):triu()
      assert.is_true(spec.close(q * r, m, 1e-12))
      -- ormqr with C = I (5 x 3 leading columns) gives Q; 'T' applies Q^T
      local qc = torch.ormqr(a, tau, torch.eye(5):narrow(2, 1, 3))
      assert.is_true(spec.close(qc, q, 1e-12))
      local qtq = torch.ormqr(a, tau, q, 'L', 'T')
      assert.is_true(spec.close(qtq:narrow(1, 1, 3), torch.eye(3), 1e-12))
      -- non-contiguous input, float
      local fa, ft = torch.geqrf(m:float():t():t())
      assert.is_true(spec.close(torch.orgqr(fa, ft) * fa:narrow(1, 1, 3):triu(), m:float(), 1e-5))
      assert.has_error(function() torch.geqrf(torch.IntTensor(2, 2)) end,
         'geqrf: expected a FloatTensor or DoubleTensor, got a torch.IntTensor')
   end)
end)

describe('Torch7 aliases', function()
   it('mod and cmod are fmod and cfmod; getnumcores and isatty answer', function()
      assert.are.same({ 2, -2 }, torch.mod(torch.Tensor { 5, -5 }, 3):totable())
      assert.are.same({ 2, -2 }, torch.cmod(torch.Tensor { 5, -5 }, torch.Tensor { 3, 3 }):totable())
      assert.is_true(torch.getnumcores() >= 1)
      assert.is_false(torch.isatty('x'))
      assert.are.equal('boolean', type(torch.isatty(io.stdout)))
   end)
end)

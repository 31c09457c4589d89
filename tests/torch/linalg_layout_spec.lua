-- The memory layout of LAPACK results, as Torch7 leaves them (recorded
-- from Torch7 for the same calls): matrix results column-major (strides
-- 1, rows), a given result of the right size turned column-major over its
-- own memory unless it already is non-contiguous (then written in place),
-- a result of another size resized over its own storage; eig's eigenvalues
-- and qr's R row-major. Torch7's own tests (eig_reuse, inverse,
-- test_symeig) assert these layouts.
local function layout(t) return { t:size():totable(), t:stride():totable() } end

describe('LAPACK result layouts', function()
   local A, B
   before_each(function()
      torch.manualSeed(1)
      A = torch.randn(4, 4); A = A:t() * A + torch.eye(4)
      B = torch.randn(4, 2)
   end)

   it('new results', function()
      local x, lu = torch.gesv(B, A)
      assert.are.same({ { 4, 2 }, { 1, 4 } }, layout(x))
      assert.are.same({ { 4, 4 }, { 1, 4 } }, layout(lu))
      local e, v = torch.eig(A, 'V')
      assert.are.same({ { 4, 2 }, { 2, 1 } }, layout(e))
      assert.are.same({ { 4, 4 }, { 1, 4 } }, layout(v))
      local q, r = torch.qr(torch.randn(5, 3))
      assert.are.same({ { 5, 3 }, { 1, 5 } }, layout(q))
      assert.are.same({ { 3, 3 }, { 3, 1 } }, layout(r))
      assert.are.same({ { 4, 4 }, { 1, 4 } }, layout(torch.inverse(A)))
      local _, s, vv = torch.svd(A)
      assert.are.same({ { 4 }, { 1 } }, layout(s))
      assert.are.same({ { 4, 4 }, { 4, 1 } }, layout(vv))
   end)

   it('given results of the right size', function()
      local r1, r2 = torch.Tensor(4, 2), torch.Tensor(4, 4)
      local p1 = torch.pointer(r1:storage())
      torch.gesv(r1, r2, B, A)
      assert.are.same({ { 4, 2 }, { 1, 4 } }, layout(r1))
      assert.are.equal(p1, torch.pointer(r1:storage()))
      torch.gesv(r1, r2, B, A)   -- already column-major: in place
      assert.are.same({ { 4, 2 }, { 1, 4 } }, layout(r1))
      local X = r1:clone()
      assert.is_true((A * X - B):abs():max() < 1e-10)
      local e, v = torch.zeros(4, 2), torch.zeros(4, 4)
      torch.eig(e, v, A, 'V')
      torch.eig(e, v, A, 'V')
      assert.are.same({ { 4, 2 }, { 2, 1 } }, layout(e))
      assert.are.same({ { 4, 4 }, { 1, 4 } }, layout(v))
      local u, s, w = torch.Tensor(4, 4), torch.Tensor(4), torch.Tensor(4, 4)
      torch.svd(u, s, w, A)
      assert.are.same({ { 4, 4 }, { 1, 4 } }, layout(u))
      local rec = u * torch.diag(s) * w:t()
      assert.is_true((rec - A):abs():max() < 1e-10)
   end)

   it('a view into a larger tensor is written in place; another size is resized over its storage', function()
      local big = torch.zeros(8, 8)
      local view = big:narrow(1, 1, 4):narrow(2, 1, 4)
      torch.inverse(view, A)
      assert.are.same({ { 4, 4 }, { 8, 1 } }, layout(view))
      assert.is_true((A * big:sub(1, 4, 1, 4) - torch.eye(4)):abs():max() < 1e-10)
      local r = torch.Tensor(3, 7)
      torch.inverse(r, A)
      assert.are.same({ { 4, 4 }, { 1, 4 } }, layout(r))
      assert.are.equal(21, r:storage():size())
      assert.is_true((A * r - torch.eye(4)):abs():max() < 1e-10)
   end)
end)

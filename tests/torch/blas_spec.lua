-- BLAS family: products against plain Lua loops, in float, double and
-- integer types, with transposed / narrowed / expanded operands and the
-- messages of bad calls.
local torch = require 'torch'
local spec = require 'tests.spec_util'

-- deterministic pseudo-random values (no dependency on torch.rand)
local seed = 12345
local function rnd()
   seed = (seed * 1103515245 + 12345) % 2147483648
   return seed / 2147483648 * 2 - 1
end
local function rtable(n, m, int)
   local t = {}
   for i = 1, n do
      if m then
         t[i] = {}
         for j = 1, m do t[i][j] = int and math.floor(rnd() * 10) or rnd() end
      else
         t[i] = int and math.floor(rnd() * 10) or rnd()
      end
   end
   return t
end

local function ref_mm(a, b)
   local r = {}
   for i = 1, #a do
      r[i] = {}
      for j = 1, #b[1] do
         local s = 0
         for k = 1, #b do s = s + a[i][k] * b[k][j] end
         r[i][j] = s
      end
   end
   return r
end
local function ref_mv(a, v)
   local r = {}
   for i = 1, #a do
      local s = 0
      for k = 1, #v do s = s + a[i][k] * v[k] end
      r[i] = s
   end
   return r
end
local function lin(x, ax, y, ay)   -- ax*x + ay*y elementwise on nested tables
   if type(x) == 'number' then return ax * x + ay * y end
   local r = {}
   for i = 1, #x do r[i] = lin(x[i], ax, y[i], ay) end
   return r
end
local function transpose(a)
   local r = {}
   for j = 1, #a[1] do
      r[j] = {}
      for i = 1, #a do r[j][i] = a[i][j] end
   end
   return r
end

local types = {
   { 'torch.DoubleTensor', 1e-12 },
   { 'torch.FloatTensor', 1e-4 },
}

for _, ty in ipairs(types) do
   local T, tol = torch[ty[1]:match('torch%.(.*)')], ty[2]
   local function close(a, b) return spec.close(a, torch.Tensor(b), tol, tol) end

   describe('mm and addmm (' .. ty[1] .. ')', function()
      local at, bt, mt = rtable(5, 4), rtable(4, 3), rtable(5, 3)
      local A, B, M = T(at), T(bt), T(mt)
      local ref = ref_mm(at, bt)
      it('mm in every form', function()
         assert.is_true(close(torch.mm(A, B), ref))
         local r = T()
         assert.are.equal(r, torch.mm(r, A, B))
         assert.is_true(close(r, ref))
         local r2 = T(7, 7)
         assert.are.equal(r2, r2:mm(A, B))
         assert.are.same({ 5, 3 }, r2:size():totable())
         assert.is_true(close(r2, ref))
         assert.are.equal(ty[1], torch.type(torch.mm(A, B)))
      end)
      it('addmm with beta, alpha, and M defaulting to res', function()
         assert.is_true(close(torch.addmm(M, A, B), lin(mt, 1, ref, 1)))
         assert.is_true(close(torch.addmm(0.5, M, A, B), lin(mt, 0.5, ref, 1)))
         assert.is_true(close(torch.addmm(M, -2, A, B), lin(mt, 1, ref, -2)))
         assert.is_true(close(torch.addmm(0.5, M, -2, A, B), lin(mt, 0.5, ref, -2)))
         local r = T()
         torch.addmm(r, 3, M, 2, A, B)
         assert.is_true(close(r, lin(mt, 3, ref, 2)))
         assert.is_true(close(M, mt))                       -- M untouched
         local x = M:clone()
         x:addmm(A, B)
         assert.is_true(close(x, lin(mt, 1, ref, 1)))
         x = M:clone()
         x:addmm(0, 2, A, B)                                -- nn.Linear's form
         assert.is_true(close(x, lin(mt, 0, ref, 2)))
         x = M:clone()
         x:addmm(0.25, A, B)                                -- a lone number is alpha (Torch7's cwrap)
         assert.is_true(close(x, lin(mt, 1, ref, 0.25)))
         x = T(2, 2)
         x:addmm(M, A, B)
         assert.is_true(close(x, lin(mt, 1, ref, 1)))
      end)
      it('takes transposed and narrowed operands', function()
         local At, Bt = T(transpose(at)):t(), T(transpose(bt)):t()   -- column-major views
         assert.is_false(At:isContiguous())
         assert.is_true(close(torch.mm(At, Bt), ref))
         assert.is_true(close(torch.mm(A, Bt), ref))
         assert.is_true(close(torch.mm(At, B), ref))
         -- narrowed in both dimensions: neither row- nor column-major
         local big = T(9, 9):fill(0)
         big:narrow(1, 2, 5):narrow(2, 3, 4):copy(A)
         local An = big:narrow(1, 2, 5):narrow(2, 3, 4)
         assert.is_true(close(torch.mm(An, B), ref))
         local Ab = T(7, 6):fill(0)
         Ab:sub(2, 6, 1, 4):copy(A)
         assert.is_true(close(torch.mm(Ab:sub(2, 6, 1, 4), B), ref))  -- row-major with ld 6
         -- an expanded operand (stride 0)
         local row = T(rtable(4))
         local E = row:view(1, 4):expand(5, 4)
         local et = {}
         for i = 1, 5 do et[i] = row:totable() end
         assert.is_true(close(torch.mm(E, B), ref_mm(et, bt)))
         -- results written into transposed and narrowed views
         local rt = T(3, 5)
         rt:t():mm(A, B)
         assert.is_true(close(rt, transpose(ref)))
         local rb = T(8, 8):zero()
         rb:narrow(1, 2, 5):narrow(2, 2, 3):addmm(A, B)
         assert.is_true(close(rb:narrow(1, 2, 5):narrow(2, 2, 3), ref))
         assert.are.equal(0, rb[1][1])
         assert.are.equal(0, rb[2][5])
         -- every element of a non-BLAS result view (stride 2 in both dims)
         local rs = T(10, 6):zero()
         local v = rs:unfold(1, 1, 2):select(3, 1):unfold(2, 1, 2):select(3, 1)
         assert.are.same({ 5, 3 }, v:size():totable())
         v:mm(A, B)
         assert.is_true(close(v, ref))
         assert.are.equal(0, rs[2][2])
      end)
      it('writes a result that is also an operand', function()
         local x = A:narrow(2, 1, 3):narrow(1, 1, 3):clone()      -- 3x3
         local xt = x:totable()
         local sq = ref_mm(xt, xt)
         local y = x:clone()
         y:mm(y, y)
         assert.is_true(close(y, sq))
         y = x:clone()
         y:addmm(y, y)
         assert.is_true(close(y, lin(xt, 1, sq, 1)))
         local r = T({ { 2 } })
         r:mm(r, T({ { 1, 2, 3 } }))                              -- res resized from 1x1 to 1x3
         assert.is_true(close(r, { { 2, 4, 6 } }))
      end)
      it('handles vectors as 1xn and nx1 matrices', function()
         local r = torch.mm(A:narrow(1, 2, 1), B)
         assert.is_true(close(r, { ref[2] }))
         local c = torch.mm(A, B:narrow(2, 3, 1))
         assert.is_true(close(c:view(5), { ref[1][3], ref[2][3], ref[3][3], ref[4][3], ref[5][3] }))
      end)
   end)

   describe('mv, addmv, ger, addr, dot (' .. ty[1] .. ')', function()
      local at, vt, wt = rtable(5, 4), rtable(4), rtable(5)
      local A, v, w = T(at), T(vt), T(wt)
      it('mv and addmv', function()
         local ref = ref_mv(at, vt)
         assert.is_true(close(torch.mv(A, v), ref))
         assert.is_true(close(torch.mv(T(transpose(at)):t(), v), ref))
         assert.is_true(close(torch.addmv(2, w, -1, A, v), lin(wt, 2, ref, -1)))
         local y = w:clone()
         y:addmv(A, v)
         assert.is_true(close(y, lin(wt, 1, ref, 1)))
         -- strided vectors and result
         local vv = T(8):zero()
         vv:unfold(1, 1, 2):select(2, 1):copy(v)
         local rr = T(10):zero()
         local rv = rr:unfold(1, 1, 2):select(2, 1)
         rv:mv(A, vv:unfold(1, 1, 2):select(2, 1))
         assert.is_true(close(rv, ref))
         assert.are.equal(0, rr[2])
         assert.is_true(close(torch.mv(A, T({ 2 }):expand(4)), ref_mv(at, { 2, 2, 2, 2 })))
      end)
      it('ger and addr', function()
         local ref = {}
         for i = 1, 5 do
            ref[i] = {}
            for j = 1, 4 do ref[i][j] = wt[i] * vt[j] end
         end
         assert.is_true(close(torch.ger(w, v), ref))
         local m = T(rtable(5, 4))
         local mt = m:totable()
         assert.is_true(close(torch.addr(0.5, m, 3, w, v), lin(mt, 0.5, ref, 3)))
         local r = m:clone()
         r:addr(w, v)
         assert.is_true(close(r, lin(mt, 1, ref, 1)))
         local rt = T(4, 5)
         rt:t():ger(w, v)
         assert.is_true(close(rt:t(), ref))
      end)
      it('dot on vectors and on same-sized tensors', function()
         local s = 0
         for i = 1, 4 do s = s + vt[i] * vt[i] end
         assert.is_true(spec.close(torch.dot(v, v), s, tol, tol))
         assert.is_true(spec.close(v:dot(v), s, tol, tol))
         local s2 = 0
         for i = 1, 5 do for j = 1, 4 do s2 = s2 + at[i][j] * at[i][j] end end
         assert.is_true(spec.close(A:t():dot(A:t()), s2, tol, tol))
         assert.is_true(spec.close(A:dot(A:t():contiguous():t()), s2, tol, tol))
      end)
   end)

   describe('bmm, baddbmm, addbmm (' .. ty[1] .. ')', function()
      local a = { rtable(3, 4), rtable(3, 4) }
      local b = { rtable(4, 2), rtable(4, 2) }
      local m = { rtable(3, 2), rtable(3, 2) }
      local A, B, M = T(a), T(b), T(m)
      it('computes each product of the batch', function()
         local r = torch.bmm(A, B)
         assert.are.same({ 2, 3, 2 }, r:size():totable())
         for i = 1, 2 do assert.is_true(close(r[i], ref_mm(a[i], b[i]))) end
         r = torch.baddbmm(0.5, M, 2, A, B)
         for i = 1, 2 do assert.is_true(close(r[i], lin(m[i], 0.5, ref_mm(a[i], b[i]), 2))) end
         local s = lin(ref_mm(a[1], b[1]), 1, ref_mm(a[2], b[2]), 1)
         assert.is_true(close(torch.addbmm(2, M[1], -1, A, B), lin(m[1], 2, s, -1)))
         local x = M[2]:clone()
         x:addbmm(A, B)
         assert.is_true(close(x, lin(m[2], 1, s, 1)))
         -- transposed batches
         local Bt = B:transpose(2, 3):contiguous():transpose(2, 3)
         r = torch.bmm(A, Bt)
         for i = 1, 2 do assert.is_true(close(r[i], ref_mm(a[i], b[i]))) end
      end)
   end)

   describe('cross (' .. ty[1] .. ')', function()
      it('along the first dimension of size 3 and a given one', function()
         local x, y = T({ { 1, 2, 3 }, { 4, 5, 6 } }), T({ { 7, 8, 9 }, { 1, 0, -1 } })
         local r = torch.cross(x, y)
         assert.are.same({ { 2 * 9 - 3 * 8, 3 * 7 - 1 * 9, 1 * 8 - 2 * 7 }, { -5, 10, -5 } }, r:totable())
         local rt = torch.cross(x:t(), y:t())        -- dimension 1 has size 3
         assert.are.same(r:t():totable(), rt:totable())
         local res = T()
         torch.cross(res, x, y, 2)
         assert.are.same(r:totable(), res:totable())
         assert.are.same(r:totable(), x:cross(y):totable())
         assert.are.same({ 1, 2, 3 }, x[1]:totable())   -- a:cross(b) leaves a alone
      end)
   end)
end

describe('integer products (plain loops)', function()
   for _, name in ipairs { 'LongTensor', 'IntTensor', 'ShortTensor' } do
      it(name, function()
         local at, bt = rtable(3, 4, true), rtable(4, 2, true)
         local A, B = torch[name](at), torch[name](bt)
         assert.are.same(ref_mm(at, bt), torch.mm(A, B):totable())
         assert.are.same(ref_mm(at, bt), torch.mm(torch[name](transpose(at)):t(), B):totable())
         local M = torch[name](3, 2):fill(1)
         assert.are.same(lin(M:totable(), 2, ref_mm(at, bt), 3), torch.addmm(2, M, 3, A, B):totable())
         local v = torch[name]({ 1, 2, 3, 4 })
         assert.are.same(ref_mv(at, { 1, 2, 3, 4 }), torch.mv(A, v):totable())
         assert.are.equal(30, torch.dot(v, v))
         assert.are.same({ { 1, 2, 3, 4 }, { 2, 4, 6, 8 } }, torch.ger(torch[name]({ 1, 2 }), v):totable())
      end)
   end
end)

describe('bad BLAS arguments', function()
   local A, B = torch.Tensor(3, 5), torch.Tensor(4, 2)
   it('name the function and both shapes', function()
      assert.has_error(function() torch.mm(A, B) end,
         "nl_mm: size mismatch, 3x5 and 4x2: expected the first's columns (5) to equal the second's rows (4)")
      assert.has_error(function() torch.addmm(torch.Tensor(3, 3), A, torch.Tensor(5, 2)) end,
         'nl_addmm: the added tensor is 3x3, expected 3x2 (rows of the first matrix x columns of the second)')
      assert.has_error(function() torch.mv(A, torch.Tensor(4)) end,
         "nl_mv: size mismatch, 3x5 and 4: expected the matrix's columns (5) to equal the vector's size (4)")
      assert.has_error(function() torch.mm(A, torch.Tensor(5)) end,
         'nl_mm: the second matrix should be 2D, got a torch.DoubleTensor of size 5')
      assert.has_error(function() torch.bmm(torch.Tensor(2, 3, 4), torch.Tensor(3, 4, 2)) end,
         "nl_bmm: size mismatch, 2x3x4 and 3x4x2: expected the same number of matrices (2, 3) and the first's columns (4) to equal the second's rows (4)")
      assert.has_error(function() torch.dot(torch.Tensor(3), torch.Tensor(4)) end,
         'nl_dot: sizes do not match: 3 (3 elements) and 4 (4 elements)')
      assert.has_error(function() torch.cross(torch.Tensor(2, 4), torch.Tensor(2, 4)) end,
         'nl_cross: no dimension of size 3 in a 2x4 tensor')
   end)
   it('reject mixed types and bad argument lists', function()
      assert.has_error(function() torch.mm(torch.Tensor(2, 2), torch.FloatTensor(2, 2)) end,
         'nl_mm: tensor types differ: torch.DoubleTensor and torch.FloatTensor')
      assert.has_error(function() torch.addmm(A, B) end,
         'torch.addmm: invalid arguments: DoubleTensor DoubleTensor; expected [res,] [beta,] M, [alpha,] A (matrix), B (matrix)')
      assert.has_error(function() torch.mm(A, 3) end,
         'torch.mm: invalid arguments: DoubleTensor number; expected [res,] A (matrix), B (matrix)')
   end)
   it('raise at the caller\'s line', function()
      local ok, err = pcall(function() torch.mm(A, B) end)
      assert.is_false(ok)
      assert.matches('blas_spec.lua:%d+: nl_mm', err)
   end)
end)

-- LAPACK family (gesv, gels, inverse, symeig, eig, svd, potrf, potrs,
-- potri, qr): results checked by reconstruction in double and float, small
-- hand-computed cases, non-contiguous inputs, result-tensor and method
-- forms, and the messages of bad calls.
local torch = require 'torch'

-- deterministic pseudo-random matrices (no dependency on torch.rand)
local seed = 4242
local function rnd()
   seed = (seed * 1103515245 + 12345) % 2147483648
   return seed / 2147483648 * 2 - 1
end
local function rmat(T, n, m)
   local t = T(n, m)
   for i = 1, n do for j = 1, m do t[i][j] = rnd() end end
   return t
end
local function maxdiff(a, b) return (a:double() - b:double()):abs():max() end
local function spd(T, n)   -- symmetric positive definite: M^T M + n I
   local m = rmat(T, n, n)
   return m:t() * m + torch.eye(n):type(m:type()) * n
end
-- a non-contiguous copy of a matrix: every other column of a wider one
local function noncontig(a)
   local w = a.new(a:size(1), a:size(2) * 2):zero()
   local v = w:narrow(2, 1, a:size(2) * 2):unfold(2, 1, 2):select(3, 1)
   v:copy(a)
   assert(not v:isContiguous())
   return v
end

for _, ty in ipairs { { 'DoubleTensor', 1e-10 }, { 'FloatTensor', 1e-4 } } do
   local T, tol = torch[ty[1]], ty[2]
   local I = function(n) return torch.eye(n):type('torch.' .. ty[1]) end

   describe('linear algebra (' .. ty[1] .. ')', function()
      it('gesv solves A X = B and returns the LU factors', function()
         local A, B = rmat(T, 4, 4) + I(4) * 3, rmat(T, 4, 2)
         local X, LU = torch.gesv(B, A)
         assert.are.equal('torch.' .. ty[1], torch.type(X))
         assert.are.same({ 4, 2 }, { X:size(1), X:size(2) })
         assert.are.same({ 4, 4 }, { LU:size(1), LU:size(2) })
         assert.is_true(maxdiff(A * X, B) < tol)
         -- hand-computed: [4 1; 2 3] x = [1; 2] -> x = [0.1; 0.6]
         local x = torch.gesv(T { { 1 }, { 2 } }, T { { 4, 1 }, { 2, 3 } })
         assert.is_true(maxdiff(x, T { { 0.1 }, { 0.6 } }) < tol)
         -- a vector right-hand side is one column
         local xv = torch.gesv(T { 1, 2 }, T { { 4, 1 }, { 2, 3 } })
         assert.are.same({ 2, 1 }, { xv:size(1), xv:size(2) })
         -- non-contiguous inputs, untouched
         local An, Bn = noncontig(A), B:t():clone():t()
         local A0 = A:clone()
         local Xn = torch.gesv(Bn, An)
         assert.is_true(maxdiff(Xn, X) < tol)
         assert.are.equal(0, maxdiff(An, A0))
         -- result tensors and the method form
         local rb, ra = T(), T()
         local r1, r2 = torch.gesv(rb, ra, B, A)
         assert.are.equal(rb, r1)
         assert.are.equal(ra, r2)
         assert.is_true(maxdiff(A * rb, B) < tol)
         assert.is_true(maxdiff(B:gesv(A), X) < tol)
         -- in place: results that are the inputs
         local B2, A2 = B:clone(), A:clone()
         torch.gesv(B2, A2, B2, A2)
         assert.is_true(maxdiff(B2, X) < tol)
      end)

      it('gels solves least squares (m >= n) and least norm (m < n)', function()
         local A, B = rmat(T, 6, 4), rmat(T, 6, 2)
         local X = torch.gels(B, A)
         -- as Torch7: the first n rows, a view of the m x nrhs result
         assert.are.same({ 4, 2 }, { X:size(1), X:size(2) })
         local x = X
         -- normal equations: A^T (A x - B) = 0
         assert.is_true((A:t() * (A * x - B)):abs():max() < tol * 10)
         -- the rows after n hold the residual norm of each column
         local full = X.new(X:storage(), X:storageOffset(), torch.LongStorage { 6, 2 }, X:stride())
         local r = full:narrow(1, 5, 2)
         for j = 1, 2 do
            local res = (A * x - B):select(2, j):norm()
            assert.is_true(math.abs(res - r:select(2, j):norm()) < tol * 10)
         end
         -- least norm: A x = B exactly, x in the row space
         local Aw, Bw = rmat(T, 3, 5), rmat(T, 3, 2)
         local Xw = torch.gels(Bw, Aw)
         assert.are.same({ 5, 2 }, { Xw:size(1), Xw:size(2) })
         assert.is_true(maxdiff(Aw * Xw, Bw) < tol)
         -- hand-computed: fitting y = c to 1, 2, 3 gives c = 2
         local c = torch.gels(T { { 1 }, { 2 }, { 3 } }, T { { 1 }, { 1 }, { 1 } })
         assert.is_true(math.abs(c[1][1] - 2) < tol)
         local rb, ra = T(), T()
         torch.gels(rb, ra, noncontig(B), noncontig(A))
         assert.is_true(maxdiff(rb, X) < tol)
         assert.is_true(maxdiff(B:gels(A), X) < tol)
      end)

      it('inverse gives A inv(A) = I', function()
         local A = rmat(T, 5, 5) + I(5) * 2
         local Ai = torch.inverse(A)
         assert.is_true(maxdiff(A * Ai, I(5)) < tol)
         assert.is_true(maxdiff(Ai * A, I(5)) < tol)
         -- hand-computed: inv [4 7; 2 6] = [0.6 -0.7; -0.2 0.4]
         assert.is_true(maxdiff(torch.inverse(T { { 4, 7 }, { 2, 6 } }), T { { 0.6, -0.7 }, { -0.2, 0.4 } }) < tol)
         assert.is_true(maxdiff(torch.inverse(noncontig(A)), Ai) < tol)
         assert.is_true(maxdiff(torch.inverse(A:t()), Ai:t()) < tol)
         local res = T()
         assert.are.equal(res, torch.inverse(res, A))
         assert.is_true(maxdiff(res, Ai) < tol)
         assert.is_true(maxdiff(A:inverse(), Ai) < tol)
         -- a result of the right size is written in place (a view here)
         local big = T(5, 7):zero()
         local view = big:narrow(2, 2, 5)
         torch.inverse(view, A)
         assert.is_true(maxdiff(big:narrow(2, 2, 5), Ai) < tol)
         assert.are.equal(0, big:select(2, 1):abs():max())
         -- x:inverse(x) overwrites x with its inverse
         local A2 = A:clone()
         A2:inverse(A2)
         assert.is_true(maxdiff(A2, Ai) < tol)
      end)

      it('symeig gives ascending e and A V = V diag(e)', function()
         local M = rmat(T, 5, 5)
         local A = M + M:t()
         local e, V = torch.symeig(A, 'V')
         assert.are.same({ 5 }, { e:size(1) })
         for i = 1, 4 do assert.is_true(e[i] <= e[i + 1]) end
         assert.is_true(maxdiff(A * V, V * torch.diag(e)) < tol * 10)
         assert.is_true(maxdiff(V:t() * V, I(5)) < tol)
         -- hand-computed: [2 1; 1 2] has eigenvalues 1 and 3
         local e2 = torch.symeig(T { { 2, 1 }, { 1, 2 } })
         assert.is_true(maxdiff(e2, T { 1, 3 }) < tol)
         -- only the chosen triangle is read
         local up, low = torch.triu(A), torch.tril(A)
         assert.is_true(maxdiff(torch.symeig(up, 'N', 'U'), e) < tol * 10)
         assert.is_true(maxdiff(torch.symeig(low, 'N', 'L'), e) < tol * 10)
         assert.is_true(maxdiff(torch.symeig(noncontig(A)), e) < tol * 10)
         local re, rv = T(), T()
         local r1, r2 = torch.symeig(re, rv, A, 'V')
         assert.are.equal(re, r1)
         assert.are.equal(rv, r2)
         assert.is_true(maxdiff(A * rv, rv * torch.diag(re)) < tol * 10)
         local e3, V3 = A:symeig('V', 'L')
         assert.is_true(maxdiff(A * V3, V3 * torch.diag(e3)) < tol * 10)
      end)

      it('eig gives real and imaginary parts, and A V = V diag(e) for real eigenvalues', function()
         -- hand-computed: [2 0; 0 3] and the rotation [0 -1; 1 0] (eigenvalues +-i)
         local e = torch.eig(T { { 2, 0 }, { 0, 3 } })
         assert.are.same({ 2, 2 }, { e:size(1), e:size(2) })
         local re = e:select(2, 1):clone()
         assert.is_true(math.abs(math.min(re[1], re[2]) - 2) < tol and math.abs(math.max(re[1], re[2]) - 3) < tol)
         assert.are.equal(0, e:select(2, 2):abs():max())
         local er = torch.eig(T { { 0, -1 }, { 1, 0 } })
         assert.is_true(maxdiff(er:select(2, 1), T { 0, 0 }) < tol)
         assert.is_true(math.abs(math.abs(er[1][2]) - 1) < tol and math.abs(er[1][2] + er[2][2]) < tol)
         -- a symmetric matrix: real eigenvalues
         local M = rmat(T, 4, 4)
         local A = M + M:t()
         local ev, V = torch.eig(A, 'V')
         assert.is_true(ev:select(2, 2):abs():max() < tol)
         assert.is_true(maxdiff(A * V, V * torch.diag(ev:select(2, 1))) < tol * 10)
         -- general matrix with a known real spectrum: S diag(1,2,3,4) S^-1
         local S = rmat(T, 4, 4) + I(4) * 3
         local G = S * torch.diag(T { 1, 2, 3, 4 }) * torch.inverse(S)
         local eg, Vg = torch.eig(noncontig(G), 'V')
         assert.is_true(maxdiff(G * Vg, Vg * torch.diag(eg:select(2, 1))) < tol * 100)
         local sorted = eg:select(2, 1):clone():sort()
         assert.is_true(maxdiff(sorted, T { 1, 2, 3, 4 }) < tol * 100)
         local r1, r2 = T(), T()
         torch.eig(r1, r2, A, 'V')
         assert.is_true(maxdiff(A * r2, r2 * torch.diag(r1:select(2, 1))) < tol * 10)
         local e4 = A:eig()
         assert.is_true(maxdiff(e4, ev) < tol * 10)
      end)

      it('svd gives U diag(S) V^T = A with orthonormal U and V', function()
         for _, sz in ipairs { { 5, 3 }, { 3, 5 }, { 4, 4 } } do
            local m, n = sz[1], sz[2]
            local k = math.min(m, n)
            local A = rmat(T, m, n)
            local U, S, V = torch.svd(A)
            assert.are.same({ m, k, k, n, k }, { U:size(1), U:size(2), S:size(1), V:size(1), V:size(2) })
            assert.is_true(maxdiff(U * torch.diag(S) * V:t(), A) < tol)
            assert.is_true(maxdiff(U:t() * U, I(k)) < tol)
            assert.is_true(maxdiff(V:t() * V, I(k)) < tol)
            for i = 1, k - 1 do assert.is_true(S[i] >= S[i + 1]) end
            local Ua, Sa, Va = torch.svd(noncontig(A), 'A')
            assert.are.same({ m, m, n, n }, { Ua:size(1), Ua:size(2), Va:size(1), Va:size(2) })
            assert.is_true(maxdiff(Ua:t() * Ua, I(m)) < tol)
            assert.is_true(maxdiff(Va:t() * Va, I(n)) < tol)
            assert.is_true(maxdiff(Ua:narrow(2, 1, k) * torch.diag(Sa) * Va:narrow(2, 1, k):t(), A) < tol)
         end
         -- hand-computed: diag(3, -2) has singular values 3 and 2
         local _, s = torch.svd(T { { 3, 0 }, { 0, -2 } })
         assert.is_true(maxdiff(s, T { 3, 2 }) < tol)
         local A = rmat(T, 4, 3)
         local ru, rs, rv = T(), T(), T()
         local a1, a2, a3 = torch.svd(ru, rs, rv, A)
         assert.are.equal(ru, a1)
         assert.are.equal(rs, a2)
         assert.are.equal(rv, a3)
         assert.is_true(maxdiff(ru * torch.diag(rs) * rv:t(), A) < tol)
         local u, s2, v = A:svd()
         assert.is_true(maxdiff(u * torch.diag(s2) * v:t(), A) < tol)
      end)

      it('potrf, potrs and potri work from the Cholesky factor', function()
         local A = spd(T, 5)
         local U = torch.potrf(A)
         assert.is_true(maxdiff(U:t() * U, A) < tol * 10)
         assert.are.equal(0, torch.tril(U, -1):abs():max())
         local L = torch.potrf(A, 'L')
         assert.is_true(maxdiff(L * L:t(), A) < tol * 10)
         assert.are.equal(0, torch.triu(L, 1):abs():max())
         -- hand-computed: [4 2; 2 5] = [2 1; 0 2]^T [2 1; 0 2]
         assert.is_true(maxdiff(torch.potrf(T { { 4, 2 }, { 2, 5 } }), T { { 2, 1 }, { 0, 2 } }) < tol)
         assert.is_true(maxdiff(torch.potrf(noncontig(A)), U) < tol)
         local B = rmat(T, 5, 3)
         local X = torch.potrs(B, U)
         assert.is_true(maxdiff(A * X, B) < tol * 10)
         assert.is_true(maxdiff(A * torch.potrs(B, L, 'L'), B) < tol * 10)
         assert.is_true(maxdiff(torch.potrs(noncontig(B), noncontig(U)), X) < tol)
         local Ai = torch.potri(U)
         assert.is_true(maxdiff(A * Ai, I(5)) < tol * 10)
         assert.is_true(maxdiff(Ai, Ai:t()) < tol)
         assert.is_true(maxdiff(torch.potri(L, 'L'), Ai) < tol * 10)
         local r = T()
         assert.are.equal(r, torch.potrf(r, A))
         assert.is_true(maxdiff(r, U) < tol)
         assert.are.equal(r, torch.potrs(r, B, U))
         assert.is_true(maxdiff(r, X) < tol)
         assert.are.equal(r, torch.potri(r, U))
         assert.is_true(maxdiff(r, Ai) < tol)
         assert.is_true(maxdiff(A:potrf(), U) < tol)
         assert.is_true(maxdiff(B:potrs(U), X) < tol)
         assert.is_true(maxdiff(U:potri(), Ai) < tol)
      end)

      it('qr gives Q R = A with orthonormal Q and upper R', function()
         for _, sz in ipairs { { 5, 3 }, { 3, 5 }, { 4, 4 } } do
            local m, n = sz[1], sz[2]
            local k = math.min(m, n)
            local A = rmat(T, m, n)
            local Q, R = torch.qr(A)
            assert.are.same({ m, k, k, n }, { Q:size(1), Q:size(2), R:size(1), R:size(2) })
            assert.is_true(maxdiff(Q * R, A) < tol)
            assert.is_true(maxdiff(Q:t() * Q, I(k)) < tol)
            assert.are.equal(0, torch.tril(R, -1):abs():max())
            local Qn, Rn = torch.qr(noncontig(A))
            assert.is_true(maxdiff(Qn * Rn, A) < tol)
         end
         -- Torch7's documented example: R's diagonal is -14, -175, -35 up to sign
         local Q, R = torch.qr(T { { 12, -51, 4 }, { 6, 167, -68 }, { -4, 24, -41 } })
         assert.is_true(maxdiff(torch.diag(R):abs(), T { 14, 175, 35 }) < tol * 1000)
         local q, r = T(), T()
         local a1, a2 = torch.qr(q, r, Q * R)
         assert.are.equal(q, a1)
         assert.are.equal(r, a2)
         assert.is_true(maxdiff(q * r, Q * R) < tol * 1000)
         local A = rmat(T, 4, 3)
         local q2, r2 = A:qr()
         assert.is_true(maxdiff(q2 * r2, A) < tol)
      end)
   end)
end

describe('bad linear algebra arguments', function()
   it('name the function and the problem', function()
      assert.has_error(function() torch.gesv(torch.Tensor { { 1 }, { 2 }, { 3 } }, torch.Tensor { { 1, 2, 3 }, { 2, 4, 6 }, { 1, 1, 1 } }) end,
         'gesv: the matrix is singular (U(3,3) is zero)')
      assert.has_error(function() torch.inverse(torch.Tensor { { 1, 2 }, { 2, 4 } }) end,
         'inverse: the matrix is singular (U(2,2) is zero)')
      assert.has_error(function() torch.potrf(torch.Tensor { { 1, 2 }, { 2, 1 } }) end,
         'potrf: the matrix is not positive definite (the leading minor of order 2 is not positive)')
      assert.has_error(function() torch.inverse(torch.Tensor(2, 3)) end,
         'inverse: the matrix should be square, got size 2x3')
      assert.has_error(function() torch.symeig(torch.Tensor(3, 2)) end,
         'symeig: the matrix should be square, got size 3x2')
      assert.has_error(function() torch.eig(torch.Tensor(3, 2)) end, 'eig: the matrix should be square, got size 3x2')
      assert.has_error(function() torch.potrf(torch.Tensor(3)) end,
         'potrf: the matrix should be 2D, got a torch.DoubleTensor of size 3')
      assert.has_error(function() torch.gesv(torch.Tensor(3, 1), torch.eye(2)) end,
         'gesv: size mismatch, A is 2x2 and B is 3x1: expected B to have 2 rows')
      assert.has_error(function() torch.gels(torch.Tensor(3, 1), torch.Tensor(2, 2)) end,
         'gels: size mismatch, A is 2x2 and B is 3x1: expected B to have 2 rows')
      assert.has_error(function() torch.potrs(torch.Tensor(3, 1), torch.eye(2)) end,
         'potrs: size mismatch, the factor is 2x2 and B is 3x1: expected B to have 2 rows')
      assert.has_error(function() torch.gels(torch.Tensor { { 1 }, { 2 } }, torch.Tensor { { 1, 1 }, { 1, 1 } }) end,
         'gels: A does not have full rank (diagonal element 2 of its triangular factor is zero)')
      assert.has_error(function() torch.svd(torch.Tensor { { 0 / 0, 1 }, { 1, 1 } }) end,
         'svd: the matrix contains NaN or infinite values')
      assert.has_error(function() torch.gesv(torch.Tensor(2, 2, 1), torch.eye(2)) end,
         'gesv: B should be 1D or 2D, got a torch.DoubleTensor of size 2x2x1')
      assert.has_error(function() torch.qr(torch.Tensor()) end,
         'qr: the matrix should be 2D, got a torch.DoubleTensor of size [empty]')
   end)
   it('reject other types, bad options and argument lists', function()
      assert.has_error(function() torch.inverse(torch.IntTensor(2, 2)) end,
         'inverse: the matrix should be a FloatTensor or DoubleTensor, got a torch.IntTensor')
      assert.has_error(function() torch.gesv(torch.FloatTensor(2, 1), torch.eye(2)) end,
         'gesv: tensor types differ: torch.DoubleTensor and torch.FloatTensor')
      assert.has_error(function() torch.inverse(torch.FloatTensor(), torch.eye(2)) end,
         'inverse: tensor types differ: torch.DoubleTensor and torch.FloatTensor')
      assert.has_error(function() torch.symeig(torch.eye(2), 'X') end, "symeig: the job should be one of 'NV', got 'X'")
      assert.has_error(function() torch.potrf(torch.eye(2), 'Q') end,
         "potrf: the triangle should be one of 'UL', got 'Q'")
      assert.has_error(function() torch.svd(torch.eye(2), 'B') end, "svd: the job should be one of 'SA', got 'B'")
      assert.has_error(function() torch.symeig(torch.eye(2), 'VV') end,
         "torch.symeig: invalid arguments: DoubleTensor string; expected [rese, resv,] A [, 'N'|'V'] [, 'U'|'L']")
      assert.has_error(function() torch.gesv(torch.eye(2)) end,
         'torch.gesv: invalid arguments: DoubleTensor; expected [resb, resa,] B, A')
      assert.has_error(function() torch.qr(3) end, 'torch.qr: invalid arguments: number; expected [q, r,] A')
   end)
   it('raise at the caller\'s line', function()
      local ok, err = pcall(function() torch.inverse(torch.Tensor(2, 3)) end)
      assert.is_false(ok)
      assert.matches('linalg_spec.lua:%d+: inverse', err)
   end)
   it('say CUDA has no kernel for them', function()
      local ok = pcall(require, 'cutorch')
      if not ok or not torch.CudaTensor or (cutorch.getDeviceCount and cutorch.getDeviceCount() == 0) then
         return pending('no CUDA device here')
      end
      assert.has_error(function() torch.inverse(torch.CudaTensor(2, 2)) end,
         'inverse: not available on CUDA for torch.CudaTensor')
   end)
end)

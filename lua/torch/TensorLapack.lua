-- torch.TensorLapack: Torch7's LAPACK functions (gesv, gels, inverse,
-- symeig, eig, svd, potrf, potrs, potri, qr) as torch.* functions and
-- methods, on runtime/linalg.c (CPU, float and double).
--
-- Argument forms follow Torch7's cwrap declarations: the result tensors
-- come first and are all given or all left out, then the inputs, then the
-- character options with their defaults:
--   X, LU = torch.gesv([resb, resa,] B, A)
--   e, V = torch.symeig([rese, resv,] A [, 'N'|'V' [, 'U'|'L']])
-- A method call passes self as the first argument (A:inverse() inverts A,
-- res:inverse(A) writes A's inverse into res), as in Torch7.
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase = core.TensorBase
local isTensor, new = core.isTensor, core.new

local function arg_types(n, ...)
   local s = {}
   for i = 1, n do
      local x = select(i, ...)
      s[#s + 1] = isTensor(x) and torch.typename(x):gsub('^torch%.', '') or type(x)
   end
   while s[#s] == 'nil' do s[#s] = nil end
   return table.concat(s, ' ')
end

-- def(name, cfn, results, inputs, options): results and inputs are lists
-- of names (for the help text); options a list of {allowed, default}.
local function def(name, cfn, results, inputs, options)
   local nres, nin = #results, #inputs
   local help = string.format('[%s,] %s', table.concat(results, ', '), table.concat(inputs, ', '))
   for _, o in ipairs(options) do help = help .. string.format(" [, '%s']", o[1]:gsub('.', "%0'|'"):sub(1, -4)) end
   local fname = 'torch.' .. name
   local function bad(n, ...)
      raise(string.format('%s: invalid arguments: %s; expected %s', fname, arg_types(n, ...), help))
   end
   local f = function(...)
      local n = select('#', ...)
      local args = { ... }
      local nt = 0
      while nt < n and isTensor(args[nt + 1]) do nt = nt + 1 end
      local res, ins = {}, {}
      if nt == nres + nin then
         for i = 1, nres do res[i] = args[i] end
         for i = 1, nin do ins[i] = args[nres + i] end
      elseif nt == nin then
         for i = 1, nin do ins[i] = args[i] end
         for i = 1, nres do res[i] = new(ins[1]._dtype, ins[1]._device) end
      else
         bad(n, ...)
      end
      local opts = {}
      for i = 1, #options do
         local v = args[nt + i]
         if v == nil then
            v = options[i][2]
         elseif type(v) ~= 'string' or #v ~= 1 then
            bad(n, ...)
         end
         opts[i] = v:upper():byte()
      end
      for i = nt + #options + 1, n do
         if args[i] ~= nil then bad(n, ...) end
      end
      local cargs = {}
      for i = 1, nres do cargs[#cargs + 1] = res[i] end
      for i = 1, nin do cargs[#cargs + 1] = ins[i] end
      for i = 1, #options do cargs[#cargs + 1] = opts[i] end
      check(C[cfn](unpack(cargs, 1, nres + nin + #options)))
      return unpack(res, 1, nres)
   end
   torch[name] = f
   TensorBase[name] = f
end

def('gesv', 'nl_gesv', { 'resb', 'resa' }, { 'B', 'A' }, {})
def('gels', 'nl_gels', { 'resb', 'resa' }, { 'B', 'A' }, {})
def('inverse', 'nl_inverse', { 'res' }, { 'A' }, {})
def('symeig', 'nl_symeig', { 'rese', 'resv' }, { 'A' }, { { 'NV', 'N' }, { 'UL', 'U' } })
def('eig', 'nl_eig', { 'rese', 'resv' }, { 'A' }, { { 'NV', 'N' } })
def('svd', 'nl_svd', { 'resu', 'ress', 'resv' }, { 'A' }, { { 'SA', 'S' } })
def('potrf', 'nl_potrf', { 'res' }, { 'A' }, { { 'UL', 'U' } })
def('potrs', 'nl_potrs', { 'res' }, { 'B', 'chol' }, { { 'UL', 'U' } })
def('potri', 'nl_potri', { 'res' }, { 'chol' }, { { 'UL', 'U' } })
def('qr', 'nl_qr', { 'q', 'r' }, { 'A' }, {})

-- torch.pstrf([res, piv,] A [, 'U'|'L' [, tol]]): Cholesky factorisation
-- with complete pivoting of a symmetric positive semi-definite matrix, as
-- LAPACK's ?pstrf: returns (R, piv) with A[piv][piv] = R^T R ('U', the
-- default) or R R^T ('L'), piv an IntTensor of 1-based indices. A matrix
-- of lower rank is an error, as in Torch7. tol < 0 (the default) means
-- n * eps * max(diag(A)). Written in Lua over doubles (n^3 / 3 steps).
local function pstrf(...)
   local args = { ... }
   local res, piv, A, uplo, tol
   if isTensor(args[1]) and isTensor(args[2]) and isTensor(args[3]) then
      res, piv, A, uplo, tol = args[1], args[2], args[3], args[4], args[5]
   else
      A, uplo, tol = args[1], args[2], args[3]
   end
   if not isTensor(A) or A:dim() ~= 2 or A:size(1) ~= A:size(2) then
      raise('pstrf: expected a square 2D tensor A, got ' .. (isTensor(A) and core.shape_str(A) or torch.type(A)))
   end
   if A._dtype ~= C.NL_FLOAT and A._dtype ~= C.NL_DOUBLE then
      raise('pstrf: A should be a FloatTensor or DoubleTensor, got a ' .. torch.typename(A))
   end
   uplo = (uplo or 'U'):upper()
   if uplo ~= 'U' and uplo ~= 'L' then raise("pstrf: the triangle should be 'U' or 'L', got '" .. tostring(uplo) .. "'") end
   tol = tol or -1
   local n = A:size(1)
   local a = A:double():clone()
   local p = {}
   for i = 1, n do p[i] = i end
   local maxdiag = 0
   for i = 1, n do maxdiag = math.max(maxdiag, a[i][i]) end
   if tol < 0 then tol = n * 2.220446049250313e-16 * maxdiag end
   -- work on the upper triangle: a[i][j], i <= j; d[j] holds the updated diagonal
   local d = {}
   for j = 1, n do d[j] = a[j][j] end
   local rank = n
   for k = 1, n do
      local q, best = k, d[k]
      for j = k + 1, n do if d[j] > best then q, best = j, d[j] end end
      if best <= tol or best ~= best then rank = k - 1; break end
      if q ~= k then
         -- swap rows/columns k and q of the symmetric matrix (full copy kept symmetric)
         local rk, rq = a[k]:clone(), a[q]:clone()
         a[k]:copy(rq); a[q]:copy(rk)
         local ck, cq = a:select(2, k):clone(), a:select(2, q):clone()
         a:select(2, k):copy(cq); a:select(2, q):copy(ck)
         d[k], d[q] = d[q], d[k]
         p[k], p[q] = p[q], p[k]
      end
      local rkk = math.sqrt(d[k])
      a[k][k] = rkk
      for j = k + 1, n do
         local s = a[k][j]
         for i = 1, k - 1 do s = s - a[i][k] * a[i][j] end
         a[k][j] = s / rkk
         d[j] = d[j] - a[k][j] * a[k][j]
      end
   end
   if rank < n then
      raise(string.format('pstrf: the matrix is rank deficient or not positive semi-definite (rank %d of %d at tolerance %g)',
         rank, n, tol))
   end
   local R = torch.DoubleTensor(n, n):zero()
   for i = 1, rank do
      for j = i, n do R[i][j] = a[i][j] end
   end
   if uplo == 'L' then R = R:t():contiguous() end
   res = res or A.new()
   res:resize(n, n):copy(R)
   piv = piv or torch.IntTensor()
   piv:resize(n)
   for i = 1, n do piv[i] = p[i] end
   return res, piv
end
torch.pstrf = pstrf
TensorBase.pstrf = pstrf

return TensorBase

-- trtrs, geqrf, orgqr, ormqr: Torch7's remaining LAPACK functions, calling
-- OpenBLAS's LAPACK (the library libnnlua links) through the FFI on
-- column-major copies, with Torch7's argument orders and results:
--   X, Acopy = torch.trtrs([resb, resa,] B, A [, 'U'|'L' [, 'N'|'T' [, 'N'|'U']]])
--   a, tau   = torch.geqrf([resa, restau,] A)       Householder form of A = QR
--   Q        = torch.orgqr([resq,] a, tau)          the m x n Q of that form
--   R        = torch.ormqr([res,] a, tau, C [, 'L'|'R' [, 'N'|'T']])   Q*C (or C*Q, Q'C ...)
-- Also the function forms and aliases Torch7 has: torch.mod/cmod (fmod,
-- cfmod), torch.getnumcores, torch.isatty, torch.version.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, raise = core.C, core.raise
local TensorBase, isTensor = core.TensorBase, core.isTensor

local reg = debug.getregistry()
if not reg.nnlua_lapack2_cdef then
   reg.nnlua_lapack2_cdef = true
   ffi.cdef [[
      void strtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
                   const float *a, const int *lda, float *b, const int *ldb, int *info, size_t, size_t, size_t);
      void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
                   const double *a, const int *lda, double *b, const int *ldb, int *info, size_t, size_t, size_t);
      void sgeqrf_(const int *m, const int *n, float *a, const int *lda, float *tau, float *work, const int *lwork, int *info);
      void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work, const int *lwork, int *info);
      void sorgqr_(const int *m, const int *n, const int *k, float *a, const int *lda, const float *tau, float *work,
                   const int *lwork, int *info);
      void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda, const double *tau, double *work,
                   const int *lwork, int *info);
      void sormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k, const float *a,
                   const int *lda, const float *tau, float *c, const int *ldc, float *work, const int *lwork, int *info,
                   size_t, size_t);
      void dormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k, const double *a,
                   const int *lda, const double *tau, double *c, const int *ldc, double *work, const int *lwork, int *info,
                   size_t, size_t);
   ]]
end
local L = torch._C

local function prefix(fn, t)
   if t._dtype == C.NL_FLOAT then return 's', 'float' end
   if t._dtype == C.NL_DOUBLE then return 'd', 'double' end
   raise(string.format('%s: expected a FloatTensor or DoubleTensor, got a %s', fn, torch.typename(t)))
end

local function matrix(fn, what, t, allow_vector)
   if not isTensor(t) then raise(string.format('%s: %s should be a tensor, got %s', fn, what, torch.type(t))) end
   if not core.is_host(t) then raise(string.format('%s: %s must be a CPU tensor', fn, what)) end
   if t:dim() ~= 2 and not (allow_vector and t:dim() == 1) then
      raise(string.format('%s: %s should be %s, got a tensor of size %s', fn, what, allow_vector and '1D or 2D' or '2D',
         core.shape_str(t)))
   end
end

-- a column-major copy of a (rows x cols): the transpose made contiguous
local function cm(a)
   if a:dim() == 1 then return a:clone() end
   local t = a:t()
   return a.new(t:size()):copy(t)   -- always a copy: LAPACK writes into it
end
-- back from column-major storage to a rows x cols tensor
local function from_cm(buf, rows, cols)
   return buf:view(cols, rows):t()
end

local function ints(...)
   local n = select('#', ...)
   local v = ffi.new('int[?]', n)
   for i = 1, n do v[i - 1] = select(i, ...) end
   return v
end

local function check_info(fn, info, what)
   if info[0] < 0 then raise(string.format('%s: LAPACK rejected argument %d', fn, -info[0])) end
   if info[0] > 0 then raise(string.format('%s: %s (element %d)', fn, what, info[0])) end
end

local function char_opt(fn, what, v, default, allowed)
   v = v or default
   if type(v) ~= 'string' or not allowed:find(v:upper(), 1, true) or #v ~= 1 then
      raise(string.format("%s: %s should be one of %s, got %s", fn, what, allowed:gsub('.', "'%0' "):gsub(' $', ''),
         tostring(v)))
   end
   return v:upper()
end

local function results(n, ...)
   local args = { ... }
   local res = {}
   local k = 0
   while k < #args and isTensor(args[k + 1]) do k = k + 1 end
   return args, k
end

function torch.trtrs(...)
   local fn = 'trtrs'
   local args, k = results(0, ...)
   local rb, ra, b, a, i
   if k >= 4 then rb, ra, b, a, i = args[1], args[2], args[3], args[4], 5
   else b, a, i = args[1], args[2], 3 end
   matrix(fn, 'A', a)
   matrix(fn, 'B', b, true)
   if a:size(1) ~= a:size(2) then raise(string.format('%s: A should be square, got %s', fn, core.shape_str(a))) end
   if b:size(1) ~= a:size(1) then
      raise(string.format('%s: A is %s but B has %d rows', fn, core.shape_str(a), b:size(1)))
   end
   if a._dtype ~= b._dtype then raise(string.format('%s: A and B should have the same type', fn)) end
   local uplo = char_opt(fn, 'the triangle', args[i], 'U', 'UL')
   local trans = char_opt(fn, 'the transposition', args[i + 1], 'N', 'NT')
   local diag = char_opt(fn, 'the diagonal', args[i + 2], 'N', 'NU')
   local p = prefix(fn, a)
   local n = a:size(1)
   local nrhs = b:dim() == 2 and b:size(2) or 1
   local A, B = cm(a), cm(b)
   local info = ffi.new('int[1]')
   L[p .. 'trtrs_'](uplo, trans, diag, ints(n), ints(nrhs), A:data(), ints(math.max(n, 1)), B:data(),
      ints(math.max(n, 1)), info, 1, 1, 1)
   check_info(fn, info, 'A is singular: a zero on its diagonal')
   rb = rb or b.new()
   ra = ra or a.new()
   rb:resize(n, nrhs):copy(from_cm(B, n, nrhs))
   ra:resize(n, n):copy(from_cm(A, n, n))
   return rb, ra
end

function torch.geqrf(...)
   local fn = 'geqrf'
   local args, k = results(0, ...)
   local ra, rtau, a
   if k >= 3 then ra, rtau, a = args[1], args[2], args[3] else a = args[1] end
   matrix(fn, 'A', a)
   local p, ct = prefix(fn, a)
   local m, n = a:size(1), a:size(2)
   local A = cm(a)
   local tau = a.new(math.min(m, n))
   local info = ffi.new('int[1]')
   local q = ffi.new(ct .. '[1]')
   L[p .. 'geqrf_'](ints(m), ints(n), A:data(), ints(math.max(m, 1)), tau:data(), q, ints(-1), info)
   local lwork = math.max(1, math.floor(tonumber(q[0])))
   local work = ffi.new(ct .. '[?]', lwork)
   L[p .. 'geqrf_'](ints(m), ints(n), A:data(), ints(math.max(m, 1)), tau:data(), work, ints(lwork), info)
   check_info(fn, info, 'failed')
   ra = ra or a.new()
   rtau = rtau or a.new()
   ra:resize(m, n):copy(from_cm(A, m, n))
   rtau:resize(tau:size(1)):copy(tau)
   return ra, rtau
end

function torch.orgqr(...)
   local fn = 'orgqr'
   local args, k = results(0, ...)
   local rq, a, tau
   if k >= 3 then rq, a, tau = args[1], args[2], args[3] else a, tau = args[1], args[2] end
   matrix(fn, 'a', a)
   if not isTensor(tau) or tau:dim() ~= 1 then raise(fn .. ': tau should be a 1D tensor') end
   local p, ct = prefix(fn, a)
   local m, n = a:size(1), a:size(2)
   local kk = tau:size(1)
   if kk > n or n > m then
      raise(string.format('%s: a is %s and tau has %d elements: expected tau no longer than the columns, and no more columns than rows',
         fn, core.shape_str(a), kk))
   end
   local A = cm(a)
   local T = tau:contiguous()
   local info = ffi.new('int[1]')
   local q = ffi.new(ct .. '[1]')
   L[p .. 'orgqr_'](ints(m), ints(n), ints(kk), A:data(), ints(math.max(m, 1)), T:data(), q, ints(-1), info)
   local lwork = math.max(1, math.floor(tonumber(q[0])))
   local work = ffi.new(ct .. '[?]', lwork)
   L[p .. 'orgqr_'](ints(m), ints(n), ints(kk), A:data(), ints(math.max(m, 1)), T:data(), work, ints(lwork), info)
   check_info(fn, info, 'failed')
   rq = rq or a.new()
   rq:resize(m, n):copy(from_cm(A, m, n))
   return rq
end

function torch.ormqr(...)
   local fn = 'ormqr'
   local args, k = results(0, ...)
   local rc, a, tau, c, i
   if k >= 4 then rc, a, tau, c, i = args[1], args[2], args[3], args[4], 5
   else a, tau, c, i = args[1], args[2], args[3], 4 end
   matrix(fn, 'a', a)
   matrix(fn, 'C', c)
   if not isTensor(tau) or tau:dim() ~= 1 then raise(fn .. ': tau should be a 1D tensor') end
   local side = char_opt(fn, 'the side', args[i], 'L', 'LR')
   local trans = char_opt(fn, 'the transposition', args[i + 1], 'N', 'NT')
   local p, ct = prefix(fn, a)
   local m, n = c:size(1), c:size(2)
   local kk = tau:size(1)
   local nq = side == 'L' and m or n
   if a:size(1) ~= nq then
      raise(string.format('%s: a has %d rows but C needs %d (side %s, C is %s)', fn, a:size(1), nq, side, core.shape_str(c)))
   end
   local A, Cm, T = cm(a), cm(c), tau:contiguous()
   local info = ffi.new('int[1]')
   local q = ffi.new(ct .. '[1]')
   local lda = math.max(a:size(1), 1)
   L[p .. 'ormqr_'](side, trans, ints(m), ints(n), ints(kk), A:data(), ints(lda), T:data(), Cm:data(),
      ints(math.max(m, 1)), q, ints(-1), info, 1, 1)
   local lwork = math.max(1, math.floor(tonumber(q[0])))
   local work = ffi.new(ct .. '[?]', lwork)
   L[p .. 'ormqr_'](side, trans, ints(m), ints(n), ints(kk), A:data(), ints(lda), T:data(), Cm:data(),
      ints(math.max(m, 1)), work, ints(lwork), info, 1, 1)
   check_info(fn, info, 'failed')
   rc = rc or c.new()
   rc:resize(m, n):copy(from_cm(Cm, m, n))
   return rc
end

for _, name in ipairs { 'trtrs', 'geqrf', 'orgqr', 'ormqr' } do TensorBase[name] = torch[name] end

-- aliases and small functions Torch7 has
-- (errors name the alias the user called)
torch.mod = core.named('mod', torch.fmod)
torch.cmod = core.named('cmod', torch.cfmod)
TensorBase.mod = core.named('mod', TensorBase.fmod)
TensorBase.cmod = core.named('cmod', TensorBase.cfmod)
function torch.getnumcores()
   local f = io.open('/proc/cpuinfo')
   local n = 0
   if f then
      for line in f:lines() do if line:match('^processor') then n = n + 1 end end
      f:close()
   end
   return math.max(n, 1)
end
ffi.cdef [[ int nl_isatty(int fd) __asm__("isatty"); int nl_fileno(void *f) __asm__("fileno"); ]]
function torch.isatty(file)
   if io.type(file) ~= 'file' then return false end
   local fd = file == io.stdout and 1 or file == io.stderr and 2 or file == io.stdin and 0 or nil
   return fd ~= nil and ffi.C.nl_isatty(fd) == 1
end

return TensorBase

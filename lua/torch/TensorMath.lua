-- torch.TensorMath: elementwise math, comparisons, operators and creation
-- functions, with Torch7's method forms (`x:add(y)` in place, `z:add(x, y)`
-- into z) and function forms (`torch.add([res,] x, y)`).
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase = core.TensorBase
local isTensor, new, empty_like = core.isTensor, core.new, core.empty_like

local function T(fn, x, i)
   if not isTensor(x) then
      raise(string.format('%s: argument %d should be a tensor, got %s', fn, i, torch.type(x)))
   end
   return x
end
local function N(fn, x, i)
   if type(x) ~= 'number' then
      raise(string.format('%s: argument %d should be a number, got %s', fn, i, torch.type(x)))
   end
   return x
end

-- Function form helper: torch.f([res,] x, ...) calls res:f(x, ...) with a
-- fresh res (same type as x) when none is given. `has_res(a1, a2, ...)`
-- tells whether the first argument is the result.
local function fn_form(name, has_res)
   torch[name] = function(a1, a2, ...)
      if has_res(a1, a2, ...) then return TensorBase[name](a1, a2, ...) end
      if not isTensor(a1) then
         raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1)))
      end
      return TensorBase[name](empty_like(a1), a1, a2, ...)
   end
end
local function res_if_two_tensors(a1, a2) return isTensor(a1) and isTensor(a2) end

-- Unary ---------------------------------------------------------------------

local unary = {
   neg = C.NL_U_NEG, abs = C.NL_U_ABS, sign = C.NL_U_SIGN, exp = C.NL_U_EXP, log = C.NL_U_LOG,
   log1p = C.NL_U_LOG1P, sqrt = C.NL_U_SQRT, rsqrt = C.NL_U_RSQRT, sin = C.NL_U_SIN, cos = C.NL_U_COS,
   tan = C.NL_U_TAN, asin = C.NL_U_ASIN, acos = C.NL_U_ACOS, atan = C.NL_U_ATAN, sinh = C.NL_U_SINH,
   cosh = C.NL_U_COSH, tanh = C.NL_U_TANH, sigmoid = C.NL_U_SIGMOID, floor = C.NL_U_FLOOR,
   ceil = C.NL_U_CEIL, round = C.NL_U_ROUND, trunc = C.NL_U_TRUNC, frac = C.NL_U_FRAC, cinv = C.NL_U_CINV,
}
for name, op in pairs(unary) do
   -- x:f() in place; z:f(x) into z
   TensorBase[name] = function(self, x)
      if x == nil then x = self else T(name, x, 1) end
      check(C.nl_unary(self, x, op, 0, 0))
      return self
   end
   torch[name] = function(a1, a2)
      if a2 ~= nil then return TensorBase[name](T(name, a1, 1), a2) end
      T(name, a1, 1)
      return TensorBase[name](empty_like(a1), a1)
   end
end

-- Scalar-parameter ops: x:mul(v), z:mul(x, v); torch.mul([res,] x, v)
local scalar_ops = { mul = C.NL_U_MUL, div = C.NL_U_DIV }
for name, op in pairs(scalar_ops) do
   TensorBase[name] = function(self, a, b)
      if b == nil then
         check(C.nl_unary(self, self, op, N(name, a, 1), 0))
      else
         check(C.nl_unary(self, T(name, a, 1), op, N(name, b, 2), 0))
      end
      return self
   end
   fn_form(name, res_if_two_tensors)
end

-- fmod, remainder, cmax, cmin: a number or a tensor as the operand
local mixed = {
   fmod = { C.NL_U_FMOD, C.NL_B_FMOD }, remainder = { C.NL_U_REMAINDER, C.NL_B_REMAINDER },
   cmax = { C.NL_U_CMAX, C.NL_B_CMAX }, cmin = { C.NL_U_CMIN, C.NL_B_CMIN },
}
for name, ops in pairs(mixed) do
   TensorBase[name] = function(self, a, b)
      local x, y = self, a
      if b ~= nil then x, y = T(name, a, 1), b end
      if type(y) == 'number' then check(C.nl_unary(self, x, ops[1], y, 0))
      elseif isTensor(y) then check(C.nl_binary(self, x, y, ops[2], 1))
      else raise(string.format('%s: expected a number or a tensor, got %s', name, torch.type(y))) end
      return self
   end
   fn_form(name, function(a1, a2, a3) return isTensor(a1) and isTensor(a2) and a3 ~= nil end)
end

-- Binary tensor ops: x:cmul(y), z:cmul(x, y)
local binary = { cmul = C.NL_B_MUL, cdiv = C.NL_B_DIV, cpow = C.NL_B_POW, atan2 = C.NL_B_ATAN2 }
for name, op in pairs(binary) do
   TensorBase[name] = function(self, a, b)
      if b == nil then check(C.nl_binary(self, self, T(name, a, 1), op, 1))
      else check(C.nl_binary(self, T(name, a, 1), T(name, b, 2), op, 1)) end
      return self
   end
   fn_form(name, function(a1, a2, a3) return isTensor(a1) and isTensor(a2) and isTensor(a3) end)
end

-- add / csub:
--   x:add(v) x:add(y) x:add(v, y) z:add(x, v) z:add(x, y) z:add(x, v, y)
local function add_like(name, sign)
   local function op(self, a, b, c)
      if c ~= nil then
         check(C.nl_binary(self, T(name, a, 1), T(name, c, 3), C.NL_B_ADD, sign * N(name, b, 2)))
      elseif b ~= nil then
         if isTensor(a) then
            if isTensor(b) then check(C.nl_binary(self, a, b, C.NL_B_ADD, sign))
            else check(C.nl_unary(self, a, C.NL_U_ADD, sign * N(name, b, 2), 0)) end
         else
            check(C.nl_binary(self, self, T(name, b, 2), C.NL_B_ADD, sign * N(name, a, 1)))
         end
      elseif isTensor(a) then
         check(C.nl_binary(self, self, a, C.NL_B_ADD, sign))
      else
         check(C.nl_unary(self, self, C.NL_U_ADD, sign * N(name, a, 1), 0))
      end
      return self
   end
   return op
end
TensorBase.add = add_like('add', 1)
TensorBase.csub = core.named('csub', add_like('csub', -1))
local function add_has_res(a1, a2, a3) return isTensor(a1) and isTensor(a2) and a3 ~= nil end
fn_form('add', add_has_res)
fn_form('csub', add_has_res)

-- pow: x:pow(v), z:pow(x, v), z:pow(v, x) (v^x); torch.pow([res,] x, v)
function TensorBase.pow(self, a, b)
   if b == nil then check(C.nl_unary(self, self, C.NL_U_POW, N('pow', a, 1), 0))
   elseif isTensor(a) then check(C.nl_unary(self, a, C.NL_U_POW, N('pow', b, 2), 0))
   else check(C.nl_unary(self, T('pow', b, 2), C.NL_U_RPOW, N('pow', a, 1), 0)) end
   return self
end
function torch.pow(a1, a2, a3)
   if a3 ~= nil then return TensorBase.pow(T('torch.pow', a1, 1), a2, a3) end
   if isTensor(a1) then return TensorBase.pow(empty_like(a1), a1, a2) end
   T('torch.pow', a2, 2)
   return TensorBase.pow(empty_like(a2), a1, a2)
end

-- clamp: x:clamp(lo, hi), z:clamp(x, lo, hi)
function TensorBase.clamp(self, a, b, c)
   if c == nil then check(C.nl_unary(self, self, C.NL_U_CLAMP, N('clamp', a, 1), N('clamp', b, 2)))
   else check(C.nl_unary(self, T('clamp', a, 1), C.NL_U_CLAMP, N('clamp', b, 2), N('clamp', c, 3))) end
   return self
end
fn_form('clamp', function(a1, a2, a3, a4) return a4 ~= nil end)

-- addcmul/addcdiv: x:addcmul([v,] t1, t2), z:addcmul(x, [v,] t1, t2)
local function addc(name, op)
   return function(self, a, b, c, d)
      local x, v, t1, t2
      if d ~= nil then x, v, t1, t2 = a, b, c, d
      elseif c ~= nil then
         if isTensor(a) and isTensor(b) then x, v, t1, t2 = a, 1, b, c else x, v, t1, t2 = self, a, b, c end
      else x, v, t1, t2 = self, 1, a, b end
      check(C.nl_ternary(self, T(name, x, 1), T(name, t1, 2), T(name, t2, 3), op, N(name, v, 2)))
      return self
   end
end
TensorBase.addcmul = addc('addcmul', C.NL_T_ADDCMUL)
TensorBase.addcdiv = addc('addcdiv', C.NL_T_ADDCDIV)
local function addc_has_res(a1, a2, a3, a4)
   -- (res, x, [v,] t1, t2): res present when 4 or 5 arguments are given
   if a4 == nil then return false end
   return isTensor(a2) or select('#', a1, a2, a3, a4) >= 5
end
torch.addcmul = function(...)
   local n = select('#', ...)
   local a1 = ...
   if n >= 5 or (n == 4 and isTensor(select(2, ...)) and isTensor(select(3, ...))) then return TensorBase.addcmul(...) end
   return TensorBase.addcmul(empty_like(T('torch.addcmul', a1, 1)), ...)
end
torch.addcdiv = function(...)
   local n = select('#', ...)
   local a1 = ...
   if n >= 5 or (n == 4 and isTensor(select(2, ...)) and isTensor(select(3, ...))) then return TensorBase.addcdiv(...) end
   return TensorBase.addcdiv(empty_like(T('torch.addcdiv', a1, 1)), ...)
end
addc_has_res = nil

-- lerp: z:lerp(a, b, w); torch.lerp([res,] a, b, w)
function TensorBase.lerp(self, a, b, w)
   if w == nil then a, b, w = self, a, b end
   check(C.nl_binary(self, T('lerp', a, 1), T('lerp', b, 2), C.NL_B_LERP, N('lerp', w, 3)))
   return self
end
fn_form('lerp', function(a1, a2, a3, a4) return a4 ~= nil end)

-- Comparisons ------------------------------------------------------------------

local cmp = { lt = C.NL_C_LT, le = C.NL_C_LE, gt = C.NL_C_GT, ge = C.NL_C_GE, eq = C.NL_C_EQ, ne = C.NL_C_NE }
for name, op in pairs(cmp) do
   -- a:lt(b) -> new ByteTensor; res:lt(a, b) fills res
   TensorBase[name] = function(self, a, b)
      local res, x, y = nil, self, a
      if b ~= nil then res, x, y = self, T(name, a, 1), b else res = new(C.NL_BYTE, self._device) end
      if isTensor(y) then check(C.nl_compare(res, x, y, op, 0))
      elseif type(y) == 'number' then check(C.nl_compare(res, x, nil, op, y))
      else raise(string.format('%s: expected a tensor or a number to compare with, got %s', name, torch.type(y))) end
      return res
   end
   torch[name] = function(a1, a2, a3)
      if a3 ~= nil then return TensorBase[name](T(name, a1, 1), a2, a3) end
      return TensorBase[name](T(name, a1, 1), a2)
   end
end

function TensorBase.equal(a, b)
   if not isTensor(a) then raise('equal: expected a tensor, got ' .. torch.type(a)) end
   if not isTensor(b) then raise('equal: expected a tensor, got ' .. torch.type(b)) end
   if a._dtype ~= b._dtype or a._device ~= b._device then
      raise(string.format('equal: tensor types differ: %s and %s', torch.typename(a), torch.typename(b)))
   end
   if not a:isSameSizeAs(b) then return false end
   if a:nElement() == 0 then return true end
   local ne = new(C.NL_BYTE, a._device)
   check(C.nl_compare(ne, a, b, C.NL_C_NE, 0))
   local out = ffi.new('double[1]')
   check(C.nl_reduce_all(out, ne, C.NL_R_ANY, 0))
   return out[0] == 0
end
torch.equal = TensorBase.equal

-- Operators ------------------------------------------------------------------------

local function operand_type(a, b) return isTensor(a) and a or b end

function TensorBase.__add__(a, b)
   local t = operand_type(a, b)
   local r = empty_like(t)
   if isTensor(a) and isTensor(b) then return r:add(a, b) end
   if isTensor(a) then return r:add(a, N('+', b, 2)) end
   return r:add(b, N('+', a, 1))
end
function TensorBase.__sub__(a, b)
   local t = operand_type(a, b)
   local r = empty_like(t)
   if isTensor(a) and isTensor(b) then return r:add(a, -1, b) end
   if isTensor(a) then return r:add(a, -N('-', b, 2)) end
   return r:mul(b, -1):add(N('-', a, 1))
end
function TensorBase.__mul__(a, b)
   if isTensor(a) and isTensor(b) then
      if a._ndim == 2 and b._ndim == 2 then return empty_like(a):mm(a, b) end
      if a._ndim == 2 and b._ndim == 1 then return empty_like(a):mv(a, b) end
      if a._ndim == 1 and b._ndim == 1 then return a:dot(b) end
      raise(string.format('*: expected matrix*matrix, matrix*vector or vector*vector, got %dD * %dD', a._ndim, b._ndim))
   end
   if isTensor(a) then return empty_like(a):mul(a, N('*', b, 2)) end
   return empty_like(b):mul(b, N('*', a, 1))
end
function TensorBase.__div__(a, b)
   if not isTensor(a) or type(b) ~= 'number' then
      raise('/: only tensor / number is defined, got ' .. torch.type(a) .. ' / ' .. torch.type(b))
   end
   return empty_like(a):div(a, b)
end
function TensorBase.__unm__(a) return empty_like(a):neg(a) end
-- tensor % number: remainder (the sign of the divisor), as Torch7
function TensorBase.__mod__(a, b)
   if not isTensor(a) or type(b) ~= 'number' then
      raise('%: only tensor % number is defined, got ' .. torch.type(a) .. ' % ' .. torch.type(b))
   end
   return empty_like(a):remainder(a, b)
end

-- Creation -------------------------------------------------------------------------

local function default_new() return new(core.default_dtype, 0) end

-- torch.zeros([res,] sizes...), x:zeros(sizes...)
local function filled(name, v)
   TensorBase[name] = function(self, ...)
      self:resize(...)
      check(C.nl_fill(self, v))
      return self
   end
   torch[name] = function(a1, ...)
      if isTensor(a1) then return TensorBase[name](a1, ...) end
      return TensorBase[name](default_new(), a1, ...)
   end
end
filled('zeros', 0)
filled('ones', 1)

-- torch.range([res,] a, b [, step]) inclusive of b
function TensorBase.range(self, a, b, step)
   step = step or 1
   N('range', a, 1) N('range', b, 2) N('range', step, 3)
   if step == 0 then raise('range: step must not be zero') end
   if (b - a) / step < 0 then raise(string.format('range: upper bound %g and step %g are inconsistent with lower bound %g', b, step, a)) end
   local n = math.floor((b - a) / step + 1e-10) + 1
   -- as Torch7: a tensor that already holds n elements keeps its shape and
   -- is written in element order
   if self:nElement() ~= n then self:resize(n) end
   -- written through a contiguous host buffer unless self is one (a strided
   -- view is written element by element by the copy)
   local direct = core.is_host(self) and self:isContiguous()
   local host = direct and self or new(self._dtype, C.NL_CPU):resize(self:size())
   local p = host:data()
   for i = 0, n - 1 do p[i] = a + i * step end
   if not direct then self:copy(host) end
   return self
end
function TensorBase.linspace(self, a, b, n)
   n = n or 100
   N('linspace', a, 1) N('linspace', b, 2) N('linspace', n, 3)
   -- as Torch7: more than one point, or one point when a == b
   if n < 1 or (n == 1 and a ~= b) then
      raise(string.format('linspace: invalid number of points %s (it must be above 1, or 1 when the bounds are equal)',
         tostring(n)))
   end
   if self:nElement() ~= n then self:resize(n) end
   local host = (core.is_host(self) and self:isContiguous()) and self or new(self._dtype, C.NL_CPU):resize(self:size())
   local p = host:data()
   if n == 1 then p[0] = a else for i = 0, n - 1 do p[i] = a + i * (b - a) / (n - 1) end end
   if host ~= self then self:copy(host) end
   return self
end
function TensorBase.logspace(self, a, b, n)
   n = n or 100
   if type(n) == 'number' and (n < 1 or (n == 1 and a ~= b)) then
      raise(string.format('logspace: invalid number of points %s (it must be above 1, or 1 when the bounds are equal)',
         tostring(n)))
   end
   self:linspace(a, b, n)
   return self:apply(function(x) return 10 ^ x end)
end
for _, name in ipairs { 'range', 'linspace', 'logspace' } do
   torch[name] = function(a1, ...)
      if isTensor(a1) then return TensorBase[name](a1, ...) end
      return TensorBase[name](default_new(), a1, ...)
   end
end

-- torch.reshape([res,] x, sizes...): a contiguous copy with new sizes
function TensorBase.reshape(self, x, ...)
   if not isTensor(x) then
      -- x:reshape(sizes...) -> a new tensor
      return torch.reshape(self, x, ...)
   end
   local n, buf = core.parse_sizes('reshape', ...)
   local tmp = new(x._dtype, x._device)
   core.resize_n(tmp, n, buf)
   if tmp:nElement() ~= x:nElement() then
      raise(string.format('reshape: a tensor of %d elements cannot be reshaped to %d elements', x:nElement(), tmp:nElement()))
   end
   self:resizeAs(tmp)
   check(C.nl_copy(self, x))
   return self
end
function torch.reshape(a1, a2, ...)
   if isTensor(a1) and isTensor(a2) then return TensorBase.reshape(a1, a2, ...) end
   T('reshape', a1, 1)
   return TensorBase.reshape(empty_like(a1), a1, a2, ...)
end

for _, name in ipairs { 'zeros', 'ones', 'range', 'linspace', 'logspace', 'reshape' } do
   TensorBase[name] = core.named(name, TensorBase[name])
end

return TensorBase

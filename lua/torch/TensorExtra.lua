-- torch.TensorExtra: Torch7 functions of issue 14 that compose existing
-- operations: multinomial sampling (and the alias method), bit operations on
-- integer tensors, cfmod/cremainder, bhistc, Storage:string, the function
-- forms of view/expand, torch.numel, torch.setheaptracking and math on Lua
-- numbers (torch.sin(0.5) is a number).
local ffi = require 'ffi'
local bit = require 'bit'
local torch = require 'torch'
local core = torch._core
local C, raise = core.C, core.raise
local TensorBase, StorageBase = core.TensorBase, core.StorageBase
local isTensor, new, empty_like = core.isTensor, core.new, core.empty_like

local function on_cpu(fn, t)
   if t._device ~= 0 then raise(fn .. ': expected a CPU tensor, got ' .. torch.typename(t)) end
   return t
end

-- Multinomial ---------------------------------------------------------------

-- One row of Torch7's inverse-CDF sampler (TH's THTensor_(multinomial)): the
-- cumulative sums are normalised, the last bucket forced to 1, each sample is
-- a binary search for the first bucket >= u; without replacement the drawn
-- bucket's mass is removed and the rest renormalised.
local function sample_row(fn, row, n, replacement, out)
   local k = #row
   local cum, sum = {}, 0
   for j = 1, k do
      if row[j] < 0 then raise(fn .. ': probabilities should be non-negative, got ' .. row[j]) end
      sum = sum + row[j]
      cum[j] = sum
   end
   if not (sum > 0) then raise(fn .. ': invalid distribution (sum of probabilities <= 0)') end
   for j = 1, k do cum[j] = cum[j] / sum end
   for s = 1, n do
      local u = torch.uniform()
      cum[k] = 1
      local left, right = 1, k + 1
      while right - left > 0 do
         local mid = left + math.floor((right - left) / 2)
         if cum[mid] < u then left = mid + 1 else right = mid end
      end
      out[s] = left
      if not replacement then
         local prev = left > 1 and cum[left - 1] or 0
         local diff = cum[left] - prev
         local total = 1 - diff
         for j = 1, k do
            local v = cum[j]
            if j >= left then v = v - diff end
            cum[j] = v / total
         end
      end
   end
end

-- torch.multinomial([res,] p, n [, replacement = false]) -> LongTensor of
-- 1-based category indices: n per row of p (a vector or a matrix).
function torch.multinomial(a1, a2, a3, a4)
   local fn = 'torch.multinomial'
   local res, p, n, replacement = nil, a1, a2, a3
   if isTensor(a1) and isTensor(a2) then res, p, n, replacement = a1, a2, a3, a4 end
   if not isTensor(p) then raise(fn .. ': expected a tensor of probabilities, got ' .. torch.type(p)) end
   on_cpu(fn, p)
   if p._dtype ~= C.NL_FLOAT and p._dtype ~= C.NL_DOUBLE then
      raise(fn .. ': probabilities should be a torch.FloatTensor or torch.DoubleTensor, got ' .. torch.typename(p))
   end
   if p:dim() ~= 1 and p:dim() ~= 2 then raise(fn .. ': expected a vector or a matrix of probabilities, got ' .. p:dim() .. ' dimensions') end
   if type(n) ~= 'number' or n % 1 ~= 0 or n < 1 then raise(fn .. ': the number of samples should be a positive integer, got ' .. tostring(n)) end
   local rows = p:dim() == 1 and { p:totable() } or p:totable()
   local k = #rows[1]
   if not replacement and n > k then
      raise(string.format('%s: cannot draw %d samples from %d categories without replacement', fn, n, k))
   end
   if res ~= nil and res._dtype ~= C.NL_LONG then raise(fn .. ': the result should be a torch.LongTensor, got ' .. torch.typename(res)) end
   res = res or new(C.NL_LONG, 0)
   if p:dim() == 1 then res:resize(n) else res:resize(#rows, n) end
   local out = {}
   for i, row in ipairs(rows) do
      sample_row(fn, row, n, replacement, out)
      local dst = p:dim() == 1 and res or res[i]
      for s = 1, n do dst[s] = out[s] end
   end
   return res
end
function TensorBase.multinomial(res, p, n, replacement) return torch.multinomial(res, p, n, replacement) end

-- Walker's alias method as Torch7 sets it up (THTensor_(multinomialAliasSetup)):
-- returns {J, q}, J the 1-based alias of each category, q its keep probability.
-- As in Torch7, a category without an alias and one aliased to the first
-- category both get J = 1 and q = 1.
function torch.multinomialAliasSetup(probs, state)
   local fn = 'torch.multinomialAliasSetup'
   if not isTensor(probs) or probs:dim() ~= 1 then raise(fn .. ': expected a vector of probabilities, got ' .. torch.type(probs)) end
   on_cpu(fn, probs)
   local p = probs:totable()
   local k = #p
   local q, J = {}, {}
   local smaller, larger = {}, {}
   for i = 1, k do
      J[i] = 1
      q[i] = k * p[i]
      if q[i] < 1 then smaller[#smaller + 1] = i else larger[#larger + 1] = i end
   end
   while #smaller > 0 and #larger > 0 do
      local large, small = larger[#larger], smaller[#smaller]
      J[small] = large
      q[large] = q[large] - (1 - q[small])
      if q[large] < 1 then
         smaller[#smaller] = large
         larger[#larger] = nil
      else
         larger[#larger] = large
         smaller[#smaller] = nil
      end
   end
   local qmin, qmax = q[k], q[k]
   for i = 1, k do
      if q[i] < qmin then qmin = q[i] elseif q[i] > qmax then qmax = q[i] end
   end
   if not (qmin > 0) then raise(fn .. ': q should be positive (a probability of 0 or a negative one?)') end
   if qmax > 1 then for i = 1, k do q[i] = q[i] / qmax end end
   for i = 1, k do if J[i] <= 1 then q[i] = 1 end end
   state = type(state) == 'table' and state or {}
   local Jt = isTensor(state[1]) and state[1] or torch.LongTensor()
   local qt = isTensor(state[2]) and state[2] or empty_like(probs)
   Jt:resize(k); qt:resize(k)
   for i = 1, k do Jt[i] = J[i]; qt[i] = q[i] end
   state[1], state[2] = Jt, qt
   return state
end

-- torch.multinomialAlias(output, state): fills the LongTensor output with
-- draws; each is a uniform category kept with probability q or else its alias.
function torch.multinomialAlias(output, state)
   local fn = 'torch.multinomialAlias'
   if not isTensor(output) or output._dtype ~= C.NL_LONG then
      raise(fn .. ': expected a torch.LongTensor to fill, got ' .. torch.type(output))
   end
   if type(state) ~= 'table' or not isTensor(state[1]) or not isTensor(state[2]) then
      raise(fn .. ': expected the state {J, q} made by torch.multinomialAliasSetup')
   end
   local J, q = state[1]:totable(), state[2]:totable()
   local k = #J
   -- Torch7's own draw returns the alias minus one (an off-by-one that
   -- skews the distribution); this one returns the alias itself.
   local flat = torch.LongTensor(output:nElement())
   for i = 1, flat:nElement() do
      local r = math.floor(torch.uniform(0, k))
      local keep = torch.uniform() <= q[r + 1]
      flat[i] = keep and r + 1 or J[r + 1]
   end
   output:copy(flat:viewAs(output))
   return output
end

-- Bit operations ----------------------------------------------------------------

-- Bits of one element as an unsigned value of its width (Torch7 shifts the
-- unsigned type), and back.
local int_info = {
   [C.NL_BYTE] = { 8 }, [C.NL_CHAR] = { 8 }, [C.NL_SHORT] = { 16 }, [C.NL_INT] = { 32 }, [C.NL_LONG] = { 64 },
}
local u64 = ffi.typeof('uint64_t')
local function apply_bits(self, x, y, f)
   local width = int_info[self._dtype][1]
   local xc = x:contiguous()
   local yc = isTensor(y) and y:contiguous() or nil
   local res = self:isContiguous() and self or self:clone()
   local px, pr = xc:data(), res:data()
   local py = yc and yc:data()
   local n = xc:nElement()
   if width == 64 then
      local yv = yc == nil and u64(y) or nil
      for i = 0, n - 1 do pr[i] = f(u64(px[i]), py and u64(py[i]) or yv) end
   else
      local mask = width == 32 and -1 or bit.lshift(1, width) - 1
      local yv = yc == nil and bit.tobit(y) or nil
      for i = 0, n - 1 do
         local v = f(bit.band(px[i], mask), py and bit.tobit(py[i]) or yv)
         if width == 32 then pr[i] = v else pr[i] = bit.band(v, mask) end
      end
   end
   if res ~= self then self:copy(res) end
   return self
end

local function float_shift(self, x, y, sign)
   if isTensor(y) then
      local e = y:typeAs(x):clone():mul(sign)
      local f = e:clone():fill(2):cpow(e)
      return self:cmul(x, f)
   end
   return self:mul(x, 2 ^ (sign * y))
end

local bit_ops = {
   bitand = bit.band, bitor = bit.bor, bitxor = bit.bxor,
   lshift = bit.lshift, rshift = bit.rshift,
}
local function define_bit_op(name, f, tensor_operand)
   local shift = (name:find('lshift') and 1) or (name:find('rshift') and -1) or nil
   TensorBase[name] = function(self, a, b)
      local x, y = self, a
      if b ~= nil then x, y = a, b end
      if not isTensor(x) then raise(string.format('%s: expected a tensor, got %s', name, torch.type(x))) end
      on_cpu(name, self)
      if tensor_operand then
         if not isTensor(y) then raise(string.format('%s: expected a tensor operand, got %s', name, torch.type(y))) end
         if y:nElement() ~= x:nElement() then
            raise(string.format('%s: operands have %d and %d elements', name, x:nElement(), y:nElement()))
         end
      elseif type(y) ~= 'number' then
         raise(string.format('%s: expected a number operand, got %s', name, torch.type(y)))
      end
      if x ~= self then self:resizeAs(x) end
      if not int_info[self._dtype] then
         if shift then return float_shift(self, x, y, shift) end
         raise(string.format('%s: only supported for integer tensors (Byte, Char, Short, Int, Long), got %s', name, torch.typename(self)))
      end
      if x._dtype ~= self._dtype or (tensor_operand and y._dtype ~= self._dtype) then
         raise(string.format('%s: operands should have the type of the result, %s', name, torch.typename(self)))
      end
      if tensor_operand then
         return apply_bits(self, x, y, f)
      end
      if shift then
         -- a number operand: one amount for every element
         return apply_bits(self, x, math.floor(y), f)
      end
      return apply_bits(self, x, y < 0 and math.ceil(y) or math.floor(y), f)
   end
   torch[name] = function(a1, a2, a3)
      if a3 ~= nil then return TensorBase[name](a1, a2, a3) end
      if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1))) end
      return TensorBase[name](empty_like(a1), a1, a2)
   end
end
for name, f in pairs(bit_ops) do
   define_bit_op(name, f, false)
   define_bit_op('c' .. name, f, true)
end

-- cfmod, cremainder: the tensor-operand names of fmod and remainder ------------

for _, name in ipairs { 'fmod', 'remainder' } do
   local cname = 'c' .. name
   TensorBase[cname] = function(self, a, b)
      local y = b == nil and a or b
      if not isTensor(y) then raise(string.format('%s: expected a tensor operand, got %s', cname, torch.type(y))) end
      return TensorBase[name](self, a, b)
   end
   torch[cname] = function(a1, a2, a3)
      if a3 ~= nil then return TensorBase[cname](a1, a2, a3) end
      if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', cname, torch.type(a1))) end
      return TensorBase[cname](empty_like(a1), a1, a2)
   end
end

-- bhistc: histc of each row of a matrix ------------------------------------------

-- bhistc([res,] x [, bins = 100, min = 0, max = 0]): min = max uses each row's range
function TensorBase.bhistc(self, x, bins, lo, hi)
   if not isTensor(x) then return torch.bhistc(self, x, bins, lo) end
   if x:dim() ~= 2 then raise('bhistc: expected a matrix, got ' .. x:dim() .. ' dimensions') end
   bins = bins or 100
   local rows = x:size(1)
   self:resize(rows, bins)
   for i = 1, rows do
      local h = torch.histc(x[i], bins, lo or 0, hi or 0)
      self[i]:copy(h)
   end
   return self
end
function torch.bhistc(x, ...)
   if isTensor(x) and isTensor((...)) then return TensorBase.bhistc(x, ...) end
   if not isTensor(x) then raise('torch.bhistc: expected a tensor, got ' .. torch.type(x)) end
   return TensorBase.bhistc(empty_like(x), x, ...)
end

-- Storage:string ------------------------------------------------------------------

-- s:string() -> the bytes of a Byte or Char storage; s:string(str) -> s, resized
-- to #str and holding its bytes.
function StorageBase.string(s, str)
   local dt = s._p ~= nil and s._p._dtype
   if dt ~= C.NL_BYTE and dt ~= C.NL_CHAR then
      raise(torch.typename(s) .. ':string: only torch.ByteStorage and torch.CharStorage hold strings')
   end
   if s._p._device ~= 0 then raise(torch.typename(s) .. ':string: expected a CPU storage') end
   if str == nil then
      return ffi.string(s._p._data, s:size())
   end
   if type(str) ~= 'string' then raise(torch.typename(s) .. ':string: expected a string, got ' .. torch.type(str)) end
   s:resize(#str)
   if #str > 0 then ffi.copy(s._p._data, str, #str) end
   return s
end

-- Function forms and small queries ----------------------------------------------------

-- torch.view([res,] x, sizes...) and torch.expand([res,] x, sizes...)
for _, name in ipairs { 'view', 'expand' } do
   torch[name] = function(a1, a2, ...)
      if isTensor(a1) and isTensor(a2) and select('#', ...) > 0 then
         local v = TensorBase[name](a2, ...)
         return a1:set(v)
      end
      if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1))) end
      return TensorBase[name](a1, a2, ...)
   end
end

function torch.numel(t)
   if not isTensor(t) then raise('torch.numel: expected a tensor, got ' .. torch.type(t)) end
   return t:nElement()
end

-- Torch7 tells the Lua collector about C allocations with this switch;
-- nnlua always does (core.collect), so it only records the setting in
-- torch._heaptracking, where Torch7 code reads it back.
function torch.setheaptracking(on)
   if on ~= nil and type(on) ~= 'boolean' then
      raise('torch.setheaptracking: expected a boolean, got ' .. torch.type(on))
   end
   if on ~= nil then torch._heaptracking = on end
end

-- t:cdata() and s:cdata(): the address of the C header, as a pointer
-- (Torch7 code passes it to C or uses it as an identity)
function TensorBase.cdata(t) return ffi.cast('void *', t) end
function StorageBase.cdata(s) return ffi.cast('void *', s._p) end

-- t:elementSize(): bytes per element, as the tensor's storage reports
function TensorBase.elementSize(t) return tonumber(C.nl_dtype_size(t._dtype)) end

-- t:isSetTo(o): the same storage, offset, sizes and strides
function TensorBase.isSetTo(t, o)
   if not isTensor(o) then raise('isSetTo: expected a tensor, got ' .. torch.type(o)) end
   if t._dtype ~= o._dtype or t._device ~= o._device or t:dim() ~= o:dim() or t:dim() == 0 then return false end
   if C.nl_tensor_data(t) ~= C.nl_tensor_data(o) or t:storage() ~= o:storage() then return false end
   for d = 1, t:dim() do
      if t:size(d) ~= o:size(d) or t:stride(d) ~= o:stride(d) then return false end
   end
   return true
end

-- t:real(): t as the default (real) tensor type
function TensorBase.real(t) return t:type(torch.getdefaulttensortype()) end

-- Errors raised by the operations these are built from name the function.
for _, name in ipairs { 'bhistc', 'cfmod', 'cremainder', 'bitand', 'bitor', 'bitxor', 'lshift', 'rshift',
                        'cbitand', 'cbitor', 'cbitxor', 'clshift', 'crshift' } do
   TensorBase[name] = core.named(name, TensorBase[name])
end
torch.multinomial = core.named('torch.multinomial', torch.multinomial)
torch.multinomialAliasSetup = core.named('torch.multinomialAliasSetup', torch.multinomialAliasSetup)
torch.multinomialAlias = core.named('torch.multinomialAlias', torch.multinomialAlias)

-- Math on Lua numbers: torch.f(number) returns a number, as Torch7's
-- cwrap'd number variants do.
local function sigmoid(x) return 1 / (1 + math.exp(-x)) end
local function round(x) return x >= 0 and math.floor(x + 0.5) or math.ceil(x - 0.5) end
local function trunc(x) return x >= 0 and math.floor(x) or math.ceil(x) end
local number_forms = {
   abs = math.abs, exp = math.exp, log = math.log, sqrt = math.sqrt,
   log1p = function(x) return math.log(1 + x) end,
   rsqrt = function(x) return 1 / math.sqrt(x) end,
   sin = math.sin, cos = math.cos, tan = math.tan, asin = math.asin, acos = math.acos, atan = math.atan,
   sinh = math.sinh, cosh = math.cosh, tanh = math.tanh, sigmoid = sigmoid,
   floor = math.floor, ceil = math.ceil, round = round, trunc = trunc,
   frac = function(x) return x - trunc(x) end,
}
for name, f in pairs(number_forms) do
   local tensor_form = torch[name]
   torch[name] = function(a1, ...)
      if type(a1) == 'number' and select('#', ...) == 0 then return f(a1) end
      return tensor_form(a1, ...)
   end
end
local number_forms2 = {
   pow = { 2, function(x, y) return x ^ y end },
   atan2 = { 2, math.atan2 },
   lerp = { 3, function(a, b, w) return a + w * (b - a) end },
}
for name, spec in pairs(number_forms2) do
   local tensor_form, nargs, f = torch[name], spec[1], spec[2]
   if tensor_form then
      torch[name] = function(a1, a2, a3, ...)
         if type(a1) == 'number' and type(a2) == 'number' and (nargs == 2 or type(a3) == 'number') then
            return f(a1, a2, a3)
         end
         return tensor_form(a1, a2, a3, ...)
      end
   end
end

return true

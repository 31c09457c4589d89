-- torch.TensorReduce: reductions with Torch7's forms: x:sum() is a number,
-- x:sum(d) a tensor keeping dimension d with size 1; max/min along a
-- dimension also return 1-based LongTensor indices; torch.sum([res,] x, d).
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase = core.TensorBase
local isTensor, new, empty_like = core.isTensor, core.new, core.empty_like

local out = ffi.new('double[1]')

local function all(x, op, arg)
   check(C.nl_reduce_all(out, x, op, arg or 0))
   return out[0]
end

local function dim_arg(name, x, d)
   if type(d) ~= 'number' then raise(string.format('%s: dimension should be a number, got %s', name, torch.type(d))) end
   if d < 1 or d > x._ndim then
      raise(string.format('%s: dimension %d out of range for a %dD tensor of size %s', name, d, x._ndim, core.shape_str(x)))
   end
   return d - 1
end

-- sum, prod, mean: x:f() -> number; x:f(d) -> tensor; torch.f([res,] x [, d])
local simple = { sum = C.NL_R_SUM, prod = C.NL_R_PROD, mean = C.NL_R_MEAN }
for name, op in pairs(simple) do
   TensorBase[name] = function(x, d)
      if d == nil then return all(x, op) end
      local r = empty_like(x)
      check(C.nl_reduce_dim(r, nil, x, dim_arg(name, x, d), op, 0))
      return r
   end
   torch[name] = function(a1, a2, a3)
      if isTensor(a2) then
         check(C.nl_reduce_dim(a1, nil, a2, dim_arg(name, a2, a3), op, 0))
         return a1
      end
      if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1))) end
      return TensorBase[name](a1, a2)
   end
end

-- max, min: x:max() -> number; x:max(d) -> values, indices;
-- torch.max([resval, resind,] x [, d])
for name, op in pairs { max = C.NL_R_MAX, min = C.NL_R_MIN } do
   TensorBase[name] = function(x, d)
      if d == nil then return all(x, op) end
      local v, i = empty_like(x), new(C.NL_LONG, x._device)
      check(C.nl_reduce_dim(v, i, x, dim_arg(name, x, d), op, 0))
      return v, i
   end
   torch[name] = function(a1, a2, a3, a4)
      if isTensor(a3) then
         check(C.nl_reduce_dim(a1, a2, a3, dim_arg(name, a3, a4), op, 0))
         return a1, a2
      end
      if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1))) end
      if isTensor(a2) and type(a3) == 'number' then
         -- torch.max(resval, x, dim), as Torch7: the indices in a new LongTensor
         local i = new(C.NL_LONG, a2._device)
         check(C.nl_reduce_dim(a1, i, a2, dim_arg(name, a2, a3), op, 0))
         return a1, i
      end
      if isTensor(a2) then
         raise(string.format('torch.%s: use torch.c%s to compare two tensors elementwise', name, name))
      end
      return TensorBase[name](a1, a2)
   end
end

-- var/std: x:std() number (unbiased); x:std(d [, biased]) tensor
for name, op in pairs { var = C.NL_R_VAR, std = C.NL_R_STD } do
   TensorBase[name] = function(x, d, flag)
      if type(d) == 'boolean' then d, flag = nil, d end
      local biased = (flag == true or flag == 1) and 1 or 0
      if d == nil then return all(x, op, biased) end
      local r = empty_like(x)
      check(C.nl_reduce_dim(r, nil, x, dim_arg(name, x, d), op, biased))
      return r
   end
   torch[name] = function(a1, a2, a3, a4)
      if isTensor(a2) then
         check(C.nl_reduce_dim(a1, nil, a2, dim_arg(name, a2, a3), op, (a4 == true or a4 == 1) and 1 or 0))
         return a1
      end
      if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1))) end
      return TensorBase[name](a1, a2, a3)
   end
end

-- norm: x:norm([p]) number; x:norm(p, d) tensor
function TensorBase.norm(x, p, d)
   p = p or 2
   if type(p) ~= 'number' then raise('norm: p should be a number, got ' .. torch.type(p)) end
   if d == nil then return all(x, C.NL_R_NORM, p) end
   local r = empty_like(x)
   check(C.nl_reduce_dim(r, nil, x, dim_arg('norm', x, d), C.NL_R_NORM, p))
   return r
end
function torch.norm(a1, a2, a3, a4)
   if isTensor(a2) then
      check(C.nl_reduce_dim(a1, nil, a2, dim_arg('norm', a2, a4), C.NL_R_NORM, a3 or 2))
      return a1
   end
   if not isTensor(a1) then raise('torch.norm: expected a tensor, got ' .. torch.type(a1)) end
   return TensorBase.norm(a1, a2, a3)
end

function TensorBase.dist(a, b, p)
   if not isTensor(a) then raise('dist: expected a tensor, got ' .. torch.type(a)) end
   if not isTensor(b) then raise('dist: expected a tensor, got ' .. torch.type(b)) end
   p = p or 2
   if type(p) ~= 'number' then raise('dist: p should be a number, got ' .. torch.type(p)) end
   check(C.nl_dist(out, a, b, p))
   return out[0]
end
torch.dist = TensorBase.dist

function TensorBase.all(x)
   if not isTensor(x) then raise('all: expected a tensor, got ' .. torch.type(x)) end
   if x._dtype ~= C.NL_BYTE then raise('all: expected a ByteTensor, got ' .. torch.typename(x)) end
   return all(x, C.NL_R_ALL) ~= 0
end
function TensorBase.any(x)
   if not isTensor(x) then raise('any: expected a tensor, got ' .. torch.type(x)) end
   if x._dtype ~= C.NL_BYTE then raise('any: expected a ByteTensor, got ' .. torch.typename(x)) end
   return all(x, C.NL_R_ANY) ~= 0
end
torch.all, torch.any = TensorBase.all, TensorBase.any

function TensorBase.trace(x)
   if not isTensor(x) then raise('trace: expected a tensor, got ' .. torch.type(x)) end
   if x._ndim ~= 2 then raise('trace: expected a 2D tensor, got a ' .. x._ndim .. 'D tensor') end
   local n = math.min(tonumber(x._size[0]), tonumber(x._size[1]))
   local d = new(x._dtype, x._device)
   check(C.nl_tensor_set_storage(d, x._storage, x._offset, 1, ffi.new('int64_t[1]', n),
      ffi.new('int64_t[1]', x._stride[0] + x._stride[1])))
   return all(d, C.NL_R_SUM)
end
torch.trace = TensorBase.trace

-- cumsum/cumprod: x:cumsum([d]) -> new tensor; torch.cumsum([res,] x [, d])
for name, op in pairs { cumsum = C.NL_R_SUM, cumprod = C.NL_R_PROD } do
   TensorBase[name] = function(x, d)
      if isTensor(d) then   -- res:cumsum(x, dim)
         local res, src, dd = x, d, select(1, nil)
         return torch[name](res, src, dd)
      end
      local r = empty_like(x)
      check(C.nl_cumulate(r, x, dim_arg(name, x, d or 1), op))
      return r
   end
   torch[name] = function(a1, a2, a3)
      if isTensor(a2) then
         if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1))) end
         check(C.nl_cumulate(a1, a2, dim_arg(name, a2, a3 or 1), op))
         return a1
      end
      if not isTensor(a1) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(a1))) end
      return TensorBase[name](a1, a2)
   end
end

-- median, kthvalue, mode along a dimension (default: the last): kthvalue
-- and median through topk's quickselect (Torch7's, so that ties give
-- Torch7's index), mode through sort
local function along(name, x, d)
   if not isTensor(x) then raise(string.format('%s: expected a tensor, got %s', name, torch.type(x))) end
   if x._ndim == 0 then raise(name .. ': the tensor is empty') end
   d = d or x._ndim
   dim_arg(name, x, d)
   return d
end
local function pick(x, d, k)
   local v, idx = x:topk(k, d, false, false)
   return v:narrow(d, k, 1):clone(), idx:narrow(d, k, 1):clone()
end
function TensorBase.kthvalue(x, k, d)
   d = along('kthvalue', x, d)
   if type(k) ~= 'number' or k < 1 or k > x:size(d) then
      raise(string.format('kthvalue: k = %s out of range for dimension %d of size %d', tostring(k), d, x:size(d)))
   end
   return pick(x, d, k)
end
function TensorBase.median(x, d)
   d = along('median', x, d)
   return pick(x, d, math.floor((x:size(d) + 1) / 2))
end
function TensorBase.mode(x, d)
   d = along('mode', x, d)
   local sorted, idx = x:sort(d)
   local n = x:size(d)
   local vals, inds = sorted:narrow(d, 1, 1):clone(), idx:narrow(d, 1, 1):clone()
   local sv, si = sorted:transpose(d, x._ndim):contiguous(), idx:transpose(d, x._ndim):contiguous()
   local vv, iv = vals:transpose(d, x._ndim), inds:transpose(d, x._ndim)
   local rows = sv:nElement() / n
   local s2, i2 = sv:view(rows, n), si:view(rows, n)
   local vout, iout = vv:contiguous():view(rows), iv:contiguous():view(rows)
   for r = 1, rows do
      local best, bestc, cur, c = s2[r][1], 0, nil, 0
      local bi = i2[r][1]
      for j = 1, n do
         local v = s2[r][j]
         if v == cur then c = c + 1 else cur, c = v, 1 end
         if c > bestc then best, bestc, bi = v, c, i2[r][j] end
      end
      vout[r], iout[r] = best, bi
   end
   local shape = vv:size()
   return vout:view(shape):transpose(d, x._ndim):contiguous(), iout:view(shape):transpose(d, x._ndim):contiguous()
end
-- torch.f([resval, resind,] x, ...): with result tensors, the values and
-- indices are written into them (resized) and they are returned
for _, name in ipairs { 'kthvalue', 'median', 'mode' } do
   torch[name] = function(x, a2, a3, ...)
      if not isTensor(x) then raise(string.format('torch.%s: expected a tensor, got %s', name, torch.type(x))) end
      if isTensor(a2) and isTensor(a3) then
         if a2._dtype ~= C.NL_LONG then
            raise(string.format('torch.%s: the index result must be a LongTensor, got %s', name, torch.typename(a2)))
         end
         local v, i = TensorBase[name](a3, ...)
         x:resize(v:size()):copy(v)
         a2:resize(i:size()):copy(i)
         return x, a2
      end
      return TensorBase[name](x, a2, a3, ...)
   end
end

-- renorm: each sub-tensor along dim with p-norm above maxnorm is scaled down
function TensorBase.renorm(self, x, p, d, maxnorm)
   if maxnorm == nil then x, p, d, maxnorm = self, x, p, d end
   if not isTensor(x) then raise('renorm: expected a tensor, got ' .. torch.type(x)) end
   if type(p) ~= 'number' or type(maxnorm) ~= 'number' then raise('renorm: p and maxnorm should be numbers') end
   dim_arg('renorm', x, d)
   if self ~= x then self:resizeAs(x):copy(x) end
   for i = 1, x:size(d) do
      local sub = self:select(d, i)
      local nrm = sub:norm(p)
      if nrm > maxnorm then sub:mul(maxnorm / (nrm + 1e-7)) end
   end
   return self
end
function torch.renorm(a1, a2, ...)
   if not isTensor(a1) then raise('torch.renorm: expected a tensor, got ' .. torch.type(a1)) end
   if isTensor(a2) then return TensorBase.renorm(a1, a2, ...) end
   return TensorBase.renorm(empty_like(a1), a1, a2, ...)
end

-- histc([res,] x [, bins = 100, min = 0, max = 0]): min = max uses the data range
function TensorBase.histc(self, x, bins, lo, hi)
   if not isTensor(x) then return torch.histc(self, x, bins, lo) end
   bins, lo, hi = bins or 100, lo or 0, hi or 0
   if type(bins) ~= 'number' or bins < 1 then raise('histc: bins should be a positive number') end
   if type(lo) ~= 'number' or type(hi) ~= 'number' then raise('histc: min and max should be numbers') end
   if lo == hi then lo, hi = x:min(), x:max() end
   if lo == hi then lo, hi = lo - 1, hi + 1 end
   self:resize(bins):zero()
   local xs = x:contiguous():view(x:nElement()):double()
   local h = self:double()
   for i = 1, xs:nElement() do
      local v = xs[i]
      if v >= lo and v <= hi then
         local b = math.floor((v - lo) / (hi - lo) * bins) + 1
         if b > bins then b = bins end
         h[b] = h[b] + 1
      end
   end
   self:copy(h)
   return self
end
function torch.histc(x, ...)
   if not isTensor(x) then raise('torch.histc: expected a tensor, got ' .. torch.type(x)) end
   return TensorBase.histc(empty_like(x), x, ...)
end

-- The method forms with a result first, as Torch7's: res:sum(src, dim),
-- values:max(indices, src, dim), res:norm(src, p, dim)
for _, name in ipairs { 'sum', 'prod', 'mean', 'max', 'min', 'var', 'std', 'norm' } do
   local m, f = TensorBase[name], torch[name]
   TensorBase[name] = function(x, a2, ...)
      if isTensor(a2) then return f(x, a2, ...) end
      return m(x, a2, ...)
   end
end

for _, name in ipairs { 'histc', 'median', 'mode', 'kthvalue', 'renorm' } do
   TensorBase[name] = core.named(name, TensorBase[name])
end

return TensorBase

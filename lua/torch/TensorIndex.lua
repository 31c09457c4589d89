-- torch.TensorIndex: Torch7's indexing, sorting and joining: maskedSelect,
-- maskedFill, maskedCopy, index (indexSelect), indexCopy, indexAdd,
-- indexFill, gather, scatter, nonzero, sort, topk, cat, split, chunk,
-- repeatTensor, diag, eye, tril, triu. The C side (runtime/math_index.c,
-- runtime/math_shape.c for tril/triu/diag/eye/cat,
-- runtime/sort.c) takes index tensors with Torch7's 1-based values.
--
-- Forms follow Torch7: an optional result first (`torch.f([res,] ...)`),
-- `x:f(...)` returning a new tensor where Torch7's does, `res:f(x, ...)`
-- writing into res.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase = core.TensorBase
local isTensor, new = core.isTensor, core.new
local NL_LONG, NL_BYTE = C.NL_LONG, C.NL_BYTE

local function arg_types(...)
   local s = {}
   for i = 1, select('#', ...) do
      local x = select(i, ...)
      s[#s + 1] = isTensor(x) and torch.typename(x):gsub('^torch%.', '') or type(x)
   end
   while s[#s] == 'nil' do s[#s] = nil end
   return table.concat(s, ' ')
end

local function bad(fn, help, ...)
   raise(string.format('%s: invalid arguments: %s; expected %s', fn, arg_types(...), help))
end


-- Masked operations ---------------------------------------------------------

-- maskedSelect([res,] src, mask); src:maskedSelect(mask) is new,
-- res:maskedSelect(src, mask) writes res.
local function maskedSelect(a1, a2, a3)
   local res, src, mask
   if isTensor(a3) then res, src, mask = a1, a2, a3 else src, mask = a1, a2 end
   if not isTensor(src) or not isTensor(mask) or (res ~= nil and not isTensor(res)) then bad('maskedSelect', '[res,] src, mask (ByteTensor)', a1, a2, a3) end
   res = res or new(src._dtype, src._device)
   check(C.nl_masked_select(res, src, mask))
   return res
end
TensorBase.maskedSelect, torch.maskedSelect = maskedSelect, maskedSelect

function TensorBase.maskedFill(t, mask, value)
   if not isTensor(t) or not isTensor(mask) or type(value) ~= 'number' then
      bad('maskedFill', 'tensor:maskedFill(mask (ByteTensor), value (number))', t, mask, value)
   end
   check(C.nl_masked_fill(t, mask, value))
   return t
end
torch.maskedFill = TensorBase.maskedFill

function TensorBase.maskedCopy(t, mask, src)
   if not isTensor(t) or not isTensor(mask) or not isTensor(src) then
      bad('maskedCopy', 'tensor:maskedCopy(mask (ByteTensor), src (tensor))', t, mask, src)
   end
   check(C.nl_masked_copy(t, mask, src))
   return t
end
torch.maskedCopy = TensorBase.maskedCopy

-- index and friends ---------------------------------------------------------

-- Raises the runtime's message under another function's name (an alias).
local function check_as(name, cname, rc)
   if rc ~= 0 then
      local msg = ffi.string(C.nl_last_error())
      if msg:sub(1, #cname + 1) == cname .. ':' then msg = name .. msg:sub(#cname + 1)
      elseif msg:sub(1, #name + 1) ~= name .. ':' then msg = name .. ': ' .. msg end
      raise(msg)
   end
   check(rc)
end

-- index([res,] src, dim, index): src:index(dim, idx) is new. indexSelect
-- is the same function under its own name.
local function def_index(name)
   local function f(a1, a2, a3, a4)
      local res, src, d, idx
      if isTensor(a2) then res, src, d, idx = a1, a2, a3, a4 else src, d, idx = a1, a2, a3 end
      if not isTensor(src) or type(d) ~= 'number' or not isTensor(idx) or (res ~= nil and not isTensor(res)) then
         bad(name, '[res,] src, dim (number), index (LongTensor)', a1, a2, a3, a4)
      end
      res = res or new(src._dtype, src._device)
      check_as(name, 'index', C.nl_index_select(res, src, d - 1, idx))
      return res
   end
   TensorBase[name], torch[name] = f, f
end
def_index('index')
def_index('indexSelect')

local function def_index_write(name, cfn)
   local function f(t, d, idx, src)
      if not isTensor(t) or type(d) ~= 'number' or not isTensor(idx) or not isTensor(src) then
         bad(name, 'tensor:' .. name .. '(dim (number), index (LongTensor), src (tensor))', t, d, idx, src)
      end
      check(C[cfn](t, d - 1, idx, src))
      return t
   end
   TensorBase[name], torch[name] = f, f
end
def_index_write('indexCopy', 'nl_index_copy')
def_index_write('indexAdd', 'nl_index_add')

function TensorBase.indexFill(t, d, idx, value)
   if not isTensor(t) or type(d) ~= 'number' or not isTensor(idx) or type(value) ~= 'number' then
      bad('indexFill', 'tensor:indexFill(dim (number), index (LongTensor), value (number))', t, d, idx, value)
   end
   check(C.nl_index_fill(t, d - 1, idx, value))
   return t
end
torch.indexFill = TensorBase.indexFill

-- gather([res,] src, dim, index)
local function gather(a1, a2, a3, a4)
   local res, src, d, idx
   if isTensor(a2) then res, src, d, idx = a1, a2, a3, a4 else src, d, idx = a1, a2, a3 end
   if not isTensor(src) or type(d) ~= 'number' or not isTensor(idx) or (res ~= nil and not isTensor(res)) then
      bad('gather', '[res,] src, dim (number), index (LongTensor)', a1, a2, a3, a4)
   end
   res = res or new(src._dtype, src._device)
   check(C.nl_gather(res, src, d - 1, idx))
   return res
end
TensorBase.gather, torch.gather = gather, gather

-- t:scatter(dim, index, src | value)
local function scatter(t, d, idx, src)
   if not isTensor(t) or type(d) ~= 'number' or not isTensor(idx) or not (isTensor(src) or type(src) == 'number') then
      bad('scatter', 'tensor:scatter(dim (number), index (LongTensor), src (tensor or number))', t, d, idx, src)
   end
   if type(src) == 'number' then check(C.nl_scatter_fill(t, d - 1, idx, src))
   else check(C.nl_scatter(t, d - 1, idx, src)) end
   return t
end
TensorBase.scatter, torch.scatter = scatter, scatter

-- nonzero([res,] x): a LongTensor N x x:dim() of 1-based coordinates.
local function nonzero(a1, a2)
   local res, x
   if isTensor(a2) then res, x = a1, a2 else x = a1 end
   if not isTensor(x) or (res ~= nil and not isTensor(res)) then bad('nonzero', '[res (LongTensor),] tensor', a1, a2) end
   res = res or new(NL_LONG, x._device)
   check(C.nl_nonzero(res, x))
   return res
end
TensorBase.nonzero, torch.nonzero = nonzero, nonzero

-- sort and topk -------------------------------------------------------------

-- sort([resval, resind,] x [, dim] [, descending]); dim defaults to the last.
local function sort(a1, a2, a3, a4, a5)
   local rv, ri, x, d, desc
   if isTensor(a3) then rv, ri, x, d, desc = a1, a2, a3, a4, a5 else x, d, desc = a1, a2, a3 end
   if type(d) == 'boolean' and desc == nil then d, desc = nil, d end
   if not isTensor(x) or (d ~= nil and type(d) ~= 'number') or (desc ~= nil and type(desc) ~= 'boolean') then
      bad('sort', '[resval, resind,] tensor [, dim (number)] [, descending (boolean)]', a1, a2, a3, a4, a5)
   end
   rv = rv or new(x._dtype, x._device)
   ri = ri or new(NL_LONG, x._device)
   d = d or math.max(x._ndim, 1)
   check(C.nl_sort(rv, ri, x, d - 1, desc and 1 or 0))
   return rv, ri
end
TensorBase.sort, torch.sort = sort, sort

-- topk([resval, resind,] x, k [, dim] [, dir] [, sorted]): dir false (the
-- default) gives the k smallest, as in Torch7; results come sorted.
local function topk(a1, a2, a3, a4, a5, a6, a7)
   local rv, ri, x, k, d, dir, sorted
   if isTensor(a3) then rv, ri, x, k, d, dir, sorted = a1, a2, a3, a4, a5, a6, a7
   else x, k, d, dir, sorted = a1, a2, a3, a4, a5 end
   if type(d) == 'boolean' then d, dir, sorted = nil, d, dir end
   if not isTensor(x) or type(k) ~= 'number' or (d ~= nil and type(d) ~= 'number') then
      bad('topk', '[resval, resind,] tensor, k (number) [, dim (number)] [, dir (boolean)] [, sort (boolean)]',
         a1, a2, a3, a4, a5, a6, a7)
   end
   rv = rv or new(x._dtype, x._device)
   ri = ri or new(NL_LONG, x._device)
   d = d or math.max(x._ndim, 1)
   check(C.nl_topk(rv, ri, x, k, d - 1, dir and 1 or 0, sorted and 1 or 0))
   return rv, ri
end
TensorBase.topk, torch.topk = topk, topk

-- Joining and splitting -----------------------------------------------------

local catbuf, catcap = nil, 0

-- cat([res,] x1, x2 [, dim]) or cat([res,] {x1, ...} [, dim]); dim defaults
-- to the last dimension.
local function cat(a1, a2, a3, a4)
   local res, list, d
   if type(a1) == 'table' then list, d = a1, a2
   elseif isTensor(a1) and type(a2) == 'table' then res, list, d = a1, a2, a3
   elseif isTensor(a1) and isTensor(a2) and isTensor(a3) then res, list, d = a1, { a2, a3 }, a4
   elseif isTensor(a1) and isTensor(a2) then list, d = { a1, a2 }, a3
   else bad('cat', '[res,] tensor1, tensor2 [, dim] or [res,] {tensors} [, dim]', a1, a2, a3, a4) end
   if d ~= nil and type(d) ~= 'number' then bad('cat', '[res,] tensor1, tensor2 [, dim (number)]', a1, a2, a3, a4) end
   local n = #list
   if n == 0 then raise('cat: expected at least one tensor') end
   for i = 1, n do
      if not isTensor(list[i]) then
         raise(string.format('cat: element %d of the list is a %s, expected a tensor', i, torch.type(list[i])))
      end
   end
   if n > catcap then catbuf, catcap = ffi.new('const nl_tensor *[?]', n), n end
   for i = 1, n do catbuf[i - 1] = list[i] end
   res = res or new(list[1]._dtype, list[1]._device)
   local rc = C.nl_cat(res, catbuf, n, d and d - 1 or -1)
   for i = 1, n do catbuf[i - 1] = nil end
   check(rc)
   return res
end
TensorBase.cat, torch.cat = cat, cat

-- split([result,] x, size [, dim]): views of size `size` along dim (the
-- last one shorter); chunk([result,] x, n [, dim]): n views of equal size.
local split_views

local function split(a1, a2, a3, a4)
   local result, x, size, d
   if type(a1) == 'table' and not isTensor(a1) then result, x, size, d = a1, a2, a3, a4
   else x, size, d = a1, a2, a3 end
   if not isTensor(x) or type(size) ~= 'number' or (d ~= nil and type(d) ~= 'number') then
      bad('split', '[result (table),] tensor, size (number) [, dim (number)]', a1, a2, a3, a4)
   end
   d = d or 1
   if d < 1 or d > x._ndim then
      raise(string.format('split: dimension %d out of range for a %s tensor', d, core.shape_str(x)))
   end
   if not (size >= 1 and size < math.huge) then raise(string.format('split: size should be a positive number, got %s', tostring(size))) end
   return split_views(result, x, size, d)
end
TensorBase.split, torch.split = split, split

split_views = function(result, x, size, d)
   result = result or {}
   for i = #result, 1, -1 do result[i] = nil end
   local total = tonumber(x._size[d - 1])
   local first = 1
   while first <= total do
      local n = math.min(size, total - first + 1)
      result[#result + 1] = x:narrow(d, first, n)
      first = first + n
   end
   return result
end

local function chunk(a1, a2, a3, a4)
   local result, x, n, d
   if type(a1) == 'table' and not isTensor(a1) then result, x, n, d = a1, a2, a3, a4
   else x, n, d = a1, a2, a3 end
   if not isTensor(x) or type(n) ~= 'number' or (d ~= nil and type(d) ~= 'number') then
      bad('chunk', '[result (table),] tensor, n (number) [, dim (number)]', a1, a2, a3, a4)
   end
   d = d or 1
   if d < 1 or d > x._ndim then
      raise(string.format('chunk: dimension %d out of range for a %s tensor', d, core.shape_str(x)))
   end
   if not (n >= 1 and n < math.huge) then
      raise(string.format('chunk: the number of chunks should be a positive number, got %s', tostring(n)))
   end
   return split_views(result, x, math.ceil(tonumber(x._size[d - 1]) / n), d)
end
TensorBase.chunk, torch.chunk = chunk, chunk

-- repeatTensor([res,] x, sizes...): x tiled sizes[i] times along each
-- dimension (x gets leading singleton dimensions when sizes has more).
local function repeatTensor(a1, a2, ...)
   local res, x, sizes
   if isTensor(a2) then res, x = a1, a2 sizes = { ... }
   else x = a1 sizes = { a2, ... } end
   if #sizes == 1 and (torch.isStorage(sizes[1]) or type(sizes[1]) == 'table') then
      local s = sizes[1]
      sizes = {}
      for i = 1, #s do sizes[i] = s[i] end
   end
   if not isTensor(x) or #sizes == 0 then bad('repeatTensor', '[res,] tensor, sizes (numbers or LongStorage)', a1, a2, ...) end
   local nd = #sizes
   if nd < x._ndim then
      raise(string.format('repeatTensor: %d repetition counts for a %dD tensor; expected at least %d', nd, x._ndim, x._ndim))
   end
   for i = 1, nd do
      if type(sizes[i]) ~= 'number' or not (sizes[i] >= 1 and sizes[i] < 2 ^ 53) then
         raise(string.format('repeatTensor: repetition count %d is %s, expected a positive number', i, tostring(sizes[i])))
      end
   end
   res = res or new(x._dtype, x._device)
   -- x padded with leading 1s to nd dimensions
   local xs = {}
   for i = 1, nd - x._ndim do xs[i] = 1 end
   for i = 0, x._ndim - 1 do xs[#xs + 1] = tonumber(x._size[i]) end
   local out = {}
   for i = 1, nd do out[i] = xs[i] * sizes[i] end
   if x:nElement() == 0 then return res:resize(0) end
   local tmp = res
   if res._storage ~= nil and res._storage == x._storage then tmp = new(x._dtype, x._device) end
   local n, buf = core.sizes_from_table('repeatTensor', out)
   check_as('repeatTensor', 'resize', C.nl_tensor_resize(tmp, n, buf))
   local src = x:contiguous():view(torch.LongStorage(xs))
   if 2 * nd <= 8 then
      -- res viewed as (r1, s1, r2, s2, ...) takes x expanded along the r's
      local vsize, esize = {}, {}
      for i = 1, nd do
         vsize[2 * i - 1], vsize[2 * i] = sizes[i], xs[i]
         esize[2 * i - 1], esize[2 * i] = 1, xs[i]
      end
      local dst = tmp:view(torch.LongStorage(vsize))
      dst:copy(src:view(torch.LongStorage(esize)):expand(torch.LongStorage(vsize)))
   else
      -- too many dimensions for the doubled view: tile one dimension at a time
      local cur = src
      for i = 1, nd do
         if sizes[i] > 1 then
            local sz = {}
            for j = 1, nd do sz[j] = j < i and out[j] or (j == i and out[j] or xs[j]) end
            local nxt = new(x._dtype, x._device):resize(torch.LongStorage(sz))
            for r = 0, sizes[i] - 1 do nxt:narrow(i, r * xs[i] + 1, xs[i]):copy(cur) end
            cur = nxt
         end
      end
      tmp:copy(cur)
   end
   if tmp ~= res then res:set(tmp) end
   return res
end
TensorBase.repeatTensor, torch.repeatTensor = repeatTensor, repeatTensor

-- Matrix shapes -------------------------------------------------------------

-- diag([res,] x [, k]), tril([res,] x [, k]), triu([res,] x [, k])
local function def_kform(name, cfn)
   local function f(a1, a2, a3)
      local res, x, k
      if isTensor(a2) then res, x, k = a1, a2, a3 else x, k = a1, a2 end
      if not isTensor(x) or (k ~= nil and type(k) ~= 'number') or (res ~= nil and not isTensor(res)) then
         bad(name, '[res,] tensor [, k (number)]', a1, a2, a3)
      end
      res = res or new(x._dtype, x._device)
      check(C[cfn](res, x, k or 0))
      return res
   end
   TensorBase[name], torch[name] = f, f
end
def_kform('diag', 'nl_diag')
def_kform('tril', 'nl_tril')
def_kform('triu', 'nl_triu')

-- eye([res,] n [, m]); res:eye(n [, m])
local function eye(a1, a2, a3)
   local res, n, m
   if isTensor(a1) then res, n, m = a1, a2, a3 else n, m = a1, a2 end
   if type(n) ~= 'number' or (m ~= nil and type(m) ~= 'number') then
      bad('eye', '[res,] n (number) [, m (number)]', a1, a2, a3)
   end
   res = res or new(core.default_dtype, 0)
   check(C.nl_eye(res, n, m or n))
   return res
end
TensorBase.eye, torch.eye = eye, eye

return TensorBase

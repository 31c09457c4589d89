-- index (indexSelect) through the row-copy path of runtime/math_index.c:
-- contiguous tensors whose slices after the indexed dimension are rows of
-- 64 bytes or more are copied row by row, for any number of dimensions.
-- Values against a plain Lua loop, on 2-D, 3-D and 4-D sources, every
-- dimension, repeated indices, and the strided cases that take the
-- general path.
local torch = require 'torch'

-- same sizes and the same values
local function same(a, b)
   assert.are.same(a:size():totable(), b:size():totable())
   assert.are.same(a:contiguous():view(-1):totable(), b:contiguous():view(-1):totable())
end

-- res[..., j, ...] = t[..., idx[j], ...] by element loops
local function ref_index(t, dim, idx)
   local size = t:size():totable()
   size[dim] = idx:size(1)
   local res = t.new(torch.LongStorage(size))
   local n = res:nElement()
   local flat = res:view(n)
   local pos = {}
   for k = 0, n - 1 do
      local rem = k
      for d = #size, 1, -1 do
         pos[d] = rem % size[d] + 1
         rem = math.floor(rem / size[d])
      end
      local src = { unpack(pos) }
      src[dim] = idx[pos[dim]]
      flat[k + 1] = t[src]
   end
   return res
end

describe('index on contiguous rows', function()
   local idx = torch.LongTensor { 3, 1, 3, 2 }
   for _, shape in ipairs { { 5, 40 }, { 4, 3, 20 }, { 3, 1, 4, 17 }, { 3, 4, 5, 16 } } do
      for dim = 1, #shape do
         it(string.format('matches element loops: %s source, dimension %d', table.concat(shape, 'x'), dim), function()
            torch.manualSeed(dim)
            local t = torch.FloatTensor(torch.LongStorage(shape)):uniform()
            local i = idx:clone():apply(function(v) return math.min(v, shape[dim]) end)
            local r = t:index(dim, i)
            same(ref_index(t, dim, i), r)
            -- into an existing tensor, and on doubles and longs
            local into = torch.FloatTensor(7)
            into:index(t, dim, i)
            same(r, into)
            same(ref_index(t:double(), dim, i), t:double():index(dim, i))
            local l = t:mul(1000):long()
            same(ref_index(l, dim, i), l:index(dim, i))
         end)
      end
   end

   it('takes the general path for strided sources and results', function()
      torch.manualSeed(9)
      local t = torch.FloatTensor(6, 5, 32):uniform():transpose(1, 2)   -- 5x6x32, not contiguous
      assert.is_false(t:isContiguous())
      local i = torch.LongTensor { 2, 5, 5 }
      same(ref_index(t, 1, i), t:index(1, i))
      local res = torch.FloatTensor(32, 6, 3):transpose(1, 3)           -- 3x6x32 result, strided
      res:index(t:contiguous(), 1, i)
      same(ref_index(t, 1, i), res)
   end)

   it('still checks the indices', function()
      local t = torch.FloatTensor(4, 3, 16):zero()
      assert.has_error(function() t:index(1, torch.LongTensor { 1, 5 }) end)
      assert.has_error(function() t:index(1, torch.LongTensor { 0 }) end)
   end)
end)

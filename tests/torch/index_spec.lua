-- Index family: masked ops, index/indexCopy/indexAdd/indexFill, gather,
-- scatter, nonzero, sort, topk, cat, split, chunk, repeatTensor, diag, eye,
-- tril, triu; values against plain Lua, non-contiguous inputs, several
-- dtypes, and the messages of bad calls.
local torch = require 'torch'

local seed = 4242
local function rnd()
   seed = (seed * 1103515245 + 12345) % 2147483648
   return seed / 2147483648
end
local function rints(n, m, hi)
   local t = {}
   for i = 1, n do
      t[i] = {}
      for j = 1, m do t[i][j] = math.floor(rnd() * hi) end
   end
   return t
end
local function flat(t)   -- nested table -> flat row-major list
   local r = {}
   local function walk(x)
      if type(x) == 'table' then for i = 1, #x do walk(x[i]) end else r[#r + 1] = x end
   end
   walk(t)
   return r
end

local types = { 'DoubleTensor', 'FloatTensor', 'IntTensor', 'LongTensor', 'ByteTensor' }

describe('maskedSelect, maskedFill, maskedCopy', function()
   for _, ty in ipairs(types) do
      it(ty, function()
         local T = torch[ty]
         local vt, mt = rints(4, 5, 9), rints(4, 5, 2)
         local x, m = T(vt), torch.ByteTensor(mt)
         local ref = {}
         for i = 1, 4 do for j = 1, 5 do if mt[i][j] == 1 then ref[#ref + 1] = vt[i][j] end end end
         assert.are.same(ref, x:maskedSelect(m):totable())
         assert.are.same(ref, torch.maskedSelect(x, m):totable())
         assert.are.same(ref, x[m]:totable())
         local res = T()
         torch.maskedSelect(res, x, m)
         assert.are.same(ref, res:totable())
         -- transposed tensor and mask: elements pair up in row-major order of each
         local xt, mtt = T(vt):t():contiguous():t(), torch.ByteTensor(mt):t():contiguous():t()
         assert.is_false(xt:isContiguous())
         assert.are.same(ref, xt:maskedSelect(mtt):totable())
         local reft = {}
         for j = 1, 5 do for i = 1, 4 do if mt[i][j] == 1 then reft[#reft + 1] = vt[i][j] end end end
         assert.are.same(reft, x:t():maskedSelect(m:t()):totable())
         -- fill and copy
         local f = x:clone()
         f:maskedFill(m, 7)
         local c = x:clone()
         c[m] = 3
         local src = T(20)
         for i = 1, 20 do src[i] = i end
         local cp = x:clone()
         cp:maskedCopy(m, src)
         local k = 0
         for i = 1, 4 do
            for j = 1, 5 do
               local on = mt[i][j] == 1
               assert.are.equal(on and 7 or vt[i][j], f[i][j])
               assert.are.equal(on and 3 or vt[i][j], c[i][j])
               if on then k = k + 1 end
               assert.are.equal(on and k or vt[i][j], cp[i][j])
            end
         end
         -- a narrowed target
         local big = T(4, 8):fill(1)
         big:narrow(2, 2, 5):maskedFill(m, 0)
         for i = 1, 4 do
            assert.are.equal(1, big[i][1])
            for j = 1, 5 do assert.are.equal(mt[i][j] == 1 and 0 or 1, big[i][j + 1]) end
         end
      end)
   end
   it('rejects bad masks', function()
      local x = torch.Tensor(2, 3)
      assert.has_error(function() x:maskedSelect(torch.ByteTensor(4):fill(1)) end,
         'maskedSelect: the mask has 4 elements (4), the tensor 6 (2x3)')
      assert.has_error(function() x:maskedFill(torch.Tensor(2, 3), 1) end,
         'maskedFill: the mask should be a torch.ByteTensor, got torch.DoubleTensor')
      assert.has_error(function() x:maskedFill(torch.ByteTensor(2, 3):fill(2), 1) end,
         'maskedFill: mask values should be 0 or 1, found 2')
      assert.has_error(function() x:maskedCopy(torch.ByteTensor(2, 3):fill(1), torch.Tensor(5)) end,
         'maskedCopy: the mask selects 6 elements, the source (5) has only 5')
   end)
end)

describe('index, indexCopy, indexAdd, indexFill', function()
   for _, ty in ipairs(types) do
      it(ty, function()
         local T = torch[ty]
         local vt = rints(4, 5, 100)
         local x = T(vt)
         local idx = torch.LongTensor({ 3, 1, 3 })
         -- dimension 1
         local r = x:index(1, idx)
         assert.are.same({ vt[3], vt[1], vt[3] }, r:totable())
         assert.are.same({ vt[3], vt[1], vt[3] }, torch.index(x, 1, idx):totable())
         assert.are.same({ vt[3], vt[1], vt[3] }, x:indexSelect(1, idx):totable())
         assert.are.same({ vt[3], vt[1], vt[3] }, x[idx]:totable())
         -- dimension 2, on a transposed source and into a given result
         local res = T()
         torch.index(res, x:t(), 2, idx)
         assert.are.same(x:index(1, idx):t():totable(), res:totable())
         local c = x:index(2, torch.LongTensor({ 5, 2 }))
         for i = 1, 4 do assert.are.same({ vt[i][5], vt[i][2] }, c[i]:totable()) end
         -- a non-contiguous index
         local li = torch.LongTensor({ { 2, 9 }, { 4, 9 } }):select(2, 1)
         assert.are.same({ vt[2], vt[4] }, x:index(1, li):totable())
         -- indexCopy / indexAdd / indexFill
         local y = x:clone()
         local src = T({ { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 } })
         y:indexCopy(1, torch.LongTensor({ 4, 2 }), src)
         assert.are.same({ vt[1], src[2]:totable(), vt[3], src[1]:totable() }, y:totable())
         local z = x:clone()
         z:indexAdd(1, torch.LongTensor({ 2, 2 }), src)
         for j = 1, 5 do assert.are.equal(vt[2][j] + src[1][j] + src[2][j], z[2][j]) end
         assert.are.same(vt[1], z[1]:totable())
         local w = x:clone()
         w:indexFill(2, torch.LongTensor({ 1, 4 }), 9)
         for i = 1, 4 do
            for j = 1, 5 do assert.are.equal((j == 1 or j == 4) and 9 or vt[i][j], w[i][j]) end
         end
         -- indexCopy into a transposed target
         local tt = x:clone():t()
         tt:indexCopy(2, torch.LongTensor({ 1 }), T({ { 0 }, { 0 }, { 0 }, { 0 }, { 0 } }))
         assert.are.same({ 0, 0, 0, 0, 0 }, tt:select(2, 1):totable())
      end)
   end
   it('checks indices and sizes by name', function()
      local x = torch.Tensor(5, 2)
      assert.has_error(function() x:index(1, torch.LongTensor({ 1, 7 })) end,
         'index: index 7 out of range for dimension 1 of size 5')
      assert.has_error(function() x:index(2, torch.LongTensor({ 0 })) end,
         'index: index 0 out of range for dimension 2 of size 2')
      assert.has_error(function() x:index(3, torch.LongTensor({ 1 })) end,
         'index: dimension 3 out of range for a 5x2 tensor')
      assert.has_error(function() x:index(1, torch.IntTensor({ 1 })) end,
         'index: the index should be a torch.LongTensor, got torch.IntTensor')
      assert.has_error(function() x:indexCopy(1, torch.LongTensor({ 6 }), torch.Tensor(1, 2)) end,
         'indexCopy: index 6 out of range for dimension 1 of size 5')
      assert.has_error(function() x:indexAdd(1, torch.LongTensor({ 1 }), torch.Tensor(1, 3)) end,
         'indexAdd: the source is 1x3, expected the size of the 5x2 tensor with 1 in dimension 1')
      assert.has_error(function() x:indexFill(2, torch.LongTensor({ 3 }), 0) end,
         'indexFill: index 3 out of range for dimension 2 of size 2')
   end)
end)

describe('gather and scatter', function()
   for _, ty in ipairs({ 'DoubleTensor', 'FloatTensor', 'LongTensor' }) do
      it(ty, function()
         local T = torch[ty]
         local vt = rints(3, 4, 50)
         local x = T(vt)
         local it = { { 4, 1 }, { 2, 2 }, { 1, 3 } }
         local idx = torch.LongTensor(it)
         local g = x:gather(2, idx)
         for i = 1, 3 do for j = 1, 2 do assert.are.equal(vt[i][it[i][j]], g[i][j]) end end
         -- dim 1, transposed source
         local it1 = { { 3, 1, 2, 3 }, { 1, 1, 1, 2 } }
         local g1 = torch.gather(x, 1, torch.LongTensor(it1))
         local gt = torch.gather(x:t():contiguous():t(), 1, torch.LongTensor(it1))
         for i = 1, 2 do
            for j = 1, 4 do
               assert.are.equal(vt[it1[i][j]][j], g1[i][j])
               assert.are.equal(vt[it1[i][j]][j], gt[i][j])
            end
         end
         -- scatter a tensor and a value; gather inverts it
         local z = T(3, 4):zero()
         local src = T({ { 1, 2 }, { 3, 4 }, { 5, 6 } })
         z:scatter(2, torch.LongTensor({ { 4, 1 }, { 2, 3 }, { 1, 3 } }), src)
         assert.are.same({ { 2, 0, 0, 1 }, { 0, 3, 4, 0 }, { 5, 0, 6, 0 } }, z:totable())
         local zt = T(4, 3):zero():t()
         zt:scatter(2, torch.LongTensor({ { 4, 1 }, { 2, 3 }, { 1, 3 } }), src)
         assert.are.same(z:totable(), zt:totable())
         z:scatter(1, torch.LongTensor({ { 3, 3, 3, 3 } }), -1)
         assert.are.same({ -1, -1, -1, -1 }, z[3]:totable())
      end)
   end
   it('checks the index', function()
      local x = torch.Tensor(3, 4)
      assert.has_error(function() x:gather(2, torch.LongTensor({ { 5 }, { 1 }, { 1 } })) end,
         'gather: index 5 out of range for dimension 2 of size 4')
      assert.has_error(function() x:gather(2, torch.LongTensor({ 1, 2 })) end,
         'gather: the index (2) should have as many dimensions as the tensor (3x4)')
      assert.has_error(function() x:gather(2, torch.LongTensor({ { 1 }, { 1 } })) end,
         'gather: sizes do not match outside dimension 2: 2x1 and 3x4')
      assert.has_error(function() x:scatter(1, torch.LongTensor({ { 4, 1, 1, 1 } }), 0) end,
         'scatter: index 4 out of range for dimension 1 of size 3')
      assert.has_error(function() x:scatter(1, torch.LongTensor({ { 1, 1, 1, 1 } }), torch.Tensor(1, 3)) end,
         'scatter: the source (1x3) should have the size of the index (1x4)')
   end)
end)

describe('nonzero', function()
   it('lists 1-based coordinates in row-major order', function()
      for _, ty in ipairs(types) do
         local vt = rints(3, 4, 2)
         local x = torch[ty](vt)
         local ref = {}
         for i = 1, 3 do for j = 1, 4 do if vt[i][j] ~= 0 then ref[#ref + 1] = { i, j } end end end
         local nz = torch.nonzero(x)
         assert.are.equal('torch.LongTensor', torch.type(nz))
         assert.are.same(ref, nz:totable())
         assert.are.same(ref, x:nonzero():totable())
         local reft = {}
         for j = 1, 4 do for i = 1, 3 do if vt[i][j] ~= 0 then reft[#reft + 1] = { j, i } end end end
         assert.are.same(reft, x:t():nonzero():totable())
      end
      assert.are.same({ { 2 }, { 4 } }, torch.nonzero(torch.Tensor({ 0, 1.5, 0, -2 })):totable())
      assert.are.equal(0, torch.nonzero(torch.Tensor(3):zero()):nElement())
   end)
end)

describe('sort and topk', function()
   local function ref_sort(list, desc)
      local p = {}
      for i = 1, #list do p[i] = i end
      table.sort(p, function(a, b)
         if list[a] ~= list[b] then
            if desc then return list[a] > list[b] end
            return list[a] < list[b]
         end
         return a < b          -- stable
      end)
      local v = {}
      for i = 1, #p do v[i] = list[p[i]] end
      return v, p
   end
   for _, ty in ipairs(types) do
      -- ties come in Torch7's quicksort order (tests/torch/diff_sort_spec.lua
      -- holds Torch7's recorded orders); here: the values, and the indices
      -- point at them
      it('sorts rows and columns (' .. ty .. ')', function()
         local T = torch[ty]
         local vt = rints(5, 40, 6)         -- many ties
         local x = T(vt)
         for _, desc in ipairs({ false, true }) do
            local v, i = x:sort(2, desc)
            assert.are.equal('torch.LongTensor', torch.type(i))
            for r = 1, 5 do
               local rv = ref_sort(vt[r], desc)
               assert.are.same(rv, v[r]:totable())
               local seen = {}
               for c = 1, #rv do
                  local p = i[r][c]
                  assert.are.equal(rv[c], vt[r][p])
                  assert.is_nil(seen[p])
                  seen[p] = true
               end
            end
            -- along dimension 1 of the transpose (a strided slice)
            local vt2, it2 = torch.sort(x:t(), 1, desc)
            assert.are.same(v:totable(), vt2:t():totable())
            assert.are.same(i:totable(), it2:t():totable())
         end
         -- default: last dimension, ascending
         local v1 = torch.sort(x)
         assert.are.same((ref_sort(vt[3])), v1[3]:totable())
         local rv, ri = T(), torch.LongTensor()
         torch.sort(rv, ri, x, 1, true)
         local col = {}
         for r = 1, 5 do col[r] = vt[r][7] end
         local cv = ref_sort(col, true)
         assert.are.same(cv, rv:select(2, 7):totable())
         for r = 1, 5 do assert.are.equal(cv[r], col[ri[r][7]]) end
      end)
   end
   it('leaves NaN where Torch7 did (its comparisons are false both ways)', function()
      local x = torch.Tensor({ 2, 0 / 0, -1, 5 })
      local v, i = x:sort()
      -- Torch7: values 2 nan -1 5, indices 1 2 3 4; descending 1 2 4 3
      assert.are.same({ 1, 2, 3, 4 }, i:totable())
      assert.is_true(v[2] ~= v[2])
      local _, j = x:sort(true)
      assert.are.same({ 1, 2, 4, 3 }, j:totable())
   end)
   it('sorts a tensor into itself', function()
      local x = torch.Tensor({ 3, 1, 2 })
      local i = torch.LongTensor()
      torch.sort(x, i, x)
      assert.are.same({ 1, 2, 3 }, x:totable())
      assert.are.same({ 2, 3, 1 }, i:totable())
   end)
   it('topk: k smallest by default, largest with dir, sorted', function()
      local x = torch.Tensor({ { 5, 1, 4, 2, 3 }, { 0, 9, 8, 7, 6 } })
      local v, i = x:topk(2)
      assert.are.same({ { 1, 2 }, { 0, 6 } }, v:totable())
      assert.are.same({ { 2, 4 }, { 1, 5 } }, i:totable())
      v, i = torch.topk(x, 3, 2, true, true)
      assert.are.same({ { 5, 4, 3 }, { 9, 8, 7 } }, v:totable())
      assert.are.same({ { 1, 3, 5 }, { 2, 3, 4 } }, i:totable())
      v, i = x:topk(1, 1, true)
      assert.are.same({ { 5, 9, 8, 7, 6 } }, v:totable())
      assert.are.same({ { 1, 2, 2, 2, 2 } }, i:totable())
      v = x:float():t():topk(1, 1)
      assert.are.same({ { 1, 0 } }, v:totable())
   end)
   it('checks dimension and k', function()
      local x = torch.Tensor(2, 3)
      assert.has_error(function() x:sort(3) end, 'sort: dimension 3 out of range for a 2x3 tensor')
      assert.has_error(function() x:topk(4) end, 'topk: k = 4 out of range for dimension 2 of a 2x3 tensor')
      assert.has_error(function() x:sort('a') end,
         'sort: invalid arguments: DoubleTensor string; expected [resval, resind,] tensor [, dim (number)] [, descending (boolean)]')
   end)
end)

describe('cat, split, chunk', function()
   it('concatenates along the last dimension by default', function()
      for _, ty in ipairs({ 'DoubleTensor', 'FloatTensor', 'IntTensor' }) do
         local T = torch[ty]
         local a, b = T({ { 1, 2 }, { 3, 4 } }), T({ { 5 }, { 6 } })
         assert.are.same({ { 1, 2, 5 }, { 3, 4, 6 } }, torch.cat(a, b):totable())
         assert.are.same({ { 1, 2, 5 }, { 3, 4, 6 } }, torch.cat({ a, b }, 2):totable())
         assert.are.same({ { 1, 2 }, { 3, 4 }, { 1, 3 }, { 2, 4 } }, torch.cat({ a, a:t() }, 1):totable())
         assert.are.same({ 1, 2, 3, 4, 5 }, torch.cat({ T({ 1, 2 }), T(), T({ 3 }), T({ 4, 5 }) }):totable())
         local res = T()
         torch.cat(res, a, b, 2)
         assert.are.same({ { 1, 2, 5 }, { 3, 4, 6 } }, res:totable())
         assert.are.same({ { 1, 2, 5 }, { 3, 4, 6 } }, a:cat(b):totable())
         assert.are.same({ { 1, 2 }, { 3, 4 } }, a:totable())
         -- into a result that is one of the inputs
         local x = T({ 1, 2 })
         torch.cat(x, x, T({ 3 }))
         assert.are.same({ 1, 2, 3 }, x:totable())
      end
   end)
   it('rejects mismatched sizes', function()
      assert.has_error(function() torch.cat(torch.Tensor(2, 2), torch.Tensor(3, 2), 2) end,
         'cat: sizes do not match outside dimension 2: 2x2 (tensor 1) and 3x2 (tensor 2)')
      assert.has_error(function() torch.cat(torch.Tensor(2, 2), torch.Tensor(2, 2), 3) end,
         'cat: dimension 3 out of range for a 2x2 tensor')
      assert.has_error(function() torch.cat({ torch.Tensor(2), 3 }) end,
         'cat: element 2 of the list is a number, expected a tensor')
      assert.has_error(function() torch.cat(torch.Tensor(2), torch.FloatTensor(2)) end,
         'cat: tensor types differ: torch.DoubleTensor and torch.FloatTensor')
   end)
   it('split and chunk return views', function()
      local x = torch.Tensor({ { 1, 2, 3, 4, 5 }, { 6, 7, 8, 9, 10 } })
      local s = x:split(2, 2)
      assert.are.equal(3, #s)
      assert.are.same({ { 5 }, { 10 } }, s[3]:totable())
      s[1]:fill(0)
      assert.are.equal(0, x[2][2])
      local c = torch.chunk(x, 2, 2)
      assert.are.equal(2, #c)
      assert.are.same({ 2, 3 }, c[1]:size():totable())
      assert.are.same({ 2, 2 }, c[2]:size():totable())
      assert.are.equal(2, #torch.split(x, 1))
      assert.has_error(function() x:split(0) end, 'split: size should be a positive number, got 0')
      assert.has_error(function() x:chunk(2, 3) end, 'chunk: dimension 3 out of range for a 2x5 tensor')
   end)
end)

describe('repeatTensor', function()
   it('tiles along each dimension', function()
      local x = torch.Tensor({ { 1, 2 }, { 3, 4 } })
      local r = x:repeatTensor(2, 3)
      assert.are.same({ 4, 6 }, r:size():totable())
      for i = 1, 4 do for j = 1, 6 do assert.are.equal(x[(i - 1) % 2 + 1][(j - 1) % 2 + 1], r[i][j]) end end
      local r3 = torch.repeatTensor(torch.Tensor({ 1, 2 }), 2, 1, 2)
      assert.are.same({ { { 1, 2, 1, 2 } }, { { 1, 2, 1, 2 } } }, r3:totable())
      local rt = torch.repeatTensor(x:t(), torch.LongStorage({ 1, 2 }))
      assert.are.same({ { 1, 3, 1, 3 }, { 2, 4, 2, 4 } }, rt:totable())
      local res = torch.IntTensor()
      torch.repeatTensor(res, torch.IntTensor({ 7 }), 3)
      assert.are.same({ 7, 7, 7 }, res:totable())
      -- five dimensions: the fallback path
      local r5 = torch.repeatTensor(torch.Tensor({ 1, 2 }), 1, 2, 1, 1, 2)
      assert.are.same({ 1, 2, 1, 1, 4 }, r5:size():totable())
      assert.are.same({ 1, 2, 1, 2 }, r5[1][2][1][1]:totable())
      assert.has_error(function() x:repeatTensor(2) end,
         'repeatTensor: 1 repetition counts for a 2D tensor; expected at least 2')
   end)
end)

describe('diag, eye, tril, triu', function()
   local vt = rints(3, 4, 20)
   for _, ty in ipairs({ 'DoubleTensor', 'FloatTensor', 'IntTensor' }) do
      it(ty, function()
         local T = torch[ty]
         local x = T(vt)
         for _, k in ipairs({ -2, -1, 0, 1, 3 }) do
            local ref = {}
            for i = 1, 3 do if i + k >= 1 and i + k <= 4 then ref[#ref + 1] = vt[i][i + k] end end
            assert.are.same(ref, torch.diag(x, k):totable())
            local tl, tu = torch.tril(x, k), x:triu(k)
            for i = 1, 3 do
               for j = 1, 4 do
                  assert.are.equal(j - i <= k and vt[i][j] or 0, tl[i][j])
                  assert.are.equal(j - i >= k and vt[i][j] or 0, tu[i][j])
               end
            end
         end
         -- transposed input
         assert.are.same(torch.diag(x, 1):totable(), torch.diag(x:t(), -1):totable())
         local tt = torch.tril(x:t())
         for i = 1, 4 do for j = 1, 3 do assert.are.equal(j <= i and vt[j][i] or 0, tt[i][j]) end end
         -- in place
         local y = x:clone()
         y:triu(y, 1)
         assert.are.same(torch.triu(x, 1):totable(), y:totable())
         -- vector -> matrix
         local d = torch.diag(T({ 1, 2 }), -1)
         assert.are.same({ { 0, 0, 0 }, { 1, 0, 0 }, { 0, 2, 0 } }, d:totable())
         assert.are.same({ { 1, 0 }, { 0, 2 } }, T({ 1, 2 }):diag():totable())
         local e = T()
         e:eye(2, 3)
         assert.are.same({ { 1, 0, 0 }, { 0, 1, 0 } }, e:totable())
      end)
   end
   it('eye defaults to the default type and a square', function()
      local e = torch.eye(3)
      assert.are.equal('torch.DoubleTensor', torch.type(e))
      assert.are.same({ { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, e:totable())
      assert.has_error(function() torch.diag(torch.Tensor(2, 2, 2)) end,
         'diag: expected a vector or a matrix, got a tensor of size 2x2x2')
      assert.has_error(function() torch.tril(torch.Tensor(3)) end, 'tril: expected a matrix (2D), got a tensor of size 3')
      assert.has_error(function() torch.diag(torch.Tensor(2, 3), 3) end, 'diag: diagonal 3 is outside a 2x3 matrix')
   end)
end)

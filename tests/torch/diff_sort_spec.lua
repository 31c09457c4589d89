-- Differences from Torch7 found by running the same programs under both:
-- the order of equal keys in sort, topk, kthvalue, median and mode (Torch7's
-- quicksort and quickselect are not stable; programs ranking scores with
-- ties see its order), topk's unsorted default. Expected values are
-- Torch7's output for the same calls.
local torch = require 'torch'

local t16 = { 3, 1, 3, 2, 1, 2, 3, 1, 1, 2, 3, 3, 1, 2, 2, 1 }

describe('sort with ties as Torch7', function()
   it('ascending and descending indices (16 keys, 3 values)', function()
      local t = torch.Tensor(t16)
      local _, i = t:sort()
      assert.are.same({ 2, 8, 13, 9, 16, 5, 14, 6, 4, 10, 15, 11, 3, 12, 7, 1 }, i:totable())
      _, i = t:sort(true)
      assert.are.same({ 1, 11, 7, 12, 3, 15, 4, 14, 10, 6, 13, 8, 9, 2, 5, 16 }, i:totable())
      -- every type sorts alike; a strided dimension too
      for _, ty in ipairs { 'Float', 'Int', 'Byte', 'Long', 'Short', 'Char' } do
         local _, j = torch[ty .. 'Tensor'](t16):sort()
         assert.are.same({ 2, 8, 13, 9, 16, 5, 14, 6, 4, 10, 15, 11, 3, 12, 7, 1 }, j:totable(), ty)
      end
      local m = torch.Tensor(16, 2)
      m:select(2, 1):copy(t)
      local _, k = m:sort(1)
      assert.are.same({ 2, 8, 13, 9, 16, 5, 14, 6, 4, 10, 15, 11, 3, 12, 7, 1 }, k:select(2, 1):totable())
   end)

   it('keeps NaN where Torch7 did', function()
      local v, i = torch.Tensor { 2, 0 / 0, -1, 5 }:sort()
      assert.are.same({ 1, 2, 3, 4 }, i:totable())        -- Torch7: 2 nan -1 5
      assert.are.equal(-1, v[3])
   end)
end)

describe('topk, kthvalue, median, mode with ties as Torch7', function()
   it('topk: quickselect order, sorted when asked', function()
      local t = torch.Tensor(t16)
      local _, i = t:topk(5)
      assert.are.same({ 2, 8, 13, 9, 16 }, i:totable())
      _, i = t:topk(5, 1, true)
      assert.are.same({ 11, 3, 12, 7, 1 }, i:totable())
      _, i = t:topk(5, 1, true, true)
      assert.are.same({ 11, 3, 12, 7, 1 }, i:totable())
   end)

   it('kthvalue, median and mode', function()
      local t = torch.Tensor(t16)
      local v, i = t:kthvalue(7)
      assert.are.same({ 2, 10 }, { v[1], i[1] })           -- Torch7: 2 10
      v, i = t:median()
      assert.are.same({ 2, 14 }, { v[1], i[1] })           -- Torch7: 2 14
      v, i = t:mode()
      assert.are.same({ 1, 5 }, { v[1], i[1] })            -- Torch7: 1 5
      v, i = torch.Tensor { 1, 1, 1 }:median(1)
      assert.are.equal(1, i[1])                            -- Torch7: 1
      local _, ti = torch.topk(torch.Tensor { 2, 2, 1, 3 }, 2, 1, false, true)
      assert.are.same({ 3, 2 }, ti:totable())              -- Torch7: 3 2
   end)
end)

-- Reductions: values against Lua loops, along each dimension, on
-- non-contiguous inputs; max/min indices; bad inputs.
local torch = require 'torch'
local spec = require 'tests.spec_util'

local function data()
   return torch.Tensor { { 1, 5, 3, -2 }, { 4, 2, 6, 0 }, { -1, 8, 7, 9 } }
end

local function lua_sum(t)
   local s = 0
   for i = 1, t:size(1) do for j = 1, t:size(2) do s = s + t[i][j] end end
   return s
end

describe('whole-tensor reductions', function()
   it('sum, prod, mean, max, min, norm, std, var', function()
      local a = data()
      assert.are.equal(lua_sum(a), a:sum())
      assert.are.equal(lua_sum(a), a:t():sum())
      assert.are.equal(lua_sum(a) / 12, a:mean())
      assert.are.equal(9, a:max())
      assert.are.equal(-2, a:min())
      assert.are.equal(1 * 5 * 3 * -2, a:narrow(1, 1, 1):prod())
      local sq = 0
      for i = 1, 3 do for j = 1, 4 do sq = sq + a[i][j] ^ 2 end end
      assert.is_true(math.abs(a:norm() - math.sqrt(sq)) < 1e-12)
      local m = lua_sum(a) / 12
      local v = 0
      for i = 1, 3 do for j = 1, 4 do v = v + (a[i][j] - m) ^ 2 end end
      assert.is_true(math.abs(a:var() - v / 11) < 1e-12)
      assert.is_true(math.abs(a:std(true) - math.sqrt(v / 12)) < 1e-12)
      assert.is_true(math.abs(a:norm(1) - 48) < 1e-12)
      assert.are.equal(9, a:norm(math.huge))
   end)
   it('large float sums accumulate in double and match across threads', function()
      local x = torch.FloatTensor(1000000):fill(0.1)
      assert.is_true(math.abs(x:sum() - 100000) < 1)
   end)
   it('propagates NaN in max', function()
      assert.is_true(torch.Tensor { 1, 0 / 0, 3 }:max() ~= torch.Tensor { 1, 0 / 0, 3 }:max())
   end)
end)

describe('reductions along a dimension', function()
   it('keep the dimension with size 1', function()
      local a = data()
      local s = a:sum(2)
      assert.are.same({ 3, 1 }, s:size():totable())
      assert.are.same({ { 7 }, { 12 }, { 23 } }, s:totable())
      assert.are.same({ { 4, 15, 16, 7 } }, a:sum(1):totable())
      assert.are.same({ { 4, 15, 16, 7 } }, a:t():sum(2):t():totable())
      assert.are.same({ { 4 / 3, 5, 16 / 3, 7 / 3 } }, a:mean(1):totable())
   end)
   it('max and min return values and 1-based indices', function()
      local a = data()
      local v, i = a:max(2)
      assert.are.same({ { 5 }, { 6 }, { 9 } }, v:totable())
      assert.are.same({ { 2 }, { 3 }, { 4 } }, i:totable())
      assert.are.equal('torch.LongTensor', torch.type(i))
      v, i = a:min(1)
      assert.are.same({ { -1, 2, 3, -2 } }, v:totable())
      assert.are.same({ { 3, 2, 1, 1 } }, i:totable())
      local rv, ri = torch.Tensor(), torch.LongTensor()
      torch.max(rv, ri, a:t(), 1)
      assert.are.same({ { 5, 6, 9 } }, rv:totable())
      assert.are.same({ { 2, 3, 4 } }, ri:totable())
   end)
   it('cumsum, cumprod, median, kthvalue, mode, std along dims', function()
      local a = data()
      assert.are.same({ { 1, 6, 9, 7 }, { 4, 6, 12, 12 }, { -1, 7, 14, 23 } }, a:cumsum(2):totable())
      assert.are.same({ 1, 2, 6, 24 }, torch.cumprod(torch.Tensor { 1, 2, 3, 4 }):totable())
      local med, mi = torch.Tensor { 5, 1, 3, 2, 4 }:median()
      assert.are.same({ 3 }, med:totable())
      assert.are.same({ 3 }, mi:totable())
      local k = torch.Tensor { 5, 1, 3, 2, 4 }:kthvalue(2)
      assert.are.same({ 2 }, k:totable())
      assert.are.same({ 3 }, torch.Tensor { 1, 3, 2, 3, 1, 3 }:mode():totable())
      local sd = a:std(2)
      local row = { 1, 5, 3, -2 }
      local m = (1 + 5 + 3 - 2) / 4
      local v = 0
      for _, x in ipairs(row) do v = v + (x - m) ^ 2 end
      assert.is_true(math.abs(sd[1][1] - math.sqrt(v / 3)) < 1e-12)
      assert.are.equal(5, torch.Tensor { { 1, 2 }, { 3, 4 } }:trace())
      assert.is_true(math.abs(torch.Tensor { 3, 4 }:dist(torch.Tensor { 0, 0 }) - 5) < 1e-12)
   end)
   it('raises clear errors', function()
      local a = data()
      assert.has_error(function() a:sum(3) end, 'sum: dimension 3 out of range for a 2D tensor of size 3x4')
      assert.has_error(function() a:max('x') end, 'max: dimension should be a number, got string')
      assert.has_error(function() torch.Tensor():max() end, 'max: the tensor is empty')
      assert.has_error(function() a:all() end, 'all: expected a ByteTensor, got torch.DoubleTensor')
   end)
end)

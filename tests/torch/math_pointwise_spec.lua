-- Elementwise math, comparisons, operators and creation functions: values
-- against plain Lua loops, non-contiguous inputs, dtypes, bad inputs.
local torch = require 'torch'
local spec = require 'tests.spec_util'

local function ref_map(t, f)
   local r = t:clone():contiguous()
   local v = r:view(r:nElement())
   local s = t:contiguous():view(t:nElement())
   for i = 1, v:nElement() do v[i] = f(s[i]) end
   return r
end

local function rand(...)
   local t = torch.Tensor(...)
   local v = t:view(t:nElement())
   for i = 1, v:nElement() do v[i] = ((i * 7919) % 1000) / 500 - 1 + 0.001 end
   return t
end

describe('unary ops', function()
   local fns = {
      exp = math.exp, log = function(x) return math.log(math.abs(x)) end, tanh = math.tanh,
      sqrt = function(x) return math.sqrt(math.abs(x)) end, abs = math.abs, neg = function(x) return -x end,
      sigmoid = function(x) return 1 / (1 + math.exp(-x)) end, floor = math.floor, ceil = math.ceil,
      sin = math.sin, cos = math.cos, atan = math.atan, sign = function(x) return x > 0 and 1 or (x < 0 and -1 or 0) end,
      cinv = function(x) return 1 / x end, frac = function(x) return x - (x >= 0 and math.floor(x) or math.ceil(x)) end,
   }
   for name, f in pairs(fns) do
      it(name .. ' matches a Lua loop on contiguous and transposed inputs', function()
         local x = rand(5, 7)
         if name == 'log' or name == 'sqrt' then x:abs() end
         local expect = ref_map(x, f)
         assert.is_true(spec.close(torch[name](x), expect, 1e-12))
         local xt = x:t()
         assert.is_true(spec.close(torch[name](xt), expect:t(), 1e-12))
         local y = x:clone()
         y[name](y)      -- in place
         assert.is_true(spec.close(y, expect, 1e-12))
         local res = torch.Tensor(7, 5)
         res:t()[name](res:t(), x)   -- into a transposed result view
         assert.is_true(spec.close(res:t(), expect, 1e-12))
      end)
   end
   it('float tensors use float math', function()
      local x = torch.FloatTensor { 0.5, 1, 2 }
      local e = torch.exp(x)
      assert.are.equal('torch.FloatTensor', torch.type(e))
      assert.is_true(math.abs(e[3] - math.exp(2)) < 1e-5)
   end)
   it('rejects transcendental ops on integer tensors', function()
      assert.has_error(function() torch.LongTensor { 1 }:exp() end,
         'exp: not defined for torch.LongTensor (use a FloatTensor or DoubleTensor)')
   end)
end)

describe('arithmetic', function()
   it('add in all its forms', function()
      local x, y = rand(3, 4), rand(4, 3):t()
      local r = torch.add(x, y)
      for i = 1, 3 do for j = 1, 4 do assert.are.equal(x[i][j] + y[i][j], r[i][j]) end end
      assert.is_true(spec.close(torch.add(x, 2, y), ref_map(x, function(v) return v end):add(y):add(y)))
      local z = x:clone():add(5)
      assert.are.equal(x[2][3] + 5, z[2][3])
      z = x:clone():add(3, y)
      assert.is_true(math.abs(z[1][2] - (x[1][2] + 3 * y[1][2])) < 1e-15)
      local res = torch.Tensor()
      torch.add(res, x, 2)
      assert.are.equal(x[3][4] + 2, res[3][4])
      assert.are.equal(x[1][1] - y[1][1], x:clone():csub(y)[1][1])
   end)
   it('mul, div, cmul, cdiv, pow, clamp, addcmul, addcdiv, lerp', function()
      local x, y = rand(2, 5), rand(2, 5):add(3)
      assert.are.equal(x[1][2] * 3, torch.mul(x, 3)[1][2])
      assert.are.equal(x[2][2] / 4, torch.div(x, 4)[2][2])
      assert.are.equal(x[2][3] * y[2][3], torch.cmul(x, y)[2][3])
      assert.are.equal(x[2][3] / y[2][3], torch.cdiv(x, y)[2][3])
      local y11 = y[1][1]
      assert.are.equal(y11 * y11 * y11, torch.pow(y, 3)[1][1])   -- Torch7: x*x*x
      assert.are.equal(2 ^ x[1][4], torch.pow(2, x)[1][4])
      local c = torch.clamp(torch.Tensor { -3, 0.5, 3 }, -1, 1)
      assert.are.same({ -1, 0.5, 1 }, c:totable())
      local a = torch.addcmul(x, 2, x, y)
      assert.is_true(math.abs(a[1][5] - (x[1][5] + 2 * x[1][5] * y[1][5])) < 1e-14)
      a = x:clone():addcdiv(0.5, x, y)
      assert.is_true(math.abs(a[2][1] - (x[2][1] + 0.5 * x[2][1] / y[2][1])) < 1e-14)
      assert.is_true(math.abs(torch.lerp(x, y, 0.25)[1][1] - (x[1][1] + 0.25 * (y[1][1] - x[1][1]))) < 1e-14)
      assert.are.same({ 1, -3, 2 }, torch.fmod(torch.Tensor { 5, -7, 6 }, 4):totable())
      assert.are.same({ 1, 1, 2 }, torch.remainder(torch.Tensor { 5, -7, 6 }, 4):totable())
      assert.are.same({ 1, 1, 2 }, torch.remainder(torch.LongTensor { 5, -7, 6 }, 4):totable())
      assert.are.same({ 2, 3 }, torch.cmax(torch.Tensor { 1, 3 }, 2):totable())
      assert.are.same({ 1, 2 }, torch.cmin(torch.Tensor { 1, 3 }, torch.Tensor { 4, 2 }):totable())
   end)
   it('operators follow Torch7 (matrix * matrix is mm)', function()
      local a = torch.Tensor { { 1, 2 }, { 3, 4 } }
      assert.are.same({ { 7, 10 }, { 15, 22 } }, (a * a):totable())
      assert.are.same({ 5, 11 }, (a * torch.Tensor { 1, 2 }):totable())
      assert.are.equal(5, torch.Tensor { 1, 2 } * torch.Tensor { 1, 2 })
      assert.are.same({ { 2, 4 }, { 6, 8 } }, (2 * a):totable())
      assert.are.same({ { 0, 1 }, { 2, 3 } }, (a - 1):totable())
      assert.are.same({ { 0, -1 }, { -2, -3 } }, (1 - a):totable())
      assert.are.same({ { 0.5, 1 }, { 1.5, 2 } }, (a / 2):totable())
      assert.are.same({ { -1, -2 }, { -3, -4 } }, (-a):totable())
      assert.are.same({ { 2, 5 }, { 5, 8 } }, (a + a:t()):totable())
   end)
   it('works on every dtype', function()
      for _, ty in ipairs { 'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double' } do
         local t = torch[ty .. 'Tensor'] { 1, 2, 3 }
         assert.are.same({ 3, 5, 7 }, t:clone():mul(2):add(1):totable())
         assert.are.same({ 1, 4, 9 }, torch.cmul(t, t):totable())
      end
   end)
   it('is identical with 1 and 2 threads on large inputs', function()
      local x = torch.Tensor(300, 400):fill(1):cumsum(2):div(1000)
      local n = torch.getnumthreads()
      torch.setnumthreads(1)
      local a = torch.tanh(x):add(torch.exp(x))
      local s1 = x:sum()
      torch.setnumthreads(2)
      local b = torch.tanh(x):add(torch.exp(x))
      local s2 = x:sum()
      torch.setnumthreads(n)
      assert.is_true(a:equal(b))
      assert.is_true(math.abs(s1 - s2) < 1e-9 * math.abs(s1))
   end)
   it('raises clear errors on bad input', function()
      assert.has_error(function() torch.add(torch.Tensor(3), torch.Tensor(4)) end, 'add: sizes do not match: 3 and 4')
      assert.has_error(function() torch.cmul(torch.Tensor(2), torch.FloatTensor(2)) end,
         'cmul: tensor types differ: torch.DoubleTensor and torch.FloatTensor; convert one with :type()')
      assert.has_error(function() torch.Tensor(2):mul('x') end, 'mul: argument 1 should be a number, got string')
      assert.has_error(function() torch.LongTensor { 4 }:div(0) end, 'div: integer division by zero')
      assert.has_error(function() torch.LongTensor { 4 }:cdiv(torch.LongTensor { 0 }) end, 'cdiv: integer division by zero')
      assert.has_error(function() torch.Tensor(2):clamp(1, 0) end, 'clamp: min 1 is greater than max 0')
      assert.has_error(function() return torch.Tensor(2, 3) * torch.Tensor(2, 3, 1) end)
   end)
end)

describe('comparisons', function()
   it('return ByteTensors or fill a result', function()
      local a, b = torch.Tensor { 1, 2, 3 }, torch.Tensor { 3, 2, 1 }
      assert.are.same({ 1, 0, 0 }, a:lt(b):totable())
      assert.are.same({ 1, 1, 0 }, a:le(2):totable())
      assert.are.same({ 0, 1, 0 }, torch.eq(a, b):totable())
      assert.are.same({ 1, 0, 1 }, torch.ne(a, 2):totable())
      local r = torch.Tensor()
      torch.gt(r, a, 1)
      assert.are.equal('torch.DoubleTensor', torch.type(r))
      assert.are.same({ 0, 1, 1 }, r:totable())
      assert.are.same({ 0, 1 }, a:narrow(1, 1, 2):ge(torch.Tensor { 2, 2 }):totable())
      assert.is_true(a:equal(torch.Tensor { 1, 2, 3 }))
      assert.is_false(a:equal(b))
      assert.has_error(function() a:lt('x') end, 'lt: expected a tensor or a number to compare with, got string')
   end)
end)

describe('creation', function()
   it('zeros, ones, range, linspace, logspace, reshape', function()
      assert.are.same({ { 0, 0 }, { 0, 0 } }, torch.zeros(2, 2):totable())
      assert.are.same({ 1, 1, 1 }, torch.ones(3):totable())
      assert.are.same({ 1, 2, 3, 4 }, torch.range(1, 4):totable())
      assert.are.same({ 2, 1.5, 1 }, torch.range(2, 1, -0.5):totable())
      assert.are.same({ 0, 0.25, 0.5, 0.75, 1 }, torch.linspace(0, 1, 5):totable())
      assert.is_true(spec.close(torch.logspace(0, 2, 3), torch.Tensor { 1, 10, 100 }, 1e-12))
      assert.are.same({ { 1, 2, 3 }, { 4, 5, 6 } }, torch.reshape(torch.range(1, 6), 2, 3):totable())
      assert.are.equal('torch.FloatTensor', torch.type(torch.zeros(torch.FloatTensor(), 3)))
      assert.has_error(function() torch.range(1, 2, 0) end, 'range: step must not be zero')
      assert.has_error(function() torch.reshape(torch.range(1, 6), 4) end,
         'reshape: a tensor of 6 elements cannot be reshaped to 4 elements')
   end)
end)

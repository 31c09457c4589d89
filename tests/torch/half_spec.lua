-- torch.HalfTensor / torch.HalfStorage: IEEE binary16 storage. Values
-- against hand-computed halves (exact for representable numbers, round to
-- nearest even otherwise), inf and nan, overflow, conversions to and from
-- every dtype, non-contiguous copies, indexing, printing, torch.save/load
-- in Torch7's format (2-byte elements), and the error math on Half gives.
local ffi = require 'ffi'
local torch = require 'torch'

-- the 16 bits of element i (1-based) of a contiguous HalfTensor
local function bits(h, i) return tonumber(ffi.cast('uint16_t *', h:data())[i - 1]) end

describe('HalfTensor conversions', function()
   it('represents halves exactly, both ways', function()
      local vals = { 0, 1, -1, 1.5, -2.25, 0.5, 1024, 2048, 65504, -65504, 2 ^ -14, 2 ^ -24, 3 * 2 ^ -24, 1638 / 16384 }
      local h = torch.HalfTensor(#vals):copy(torch.DoubleTensor(vals))
      assert.are.same(vals, h:double():totable())
      for i, v in ipairs(vals) do assert.are.equal(v, h[i]) end
      assert.are.equal(0x3c00, bits(h, 2))
      assert.are.equal(0x7bff, bits(h, 9))
      assert.are.equal(0x0400, bits(h, 11))
      assert.are.equal(0x0001, bits(h, 12))
      -- Torch7 (fixtures/torch7/functions.expected)
      assert.are.same({ 1.5, -2.25, 65504 }, torch.HalfTensor(3):copy(torch.Tensor{ 1.5, -2.25, 65504 }):double():totable())
      assert.are.equal(0.333251953125, torch.HalfTensor(1):fill(1 / 3):double()[1])
   end)

   it('rounds to nearest, ties to even', function()
      -- between 1 and 1 + 2^-10 the midpoint 1 + 2^-11 goes to the even 1;
      -- between 1 + 2^-10 and 1 + 2^-9 the midpoint goes up to the even one
      local src = torch.DoubleTensor{ 1 + 2 ^ -11, 1 + 3 * 2 ^ -11, 1 + 2 ^ -11 + 2 ^ -30, 2049, 2051, -2049,
         2 ^ -25, 3 * 2 ^ -25, 2 ^ -25 + 2 ^ -40 }
      local h = torch.HalfTensor(src:size()):copy(src)
      assert.are.same({ 1, 1 + 2 ^ -9, 1 + 2 ^ -10, 2048, 2052, -2048, 0, 2 ^ -23, 2 ^ -24 }, h:double():totable())
      -- from float too (no double rounding: every float is a double)
      local f = torch.FloatTensor{ 1 + 2 ^ -11, 1 + 2 ^ -11 + 2 ^ -23 }
      assert.are.same({ 1, 1 + 2 ^ -10 }, f:half():double():totable())
   end)

   it('keeps inf and nan, overflows to inf, keeps the sign of zero', function()
      local inf = math.huge
      local h = torch.HalfTensor(7):copy(torch.DoubleTensor{ inf, -inf, 0 / 0, 65519.99, 65520, -1e10, -0.0 })
      local d = h:double()
      assert.are.equal(inf, d[1])
      assert.are.equal(-inf, d[2])
      assert.is_true(d[3] ~= d[3])
      assert.are.equal(65504, d[4])
      assert.are.equal(inf, d[5])
      assert.are.equal(-inf, d[6])
      assert.are.equal(0x7c00, bits(h, 1))
      assert.are.equal(0xfc00, bits(h, 2))
      assert.are.equal(0x7c00, bit.band(bits(h, 3), 0x7c00))
      assert.are_not.equal(0, bit.band(bits(h, 3), 0x3ff))
      assert.are.equal(0x8000, bits(h, 7))
      -- float inf/nan through Half and back
      local f = torch.FloatTensor{ inf, 0 / 0 }:half():float()
      assert.are.equal(inf, f[1])
      assert.is_true(f[2] ~= f[2])
   end)

   it('converts to and from every dtype', function()
      local vals = { 0, 1, 2, 3, 100, 127 }
      for _, name in ipairs { 'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double' } do
         local x = torch[name .. 'Tensor'](vals)
         local h = x:half()
         assert.are.equal('torch.HalfTensor', h:type())
         assert.are.same(vals, h:double():totable())
         assert.are.same(vals, h:type('torch.' .. name .. 'Tensor'):double():totable())
         assert.are.same(vals, torch[name .. 'Tensor'](6):copy(h):double():totable())
      end
      -- integers above 2048 round to a multiple of 2, 4, ...; 70000 overflows
      local l = torch.LongTensor{ 2049, 4097, 70000, -3 }:half()
      assert.are.same({ 2048, 4096, math.huge, -3 }, l:double():totable())
      -- half to integer types truncates like float does
      assert.are.same({ 1, -1 }, torch.HalfTensor{ 1.75, -1.75 }:int():double():totable())
   end)
end)

describe('HalfTensor storage operations', function()
   it('creates, fills, indexes and prints', function()
      local h = torch.HalfTensor(2, 3):fill(0.1)
      assert.are.equal('torch.HalfTensor', torch.type(h))
      assert.are.equal(2, h:storage():elementSize())
      assert.are.equal(0.0999755859375, h[2][3])
      h[1][2] = 3.14159
      h[{ 2, 1 }] = -7
      assert.are.equal(3.140625, h[1][2])
      assert.are.equal(-7, h[{ 2, 1 }])
      h:zero()
      assert.are.same({ { 0, 0, 0 }, { 0, 0, 0 } }, h:totable())
      local t = torch.HalfTensor{ { 1, 2 }, { 3, 4.5 } }
      assert.are.same({ { 1, 2 }, { 3, 4.5 } }, t:totable())
      assert.are.equal('\n 1.0000  2.0000\n 3.0000  4.5000\n[torch.HalfTensor of size 2x2]\n', '\n' .. tostring(t))
      local s = torch.HalfStorage{ 1, 0.1, -2 }
      assert.are.equal('torch.HalfStorage', torch.type(s))
      assert.are.equal(0.0999755859375, s[2])
      s[3] = 65536
      assert.are.equal(math.huge, s[3])
      assert.are.same({ 5, 5, 5 }, s:fill(5):totable())
      assert.are.same({ 5, 5, 5 }, torch.FloatStorage(3):copy(s):totable())
      assert.are.equal('torch.FloatStorage', torch.type(s:type('torch.FloatStorage')))
   end)

   it('copies non-contiguous views both ways', function()
      local d = torch.DoubleTensor{ { 1, 2, 3 }, { 4, 5, 6 } }
      local h = torch.HalfTensor(3, 2):copy(d:t())
      assert.are.same({ { 1, 4 }, { 2, 5 }, { 3, 6 } }, h:totable())
      local back = torch.FloatTensor(2, 3):copy(h:t())
      assert.are.same({ { 1, 2, 3 }, { 4, 5, 6 } }, back:totable())
      -- a strided Half destination, and Half to Half through a view
      local big = torch.HalfTensor(4, 4):zero()
      big:narrow(2, 2, 2):copy(torch.DoubleTensor{ { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } })
      assert.are.same({ 0, 1, 2, 0 }, big[1]:totable())
      local h2 = torch.HalfTensor(2, 4):copy(big:t():narrow(1, 2, 2))
      assert.are.same({ { 1, 3, 5, 7 }, { 2, 4, 6, 8 } }, h2:totable())
      assert.are.same({ { 1, 3 }, { 2, 4 } }, h2:narrow(2, 1, 2):clone():totable())
   end)

   it('applies Lua functions through float', function()
      local h = torch.HalfTensor{ 1, 2, 3 }
      h:apply(function(x) return x / 3 end)
      assert.are.same({ 0.333251953125, 0.66650390625, 1 }, h:totable())
   end)

   it('saves and loads in Torch7\'s format (binary and ascii)', function()
      local h = torch.HalfTensor{ { 1, 0.1 }, { -65504, math.huge } }
      for _, fmt in ipairs { 'binary', 'ascii' } do
         local p = os.tmpname()
         torch.save(p, { t = h, v = h:t(), s = h:storage() }, fmt)
         local r = torch.load(p, fmt)
         os.remove(p)
         assert.are.equal('torch.HalfTensor', torch.type(r.t))
         assert.are.equal('torch.HalfStorage', torch.type(r.s))
         assert.are.same(h:totable(), r.t:totable())
         assert.are.same(h:t():totable(), r.v:totable())
         r.t[1][1] = 9     -- the views share their storage again
         assert.are.equal(9, r.v[1][1])
         assert.are.equal(9, r.s[1])
      end
      -- binary: HalfStorage elements are 2-byte values (size, then the bits)
      local f = torch.MemoryFile('w'):binary()
      f:writeObject(torch.HalfStorage{ 1, -2 })
      local str = f:_string()
      assert.are.equal('\0\60\0\192', str:sub(-4))
   end)
end)

describe('HalfTensor math through float', function()
   it('runs methods and torch functions by converting, keeping in-place and [res] forms', function()
      local h = torch.HalfTensor { 1, 2, 3 }
      assert.are.equal(h, h:add(1))
      assert.are.same({ 2, 3, 4 }, h:totable())
      assert.are.equal(9, h:sum())
      local v, i = torch.max(h, 1)
      assert.are.equal('torch.HalfTensor', torch.type(v))
      assert.are.equal('torch.LongTensor', torch.type(i))
      assert.are.same({ 4 }, v:totable())
      local r = torch.HalfTensor()
      assert.are.equal(r, torch.cmul(r, h, h))
      assert.are.same({ 4, 9, 16 }, r:totable())
      assert.are.same({ 3, 4 }, h:index(1, torch.LongTensor { 2, 3 }):totable())
      assert.are.equal('torch.HalfTensor', torch.type(h + h))
      -- on a non-contiguous view, the view is written back in place
      local m = torch.HalfTensor(2, 3):fill(1)
      m:select(2, 2):mul(5)
      assert.are.same({ { 1, 5, 1 }, { 1, 5, 1 } }, m:totable())
      -- rounding is half's: 1/3 in half is 0.333251953125
      assert.are.equal(0.333251953125, torch.HalfTensor { 1 }:div(3)[1])
   end)
end)

describe('HalfTensor bad input', function()
   it('gives the float operation\'s clear errors, naming the function', function()
      local h = torch.HalfTensor(3):fill(1)
      assert.has_error(function() h:add(torch.HalfTensor(4)) end)
      local ok, err = pcall(function() torch.HalfTensor(2, 2):addmm(torch.HalfTensor(3, 2), torch.HalfTensor(2, 2)) end)
      assert.is_false(ok)
      assert.is_truthy(err:match('addmm'))
      assert.has_error(function() torch.HalfStorage{ 1, 'x' } end,
         'torch.HalfStorage: element 2 of the table is a string, expected a number')
      assert.has_error(function() torch.HalfTensor(2):fill('x') end, 'fill: expected a number, got string')
   end)
end)

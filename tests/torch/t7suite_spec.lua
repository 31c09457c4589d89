-- Behaviours that Torch7's own test suite (torch7/test/test.lua) relies on
-- and nnlua first did differently; each is checked here with values.
require 'nn'

describe('Torch7 suite: tensor views and queries', function()
   it('select in a vector gives the element as a number, whatever the dimension', function()
      local v = torch.Tensor { 5, 6, 7 }
      assert.are.equal(6, v:select(1, 2))
      assert.are.equal('number', type(v:select(1, 3)))
      -- Torch7 ignores the dimension for a vector
      assert.are.equal(5, v:select(2, 1))
      assert.are.equal(7, v:select(1, -1))
      assert.has_error(function() v:select(1, 4) end, 'select: index 4 out of range for a vector of size 3')
      -- a column of a matrix, then an element of it
      local m = torch.Tensor { { 1, 2 }, { 3, 4 } }
      assert.are.equal(3, m:select(2, 1):select(1, 2))
   end)

   it('elementSize of every tensor type matches its storage', function()
      local want = { Byte = 1, Char = 1, Short = 2, Int = 4, Long = 8, Float = 4, Double = 8, Half = 2 }
      for name, size in pairs(want) do
         assert.are.equal(size, torch[name .. 'Tensor']():elementSize(), name)
         assert.are.equal(size, torch[name .. 'Tensor'](3):elementSize(), name)
         assert.are.equal(size, torch[name .. 'Storage']():elementSize(), name)
      end
   end)

   it('res:view(src, sizes) and res:viewAs(src, template) make res a view of src', function()
      local src = torch.range(1, 15)
      local r = torch.Tensor()
      assert.are.equal(r, r:view(src, 3, 5))
      assert.are.same({ 3, 5 }, r:size():totable())
      assert.are.equal(8, r[2][3])
      r[1][1] = 100
      assert.are.equal(100, src[1])
      local r2 = torch.Tensor()
      r2:view(src, torch.LongStorage { 5, 3 })
      assert.are.same({ 5, 3 }, r2:size():totable())
      r2:view(src, -1, 5)
      assert.are.same({ 3, 5 }, r2:size():totable())
      local r3 = torch.Tensor()
      r3:viewAs(src, torch.Tensor(5, 3))
      assert.are.same({ 5, 3 }, r3:size():totable())
      assert.are.equal(6, r3[2][3])
      -- the plain forms are unchanged
      assert.are.same({ 3, 5 }, src:view(3, 5):size():totable())
      assert.are.same({ 5, 3 }, src:viewAs(torch.Tensor(5, 3)):size():totable())
      assert.has_error(function() torch.FloatTensor():view(src, 3, 5) end)
   end)

   it('res:expand(src, sizes) and res:expandAs(src, template) make res an expanded view of src', function()
      local src = torch.Tensor { { 1 }, { 2 } }
      local r = torch.Tensor()
      r:expand(src, 2, 3)
      assert.are.same({ { 1, 1, 1 }, { 2, 2, 2 } }, r:totable())
      local r2 = torch.Tensor()
      r2:expandAs(src, torch.Tensor(2, 4))
      assert.are.same({ 2, 4 }, r2:size():totable())
      assert.are.equal(2, r2[2][4])
      src[1][1] = 9
      assert.are.equal(9, r[1][3])
   end)

   it('isTypeOf takes a Lua pattern, and a plain name must match the whole type', function()
      local t = torch.LongTensor()
      assert.is_true(torch.isTypeOf(t, 'torch.LongTensor'))
      assert.is_false(torch.isTypeOf(t, 'torch.Long'))
      assert.is_true(torch.isTypeOf(t, 'torch.*Tensor'))
      assert.is_true(torch.isTypeOf(t, '.*Long'))
      assert.is_false(torch.isTypeOf(t, 'torch.IntTensor'))
      assert.is_true(torch.isTypeOf(nn.Linear(2, 2), '.*Linear'))
      assert.is_true(torch.isTypeOf(nn.Linear(2, 2), 'nn.Module'))
      assert.is_false(torch.isTypeOf(nn.Linear(2, 2), 'nn.Lin'))
   end)

   it('setheaptracking records its setting in torch._heaptracking', function()
      local old = torch._heaptracking
      torch.setheaptracking(true)
      assert.is_true(torch._heaptracking)
      torch.setheaptracking(false)
      assert.is_false(torch._heaptracking)
      torch.setheaptracking(old or false)
   end)
end)

describe('Torch7 suite: filling a view that already has the elements', function()
   it('range, linspace and logspace keep the shape of a 2x2 view and fill it in element order', function()
      local x = torch.zeros(2, 3)
      x:narrow(2, 2, 2):range(0, 3)
      assert.are.same({ { 0, 0, 1 }, { 0, 2, 3 } }, x:totable())
      x = torch.zeros(2, 3)
      x:narrow(2, 2, 2):linspace(0, 3, 4)
      assert.are.same({ { 0, 0, 1 }, { 0, 2, 3 } }, x:totable())
      x = torch.zeros(2, 3)
      x:narrow(2, 2, 2):logspace(0, 3, 4)
      assert.are.same({ { 0, 1, 10 }, { 0, 100, 1000 } }, x:totable())
      -- a contiguous 2x2 keeps its shape too
      local y = torch.Tensor(2, 2):range(1, 4)
      assert.are.same({ { 1, 2 }, { 3, 4 } }, y:totable())
      -- another count of elements resizes to a vector
      local z = torch.Tensor(2, 2):range(1, 3)
      assert.are.same({ 1, 2, 3 }, z:totable())
   end)
end)

describe('Torch7 suite: pointwise ops on other shapes with the same number of elements', function()
   it('a strided column of 4 elements combines with a 2x2 in element order', function()
      local big = torch.range(1, 16):view(4, 4)
      local col = big:select(2, 2)          -- 2, 6, 10, 14 (stride 4)
      assert.is_false(col:isContiguous())
      local m = torch.Tensor { { 1, 2 }, { 3, 4 } }
      assert.are.same({ { 2, 12 }, { 30, 56 } }, torch.cmul(m, col):totable())
      local m2 = torch.Tensor { { 2, 12 }, { 30, 56 } }
      assert.are.same({ { 1, 2 }, { 3, 4 } }, torch.cdiv(m2, col):totable())
      assert.are.same({ { 3, 8 }, { 13, 18 } }, torch.add(m, col):totable())
      assert.are.same({ { 0, 2 }, { 0, 12 } }, torch.cfmod(m * 10, col):totable())
      assert.are.same({ { 0, 4 }, { 0, 2 } }, torch.cremainder(m * -10, col):totable())
      assert.are.same({ { 1, 64 }, { 59049, 4 ^ 14 } }, torch.cpow(m, col):totable())
      -- the result is written through a strided view the same way
      local out = torch.zeros(4, 4)
      out:select(2, 3):copy(torch.Tensor { 1, 2, 3, 4 })
      out:select(2, 3):cmul(m)
      assert.are.same({ 1, 4, 9, 16 }, out:select(2, 3):totable())
   end)

   it('a layout no strides describe is refused with the sizes named', function()
      local ok, err = pcall(torch.cmul, torch.rand(4), torch.rand(2, 2):t())
      assert.is_false(ok)
      assert.matches('non%-contiguous 2x2 tensor cannot be combined with a 4 tensor', err)
   end)
end)

describe('Torch7 suite: operators a program defines on a tensor class', function()
   it('torch.FloatTensor.__sub defined by the program replaces the built-in one for that class only', function()
      local calls = 0
      function torch.FloatTensor.__sub(a, b)
         calls = calls + 1
         return torch.FloatTensor { 42 }
      end
      local ok, err = pcall(function()
         local r = torch.FloatTensor { 5 } - torch.FloatTensor { 2 }
         assert.are.equal(42, r[1])
         assert.are.equal(1, calls)
         -- other classes keep the built-in operator
         assert.are.equal(3, (torch.DoubleTensor { 5 } - torch.DoubleTensor { 2 })[1])
      end)
      torch.FloatTensor.__sub = nil
      assert(ok, err)
      assert.are.equal(3, (torch.FloatTensor { 5 } - torch.FloatTensor { 2 })[1])
   end)
end)

describe('Torch7 suite: logNormal', function()
   it('draws exp of the normal draws with the same mean and std (Torch7 parameters of log x)', function()
      torch.manualSeed(7)
      local a = torch.Tensor(5):normal(1, 0.5):exp()
      torch.manualSeed(7)
      local b = torch.Tensor(5):logNormal(1, 0.5)
      assert.are.same(a:totable(), b:totable())
   end)
end)

describe('Torch7 suite: result-first max/min and addcdiv', function()
   it('res:max(src, dim) fills res with the values and returns new indices', function()
      local src = torch.Tensor { { 3, 3 }, { 2, 7 } }
      local u = torch.Tensor { 1, 5 }
      local v, i = u:max(src, 1)
      assert.are.equal(u, v)
      assert.are.same({ { 3, 7 } }, u:totable())
      assert.are.same({ { 1, 2 } }, i:totable())
      local w = torch.Tensor()
      local v2, i2 = torch.min(w, src, 2)
      assert.are.same({ { 3 }, { 2 } }, w:totable())
      assert.are.same({ { 1 }, { 1 } }, i2:totable())
      assert.has_error(function() torch.max(torch.Tensor { 1 }, torch.Tensor { 2 }) end,
         'torch.max: use torch.cmax to compare two tensors elementwise')
   end)

   it('addcdiv computes (value * t1) / t2 as TH: integer quotients and float rounding follow Torch7', function()
      local a = torch.IntTensor { 0, 0, 10 }
      a:addcdiv(2, torch.IntTensor { 3, 7, 5 }, torch.IntTensor { 2, -2, 4 })
      assert.are.same({ 3, -7, 12 }, a:totable())
      -- 0.1 * 3 / 0.7 and 0.1 * (3 / 0.7) round differently in double
      local x = torch.DoubleTensor { 0 }:addcdiv(0.1, torch.DoubleTensor { 3 }, torch.DoubleTensor { 0.7 })
      assert.are.equal(0.1 * 3 / 0.7, x[1])
   end)
end)

describe('Torch7 suite: writeObject', function()
   local function roundtrip(obj, referenced)
      local f = torch.MemoryFile():binary()
      if referenced ~= nil then f:referenced(referenced) end
      f:writeObject(obj)
      f:seek(1)
      local copy = f:readObject()
      f:close()
      return copy
   end

   it('closures that shared an upvalue still share it after a round trip', function()
      local i, j = 1, 2
      local fns = {
         bump = function() i = i + 1; j = j + 2 end,
         get_i = function() return i end,
         get_j = function() return j end,
      }
      local copy = roundtrip(fns)
      assert.are.same({ 1, 2 }, { copy.get_i(), copy.get_j() })
      copy.bump()
      assert.are.same({ 2, 4 }, { copy.get_i(), copy.get_j() })
      -- the originals are untouched
      assert.are.same({ 1, 2 }, { fns.get_i(), fns.get_j() })
   end)

   it('referenced(false) writes every occurrence in full; the default keeps one shared object', function()
      local t = { 1, 2 }
      local shared = roundtrip({ t, t })
      assert.are.equal(shared[1], shared[2])
      local apart = roundtrip({ t, t }, false)
      assert.are_not.equal(apart[1], apart[2])
      assert.are.same(apart[1], apart[2])
      assert.is_false(torch.MemoryFile():referenced(false):isReferenced())
   end)

   it('an unwritable value is an error naming its path through tables and upvalues', function()
      local builtin = print
      local inner = { baz = function() return builtin end }
      local outer = { theinner = inner }
      local function f() return outer end
      local ok, err = pcall(torch.serialize, f)
      assert.is_false(ok)
      assert.matches('cannot serialise a C or built%-in function %(.*%) at <%?>%.outer%.theinner%.baz%.builtin', err)
   end)

   it('an unwritable field of a class object is left out with a warning', function()
      local ns = {}
      torch.class('T7suiteHolder', ns)
      local obj = ns.T7suiteHolder()
      obj.keep = 5
      obj.ptr = torch.Tensor():cdata()
      assert.are.equal('cdata', type(obj.ptr))
      local copy = roundtrip(obj)
      assert.are.equal(5, copy.keep)
      assert.is_nil(copy.ptr)
      debug.getregistry()['T7suiteHolder'] = nil
   end)
end)

describe('Torch7 suite: torch.Tester messages that test code matches', function()
   it('uses the phrases Torch7 code matches with assertErrorPattern', function()
      local t = torch.Tester()
      assert.has_error(function() t:assertTensorEq(torch.Tensor { 1 }, 2) end)
      local ok, err = pcall(function() t:assertTensorEq(torch.Tensor { 1 }, 2) end)
      assert.matches('Second argument should be a Tensor', err)
      ok, err = pcall(function() t:add({ { function() end } }) end)
      assert.matches('Nested sets', err)
      local f = function() end
      t:add(f, '_setUp')
      ok, err = pcall(function() t:add(f, '_setUp') end)
      assert.matches('Only one', err)
      ok, err = pcall(function() t:assert(true, 'message', 'extra') end)
      assert.is_false(ok)
      assert.matches('Unexpected arguments', err)
   end)
end)

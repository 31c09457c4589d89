-- torch.save/load, serialize/deserialize and the File objects: Torch7's
-- fixture files, round trips in both formats for every dtype, sharing and
-- cycles, atomic saves, and bad files.
require 'nn'
local spec = require 'tests.spec_util'

local T7 = NNLUA_FIXTURES .. '/t7/'
local function tmpname() return os.tmpname() end

local function read_file(p)
   local f = assert(io.open(p, 'rb'))
   local s = f:read('*a')
   f:close()
   return s
end

describe('Torch7 fixture files', function()
   local values = {
      double = { { 1.5, -2.25, 3 }, { 4, 1e-3, -6e10 } },
      long = { { 1, -2, 3 }, { 4, 5, 2 ^ 40 } },
      int = { { 1, -2, 3 }, { 4, 5, 2 ^ 30 } },
      short = { { 1, -2, 3 }, { 4, 5, 300 } },
      char = { { 1, -2, 3 }, { 4, 5, 100 } },
      byte = { { 1, 2, 3 }, { 4, 5, 255 } },
   }
   for _, fmt in ipairs { '', '.ascii' } do
      for name, v in pairs(values) do
         it(name .. '_2x3' .. fmt .. '.t7 loads with its values', function()
            local t = torch.load(T7 .. name .. '_2x3' .. fmt .. '.t7')
            local cls = 'torch.' .. name:sub(1, 1):upper() .. name:sub(2) .. 'Tensor'
            assert.are.equal(cls, torch.type(t))
            assert.are.same(v, t:totable())
         end)
      end
      it('float_2x3' .. fmt .. '.t7 holds floats', function()
         local t = torch.load(T7 .. 'float_2x3' .. fmt .. '.t7')
         assert.are.equal('torch.FloatTensor', torch.type(t))
         assert.is_true(spec.close(t:double(), torch.Tensor(values.double), 0, 1e-7))
      end)
      it('shared references, empty and non-contiguous tensors, storages' .. fmt, function()
         local m = torch.load(T7 .. 'table_mixed' .. fmt .. '.t7')
         assert.are.same({ 1, 'two', true, 'five', 0.1 }, { m.a, m.b, m.c, m[5], m.f })
         assert.are.same({ 1, 2, 3 }, m.d)
         assert.is_true(m.t1 == m.t2)
         assert.is_true(m.v:storage() == m.t1:storage())
         assert.are.same(m.t1:narrow(1, 2, 2):totable(), m.v:totable())
         local e = torch.load(T7 .. 'double_empty' .. fmt .. '.t7')
         assert.are.equal(0, e:dim())
         local nc = torch.load(T7 .. 'double_noncontig' .. fmt .. '.t7')
         assert.are.same({ 3, 2 }, nc:size():totable())
         assert.are.same({ 1, 3 }, nc:stride():totable())
         assert.are.same({ { 1.5, 4 }, { -2.25, 1e-3 }, { 3, -6e10 } }, nc:totable())
         local s = torch.load(T7 .. 'storage_float' .. fmt .. '.t7')
         assert.are.equal('torch.FloatStorage', torch.type(s))
         assert.are.same({ 1, 2, 3 }, s:totable())
         assert.are.same({ 2, 3, 4, 5 }, torch.load(T7 .. 'double_4d' .. fmt .. '.t7'):size():totable())
         local o = torch.load(T7 .. 'optim_state' .. fmt .. '.t7')
         assert.are.same({ 0.1, 0.9, 3, 5 }, { o.learningRate, o.momentum, o.evalCounter, o.dfdx:nElement() })
      end)
      it('model_mlp' .. fmt .. '.t7 (saved by Torch7) reproduces its output', function()
         local d = torch.load(T7 .. 'model_mlp' .. fmt .. '.t7')
         assert.are.equal('nn.Sequential', torch.type(d.model))
         assert.are.equal('nn.Linear(784 -> 50)', tostring(d.model:get(2)))
         assert.is_true(spec.close(d.model:forward(d.input), d.output, 1e-12))
      end)
   end
   for _, name in ipairs { 'model_cnn', 'model_bn' } do
      it(name .. '.t7 reproduces its output', function()
         local need = name == 'model_cnn' and 'SpatialConvolution' or 'SpatialBatchNormalization'
         if not nn[need] then return pending('nn.' .. need .. ' is not implemented yet') end
         local d = torch.load(T7 .. name .. '.t7')
         assert.is_true(spec.close(d.model:forward(d.input), d.output, 1e-10))
      end)
   end
   it('writes bytes identical to Torch7 for the same objects', function()
      for _, n in ipairs { 'double_2x3', 'long_2x3', 'byte_2x3', 'double_empty', 'storage_float' } do
         for _, fmt in ipairs { 'binary', 'ascii' } do
            local file = T7 .. n .. (fmt == 'ascii' and '.ascii' or '') .. '.t7'
            assert.are.equal(read_file(file), torch.serialize(torch.load(file), fmt), file)
         end
      end
   end)
end)

describe('round trips', function()
   for _, fmt in ipairs { 'binary', 'ascii' } do
      it('every dtype, views and nested tables (' .. fmt .. ')', function()
         for _, ty in ipairs { 'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double' } do
            local t = torch[ty .. 'Tensor'](3, 4):copy(torch.range(1, 12):view(3, 4))
            local r = torch.deserialize(torch.serialize(t, fmt), fmt)
            assert.are.equal(torch.type(t), torch.type(r))
            assert.is_true(r:equal(t))
            local v = torch.deserialize(torch.serialize(t:t(), fmt), fmt)
            assert.are.same(t:t():totable(), v:totable())
         end
         local x = torch.randn(4, 5)
         local obj = { x = x, y = x:narrow(1, 2, 2), list = { 1, 'a', false, { deep = true } }, n = -1.25e-300 }
         obj.cycle = obj
         local r = torch.deserialize(torch.serialize(obj, fmt), fmt)
         assert.is_true(r.cycle == r)
         assert.is_true(r.y:storage() == r.x:storage())
         assert.is_true(r.x:equal(x))
         assert.are.same({ 1, 'a', false, { deep = true } }, r.list)
         assert.are.equal(-1.25e-300, r.n)
         local inf = torch.deserialize(torch.serialize(torch.Tensor { 1 / 0, -1 / 0 }, fmt), fmt)
         assert.are.same({ 1 / 0, -1 / 0 }, inf:totable())
      end)
      it('functions with upvalues and nn models (' .. fmt .. ')', function()
         local k = 10
         local f = function(a) return a + k end
         assert.are.equal(15, torch.deserialize(torch.serialize(f, fmt), fmt)(5))
         local m = nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh()):add(nn.Linear(3, 2)):add(nn.LogSoftMax())
         local x = torch.randn(2, 4)
         local r = torch.deserialize(torch.serialize(m, fmt), fmt)
         assert.are.equal(tostring(m), tostring(r))
         assert.is_true(spec.close(r:forward(x), m:forward(x), 1e-15))
      end)
   end
end)

describe('torch.save', function()
   it('saves and loads through a file, choosing the format itself', function()
      local p = tmpname()
      torch.save(p, { a = torch.ones(3) }, 'ascii')
      assert.are.same({ 1, 1, 1 }, torch.load(p).a:totable())
      torch.save(p, { a = torch.zeros(2) })
      assert.are.same({ 0, 0 }, torch.load(p).a:totable())
      os.remove(p)
   end)
   it('keeps the previous file intact when serialisation fails halfway', function()
      local p = tmpname()
      torch.save(p, { 'first' })
      local before = read_file(p)
      local bad = { torch.randn(100), co = coroutine.create(function() end) }
      assert.has_error(function() torch.save(p, bad) end)
      local ok, err = pcall(torch.save, p, bad)
      assert.matches('was not modified', err)
      assert.are.equal(before, read_file(p))
      assert.are.same({ 'first' }, torch.load(p))
      os.remove(p)
   end)
   it('clearState keeps checkpoints small', function()
      local m = nn.Sequential():add(nn.Linear(100, 100)):add(nn.Tanh())
      m:forward(torch.randn(64, 100))
      m:backward(torch.randn(64, 100), torch.randn(64, 100))
      local big = #torch.serialize(m)
      m:clearState()
      local small = #torch.serialize(m)
      assert.is_true(small < big * 0.6, small .. ' vs ' .. big)
   end)
end)

describe('bad files', function()
   local good = torch.serialize({ t = torch.randn(10), s = 'x' })
   local function load_str(s)
      local p = tmpname()
      local f = io.open(p, 'wb')
      f:write(s)
      f:close()
      local ok, err = pcall(torch.load, p, 'binary')
      os.remove(p)
      return ok, err
   end
   it('truncated files name the file and the offset', function()
      for cut = 1, #good - 1, 7 do
         local ok, err = load_str(good:sub(1, cut))
         assert.is_false(ok)
         assert.matches('DiskFile <.*>: .* at byte offset %d+', err)
      end
   end)
   it('huge declared sizes and unknown tags are refused before allocating', function()
      local s = torch.serialize(torch.DoubleStorage(2))
      -- the storage size is the 8 bytes after the class name
      local pos = s:find('torch.DoubleStorage', 1, true) + #'torch.DoubleStorage'
      local huge = s:sub(1, pos - 1) .. '\255\255\255\255\255\255\0\0' .. s:sub(pos + 8)
      local ok, err = load_str(huge)
      assert.is_false(ok)
      assert.matches('does not fit', err)
      ok, err = load_str('\99\0\0\0')
      assert.is_false(ok)
      assert.matches('unknown object type tag 99', err)
   end)
   it('unknown classes are named', function()
      local s = torch.serialize(torch.DoubleStorage(1), 'ascii'):gsub('torch.DoubleStorage', 'torch.NoSuchThing')
      s = s:gsub('\n19\n', '\n17\n')
      local ok, err = pcall(torch.deserialize, s, 'ascii')
      assert.is_false(ok)
      assert.matches('unknown Torch class <torch.NoSuchThing>', err)
   end)
   it('CUDA tensors load as CPU tensors without a GPU', function()
      if package.loaded.cutorch then return pending('cutorch is loaded: CUDA tensors load on the GPU') end
      local s = torch.serialize(torch.FloatTensor { 1, 2, 3 }, 'ascii')
      s = s:gsub('\n17\ntorch.FloatTensor\n', '\n16\ntorch.CudaTensor\n'):gsub('\n18\ntorch.FloatStorage\n', '\n17\ntorch.CudaStorage\n')
      local t = torch.deserialize(s, 'ascii')
      assert.are.equal('torch.FloatTensor', torch.type(t))
      assert.are.same({ 1, 2, 3 }, t:totable())
   end)
   it('a mutation loop never crashes the loader', function()
      math.randomseed(7)
      local bytes = { good:byte(1, -1) }
      for _ = 1, 300 do
         local m = {}
         for i = 1, #bytes do m[i] = bytes[i] end
         for _ = 1, 3 do m[math.random(#m)] = math.random(0, 255) end
         pcall(torch.deserialize, string.char(unpack(m)))
      end
      assert.is_true(true)
   end)
end)

describe('DiskFile and MemoryFile', function()
   it('reads and writes numbers, strings and storages in both modes', function()
      for _, mode in ipairs { 'binary', 'ascii' } do
         local p = tmpname()
         local f = torch.DiskFile(p, 'w')
         f[mode](f)
         f:writeInt(42)
         f:writeDouble(0.1)
         f:writeLong(2 ^ 40)
         f:writeFloat(torch.FloatStorage { 1.5, 2.5 })
         f:writeString('hello')
         f:close()
         local g = torch.DiskFile(p, 'r')
         g[mode](g)
         assert.are.equal(42, g:readInt())
         assert.are.equal(0.1, g:readDouble())
         assert.are.equal(2 ^ 40, g:readLong())
         assert.are.same({ 1.5, 2.5 }, g:readFloat(2):totable())
         assert.are.equal('hello', g:readString('*a'))
         g:close()
         os.remove(p)
      end
      local m = torch.MemoryFile()
      m:binary()
      m:writeObject({ 1, 2 })
      local r = torch.MemoryFile(m:storage(), 'r'):binary()
      assert.are.same({ 1, 2 }, r:readObject())
      assert.has_error(function() torch.DiskFile('/nonexistent/dir/x', 'r') end,
         'torch.DiskFile: cannot open </nonexistent/dir/x> for reading')
   end)
   it('reads files written with 4-byte longs', function()
      local m = torch.MemoryFile():binary():longSize(4)
      m:writeLong(7)
      m:writeLong(-3)
      local r = torch.MemoryFile(m:storage(), 'r'):binary():longSize(4)
      assert.are.equal(7, r:readLong())
      assert.are.equal(-3, r:readLong())
   end)
end)

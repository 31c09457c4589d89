-- Differences from Torch7 found by running the same programs under both:
-- torch.Generator in files (Torch7 writes the raw generator state), NaN in
-- ascii files, CmdLine's usage line. Expected values are Torch7's output.
local torch = require 'torch'

describe('torch.Generator serialisation as Torch7', function()
   it('writes the 5048 raw state bytes after the class name', function()
      local g = torch.Generator()
      torch.manualSeed(g, 3)
      torch.uniform(g)
      local s = torch.serialize(g)
      -- Torch7's file of such a generator has 5082 bytes: tag, index, "V 1",
      -- "torch.Generator", then the state (THGenerator's layout)
      assert.are.equal(5082, #s)
      local state = s:sub(35)
      assert.are.equal(5048, #state)
      -- after one draw: the_initial_seed (8 bytes) = 3, left = 624, seeded = 1, next = 1
      assert.are.same({ 3, 0, 0, 0, 0, 0, 0, 0 }, { state:byte(1, 8) })
      assert.are.same({ 0x70, 0x02, 0, 0, 1, 0, 0, 0, 1, 0 }, { state:byte(9, 18) })
      -- state[0] after seeding with 3, as Torch7's file holds it
      assert.are.same({ 0x92, 0xc2, 0x15, 0x87 }, { state:byte(25, 28) })
   end)

   it('loads back the same stream and initial seed', function()
      local g = torch.Generator()
      torch.manualSeed(g, 3)
      torch.uniform(g)
      local g2 = torch.deserialize(torch.serialize(g))
      assert.are.equal('torch.Generator', torch.type(g2))
      assert.are.equal(3, torch.initialSeed(g2))
      -- Torch7: manualSeed(g, 3), one uniform, save, load, uniform = 0.070724880322814
      local v = torch.uniform(g2)
      assert.is_true(math.abs(v - 0.070724880322814) < 1e-14, tostring(v))
      assert.are.equal(v, torch.uniform(g))
      -- ascii files carry the same bytes
      local g3 = torch.deserialize(torch.serialize(g, 'ascii'), 'ascii')
      assert.are.equal(torch.uniform(g), torch.uniform(g3))
   end)
end)

describe('NaN in ascii files', function()
   it('is written as printf spells it: -nan when its sign bit is set', function()
      local s = torch.serialize(torch.Tensor { 0 / 0, -(0 / 0) }, 'ascii')
      assert.truthy(s:find('\n%-nan nan\n$'), s)     -- Torch7 wrote -nan for 0/0
      local t = torch.deserialize(s, 'ascii')
      assert.is_true(t[1] ~= t[1] and t[2] ~= t[2])
   end)
end)

describe('torch.CmdLine usage line', function()
   it('separates the arguments by spaces and ends at [options] without them', function()
      local function usage(cmd)
         local out = {}
         local w = io.write
         io.write = function(...) for _, s in ipairs { ... } do out[#out + 1] = s end end
         local ok, err = pcall(cmd.help, cmd)
         io.write = w
         assert(ok, err)
         return table.concat(out):match('^[^\n]*')
      end
      local cmd = torch.CmdLine()
      cmd:option('-n', 5, 'number')
      assert.are.equal('Usage: [options]', usage(cmd))          -- Torch7's line
      cmd:argument('-input', 'in')
      cmd:argument('-output', 'out')
      assert.are.equal('Usage: [options] <input> <output>', usage(cmd))
   end)
end)

describe('byte order of binary files as Torch7', function()
   it('bigEndianEncoding writes and reads what Torch7 wrote', function()
      local tmp = os.tmpname()
      local f = torch.DiskFile(tmp, 'w'):binary()
      assert.is_true(f:isLittleEndianCPU())
      assert.is_false(f:isBigEndianCPU())
      f:bigEndianEncoding()
      f:writeInt(258) f:writeDouble(1.5) f:writeShort(-2) f:writeLong(5)
      f:writeObject({ 1, 'x', torch.Tensor { 2.5 } })
      f:close()
      local h = io.open(tmp, 'rb') local s = h:read('*a') h:close()
      -- Torch7's file: 00000102 3ff8000000000000 fffe 0000000000000005, then the object
      assert.are.same({ 0, 0, 1, 2, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0, 0, 0, 0, 0, 0, 5 },
         { s:byte(1, 22) })
      f = torch.DiskFile(tmp, 'r'):binary():bigEndianEncoding()
      assert.are.same({ 258, 1.5, -2, 5 }, { f:readInt(), f:readDouble(), f:readShort(), f:readLong() })
      local o = f:readObject()
      assert.are.same({ 1, 'x', 2.5 }, { o[1], o[2], o[3][1] })
      f:close()
      f = torch.DiskFile(tmp, 'r'):binary():nativeEndianEncoding():noBuffer()
      assert.are.equal(0x02010000, f:readInt())               -- the same bytes read little-endian
      f:close()
      os.remove(tmp)
   end)
end)

describe('reading past the end as Torch7', function()
   local tmp
   before_each(function()
      tmp = os.tmpname()
      local h = io.open(tmp, 'wb') h:write('ab\ncd') h:close()
   end)
   after_each(function() os.remove(tmp) end)

   it("readString('*l') and '*a' with nothing left are errors; quiet files set hasError", function()
      local f = torch.DiskFile(tmp):quiet()
      -- Torch7: ab false / cd false / '' true
      assert.are.same({ 'ab', false }, { f:readString('*l'), f:hasError() })
      assert.are.same({ 'cd', false }, { f:readString('*l'), f:hasError() })
      assert.are.same({ '', true }, { f:readString('*l'), f:hasError() })
      f:clearError()
      assert.are.same({ '', true }, { f:readString('*a'), f:hasError() })
      -- the reading loop of Torch7 programs ends
      local q, n = torch.DiskFile(tmp):quiet(), 0
      while true do
         q:readString('*l')
         if q:hasError() then break end
         n = n + 1
         assert(n < 10, 'the loop did not end')
      end
      assert.are.equal(2, n)
      local k = torch.DiskFile(tmp)
      assert.are.equal('ab\ncd', k:readString('*a'))
      assert.has_error(function() k:readString('*a') end)
   end)

   it('a quiet scalar read past the end gives a number and sets hasError', function()
      local e = torch.DiskFile(tmp):quiet()
      e:seekEnd()
      assert.are.equal(0, e:readInt())
      assert.is_true(e:hasError())
   end)
end)

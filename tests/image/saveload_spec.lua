-- image load/save: PNG round trips exact (byte and float ranges, gray, RGB,
-- RGBA), JPEG within a tolerance, PNG files built here byte by byte (16-bit,
-- palette with transparency, gray + alpha, 1-bit gray) decoded to known
-- values, compress/decompress, PPM/PGM, depth conversion, and the errors for
-- missing, corrupt and truncated files and bad arguments.
require 'image'
local ffi = require 'ffi'
local bit = require 'bit'

local tmpdir = os.tmpname()
os.remove(tmpdir)
os.execute("mkdir -p '" .. tmpdir .. "'")
local function tmp(name) return tmpdir .. '/' .. name end
teardown(function() os.execute("rm -rf '" .. tmpdir .. "'") end)

local function read(p)
   local f = assert(io.open(p, 'rb'))
   local s = f:read('*a')
   f:close()
   return s
end

local function write(p, s)
   local f = assert(io.open(p, 'wb'))
   f:write(s)
   f:close()
end

-- A PNG file from raw scanlines (filter type 0), with a stored (uncompressed)
-- zlib stream: enough to produce every colour type and bit depth.
local crc_table = {}
for n = 0, 255 do
   local c = n
   for _ = 1, 8 do
      if bit.band(c, 1) ~= 0 then c = bit.bxor(0xEDB88320, bit.rshift(c, 1)) else c = bit.rshift(c, 1) end
   end
   crc_table[n] = c
end
local function crc32(s)
   local c = 0xFFFFFFFF
   for i = 1, #s do c = bit.bxor(crc_table[bit.band(bit.bxor(c, s:byte(i)), 0xFF)], bit.rshift(c, 8)) end
   return bit.bnot(c)
end
local function be32(v)
   return string.char(bit.band(bit.rshift(v, 24), 255), bit.band(bit.rshift(v, 16), 255),
      bit.band(bit.rshift(v, 8), 255), bit.band(v, 255))
end
local function chunk(kind, data) return be32(#data) .. kind .. data .. be32(crc32(kind .. data)) end
local function make_png(w, h, depth, ctype, rows, extra)
   local raw = {}
   for _, r in ipairs(rows) do raw[#raw + 1] = '\0' .. r end
   raw = table.concat(raw)
   local a, b = 1, 0
   for i = 1, #raw do
      a = (a + raw:byte(i)) % 65521
      b = (b + a) % 65521
   end
   local n = #raw
   local z = '\120\1' .. '\1' .. string.char(n % 256, math.floor(n / 256), 255 - n % 256, 255 - math.floor(n / 256)) ..
      raw .. be32(b * 65536 + a)
   local ihdr = be32(w) .. be32(h) .. string.char(depth, ctype, 0, 0, 0)
   return '\137PNG\r\n\26\n' .. chunk('IHDR', ihdr) .. (extra or '') .. chunk('IDAT', z) .. chunk('IEND', '')
end

local function img345()
   local t = torch.Tensor(3, 4, 5)
   for c = 1, 3 do for y = 1, 4 do for x = 1, 5 do t[c][y][x] = ((c * 7 + y * 3 + x * 5) % 17) / 16 end end end
   return t
end

describe('image PNG', function()
   it('round-trips a byte image exactly, and loads it as byte, float and double', function()
      local b = torch.ByteTensor(3, 4, 5)
      for i = 0, 59 do b:storage()[i + 1] = (i * 37) % 256 end
      image.save(tmp('b.png'), b)
      assert.are.same(b:totable(), image.load(tmp('b.png'), nil, 'byte'):totable())
      local f = image.load(tmp('b.png'), nil, 'float')
      assert.are.equal('torch.FloatTensor', torch.typename(f))
      assert.is_true(f:double():mul(255):add(-b:double()):abs():max() < 1e-4)
      local d = image.load(tmp('b.png'))
      assert.are.equal(torch.getdefaulttensortype(), torch.typename(d))
      assert.are.equal(b[1][1][2] * (1 / 255), d[1][1][2])
   end)

   it('saves floats clamped to 0..1, times 255, truncated', function()
      local t = torch.Tensor { { { -0.5, 0, 0.1875, 0.5, 1, 1.5 } } }
      image.savePNG(tmp('f.png'), t)
      assert.are.same({ { { 0, 0, 47, 127, 255, 255 } } }, image.loadPNG(tmp('f.png'), nil, 'byte'):totable())
      local img = img345()
      local copy = img:clone()
      image.save(tmp('g.png'), img)
      assert.are.same(copy:totable(), img:totable())   -- the argument is left as it was
      local back = image.load(tmp('g.png'), nil, 'byte')
      assert.are.same(img:clone():mul(255):floor():byte():totable(), back:totable())
   end)

   it('keeps 1 (gray), 2 (gray + alpha), 3 and 4 (RGBA) channels, and 2-D tensors as gray', function()
      for _, c in ipairs { 1, 2, 3, 4 } do
         local b = torch.ByteTensor(c, 3, 2):random(0, 255)
         image.save(tmp('c' .. c .. '.png'), b)
         assert.are.same(b:totable(), image.load(tmp('c' .. c .. '.png'), nil, 'byte'):totable())
      end
      local g = torch.ByteTensor(2, 3):random(0, 255)
      image.save(tmp('g2.png'), g)
      assert.are.same({ g:totable() }, image.load(tmp('g2.png'), nil, 'byte'):totable())
   end)

   it('takes non-contiguous tensors (a transposed and a narrowed view)', function()
      local b = torch.ByteTensor(3, 5, 4):random(0, 255)
      local v = b:transpose(2, 3)
      image.save(tmp('t.png'), v)
      assert.are.same(v:contiguous():totable(), image.load(tmp('t.png'), nil, 'byte'):totable())
      local n = b:narrow(3, 2, 2)
      image.save(tmp('n.png'), n)
      assert.are.same(n:contiguous():totable(), image.load(tmp('n.png'), nil, 'byte'):totable())
   end)

   it('converts depth on load: 1 = luminance of RGB (HxW), 3 = gray repeated, alpha dropped', function()
      local b = torch.ByteTensor { { { 255, 0 } }, { { 0, 255 } }, { { 0, 0 } }, { { 128, 9 } } }
      image.save(tmp('rgba.png'), b)
      local y = image.load(tmp('rgba.png'), 1)
      assert.are.same({ 1, 2 }, y:size():totable())
      assert.is_true(math.abs(y[1][1] - 0.299) < 1e-12)
      assert.is_true(math.abs(y[1][2] - 0.587) < 1e-12)
      local ga = torch.ByteTensor { { { 7, 8 } }, { { 200, 100 } } }
      image.save(tmp('ga2.png'), ga)
      assert.are.same({ { { 7, 8 } } }, image.load(tmp('ga2.png'), 1, 'byte'):totable())
      local rgb = image.load(tmp('rgba.png'), 3, 'byte')
      assert.are.same(b:narrow(1, 1, 3):totable(), rgb:totable())
      local g = torch.ByteTensor { { { 10, 200 } } }
      image.save(tmp('gray.png'), g)
      assert.are.same({ { { 10, 200 } }, { { 10, 200 } }, { { 10, 200 } } }, image.load(tmp('gray.png'), 3, 'byte'):totable())
   end)

   it('decodes 16-bit gray and RGB as value / 65535 (byte: the high byte)', function()
      write(tmp('g16.png'), make_png(1, 2, 16, 0, { '\0\0', '\255\255' }))
      local t = image.load(tmp('g16.png'))
      assert.are.same({ 1, 2, 1 }, t:size():totable())
      assert.are.same({ { { 0 }, { 1 } } }, t:totable())
      write(tmp('rgb16.png'), make_png(2, 1, 16, 2, { '\255\255\0\0\0\0' .. '\128\0\64\0\0\1' }))
      local r = image.load(tmp('rgb16.png'))
      assert.are.same({ 3, 1, 2 }, r:size():totable())
      assert.is_true(math.abs(r[1][1][2] - 32768 / 65535) < 1e-15)
      assert.is_true(math.abs(r[2][1][2] - 16384 / 65535) < 1e-15)
      assert.is_true(math.abs(r[3][1][2] - 1 / 65535) < 1e-15)
      assert.are.same({ { { 255, 128 } }, { { 0, 64 } }, { { 0, 0 } } }, image.load(tmp('rgb16.png'), nil, 'byte'):totable())
   end)

   it('expands palettes (with transparency: RGBA), 1-bit gray, and keeps gray + alpha', function()
      local plte = chunk('PLTE', '\255\0\0' .. '\0\0\255')
      write(tmp('pal.png'), make_png(2, 1, 8, 3, { '\1\0' }, plte))
      assert.are.same({ { { 0, 255 } }, { { 0, 0 } }, { { 255, 0 } } }, image.load(tmp('pal.png'), nil, 'byte'):totable())
      write(tmp('palt.png'), make_png(2, 1, 8, 3, { '\1\0' }, plte .. chunk('tRNS', '\77')))
      assert.are.same({ { { 0, 255 } }, { { 0, 0 } }, { { 255, 0 } }, { { 255, 77 } } },
         image.load(tmp('palt.png'), nil, 'byte'):totable())
      write(tmp('bw.png'), make_png(3, 1, 1, 0, { '\160' }))   -- bits 1 0 1
      assert.are.same({ { { 255, 0, 255 } } }, image.load(tmp('bw.png'), nil, 'byte'):totable())
      write(tmp('ga.png'), make_png(1, 1, 8, 4, { '\20\30' }))
      assert.are.same({ { { 20 } }, { { 30 } } }, image.load(tmp('ga.png'), nil, 'byte'):totable())
   end)

   it('compressPNG gives the file bytes and decompressPNG / decompress read them back', function()
      local b = torch.ByteTensor(3, 6, 7):random(0, 255)
      local bytes = image.compressPNG(b)
      assert.are.equal('torch.ByteTensor', torch.typename(bytes))
      assert.are.same({ 0x89, 0x50, 0x4E, 0x47 }, bytes:narrow(1, 1, 4):totable())
      assert.are.same(b:totable(), image.decompressPNG(bytes, nil, 'byte'):totable())
      assert.are.same(b:totable(), image.decompress(bytes, nil, 'byte'):totable())
      image.save(tmp('cmp.png'), b)
      assert.are.equal(read(tmp('cmp.png')), ffi.string(bytes:data(), bytes:nElement()))
   end)
end)

describe('image JPEG', function()
   it('round-trips within a tolerance at quality 75 and 100', function()
      local t = torch.Tensor(3, 16, 16)
      for c = 1, 3 do for y = 1, 16 do for x = 1, 16 do t[c][y][x] = (c * 40 + y * 6 + x * 5) / 400 end end end
      image.save(tmp('a.jpg'), t)
      local back = image.load(tmp('a.jpg'))
      assert.are.same({ 3, 16, 16 }, back:size():totable())
      assert.is_true((back - t):abs():max() < 0.05)
      image.saveJPG(tmp('q.jpg'), t, 100)
      assert.is_true((image.loadJPG(tmp('q.jpg')) - t):abs():mean() < 0.01)
      assert.is_true(#read(tmp('q.jpg')) > #read(tmp('a.jpg')))
   end)

   it('keeps gray images gray, byte range for byte', function()
      local g = torch.ByteTensor(1, 8, 8):fill(100)
      image.save(tmp('g.jpg'), g)
      local back = image.load(tmp('g.jpg'), nil, 'byte')
      assert.are.same({ 1, 8, 8 }, back:size():totable())
      assert.is_true((back:double() - 100):abs():max() <= 1)
   end)

   it('compressJPG / decompressJPG / decompress, with quality', function()
      local t = torch.Tensor(3, 8, 8)
      for c = 1, 3 do for y = 1, 8 do for x = 1, 8 do t[c][y][x] = (c * 40 + y * 6 + x * 5) / 400 end end end
      local lo, hi = image.compressJPG(t, 10), image.compressJPG(t, 95)
      assert.are.same({ 0xFF, 0xD8, 0xFF }, hi:narrow(1, 1, 3):totable())
      assert.is_true(lo:nElement() < hi:nElement())
      local d = image.decompressJPG(hi)
      assert.are.same({ 3, 8, 8 }, d:size():totable())
      assert.is_true((d - t):abs():max() < 0.05)
      assert.are.same(d:totable(), image.decompress(hi):totable())
   end)
end)

describe('image PPM/PGM', function()
   it('round-trips P6 and P5 exactly and reads ASCII P3/P2 with any maxval', function()
      local b = torch.ByteTensor(3, 2, 3):random(0, 255)
      image.save(tmp('x.ppm'), b)
      assert.are.same(b:totable(), image.load(tmp('x.ppm'), nil, 'byte'):totable())
      assert.are.same(b:totable(), image.loadPPM(tmp('x.ppm'), nil, 'byte'):totable())
      image.savePGM(tmp('x.pgm'), b[2])
      assert.are.same({ b[2]:totable() }, image.load(tmp('x.pgm'), nil, 'byte'):totable())
      write(tmp('a.pgm'), 'P2\n# comment\n3 1\n15\n0 5 15\n')
      assert.are.same({ { { 0, 1 / 3, 1 } } }, image.load(tmp('a.pgm')):totable())
      write(tmp('a.ppm'), 'P3\n1 1 255\n255 0 51\n')
      assert.are.same({ { { 255 } }, { { 0 } }, { { 51 } } }, image.load(tmp('a.ppm'), nil, 'byte'):totable())
   end)

   it('says what savePPM and savePGM expect', function()
      assert.has_error(function() image.savePPM(tmp('y.ppm'), torch.Tensor(1, 2, 2)) end,
         'image.savePPM: expected a 3xHxW image, got a tensor of size 1x2x2')
      assert.has_error(function() image.savePGM(tmp('y.pgm'), torch.Tensor(3, 2, 2)) end,
         'image.savePGM: expected 1 to 1 channels, got a tensor of size 3x2x2')
   end)
end)

describe('image load/save errors', function()
   it('names the function and the path of a missing file', function()
      local ok, err = pcall(image.load, tmp('none.png'))
      assert.is_false(ok)
      assert.is_truthy(err:find('image.load: cannot open ' .. tmp('none.png'), 1, true))
      ok, err = pcall(image.loadJPG, tmp('none.jpg'))
      assert.is_truthy(err:find('image.loadJPG: cannot open ' .. tmp('none.jpg'), 1, true))
   end)

   it('reports corrupt and truncated files with the path, raised at the caller', function()
      local png = ffi.string(image.compressPNG(torch.ByteTensor(3, 20, 20):random(0, 255)):data(), 50)
      write(tmp('trunc.png'), png)
      local ok, err = pcall(image.load, tmp('trunc.png'))
      assert.is_false(ok)
      assert.is_truthy(err:find('image.loadPNG: ' .. tmp('trunc.png') .. ': ', 1, true))
      local jb = image.compressJPG(torch.Tensor(3, 32, 32):uniform())
      write(tmp('trunc.jpg'), ffi.string(jb:data(), jb:nElement() / 2))
      ok, err = pcall(image.load, tmp('trunc.jpg'))
      assert.is_false(ok)
      assert.is_truthy(err:find('image.loadJPG: ' .. tmp('trunc.jpg') .. ': ', 1, true))
      write(tmp('bad.png'), '\137PNG\r\n\26\n' .. chunk('IHDR', be32(0) .. be32(5) .. '\8\2\0\0\0'))
      ok, err = pcall(image.loadPNG, tmp('bad.png'))
      assert.is_false(ok)
      assert.is_truthy(err:find('image.loadPNG: ' .. tmp('bad.png'), 1, true))
      os.execute("mkdir -p '" .. tmp('dir.png') .. "'")
      ok, err = pcall(image.load, tmp('dir.png'))
      assert.is_false(ok)
      assert.is_truthy(err:find('image.loadPNG: cannot read ' .. tmp('dir.png'), 1, true))
      write(tmp('junk.jpg'), 'not an image at all')
      ok, err = pcall(image.loadJPG, tmp('junk.jpg'))
      assert.is_truthy(err:find('not a JPEG file', 1, true))
      -- the error points at this file (the caller's line), not at lua/image
      assert.is_truthy(err:find('saveload_spec.lua:', 1, true))
   end)

   it('rejects bad arguments with clear messages', function()
      assert.has_error(function() image.load(tmp('x.ppm'), 2) end, 'image.loadPPM: depth must be 1 or 3, got 2')
      assert.has_error(function() image.load(tmp('x.ppm'), nil, 'int') end,
         "image.loadPPM: tensortype must be 'float', 'double' or 'byte', got int")
      assert.has_error(function() image.save(tmp('x.gif'), torch.Tensor(3, 2, 2)) end,
         'image.save: unknown image type: gif (' .. tmp('x.gif') .. '; use .png, .jpg, .ppm or .pgm)')
      assert.has_error(function() image.save(tmp('x.png'), torch.Tensor(5, 2, 2)) end,
         'image.savePNG: expected 1 to 4 channels, got a tensor of size 5x2x2')
      assert.has_error(function() image.save(tmp('x.png'), torch.Tensor(2, 2, 2, 2)) end,
         'image.savePNG: tensor must be a non-empty 2D (HxW) or 3D (CxHxW) tensor, got 4D tensor of size 2x2x2x2')
      assert.has_error(function() image.saveJPG(tmp('x.jpg'), torch.Tensor(2, 2, 2)) end,
         'image.saveJPG: JPEG takes 1 or 3 channels, got a tensor of size 2x2x2')
      assert.has_error(function() image.compressJPG(torch.Tensor(3, 2, 2), 101) end,
         'image.compressJPG: quality must be a number within 0..100, got 101')
      assert.has_error(function() image.decompressPNG(torch.FloatTensor(4)) end,
         'image.decompressPNG: expected a ByteTensor of file bytes, got torch.FloatTensor')
      assert.has_error(function() image.decompress(torch.ByteTensor { 1, 2, 3, 4 }) end,
         'image.decompress: input must be PNG or JPEG bytes')
      write(tmp('noext'), 'abcd')
      assert.has_error(function() image.load(tmp('noext')) end,
         'image.load: unable to determine image type for file: ' .. tmp('noext'))
   end)
end)

-- optim.png: a tiny RGB canvas (lines, markers, 5x7 text) and a PNG
-- encoder (zlib's compress2 and crc32 through the FFI), enough for
-- optim.Logger:plot() to draw its curves without gnuplot; png.fromTensor
-- makes a canvas of an image tensor (itorch.image) and png.decode reads
-- back what encode() writes (specs check pixels with it).
local ffi = require 'ffi'
local torch = require 'torch'
local raise = torch._core.raise

local reg = debug.getregistry()
if not reg.nnlua_png_cdef then
   ffi.cdef [[
      unsigned long compressBound(unsigned long sourceLen);
      int compress2(uint8_t *dest, unsigned long *destLen, const uint8_t *source, unsigned long sourceLen, int level);
      unsigned long crc32(unsigned long crc, const uint8_t *buf, unsigned int len);
   ]]
   reg.nnlua_png_cdef = true
end
if not reg.nnlua_png_cdef2 then
   pcall(ffi.cdef, 'int uncompress(uint8_t *dest, unsigned long *destLen, const uint8_t *source, unsigned long sourceLen);')
   reg.nnlua_png_cdef2 = true
end

local zlib
local function z()
   if not zlib then
      local ok, lib = pcall(ffi.load, 'z')
      if not ok then ok, lib = pcall(ffi.load, 'libz.so.1') end
      if not ok then raise('optim.Logger: cannot load zlib (install zlib1g): ' .. tostring(lib)) end
      zlib = lib
   end
   return zlib
end

local png = {}

-- 5x7 glyphs, one hex byte per row (bit 4 = leftmost column); lower case
-- letters are drawn as upper case.
local glyphs = {
   ['0'] = '0E1113151911 0E', ['1'] = '040C040404040E', ['2'] = '0E110102040 81F', ['3'] = '1F020402011 10E',
   ['4'] = '02060A121F0202', ['5'] = '1F101E0101110E', ['6'] = '0608101E11110E', ['7'] = '1F010204080808',
   ['8'] = '0E11110E11110E', ['9'] = '0E11110F01020C', A = '0E1111111F1111', B = '1E11111E11111E',
   C = '0E111010101 10E', D = '1C121111111 21C', E = '1F10101E10101F', F = '1F10101E101010',
   G = '0E111017111 10F', H = '1111111F111111', I = '0E04040404040E', J = '07020202021 20C',
   K = '11121418141211', L = '1010101010101F', M = '111B1515111111', N = '11111915131111',
   O = '0E11111111110E', P = '1E11111E101010', Q = '0E11111115120D', R = '1E11111E141211',
   S = '0F10100E01011E', T = '1F040404040404', U = '1111111111110E', V = '11111111110A04',
   W = '1111111515150A', X = '11110A040A1111', Y = '1111110A040404', Z = '1F01020408101F',
   ['.'] = '00000000000C0C', ['-'] = '0000001F000000', ['+'] = '0004041F040400', [':'] = '000C0C000C0C00',
   ['<'] = '02040810080402', ['>'] = '08040201020408', ['_'] = '0000000000001F', ['/'] = '00010204081000',
   ['('] = '02040808080402', [')'] = '08040202020408', ['%'] = '18190204081303', ['='] = '00001F001F0000',
   [','] = '00000000 0C0408', [' '] = '00000000000000', ['#'] = '0A0A1F0A1F0A0A', ['*'] = '00150E1F0E1500',
}
for k, v in pairs(glyphs) do
   local s = v:gsub(' ', '')
   local rows = {}
   for i = 1, 7 do rows[i] = tonumber(s:sub(2 * i - 1, 2 * i), 16) end
   glyphs[k] = rows
end

local Canvas = {}
Canvas.__index = Canvas

-- png.canvas(w, h [, {r,g,b} background])
function png.canvas(w, h, bg)
   bg = bg or { 255, 255, 255 }
   local c = setmetatable({ w = w, h = h, pix = ffi.new('uint8_t[?]', w * h * 3) }, Canvas)
   for i = 0, w * h - 1 do
      c.pix[3 * i], c.pix[3 * i + 1], c.pix[3 * i + 2] = bg[1], bg[2], bg[3]
   end
   return c
end

function Canvas:set(x, y, col)
   x, y = math.floor(x + 0.5), math.floor(y + 0.5)
   if x < 0 or y < 0 or x >= self.w or y >= self.h then return end
   local o = 3 * (y * self.w + x)
   self.pix[o], self.pix[o + 1], self.pix[o + 2] = col[1], col[2], col[3]
end

function Canvas:get(x, y)
   local o = 3 * (y * self.w + x)
   return self.pix[o], self.pix[o + 1], self.pix[o + 2]
end

-- a w x w square centred on (x, y)
function Canvas:dot(x, y, col, w)
   w = w or 1
   local h = (w - 1) / 2
   for dy = -h, h do for dx = -h, h do self:set(x + dx, y + dy, col) end end
end

-- Bresenham's line from (x0, y0) to (x1, y1), w pixels wide
function Canvas:line(x0, y0, x1, y1, col, w)
   x0, y0, x1, y1 = math.floor(x0 + 0.5), math.floor(y0 + 0.5), math.floor(x1 + 0.5), math.floor(y1 + 0.5)
   local dx, dy = math.abs(x1 - x0), -math.abs(y1 - y0)
   local sx, sy = x0 < x1 and 1 or -1, y0 < y1 and 1 or -1
   local err = dx + dy
   while true do
      self:dot(x0, y0, col, w)
      if x0 == x1 and y0 == y1 then break end
      local e2 = 2 * err
      if e2 >= dy then err = err + dy; x0 = x0 + sx end
      if e2 <= dx then err = err + dx; y0 = y0 + sy end
   end
end

function Canvas:fill(x0, y0, x1, y1, col)
   for y = math.floor(y0), math.floor(y1) do
      for x = math.floor(x0), math.floor(x1) do self:set(x, y, col) end
   end
end

function Canvas:rect(x0, y0, x1, y1, col)
   self:line(x0, y0, x1, y0, col)
   self:line(x1, y0, x1, y1, col)
   self:line(x1, y1, x0, y1, col)
   self:line(x0, y1, x0, y0, col)
end

-- text with its top-left corner at (x, y); returns its width in pixels
function Canvas:text(x, y, s, col)
   s = tostring(s)
   for i = 1, #s do
      local g = glyphs[s:sub(i, i):upper()] or glyphs['#']
      for r = 1, 7 do
         local bits = g[r]
         for cidx = 0, 4 do
            if bit.band(bits, bit.lshift(1, 4 - cidx)) ~= 0 then self:set(x + 6 * (i - 1) + cidx, y + r - 1, col) end
         end
      end
   end
   return 6 * #s
end
png.text_width = function(s) return 6 * #tostring(s) end

local function be32(n)
   return string.char(bit.band(bit.rshift(n, 24), 255), bit.band(bit.rshift(n, 16), 255),
      bit.band(bit.rshift(n, 8), 255), bit.band(n, 255))
end

local function chunk(kind, data)
   local buf = kind .. data
   local crc = z().crc32(0, ffi.cast('const uint8_t *', buf), #buf)
   return be32(#data) .. buf .. be32(tonumber(crc))
end

-- The PNG bytes of the canvas (8-bit RGB, filter 0 on every row).
function Canvas:encode()
   local w, h = self.w, self.h
   local rowlen = 3 * w + 1
   local raw = ffi.new('uint8_t[?]', rowlen * h)
   for y = 0, h - 1 do
      raw[y * rowlen] = 0
      ffi.copy(raw + y * rowlen + 1, self.pix + 3 * w * y, 3 * w)
   end
   local lib = z()
   local bound = lib.compressBound(rowlen * h)
   local out = ffi.new('uint8_t[?]', bound)
   local outlen = ffi.new('unsigned long[1]', bound)
   if lib.compress2(out, outlen, raw, rowlen * h, 6) ~= 0 then raise('optim.Logger: zlib compress2 failed') end
   local ihdr = be32(w) .. be32(h) .. string.char(8, 2, 0, 0, 0)
   return '\137PNG\r\n\26\n' .. chunk('IHDR', ihdr) .. chunk('IDAT', ffi.string(out, outlen[0])) .. chunk('IEND', '')
end

-- A canvas holding an image tensor: HxW (grey) or CxHxW with C = 1 (grey),
-- 3 (RGB) or 4 (RGBA, alpha dropped); a ByteTensor holds 0..255, any other
-- type 0..1 (values outside are clamped), as image.save reads them.
function png.fromTensor(t)
   if not torch.isTensor(t) then raise('png.fromTensor: expected an image tensor, got ' .. torch.type(t)) end
   local x = t
   if x:dim() == 2 then x = x:view(1, x:size(1), x:size(2)) end
   if x:dim() ~= 3 or (x:size(1) ~= 1 and x:size(1) ~= 3 and x:size(1) ~= 4) then
      raise('png.fromTensor: expected an image HxW or CxHxW with C = 1, 3 or 4, got a tensor of size '
         .. table.concat(t:size():totable(), 'x'))
   end
   local h, w = x:size(2), x:size(3)
   if x:size(1) == 4 then x = x:narrow(1, 1, 3) end
   if x:size(1) == 1 then x = x:expand(3, h, w) end
   local b
   if torch.type(x) == 'torch.ByteTensor' then
      b = x:permute(2, 3, 1):contiguous()
   else
      local d = torch.DoubleTensor():resize(3, h, w):copy(x)
      d:mul(255):clamp(0, 255):add(0.5):floor()
      b = torch.ByteTensor():resize(h, w, 3):copy(d:permute(2, 3, 1))
   end
   local c = setmetatable({ w = w, h = h, pix = ffi.new('uint8_t[?]', w * h * 3) }, Canvas)
   ffi.copy(c.pix, b:data(), w * h * 3)
   return c
end

-- width, height and a canvas from PNG bytes that encode() wrote (8-bit
-- RGB, filter 0 on every row); nil and a reason for anything else.
function png.decode(s)
   if type(s) ~= 'string' or s:sub(1, 8) ~= '\137PNG\r\n\26\n' then return nil, 'not a PNG' end
   local pos, w, h, idat = 9, nil, nil, {}
   local function u32(i)
      local a, b, c, d = s:byte(i, i + 3)
      return ((a * 256 + b) * 256 + c) * 256 + d
   end
   while pos + 8 <= #s do
      local len, kind = u32(pos), s:sub(pos + 4, pos + 7)
      local data = s:sub(pos + 8, pos + 7 + len)
      if kind == 'IHDR' then
         w, h = u32(pos + 8), u32(pos + 12)
         if data:byte(9) ~= 8 or data:byte(10) ~= 2 or data:byte(13) ~= 0 then return nil, 'not 8-bit RGB' end
      elseif kind == 'IDAT' then
         idat[#idat + 1] = data
      end
      pos = pos + 12 + len
   end
   if not w then return nil, 'no IHDR' end
   local rowlen = 3 * w + 1
   local raw = ffi.new('uint8_t[?]', rowlen * h)
   local rawlen = ffi.new('unsigned long[1]', rowlen * h)
   local z_in = table.concat(idat)
   if z().uncompress(raw, rawlen, ffi.cast('const uint8_t *', z_in), #z_in) ~= 0 then return nil, 'bad zlib data' end
   local c = png.canvas(w, h)
   for y = 0, h - 1 do
      if raw[y * rowlen] ~= 0 then return nil, 'a filter other than 0' end
      ffi.copy(c.pix + 3 * w * y, raw + y * rowlen + 1, 3 * w)
   end
   return w, h, c
end

function Canvas:save(path)
   local f, err = io.open(path, 'wb')
   if not f then raise('optim.Logger: cannot write ' .. path .. ': ' .. tostring(err)) end
   f:write(self:encode())
   f:close()
   return path
end

return png

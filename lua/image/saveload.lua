-- image load/save: PNG and JPEG through libnnlua_image (codec.c), PPM/PGM
-- in Lua. Tensors are channel-first (1xHxW, 3xHxW, 4xHxW with alpha) with
-- Torch7's value ranges: float and double 0..1 (samples / 255, or / 65535
-- for 16-bit PNGs), byte 0..255. Without a type, the default tensor type.
local ffi = require 'ffi'
local torch = require 'torch'
local I = require 'image.ffi'

return function(image)
   local raise = I.raise

   local types = { float = 'torch.FloatTensor', double = 'torch.DoubleTensor', byte = 'torch.ByteTensor' }

   local function target(fname, tensortype)
      if tensortype == nil then return torch.getdefaulttensortype() end
      local t = types[tensortype]
      if not t then
         raise(string.format("%s: tensortype must be 'float', 'double' or 'byte', got %s", fname, tostring(tensortype)))
      end
      return t
   end

   local function check_depth(fname, depth)
      if depth ~= nil and depth ~= 1 and depth ~= 3 then
         raise(string.format('%s: depth must be 1 or 3, got %s', fname, tostring(depth)))
      end
   end

   -- Torch7's channel conversion on load: depth 1 takes the luminance of
   -- RGB(A) (as HxW, as Torch7 returns it) or the gray of gray+alpha
   -- (1xHxW); depth 3 repeats gray or drops alpha
   local function todepth(fname, img, depth)
      local c = img:size(1)
      if depth == 1 then
         if c == 3 or c == 4 then
            img = image.rgb2y(img:narrow(1, 1, 3))[1]
         elseif c == 2 then
            img = img:narrow(1, 1, 1)
         end
      elseif depth == 3 then
         if c == 1 or c == 2 then
            local rgb = img.new(3, img:size(2), img:size(3))
            for k = 1, 3 do rgb[k]:copy(img[1]) end
            img = rgb
         elseif c == 4 then
            img = img:narrow(1, 1, 3)
         end
      end
      return img
   end

   -- planar bytes (and 16-bit samples) from C into a tensor of typename
   local function to_tensor(p8, p16, c, h, w, typename)
      local n = c * h * w
      local img
      if p16 ~= nil and typename ~= 'torch.ByteTensor' then
         img = torch.Tensor():type(typename):resize(c, h, w)
         local d = img:data()
         for i = 0, n - 1 do d[i] = p16[i] end
         img:mul(1 / 65535)
      else
         local b = torch.ByteTensor(c, h, w)
         ffi.copy(b:data(), p8, n)
         if typename == 'torch.ByteTensor' then return b end
         img = b:type(typename):mul(1 / 255)
      end
      return img
   end

   local function decode(fname, kind, bytes, n, what, depth, tensortype)
      check_depth(fname, depth)
      local typename = target(fname, tensortype)
      local lib = I.lib(fname)
      local p8 = ffi.new('uint8_t*[1]')
      local c, h, w = ffi.new('int[1]'), ffi.new('int[1]'), ffi.new('int[1]')
      local img
      if kind == 'png' then
         local p16, bd = ffi.new('uint16_t*[1]'), ffi.new('int[1]')
         I.check(fname, lib.nl_image_png_decode(bytes, n, p8, p16, c, h, w, bd), what)
         local ok, res = pcall(to_tensor, p8[0], p16[0] ~= nil and p16[0] or nil, c[0], h[0], w[0], typename)
         lib.nl_image_free(p8[0])
         lib.nl_image_free(p16[0])
         if not ok then error(res, 0) end
         img = res
      else
         I.check(fname, lib.nl_image_jpeg_decode(bytes, n, p8, c, h, w), what)
         local ok, res = pcall(to_tensor, p8[0], nil, c[0], h[0], w[0], typename)
         lib.nl_image_free(p8[0])
         if not ok then error(res, 0) end
         img = res
      end
      return todepth(fname, img, depth)
   end

   local function read_file(fname, path)
      if type(path) ~= 'string' then
         raise(string.format('%s: expected a file name (string), got %s', fname, torch.type(path)))
      end
      local f, err = io.open(path, 'rb')
      if not f then raise(string.format('%s: cannot open %s (%s)', fname, path, err)) end
      local s, rerr = f:read('*a')
      f:close()
      if not s then raise(string.format('%s: cannot read %s (%s)', fname, path, tostring(rerr))) end
      return s
   end

   local function write_file(fname, path, p, n)
      local f, err = io.open(path, 'wb')
      if not f then raise(string.format('%s: cannot write %s (%s)', fname, path, err)) end
      f:write(ffi.string(p, n))
      f:close()
   end

   local function bytes_of(fname, t)
      if torch.typename(t) ~= 'torch.ByteTensor' then
         raise(string.format('%s: expected a ByteTensor of file bytes, got %s', fname, torch.type(t)))
      end
      t = t:contiguous()
      return t, t:data(), t:nElement()
   end

   function image.loadPNG(path, depth, tensortype)
      local s = read_file('image.loadPNG', path)
      return decode('image.loadPNG', 'png', s, #s, path, depth, tensortype)
   end

   function image.loadJPG(path, depth, tensortype)
      local s = read_file('image.loadJPG', path)
      return decode('image.loadJPG', 'jpg', s, #s, path, depth, tensortype)
   end

   function image.decompressPNG(t, depth, tensortype)
      local keep, p, n = bytes_of('image.decompressPNG', t)
      local r = decode('image.decompressPNG', 'png', p, n, nil, depth, tensortype)
      keep = nil
      return r
   end

   function image.decompressJPG(t, depth, tensortype)
      local keep, p, n = bytes_of('image.decompressJPG', t)
      local r = decode('image.decompressJPG', 'jpg', p, n, nil, depth, tensortype)
      keep = nil
      return r
   end

   function image.decompress(t, depth, tensortype)
      local _, p, n = bytes_of('image.decompress', t)
      if n >= 3 and p[0] == 0xFF and p[1] == 0xD8 and p[2] == 0xFF then
         return image.decompressJPG(t, depth, tensortype)
      elseif n >= 4 and p[0] == 0x89 and p[1] == 0x50 and p[2] == 0x4E and p[3] == 0x47 then
         return image.decompressPNG(t, depth, tensortype)
      end
      raise('image.decompress: input must be PNG or JPEG bytes')
   end

   -- Torch7's saving conversion: byte tensors as they are; others clamped
   -- to 0..1, times 255, truncated
   local function to_bytes(fname, t, maxc)
      I.check_image(fname, t, 'tensor')
      local c = t:dim() == 3 and t:size(1) or 1
      if c > maxc then
         raise(string.format('%s: expected 1 to %d channels, got a tensor of size %s', fname, maxc, I.shape(t)))
      end
      local b
      if torch.typename(t) == 'torch.ByteTensor' then
         b = t:contiguous()
      else
         b = torch.DoubleTensor(t:size()):copy(t):clamp(0, 1):mul(255):byte()
      end
      if b:dim() == 2 then b = b:view(1, b:size(1), b:size(2)) end
      return b
   end

   local function encode(fname, kind, t, quality)
      local lib = I.lib(fname)
      local b = to_bytes(fname, t, kind == 'png' and 4 or 3)
      local c, h, w = b:size(1), b:size(2), b:size(3)
      local out, len = ffi.new('uint8_t*[1]'), ffi.new('size_t[1]')
      local rc
      if kind == 'png' then
         rc = lib.nl_image_png_encode(b:data(), c, h, w, out, len)
      else
         if c == 2 then raise(fname .. ': JPEG takes 1 or 3 channels, got a tensor of size ' .. I.shape(t)) end
         rc = lib.nl_image_jpeg_encode(b:data(), c, h, w, quality, out, len)
      end
      I.check(fname, rc)
      return out[0], tonumber(len[0]), lib
   end

   local function check_quality(fname, q)
      if q == nil then return 75 end
      if type(q) ~= 'number' or q < 0 or q > 100 then
         raise(string.format('%s: quality must be a number within 0..100, got %s', fname, tostring(q)))
      end
      return math.floor(q)
   end

   local function save_with(fname, kind, path, t, quality)
      if type(path) ~= 'string' then raise(fname .. ': expected a file name (string), got ' .. torch.type(path)) end
      local p, n, lib = encode(fname, kind, t, quality)
      local ok, err = pcall(write_file, fname, path, p, n)
      lib.nl_image_free(p)
      if not ok then error(err, 0) end
   end

   function image.savePNG(path, t)
      save_with('image.savePNG', 'png', path, t)
   end

   function image.saveJPG(path, t, quality)
      save_with('image.saveJPG', 'jpg', path, t, check_quality('image.saveJPG', quality))
   end

   local function compress_with(fname, kind, t, quality)
      local p, n, lib = encode(fname, kind, t, quality)
      local r = torch.ByteTensor(n)
      ffi.copy(r:data(), p, n)
      lib.nl_image_free(p)
      return r
   end

   function image.compressPNG(t)
      return compress_with('image.compressPNG', 'png', t)
   end

   function image.compressJPG(t, quality)
      return compress_with('image.compressJPG', 'jpg', t, check_quality('image.compressJPG', quality))
   end

   ---- PPM / PGM (netpbm P2, P3, P5, P6) ----

   local function parse_pnm(fname, path, s)
      local pos = 1
      local function token()
         while true do
            local a, b = s:find('^%s+', pos)
            if a then pos = b + 1 end
            if s:sub(pos, pos) == '#' then
               local e = s:find('\n', pos, true) or #s
               pos = e + 1
            else
               break
            end
         end
         local a, b = s:find('^%S+', pos)
         if not a then raise(string.format('%s: %s: truncated header', fname, path)) end
         pos = b + 1
         return s:sub(a, b)
      end
      local magic = token()
      if magic ~= 'P2' and magic ~= 'P3' and magic ~= 'P5' and magic ~= 'P6' then
         raise(string.format('%s: %s is not a PPM/PGM file (P2, P3, P5 or P6)', fname, path))
      end
      local w, h, maxval = tonumber(token()), tonumber(token()), tonumber(token())
      if not (w and h and maxval) or w < 1 or h < 1 or maxval < 1 or maxval > 65535 then
         raise(string.format('%s: %s: bad header', fname, path))
      end
      local c = (magic == 'P3' or magic == 'P6') and 3 or 1
      local n = w * h * c
      local vals = torch.DoubleTensor(n)
      local d = vals:data()
      if magic == 'P5' or magic == 'P6' then
         pos = pos + 1 -- the single whitespace after maxval
         local bps = maxval < 256 and 1 or 2
         if #s - pos + 1 < n * bps then raise(string.format('%s: %s: truncated data', fname, path)) end
         local p = ffi.cast('const uint8_t *', s) + (pos - 1)
         for i = 0, n - 1 do
            d[i] = bps == 1 and p[i] or p[2 * i] * 256 + p[2 * i + 1]
         end
      else
         for i = 0, n - 1 do
            local v = tonumber(token())
            if not v then raise(string.format('%s: %s: bad sample', fname, path)) end
            d[i] = v
         end
      end
      -- interleaved h x w x c -> c x h x w
      return vals:view(h, w, c):permute(3, 1, 2):contiguous(), maxval
   end

   function image.loadPPM(path, depth, tensortype)
      local fname = 'image.loadPPM'
      check_depth(fname, depth)
      local typename = target(fname, tensortype)
      local s = read_file(fname, path)
      local img, maxval = parse_pnm(fname, path, s)
      if typename == 'torch.ByteTensor' then
         img = img:mul(255 / maxval):add(0.5):floor():byte()
      else
         img = img:div(maxval):type(typename)
      end
      return todepth(fname, img, depth)
   end

   local function save_pnm(fname, path, t, c)
      if type(path) ~= 'string' then raise(fname .. ': expected a file name (string), got ' .. torch.type(path)) end
      local b = to_bytes(fname, t, c)
      if b:size(1) ~= c then
         raise(string.format('%s: expected a %s image, got a tensor of size %s', fname,
            c == 3 and '3xHxW' or '1xHxW or HxW', I.shape(t)))
      end
      local h, w = b:size(2), b:size(3)
      local inter = b:permute(2, 3, 1):contiguous()
      local f, err = io.open(path, 'wb')
      if not f then raise(string.format('%s: cannot write %s (%s)', fname, path, err)) end
      f:write(string.format('%s\n%d %d\n255\n', c == 3 and 'P6' or 'P5', w, h))
      f:write(ffi.string(inter:data(), inter:nElement()))
      f:close()
   end

   function image.savePPM(path, t) save_pnm('image.savePPM', path, t, 3) end
   function image.savePGM(path, t) save_pnm('image.savePGM', path, t, 1) end

   ---- by file type ----

   local filetypes = {
      jpg = { loader = image.loadJPG, saver = image.saveJPG },
      png = { loader = image.loadPNG, saver = image.savePNG },
      ppm = { loader = image.loadPPM, saver = image.savePPM },
      pgm = { loader = image.loadPPM, saver = image.savePGM },
   }
   for _, k in ipairs { 'jpg', 'png', 'ppm', 'pgm' } do filetypes[k:upper()] = filetypes[k] end
   filetypes.jpeg, filetypes.JPEG = filetypes.jpg, filetypes.jpg
   image.supported_filetypes = filetypes
   function image.is_supported(suffix) return filetypes[suffix] ~= nil end

   local function kind_of(fname, path)
      if type(path) ~= 'string' then
         raise(string.format('%s: expected a file name (string), got %s', fname, torch.type(path)))
      end
      local f, err = io.open(path, 'rb')
      if not f then raise(string.format('%s: cannot open %s (%s)', fname, path, err)) end
      local hdr = f:read(4) or ''
      f:close()
      if hdr:sub(1, 3) == '\255\216\255' then return 'jpg' end
      if hdr == '\137PNG' then return 'png' end
      if hdr:match('^P[25]') then return 'pgm' end
      if hdr:match('^P[36]') then return 'ppm' end
      local ext = path:match('%.(%a+)$')
      if not ext then raise(fname .. ': unable to determine image type for file: ' .. path) end
      if not filetypes[ext] then raise(fname .. ': unknown image type: ' .. ext .. ' (' .. path .. ')') end
      return ext
   end

   function image.load(path, depth, tensortype)
      if path == nil then raise('image.load: missing file name (usage: image.load(path [, depth] [, tensortype]))') end
      local kind = kind_of('image.load', path)
      return filetypes[kind].loader(path, depth, tensortype)
   end

   function image.save(path, t)
      if type(path) ~= 'string' or t == nil then
         raise('image.save: expected (path, tensor), got (' .. torch.type(path) .. ', ' .. torch.type(t) .. ')')
      end
      local ext = path:match('%.(%a+)$')
      if not ext or not filetypes[ext] then
         raise('image.save: unknown image type: ' .. tostring(ext) .. ' (' .. path .. '; use .png, .jpg, .ppm or .pgm)')
      end
      filetypes[ext].saver(path, t)
   end

   -- {channels, height, width} as a LongTensor
   function image.getSize(path)
      local img = image.load(path, nil, 'byte')
      return torch.LongTensor { img:size(1), img:size(2), img:size(3) }
   end
   image.getPNGsize = function(path) local s = image.getSize(path) return s[1], s[2], s[3] end
   image.getJPGsize = image.getPNGsize
   image.getPPMsize = image.getPNGsize
end

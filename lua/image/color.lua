-- image colour spaces: rgb2yuv / yuv2rgb, rgb2y, rgb2hsl / hsl2rgb,
-- rgb2hsv / hsv2rgb, rgb2lab / lab2rgb (per-pixel loops in libnnlua_image,
-- rounding as Torch7 does), rgb2nrgb. Each takes ([dst,] src); src is
-- 3xHxW (RGB), values 0..1.
local torch = require 'torch'
local I = require 'image.ffi'

return function(image)
   local raise = I.raise

   local function args(fname, ...)
      local n, a = select('#', ...), { ... }
      local dst, src
      if n == 2 then dst, src = a[1], a[2]
      elseif n == 1 then src = a[1]
      else raise(fname .. ': expected ([dst,] src)') end
      I.check_image(fname, src, 'src', { 3 })
      if src:size(1) < 3 then
         raise(string.format('%s: src must have 3 channels (3xHxW), got size %s', fname, I.shape(src)))
      end
      if dst ~= nil and not torch.isTensor(dst) then raise(fname .. ': dst must be a tensor, got ' .. torch.type(dst)) end
      return dst, src
   end

   local function per_pixel(fname, op, channels, ...)
      local dst, src = args(fname, ...)
      local lib = I.lib(fname)
      if I.same_data(dst, src) then src = src:clone() end
      dst = dst or src.new()
      dst:resize(channels, src:size(2), src:size(3))
      local s, dtype = I.working(src)
      local bytes = torch.typename(src) == 'torch.ByteTensor'
      if bytes and (op == 4 or op == 5) then raise(fname .. ': not supported for torch.ByteTensor') end
      -- byte hsl/hsv work on 0..1 as Torch7's do, and come back times 255
      local unit = bytes and op <= 3
      if unit then s = s:div(255) end
      local d = dst
      if torch.typename(dst) ~= torch.typename(s) then d = s.new(dst:size()) end
      I.check(fname, lib.nl_image_color(dtype, op, I.view(d), I.view(s)))
      if unit then d:mul(255) end
      if d ~= dst then dst:copy(I.back(d, torch.typename(dst))) end
      return dst
   end

   -- Y = 0.299 R + 0.587 G + 0.114 B, U = -0.14713 R - 0.28886 G + 0.436 B,
   -- V = 0.615 R - 0.51499 G - 0.10001 B, and back
   function image.rgb2yuv(...) return per_pixel('image.rgb2yuv', 7, 3, ...) end
   function image.yuv2rgb(...) return per_pixel('image.yuv2rgb', 8, 3, ...) end
   function image.rgb2hsl(...) return per_pixel('image.rgb2hsl', 0, 3, ...) end
   function image.hsl2rgb(...) return per_pixel('image.hsl2rgb', 1, 3, ...) end
   function image.rgb2hsv(...) return per_pixel('image.rgb2hsv', 2, 3, ...) end
   function image.hsv2rgb(...) return per_pixel('image.hsv2rgb', 3, 3, ...) end
   function image.rgb2lab(...) return per_pixel('image.rgb2lab', 4, 3, ...) end
   function image.lab2rgb(...) return per_pixel('image.lab2rgb', 5, 3, ...) end
   -- 1xHxW luminance 0.299 R + 0.587 G + 0.114 B
   function image.rgb2y(...) return per_pixel('image.rgb2y', 6, 1, ...) end

   -- r, g, b divided by r + g + b (+ 1e-6)
   function image.rgb2nrgb(...)
      local dst, src = args('image.rgb2nrgb', ...)
      dst = dst or src.new()
      dst:resizeAs(src)
      local sum = src.new(src:size(2), src:size(3))
      sum:copy(src[1]):add(src[2]):add(src[3]):add(1e-6)
      dst:copy(src)
      for k = 1, 3 do dst[k]:cdiv(sum) end
      return dst
   end
end

-- image geometry: scale, crop, translate, rotate, warp, hflip, vflip, flip,
-- with Torch7's argument forms ([dst] first where Torch7 has it). Pixel loops
-- run in libnnlua_image (ops.c) on float, double or (scale, rotate,
-- translate) byte data, rounding as Torch7 does; other types are worked on
-- as float and rounded back. Flips and crops are tensor operations.
local torch = require 'torch'
local I = require 'image.ffi'

return function(image)
   local raise = I.raise

   local function check_dst(fname, dst, src)
      if dst ~= nil and torch.typename(dst) ~= torch.typename(src) then
         raise(string.format('%s: dst must be a %s like src, got %s', fname, torch.typename(src), torch.type(dst)))
      end
   end

   local function hw(t)
      if t:dim() == 3 then return t:size(2), t:size(3) end
      return t:size(1), t:size(2)
   end

   -- the loops read src while writing dst: a dst over the same memory gets a copy of src
   local function unalias(dst, src)
      if I.same_data(dst, src) then return src:clone() end
      return src
   end

   local function new_like(src, h, w)
      if src:dim() == 3 then return src.new(src:size(1), h, w) end
      return src.new(h, w)
   end

   -- call(lib, dtype, dst view, src view) on dst (already sized like the
   -- result) and src, through float copies for types the loops lack
   local function run(fname, dst, src, call, bytes)
      local lib = I.lib(fname)
      local s, dtype = I.working(src, bytes)
      if dtype == 0 and s ~= src then
         local d = dst:float()
         I.check(fname, call(lib, dtype, I.view(d), I.view(s)))
         dst:copy(I.back(d, torch.typename(dst)))
      else
         I.check(fname, call(lib, dtype, I.view(dst), I.view(s)))
      end
      return dst
   end

   local modes = { simple = 0, bilinear = 1, bicubic = 2 }

   local function scale_usage()
      raise('image.scale: expected (src, width, height [, mode]), (src, size [, mode]) or (dst, src [, mode]); ' ..
         "size is a number (the longer side), 'WxH', '^MIN', '*SC' or '*N/D'")
   end

   function image.scale(...)
      local fname = 'image.scale'
      local n, a = select('#', ...), { ... }
      local dst, src, width, height, mode, size
      if n == 4 then
         src, width, height, mode = a[1], a[2], a[3], a[4]
      elseif n == 3 then
         if type(a[3]) == 'string' then
            if type(a[2]) == 'string' or type(a[2]) == 'number' then src, size, mode = a[1], a[2], a[3]
            else dst, src, mode = a[1], a[2], a[3] end
         else
            src, width, height = a[1], a[2], a[3]
         end
      elseif n == 2 then
         if type(a[2]) == 'string' or type(a[2]) == 'number' then src, size = a[1], a[2]
         else dst, src = a[1], a[2] end
      else
         scale_usage()
      end
      I.check_image(fname, src, 'src')
      local ih, iw = hw(src)
      if size ~= nil then
         local omax = tonumber(size)
         if omax then
            local imax = math.max(iw, ih)
            height, width = ih * omax / imax, iw * omax / imax
         elseif type(size) == 'string' then
            local w, h = size:match('^(%d+)x(%d+)$')
            if w then
               width, height = tonumber(w), tonumber(h)
            elseif size:match('^%^%d+$') then
               local omin = tonumber(size:sub(2))
               local imin = math.min(iw, ih)
               height, width = ih * omin / imin, iw * omin / imin
            elseif size:match('^%*%d+/%d+$') then
               local sn, sd = size:match('^%*(%d+)/(%d+)$')
               height, width = ih * tonumber(sn) / tonumber(sd), iw * tonumber(sn) / tonumber(sd)
            elseif size:match('^%*') and tonumber(size:sub(2)) then
               local sc = tonumber(size:sub(2))
               height, width = ih * sc, iw * sc
            end
         end
         if not width then raise(fname .. ': could not find valid dest size in ' .. tostring(size)) end
      end
      mode = mode or 'bilinear'
      if modes[mode] == nil then
         raise(fname .. ": mode must be one of: simple | bicubic | bilinear, got " .. tostring(mode))
      end
      if dst then
         I.check_image(fname, dst, 'dst')
         check_dst(fname, dst, src)
         if dst:dim() ~= src:dim() or (dst:dim() == 3 and dst:size(1) ~= src:size(1)) then
            raise(string.format('%s: src and dst depths do not match (src %s, dst %s)', fname, I.shape(src), I.shape(dst)))
         end
      else
         if type(width) ~= 'number' or type(height) ~= 'number' then
            raise(string.format('%s: width and height must be numbers, got %s and %s', fname, type(width), type(height)))
         end
         width, height = math.max(math.floor(width), 1), math.max(math.floor(height), 1)
         dst = new_like(src, height, width)
      end
      return run(fname, dst, src, function(lib, dtype, d, s) return lib.nl_image_scale(dtype, modes[mode], d, s) end, true)
   end

   -- crop(src, x1, y1, x2, y2), crop(dst, src, x1, y1 [, x2, y2]),
   -- crop(src, format, w, h), crop(dst, src, format, w, h): 0-based corners,
   -- x2/y2 exclusive; with dst and x2/y2 the crop is scaled into dst
   function image.crop(...)
      local fname = 'image.crop'
      local n, a = select('#', ...), { ... }
      local dst, src, x1, y1, x2, y2, format, width, height
      if n == 6 then
         dst, src, x1, y1, x2, y2 = a[1], a[2], a[3], a[4], a[5], a[6]
      elseif n == 5 then
         if type(a[3]) == 'string' then dst, src, format, width, height = a[1], a[2], a[3], a[4], a[5]
         else src, x1, y1, x2, y2 = a[1], a[2], a[3], a[4], a[5] end
      elseif n == 4 then
         if type(a[2]) == 'string' then src, format, width, height = a[1], a[2], a[3], a[4]
         else dst, src, x1, y1 = a[1], a[2], a[3], a[4] end
      else
         raise(fname .. ": expected (src, x1, y1, x2, y2), (src, format, width, height), (dst, src, x1, y1 [, x2, y2]) " ..
            "or (dst, src, format, width, height); format is 'c', 'tl', 'tr', 'bl' or 'br'")
      end
      I.check_image(fname, src, 'src')
      local ih, iw = hw(src)
      if format then
         if type(width) ~= 'number' or type(height) ~= 'number' then
            raise(string.format('%s: width and height must be numbers, got %s and %s', fname, type(width), type(height)))
         end
         if format == 'c' then x1, y1 = math.floor((iw - width) / 2), math.floor((ih - height) / 2)
         elseif format == 'tl' then x1, y1 = 0, 0
         elseif format == 'tr' then x1, y1 = iw - width, 0
         elseif format == 'bl' then x1, y1 = 0, ih - height
         elseif format == 'br' then x1, y1 = iw - width, ih - height
         else raise(fname .. ': format must be "c"|"tl"|"tr"|"bl"|"br", got ' .. tostring(format)) end
         x2, y2 = x1 + width, y1 + height
      end
      for _, v in ipairs { x1, y1 } do
         if type(v) ~= 'number' then raise(fname .. ': corners must be numbers, got ' .. type(v)) end
      end
      x1, y1 = math.floor(x1), math.floor(y1)
      if x2 == nil then
         if dst == nil then raise(fname .. ': expected x2, y2 or a destination tensor') end
         I.check_image(fname, dst, 'dst')
         local dh, dw = hw(dst)
         x2, y2 = x1 + dw, y1 + dh
      end
      if type(x2) ~= 'number' or type(y2) ~= 'number' then raise(fname .. ': corners must be numbers') end
      x2, y2 = math.floor(x2), math.floor(y2)
      if x1 < 0 or y1 < 0 or x2 > iw or y2 > ih or x2 <= x1 or y2 <= y1 then
         raise(string.format('%s: crop (%d,%d)-(%d,%d) goes outside the %dx%d (WxH) source or is empty',
            fname, x1, y1, x2, y2, iw, ih))
      end
      local d = src:dim()
      local piece = src:narrow(d - 1, y1 + 1, y2 - y1):narrow(d, x1 + 1, x2 - x1)
      if dst == nil then return piece:clone() end
      check_dst(fname, dst, src)
      if n == 4 then return dst:resizeAs(piece):copy(piece) end
      return image.scale(dst, piece)
   end

   function image.translate(...)
      local fname = 'image.translate'
      local n, a = select('#', ...), { ... }
      local dst, src, x, y
      if n == 4 then dst, src, x, y = a[1], a[2], a[3], a[4]
      elseif n == 3 then src, x, y = a[1], a[2], a[3]
      else raise(fname .. ': expected ([dst,] src, x, y)') end
      I.check_image(fname, src, 'src')
      if type(x) ~= 'number' or type(y) ~= 'number' or x ~= x or y ~= y then
         raise(string.format('%s: x and y must be numbers, got %s and %s', fname, tostring(x), tostring(y)))
      end
      check_dst(fname, dst, src)
      src = unalias(dst, src)
      dst = dst or src.new()
      dst:resizeAs(src):zero()
      return run(fname, dst, src, function(lib, dtype, dv, sv)
         -- shifts past any image leave zeros: bounded so the C index stays in range
         local lim = 2 ^ 40
         return lib.nl_image_translate(dtype, dv, sv, math.max(-lim, math.min(lim, math.floor(x))),
            math.max(-lim, math.min(lim, math.floor(y))))
      end, true)
   end

   function image.rotate(...)
      local fname = 'image.rotate'
      local n, a = select('#', ...), { ... }
      local dst, src, theta, mode
      if n == 4 then dst, src, theta, mode = a[1], a[2], a[3], a[4]
      elseif n == 3 then
         if type(a[2]) == 'number' then src, theta, mode = a[1], a[2], a[3]
         else dst, src, theta = a[1], a[2], a[3] end
      elseif n == 2 then src, theta = a[1], a[2]
      else raise(fname .. ": expected ([dst,] src, theta [, mode]) with mode 'simple' or 'bilinear'") end
      I.check_image(fname, src, 'src')
      if type(theta) ~= 'number' or theta ~= theta or math.abs(theta) == math.huge then
         raise(fname .. ': theta (radians) must be a finite number, got ' .. tostring(theta))
      end
      mode = mode or 'simple'
      if mode ~= 'simple' and mode ~= 'bilinear' then
         raise(fname .. ': mode must be one of: simple | bilinear, got ' .. tostring(mode))
      end
      check_dst(fname, dst, src)
      src = unalias(dst, src)
      dst = dst or src.new()
      dst:resizeAs(src)
      return run(fname, dst, src, function(lib, dtype, dv, sv)
         return lib.nl_image_rotate(dtype, mode == 'bilinear' and 1 or 0, dv, sv, theta)
      end, true)
   end

   local warp_modes = { simple = 0, bilinear = 1, bicubic = 2, lanczos = 3 }

   function image.warp(...)
      local fname = 'image.warp'
      local n, a = select('#', ...), { ... }
      local dst, src, field
      local mode, offset, clamp, pad = 'bilinear', true, 'clamp', 0
      if n == 2 then
         src, field = a[1], a[2]
      elseif n >= 3 and n <= 6 and type(a[3]) == 'string' then
         src, field, mode = a[1], a[2], a[3]
         if n >= 4 then offset = a[4] end
         if n >= 5 then clamp = a[5] end
         if n >= 6 then pad = a[6] end
      elseif n >= 3 and n <= 7 then
         dst, src, field = a[1], a[2], a[3]
         if n >= 4 then mode = a[4] end
         if n >= 5 then offset = a[5] end
         if n >= 6 then clamp = a[6] end
         if n >= 7 then pad = a[7] end
      else
         raise(fname .. ': expected ([dst,] src, field [, mode [, offset_mode [, clamp_mode [, pad_value]]]])')
      end
      I.check_image(fname, src, 'src')
      if warp_modes[mode] == nil then
         raise(fname .. ': mode must be one of: lanczos | bicubic | bilinear | simple, got ' .. tostring(mode))
      end
      if clamp ~= 'clamp' and clamp ~= 'pad' then
         raise(fname .. ": clamp_mode must be 'clamp' or 'pad', got " .. tostring(clamp))
      end
      if pad ~= 0 and clamp ~= 'pad' then raise(fname .. ': pad_value can only be given with clamp_mode "pad"') end
      if type(pad) ~= 'number' then raise(fname .. ': pad_value must be a number, got ' .. type(pad)) end
      if not torch.isTensor(field) or field:dim() ~= 3 or field:size(1) ~= 2 then
         raise(string.format('%s: field must be a 2xHxW (y, x) tensor, got %s', fname,
            torch.isTensor(field) and I.shape(field) or torch.type(field)))
      end
      local dim2 = src:dim() == 2
      if dim2 then src = src:view(1, src:size(1), src:size(2)) end
      check_dst(fname, dst, src)
      src = unalias(dst, src)
      dst = dst or src.new()
      dst:resize(src:size(1), field:size(2), field:size(3))
      local out = run(fname, dst, src, function(lib, dtype, dv, sv)
         local f = field
         if dtype == 0 then f = f:float() else f = f:double() end
         return lib.nl_image_warp(dtype, warp_modes[mode], offset and 1 or 0, clamp == 'pad' and 1 or 0, pad,
            dv, sv, I.view(f))
      end)
      if dim2 then return out[1] end
      return out
   end

   -- src reversed along dimension d, into dst (or a new tensor)
   local function flip_along(fname, dst, src, d)
      check_dst(fname, dst, src)
      local n = src:size(d)
      local r = src:index(d, torch.range(n, 1, -1):long())
      dst = dst or src.new()
      return dst:resizeAs(r):copy(r)
   end

   local function flip2(fname, which, ...)
      local n, a = select('#', ...), { ... }
      local dst, src
      if n == 2 then dst, src = a[1], a[2]
      elseif n == 1 then src = a[1]
      else raise(fname .. ': expected ([dst,] src)') end
      I.check_image(fname, src, 'src')
      return flip_along(fname, dst, src, which == 'h' and src:dim() or src:dim() - 1)
   end

   function image.hflip(...) return flip2('image.hflip', 'h', ...) end
   function image.vflip(...) return flip2('image.vflip', 'v', ...) end

   function image.flip(...)
      local fname = 'image.flip'
      local n, a = select('#', ...), { ... }
      local dst, src, d
      if n == 3 then dst, src, d = a[1], a[2], a[3]
      elseif n == 2 then src, d = a[1], a[2]
      else raise(fname .. ': expected ([dst,] src, flip_dim)') end
      if not torch.isTensor(src) or src:dim() < 1 or src:dim() > 5 then
         raise(fname .. ': src must be a 1D to 5D tensor, got ' ..
            (torch.isTensor(src) and (src:dim() .. 'D') or torch.type(src)))
      end
      if type(d) ~= 'number' or d < 1 or d > src:dim() then
         raise(string.format('%s: flip_dim must be within 1..%d, got %s', fname, src:dim(), tostring(d)))
      end
      return flip_along(fname, dst, src, d)
   end
end

-- image filters built from tensor operations: lcn (local contrast
-- normalisation), gaussianpyramid, erode and dilate, and drawRect, with
-- Torch7's definitions.
local torch = require 'torch'
local I = require 'image.ffi'

return function(image)
   local raise = I.raise

   -- image.lcn(im [, kernel]): a grey image (HxW or 1xHxW) standardised,
   -- then each pixel minus the local mean over kernel, divided by the local
   -- standard deviation (at least 1); the result is the valid part (smaller
   -- by the kernel size - 1). Default kernel: a 9x9 normalised gaussian.
   function image.lcn(im, ker)
      local fname = 'image.lcn'
      if not torch.isTensor(im) or not (im:dim() == 2 or (im:dim() == 3 and im:size(1) == 1)) then
         raise(fname .. ': grayscale image expected (HxW or 1xHxW), got ' ..
            (torch.isTensor(im) and I.shape(im) or torch.type(im)))
      end
      ker = ker or image.gaussian { size = 9, sigma = 1.591 / 9, normalize = true }
      if not torch.isTensor(ker) or ker:dim() ~= 2 then raise(fname .. ': kernel must be a 2D tensor') end
      if ker:size(1) > im:size(im:dim() - 1) or ker:size(2) > im:size(im:dim()) then
         raise(string.format('%s: kernel %s is larger than the image %s', fname, I.shape(ker), I.shape(im)))
      end
      im = torch.DoubleTensor(im:size()):copy(im)
      if im:dim() == 3 then im = im[1] end
      ker = ker:double()
      im:add(-im:mean()):div(im:std())
      local lmn = torch.conv2(im, ker)
      local lvar = torch.conv2(torch.cmul(im, im), ker):add(-1, torch.cmul(lmn, lmn)):clamp(0, math.huge)
      local lstd = lvar:sqrt():clamp(1, math.huge)
      local si, sj = math.floor(ker:size(1) / 2) + 1, math.floor(ker:size(2) / 2) + 1
      return im:narrow(1, si, lstd:size(1)):narrow(2, sj, lstd:size(2)):clone():add(-1, lmn):cdiv(lstd)
   end

   -- image.gaussianpyramid([dst,] src, scales): a list of images, the i-th
   -- src scaled by scales[i] (nearest) from the previous level smoothed by
   -- a 3x3 normalised gaussian
   function image.gaussianpyramid(...)
      local fname = 'image.gaussianpyramid'
      local n, a = select('#', ...), { ... }
      local dst, src, scales
      if n == 3 then dst, src, scales = a[1], a[2], a[3]
      elseif n == 2 then dst, src, scales = {}, a[1], a[2]
      else raise(fname .. ': expected ([dst,] src, scales)') end
      I.check_image(fname, src, 'src')
      if type(scales) ~= 'table' or #scales == 0 then raise(fname .. ': scales must be a list of numbers') end
      local d = src:dim()
      for i, s in ipairs(scales) do
         if type(s) ~= 'number' or s <= 0 then raise(fname .. ': scales must be positive numbers') end
         dst[i] = dst[i] or src.new()
         local h, w = math.max(1, math.floor(src:size(d - 1) * s)), math.max(1, math.floor(src:size(d) * s))
         if d == 3 then dst[i]:resize(src:size(1), h, w) else dst[i]:resize(h, w) end
      end
      local k = image.gaussian { width = 3, normalize = true }:typeAs(src)
      local prev = src
      for i, s in ipairs(scales) do
         if s == 1 then dst[i]:copy(prev) else image.scale(dst[i], prev, 'simple') end
         prev = image.convolve(dst[i], k, 'same')
      end
      return dst
   end

   local function morph(fname, im, kern, pad, flip)
      if not torch.isTensor(im) or im:dim() ~= 2 then
         raise(fname .. ': expected a 2D binary image, got ' .. (torch.isTensor(im) and I.shape(im) or torch.type(im)))
      end
      kern = kern or torch.ones(3, 3):typeAs(im)
      if not torch.isTensor(kern) or kern:dim() ~= 2 or kern:size(1) % 2 == 0 or kern:size(2) % 2 == 0 then
         raise(fname .. ': kernel must be a 2D tensor of odd sizes')
      end
      kern = kern:typeAs(im)
      if flip then kern = image.hflip(image.vflip(kern)) end
      local hp, wp = (kern:size(1) - 1) / 2, (kern:size(2) - 1) / 2
      local padded = im.new(im:size(1) + 2 * hp, im:size(2) + 2 * wp):fill(pad)
      padded:narrow(1, hp + 1, im:size(1)):narrow(2, wp + 1, im:size(2)):copy(im)
      return torch.conv2(padded, kern), kern
   end

   -- image.erode(im [, kern=3x3 ones] [, pad=1]): 1 where every pixel under
   -- the kernel's ones is 1
   function image.erode(im, kern, pad)
      local conv, k = morph('image.erode', im, kern, pad or 1, false)
      return conv:eq(k:sum()):typeAs(im)
   end

   -- image.dilate(im [, kern=3x3 ones] [, pad=0]): 1 where any pixel under
   -- the kernel's ones is 1
   function image.dilate(im, kern, pad)
      local conv = morph('image.dilate', im, kern, pad or 0, true)
      return conv:gt(0):typeAs(im)
   end

   -- image.drawRect(img, x1, y1, x2, y2 [, {lineWidth=1, color={255, 0, 0},
   -- inplace=false}]): the outline of the rectangle with corners (x1, y1)
   -- and (x2, y2) (1-based pixels, included), lines lineWidth wide centred
   -- on them; colour in 0..255 (divided by 255 for non-byte images)
   function image.drawRect(img, x1, y1, x2, y2, opts)
      local fname = 'image.drawRect'
      if not torch.isTensor(img) or img:dim() ~= 3 or img:size(1) ~= 3 then
         raise(fname .. ': image must be a 3xHxW tensor, got ' .. (torch.isTensor(img) and I.shape(img) or torch.type(img)))
      end
      opts = opts or {}
      local out = opts.inplace and img or img:clone()
      if not (x1 and y1 and x2 and y2) then return out end
      for _, v in ipairs { x1, y1, x2, y2 } do
         if type(v) ~= 'number' then raise(fname .. ': corners must be numbers, got ' .. type(v)) end
      end
      local color = opts.color or { 255, 0, 0 }
      local lw = opts.lineWidth or 1
      local H, W = out:size(2), out:size(3)
      local lo = math.floor(lw / 2) + 1
      local hi = lw - lo - 1
      -- 0-based half-open spans, clipped to the image
      local function span(c, n) return math.max(0, c - lo), math.min(n, c + hi + 1) end
      local ax0, ax1 = span(x1, W)
      local bx0, bx1 = span(x2, W)
      local ay0, ay1 = span(y1, H)
      local by0, by1 = span(y2, H)
      local scale = torch.typename(out) == 'torch.ByteTensor' and 1 or 1 / 255
      local function fill(r0, r1, c0, c1)
         if r1 <= r0 or c1 <= c0 then return end
         local block = out:narrow(2, r0 + 1, r1 - r0):narrow(3, c0 + 1, c1 - c0)
         for k = 1, 3 do block[k]:fill(color[k] * scale) end
      end
      fill(ay0, by1, ax0, ax1)   -- left side
      fill(ay0, by1, bx0, bx1)   -- right side
      fill(ay0, ay1, ax0, bx1)   -- top
      fill(by0, by1, ax0, bx1)   -- bottom
      return out
   end
end

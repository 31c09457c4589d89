-- image geometry: scale against hand-computed bilinear, area-average,
-- nearest and cubic values and its size forms; crop in every form; flips;
-- rotate by 90 degrees exactly; translate; warp with known flows; byte and
-- float types; non-contiguous inputs; argument errors.
require 'image'

local function T(t) return torch.Tensor(t) end

local function close(a, b, tol)
   return (a:double() - b:double()):abs():max() <= (tol or 1e-12)
end

describe('image.scale', function()
   local src = T { { 0, 1 }, { 2, 3 } }

   it('bilinear up: corners kept, the midpoints interpolated (hand-computed)', function()
      local s = image.scale(src, 3, 3)
      assert.are.same({ { 0, 0.5, 1 }, { 1, 1.5, 2 }, { 2, 2.5, 3 } }, s:totable())
      -- 2 -> 5 across: positions 0, .25, .5, .75, 1
      assert.are.same({ { 0, 0.25, 0.5, 0.75, 1 } }, image.scale(T { { 0, 1 } }, 5, 1):totable())
   end)

   it('bilinear down averages the covered source pixels by area', function()
      assert.are.same({ { 1.5, 5.5 } }, image.scale(T { { 1, 2, 5, 6 } }, 2, 1):totable())
      -- 3 -> 2: each output covers 1.5 pixels: (1*a + .5*b)/1.5 and (.5*b + 1*c)/1.5
      local s = image.scale(T { { 0, 3, 6 } }, 2, 1)
      assert.is_true(close(s, T { { 1, 5 } }, 1e-6))
   end)

   it('simple takes the nearest pixel at floor(i * in/out)', function()
      assert.are.same({ { 0, 0, 1, 1 }, { 0, 0, 1, 1 }, { 2, 2, 3, 3 }, { 2, 2, 3, 3 } }, image.scale(src, 4, 4, 'simple'):totable())
   end)

   it('bicubic passes through the samples and matches a line exactly', function()
      assert.are.same(src:totable(), image.scale(src, 2, 2, 'bicubic'):totable())
      -- on linear data, cubic interpolation with linear extrapolation is linear
      local s = image.scale(T { { 0, 1, 2, 3 } }, 7, 1, 'bicubic')
      assert.is_true(close(s, T { { 0, 0.5, 1, 1.5, 2, 2.5, 3 } }, 1e-6))
   end)

   it('takes (src, size) for the longer side, WxH, *SC, ^MIN and the [dst] form', function()
      local img = torch.Tensor(3, 20, 40):uniform()
      assert.are.same({ 3, 5, 10 }, image.scale(img, 10):size():totable())
      assert.are.same({ 3, 7, 9 }, image.scale(img, '9x7'):size():totable())
      assert.are.same({ 3, 10, 20 }, image.scale(img, '*1/2'):size():totable())
      assert.are.same({ 3, 30, 60 }, image.scale(img, '*1.5'):size():totable())
      assert.are.same({ 3, 10, 20 }, image.scale(img, '^10'):size():totable())
      local dst = torch.Tensor(3, 4, 8)
      assert.are.equal(dst, image.scale(dst, img))
      assert.is_true(close(dst, image.scale(img, 8, 4)))
      assert.is_true(close(image.scale(img, 8, 4, 'simple'), image.scale(torch.Tensor(3, 4, 8), img, 'simple')))
   end)

   it('keeps the type: float, and bytes rounded to the nearest value', function()
      local f = image.scale(src:float(), 3, 3)
      assert.are.equal('torch.FloatTensor', torch.typename(f))
      assert.are.same({ { 0, 0.5, 1 }, { 1, 1.5, 2 }, { 2, 2.5, 3 } }, f:totable())
      local b = image.scale(torch.ByteTensor { { 0, 3 } }, 4, 1)
      assert.are.equal('torch.ByteTensor', torch.typename(b))
      assert.are.same({ { 0, 1, 2, 3 } }, b:totable())
      local b2 = image.scale(torch.ByteTensor { { 0, 1 } }, 3, 1)   -- 0.5 rounds up
      assert.are.same({ { 0, 1, 1 } }, b2:totable())
   end)

   it('reads non-contiguous inputs through their strides', function()
      local img = torch.Tensor(3, 6, 5):uniform()
      local t = img:transpose(2, 3)
      assert.is_false(t:isContiguous())
      assert.is_true(close(image.scale(t, 9, 4), image.scale(t:contiguous(), 9, 4)))
      local n = img:narrow(3, 2, 3)
      assert.is_true(close(image.scale(n, 7, 8, 'bicubic'), image.scale(n:contiguous(), 7, 8, 'bicubic')))
   end)

   it('says what is wrong with bad arguments', function()
      assert.has_error(function() image.scale(src, 3, 3, 'nearest') end,
         'image.scale: mode must be one of: simple | bicubic | bilinear, got nearest')
      assert.has_error(function() image.scale(torch.Tensor(2, 2, 2, 2), 3, 3) end,
         'image.scale: src must be a non-empty 2D (HxW) or 3D (CxHxW) tensor, got 4D tensor of size 2x2x2x2')
      assert.has_error(function() image.scale(src, 'big') end, 'image.scale: could not find valid dest size in big')
      assert.has_error(function() image.scale(torch.Tensor(3, 2, 2), torch.Tensor(1, 2, 2)) end,
         'image.scale: src and dst depths do not match (src 1x2x2, dst 3x2x2)')
      assert.has_error(function() image.scale(torch.FloatTensor(2, 2), src) end,
         'image.scale: dst must be a torch.DoubleTensor like src, got torch.FloatTensor')
      assert.has_error(function() image.scale(src) end)
   end)
end)

describe('image.crop', function()
   local img = torch.Tensor(2, 4, 5)
   for i = 1, 40 do img:storage()[i] = i end

   it('takes 0-based corners with exclusive ends', function()
      local c = image.crop(img, 1, 2, 4, 4)
      assert.are.same({ { { 12, 13, 14 }, { 17, 18, 19 } }, { { 32, 33, 34 }, { 37, 38, 39 } } }, c:totable())
      c[1][1][1] = -1
      assert.are.equal(12, img[1][3][2])   -- a copy, not a view
   end)

   it("places 'c', 'tl', 'tr', 'bl', 'br' crops", function()
      assert.are.same(image.crop(img, 1, 1, 4, 3):totable(), image.crop(img, 'c', 3, 2):totable())
      assert.are.same(image.crop(img, 0, 0, 2, 2):totable(), image.crop(img, 'tl', 2, 2):totable())
      assert.are.same(image.crop(img, 3, 0, 5, 2):totable(), image.crop(img, 'tr', 2, 2):totable())
      assert.are.same(image.crop(img, 0, 2, 2, 4):totable(), image.crop(img, 'bl', 2, 2):totable())
      assert.are.same(image.crop(img, 3, 2, 5, 4):totable(), image.crop(img, 'br', 2, 2):totable())
      assert.are.same(image.crop(img[1], 1, 1, 4, 3):totable(), image.crop(img[1], 'c', 3, 2):totable())
   end)

   it('fills a dst: its size from (x, y), or the crop scaled into it', function()
      local d = torch.Tensor(2, 2, 2)
      image.crop(d, img, 3, 1)
      assert.are.same({ { { 9, 10 }, { 14, 15 } }, { { 29, 30 }, { 34, 35 } } }, d:totable())
      local big = torch.Tensor(2, 3, 3)
      image.crop(big, img, 0, 0, 2, 2)
      assert.are.same({ 1, 1.5, 2 }, big[1][1]:totable())
   end)

   it('rejects crops outside the image', function()
      assert.has_error(function() image.crop(img, 3, 0, 6, 2) end,
         'image.crop: crop (3,0)-(6,2) goes outside the 5x4 (WxH) source or is empty')
      assert.has_error(function() image.crop(img, 'middle', 2, 2) end,
         'image.crop: format must be "c"|"tl"|"tr"|"bl"|"br", got middle')
      assert.has_error(function() image.crop(img, 1, 1) end)
   end)
end)

describe('image flips', function()
   local img = torch.Tensor(2, 2, 3)
   for i = 1, 12 do img:storage()[i] = i end

   it('hflip reverses columns, vflip rows, flip any dimension', function()
      assert.are.same({ { { 3, 2, 1 }, { 6, 5, 4 } }, { { 9, 8, 7 }, { 12, 11, 10 } } }, image.hflip(img):totable())
      assert.are.same({ { { 4, 5, 6 }, { 1, 2, 3 } }, { { 10, 11, 12 }, { 7, 8, 9 } } }, image.vflip(img):totable())
      assert.are.same({ { { 7, 8, 9 }, { 10, 11, 12 } }, { { 1, 2, 3 }, { 4, 5, 6 } } }, image.flip(img, 1):totable())
      assert.are.same(image.hflip(img):totable(), image.flip(img, 3):totable())
      assert.are.same({ { 3, 2, 1 }, { 6, 5, 4 } }, image.hflip(img[1]):totable())
   end)

   it('writes into dst (also dst == src) and reads non-contiguous views', function()
      local c = img:clone()
      image.hflip(c, c)
      assert.are.same(image.hflip(img):totable(), c:totable())
      local t = img:transpose(2, 3)
      assert.are.same(image.vflip(t:contiguous()):totable(), image.vflip(t):totable())
      assert.has_error(function() image.flip(img, 4) end, 'image.flip: flip_dim must be within 1..3, got 4')
   end)
end)

describe('image.rotate', function()
   local sq = T { { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } } }

   it('turns by 90 degrees exactly (counter-clockwise on screen), and by 0 not at all', function()
      assert.are.same({ { { 3, 6, 9 }, { 2, 5, 8 }, { 1, 4, 7 } } }, image.rotate(sq, math.pi / 2):totable())
      assert.are.same({ { { 9, 8, 7 }, { 6, 5, 4 }, { 3, 2, 1 } } }, image.rotate(sq, math.pi):totable())
      assert.are.same(sq:totable(), image.rotate(sq, 0):totable())
      assert.are.same(sq:totable(), image.rotate(sq, 0, 'bilinear'):totable())
      local b = image.rotate(sq, math.pi / 2, 'bilinear')
      assert.is_true(close(b, T { { { 3, 6, 9 }, { 2, 5, 8 }, { 1, 4, 7 } } }, 1e-5))
   end)

   it('blanks what falls outside, keeps 2-D images 2-D and the type', function()
      local r = image.rotate(torch.Tensor(5, 5):fill(1), math.pi / 4)
      assert.are.same({ 5, 5 }, r:size():totable())
      assert.are.equal(0, r[1][1])
      assert.are.equal(1, r[3][3])
      local f = image.rotate(sq:float(), math.pi / 2)
      assert.are.equal('torch.FloatTensor', torch.typename(f))
      local b = image.rotate(sq:byte(), math.pi / 2)
      assert.are.same({ { { 3, 6, 9 }, { 2, 5, 8 }, { 1, 4, 7 } } }, b:totable())
   end)

   it('rotates in place through a copy, and rejects a bad mode', function()
      local c = sq:clone()
      image.rotate(c, c, math.pi / 2)
      assert.are.same({ { { 3, 6, 9 }, { 2, 5, 8 }, { 1, 4, 7 } } }, c:totable())
      assert.has_error(function() image.rotate(sq, 1, 'bicubic') end,
         'image.rotate: mode must be one of: simple | bilinear, got bicubic')
      assert.has_error(function() image.rotate(sq, '1') end)
   end)
end)

describe('image.translate', function()
   it('shifts by (x, y) and fills with zeros', function()
      local img = T { { 1, 2, 3 }, { 4, 5, 6 } }
      assert.are.same({ { 0, 1, 2 }, { 0, 4, 5 } }, image.translate(img, 1, 0):totable())
      assert.are.same({ { 0, 0, 0 }, { 1, 2, 3 } }, image.translate(img, 0, 1):totable())
      assert.are.same({ { 5, 6, 0 }, { 0, 0, 0 } }, image.translate(img, -1, -1):totable())
      assert.are.same({ { 0, 0, 0 }, { 0, 0, 0 } }, image.translate(img, 1e300, -1e300):totable())
      local c = img:clone()
      image.translate(c, c, 1, 0)
      assert.are.same({ { 0, 1, 2 }, { 0, 4, 5 } }, c:totable())
   end)
end)

describe('image.warp', function()
   local img = torch.Tensor(2, 4, 5)
   for i = 1, 40 do img:storage()[i] = i end

   it('with a zero offset field returns the image in every mode', function()
      local f = torch.Tensor(2, 4, 5):zero()
      for _, m in ipairs { 'simple', 'bilinear', 'bicubic' } do
         assert.are.same(img:totable(), image.warp(img, f, m):totable())
      end
      assert.is_true(close(image.warp(img, f, 'lanczos'), img, 1e-4))
   end)

   it('samples at absolute positions without offset, bilinear between pixels', function()
      local f = torch.Tensor(2, 1, 2)
      f[1][1][1], f[2][1][1] = 0, 0.5     -- (y, x) = (0, 0.5)
      f[1][1][2], f[2][1][2] = 1.5, 4     -- (1.5, 4)
      local w = image.warp(img[1], f, 'bilinear', false)
      assert.is_true(close(w, T { { 1.5, (10 + 15) / 2 } }, 1e-6))
      local s = image.warp(img[1], f, 'simple', false)
      assert.are.same({ { 2, 15 } }, s:totable())   -- floor(pos + 0.5)
   end)

   it("clamps to the border, or pads with pad_value in 'pad' mode", function()
      local f = torch.Tensor(2, 1, 1):fill(-3)
      assert.are.same({ { 1 } }, image.warp(img[1], f, 'bilinear', false):totable())
      assert.are.same({ { 0.5 } }, image.warp(img[1], f, 'bilinear', false, 'pad', 0.5):totable())
   end)

   it('writes the pad value (0 when clamping) where the field is NaN', function()
      local f = torch.Tensor(2, 1, 2):zero()
      f[2][1][1] = 0 / 0
      for _, m in ipairs { 'simple', 'bilinear', 'bicubic', 'lanczos' } do
         assert.is_true(close(image.warp(img[1], f, m, true), T { { 0, 2 } }, 1e-6))
         assert.is_true(close(image.warp(img[1], f, m, true, 'pad', 7), T { { 7, 2 } }, 1e-6))
      end
   end)

   it('says what is wrong with bad arguments', function()
      assert.has_error(function() image.rotate(img, 0 / 0) end, 'image.rotate: theta (radians) must be a finite number, got nan')
      assert.has_error(function() image.warp(img, torch.Tensor(3, 4, 5), 'bilinear') end,
         'image.warp: field must be a 2xHxW (y, x) tensor, got 3x4x5')
      assert.has_error(function() image.warp(img, torch.Tensor(2, 4, 5), 'cubic') end,
         'image.warp: mode must be one of: lanczos | bicubic | bilinear | simple, got cubic')
      assert.has_error(function() image.warp(img, torch.Tensor(2, 4, 5), 'bilinear', true, 'wrap') end,
         "image.warp: clamp_mode must be 'clamp' or 'pad', got wrap")
   end)
end)

-- image colour spaces against hand-computed values (pure colours, grey,
-- white, black), round trips, byte and float types, [dst] forms, errors.
require 'image'

local function px(r, g, b)
   local t = torch.Tensor(3, 1, 1)
   t[1][1][1], t[2][1][1], t[3][1][1] = r, g, b
   return t
end
local function v3(t) return { t[1][1][1], t[2][1][1], t[3][1][1] } end
local function near(a, b, tol)
   for i = 1, #b do
      if math.abs(a[i] - b[i]) > (tol or 1e-12) then return false end
   end
   return true
end

local function sample()
   local t = torch.Tensor(3, 5, 6)
   for c = 1, 3 do for y = 1, 5 do for x = 1, 6 do t[c][y][x] = ((c * 7 + y * 3 + x * 5) % 17) / 16 end end end
   return t
end

describe('image colour spaces', function()
   it('rgb2yuv and rgb2y of pure colours are the coefficient columns', function()
      assert.is_true(near(v3(image.rgb2yuv(px(1, 0, 0))), { 0.299, -0.14713, 0.615 }))
      assert.is_true(near(v3(image.rgb2yuv(px(0, 1, 0))), { 0.587, -0.28886, -0.51499 }))
      assert.is_true(near(v3(image.rgb2yuv(px(0, 0, 1))), { 0.114, 0.436, -0.10001 }))
      local y = image.rgb2y(px(0.5, 0.25, 1))
      assert.are.same({ 1, 1, 1 }, y:size():totable())
      assert.is_true(math.abs(y[1][1][1] - (0.299 * 0.5 + 0.587 * 0.25 + 0.114)) < 1e-15)
      assert.is_true(near(v3(image.yuv2rgb(px(0.5, 0, 0))), { 0.5, 0.5, 0.5 }))
      assert.is_true(near(v3(image.yuv2rgb(px(0, 1, 0))), { 0, -0.39465, 2.03211 }))
   end)

   it('rgb2hsv / rgb2hsl of red, green, blue, grey and a mixed colour', function()
      assert.are.same({ 0, 1, 1 }, v3(image.rgb2hsv(px(1, 0, 0))))
      assert.is_true(near(v3(image.rgb2hsv(px(0, 1, 0))), { 1 / 3, 1, 1 }))
      assert.is_true(near(v3(image.rgb2hsv(px(0, 0, 0.5))), { 2 / 3, 1, 0.5 }))
      assert.are.same({ 0, 0, 0.25 }, v3(image.rgb2hsv(px(0.25, 0.25, 0.25))))
      -- (1, 0.5, 0): max r, h = (g - b) / d / 6 = 1/12, s = 1, v = 1
      assert.is_true(near(v3(image.rgb2hsv(px(1, 0.5, 0))), { 1 / 12, 1, 1 }))
      assert.are.same({ 0, 1, 0.5 }, v3(image.rgb2hsl(px(1, 0, 0))))
      -- (0.5, 0.25, 0.25): l = 0.375, s = 0.25 / 0.75, h = 0
      assert.is_true(near(v3(image.rgb2hsl(px(0.5, 0.25, 0.25))), { 0, 1 / 3, 0.375 }))
      assert.are.same({ 1, 0, 0 }, v3(image.hsv2rgb(px(0, 1, 1))))
      assert.are.same({ 0.5, 0.5, 0.5 }, v3(image.hsl2rgb(px(0.7, 0, 0.5))))
   end)

   it('rgb2lab of white is (100, 0, 0), of black (0, 0, 0); lab2rgb inverts', function()
      assert.is_true(near(v3(image.rgb2lab(px(1, 1, 1))), { 100, 0, 0 }, 1e-9))
      assert.is_true(near(v3(image.rgb2lab(px(0, 0, 0))), { 0, 0, 0 }, 1e-12))
      -- the inverse matrix has 7 digits: white comes back within 1e-4
      assert.is_true(near(v3(image.lab2rgb(px(100, 0, 0))), { 1, 1, 1 }, 1e-4))
   end)

   it('round-trips: hsv, hsl exactly enough, lab and yuv to their coefficient precision', function()
      local img = sample()
      assert.is_true((image.hsv2rgb(image.rgb2hsv(img)) - img):abs():max() < 1e-12)
      assert.is_true((image.hsl2rgb(image.rgb2hsl(img)) - img):abs():max() < 1e-12)
      assert.is_true((image.lab2rgb(image.rgb2lab(img)) - img):abs():max() < 1e-4)
      assert.is_true((image.yuv2rgb(image.rgb2yuv(img)) - img):abs():max() < 1e-4)
   end)

   it('keeps float type; bytes convert hsv through 0..1 and back times 255', function()
      local f = image.rgb2hsv(sample():float())
      assert.are.equal('torch.FloatTensor', torch.typename(f))
      assert.is_true((f:double() - image.rgb2hsv(sample())):abs():max() < 1e-6)
      local b = torch.ByteTensor(3, 1, 1)
      b[1][1][1], b[2][1][1], b[3][1][1] = 255, 0, 0
      assert.are.same({ 0, 255, 255 }, v3(image.rgb2hsv(b)))
      assert.has_error(function() image.rgb2lab(b) end, 'image.rgb2lab: not supported for torch.ByteTensor')
   end)

   it('writes into a given dst, reads non-contiguous inputs', function()
      local img = sample()
      local dst = torch.Tensor()
      assert.are.equal(dst, image.rgb2hsv(dst, img))
      assert.are.same(image.rgb2hsv(img):totable(), dst:totable())
      local t = img:transpose(2, 3)
      assert.are.same(image.rgb2yuv(t:contiguous()):totable(), image.rgb2yuv(t):totable())
      assert.are.same(image.rgb2lab(t:contiguous()):totable(), image.rgb2lab(t):totable())
      local n = image.rgb2nrgb(px(1, 2, 1))
      assert.is_true(near(v3(n), { 1 / (4 + 1e-6), 2 / (4 + 1e-6), 1 / (4 + 1e-6) }))
   end)

   it('says what it expects', function()
      assert.has_error(function() image.rgb2yuv(torch.Tensor(2, 3, 3)) end,
         'image.rgb2yuv: src must have 3 channels (3xHxW), got size 2x3x3')
      assert.has_error(function() image.rgb2hsv(torch.Tensor(3, 3)) end,
         'image.rgb2hsv: src must be a non-empty 3D (CxHxW) tensor, got 2D tensor of size 3x3')
      assert.has_error(function() image.rgb2y() end, 'image.rgb2y: expected ([dst,] src)')
   end)
end)

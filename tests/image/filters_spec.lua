-- image.lcn against a plain Lua loop, gaussianpyramid levels, erode and
-- dilate on a hand-drawn binary image.
require 'image'

describe('image.lcn', function()
   it('standardises, then subtracts the local mean and divides by the local std (>= 1)', function()
      local img = torch.Tensor(6, 7)
      for y = 1, 6 do for x = 1, 7 do img[y][x] = ((y * 3 + x * 5) % 11) / 10 end end
      local k = image.gaussian(3)
      local got = image.lcn(img, k)
      assert.are.same({ 4, 5 }, got:size():totable())
      -- reference: plain loops
      local n, s, ss = 42, 0, 0
      for y = 1, 6 do for x = 1, 7 do s = s + img[y][x] end end
      local mean = s / n
      for y = 1, 6 do for x = 1, 7 do ss = ss + (img[y][x] - mean) ^ 2 end end
      local sd = math.sqrt(ss / (n - 1))
      local z = function(y, x) return (img[y][x] - mean) / sd end
      for i = 1, 4 do
         for j = 1, 5 do
            local m, m2 = 0, 0
            for a = 1, 3 do
               for b = 1, 3 do
                  local w = k[4 - a][4 - b]   -- convolution flips the kernel
                  m = m + w * z(i + a - 1, j + b - 1)
                  m2 = m2 + w * z(i + a - 1, j + b - 1) ^ 2
               end
            end
            local std = math.max(math.sqrt(math.max(m2 - m * m, 0)), 1)
            assert.is_true(math.abs(got[i][j] - (z(i + 1, j + 1) - m) / std) < 1e-12)
         end
      end
      assert.has_error(function() image.lcn(torch.Tensor(3, 6, 7)) end,
         'image.lcn: grayscale image expected (HxW or 1xHxW), got 3x6x7')
   end)
end)

describe('image.gaussianpyramid', function()
   it('gives each level at its scale, from the smoothed level before', function()
      local img = torch.Tensor(1, 8, 10):uniform()
      local p = image.gaussianpyramid(img, { 1, 0.5 })
      assert.are.equal(2, #p)
      assert.are.same(img:totable(), p[1]:totable())
      assert.are.same({ 1, 4, 5 }, p[2]:size():totable())
      local k = image.gaussian { width = 3, normalize = true }
      local want = image.scale(image.convolve(img, k, 'same'), 5, 4, 'simple')
      assert.are.same(want:totable(), p[2]:totable())
   end)
end)

describe('image.erode / image.dilate', function()
   local b = torch.Tensor {
      { 0, 0, 0, 0, 0 },
      { 0, 1, 1, 1, 0 },
      { 0, 1, 1, 1, 0 },
      { 0, 1, 1, 1, 0 },
      { 0, 0, 0, 0, 1 },
   }
   it('erode keeps pixels whose whole 3x3 neighbourhood is set', function()
      local e = image.erode(b)
      assert.are.same({ { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 }, { 0, 0, 1, 0, 0 }, { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 } }, e:totable())
   end)
   it('dilate sets pixels with any set neighbour; the padding counts outside', function()
      local d = image.dilate(b)
      assert.are.same({ { 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1 } }, d:totable())
      local one = torch.Tensor(3, 3):zero()
      one[2][2] = 1
      local right = torch.Tensor { { 0, 0, 0 }, { 0, 1, 1 }, { 0, 0, 0 } }
      -- the set of pixels p with a set pixel at p + offset for an offset the kernel marks
      assert.are.same({ { 0, 0, 0 }, { 1, 1, 0 }, { 0, 0, 0 } }, image.dilate(one, right):totable())
      assert.has_error(function() image.dilate(one, torch.ones(2, 2)) end, 'image.dilate: kernel must be a 2D tensor of odd sizes')
   end)
end)

describe('image.drawRect', function()
   it('draws the outline through the corner pixels (1-based), on a copy unless inplace', function()
      local img = torch.ByteTensor(3, 5, 6):zero()
      local r = image.drawRect(img, 2, 2, 5, 4)
      assert.are.equal(0, img:sum())
      assert.are.same({
         { 0, 0, 0, 0, 0, 0 },
         { 0, 255, 255, 255, 255, 0 },
         { 0, 255, 0, 0, 255, 0 },
         { 0, 255, 255, 255, 255, 0 },
         { 0, 0, 0, 0, 0, 0 },
      }, r[1]:totable())
      assert.are.equal(0, r[2]:sum() + r[3]:sum())
      local f = torch.Tensor(3, 4, 4):zero()
      image.drawRect(f, 1, 1, 4, 4, { inplace = true, color = { 0, 51, 0 }, lineWidth = 3 })
      assert.are.same({ 0.2, 0.2, 0.2, 0.2 }, f[2][1]:totable())
      assert.are.equal(0.2, f[2][2][2])   -- width 3 covers one pixel on each side of the line
      assert.has_error(function() image.drawRect(torch.Tensor(4, 4), 1, 1, 2, 2) end,
         'image.drawRect: image must be a 3xHxW tensor, got 4x4')
   end)
end)

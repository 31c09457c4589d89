-- image.gaussian, image.gaussian1D, image.laplacian: values against the
-- Torch7 formulas written as plain Lua loops and hand-computed numbers,
-- positional and named arguments, the result-tensor form, messages.
require 'image'

local function maxdiff(a, b) return (a - b):abs():max() end

-- Torch7's image.gaussian C kernel, element by element.
local function gauss_ref(H, W, amp, normalize, sh, sv, mh, mv)
   local g = torch.Tensor(H, W)
   local mu, mvv = mh * W + 0.5, mv * H + 0.5
   for v = 0, H - 1 do
      for u = 0, W - 1 do
         local du, dv = (u + 1 - mu) / (sh * W), (v + 1 - mvv) / (sv * H)
         g[v + 1][u + 1] = amp * math.exp(-(du * du * 0.5 + dv * dv * 0.5))
      end
   end
   if normalize then
      local s = 0
      for v = 1, H do for u = 1, W do s = s + g[v][u] end end
      g:mul(1 / s)
   end
   return g
end

local function lap_ref(H, W, amp, normalize, sh, sv, mh, mv)
   local l = torch.Tensor(H, W)
   local cx, cy = mh * W + 0.5, mv * H + 0.5
   for i = 1, H do
      for j = 1, W do
         local xsq = ((i - cx) / (sh * W)) ^ 2 / 2
         local ysq = ((j - cy) / (sv * H)) ^ 2 / 2
         l[i][j] = (1 - (xsq + ysq)) * amp * math.exp(-(xsq + ysq))
      end
   end
   if normalize then l:div(l:sum()) end
   return l
end

describe('image.gaussian1D', function()
   it('gives the default kernel by hand', function()
      local g = image.gaussian1D(5)
      -- center 3, sigma*size = 1.25: exp(-(d/1.25)^2/2) for d = 2, 1, 0
      local want = { math.exp(-1.28), math.exp(-0.32), 1, math.exp(-0.32), math.exp(-1.28) }
      assert.are.same({ 5 }, g:size():totable())
      for i = 1, 5 do assert.is_true(math.abs(g[i] - want[i]) < 1e-15) end
      assert.are.equal(3, image.gaussian1D():size(1))
   end)
   it('takes sigma, amplitude, normalize, mean, named or positional', function()
      local a = image.gaussian1D(7, 0.3, 2, false, 0.4)
      local b = image.gaussian1D { size = 7, sigma = 0.3, amplitude = 2, mean = 0.4 }
      assert.are.equal(0, maxdiff(a, b))
      for i = 1, 7 do
         local v = 2 * math.exp(-(((i - (0.4 * 7 + 0.5)) / (0.3 * 7)) ^ 2 / 2))
         assert.is_true(math.abs(a[i] - v) < 1e-14)
      end
      local n = image.gaussian1D { size = 7, sigma = 0.3, amplitude = 2, normalize = true }
      assert.is_true(math.abs(n:sum() - 1) < 1e-15)
      local t = torch.Tensor(4)
      assert.are.equal(t, image.gaussian1D { tensor = t, sigma = 0.5 })
      assert.are.equal(0, maxdiff(t, image.gaussian1D(4, 0.5)))
   end)
   it('rejects bad arguments with the function named', function()
      assert.has_error(function() image.gaussian1D(0) end, 'image.gaussian1D: size must be a positive integer, got 0')
      assert.has_error(function() image.gaussian1D('x') end, 'image.gaussian1D: size must be a positive integer, got x')
      assert.has_error(function() image.gaussian1D { tensor = torch.Tensor(2, 2) } end,
         'image.gaussian1D: tensor must be a non-empty 1D tensor, got 2x2')
      assert.has_error(function() image.gaussian1D { sise = 3 } end, 'image.gaussian1D: unknown argument sise')
   end)
end)

describe('image.gaussian', function()
   it('matches the Torch7 formula', function()
      assert.is_true(maxdiff(image.gaussian(3), gauss_ref(3, 3, 1, false, 0.25, 0.25, 0.5, 0.5)) < 1e-15)
      local g = image.gaussian(5, 0.3, 1.5, true, 7, 4, 0.2, 0.4, 0.3, 0.6)
      assert.are.same({ 4, 7 }, g:size():totable())
      assert.is_true(maxdiff(g, gauss_ref(4, 7, 1.5, true, 0.2, 0.4, 0.3, 0.6)) < 1e-15)
      assert.is_true(math.abs(g:sum() - 1) < 1e-14)
      local n = image.gaussian { width = 7, height = 4, sigma_horz = 0.2, sigma_vert = 0.4, mean_horz = 0.3,
         mean_vert = 0.6, amplitude = 1.5, normalize = true }
      assert.are.equal(0, maxdiff(n, g))
      -- centre 1 and the corners of the default 3x3: exp(-2 * (1/0.75)^2 / 2)
      local d = image.gaussian(3)
      assert.are.equal(1, d[2][2])
      assert.is_true(math.abs(d[1][1] - math.exp(-(1 / 0.75) ^ 2)) < 1e-15)
   end)
   it('writes into a given 2-D tensor, using its sizes', function()
      local t = torch.Tensor(2, 5)
      assert.are.equal(t, image.gaussian { tensor = t, sigma = 0.5 })
      assert.is_true(maxdiff(t, gauss_ref(2, 5, 1, false, 0.5, 0.5, 0.5, 0.5)) < 1e-15)
      local f = image.gaussian { tensor = torch.FloatTensor(3, 3) }
      assert.are.equal('torch.FloatTensor', torch.typename(f))
      assert.is_true(maxdiff(f:double(), image.gaussian(3)) < 1e-7)
   end)
   it('rejects bad arguments with the function named', function()
      assert.has_error(function() image.gaussian { width = 2.5 } end, 'image.gaussian: width must be a positive integer, got 2.5')
      assert.has_error(function() image.gaussian { tensor = torch.Tensor(3) } end,
         'image.gaussian: tensor must be a non-empty 2D tensor, got 3')
      assert.has_error(function() image.gaussian(3, 'a') end, 'image.gaussian: sigma_horz must be a number, got string')
   end)
end)

describe('image.laplacian', function()
   it('matches the Torch7 formula, including its row/column pairing', function()
      assert.is_true(maxdiff(image.laplacian(5), lap_ref(5, 5, 1, false, 0.1, 0.1, 0.5, 0.5)) < 1e-15)
      local l = image.laplacian { width = 5, height = 3, sigma_horz = 0.3, sigma_vert = 0.2, mean_horz = 0.4,
         amplitude = 2 }
      assert.are.same({ 3, 5 }, l:size():totable())
      assert.is_true(maxdiff(l, lap_ref(3, 5, 2, false, 0.3, 0.2, 0.4, 0.5)) < 1e-15)
      local n = image.laplacian(7, 0.25, 1, true)
      assert.is_true(math.abs(n:sum() - 1) < 1e-13)
      assert.is_true(maxdiff(n, lap_ref(7, 7, 1, true, 0.25, 0.25, 0.5, 0.5)) < 1e-15)
      -- the centre of an odd kernel is 1 * amplitude; the default 3x3's edge:
      -- s = (1/0.3)^2/2, (1 - s) * exp(-s)
      local d = image.laplacian()
      assert.are.equal(1, d[2][2])
      local s = (1 / 0.3) ^ 2 / 2
      assert.is_true(math.abs(d[1][2] - (1 - s) * math.exp(-s)) < 1e-15)
   end)
   it('rejects bad arguments with the function named', function()
      assert.has_error(function() image.laplacian(-1) end, 'image.laplacian: width must be a positive integer, got -1')
   end)
end)

describe('the image package', function()
   it('is a global after require, as in Torch7', function()
      assert.are.equal(require 'image', image)
      assert.are.equal('function', type(image.gaussian))
   end)
end)

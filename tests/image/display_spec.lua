-- image display helpers: minmax, toDisplayTensor layouts, jet colours,
-- convolve against torch.conv2, the sample photos, display (PNG file and
-- one line saying where; the notebook sink), window and Camera.
require 'image'
local ffi = require 'ffi'

describe('image.minmax', function()
   it('maps min..max to 0..1, or the given range (saturated), or symmetric', function()
      local t = torch.Tensor { 2, 4, 6 }
      assert.are.same({ 0, 0.5, 1 }, image.minmax { tensor = t }:totable())
      assert.are.same({ 2, 4, 6 }, t:totable())
      assert.are.same({ 0.5, 1, 1 }, image.minmax { tensor = t, min = 0, max = 4, saturate = true }:totable())
      assert.are.same({ 0.5, 0.25, 1 }, image.minmax { tensor = torch.Tensor { 0, -2, 4 }, symm = true }:totable())
      local out = image.minmax { tensor = t, inplace = true }
      assert.are.equal(t, out)
      assert.has_error(function() image.minmax(t) end)
   end)
end)

describe('image.toDisplayTensor', function()
   it('lays Kx1xHxW images on a grid, padding filled with the maximum', function()
      local input = torch.Tensor(3, 1, 2, 2)
      for i = 1, 12 do input:storage()[i] = i end
      local g = image.toDisplayTensor { input = input, nrow = 2, padding = 1 }
      assert.are.same({ 1, 6, 6 }, g:size():totable())
      local v = function(x) return (x - 1) / 11 end
      -- cell (1,1) at rows 1-2, cols 1-2; cell (1,2) at cols 4-5; row 2 at rows 4-5
      assert.are.same({ v(1), v(2), 1, v(5), v(6), 1 }, g[1][1]:totable())
      assert.are.same({ v(9), v(10), 1, 1, 1, 1 }, g[1][4]:totable())
      assert.are.same({ 1, 1, 1, 1, 1, 1 }, g[1][3]:totable())
   end)

   it('takes a list of images, KxHxW maps (a 2-D grid), and scales each on request', function()
      local a, b = torch.Tensor(3, 2, 2):fill(1), torch.Tensor(3, 2, 2):fill(3)
      local g = image.toDisplayTensor { input = { a, b } }
      assert.are.same({ 3, 2, 4 }, g:size():totable())
      assert.are.same({ 0, 0, 1, 1 }, g[1][1]:totable())
      local maps = torch.Tensor(4, 2, 3):uniform()
      assert.are.same({ 2, 12 }, image.toDisplayTensor(maps):size():totable())
      assert.are.same({ 4, 6 }, image.toDisplayTensor { input = maps, nrow = 2 }:size():totable())
      local se = image.toDisplayTensor { input = torch.Tensor { { { 1, 2 } }, { { 10, 30 } } }, scaleeach = true }
      assert.are.same({ { 0, 1, 0, 1 } }, se:totable())
      -- symmetric: the range is -m..m for m the largest magnitude
      assert.are.same({ { { 0, 0.75 } } }, image.toDisplayTensor { input = torch.Tensor { { { -2, 1 } } }, symmetric = true }:totable())
      -- a single image comes back scaled, not gridded
      assert.are.same({ 3, 2, 2 }, image.toDisplayTensor(torch.Tensor(3, 2, 2):uniform()):size():totable())
      assert.has_error(function() image.toDisplayTensor { input = 'x' } end,
         'image.toDisplayTensor: input must be a tensor or a list of tensors, got string')
   end)
end)

describe('image colour maps', function()
   it('jetColormap and y2jet map levels 1..L to blue..red', function()
      local m = image.jetColormap(4)
      assert.are.same({ { 0, 0.5, 1 }, { 0.5, 1, 0.5 }, { 1, 0.5, 0 }, { 0.5, 0, 0 } }, m:totable())
      local j = image.y2jet(torch.Tensor { { 1, 2 }, { 3, 4 } })
      assert.are.same({ 3, 2, 2 }, j:size():totable())
      assert.are.same({ { 0, 0.5 }, { 1, 0.5 } }, j[1]:totable())
      assert.are.same({ { 1, 0.5 }, { 0, 0 } }, j[3]:totable())
      local jb = image.y2jet(torch.ByteTensor { { 1, 4 } })
      assert.are.same({ { { 0, 128 } }, { { 128, 0 } }, { { 255, 0 } } }, jb:totable())
      assert.has_error(function() image.y2jet(torch.Tensor { { 0, 1 } }) end,
         'image.y2jet: levels must be integers within 1..L, got values 0..1')
   end)

   it('colormap spreads hues 39 degrees apart at lightness 0.5', function()
      local c = image.colormap(2)
      assert.is_true((c[1] - torch.Tensor { 0.65, 0.35, 0.35 }):abs():max() < 1e-12)
      assert.are.same({ 2, 3 }, c:size():totable())
   end)
end)

describe('image.convolve', function()
   local img = torch.Tensor(5, 6):uniform()
   local k = torch.Tensor { { 1, 2, 0 }, { 0, -1, 3 } }
   local function close(a, b) return a:isSameSizeAs(b) and (a - b):abs():max() < 1e-12 end

   -- the definition, as plain loops: full[y][x] = sum img[i][j] k[y-i+1][x-j+1]
   local function full_ref(x, kk)
      local H, W, kh, kw = x:size(1), x:size(2), kk:size(1), kk:size(2)
      local r = torch.Tensor(H + kh - 1, W + kw - 1):zero()
      for i = 1, H do for j = 1, W do for a = 1, kh do for b = 1, kw do
         r[i + a - 1][j + b - 1] = r[i + a - 1][j + b - 1] + x[i][j] * kk[a][b]
      end end end end
      return r
   end

   it("is the full convolution, its valid part, or its centre for 'same'", function()
      local full = full_ref(img, k)
      assert.is_true(close(image.convolve(img, k, 'full'), full))
      local valid = full:narrow(1, 2, 4):narrow(2, 3, 4)
      assert.is_true(close(image.convolve(img, k), valid))
      assert.is_true(close(image.convolve(img, k, 'valid'), valid))
      local same = image.convolve(img, k, 'same')
      assert.are.same({ 5, 6 }, same:size():totable())
      assert.is_true(close(same, full:narrow(1, 1, 5):narrow(2, 2, 6)))
      -- and agrees with torch.conv2
      assert.is_true(close(image.convolve(img, k, 'full'), torch.conv2(img, k, 'F')))
   end)

   it('applies a 2-D kernel to each channel of a 3-D image (or one kernel per channel), and into a dst', function()
      local rgb = torch.Tensor(3, 5, 6):uniform()
      local r = image.convolve(rgb, k, 'full')
      for c = 1, 3 do assert.is_true(close(r[c], full_ref(rgb[c], k))) end
      local k3 = torch.Tensor(3, 2, 3):uniform()
      local r3 = image.convolve(rgb, k3, 'valid')
      for c = 1, 3 do assert.is_true(close(r3[c], torch.conv2(rgb[c], k3[c], 'V'))) end
      local dst = torch.Tensor()
      image.convolve(dst, img, k)
      assert.is_true(close(dst, torch.conv2(img, k, 'V')))
      local t = rgb:transpose(2, 3)
      assert.is_true(close(image.convolve(t, k, 'full'), image.convolve(t:contiguous(), k, 'full')))
      local f = image.convolve(img:float(), k, 'full')
      assert.are.equal('torch.FloatTensor', torch.typename(f))
      assert.is_true((f:double() - full_ref(img, k)):abs():max() < 1e-5)
      assert.has_error(function() image.convolve(img, k, 'circular') end,
         'image.convolve: mode has to be one of: full | valid | same, got circular')
      assert.has_error(function() image.convolve(img, torch.Tensor(6, 2)) end,
         'image.convolve: kernel 6x2 is larger than the image 5x6')
   end)
end)

describe('image sample photos', function()
   it('lena is 3x512x512 in 0..1, fabio 1x512x512', function()
      local l = image.lena()
      assert.are.same({ 3, 512, 512 }, l:size():totable())
      assert.is_true(l:min() >= 0 and l:max() <= 1 and l:max() > 0.9 and l:std() > 0.1)
      assert.are.same({ 1, 512, 512 }, image.fabio():size():totable())
   end)
end)

describe('image.display', function()
   local dir = os.tmpname()
   os.remove(dir)
   local saved_dir, saved_print
   before_each(function()
      saved_dir, saved_print = image.display_dir, print
      image.display_dir = dir
   end)
   after_each(function()
      image.display_dir, _G.print = saved_dir, saved_print
      require('nnlua.display').set_sink(nil)
   end)
   teardown(function() os.execute("rm -rf '" .. dir .. "'") end)

   it('writes a PNG of the (zoomed) image and prints one line saying where', function()
      local lines = {}
      _G.print = function(...) lines[#lines + 1] = table.concat({ ... }, '\t') end
      local img = torch.Tensor(3, 4, 6):uniform()
      local path = image.display { image = img, zoom = 2, legend = 'my picture' }
      assert.are.equal(1, #lines)
      assert.is_truthy(lines[1]:find('my picture', 1, true))
      assert.is_truthy(lines[1]:find(path, 1, true))
      local back = image.load(path, nil, 'byte')
      assert.are.same({ 3, 8, 12 }, back:size():totable())
      local want = image.compressPNG(image.scale(image.minmax { tensor = img }, 12, 8, 'simple'))
      local f = assert(io.open(path, 'rb'))
      local got = f:read('*a')
      f:close()
      assert.are.equal(ffi.string(want:data(), want:nElement()), got)
      local p2 = image.display(torch.Tensor(2, 3):uniform())
      assert.are_not.equal(path, p2)
      assert.are.same({ 1, 2, 3 }, image.load(p2):size():totable())
   end)

   it('rewrites the same file when given its path back as win=, saying where once', function()
      local lines = {}
      _G.print = function(...) lines[#lines + 1] = table.concat({ ... }, '\t') end
      local win
      for i = 1, 3 do
         win = image.display { image = torch.Tensor(1, 2, 2):fill(i), legend = 'filters', win = win }
      end
      assert.are.equal(1, #lines)
      assert.is_truthy(lines[1]:find(win, 1, true))
      assert.are.same({ 1, 2, 2 }, image.load(win):size():totable())
   end)

   it('hands the PNG to a notebook sink when one is installed', function()
      local got
      require('nnlua.display').set_sink(function(bundle) got = bundle end)
      local r = image.display(torch.Tensor(1, 2, 2):fill(0.5))
      assert.is_nil(r)
      assert.are.equal('\137PNG', got['image/png']:sub(1, 4))
      assert.are.equal('image.display', got['text/plain'])
   end)

   it('does not fail a script when the file cannot be written', function()
      local lines = {}
      _G.print = function(...) lines[#lines + 1] = table.concat({ ... }, '\t') end
      image.display_dir = '/proc/no-such-dir'
      assert.is_nil(image.display(torch.Tensor(2, 2):uniform()))
      assert.are.equal(1, #lines)
      assert.is_truthy(lines[1]:find('not shown', 1, true))
   end)
end)

describe('image without a window system or camera', function()
   it('image.window returns nil with a note; image.Camera raises a clear error', function()
      local saved = print
      local lines = {}
      _G.print = function(...) lines[#lines + 1] = table.concat({ ... }, '\t') end
      local w = image.window()
      _G.print = saved
      assert.is_nil(w)
      assert.are.equal(1, #lines)
      assert.has_error(function() image.Camera { idx = 0 } end,
         'image.Camera: no camera support in nnlua (no video capture); read frames from files with image.load')
   end)
end)

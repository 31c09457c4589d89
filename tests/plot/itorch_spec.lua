-- itorch outside and inside a notebook: itorch.image (grids as
-- image.toDisplayTensor lays them out, PNG pixels checked), itorch.html,
-- itorch.audio/video, itorch.Plot (self-contained HTML with inline SVG),
-- and the bundles handed to nnlua.display's sink.
require 'torch'
local paths = require 'paths'
local U = dofile(NNLUA_ROOT .. '/tests/plot/plot_util.lua')
local png = require 'optim.png'
local display = require 'nnlua.display'
require 'itorch'
local Plot = require 'itorch.Plot'

local function count(s, piece)
   local n, i = 0, 1
   while true do
      local a, b = s:find(piece, i, true)
      if not a then return n end
      n, i = n + 1, b + 1
   end
end

-- runs fn with a sink installed; returns the bundles and printed lines
local function in_notebook(fn)
   local bundles, metas = {}, {}
   display.set_sink(function(b, m) bundles[#bundles + 1] = b; metas[#metas + 1] = m end)
   local ok, lines = pcall(U.printed, fn)
   display.set_sink(nil)
   if not ok then error(lines, 0) end
   return bundles, lines, metas
end

local function grey(c, x, y)
   local r, g, b = c:get(x, y)
   assert.are.same({ r, r }, { g, b })
   return r
end

describe('itorch', function()
   local dir
   before_each(function()
      dir = U.tmpdir()
      itorch.plotdir(dir)
   end)
   after_each(function() paths.rmall(dir, 'yes') end)

   it('require works in scripts; itorch.Plot is require "itorch.Plot"', function()
      assert.are.equal(itorch, package.loaded.itorch)
      assert.are.equal(Plot, itorch.Plot)
   end)

   it('image writes a PNG scaled to 0..1 and says where', function()
      local path
      local lines = U.printed(function()
         path = itorch.image(torch.Tensor { { { 0, 0.5 }, { 1, 0.25 } } }, { padding = 0 })
      end)
      assert.are.equal(paths.concat(dir, 'image1.png'), path)
      assert.are.same({ 'itorch.image: written to ' .. path }, lines)
      local w, h, c = png.decode(U.read(path))
      assert.are.same({ 2, 2 }, { w, h })
      assert.are.same({ 0, 128, 255, 64 }, { grey(c, 0, 0), grey(c, 1, 0), grey(c, 0, 1), grey(c, 1, 1) })
      -- a byte image with min/max given keeps its values
      U.printed(function() path = itorch.image(torch.Tensor { 10, 200 }:view(1, 1, 2), { min = 0, max = 255, padding = 0 }) end)
      w, h, c = png.decode(U.read(path))
      assert.are.same({ 10, 200 }, { grey(c, 0, 0), grey(c, 1, 0) })
   end)

   it('a table of images is a grid with padding (default 2), as toDisplayTensor', function()
      local imgs = {}
      for k = 1, 3 do imgs[k] = torch.Tensor(3, 4, 5):fill(k) end
      local path
      U.printed(function() path = itorch.image(imgs) end)
      local w, h, c = png.decode(U.read(path))
      -- 3 images in one row: (4+2) x 3*(5+2)
      assert.are.same({ 21, 6 }, { w, h })
      -- values 1..3 scaled to 0..1; padding takes the maximum
      assert.are.same({ 255, 255, 255 }, { c:get(0, 0) })
      assert.are.same({ 0, 0, 0 }, { c:get(1, 1) })
      assert.are.same({ 0, 0, 0 }, { c:get(5, 4) })
      assert.are.same({ 128, 128, 128 }, { c:get(8, 1) })
      assert.are.same({ 255, 255, 255 }, { c:get(15, 1) })
      assert.are.same({ 255, 255, 255 }, { c:get(6, 1) })
      -- a KxHxW batch of maps on rows of nrow
      U.printed(function() path = itorch.image(torch.rand(5, 3, 2), { nrow = 2, padding = 0 }) end)
      w, h = png.decode(U.read(path))
      assert.are.same({ 4, 9 }, { w, h })
   end)

   it('the grid equals image.toDisplayTensor for every layout and scaling option', function()
      local image = require 'image'
      torch.manualSeed(5)
      local cases = {
         { input = { torch.rand(3, 5, 4), torch.rand(3, 5, 4), torch.rand(3, 5, 4) }, padding = 2 },
         { input = torch.rand(7, 4, 3), nrow = 3, padding = 1 },
         { input = torch.rand(5, 1, 4, 4), scaleeach = true, padding = 2 },
         { input = torch.rand(3, 6, 6) },
         { input = torch.randn(4, 3, 3), symmetric = true },
         { input = torch.rand(2, 3, 4, 4), min = 0.2, max = 0.8 },
      }
      for i, c in ipairs(cases) do
         local a, b = image.toDisplayTensor(c), itorch.tile(c)
         assert.are.same(a:size():totable(), b:size():totable(), 'case ' .. i)
         assert.are.equal(0, (a:double() - b):abs():max(), 'case ' .. i)
      end
   end)

   it('image of a file name reads it with image.load', function()
      local image = require 'image'
      local t = torch.Tensor(3, 2, 2):zero()
      t[2][1][2] = 1
      image.save(dir .. '/in.png', t)
      local path
      U.printed(function() path = itorch.image(dir .. '/in.png') end)
      local w, h, c = png.decode(U.read(path))
      assert.are.same({ 2, 2 }, { w, h })
      assert.are.same({ 0, 255, 0 }, { c:get(1, 0) })
      assert.are.same({ 0, 0, 0 }, { c:get(0, 1) })
   end)

   it('image in a notebook: one image/png bundle, no file, nothing printed', function()
      local t = torch.Tensor(3, 2, 3):zero()
      t[1][1][1] = 1
      local bundles, lines, metas = in_notebook(function() itorch.image(t, { padding = 0 }) end)
      assert.are.same({}, lines)
      assert.are.equal(1, #bundles)
      local w, h, c = png.decode(bundles[1]['image/png'])
      assert.are.same({ 3, 2 }, { w, h })
      assert.are.same({ 255, 0, 0 }, { c:get(0, 0) })
      assert.are.same({ 0, 0, 0 }, { c:get(1, 0) })
      assert.are.same({ width = 3, height = 2 }, metas[1]['image/png'])
      assert.is_false(paths.filep(paths.concat(dir, 'image1.png')))
   end)

   it('html writes a page or hands text/html to the notebook', function()
      local id
      local lines = U.printed(function() id = itorch.html('<p><b>Hi</b> there</p>') end)
      assert.are.equal('string', type(id))
      local page = U.read(paths.concat(dir, 'html1.html'))
      assert.truthy(page:find('<body>\n<p><b>Hi</b> there</p>\n</body>', 1, true))
      assert.are.same({ 'itorch.html: written to ' .. paths.concat(dir, 'html1.html') }, lines)
      local bundles = in_notebook(function() assert.are.equal('w1', itorch.html('<i>x</i>', 'w1')) end)
      assert.are.same({ { ['text/html'] = '<i>x</i>' } }, bundles)
   end)

   it('audio and video: a message outside a notebook, a data URI inside', function()
      local f = dir .. '/a.wav'
      local h = io.open(f, 'wb')
      h:write('RIFF1234')
      h:close()
      local lines = U.printed(function() assert.are.equal(f, itorch.audio(f)) end)
      assert.are.same({ 'itorch.audio: audio plays in a notebook only; the file is ' .. f }, lines)
      local bundles = in_notebook(function() itorch.audio(f) end)
      assert.truthy(bundles[1]['text/html']:find('<audio controls src="data:audio/wav;base64,UklGRjEyMzQ="></audio>', 1, true))
      assert.has_error(function() itorch.video(dir .. '/a.avi') end,
         'itorch.video: mp4, ogg, webm files are supported, got ' .. dir .. '/a.avi')
      assert.has_error(function() itorch.audio(dir .. '/none.mp3') end, 'itorch.audio: cannot open ' .. dir .. '/none.mp3')
   end)

   it('Plot: line, scatter, histogram, title, axes, legend drawn as inline SVG in an HTML file', function()
      local x = torch.Tensor { 0, 1, 2, 3 }
      local p
      local lines = U.printed(function()
         p = Plot():line(x, torch.Tensor { 0, 1, 4, 9 }, 'red', 'squares')
            :scatter(x, torch.Tensor { 1, 2, 3, 4 }, 'blue', 'plus one')
            :histogram(torch.Tensor { 1, 2, 2, 3 }, 3, nil, nil, 'green', 'counts')
            :title('Demo <1>'):xaxis('epoch'):yaxis('loss'):legend(true):draw()
      end)
      local path = paths.concat(dir, 'plot1.html')
      assert.are.same({ 'itorch.Plot: written to ' .. path }, lines)
      local page = U.read(path)
      assert.are.equal(p:toHTML(), page)
      assert.truthy(page:find('^<!DOCTYPE html>'))
      assert.are.equal(1, count(page, '<svg'))
      assert.are.equal(0, count(page, '<script'))
      assert.are.equal(0, count(page, 'src='))
      assert.are.equal(1, count(page, '<polyline fill="none" stroke="red" stroke-width="2" points="'))
      -- 4 points plus the legend's marker
      assert.are.equal(5, count(page, '<circle'))
      assert.are.equal(5, count(page, 'stroke="blue"/>'))
      -- 3 bars and the legend's swatch
      assert.are.equal(4, count(page, 'fill="green" fill-opacity="0.7"'))
      assert.truthy(page:find('>Demo &lt;1&gt;</text>', 1, true))
      assert.truthy(page:find('<title>Demo &lt;1&gt;</title>', 1, true))
      assert.truthy(page:find('>epoch</text>', 1, true))
      assert.truthy(page:find('>loss</text>', 1, true))
      for _, name in ipairs { 'squares', 'plus one', 'counts' } do assert.truthy(page:find('>' .. name .. '</text>', 1, true)) end
      assert.are.same({ 1, 2, 1 }, p._data[3].y1)
      for i, v in ipairs { 1, 5 / 3, 7 / 3 } do assert.is_true(math.abs(p._data[3].x0[i] - v) < 1e-12) end
      -- the line's points: x grows left to right, y grows upwards
      local pts = page:match('stroke="red" stroke%-width="2" points="([^"]+)"')
      local coords = {}
      for a, b in pts:gmatch('([%d.]+),([%d.]+)') do coords[#coords + 1] = { tonumber(a), tonumber(b) } end
      assert.are.equal(4, #coords)
      for i = 2, 4 do
         assert.is_true(coords[i][1] > coords[i - 1][1])
         assert.is_true(coords[i][2] < coords[i - 1][2])
      end
      -- redraw rewrites the same file without a second line; save writes elsewhere
      lines = U.printed(function() p:triangle({ 1 }, { 1 }, 'purple', 'tri'):redraw() end)
      assert.are.same({}, lines)
      assert.truthy(U.read(path):find('>tri</text>', 1, true))
      p:save(dir .. '/saved.html')
      assert.are.equal(p:toHTML(), U.read(dir .. '/saved.html'))
   end)

   it('Plot in a notebook hands text/html with the SVG', function()
      local bundles, lines = in_notebook(function()
         Plot():line({ 1, 2 }, { 2, 1 }, 'black', 'l'):title('T'):draw()
      end)
      assert.are.same({}, lines)
      assert.are.equal(1, #bundles)
      assert.truthy(bundles[1]['text/html']:find('<svg', 1, true))
      assert.are.equal('itorch.Plot: T', bundles[1]['text/plain'])
      assert.is_false(paths.filep(paths.concat(dir, 'plot1.html')))
   end)

   it('gscatter groups by label; quiver draws arrows; text labels points', function()
      local p = Plot():gscatter(torch.Tensor { 1, 2, 3, 4 }, torch.Tensor { 1, 2, 3, 4 }, torch.Tensor { 1, 2, 1, 2 })
      assert.are.equal(2, #p._data)
      assert.are.same({ 1, 3 }, p._data[1].x)
      assert.are.equal('Class 2', p._data[2].legend)
      assert.is_true(p._legend)
      local q = Plot():quiver(torch.Tensor { { 40, 0 } }, torch.Tensor { { 0, 40 } }):text({ 1 }, { 1 }, { 'a&b' })
      assert.are.same({ 2, 1 }, q._data[1].x1)
      assert.are.same({ 1, 3 }, q._data[1].y1)
      assert.are.equal(4, #q._data[2].x0)
      assert.truthy(q:toSVG():find('>a&amp;b</text>', 1, true))
   end)

   it('bad input raises messages naming the call', function()
      assert.has_error(function() Plot():line(torch.Tensor(3), torch.Tensor(4)) end,
         'itorch.Plot:line: x has 3 elements and y has 4: expected the same number')
      assert.has_error(function() Plot():circle(torch.Tensor(2, 2), torch.Tensor(4)) end,
         'itorch.Plot:circle: x must be a 1D tensor or a table of N numbers, got a tensor of 2 dimensions')
      assert.has_error(function() Plot():save(dir) end, 'itorch.Plot:save: filename has to be provided and should not be a directory')
      assert.has_error(function() itorch.image(5) end,
         'itorch.image: expected a tensor, a table of tensors or a file name, got a number')
      assert.has_error(function() itorch.image(torch.Tensor(2, 2, 2, 2)) end,
         'itorch.image: expected HxW, CxHxW, KxHxW or Kx3xHxW, got a tensor of size 2x2x2x2')
      assert.has_error(function() itorch.html(3) end, 'itorch.html: expected a string of HTML, got a number')
   end)

   it('a script run by nnlua from another folder writes its files there (gnuplot finished before os.exit)', function()
      local script = dir .. '/s.lua'
      local f = io.open(script, 'w')
      f:write([[
require 'itorch'
require 'gnuplot'
itorch.image(torch.rand(3, 8, 8))
itorch.Plot():line({1, 2, 3}, {3, 1, 2}):draw()
gnuplot.plot(torch.Tensor{1, 3, 2})
os.exit(0)
]])
      f:close()
      local root = io.popen('cd ' .. NNLUA_ROOT .. ' && pwd'):read('*l')
      local p = io.popen('cd ' .. dir .. ' && ' .. root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua s.lua 2>&1')
      local out = p:read('*a')
      p:close()
      local real = io.popen('cd ' .. dir .. ' && pwd -P'):read('*l')
      assert.are.equal('itorch.image: written to ' .. real .. '/plots/image1.png\n'
         .. 'itorch.Plot: written to ' .. real .. '/plots/plot1.html\n'
         .. 'gnuplot: figure 1 is drawn to ' .. real .. '/plots/figure1.png\n', out)
      assert.are.same({ 640, 480 }, { U.png_size(U.read(dir .. '/plots/figure1.png')) })
      -- one image: no padding, as toDisplayTensor
      assert.are.same({ 8, 8 }, { U.png_size(U.read(dir .. '/plots/image1.png')) })
   end)
end)

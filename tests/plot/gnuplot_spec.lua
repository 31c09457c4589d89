-- gnuplot: PNG files drawn by the gnuplot program (gnuplot-nox, installed
-- by scripts/setup), the command text sent for plots, the note when the
-- program is missing, and inline PNGs through nnlua.display in a notebook.
require 'torch'
local paths = require 'paths'
local U = dofile(NNLUA_ROOT .. '/tests/plot/plot_util.lua')

local gnuplot = require 'gnuplot'
local display = require 'nnlua.display'

-- the texts made for gnuplot while fn runs (not sent: the files are
-- checked by the specs above)
local function sent(fn)
   local texts = {}
   gnuplot._sethook(function(n, t)
      texts[#texts + 1] = { n = n, text = t }
      return false
   end)
   local ok, err = pcall(fn)
   gnuplot._sethook(nil)
   if not ok then error(err, 0) end
   return texts
end

local function plain(s) return (s:gsub('%p', '%%%0')) end
local function has(text, piece)
   assert(text:find(piece, 1, true), 'expected to find\n' .. piece .. '\nin\n' .. text)
end

describe('gnuplot files', function()
   local dir
   before_each(function()
      dir = U.tmpdir()
      gnuplot.plotdir(dir .. '/plots')
   end)
   after_each(function()
      gnuplot.closeall()
      paths.rmall(dir, 'yes')
   end)

   it('figure + plot writes plots/figure<N>.png and says so once', function()
      local n
      local lines = U.printed(function()
         n = gnuplot.figure()
         gnuplot.plot(torch.Tensor { 3, 1, 2 })
         gnuplot.title('loss')
         gnuplot.xlabel('epoch')
         gnuplot.grid(true)
         gnuplot.plotflush()
      end)
      local path = dir .. '/plots/figure' .. n .. '.png'
      assert.are.same({ 'gnuplot: figure ' .. n .. ' is drawn to ' .. path }, lines)
      local w, h = U.png_size(U.read(path))
      assert.are.same({ 640, 480 }, { w, h })
   end)

   it('pngfigure writes the named file; figure sizes apply', function()
      local f = dir .. '/x.png'
      local lines = U.printed(function()
         gnuplot.pngfigure(f)
         gnuplot.plot(torch.linspace(0, 1, 5), torch.linspace(0, 1, 5):pow(2), '-')
         gnuplot.plotflush()
      end)
      assert.are.same({}, lines)
      assert.are.same({ 640, 480 }, { U.png_size(U.read(f)) })
      U.printed(function()
         local n = gnuplot.figure(7, { width = 320, height = 200 })
         assert.are.equal(7, n)
         gnuplot.plot(torch.Tensor { 1, 2 })
         gnuplot.close(7)
      end)
      assert.are.same({ 320, 200 }, { U.png_size(U.read(dir .. '/plots/figure7.png')) })
   end)

   it('imagesc, hist, splot, scatter3 and bar draw PNG files', function()
      local cases = {
         imagesc = function() gnuplot.imagesc(torch.rand(8, 12), 'color') end,
         imagesc_gray = function() gnuplot.imagesc(torch.rand(5, 5)) end,
         hist = function() gnuplot.hist(torch.randn(200), 10) end,
         splot = function() gnuplot.splot(torch.rand(6, 7)) end,
         scatter3 = function() gnuplot.scatter3(torch.rand(10), torch.rand(10), torch.rand(10)) end,
         bar = function() gnuplot.bar(torch.Tensor { 1, 3, 2 }) end,
      }
      -- one gnuplot draws them all in turn; plotflush waits for it
      for name, draw in pairs(cases) do
         gnuplot.pngfigure(dir .. '/' .. name .. '.png', 1)
         draw()
      end
      gnuplot.plotflush(1)
      for name in pairs(cases) do
         local s = U.read(dir .. '/' .. name .. '.png')
         assert.is_true(s ~= nil and #s > 1000, name)
         assert.are.same({ 640, 480 }, { U.png_size(s) }, name)
      end
   end)

   it('a bad raw command is reported by gnuplot and skipped; the figure still draws', function()
      local f = dir .. '/raw.png'
      gnuplot.pngfigure(f, 1)
      gnuplot.raw('set xtics 1')
      gnuplot.raw('this is not a gnuplot command (the spec sends it on purpose)')
      gnuplot.plot(torch.Tensor { 1, 2, 3 })
      gnuplot.plotflush(1)
      local s = U.read(f)
      assert.is_true(#s > 1000)
      assert.are.same({ 640, 480 }, { U.png_size(s) })
   end)

   it('epsfigure, svgfigure and figprint write their formats', function()
      -- one figure (one gnuplot) switched between files
      gnuplot.epsfigure(dir .. '/a.eps', 1)
      gnuplot.plot(torch.Tensor { 1, 2, 3 })
      gnuplot.svgfigure(dir .. '/a.svg', 1)
      gnuplot.plot(torch.Tensor { 1, 2, 3 })
      gnuplot.figprint(dir .. '/b.png')
      gnuplot.close(1)
      assert.are.equal('%!PS-Adobe', U.read(dir .. '/a.eps'):sub(1, 10))
      assert.truthy(U.read(dir .. '/a.svg'):find('<svg', 1, true))
      assert.are.same({ 640, 480 }, { U.png_size(U.read(dir .. '/b.png')) })
   end)
end)

describe('gnuplot command text', function()
   local dir
   before_each(function()
      dir = U.tmpdir()
      gnuplot.plotdir(dir)
   end)
   after_each(function()
      gnuplot.closeall()
      paths.rmall(dir, 'yes')
   end)

   it('several series with legends, styles and inline data', function()
      local x = torch.Tensor { 1, 2, 3 }
      local texts
      U.printed(function()
         texts = sent(function()
            gnuplot.figure(3)
            gnuplot.plot({ { 'sin', x, torch.Tensor { 0.5, 0.25, 2 }, '-' }, { "it's", x, torch.Tensor { -1, 1e-7, 1e6 }, '+' },
               { x, x, '~' }, { 'bars', x, '|' } })
         end)
      end)
      assert.are.equal(1, #texts)
      assert.are.equal(3, texts[1].n)
      local t = texts[1].text
      has(t, "plot '-' title 'sin' with lines, '-' title 'it''s' with points, '-' title '' smooth csplines, " ..
         "'-' title 'bars' with boxes\n")
      has(t, "\n1 0.5\n2 0.25\n3 2\ne\n1 -1\n2 1e-07\n3 1000000\ne\n1 1\n2 2\n3 3\ne\n1 1\n2 2\n3 3\ne\n")
      has(t, 'set terminal pngcairo size 640,480 noenhanced\n')
      has(t, "set output '" .. dir .. "/figure3.png'\n")
      assert.truthy(t:find('unset output\n$'))
   end)

   it('y alone, an Nx2 matrix, default style and acsplines weight', function()
      local texts
      U.printed(function()
         texts = sent(function()
            gnuplot.figure(1)
            gnuplot.plot(torch.Tensor { 5, 6 })
            gnuplot.plot('m', torch.Tensor { { 1, 10 }, { 2, 20 } })
            gnuplot.plot('w', torch.Tensor { 1, 2, 3, 4 }, torch.Tensor { 3, 4, 4, 3 }, '~0.5')
         end)
      end)
      has(texts[1].text, "plot '-' title ''\n1 5\n2 6\ne\n")
      has(texts[2].text, "plot '-' title 'm'\n1 10\n2 20\ne\n")
      has(texts[3].text, "plot '-' title 'w' smooth acsplines\n1 3 0.5\n2 4 0.5\n3 4 0.5\n4 3 0.5\ne\n")
   end)

   it('settings: title, labels, grid, legend place, axis; each redraws with the plot', function()
      local texts
      U.printed(function()
         texts = sent(function()
            gnuplot.figure(2)
            gnuplot.plot(torch.Tensor { 1, 2 })
            gnuplot.title('Loss')
            gnuplot.xlabel('epoch')
            gnuplot.ylabel('nll')
            gnuplot.grid(true)
            gnuplot.movelegend('left', 'top')
            gnuplot.axis { 0, 10, -1, 1.5 }
            gnuplot.logscale(true)
            gnuplot.grid(false)
            gnuplot.raw('set xtics 2')
         end)
      end)
      assert.are.equal(10, #texts)
      local t = texts[#texts].text
      -- settings come after the terminal and before the plot, in the order set
      local order = { "set terminal", "set title 'Loss'", "set xlabel 'epoch'", "set ylabel 'nll'", 'set key left top',
         'set xrange [0:10]\nset yrange [-1:1.5]', 'set logscale y', 'set xtics 2', "plot '-' title ''" }
      local at = 0
      for _, piece in ipairs(order) do
         local i = t:find(piece, 1, true)
         assert(i and i > at, 'out of order or missing: ' .. piece .. '\n' .. t)
         at = i
      end
      assert.is_nil(t:find('set grid', 1, true))
      has(texts[5].text, 'set grid\n')
      -- a later title replaces the earlier one
      texts = sent(function() gnuplot.title('Other') end)
      assert.is_nil(texts[1].text:find("'Loss'", 1, true))
      has(texts[1].text, "set title 'Other'\n")
   end)

   it('plots over 10000 points use the libgd terminal and thin lines (cairo is slow on them)', function()
      local texts
      U.printed(function()
         texts = sent(function()
            gnuplot.figure(1)
            gnuplot.plot(torch.rand(10000), '-')
            gnuplot.plot(torch.rand(10001), '-')
         end)
      end)
      has(texts[1].text, 'set terminal pngcairo size 640,480 noenhanced\n')
      has(texts[1].text, "set linetype 1 linecolor rgb '#1f77b4' linewidth 2 ")
      has(texts[2].text, 'set terminal png size 640,480 noenhanced\n')
      has(texts[2].text, "set linetype 1 linecolor rgb '#1f77b4' linewidth 1 ")
   end)

   it('each figure keeps its own plot and settings', function()
      local texts
      U.printed(function()
         texts = sent(function()
            assert.are.equal(1, gnuplot.figure(1))
            gnuplot.plot('one', torch.Tensor { 1, 2 })
            gnuplot.title('first')
            assert.are.equal(2, gnuplot.figure())
            gnuplot.plot('two', torch.Tensor { 3, 4 })
            gnuplot.figure(1)
            gnuplot.xlabel('x1')
         end)
      end)
      assert.are.same({ 1, 1, 2, 1 }, { texts[1].n, texts[2].n, texts[3].n, texts[4].n })
      has(texts[4].text, "set title 'first'\nset xlabel 'x1'\nplot '-' title 'one'\n1 1\n2 2\ne\n")
      assert.is_nil(texts[3].text:find('first', 1, true))
   end)

   it('imagesc sends the matrix row by row with row 1 on top', function()
      local texts
      U.printed(function()
         texts = sent(function()
            gnuplot.figure(1)
            gnuplot.imagesc(torch.Tensor { { 1, 2, 3 }, { 4, 5, 6 } }, 'color')
         end)
      end)
      local t = texts[1].text
      has(t, 'set view map\nset palette color\nset xrange [-0.5:2.5]\nset yrange [1.5:-0.5]\n')
      has(t, "splot '-' matrix with image notitle\n1 2 3\n4 5 6\ne\n")
   end)

   it('splot sends the grid with blank lines between rows', function()
      local texts
      U.printed(function()
         texts = sent(function()
            gnuplot.figure(1)
            gnuplot.splot('z', torch.Tensor { { 1, 2 }, { 3, 4 } })
         end)
      end)
      has(texts[1].text, "splot '-' title 'z' with lines\n1 1 1\n1 2 2\n\n2 1 3\n2 2 4\n\ne\n")
   end)

   it('hist counts into bins and plots the counts as boxes', function()
      local texts, h
      U.printed(function()
         texts = sent(function()
            gnuplot.figure(1)
            h = gnuplot.hist(torch.Tensor { 1, 2, 2, 3, 3, 3 }, 3, 1, 4)
         end)
      end)
      assert.are.same({ 1, 2, 3 }, h.raw:totable())
      assert.are.equal(3, h.bins)
      assert.are.equal(1, h.binwidth)
      assert.are.same({ 1.5, 2.5, 3.5 }, { h[1].val, h[2].val, h[3].val })
      assert.are.equal(3, h.max)
      assert.are.equal(1, h.min)
      has(texts[1].text, "plot '-' title '' with boxes\n1.5 1\n2.5 2\n3.5 3\ne\n")
      assert.truthy(tostring(h):find('max:(bin:3/#3/cntr:3.50)', 1, true))
   end)

   it('bad arguments raise messages naming the function', function()
      assert.has_error(function() gnuplot.plot() end, 'gnuplot.plot: no inputs, expecting at least a tensor')
      assert.has_error(function() gnuplot.plot(torch.Tensor(3), torch.Tensor(4)) end,
         'gnuplot.plot: x has 3 points and y has 4: expected the same number')
      assert.has_error(function() gnuplot.plot('a', 'b') end,
         'gnuplot.plot: argument 2 is a string; expecting [string,] tensor [,tensor] [,string]')
      assert.has_error(function() gnuplot.imagesc(torch.Tensor(3)) end,
         'gnuplot.imagesc: expected a matrix, got a tensor of 1 dimensions')
      assert.has_error(function() gnuplot.splot(torch.Tensor(2, 2), torch.Tensor(2, 3), torch.Tensor(2, 2)) end,
         'gnuplot.splot: x, y and z must be matrices of one size, got 2x2, 2x3 and 2x2')
      assert.has_error(function() gnuplot.movelegend('up', 'top') end,
         'gnuplot.movelegend: unknown location up top: expected {left|right|center} {bottom|top|middle}')
      assert.has_error(function() gnuplot.axis { 1, 2 } end, 'gnuplot.axis: expected {xmin, xmax, ymin, ymax}, got 2 numbers')
      assert.has_error(function() gnuplot.pngfigure(dir .. '/no/such/x.png') end,
         'cannot save to ' .. dir .. '/no/such/x.png: directory does not exist')
      assert.has_error(function() gnuplot.hist(torch.Tensor { 1 }, 0) end,
         'gnuplot.histc: the number of bins must be a positive integer, got 0')
   end)
end)

describe('gnuplot without the program', function()
   it('prints one note per figure saying where the plot would have gone', function()
      local dir = U.tmpdir()
      gnuplot.plotdir(dir)
      local lines = U.printed(function()
         gnuplot.setgnuplotexe('/nonexistent')
         local n = gnuplot.figure(4)
         gnuplot.plot(torch.Tensor { 1, 2 })
         gnuplot.title('t')
         gnuplot.plotflush()
         gnuplot.pngfigure(dir .. '/p.png', 5)
         gnuplot.imagesc(torch.rand(2, 2))
         gnuplot.plotflush()
      end)
      assert.are.same({
         'gnuplot: /nonexistent does not exist; plots will not be drawn',
         'gnuplot: the gnuplot program is not installed (Debian package gnuplot-nox); figure 4 would have been drawn to '
            .. dir .. '/figure4.png',
         'gnuplot: the gnuplot program is not installed (Debian package gnuplot-nox); figure 5 would have been drawn to '
            .. dir .. '/p.png',
      }, lines)
      assert.is_false(paths.filep(dir .. '/figure4.png'))
      assert.is_false(gnuplot._available())
      gnuplot.closeall() -- looks for the program again
      assert.is_true(gnuplot._available())
      paths.rmall(dir, 'yes')
   end)
end)

describe('gnuplot in a notebook', function()
   it('hands each plot and plotflush to the display sink as PNG bytes', function()
      local bundles = {}
      display.set_sink(function(b, m) bundles[#bundles + 1] = b end)
      local ok, err = pcall(function()
         local lines = U.printed(function()
            gnuplot.figure(1, { width = 300, height = 200 })
            gnuplot.plot(torch.Tensor { 1, 3, 2 }, '-')
            gnuplot.title('inline')
         end)
         assert.are.same({}, lines)
         assert.are.equal(1, #bundles)
         assert.are.same({ 300, 200 }, { U.png_size(bundles[1]['image/png']) })
         assert.are.equal('gnuplot figure 1', bundles[1]['text/plain'])
         gnuplot.plotflush()
         assert.are.equal(2, #bundles)
         assert.are.same({ 300, 200 }, { U.png_size(bundles[2]['image/png']) })
         gnuplot.imagesc(torch.rand(3, 3))
         assert.are.equal(3, #bundles)
      end)
      display.set_sink(nil)
      gnuplot.closeall()
      if not ok then error(err, 0) end
   end)
end)

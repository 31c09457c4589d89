-- optim.Logger:plot() through gnuplot (PNG and Torch7's EPS next to the
-- log), its own PNG drawing when gnuplot is missing, and the notebook sink.
require 'torch'
local paths = require 'paths'
local optim = require 'optim'
local U = dofile(NNLUA_ROOT .. '/tests/plot/plot_util.lua')
local gnuplot = require 'gnuplot'
local display = require 'nnlua.display'

local function logger(dir)
   local l = optim.Logger(dir .. '/train.log')
   l:setNames { 'train error', 'test error' }
   for i = 1, 12 do l:add { 1 / i, 1.2 / i } end
   l:style { '-', '+-' }
   return l
end

describe('optim.Logger:plot', function()
   it('draws through gnuplot: NAME.png and NAME.eps, the command text, one line saying where', function()
      local dir = U.tmpdir()
      local l = logger(dir)
      local texts = {}
      gnuplot._sethook(function(n, t) texts[#texts + 1] = t end)
      local out
      local lines = U.printed(function()
         out = l:plot()
         l:plot()
      end)
      gnuplot._sethook(nil)
      assert.are.equal(dir .. '/train.log.png', out)
      assert.are.same({ '<Logger> plot drawn to ' .. out .. ' and ' .. dir .. '/train.log.eps' }, lines)
      assert.are.same({ 640, 400 }, { U.png_size(U.read(out)) })
      assert.are.equal('%!PS-Adobe', U.read(dir .. '/train.log.eps'):sub(1, 10))
      -- two drawings per plot(): the PNG, then the EPS
      assert.are.equal(4, #texts)
      local t = texts[1]
      assert.truthy(t:find("set title '<Logger::" .. dir .. "/train.log>'\nset grid\n", 1, true))
      assert.truthy(t:find("plot '-' title 'train error' with lines, '-' title 'test error' with linespoints\n1 1\n2 0.5\n", 1, true))
      assert.truthy(t:find('set terminal pngcairo size 640,400 noenhanced', 1, true))
      assert.truthy(texts[2]:find('set terminal postscript eps color noenhanced', 1, true))
      -- log scale, a raw command, the size fields, one series
      l:setlogscale(true)
      l.plotRawCmd = 'set xtics 5'
      l.plotWidth, l.plotHeight = 320, 200
      texts = {}
      gnuplot._sethook(function(n, tx) texts[#texts + 1] = tx end)
      l:plot('test error')
      gnuplot._sethook(nil)
      assert.are.same({ 320, 200 }, { U.png_size(U.read(out)) })
      assert.truthy(texts[1]:find('set logscale y\nset xtics 5\n', 1, true))
      assert.truthy(texts[1]:find("plot '-' title 'test error' with linespoints\n", 1, true))
      assert.is_nil(texts[1]:find('train error', 1, true))
      paths.rmall(dir, 'yes')
   end)

   it('draws its own PNG (no EPS) when gnuplot is missing', function()
      local dir = U.tmpdir()
      local l = logger(dir)
      local out
      local lines = U.printed(function()
         gnuplot.setgnuplotexe('/nonexistent')
         out = l:plot()
      end)
      gnuplot.closeall()
      assert.are.same({ 'gnuplot: /nonexistent does not exist; plots will not be drawn',
         '<Logger> plot drawn to ' .. out }, lines)
      assert.are.same({ 640, 400 }, { U.png_size(U.read(out)) })
      assert.is_false(paths.filep(dir .. '/train.log.eps'))
      paths.rmall(dir, 'yes')
   end)

   it('in a notebook, shows the PNG inline unless display(false)', function()
      local dir = U.tmpdir()
      local l = logger(dir)
      local bundles = {}
      display.set_sink(function(b) bundles[#bundles + 1] = b end)
      local ok, err = pcall(function()
         local lines = U.printed(function() l:plot() end)
         assert.are.same({}, lines)
         assert.are.equal(1, #bundles)
         assert.are.equal(U.read(dir .. '/train.log.png'), bundles[1]['image/png'])
         assert.are.same({ 640, 400 }, { U.png_size(bundles[1]['image/png']) })
         assert.are.equal(l, l:display(false))
         U.printed(function() l:plot() end)
         assert.are.equal(1, #bundles)
      end)
      display.set_sink(nil)
      paths.rmall(dir, 'yes')
      if not ok then error(err, 0) end
   end)
end)

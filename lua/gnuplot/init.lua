-- gnuplot: Torch7's plotting API, drawn by Debian's gnuplot program
-- (package gnuplot-nox) through a pipe with the data inline.
--
-- Where the pictures go:
--   * a plain figure (gnuplot.figure(), or the first plot) is a PNG file,
--     plots/figure<N>.png under the current folder (gnuplot.plotdir(dir)
--     or NNLUA_PLOT_DIR change the folder); the first drawing of a figure
--     prints one line saying where;
--   * pngfigure/epsfigure/svgfigure/pdffigure(file) draw into that file;
--   * in a notebook (require('nnlua.display').active()), each plot and
--     plotflush shows the PNG inline; title, labels and the other settings
--     apply to the next plot or plotflush;
--   * gnuplot.setterm('qt'|'wxt'|'x11') gives windows where gnuplot has them;
--   * without gnuplot, nothing fails: one note per figure says where the
--     plot would have gone.
-- Each figure keeps its settings and last plot in Lua and redraws from
-- them (so title() after plot() redraws with the title). Drawing is
-- asynchronous: plotflush(n), close(n) and the end of the program wait
-- for gnuplot to finish the file.
require 'torch'
local paths = require 'paths'
-- the display hook as loaded now (the notebook kernel installs its sink there)
local function display() return require 'nnlua.display' end
local commands = require 'gnuplot.commands'
local raise = torch._core.raise

local gnuplot = type(package.loaded.gnuplot) == 'table' and package.loaded.gnuplot or {}
package.loaded.gnuplot = gnuplot
_G.gnuplot = gnuplot

local state = {
   exe = nil,        -- path of the gnuplot program; false when there is none
   terms = nil,      -- set of terminal names the program has
   defaultterm = nil,-- terminal chosen by setterm for new figures
   figures = {},     -- number -> figure
   current = nil,
   dir = os.getenv('NNLUA_PLOT_DIR'),
   hook = nil,
}

local window_terms = { x11 = true, wxt = true, qt = true, aqua = true, windows = true }

-- Our look, sent before every drawing: colours, line widths, markers.
-- Plots too big for cairo are drawn with thin lines (libgd draws wide
-- lines slowly too).
local colours = { '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f' }
local markers = { 7, 7, 7, 7, 5, 5, 5, 9 }
local function preamble(big)
   local out = { 'set style data linespoints', 'set style function lines' }
   for i, c in ipairs(colours) do
      out[#out + 1] = string.format("set linetype %d linecolor rgb '%s' linewidth %d pointtype %d pointsize 0.7",
         i, c, big and 1 or 2, markers[i])
   end
   out[#out + 1] = 'set linetype cycle 8'
   out[#out + 1] = 'set style fill solid 0.5 border'
   out[#out + 1] = 'set samples 300'
   return table.concat(out, '\n')
end

---------------------------------------------------------------------------
-- the program

local function findexe()
   for dir in (os.getenv('PATH') or '/usr/bin:/bin'):gmatch('[^:]+') do
      local p = dir .. '/gnuplot'
      local f = io.open(p, 'rb')
      if f then
         f:close()
         return p
      end
   end
   return false
end

local function exe()
   if state.exe == nil then state.exe = findexe() end
   return state.exe
end

local function shellquote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- the terminal names the program lists
local function terms()
   if state.terms then return state.terms end
   state.terms = {}
   local g = exe()
   if not g then return state.terms end
   local p = io.popen(shellquote(g) .. " -e 'set terminal' 2>&1 </dev/null")
   if p then
      for line in p:lines() do
         local name = line:match('^%s+(%S+)%s+')
         if name then state.terms[name] = true end
      end
      p:close()
   end
   return state.terms
end

local function hasterm(t) return terms()[t] == true end

-- Above this many points in a plot, PNGs are drawn by the libgd terminal:
-- cairo's time to stroke a long jagged line grows faster than its length
-- (100000 noisy points: minutes; libgd: under a second).
local CAIRO_MAX_POINTS = 10000

-- the terminal line and file extension of a figure kind; npoints: the
-- size of the plot to draw
local function terminal(kind, w, h, npoints)
   local size = string.format(' size %d,%d', w, h)
   if kind == 'png' then
      local cairo = hasterm('pngcairo') and (npoints or 0) <= CAIRO_MAX_POINTS
      return (cairo and 'pngcairo' or 'png') .. size .. ' noenhanced', 'png'
   elseif kind == 'eps' then
      return 'postscript eps color noenhanced', 'eps'
   elseif kind == 'svg' then
      return 'svg' .. size .. ' noenhanced', 'svg'
   elseif kind == 'pdf' then
      return (hasterm('pdfcairo') and 'pdfcairo' or 'pdf') .. ' color noenhanced', 'pdf'
   end
   -- a terminal named by setterm
   local ext = ({ png = 'png', pngcairo = 'png', jpeg = 'jpg', gif = 'gif', svg = 'svg', postscript = 'eps',
      epscairo = 'eps', pdfcairo = 'pdf', pdf = 'pdf', dumb = 'txt' })[kind]
   return kind, ext
end

---------------------------------------------------------------------------
-- figures

local function mkdir_p(dir)
   if dir == '' or dir == '.' or dir == '/' or paths.dirp(dir) then return end
   mkdir_p(paths.dirname(dir))
   paths.mkdir(dir)
end

-- the file a figure draws into (nil for a window)
local function outfile(fig)
   if fig.fname then return fig.fname end
   if window_terms[fig.kind] then return nil end
   local _, ext = terminal(fig.kind, fig.width, fig.height)
   return paths.concat(state.dir or 'plots', 'figure' .. fig.n .. '.' .. (ext or 'out'))
end

local function newfigure(n)
   local fig = {
      n = n, kind = state.defaultterm or 'png', fname = nil, width = 640, height = 480,
      settings = {}, body = nil, pipe = nil, told = false,
   }
   state.figures[n] = fig
   return fig
end

local function getfigure(n)
   if n == nil then
      n = 1
      while state.figures[n] do n = n + 1 end
   end
   if type(n) ~= 'number' then raise('gnuplot.figure: expected a figure number, got ' .. type(n)) end
   local fig = state.figures[n] or newfigure(n)
   state.current = n
   return fig
end

local function current()
   return state.figures[state.current] or getfigure()
end

-- The text that draws a figure into file (nil: its window), in three
-- parts: the commands before the plot (terminal, look, settings), the
-- plot command with its inline data, and what closes the file.
local function script(fig, file)
   local out = { 'reset', preamble((fig.body.npoints or 0) > CAIRO_MAX_POINTS) }
   local term = terminal(fig.kind, fig.width, fig.height, fig.body.npoints)
   if window_terms[fig.kind] then term = term .. ' ' .. fig.n end
   out[#out + 1] = 'set terminal ' .. term
   if file then out[#out + 1] = 'set output ' .. commands.quote(file) end
   if fig.body.pre ~= '' then out[#out + 1] = fig.body.pre end
   for _, s in ipairs(fig.settings) do out[#out + 1] = s.text end
   return table.concat(out, '\n') .. '\n', fig.body.cmd .. '\n' .. fig.body.data .. '\n', file and 'unset output\n' or ''
end

-- Sends one drawing (script's three parts) to the figure's gnuplot. The
-- commands go down the pipe line by line, so a bad one (gnuplot.raw) is
-- reported and skipped; the plot command and its inline data go through a
-- script file that the pipe tells gnuplot to load and then delete:
-- gnuplot reads its standard input a line at a time as typed commands,
-- about 15 times slower than a file (a 512x512 imagesc: 11 s against
-- 0.75 s).
local function send(fig, head, plot, tail)
   if state.hook and state.hook(fig.n, head .. plot .. tail) == false then return end
   if not fig.pipe then
      local cmd = shellquote(exe()) .. (window_terms[fig.kind] and ' -persist' or '') .. ' >/dev/null'
      fig.pipe = io.popen(cmd, 'w')
      if not fig.pipe then raise('gnuplot: cannot start ' .. exe()) end
   end
   fig.pipe:write(head)
   local tmp = os.tmpname()
   local f = io.open(tmp, 'wb')
   if f and tmp:match('^[%w/._-]+$') then
      f:write(plot)
      f:close()
      fig.pipe:write(string.format("load '%s'\nsystem 'rm -f %s'\n", tmp, tmp))
   else
      if f then
         f:close()
         os.remove(tmp)
      end
      fig.pipe:write(plot)
   end
   fig.pipe:write(tail)
   fig.pipe:flush()
end

-- waits for the figure's gnuplot to finish what it was sent
local function finish(fig)
   if fig.pipe then
      pcall(fig.pipe.close, fig.pipe)
      fig.pipe = nil
   end
end

local function readfile(path)
   local f = io.open(path, 'rb')
   if not f then return nil end
   local s = f:read('*a')
   f:close()
   return s
end

-- Draws a figure from its settings and last plot. show: in a notebook,
-- hand the PNG to the notebook (plots and plotflush do; settings do not).
local function draw(fig, show)
   if not fig.body then return end
   local file = outfile(fig)
   if not exe() then
      if not fig.told then
         fig.told = true
         print(string.format('gnuplot: the gnuplot program is not installed (Debian package gnuplot-nox); ' ..
            'figure %d would have been drawn to %s', fig.n, file or 'a window'))
      end
      return
   end
   if display().active() and (fig.kind == 'png' or fig.kind == 'pngcairo') then
      if not show then return end
      local target = fig.fname or (os.tmpname() .. '.png')
      finish(fig)
      send(fig, script(fig, target))
      finish(fig)
      local bytes = readfile(target)
      if not fig.fname then
         os.remove(target)
         os.remove((target:gsub('%.png$', '')))
      end
      if bytes and #bytes > 0 then
         display().show({ ['image/png'] = bytes, ['text/plain'] = 'gnuplot figure ' .. fig.n }, {})
      end
      return
   end
   if file then mkdir_p(paths.dirname(file)) end
   send(fig, script(fig, file))
   if not fig.told and not fig.fname and file then
      fig.told = true
      print(string.format('gnuplot: figure %d is drawn to %s', fig.n, file))
   end
end

-- Records a setting of the current figure (key replaces an earlier one of
-- that key, text nil removes it) and redraws.
local function setting(key, text)
   local fig = current()
   for i, s in ipairs(fig.settings) do
      if s.key == key then
         table.remove(fig.settings, i)
         break
      end
   end
   if text then fig.settings[#fig.settings + 1] = { key = key, text = text } end
   draw(fig, false)
end

local function plotbody(body)
   local fig = current()
   fig.body = body
   draw(fig, true)
end

-- the figures' programs finish their files when the program ends
local sentinel = newproxy(true)
getmetatable(sentinel).__gc = function()
   for _, fig in pairs(state.figures) do finish(fig) end
end
state.sentinel = sentinel
-- and before os.exit, which skips the collector
local exit = os.exit
os.exit = function(...)
   for _, fig in pairs(state.figures) do finish(fig) end
   return exit(...)
end

---------------------------------------------------------------------------
-- the API

-- figure([n [, config]]): makes figure n (a new one when nil) current;
-- config.width/height set the picture size in pixels. Returns n.
function gnuplot.figure(n, config)
   local fig = getfigure(n)
   if type(config) == 'table' then
      fig.width = config.width or fig.width
      fig.height = config.height or fig.height
   end
   return fig.n
end

local function filefigure(fname, kind, n, fn)
   if type(fname) ~= 'string' then raise(fn .. ': expected a file name, got ' .. type(fname)) end
   local dir = paths.dirname(fname)
   if dir == '' then dir = '.' end
   if not paths.dirp(dir) then raise('cannot save to ' .. fname .. ': directory does not exist') end
   local fig = getfigure(n)
   fig.fname, fig.kind, fig.told = fname, kind, false
   return fig.n
end

function gnuplot.pngfigure(fname, n) return filefigure(fname, 'png', n, 'gnuplot.pngfigure') end
function gnuplot.epsfigure(fname, n) return filefigure(fname, 'eps', n, 'gnuplot.epsfigure') end
function gnuplot.svgfigure(fname, n) return filefigure(fname, 'svg', n, 'gnuplot.svgfigure') end
function gnuplot.pdffigure(fname, n) return filefigure(fname, 'pdf', n, 'gnuplot.pdffigure') end

-- figprint(file): draws the current figure once into file (eps, png, svg
-- or pdf, from its extension) and waits for it.
function gnuplot.figprint(fname)
   if type(fname) ~= 'string' then raise('gnuplot.figprint: expected a file name, got ' .. type(fname)) end
   local kind = fname:match('%.(%w+)$')
   if kind ~= 'png' and kind ~= 'eps' and kind ~= 'svg' and kind ~= 'pdf' then
      raise('gnuplot.figprint: ' .. fname .. ': only eps, png, svg and pdf files')
   end
   local fig = current()
   if not fig.body or not exe() then return draw(fig, false) end
   local once = { n = fig.n, kind = kind, width = fig.width, height = fig.height, settings = fig.settings, body = fig.body }
   send(once, script(once, fname))
   finish(once)
end

-- plotflush([n]): finishes figure n's drawing (its file is complete on
-- return); in a notebook it shows the figure.
function gnuplot.plotflush(n)
   n = n or state.current
   local fig = n and state.figures[n]
   if not fig then
      print('no figure ' .. tostring(n))
      return
   end
   if display().active() then
      draw(fig, true)
   else
      finish(fig)
   end
end

function gnuplot.close(n)
   n = n or state.current
   local fig = n and state.figures[n]
   if not fig then return end
   finish(fig)
   state.figures[n] = nil
   if state.current == n then state.current = nil end
end

-- closes every figure and looks for the gnuplot program again
function gnuplot.closeall()
   for _, fig in pairs(state.figures) do finish(fig) end
   state.figures, state.current = {}, nil
   state.exe, state.terms = nil, nil
end

-- setgnuplotexe(path): the gnuplot program to use. A path that does not
-- exist leaves plots undrawn (each figure says so once) rather than failing.
function gnuplot.setgnuplotexe(path)
   if type(path) ~= 'string' then raise('gnuplot.setgnuplotexe: expected a path, got ' .. type(path)) end
   for _, fig in pairs(state.figures) do finish(fig) end
   state.terms = nil
   if paths.filep(path) then
      state.exe = path
   else
      state.exe = false
      print('gnuplot: ' .. path .. ' does not exist; plots will not be drawn')
   end
end

-- setterm(term): the terminal of figures made from now on (png, svg, qt...)
function gnuplot.setterm(term)
   if type(term) ~= 'string' then raise('gnuplot.setterm: expected a terminal name, got ' .. type(term)) end
   if exe() and not hasterm(term) then raise('gnuplot.setterm: gnuplot does not seem to have the terminal ' .. term) end
   state.defaultterm = term
end

-- plotdir([dir]): the folder of plain figures' files (default ./plots)
function gnuplot.plotdir(dir)
   if dir ~= nil then
      if type(dir) ~= 'string' then raise('gnuplot.plotdir: expected a folder name, got ' .. type(dir)) end
      state.dir = dir
   end
   return state.dir or 'plots'
end

function gnuplot.plot(...) plotbody(commands.plot(...)) end
function gnuplot.bar(...) plotbody(commands.bar(...)) end
function gnuplot.splot(...) plotbody(commands.splot(...)) end
function gnuplot.scatter3(...) plotbody(commands.scatter3(...)) end
function gnuplot.imagesc(...) plotbody(commands.imagesc(...)) end

local function label(key, fname, s)
   if type(s) ~= 'string' and type(s) ~= 'number' then
      raise(fname .. ': expected a string, got ' .. type(s))
   end
   setting(key, 'set ' .. key .. ' ' .. commands.quote(s))
end
function gnuplot.title(s) label('title', 'gnuplot.title', s) end
function gnuplot.xlabel(s) label('xlabel', 'gnuplot.xlabel', s) end
function gnuplot.ylabel(s) label('ylabel', 'gnuplot.ylabel', s) end
function gnuplot.zlabel(s) label('zlabel', 'gnuplot.zlabel', s) end

-- grid(toggle) and logscale(toggle): any true value turns them on
function gnuplot.grid(toggle) setting('grid', toggle and 'set grid' or nil) end
function gnuplot.logscale(toggle) setting('logscale', toggle and 'set logscale y' or nil) end

function gnuplot.movelegend(h, v)
   local hs, vs = { left = true, right = true, center = true }, { bottom = true, top = true, middle = true }
   if not hs[h] or not vs[v] then
      raise(string.format('gnuplot.movelegend: unknown location %s %s: expected {left|right|center} {bottom|top|middle}',
         tostring(h), tostring(v)))
   end
   setting('key', 'set key ' .. h .. ' ' .. v)
end

-- axis('auto' | 'image' | 'equal' | 'fill' | {xmin, xmax, ymin, ymax})
function gnuplot.axis(a)
   if a == 'auto' then
      setting('size', 'set size nosquare')
      setting('range', 'set autoscale')
   elseif a == 'image' or a == 'equal' then
      setting('size', 'set size ratio -1')
   elseif a == 'fill' then
      setting('size', 'set size ratio 1,1')
   elseif type(a) == 'table' then
      if #a ~= 4 then raise('gnuplot.axis: expected {xmin, xmax, ymin, ymax}, got ' .. #a .. ' numbers') end
      local b = {}
      for i = 1, 4 do
         if type(a[i]) ~= 'number' and a[i] ~= '' then
            raise('gnuplot.axis: expected {xmin, xmax, ymin, ymax} numbers, got a ' .. type(a[i]))
         end
         b[i] = a[i] == '' and '' or string.format('%.10g', a[i])
      end
      setting('range', string.format('set xrange [%s:%s]\nset yrange [%s:%s]', b[1], b[2], b[3], b[4]))
   else
      raise("gnuplot.axis: expected 'auto', 'image', 'equal', 'fill' or {xmin, xmax, ymin, ymax}, got " .. tostring(a))
   end
end

-- raw(cmd): a gnuplot command; a plot command becomes the figure's plot,
-- anything else is kept with the figure's settings.
function gnuplot.raw(cmd)
   if type(cmd) ~= 'string' then raise('gnuplot.raw: expected a string, got ' .. type(cmd)) end
   if cmd:match('^%s*s?plot%s') or cmd:match('^%s*replot') then
      if cmd:match('^%s*replot') and current().body then return draw(current(), true) end
      plotbody({ kind = 'raw', pre = '', cmd = cmd, data = '' })
   else
      local fig = current()
      fig.nraw = (fig.nraw or 0) + 1
      setting('raw' .. fig.nraw, cmd)
   end
end

-- Spec support: fn(figure number, text) sees every text sent to gnuplot;
-- when it returns false, the text is not sent.
function gnuplot._sethook(fn) state.hook = fn end

-- For optim.Logger: draws series (plot()'s table form) with settings
-- (gnuplot command lines) into file as kind 'png' or 'eps', and waits.
-- Returns false when there is no gnuplot program.
function gnuplot._drawfile(kind, file, series, settings, width, height)
   if not exe() then return false end
   local fig = { n = 0, kind = kind, width = width or 640, height = height or 480, body = commands.plot(series), settings = {} }
   for i, s in ipairs(settings or {}) do fig.settings[i] = { text = s } end
   send(fig, script(fig, file))
   finish(fig)
   return true
end

-- True when the gnuplot program is there.
function gnuplot._available() return exe() and true or false end

require 'gnuplot.hist'

return gnuplot

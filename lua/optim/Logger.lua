-- optim.Logger: logs named values during training in Torch7's text format
-- (a header line of names, then one line per add(), numbers as %11.4e,
-- tab separated) and plots them. plot() writes the curves to a PNG file
-- next to the log (NAME.png) and, as Torch7 did, to NAME.eps, both drawn by
-- the gnuplot package; without the gnuplot program it draws the PNG itself
-- (optim.png). In a notebook the PNG is also shown inline (display(false)
-- turns that off). The first plot says where the files are.
--   logger = optim.Logger('results/train.log')
--   logger:setNames{'train error', 'test error'}
--   logger:add{0.5, 0.6}        -- or, without setNames: add{['train error'] = 0.5}
--   logger:style{'-', '-'}      -- '-' lines, '+' points, '+-' both, '.' dots
--   logger:plot()               -- results/train.log.png, results/train.log.eps
require 'torch'
local core = torch._core
local raise = core.raise
local png = require 'optim.png'
local paths = require 'paths'
-- the display hook as loaded now (the notebook kernel installs its sink there)
local function display() return require 'nnlua.display' end

local Logger = torch.class('optim.Logger')

local function mkdir_p(dir)
   if dir == '' or dir == '.' or dir == '/' or paths.dirp(dir) then return end
   mkdir_p(paths.dirname(dir))
   paths.mkdir(dir)
end

function Logger:__init(filename, timestamp)
   if filename ~= nil and type(filename) ~= 'string' then
      raise('optim.Logger: expected a file name (a string), got ' .. type(filename))
   end
   if filename then
      self.name = filename
      mkdir_p(paths.dirname(filename))
      if timestamp then filename = filename .. '-' .. os.date('%Y_%m_%d_%X') end
      local f, err = io.open(filename, 'w')
      if not f then raise('optim.Logger: cannot open ' .. filename .. ': ' .. tostring(err)) end
      self.file = f
      self.pngfile = self.name .. '.png'
      self.epsfile = self.name .. '.eps'
   else
      self.file = io.stdout
      self.name = 'stdout'
      print('<Logger> warning: no path provided, logging to std out')
   end
   self.empty = true
   self.symbols = {}
   self.styles = {}
   self.names = {}
   self.idx = {}
   self.showPlot = true
   self.plotRawCmd = nil
   self.defaultStyle = '+'
   self.logscale = false
end

function Logger:setNames(names)
   if type(names) ~= 'table' then raise('optim.Logger:setNames: expected a table of names, got ' .. type(names)) end
   self.names = names
   self.empty = false
   self.nsymbols = #names
   for k, key in ipairs(names) do
      self.file:write(tostring(key) .. '\t')
      self.symbols[k] = {}
      self.styles[k] = { self.defaultStyle }
      self.idx[key] = k
   end
   self.file:write('\n')
   self.file:flush()
   return self
end

-- the keys of a table of symbols in a fixed order: positions first, then
-- names sorted (Torch7 used pairs(), whose order is arbitrary)
local function keys_of(t)
   local ks = {}
   for i = 1, #t do ks[i] = i end
   local named = {}
   for k in pairs(t) do
      if type(k) ~= 'number' or k < 1 or k > #t or k ~= math.floor(k) then named[#named + 1] = k end
   end
   table.sort(named, function(a, b) return tostring(a) < tostring(b) end)
   for _, k in ipairs(named) do ks[#ks + 1] = k end
   return ks
end

function Logger:add(symbols)
   if type(symbols) ~= 'table' then raise('optim.Logger:add: expected a table of values, got ' .. type(symbols)) end
   local ks = keys_of(symbols)
   for _, k in ipairs(ks) do
      local v = symbols[k]
      if type(v) ~= 'number' and type(v) ~= 'string' then
         raise(string.format('optim.Logger:add: can only log numbers and strings, got a %s for %s', type(v), tostring(k)))
      end
   end
   if self.empty then
      self.empty = false
      self.nsymbols = #ks
      for _, k in ipairs(ks) do
         self.file:write(tostring(k) .. '\t')
         self.symbols[k] = {}
         self.styles[k] = { self.defaultStyle }
         self.names[k] = k
         self.idx[k] = k
      end
      self.file:write('\n')
   end
   local slots = {}
   for _, k in ipairs(ks) do
      local slot = self.symbols[k] and k or self.idx[k]
      if slot == nil or not self.symbols[slot] then
         raise('optim.Logger:add: unknown symbol ' .. tostring(k) .. ' (not in the first add or setNames)')
      end
      slots[#slots + 1] = slot
   end
   for _, k in ipairs(ks) do
      local v = symbols[k]
      self.file:write((type(v) == 'number' and string.format('%11.4e', v) or v) .. '\t')
   end
   self.file:write('\n')
   self.file:flush()
   for i, k in ipairs(ks) do table.insert(self.symbols[slots[i]], symbols[k]) end
end

function Logger:style(symbols)
   if type(symbols) ~= 'table' then raise('optim.Logger:style: expected a table of styles, got ' .. type(symbols)) end
   for name, style in pairs(symbols) do
      local slot = self.symbols[name] and name or self.idx[name] or name
      if type(style) == 'string' then self.styles[slot] = { style }
      elseif type(style) == 'table' then self.styles[slot] = style
      else raise('optim.Logger:style: style should be a string or a table of strings, got ' .. type(style)) end
   end
   return self
end

function Logger:setlogscale(value)
   self.logscale = value
   return self
end

-- display(false): plot() writes its files but shows nothing in a notebook
function Logger:display(state)
   self.showPlot = state
   return self
end

local palette = {
   { 31, 119, 180 }, { 255, 127, 14 }, { 44, 160, 44 }, { 214, 39, 40 }, { 148, 103, 189 },
   { 140, 86, 75 }, { 227, 119, 194 }, { 127, 127, 127 }, { 188, 189, 34 }, { 23, 190, 207 },
}

-- tick positions: about n round numbers covering [lo, hi]
local function ticks(lo, hi, n)
   local span = hi - lo
   if span <= 0 then return { lo } end
   local raw = span / n
   local mag = 10 ^ math.floor(math.log10(raw))
   local step = mag
   for _, m in ipairs { 1, 2, 5, 10 } do
      if m * mag >= raw then step = m * mag break end
   end
   local out = {}
   local t = math.ceil(lo / step) * step
   while t <= hi + step * 1e-9 do
      out[#out + 1] = math.abs(t) < step * 1e-9 and 0 or t
      t = t + step
   end
   return out
end

-- Draws the logged series (all, or those named) into self.pngfile (or
-- the file given as plotfile); returns its path. Series need two points.
function Logger:plot(...)
   local which = { ... }
   local series = {}
   local slots = {}
   if #which == 0 then
      for _, k in ipairs(keys_of(self.symbols)) do slots[#slots + 1] = k end
   else
      for _, name in ipairs(which) do
         local slot = self.symbols[name] and name or self.idx[name]
         if slot == nil then raise('optim.Logger:plot: unknown symbol ' .. tostring(name)) end
         slots[#slots + 1] = slot
      end
   end
   for _, slot in ipairs(slots) do
      local list = self.symbols[slot]
      local ys = {}
      for i, v in ipairs(list) do ys[i] = tonumber(v) end
      if #ys >= 1 then   -- one epoch is a valid run: one point
         series[#series + 1] = { name = tostring(self.names[slot] or slot), ys = ys, raw = list,
            styles = self.styles[slot] or { self.defaultStyle } }
      end
   end
   local path = self.plotfile or self.pngfile
   if #series == 0 or not path then return nil end
   local W, H = self.plotWidth or 640, self.plotHeight or 400

   local drawn = self:_gnuplot(series, path, W, H)
   if not drawn then self:_canvas(series, path, W, H) end
   local shown = false
   if self.showPlot and display().active() then
      local f = io.open(path, 'rb')
      if f then
         shown = display().show({ ['image/png'] = f:read('*a'), ['text/plain'] = '<Logger::' .. self.name .. '>' }, {})
         f:close()
      end
   end
   if not self.told and not shown then
      self.told = true
      print('<Logger> plot drawn to ' .. path .. (drawn == 'eps' and ' and ' .. self.epsfile or ''))
   end
   return path
end

-- Draws through gnuplot into path (PNG) and the eps file; returns 'eps'
-- or 'png' for what it wrote, nil without the gnuplot program.
function Logger:_gnuplot(series, path, W, H)
   local ok, gnuplot = pcall(require, 'gnuplot')
   if not ok or not gnuplot._available() then return nil end
   local plots = {}
   for _, s in ipairs(series) do
      local y = torch.Tensor(#s.raw)
      for i, v in ipairs(s.raw) do y[i] = tonumber(v) or 0 / 0 end
      for _, style in ipairs(s.styles) do plots[#plots + 1] = { s.name, y, style } end
   end
   local title = self.title or ('<Logger::' .. self.name .. '>')
   local settings = { "set title '" .. title:gsub("'", "''") .. "'", 'set grid' }
   if self.logscale then settings[#settings + 1] = 'set logscale y' end
   if self.plotRawCmd then settings[#settings + 1] = self.plotRawCmd end
   gnuplot._drawfile('png', path, plots, settings, W, H)
   if self.epsfile and not self.plotfile then
      os.remove(self.epsfile)
      gnuplot._drawfile('eps', self.epsfile, plots, settings)
      return 'eps'
   end
   return 'png'
end

-- Draws the curves without gnuplot (optim.png's canvas) into path.
function Logger:_canvas(series, path, W, H)
   local L, R, T, B = 70, 20, 28, 36
   local c = png.canvas(W, H)
   local black, grey = { 0, 0, 0 }, { 225, 225, 225 }
   local tr = self.logscale and function(v) return v > 0 and math.log10(v) or nil end or function(v) return v end
   local nmax, ylo, yhi = 1, math.huge, -math.huge
   for _, s in ipairs(series) do
      nmax = math.max(nmax, #s.ys)
      for _, v in ipairs(s.ys) do
         local u = tr(v)
         if u and u == u and math.abs(u) < math.huge then ylo, yhi = math.min(ylo, u), math.max(yhi, u) end
      end
   end
   if ylo > yhi then ylo, yhi = 0, 1 end
   if ylo == yhi then ylo, yhi = ylo - 0.5, yhi + 0.5 end
   local pad = (yhi - ylo) * 0.05
   ylo, yhi = ylo - pad, yhi + pad
   local function px(i) return L + (i - 1) / math.max(nmax - 1, 1) * (W - L - R - 1) end
   local function py(u) return H - B - (u - ylo) / (yhi - ylo) * (H - T - B - 1) end

   -- grid, ticks and labels
   for _, t in ipairs(ticks(ylo, yhi, 6)) do
      local y = py(t)
      c:line(L, y, W - R - 1, y, grey)
      local label = string.format('%.4g', self.logscale and 10 ^ t or t)
      c:text(L - 6 - png.text_width(label), y - 3, label, black)
   end
   for _, t in ipairs(ticks(1, nmax, 8)) do
      if t == math.floor(t) then
         local x = px(t)
         c:line(x, T, x, H - B - 1, grey)
         local label = string.format('%d', t)
         c:text(x - png.text_width(label) / 2, H - B + 6, label, black)
      end
   end
   c:rect(L, T, W - R - 1, H - B - 1, black)
   local title = self.title or ('<Logger::' .. self.name .. '>')
   c:text((W - png.text_width(title)) / 2, 10, title, black)

   -- curves, then the legend on a white box over them
   local legend = {}
   local legendWidth = 0
   for _, s in ipairs(series) do legendWidth = math.max(legendWidth, png.text_width(s.name)) end
   for si, s in ipairs(series) do
      local col = palette[(si - 1) % #palette + 1]
      local style = table.concat(s.styles)
      local lines = style:find('-', 1, true) ~= nil
      local plus = style:find('+', 1, true) ~= nil or not lines and not style:find('.', 1, true)
      local prev
      for i, v in ipairs(s.ys) do
         local u = tr(v)
         if u and u == u and math.abs(u) < math.huge then
            local x, y = px(i), py(u)
            if lines and prev then c:line(prev[1], prev[2], x, y, col, 2) end
            if plus then
               c:line(x - 3, y, x + 3, y, col)
               c:line(x, y - 3, x, y + 3, col)
            elseif not lines then
               c:dot(x, y, col, 3)
            end
            prev = { x, y }
         else
            prev = nil
         end
      end
      legend[si] = col
   end
   local lx = W - R - 12 - legendWidth - 24
   c:fill(lx - 4, T + 4, W - R - 6, T + 8 + #series * 12, { 255, 255, 255 })
   for si, s in ipairs(series) do
      local ly = T + 8 + (si - 1) * 12
      c:line(lx, ly + 3, lx + 18, ly + 3, legend[si], 2)
      c:text(lx + 24, ly, s.name, black)
   end
   return c:save(path)
end

return Logger

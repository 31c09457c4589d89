-- itorch.Plot: iTorch's chainable plot object, drawn as self-contained
-- HTML with inline SVG (no scripts, nothing fetched from the network).
--   Plot = require 'itorch.Plot'
--   local p = Plot():line(x, y, 'red', 'loss'):circle(x, y2, 'blue', 'acc')
--   p:histogram(t, 20):title('Training'):xaxis('epoch'):yaxis('value'):legend(true):draw()
--   p:save('out.html')          -- a standalone page; p:toHTML() is its text
-- draw() shows the plot in a notebook, and in a script writes
-- plots/plot<N>.html and says where; redraw() updates that same file.
require 'torch'
-- the display hook as loaded now (the notebook kernel installs its sink there)
local function display() return require 'nnlua.display' end
local raise = torch._core.raise

local Plot = {}
Plot.__index = Plot
setmetatable(Plot, { __call = function(self, ...) return self.new(...) end })

function Plot.new()
   return setmetatable({ _data = {}, _width = 600, _height = 400 }, Plot)
end

-- a 1D tensor or a table of numbers -> Lua table of numbers
local function numbers(fname, what, v)
   if torch.isTensor(v) then
      if v:dim() ~= 1 then
         raise(string.format('itorch.Plot:%s: %s must be a 1D tensor or a table of N numbers, got a tensor of %d dimensions',
            fname, what, v:dim()))
      end
      return torch.DoubleTensor(v:size()):copy(v):totable()
   elseif type(v) == 'table' then
      local out = {}
      for i, x in ipairs(v) do
         if type(x) ~= 'number' then
            raise(string.format('itorch.Plot:%s: %s must hold numbers, element %d is a %s', fname, what, i, type(x)))
         end
         out[i] = x
      end
      return out
   end
   raise(string.format('itorch.Plot:%s: %s must be a 1D tensor or a table of N numbers, got a %s', fname, what, torch.type(v)))
end

local function check_color(fname, color)
   if color ~= nil and type(color) ~= 'string' and type(color) ~= 'table' then
      raise('itorch.Plot:' .. fname .. ': color must be a string or a table of strings, got a ' .. type(color))
   end
   return color or 'red'
end

local function glyph(kind)
   local fname = kind:lower()
   return function(self, x, y, color, legend, extra)
      local xs, ys = numbers(fname, 'x', x), numbers(fname, 'y', y)
      if #xs ~= #ys then
         raise(string.format('itorch.Plot:%s: x has %d elements and y has %d: expected the same number', fname, #xs, #ys))
      end
      if extra ~= nil and type(extra) ~= 'table' then
         raise('itorch.Plot:' .. fname .. ': arbitrary_data must be a table, got a ' .. type(extra))
      end
      table.insert(self._data, { type = kind, x = xs, y = ys, color = check_color(fname, color),
         legend = legend or 'unnamed', extra = extra })
      return self
   end
end

Plot.circle = glyph('Circle')
Plot.scatter = Plot.circle
Plot.line = glyph('Line')
Plot.triangle = glyph('Triangle')

-- text(x, y, text [, angle, color, font_size, align, baseline]): labels at
-- points (numbers, or tensors/tables with a table of texts)
function Plot:text(x, y, text, angle, color, size, align, baseline)
   local xs = type(x) == 'number' and { x } or numbers('text', 'x', x)
   local ys = type(y) == 'number' and { y } or numbers('text', 'y', y)
   local ts = type(text) == 'table' and text or { text }
   if #xs ~= #ys or #xs ~= #ts then
      raise(string.format('itorch.Plot:text: got %d x, %d y and %d texts: expected the same number', #xs, #ys, #ts))
   end
   table.insert(self._data, { type = 'Text', x = xs, y = ys, text = ts, color = color or 'black',
      size = size, align = align, baseline = baseline, angle = type(angle) == 'number' and angle or nil })
   return self
end

local function four(fname, x0, y0, x1, y1)
   local a, b, c, d = numbers(fname, 'x0', x0), numbers(fname, 'y0', y0), numbers(fname, 'x1', x1), numbers(fname, 'y1', y1)
   if #a ~= #b or #a ~= #c or #a ~= #d then
      raise(string.format('itorch.Plot:%s: x0, y0, x1, y1 have %d, %d, %d, %d elements: expected the same number',
         fname, #a, #b, #c, #d))
   end
   return a, b, c, d
end

function Plot:segment(x0, y0, x1, y1, color, legend)
   local a, b, c, d = four('segment', x0, y0, x1, y1)
   table.insert(self._data, { type = 'Segment', x0 = a, y0 = b, x1 = c, y1 = d,
      color = check_color('segment', color), legend = legend or 'unnamed' })
   return self
end

function Plot:quad(x0, y0, x1, y1, color, legend)
   local a, b, c, d = four('quad', x0, y0, x1, y1)
   table.insert(self._data, { type = 'Quad', x0 = a, y0 = b, x1 = c, y1 = d,
      color = check_color('quad', color), legend = legend or 'unnamed' })
   return self
end

-- histogram(x [, nBins = 100, min, max, color, legend]): bars of counts
function Plot:histogram(x, nBins, min, max, color, legend)
   if not torch.isTensor(x) then raise('itorch.Plot:histogram: expected a tensor, got a ' .. torch.type(x)) end
   if x:nElement() == 0 then raise('itorch.Plot:histogram: the tensor is empty') end
   min = min or x:min()
   max = max or x:max()
   nBins = nBins or 100
   if min ~= min or max ~= max then
      print('input has nans, please remove nans. min: ' .. min .. ' max: ' .. max)
      return self
   end
   local h = torch.histc(x:double(), nBins, min, max)
   local n = h:size(1)
   local lo, w = min, (max - min) / n
   if max == min then lo, w = min - 0.5, 1 / n end
   local x0, x1, y0 = {}, {}, {}
   for i = 1, n do
      x0[i], x1[i], y0[i] = lo + (i - 1) * w, lo + i * w, 0
   end
   return self:quad(x0, y0, x1, h:totable(), color, legend)
end
Plot.hist = Plot.histogram

-- gscatter(x, y [, labels, legend]): one colour per label
function Plot:gscatter(x, y, labels, legend)
   if legend == nil then legend = labels ~= nil end
   local xs, ys = numbers('gscatter', 'x', x), numbers('gscatter', 'y', y)
   local ls = labels and numbers('gscatter', 'labels', labels) or {}
   if labels == nil then for i = 1, #xs do ls[i] = 0 end end
   if #xs ~= #ys or #xs ~= #ls then
      raise(string.format('itorch.Plot:gscatter: x, y and labels have %d, %d and %d elements: expected the same number',
         #xs, #ys, #ls))
   end
   local order, groups = {}, {}
   for i, l in ipairs(ls) do
      if not groups[l] then
         groups[l] = { x = {}, y = {} }
         order[#order + 1] = l
      end
      table.insert(groups[l].x, xs[i])
      table.insert(groups[l].y, ys[i])
   end
   local colors = { 'red', 'blue', 'green', 'yellow', 'black', 'brown', 'orange', 'pink', 'magenta', 'purple' }
   for k, l in ipairs(order) do
      self:circle(groups[l].x, groups[l].y, colors[(k - 1) % #colors + 1], 'Class ' .. tostring(l))
   end
   self._legend = legend and true or nil
   return self
end

-- quiver(U, V [, color, legend, scaling = 40]): arrows on the grid of U, V
function Plot:quiver(U, V, color, legend, scaling)
   if not (torch.isTensor(U) and torch.isTensor(V)) or U:dim() ~= 2 or V:dim() ~= 2
      or U:size(1) ~= V:size(1) or U:size(2) ~= V:size(2) then
      raise('itorch.Plot:quiver: U and V should be 2D and of same size')
   end
   scaling = scaling or 40
   local x0, y0, x1, y1 = {}, {}, {}, {}
   local hx0, hy0, hx1, hy1 = {}, {}, {}, {}
   for i = 1, U:size(1) do
      for j = 1, U:size(2) do
         local u, v = U[i][j] / scaling, V[i][j] / scaling
         local ax, ay, bx, by = i, j, i + u, j + v
         table.insert(x0, ax); table.insert(y0, ay); table.insert(x1, bx); table.insert(y1, by)
         local len = math.sqrt(u * u + v * v)
         if len > 0 then
            local ux, uy = u / len, v / len
            local h, w = len / 10, len / 20
            for _, s in ipairs { 1, -1 } do
               table.insert(hx0, bx - ux * h - uy * w * s); table.insert(hy0, by - uy * h + ux * w * s)
               table.insert(hx1, bx); table.insert(hy1, by)
            end
         end
      end
   end
   self:segment(x0, y0, x1, y1, color, legend)
   if #hx0 > 0 then self:segment(hx0, hy0, hx1, hy1, color) end
   return self
end

function Plot:title(t)
   if t then self._title = t end
   return self
end
function Plot:xaxis(t)
   if t then self._xaxis = t end
   return self
end
function Plot:yaxis(t)
   if t then self._yaxis = t end
   return self
end
function Plot:legend(b)
   if b then self._legend = b end
   return self
end

-- hover_tool(tooltips): kept for iTorch's API; a static picture has no hover
function Plot:hover_tool(tooltips)
   if type(tooltips) ~= 'table' then raise('itorch.Plot:hover_tool: tooltips must be a table') end
   self._tools = tooltips
   return self
end

-- the SVG drawing: itorch/svg.lua
function Plot:toSVG()
   return require('itorch.svg').render(self)
end

function Plot:toHTML()
   local itorch = require 'itorch'
   local t = self._title or 'Untitled Plot'
   return itorch._document(self:toSVG(), require('itorch.svg').escape(t))
end

-- draw([window_id]): in a notebook, shows the plot; in a script, writes
-- plots/plot<N>.html (the same file on later draws of this plot)
function Plot:draw(window_id)
   self._winid = window_id or self._winid
   if display().show({ ['text/html'] = '<div class="itorch-plot">' .. self:toSVG() .. '</div>',
      ['text/plain'] = 'itorch.Plot: ' .. (self._title or 'Untitled Plot') }) then
      return self
   end
   if self._file then
      local f = io.open(self._file, 'wb')
      if f then
         f:write(self:toHTML())
         f:close()
         return self
      end
   end
   self._file = require('itorch')._writefile('plot', 'html', self:toHTML(), 'itorch.Plot')
   return self
end

function Plot:redraw()
   return self:draw(self._winid)
end

function Plot:save(filename)
   if type(filename) ~= 'string' or filename == '' or require('paths').dirp(filename) then
      raise('itorch.Plot:save: filename has to be provided and should not be a directory')
   end
   local f, err = io.open(filename, 'wb')
   if not f then raise('itorch.Plot:save: cannot write ' .. filename .. ': ' .. tostring(err)) end
   f:write(self:toHTML())
   f:close()
   return self
end

return Plot

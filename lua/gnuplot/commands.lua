-- gnuplot.commands: the gnuplot text for Torch7's plotting calls. Each
-- builder returns a body { pre = 'set ...' lines, cmd = 'plot ...' line,
-- data = inline data blocks } that gnuplot/init.lua sends to the program
-- around the figure's settings (title, labels, grid, ranges).
--
-- Argument forms are Torch7's:
--   plot(y) plot(x, y) plot(x, y, '-') plot('name', x, y, '+')
--   plot({ 'a', x1, y1, '-' }, { 'b', x2, y2, '+' })  or one table of them
--   splot(z) splot(x, y, z) splot('name', x, y, z) and tables of those
--   imagesc(m [, 'color' | 'gray'])
local torch = require 'torch'
local raise = torch._core.raise

local commands = {}

local function istensor(v) return torch.isTensor(v) end
local function isstring(v) return type(v) == 'string' end

-- a number as gnuplot reads it; non-finite values are missing points
local function num(v)
   if v ~= v or v == math.huge or v == -math.huge then return 'NaN' end
   return string.format('%.10g', v)
end

-- the elements of a tensor in row-major order behind a 0-based pointer,
-- and their count; keep holds the tensor that owns them while in use
local function flat(t, keep)
   local c = t:double():contiguous()
   keep[#keep + 1] = c
   return c:data(), c:nElement()
end

-- a string inside gnuplot's single quotes (no escapes; a quote doubles)
function commands.quote(s)
   return "'" .. tostring(s):gsub("'", "''") .. "'"
end
local quote = commands.quote

local usage2d = 'expecting [string,] tensor [,tensor] [,string]'

-- one series of plot(): legend, x, y, format
local function series_of(fname, t)
   local n = #t
   local legend, x, y, format
   if n == 0 then raise(fname .. ': empty argument list; ' .. usage2d) end
   if n > 4 then raise(fname .. ': too many arguments (' .. n .. '); ' .. usage2d) end
   local i = 1
   if isstring(t[i]) then legend = t[i]; i = i + 1 end
   if not istensor(t[i]) then
      raise(string.format('%s: argument %d is a %s; %s', fname, i, torch.type(t[i]), usage2d))
   end
   x = t[i]; i = i + 1
   if istensor(t[i]) then y = t[i]; i = i + 1 end
   if isstring(t[i]) then format = t[i]; i = i + 1 end
   if i <= n then
      raise(string.format('%s: argument %d is a %s; %s', fname, i, torch.type(t[i]), usage2d))
   end
   legend, format = legend or '', format or ''
   if not y then
      if x:dim() == 2 and x:size(2) == 2 then
         x, y = x:select(2, 1), x:select(2, 2)
      elseif x:dim() == 2 and x:size(2) == 4 and (format == 'v' or format == 'V' or format == 'vectors') then
         -- columns x, y, dx, dy
         x, y = x:index(2, torch.LongTensor { 1, 3 }), x:index(2, torch.LongTensor { 2, 4 })
      elseif x:dim() == 2 and x:size(2) > 1 then
         x, y = x:select(2, 1), x:narrow(2, 2, x:size(2) - 1)
      elseif x:dim() == 1 then
         y = x
         x = torch.range(1, y:size(1))
      else
         raise(string.format('%s: expected a vector or an Nx2 matrix, got a tensor of %d dimensions', fname, x:dim()))
      end
   end
   if x:dim() < 1 or x:dim() > 2 or y:dim() < 1 or y:dim() > 2 then
      raise(string.format('%s: x and y must be vectors or matrices, got x %dD and y %dD', fname, x:dim(), y:dim()))
   end
   if x:size(1) ~= y:size(1) then
      raise(string.format('%s: x has %d points and y has %d: expected the same number', fname, x:size(1), y:size(1)))
   end
   return { legend = legend, x = x, y = y, format = format }
end

-- Torch7's series arguments: plot(...) forms -> list of series
local function series_list(fname, parse, ...)
   local args = { ... }
   if select('#', ...) == 0 then raise(fname .. ': no inputs, expecting at least a tensor') end
   local list = {}
   if type(args[1]) == 'table' and not istensor(args[1]) then
      if type(args[1][1]) == 'table' and not istensor(args[1][1]) then args = args[1] end
      for _, a in ipairs(args) do
         if type(a) ~= 'table' or istensor(a) then
            raise(string.format('%s: expected tables of series arguments, got a %s', fname, torch.type(a)))
         end
         list[#list + 1] = parse(fname, a)
      end
   else
      list[1] = parse(fname, args)
   end
   return list
end

-- style letters -> gnuplot 'with ...' / 'smooth ...'; the weight column
-- of '~N' (acsplines with smoothing N)
local styles = {
   [''] = '', ['+'] = 'with points', points = 'with points', ['.'] = 'with dots', dots = 'with dots',
   ['-'] = 'with lines', lines = 'with lines', ['+-'] = 'with linespoints', ['-+'] = 'with linespoints',
   linespoints = 'with linespoints', ['|'] = 'with boxes', boxes = 'with boxes', impulses = 'with impulses',
   ['~'] = 'smooth csplines', csplines = 'smooth csplines', acsplines = 'smooth acsplines',
   v = 'with vectors', V = 'with vectors', vectors = 'with vectors',
}
function commands.style(f)
   local weight = f ~= '~' and f:match('^~(.+)$') or f:match('^acsplines(.+)$')
   if weight then
      local w = tonumber(weight)
      if not w then raise("gnuplot.plot: style '" .. f .. "': expected '~' followed by a number") end
      return 'smooth acsplines', w
   end
   return styles[f] or f
end

-- plot(...) -> body
function commands.plot(...)
   local list = series_list('gnuplot.plot', series_of, ...)
   local heads, data = {}, {}
   for i, s in ipairs(list) do
      local with, weight = commands.style(s.format)
      heads[i] = "'-' title " .. quote(s.legend) .. (with ~= '' and ' ' .. with or '')
      local keep = {}
      local xp = flat(s.x, keep)
      local yp = flat(s.y, keep)
      local vec = with == 'with vectors'
      local ycols = s.y:dim() == 2 and s.y:size(2) or 1
      local xcols = s.x:dim() == 2 and s.x:size(2) or 1
      if vec and (xcols ~= 2 or ycols ~= 2) then
         raise("gnuplot.plot: vectors need an Nx4 matrix (x, y, dx, dy)")
      end
      local rows = {}
      local npts = s.x:size(1)
      for j = 0, npts - 1 do
         local row
         if vec then
            row = num(xp[2 * j]) .. ' ' .. num(yp[2 * j]) .. ' ' .. num(xp[2 * j + 1]) .. ' ' .. num(yp[2 * j + 1])
         else
            row = num(xp[j * xcols])
            for k = 0, ycols - 1 do row = row .. ' ' .. num(yp[j * ycols + k]) end
            if weight then row = row .. ' ' .. num(weight) end
         end
         rows[j + 1] = row
      end
      rows[#rows + 1] = 'e'
      data[i] = table.concat(rows, '\n')
   end
   local npoints = 0
   for _, s in ipairs(list) do npoints = npoints + s.x:size(1) end
   return { kind = 'plot', pre = '', cmd = 'plot ' .. table.concat(heads, ', '), data = table.concat(data, '\n') .. '\n',
      npoints = npoints }
end

-- bar(...): plot with boxes
function commands.bar(...)
   local args = { ... }
   args[#args + 1] = '|'
   return commands.plot(args)
end

local usage3d = 'expecting [string,] tensor [,tensor, tensor]'

-- one surface of splot(): legend, x, y, z (matrices of one size)
local function surface_of(fname, t)
   local n = #t
   if n == 0 then raise(fname .. ': empty argument list; ' .. usage3d) end
   local i, legend = 1, ''
   if isstring(t[1]) then legend = t[1]; i = 2 end
   local x, y, z
   if n - i + 1 == 1 and istensor(t[i]) then
      z = t[i]
   elseif n - i + 1 == 3 and istensor(t[i]) and istensor(t[i + 1]) and istensor(t[i + 2]) then
      x, y, z = t[i], t[i + 1], t[i + 2]
   else
      raise(string.format('%s: got %d arguments; %s', fname, n, usage3d))
   end
   if z:dim() ~= 2 then raise(string.format('%s: z must be a matrix, got a tensor of %d dimensions', fname, z:dim())) end
   if not x then
      x = torch.Tensor(z:size(1), z:size(2))
      y = torch.Tensor(z:size(1), z:size(2))
      for r = 1, z:size(1) do x:select(1, r):fill(r) end
      for c = 1, z:size(2) do y:select(2, c):fill(c) end
   end
   if x:dim() ~= 2 or y:dim() ~= 2 or x:size(1) ~= z:size(1) or x:size(2) ~= z:size(2)
      or y:size(1) ~= z:size(1) or y:size(2) ~= z:size(2) then
      raise(string.format('%s: x, y and z must be matrices of one size, got %s, %s and %s', fname,
         table.concat(x:size():totable(), 'x'), table.concat(y:size():totable(), 'x'), table.concat(z:size():totable(), 'x')))
   end
   return { legend = legend, x = x, y = y, z = z }
end

-- splot(...) -> body: surfaces with contours on the base
function commands.splot(...)
   local list = series_list('gnuplot.splot', surface_of, ...)
   local heads, data = {}, {}
   for i, s in ipairs(list) do
      heads[i] = "'-' title " .. quote(s.legend) .. ' with lines'
      local keep = {}
      local xp, yp, zp = flat(s.x, keep), flat(s.y, keep), flat(s.z, keep)
      local rows, cols = s.z:size(1), s.z:size(2)
      local out = {}
      for r = 0, rows - 1 do
         for c = 0, cols - 1 do
            local k = r * cols + c
            out[#out + 1] = num(xp[k]) .. ' ' .. num(yp[k]) .. ' ' .. num(zp[k])
         end
         out[#out + 1] = ''
      end
      out[#out + 1] = 'e'
      data[i] = table.concat(out, '\n')
   end
   local pre = 'set contour base\nset cntrparam bspline\nset cntrparam levels auto\nset style data lines\nset hidden3d\n'
   return { kind = 'splot', pre = pre, cmd = 'splot ' .. table.concat(heads, ', '), data = table.concat(data, '\n') .. '\n' }
end

-- one cloud of scatter3(): legend, x, y, z vectors of one size
local function cloud_of(fname, t)
   local i, legend = 1, ''
   if isstring(t[1]) then legend = t[1]; i = 2 end
   local x, y, z = t[i], t[i + 1], t[i + 2]
   if #t ~= i + 2 or not (istensor(x) and istensor(y) and istensor(z)) then
      raise(fname .. ': expecting [string,] tensor, tensor, tensor')
   end
   if x:dim() ~= 1 or y:dim() ~= 1 or z:dim() ~= 1 or x:size(1) ~= y:size(1) or x:size(1) ~= z:size(1) then
      raise(fname .. ': x, y and z must be vectors of one size')
   end
   return { legend = legend, x = x, y = y, z = z }
end

-- scatter3(...) -> body: points in 3D
function commands.scatter3(...)
   local list = series_list('gnuplot.scatter3', cloud_of, ...)
   local heads, data = {}, {}
   for i, s in ipairs(list) do
      heads[i] = "'-' title " .. quote(s.legend) .. ' with points'
      local keep = {}
      local xp, n = flat(s.x, keep)
      local yp, zp = flat(s.y, keep), flat(s.z, keep)
      local out = {}
      for k = 0, n - 1 do out[k + 1] = num(xp[k]) .. ' ' .. num(yp[k]) .. ' ' .. num(zp[k]) end
      out[#out + 1] = 'e'
      data[i] = table.concat(out, '\n')
   end
   return { kind = 'splot', pre = 'set style data points\n', cmd = 'splot ' .. table.concat(heads, ', '),
      data = table.concat(data, '\n') .. '\n' }
end

-- imagesc(m [, palette]) -> body: the matrix as an image, row 1 on top
function commands.imagesc(...)
   local n = select('#', ...)
   local m, palette = ...
   if n == 0 then raise('gnuplot.imagesc: no inputs, expecting a matrix') end
   if not istensor(m) then raise('gnuplot.imagesc: expected a matrix, got a ' .. torch.type(m)) end
   if n > 2 or (n == 2 and not isstring(palette)) then
      raise('gnuplot.imagesc: expecting tensor [,string]')
   end
   if m:dim() ~= 2 then
      raise(string.format('gnuplot.imagesc: expected a matrix, got a tensor of %d dimensions', m:dim()))
   end
   palette = palette or 'gray'
   local rows, cols = m:size(1), m:size(2)
   local keep = {}
   local p = flat(m, keep)
   local out = {}
   for r = 0, rows - 1 do
      local line = {}
      for c = 0, cols - 1 do line[c + 1] = num(p[r * cols + c]) end
      out[r + 1] = table.concat(line, ' ')
   end
   out[#out + 1] = 'e'
   local pre = string.format('set view map\nset palette %s\nset xrange [-0.5:%g]\nset yrange [%g:-0.5]\n',
      palette, cols - 0.5, rows - 0.5)
   return { kind = 'image', pre = pre, cmd = "splot '-' matrix with image notitle", data = table.concat(out, '\n') .. '\n' }
end

return commands

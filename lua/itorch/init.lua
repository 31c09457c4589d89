-- itorch: iTorch's user API (itorch.image, itorch.html, itorch.svg,
-- itorch.audio, itorch.video, itorch.Plot) in notebooks and in scripts.
--
-- In a notebook (require('nnlua.display').active()) each call hands the
-- notebook a PNG or HTML bundle. In a script it writes a file under
-- ./plots (itorch.plotdir(dir) or NNLUA_PLOT_DIR change the folder):
-- plots/image<N>.png, plots/html<N>.html, plots/plot<N>.html, and prints
-- one line saying where.
--   require 'itorch'
--   itorch.image({img1, img2})          -- a grid, as image.toDisplayTensor
--   itorch.html('<b>hi</b>')
--   Plot = require 'itorch.Plot'
--   Plot():line(x, y, 'red', 'loss'):title('Loss'):legend(true):draw()
require 'torch'
local paths = require 'paths'
-- the display hook as loaded now (the notebook kernel installs its sink there)
local function display() return require 'nnlua.display' end
local png = require 'optim.png'
local raise = torch._core.raise

local itorch = type(package.loaded.itorch) == 'table' and package.loaded.itorch or {}
package.loaded.itorch = itorch
_G.itorch = itorch

local dir = os.getenv('NNLUA_PLOT_DIR')
local counts = {}

-- plotdir([dir]): the folder of the files written outside a notebook
function itorch.plotdir(d)
   if d ~= nil then
      if type(d) ~= 'string' then raise('itorch.plotdir: expected a folder name, got ' .. type(d)) end
      dir = d
   end
   return dir or 'plots'
end

local function mkdir_p(d)
   if d == '' or d == '.' or d == '/' or paths.dirp(d) then return end
   mkdir_p(paths.dirname(d))
   paths.mkdir(d)
end

-- Writes bytes to the next plots/<kind><N>.<ext>, says where; returns the path.
function itorch._writefile(kind, ext, bytes, fname)
   local folder = itorch.plotdir()
   mkdir_p(folder)
   counts[kind] = (counts[kind] or 0) + 1
   local path = paths.concat(folder, kind .. counts[kind] .. '.' .. ext)
   local f, err = io.open(path, 'wb')
   if not f then raise(fname .. ': cannot write ' .. path .. ': ' .. tostring(err)) end
   f:write(bytes)
   f:close()
   print(fname .. ': written to ' .. path)
   return path
end

---------------------------------------------------------------------------
-- image grids (image.toDisplayTensor's layout and scaling)

local function minmax(t, lo, hi, symm, saturate)
   local fmin
   if lo == nil and hi == nil then saturate = false end
   if lo == nil then
      if symm then
         fmin = math.max(math.abs(t:min()), math.abs(t:max()))
         lo = -fmin
      else
         lo = t:min()
      end
   end
   if lo ~= 0 then t:add(-lo) end
   if hi == nil then
      hi = symm and fmin * 2 or t:max()
   else
      hi = hi - lo
   end
   if hi ~= 0 then t:div(hi) end
   if saturate then t:clamp(0, 1) end
   return t
end

-- itorch.tile{input=, padding=0, nrow=6, scaleeach=false, min=, max=,
-- symmetric=false, saturate=true}: one image of a HxW / CxHxW tensor, a
-- KxHxW or Kx(1|3)xHxW batch, or a table of images, laid on a grid and
-- scaled to 0..1 (each image alone with scaleeach).
function itorch.tile(opts)
   local input = opts.input
   local padding, nrow = opts.padding or 0, opts.nrow or 6
   local packed
   if type(input) == 'table' and not torch.isTensor(input) then
      if #input == 0 then raise('itorch.image: the table of images is empty') end
      local first = input[1]
      if not torch.isTensor(first) or (first:dim() ~= 2 and first:dim() ~= 3) then
         raise('itorch.image: expected a table of HxW or CxHxW tensors, got a ' .. torch.type(first) .. ' first')
      end
      local nd = first:dim()
      local c, h, w = nd == 2 and 1 or first:size(1), first:size(nd - 1), first:size(nd)
      packed = torch.DoubleTensor(#input, c, h, w)
      for i, img in ipairs(input) do
         if not torch.isTensor(img) or img:nElement() ~= c * h * w then
            raise(string.format('itorch.image: image %d does not match the first (%dx%dx%d)', i, c, h, w))
         end
         packed[i]:copy(img:contiguous():view(c, h, w))
      end
   elseif torch.isTensor(input) then
      packed = torch.DoubleTensor():resize(input:size()):copy(input)
   else
      raise('itorch.image: expected a tensor or a table of tensors, got a ' .. torch.type(input))
   end
   local lo, hi, symm, sat = opts.min, opts.max, opts.symmetric, opts.saturate
   if sat == nil then sat = true end
   local d = packed:dim()
   local colour_batch = d == 4 and (packed:size(2) == 3 or packed:size(2) == 1)
   local map_batch = d == 3 and packed:size(1) ~= 1 and packed:size(1) ~= 3
   if d == 2 or (d == 3 and not map_batch) then
      return minmax(packed, lo, hi, symm, sat)
   end
   if not colour_batch and not map_batch then
      raise('itorch.image: expected HxW, CxHxW, KxHxW or Kx3xHxW, got a tensor of size '
         .. table.concat(packed:size():totable(), 'x'))
   end
   if opts.scaleeach then
      for i = 1, packed:size(1) do minmax(packed[i], lo, hi, symm, sat) end
   end
   local n = packed:size(1)
   local cols = math.min(nrow, n)
   local rows = math.ceil(n / cols)
   local h, w = packed:size(d - 1) + padding, packed:size(d) + padding
   local grid = colour_batch and torch.DoubleTensor(packed:size(2), h * rows, w * cols)
      or torch.DoubleTensor(h * rows, w * cols)
   grid:fill(packed:max())
   local hd, wd = grid:dim() - 1, grid:dim()
   for k = 1, n do
      local r, c = math.floor((k - 1) / cols), (k - 1) % cols
      grid:narrow(hd, math.floor(r * h + 1 + padding / 2), h - padding)
         :narrow(wd, math.floor(c * w + 1 + padding / 2), w - padding):copy(packed[k])
   end
   if not opts.scaleeach then minmax(grid, lo, hi, symm, sat) end
   return grid
end

-- itorch.image(img [, opts]): a tensor, a table of tensors or a file name
-- (an .svg file goes to itorch.svg). opts as itorch.tile, padding 2.
function itorch.image(img, opts)
   if type(img) == 'string' then
      if img:match('%.svg$') then return itorch.svg(img) end
      local ok, image = pcall(require, 'image')
      if not ok or type(image) ~= 'table' or not rawget(image, 'load') then
         raise('itorch.image: cannot read ' .. img .. ': the image package has no image.load here')
      end
      img = image.load(img, 3)
   end
   if not torch.isTensor(img) and type(img) ~= 'table' then
      raise('itorch.image: expected a tensor, a table of tensors or a file name, got a ' .. torch.type(img))
   end
   local o = {}
   for k, v in pairs(opts or { padding = 2 }) do o[k] = v end
   o.input = img
   local grid = itorch.tile(o)
   local canvas = png.fromTensor(grid)
   local bytes = canvas:encode()
   if display().show({ ['image/png'] = bytes, ['text/plain'] = 'Console does not support images' },
      { ['image/png'] = { width = canvas.w, height = canvas.h } }) then
      return
   end
   return itorch._writefile('image', 'png', bytes, 'itorch.image')
end

function itorch.lena()
   local ok, image = pcall(require, 'image')
   if not ok or type(image) ~= 'table' or not rawget(image, 'lena') then
      raise('itorch.lena: the image package has no image.lena here')
   end
   return itorch.image(image.lena())
end

---------------------------------------------------------------------------
-- HTML, SVG, audio, video

local nid = 0
local function newid()
   nid = nid + 1
   return string.format('itorch_%d_%d', os.time(), nid)
end

local function document(body, title)
   return '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>' .. (title or 'itorch')
      .. '</title></head>\n<body>\n' .. body .. '\n</body>\n</html>\n'
end
itorch._document = document

-- itorch.html(html [, window_id]): shows HTML; returns its window id
function itorch.html(html, window_id)
   if type(html) ~= 'string' then raise('itorch.html: expected a string of HTML, got a ' .. type(html)) end
   window_id = window_id or newid()
   if not display().show({ ['text/html'] = html }) then
      itorch._writefile('html', 'html', document(html), 'itorch.html')
   end
   return window_id
end

-- itorch.svg(file or svg text)
function itorch.svg(s)
   if type(s) ~= 'string' then raise('itorch.svg: expected a file name or SVG text, got a ' .. type(s)) end
   if paths.filep(s) then
      local f = assert(io.open(s, 'rb'))
      s = f:read('*a')
      f:close()
   end
   return itorch.html(s)
end

local b64chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
local function base64(s)
   local out = {}
   for i = 1, #s, 3 do
      local a, b, c = s:byte(i, i + 2)
      local n = a * 65536 + (b or 0) * 256 + (c or 0)
      local q = {}
      for k = 3, 0, -1 do
         local v = math.floor(n / 64 ^ k) % 64
         q[#q + 1] = b64chars:sub(v + 1, v + 1)
      end
      if not b then q[3], q[4] = '=', '=' elseif not c then q[4] = '=' end
      out[#out + 1] = table.concat(q)
   end
   return table.concat(out)
end
itorch._base64 = base64

local function media(fname, kind, exts, tag)
   local fn = 'itorch.' .. kind
   if type(fname) ~= 'string' then raise(fn .. ': expected a file name, got a ' .. type(fname)) end
   local ext = (fname:match('%.(%w+)$') or ''):lower()
   if ext == 'ogv' then ext = 'ogg' end
   if not exts[ext] then
      raise(string.format('%s: %s files are supported, got %s', fn, table.concat(exts, ', '), fname))
   end
   local f = io.open(fname, 'rb')
   if not f then raise(fn .. ': cannot open ' .. fname) end
   if not display().active() then
      f:close()
      print(fn .. ': ' .. kind .. ' plays in a notebook only; the file is ' .. fname)
      return fname
   end
   local data = f:read('*a')
   f:close()
   local id = newid()
   itorch.html(string.format('<div id="%s"><%s controls src="data:%s/%s;base64,%s"></%s></div>',
      id, tag, kind, ext, base64(data), tag))
   return id
end

function itorch.audio(fname)
   return media(fname, 'audio', { 'mp3', 'wav', 'ogg', 'aac', mp3 = true, wav = true, ogg = true, aac = true }, 'audio')
end

function itorch.video(fname)
   return media(fname, 'video', { 'mp4', 'ogg', 'webm', mp4 = true, ogg = true, webm = true }, 'video')
end

-- itorch.Plot, loaded on first use
setmetatable(itorch, {
   __index = function(t, k)
      if k == 'Plot' then
         local Plot = require 'itorch.Plot'
         rawset(t, 'Plot', Plot)
         return Plot
      end
   end,
})

return itorch

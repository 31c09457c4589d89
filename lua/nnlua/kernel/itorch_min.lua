-- nnlua.kernel.itorch_min: the part of iTorch's API a notebook needs when
-- the full package (lua/itorch) is not installed: itorch.image and
-- itorch.html, shown through nnlua.display. The kernel makes
-- `require 'itorch'` load this only when no itorch package is found.
local torch = require 'torch'
local display = require 'nnlua.display'

local itorch = {}

-- One image as an RGB byte tensor 3 x H x W: 2D (H x W) or 3D (1 or 3 planes);
-- float values are scaled from their range to 0..255 unless already in [0, 1].
local function to_rgb(t)
   if not torch.isTensor(t) then error('itorch.image: expected a tensor or a table of tensors, got ' .. type(t), 3) end
   local d = t:dim()
   if d == 2 then t = t:view(1, t:size(1), t:size(2)) end
   if t:dim() ~= 3 or (t:size(1) ~= 1 and t:size(1) ~= 3) then
      error('itorch.image: expected HxW, 1xHxW or 3xHxW, got ' .. table.concat(t:size():totable(), 'x'), 3)
   end
   local x = t:double()
   if t:type() ~= 'torch.ByteTensor' then
      local lo, hi = x:min(), x:max()
      if lo < 0 or hi > 1 then x = (x - lo) / math.max(hi - lo, 1e-12) end
      x = x * 255
   end
   if x:size(1) == 1 then x = x:expand(3, x:size(2), x:size(3)) end
   return x:clamp(0, 255)
end

-- Tiles images in a grid with 2 pixels of padding.
local function grid(list)
   local n = #list
   local cols = math.ceil(math.sqrt(n))
   local rows = math.ceil(n / cols)
   local h, w = 0, 0
   for _, im in ipairs(list) do h, w = math.max(h, im:size(2)), math.max(w, im:size(3)) end
   local out = torch.DoubleTensor(3, rows * (h + 2) + 2, cols * (w + 2) + 2):zero()
   for i, im in ipairs(list) do
      local r, c = math.floor((i - 1) / cols), (i - 1) % cols
      out:narrow(2, r * (h + 2) + 3, im:size(2)):narrow(3, c * (w + 2) + 3, im:size(3)):copy(im)
   end
   return out
end

local function encode(rgb)
   local image = package.loaded.image or (pcall(require, 'image') and require 'image')
   if type(image) == 'table' and image.compressPNG then
      return image.compressPNG(rgb:div(255)):storage():string()
   end
   local png = require 'optim.png'
   local h, w = rgb:size(2), rgb:size(3)
   local c = png.canvas(w, h)
   local hwc = rgb:permute(2, 3, 1):contiguous():view(-1)
   for i = 0, 3 * w * h - 1 do c.pix[i] = math.floor(hwc[i + 1] + 0.5) end
   return c:encode()
end

-- itorch.image(tensor | {tensors}): the picture inline in the notebook (or
-- a PNG file outside one, named in one printed line).
function itorch.image(img)
   local rgb
   if type(img) == 'table' and not torch.isTensor(img) then
      local list = {}
      for i, t in ipairs(img) do list[i] = to_rgb(t) end
      if #list == 0 then error('itorch.image: the table holds no tensors', 2) end
      rgb = grid(list)
   else
      rgb = to_rgb(img)
   end
   local bytes = encode(rgb)
   if not display.show({ ['image/png'] = bytes, ['text/plain'] = 'image ' .. rgb:size(3) .. 'x' .. rgb:size(2) }) then
      local path = os.tmpname() .. '.png'
      local f = assert(io.open(path, 'wb'))
      f:write(bytes)
      f:close()
      print('itorch.image: written to ' .. path)
   end
end

function itorch.html(s)
   if type(s) ~= 'string' then error('itorch.html: expected a string, got ' .. type(s), 2) end
   if not display.show({ ['text/html'] = s, ['text/plain'] = s }) then print(s) end
end

return itorch

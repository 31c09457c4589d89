-- image display helpers: minmax, toDisplayTensor, y2jet, colormap,
-- jetColormap, convolve, the bundled photos (lena, fabio) and display.
-- There is no window system: image.display hands a PNG to a notebook sink
-- (nnlua.display) when one is installed, else writes the PNG under
-- image.display_dir (NNLUA_DISPLAY_DIR, default ./display) and prints one
-- line saying where; it never fails a script for want of a screen.
local ffi = require 'ffi'
local torch = require 'torch'
local I = require 'image.ffi'

return function(image)
   local raise = I.raise
   local args = image._args
   local fast_conv

   -- image.minmax{tensor= [, min=] [, max=] [, symm=] [, inplace=] [, saturate=] [, tensorOut=]}:
   -- (tensor - min) / (max - min), min and max from the tensor unless given
   function image.minmax(a)
      local fname = 'image.minmax'
      if type(a) ~= 'table' or torch.isTensor(a) or not torch.isTensor(a.tensor) then
         raise(fname .. ': expected a table {tensor=, [min=], [max=], [symm=], [inplace=], [saturate=], [tensorOut=]}')
      end
      local tensor, min, max = a.tensor, a.min, a.max
      local saturate = a.saturate or false
      local out = a.tensorOut or (a.inplace and tensor) or torch.Tensor(tensor:size()):copy(tensor)
      if a.tensorOut then out:resize(tensor:size()):copy(tensor) end
      if min == nil and max == nil then saturate = false end
      local fmin = 0
      if min == nil then
         if a.symm then
            fmin = math.max(math.abs(out:min()), math.abs(out:max()))
            min = -fmin
         else
            min = out:min()
         end
      end
      if min ~= 0 then out:add(-min) end
      if max == nil then
         if a.symm then max = fmin * 2 else max = out:max() end
      else
         max = max - min
      end
      if max ~= 0 then out:div(max) end
      if saturate then out:clamp(0, 1) end
      return out
   end

   local grid_specs = {
      { 'input' }, { 'padding', default = 0 }, { 'nrow', default = 6 }, { 'scaleeach', default = false },
      { 'min' }, { 'max' }, { 'symmetric', default = false }, { 'saturate', default = true },
   }

   -- A grid of images (Kx3xHxW, Kx1xHxW, a list, or KxHxW maps), nrow per
   -- row, padding pixels between cells filled with the maximum, scaled to 0..1
   function image.toDisplayTensor(...)
      local fname = 'image.toDisplayTensor'
      local a = args(fname, grid_specs, ...)
      local input, padding, nrow = a.input, a.padding, a.nrow
      local mm = function(t) return image.minmax { tensor = t, inplace = true, min = a.min, max = a.max, symm = a.symmetric, saturate = a.saturate } end
      local packed = torch.Tensor()
      if type(input) == 'table' and not torch.isTensor(input) then
         if #input == 0 or not torch.isTensor(input[1]) then raise(fname .. ': input list must hold tensors') end
         local nd = input[1]:dim()
         local c = nd == 2 and 1 or input[1]:size(1)
         local h, w = input[1]:size(nd - 1), input[1]:size(nd)
         packed:resize(#input, c, h, w)
         for i, img in ipairs(input) do
            if img:nElement() ~= c * h * w then
               raise(string.format('%s: input[%d] has size %s, expected %d elements like input[1]', fname, i, I.shape(img), c * h * w))
            end
            packed[i]:copy(img)
         end
      elseif torch.isTensor(input) then
         packed:resize(input:size()):copy(input)
      else
         raise(fname .. ': input must be a tensor or a list of tensors, got ' .. torch.type(input))
      end
      if type(padding) ~= 'number' or type(nrow) ~= 'number' or nrow < 1 then
         raise(fname .. ': padding and nrow must be numbers (nrow >= 1)')
      end
      local d = packed:dim()
      local color4 = d == 4 and (packed:size(2) == 3 or packed:size(2) == 1)
      if a.scaleeach and (color4 or (d == 3 and packed:size(1) ~= 1 and packed:size(1) ~= 3)) then
         for i = 1, packed:size(1) do mm(packed[i]) end
      end
      local grid = torch.Tensor()
      local function lay(maps, planes, hdim)
         local nmaps = maps:size(1)
         local xmaps = math.min(nrow, nmaps)
         local ymaps = math.ceil(nmaps / xmaps)
         local h, w = maps:size(hdim) + padding, maps:size(hdim + 1) + padding
         if planes then grid:resize(planes, h * ymaps, w * xmaps) else grid:resize(h * ymaps, w * xmaps) end
         grid:fill(maps:max())
         local gd = grid:dim()
         local k = 1
         for y = 1, ymaps do
            for x = 1, xmaps do
               if k > nmaps then break end
               grid:narrow(gd - 1, math.floor((y - 1) * h + 1 + padding / 2), math.floor(h - padding))
                  :narrow(gd, math.floor((x - 1) * w + 1 + padding / 2), math.floor(w - padding))
                  :copy(maps[k])
               k = k + 1
            end
         end
      end
      if color4 then
         lay(packed, packed:size(2), 3)
      elseif d == 2 or (d == 3 and (packed:size(1) == 1 or packed:size(1) == 3)) then
         mm(packed)
         return packed
      elseif d == 3 then
         lay(packed, nil, 2)
      else
         raise(fname .. ': input must be a HxW, KxHxW or Kx3xHxW tensor or a list of tensors, got size ' .. I.shape(packed))
      end
      if not a.scaleeach then mm(grid) end
      return grid
   end

   -- nbColor x 3 jet colours (blue to red)
   function image.jetColormap(n)
      if type(n) ~= 'number' or n < 1 then raise('image.jetColormap: expected a positive number of colours, got ' .. tostring(n)) end
      local map = torch.Tensor(n, 3)
      for i = 1, n do
         local f = 4 * i / n
         map[i][1] = math.max(math.min(f - 1.5, -f + 4.5, 1), 0)
         map[i][2] = math.max(math.min(f - 0.5, -f + 3.5, 1), 0)
         map[i][3] = math.max(math.min(f + 0.5, -f + 2.5, 1), 0)
      end
      return map
   end

   -- nbColor x 3 colours spread around the hue wheel (steps of 39 degrees)
   function image.colormap(n)
      if type(n) ~= 'number' or n < 1 then raise('image.colormap: expected a positive number of colours, got ' .. tostring(n)) end
      local map = torch.Tensor(n, 3)
      local huef, satf = 0, 0
      for i = 1, n do
         local hue, sat, light = math.fmod(huef, 360), math.fmod(satf, 0.7) + 0.3, 0.5
         huef, satf = huef + 39, satf + 1 / 9
         local c = (1 - math.abs(2 * light - 1)) * sat
         local hp = hue / 60
         local x = c * (1 - math.abs(math.fmod(hp, 2) - 1))
         local r, g, b
         if hp < 1 then r, g, b = c, x, 0
         elseif hp < 2 then r, g, b = x, c, 0
         elseif hp < 3 then r, g, b = 0, c, x
         elseif hp < 4 then r, g, b = 0, x, c
         elseif hp < 5 then r, g, b = x, 0, c
         else r, g, b = c, 0, x end
         local m = light - c / 2
         map[i][1], map[i][2], map[i][3] = r + m, g + m, b + m
      end
      return map
   end

   -- An image of integer levels 1..L (HxW, 1xHxW or N) as 3xHxW jet colours
   function image.y2jet(...)
      local fname = 'image.y2jet'
      local n, a = select('#', ...), { ... }
      local dst, src
      if n == 2 then dst, src = a[1], a[2] elseif n == 1 then src = a[1]
      else raise(fname .. ': expected ([dst,] src)') end
      if not torch.isTensor(src) or src:nElement() == 0 then raise(fname .. ': src must be a non-empty tensor, got ' .. torch.type(src)) end
      if src:dim() == 3 and src:size(1) == 1 then src = src:view(src:size(2), src:size(3)) end
      if src:dim() == 1 then src = src:view(1, src:size(1)) end
      if src:dim() ~= 2 then raise(fname .. ': src must be HxW, 1xHxW or N, got size ' .. I.shape(src)) end
      local L = math.floor(src:max())
      if L < 1 or src:min() < 1 then raise(fname .. ': levels must be integers within 1..L, got values ' .. src:min() .. '..' .. src:max()) end
      local map = image.jetColormap(L)
      if torch.typename(src) == 'torch.ByteTensor' then
         map = map:mul(255):round():clamp(0, 255):byte()
      else
         map = map:typeAs(src)
      end
      local h, w = src:size(1), src:size(2)
      local idx = src:double():contiguous():view(-1):long()
      local rows = map:index(1, idx)
      dst = dst or map.new()
      dst:resize(3, h, w):copy(rows:t():contiguous():view(3, h, w))
      return dst
   end

   -- Float and double images with a 2-D kernel (or one kernel channel per
   -- image channel) go to libnnlua_image's direct loop; returns nil for the
   -- cases torch.conv2 handles (other types, 4-D kernels)
   local float_types = { ['torch.FloatTensor'] = 0, ['torch.DoubleTensor'] = 1 }
   function fast_conv(fname, dst, src, kernel, full)
      local dtype = float_types[torch.typename(src)]
      if not dtype or (dst ~= nil and torch.typename(dst) ~= torch.typename(src)) then return nil end
      if kernel:dim() == 3 and (src:dim() ~= 3 or kernel:size(1) ~= src:size(1)) then return nil end
      local d = src:dim()
      local kh, kw = kernel:size(kernel:dim() - 1), kernel:size(kernel:dim())
      local ih, iw = src:size(d - 1), src:size(d)
      local h, w = full and ih + kh - 1 or ih - kh + 1, full and iw + kw - 1 or iw - kw + 1
      if h < 1 or w < 1 then
         raise(string.format('%s: kernel %s is larger than the image %s', fname, I.shape(kernel), I.shape(src)))
      end
      kernel = kernel:type(torch.typename(src))
      dst = dst or src.new()
      if d == 3 then dst:resize(src:size(1), h, w) else dst:resize(h, w) end
      if I.same_data(dst, src) then src = src:clone() end
      local kv = I.view(kernel)
      local lib = I.lib(fname)
      I.check(fname, lib.nl_image_conv2(dtype, full and 1 or 0, 1, I.view(dst), I.view(src), kv))
      return dst
   end

   -- image.convolve([dst,] src, kernel [, mode]): mode 'valid' (default),
   -- 'full' or 'same' (the full result's centre, src's size), by torch.conv2;
   -- a 2-D kernel on a 3-D src applies to every channel
   function image.convolve(...)
      local fname = 'image.convolve'
      local n, a = select('#', ...), { ... }
      local dst, src, kernel, mode
      if n == 4 then dst, src, kernel, mode = a[1], a[2], a[3], a[4]
      elseif n == 3 then
         if type(a[3]) == 'string' then src, kernel, mode = a[1], a[2], a[3]
         else dst, src, kernel = a[1], a[2], a[3] end
      elseif n == 2 then src, kernel = a[1], a[2]
      else raise(fname .. ": expected ([dst,] src, kernel [, mode]) with mode 'valid', 'full' or 'same'") end
      if mode ~= nil and mode ~= 'valid' and mode ~= 'full' and mode ~= 'same' then
         raise(fname .. ': mode has to be one of: full | valid | same, got ' .. tostring(mode))
      end
      I.check_image(fname, src, 'src')
      if not torch.isTensor(kernel) or (kernel:dim() ~= 2 and kernel:dim() ~= 3) then
         raise(fname .. ': kernel must be a 2D or 3D tensor, got ' .. (torch.isTensor(kernel) and I.shape(kernel) or torch.type(kernel)))
      end
      local md = (mode == 'full' or mode == 'same') and 'F' or 'V'
      local direct = fast_conv(fname, dst, src, kernel, md == 'F')
      if direct then
         dst = direct
      else
         if kernel:dim() == 2 and src:dim() == 3 then
            kernel = kernel:view(1, kernel:size(1), kernel:size(2)):expand(src:size(1), kernel:size(1), kernel:size(2)):contiguous()
         end
         if dst then torch.conv2(dst, src, kernel, md) else dst = torch.conv2(src, kernel, md) end
      end
      if mode == 'same' then
         local cx, kx = dst:dim(), kernel:dim()
         local cy, sx = cx - 1, src:dim()
         dst = dst:narrow(cy, math.ceil(kernel:size(kx - 1) / 2), src:size(sx - 1))
            :narrow(cx, math.ceil(kernel:size(kx) / 2), src:size(sx))
      end
      return dst
   end

   local here = debug.getinfo(1, 'S').source:match('^@(.*)[/\\][^/\\]*$') or '.'
   image.assets = here .. '/assets'

   -- A 3x512x512 colour photograph (see lua/image/assets/README.md), under
   -- Torch7's name for its sample picture
   function image.lena()
      return image.load(image.assets .. '/lena.jpg', 3)
   end

   -- A 1x512x512 grey photograph (see lua/image/assets/README.md)
   function image.fabio()
      return image.load(image.assets .. '/fabio.jpg', 1)
   end

   image.display_dir = os.getenv('NNLUA_DISPLAY_DIR') or 'display'
   local shown = 0

   local display_specs = {
      { 'image' }, { 'zoom', default = 1 }, { 'min' }, { 'max' }, { 'legend', default = 'image.display' },
      { 'win' }, { 'x', default = 0 }, { 'y', default = 0 }, { 'scaleeach', default = false },
      { 'gui', default = true }, { 'offscreen', default = false }, { 'padding', default = 0 },
      { 'symmetric', default = false }, { 'nrow', default = 6 }, { 'saturate', default = true },
   }

   -- image.display(img) or image.display{image=, zoom=, legend=, min=, max=,
   -- padding=, nrow=, scaleeach=, symmetric=, saturate=, win=}: returns the
   -- path of the PNG written (nil when a notebook took it); given back as
   -- win=, the next call rewrites that file, as Torch7 redrew its window
   function image.display(...)
      local fname = 'image.display'
      local a = args(fname, display_specs, ...)
      if a.image == nil then raise(fname .. ': missing image (usage: image.display(img) or image.display{image=img, ...})') end
      local grid = image.toDisplayTensor { input = a.image, padding = a.padding, nrow = a.nrow, scaleeach = a.scaleeach,
         min = a.min, max = a.max, symmetric = a.symmetric, saturate = a.saturate }
      if type(a.zoom) == 'number' and a.zoom ~= 1 and a.zoom > 0 then
         local h, w = grid:size(grid:dim() - 1), grid:size(grid:dim())
         grid = image.scale(grid, math.max(1, math.floor(w * a.zoom)), math.max(1, math.floor(h * a.zoom)), 'simple')
      end
      local png = image.compressPNG(grid)
      local bytes = ffi.string(png:data(), png:nElement())
      local legend = tostring(a.legend)
      if require('nnlua.display').show { ['image/png'] = bytes, ['text/plain'] = legend } then return nil end
      -- win= a path an earlier call returned: the same file is rewritten
      -- (scripts pass their window back in a loop), and said once
      local path, again = nil, false
      if type(a.win) == 'string' and a.win:match('%.png$') then
         path, again = a.win, true
      else
         shown = shown + 1
         path = string.format('%s/image-%d.png', image.display_dir, shown)
      end
      local dir = path:match('^(.*)/[^/]*$')
      local ok, err = pcall(function()
         if dir then os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "' 2>/dev/null") end
         local f, e = io.open(path, 'wb')
         if not f then error(e, 0) end
         f:write(bytes)
         f:close()
      end)
      if ok then
         local what = legend == 'image.display' and 'image' or legend
         if not again then
            print(string.format('image.display: %s (%dx%d) written to %s', what, grid:size(grid:dim()), grid:size(grid:dim() - 1), path))
         end
         return path
      end
      print(string.format('image.display: %s not shown (no window system, and %s)', legend, tostring(err)))
      return nil
   end

   -- Windows need a window system, which nnlua does not have
   function image.window()
      print('image.window: no window system in nnlua; image.display writes PNG files instead')
      return nil
   end

   image.Camera = setmetatable({}, {
      __call = function()
         raise('image.Camera: no camera support in nnlua (no video capture); read frames from files with image.load')
      end,
      __index = function()
         raise('image.Camera: no camera support in nnlua (no video capture); read frames from files with image.load')
      end,
   })
end

-- image: Torch7's image package. This file holds the kernels the
-- normalisation modules use (gaussian, gaussian1D, laplacian) and loads the
-- rest: saveload.lua (PNG, JPEG, PPM/PGM), geometry.lua (scale, crop,
-- rotate, warp, flips), color.lua (colour spaces), display.lua (grids,
-- colour maps, convolve, the sample photos, display), filters.lua (lcn,
-- gaussianpyramid, erode, dilate, drawRect). C (codecs and pixel
-- loops) is libnnlua_image.so, opened by ffi.lua. Arguments are positional
-- or one table of named arguments (image.gaussian{size = 9, sigma = 0.25,
-- normalize = true}), as with Torch7's dok.unpack. The kernel formulas are
-- Torch7's, written as tensor operations over a row and a column vector.
local torch = require 'torch'
local raise = torch._core.raise

local image = type(package.loaded.image) == 'table' and package.loaded.image or {}
package.loaded.image = image
_G.image = image   -- Torch7 scripts use the global after require

-- Reads positional or named arguments against specs
-- { name, default = v } or { name, defaulta = 'other' }; returns a table.
local function args(fname, specs, ...)
   local a = { ... }
   -- one table with no list part: named arguments (a list of tensors is positional)
   local named = select('#', ...) == 1 and type(a[1]) == 'table' and not torch.isTensor(a[1]) and a[1][1] == nil
   local r = {}
   for i, s in ipairs(specs) do
      local v
      if named then v = a[1][s[1]] else v = a[i] end
      r[s[1]] = v
   end
   if named then
      for k in pairs(a[1]) do
         local known = false
         for _, s in ipairs(specs) do known = known or s[1] == k end
         if not known then raise(string.format('%s: unknown argument %s', fname, tostring(k))) end
      end
   end
   for _, s in ipairs(specs) do
      if r[s[1]] == nil then
         if s.defaulta then r[s[1]] = r[s.defaulta] else r[s[1]] = s.default end
      end
   end
   return r
end

image._args = args

local function check_size(fname, name, v)
   if type(v) ~= 'number' or v < 1 or v ~= math.floor(v) or v > 2 ^ 31 then
      raise(string.format('%s: %s must be a positive integer, got %s', fname, name, tostring(v)))
   end
end

local function check_number(fname, name, v)
   if type(v) ~= 'number' then raise(string.format('%s: %s must be a number, got %s', fname, name, type(v))) end
end

local function check_numbers(fname, a, names)
   for _, n in ipairs(names) do check_number(fname, n, a[n]) end
end

-- image.gaussian([size=3] [, sigma=0.25] [, amplitude=1] [, normalize=false]
-- [, width=size] [, height=size] [, sigma_horz=sigma] [, sigma_vert=sigma]
-- [, mean_horz=0.5] [, mean_vert=0.5] [, tensor]): a height x width kernel
-- amplitude * exp(-(du^2 + dv^2) / 2), du = (u - (mean_horz*width + 0.5)) /
-- (sigma_horz*width) for column u = 1..width (dv likewise over rows);
-- normalize divides by the sum. With tensor (2-D), the kernel is written
-- there and its sizes are used.
function image.gaussian(...)
   local fname = 'image.gaussian'
   local a = args(fname, {
      { 'size', default = 3 }, { 'sigma', default = 0.25 }, { 'amplitude', default = 1 },
      { 'normalize', default = false }, { 'width', defaulta = 'size' }, { 'height', defaulta = 'size' },
      { 'sigma_horz', defaulta = 'sigma' }, { 'sigma_vert', defaulta = 'sigma' },
      { 'mean_horz', default = 0.5 }, { 'mean_vert', default = 0.5 }, { 'tensor' },
   }, ...)
   local dst = a.tensor
   if dst ~= nil then
      if not torch.isTensor(dst) or dst:dim() ~= 2 or dst:nElement() == 0 then
         raise(fname .. ': tensor must be a non-empty 2D tensor, got ' ..
            (torch.isTensor(dst) and torch._core.shape_str(dst) or torch.type(dst)))
      end
      a.height, a.width = dst:size(1), dst:size(2)
   end
   check_size(fname, 'width', a.width)
   check_size(fname, 'height', a.height)
   check_numbers(fname, a, { 'amplitude', 'sigma_horz', 'sigma_vert', 'mean_horz', 'mean_vert' })
   local H, W = a.height, a.width
   -- Torch7's C kernel: (u + 1 - mean_u) * (1 / (sigma_u * width)), u from 0
   local du = torch.range(1, W):add(-(a.mean_horz * W + 0.5)):mul(1 / (a.sigma_horz * W))
   local dv = torch.range(1, H):add(-(a.mean_vert * H + 0.5)):mul(1 / (a.sigma_vert * H))
   du:cmul(du):mul(0.5)
   dv:cmul(dv):mul(0.5)
   local g = torch.Tensor(H, W):copy(dv:view(H, 1):expand(H, W)):add(du:view(1, W):expand(H, W))
   g:mul(-1):exp():mul(a.amplitude)
   if a.normalize then g:mul(1 / g:sum()) end
   if dst then return dst:copy(g) end
   return g
end

-- image.gaussian1D([size=3] [, sigma=0.25] [, amplitude=1] [, normalize=false]
-- [, mean=0.5] [, tensor]): amplitude * exp(-((i - (mean*size + 0.5)) /
-- (sigma*size))^2 / 2) for i = 1..size; normalize divides by the sum.
function image.gaussian1D(...)
   local fname = 'image.gaussian1D'
   local a = args(fname, {
      { 'size', default = 3 }, { 'sigma', default = 0.25 }, { 'amplitude', default = 1 },
      { 'normalize', default = false }, { 'mean', default = 0.5 }, { 'tensor' },
   }, ...)
   local dst = a.tensor
   if dst ~= nil then
      if not torch.isTensor(dst) or dst:dim() ~= 1 or dst:nElement() == 0 then
         raise(fname .. ': tensor must be a non-empty 1D tensor, got ' ..
            (torch.isTensor(dst) and torch._core.shape_str(dst) or torch.type(dst)))
      end
      a.size = dst:size(1)
   end
   check_size(fname, 'size', a.size)
   check_numbers(fname, a, { 'sigma', 'amplitude', 'mean' })
   local n = a.size
   local g = torch.range(1, n):add(-(a.mean * n + 0.5)):div(a.sigma * n)
   g:cmul(g):div(2):mul(-1):exp():mul(a.amplitude)
   if a.normalize then g:div(g:sum()) end
   if dst then return dst:copy(g) end
   return g
end

-- image.laplacian([size=3] [, sigma=0.1] [, amplitude=1] [, normalize=false]
-- [, width=size] [, height=size] [, sigma_horz=sigma] [, sigma_vert=sigma]
-- [, mean_horz=0.5] [, mean_vert=0.5]): a height x width kernel
-- (1 - s) * amplitude * exp(-s), s = xsq + ysq with, exactly as Torch7
-- writes it, xsq = ((i - (mean_horz*width + 0.5)) / (sigma_horz*width))^2 / 2
-- over rows i and ysq = ((j - (mean_vert*height + 0.5)) /
-- (sigma_vert*height))^2 / 2 over columns j (the same as the natural
-- pairing when the kernel is square); normalize divides by the sum.
function image.laplacian(...)
   local fname = 'image.laplacian'
   local a = args(fname, {
      { 'size', default = 3 }, { 'sigma', default = 0.1 }, { 'amplitude', default = 1 },
      { 'normalize', default = false }, { 'width', defaulta = 'size' }, { 'height', defaulta = 'size' },
      { 'sigma_horz', defaulta = 'sigma' }, { 'sigma_vert', defaulta = 'sigma' },
      { 'mean_horz', default = 0.5 }, { 'mean_vert', default = 0.5 },
   }, ...)
   check_size(fname, 'width', a.width)
   check_size(fname, 'height', a.height)
   check_numbers(fname, a, { 'amplitude', 'sigma_horz', 'sigma_vert', 'mean_horz', 'mean_vert' })
   local H, W = a.height, a.width
   local xsq = torch.range(1, H):add(-(a.mean_horz * W + 0.5)):div(a.sigma_horz * W)
   local ysq = torch.range(1, W):add(-(a.mean_vert * H + 0.5)):div(a.sigma_vert * H)
   xsq:cmul(xsq):div(2)
   ysq:cmul(ysq):div(2)
   local s = torch.Tensor(H, W):copy(xsq:view(H, 1):expand(H, W)):add(ysq:view(1, W):expand(H, W))
   local l = s:clone():mul(-1):add(1):mul(a.amplitude)
   l:cmul(s:mul(-1):exp())
   if a.normalize then l:div(l:sum()) end
   return l
end

require('image.saveload')(image)
require('image.geometry')(image)
require('image.color')(image)
require('image.display')(image)
require('image.filters')(image)

return image

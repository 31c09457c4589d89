-- torch.conv2 / xcorr2 / conv3 / xcorr3: Torch7's 2-D and 3-D convolutions
-- and cross-correlations of tensors, 'V' (valid, the default) or 'F' (full),
-- built from unfold + one matrix product (as the nn convolutions are):
--   x 2D, k 2D (x 3D, k 3D for conv3)        one plane: out = x * k
--   x 3D (n planes), k 3D (n kernels)        out[i] = x[i] * k[i]
--   x 3D (n planes), k 4D (m x n kernels)    out[j] = sum_i x[i] * k[j][i]
-- (dimensions one more for conv3/xcorr3). conv flips the kernel; xcorr does not.
local torch = require 'torch'
local core = torch._core
local raise = core.raise
local TensorBase, isTensor = core.TensorBase, core.isTensor

local function shape(t) return table.concat(t:size():totable(), 'x') end

-- k with every one of its last nd dimensions reversed
local function flip(k, nd)
   for d = k:dim() - nd + 1, k:dim() do
      local n = k:size(d)
      k = k:index(d, torch.range(n, 1, -1):long())
   end
   return k
end

-- x (c, spatial...) padded with k - 1 zeros on both sides of each of the
-- nd spatial dimensions
local function pad(x, ksz, nd)
   local sizes = x:size():totable()
   for d = 1, nd do sizes[#sizes - nd + d] = sizes[#sizes - nd + d] + 2 * (ksz[d] - 1) end
   local p = x.new(torch.LongStorage(sizes)):zero()
   local inner = p
   for d = 1, nd do inner = inner:narrow(p:dim() - nd + d, ksz[d], x:size(x:dim() - nd + d)) end
   inner:copy(x)
   return p
end

-- Valid cross-correlation of x (c, spatial...) with k (m, c, kspatial...):
-- out (m, ospatial...) = sum over c.
local function xcorr_mv(fn, x, k, nd)
   local c = x:size(1)
   local ksz, osz = {}, {}
   local cols = x
   for d = 1, nd do
      ksz[d] = k:size(2 + d)
      osz[d] = x:size(1 + d) - ksz[d] + 1
      if osz[d] < 1 then
         raise(string.format('%s: input %s is smaller than kernel %s', fn, shape(x), shape(k)))
      end
      cols = cols:unfold(1 + d, ksz[d], 1)
   end
   -- cols: (c, ospatial..., kspatial...) -> (ospatial..., c, kspatial...)
   local perm = {}
   for d = 1, nd do perm[#perm + 1] = 1 + d end
   perm[#perm + 1] = 1
   for d = 1, nd do perm[#perm + 1] = 1 + nd + d end
   cols = cols:permute(unpack(perm)):contiguous()
   local npos, nk = 1, c
   for d = 1, nd do npos, nk = npos * osz[d], nk * ksz[d] end
   local m = k:size(1)
   local out = x.new(m, npos)
   out:t():mm(cols:view(npos, nk), k:contiguous():view(m, nk):t())
   osz = { m, unpack(osz) }
   return out:view(torch.LongStorage(osz))
end

-- torch.NAME([res,] x, k [, 'V' | 'F'])
local function define(name, nd, flipped)
   local fn = 'torch.' .. name
   local function op(res, x, k, mode)
      if not isTensor(x) or not isTensor(k) then
         raise(string.format('%s: expected an input and a kernel tensor, got %s and %s', fn, torch.type(x), torch.type(k)))
      end
      mode = mode or 'V'
      if mode ~= 'V' and mode ~= 'F' then raise(string.format("%s: mode should be 'V' or 'F', got %s", fn, tostring(mode))) end
      if torch.typename(x) ~= torch.typename(k) then
         raise(string.format('%s: input and kernel types differ: %s and %s', fn, torch.typename(x), torch.typename(k)))
      end
      x, k = x:contiguous(), k:contiguous()
      local xd, kd = x:dim(), k:dim()
      local kk, squeeze, map
      if xd == nd and kd == nd then
         x = x:view(1, unpack(x:size():totable()))
         kk = k:view(1, 1, unpack(k:size():totable()))
         squeeze = true
      elseif xd == nd + 1 and kd == nd + 1 then
         if x:size(1) ~= k:size(1) then
            raise(string.format('%s: %d input planes for %d kernels (%s and %s)', fn, x:size(1), k:size(1), shape(x), shape(k)))
         end
         map = true
      elseif xd == nd + 1 and kd == nd + 2 then
         if x:size(1) ~= k:size(2) then
            raise(string.format('%s: kernel %s expects %d input planes, got %s', fn, shape(k), k:size(2), shape(x)))
         end
         kk = k
      else
         raise(string.format('%s: expected input/kernel of %dD/%dD, %dD/%dD or %dD/%dD, got %s and %s',
            fn, nd, nd, nd + 1, nd + 1, nd + 1, nd + 2, shape(x), shape(k)))
      end
      if flipped then k, kk = flip(k, nd), kk and flip(kk, nd) end
      local ksz = {}
      for d = 1, nd do ksz[d] = k:size(k:dim() - nd + d) end
      if mode == 'F' then x = pad(x, ksz, nd) end
      local out
      if map then
         local planes = {}
         for i = 1, x:size(1) do
            planes[i] = xcorr_mv(fn, x:narrow(1, i, 1), k:narrow(1, i, 1):view(1, 1, unpack(ksz)), nd)
         end
         out = torch.cat(planes, 1)
      else
         out = xcorr_mv(fn, x, kk, nd)
         if squeeze then out = out:select(1, 1) end
      end
      res = res or out.new()
      res:resizeAs(out):copy(out)
      return res
   end
   torch[name] = function(a1, a2, a3, a4)
      if isTensor(a1) and isTensor(a2) and isTensor(a3) then return op(a1, a2, a3, a4) end
      return op(nil, a1, a2, a3)
   end
   TensorBase[name] = function(res, x, k, mode) return op(res, x, k, mode) end
   TensorBase[name] = core.named(name, TensorBase[name])
   torch[name] = core.named(fn, torch[name])
end

define('conv2', 2, true)
define('xcorr2', 2, false)
define('conv3', 3, true)
define('xcorr3', 3, false)

return true

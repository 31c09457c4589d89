-- torch.conv2 / xcorr2 / conv3 / xcorr3: Torch7's 2-D and 3-D convolutions
-- and cross-correlations of tensors, 'V' (valid, the default) or 'F' (full),
-- direct loops in C (runtime/math_conv.c, nl_conv_direct):
--   x 2D, k 2D (x 3D, k 3D for conv3)        one plane: out = x * k
--   x 3D (n planes), k 3D (n kernels)        out[i] = x[i] * k[i]
--   x 3D (n planes), k 4D (m x n kernels)    out[j] = sum_i x[i] * k[j][i]
-- (dimensions one more for conv3/xcorr3). conv flips the kernel; xcorr does not.
local torch = require 'torch'
local core = torch._core
local raise, check, C = core.raise, core.check, core.C
local TensorBase, isTensor = core.TensorBase, core.isTensor

local function shape(t) return table.concat(t:size():totable(), 'x') end

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
      if map then kk = k end
      -- the result is computed in res itself when it is contiguous (a
      -- contiguous tensor keeps its elements through the resize that drops
      -- the leading plane dimension of a one-plane result)
      local out = (res and res:isContiguous()) and res or x.new()
      check(C.nl_conv_direct(out, x, kk, nd, mode == 'F' and 1 or 0, flipped and 1 or 0, map and 1 or 0))
      if squeeze then
         local sz = out:size():totable()
         table.remove(sz, 1)
         out:resize(torch.LongStorage(sz))
      end
      if res and not rawequal(out, res) then res:resizeAs(out):copy(out) end
      res = res or out
      return res
   end
   torch[name] = function(a1, a2, a3, a4)
      if isTensor(a1) and isTensor(a2) and isTensor(a3) then return op(a1, a2, a3, a4) end
      return op(nil, a1, a2, a3)
   end
   -- res:conv2(x, k [, mode]) fills res; x:conv2(k [, mode]) returns a new tensor
   TensorBase[name] = function(self, a, b, mode)
      if isTensor(b) then return op(self, a, b, mode) end
      return op(nil, self, a, b)
   end
   TensorBase[name] = core.named(name, TensorBase[name])
   torch[name] = core.named(fn, torch[name])
end

define('conv2', 2, true)
define('xcorr2', 2, false)
define('conv3', 3, true)
define('xcorr3', 3, false)

return true

-- Helpers the local normalisation modules share
-- (nn.SpatialSubtractiveNormalization, nn.SpatialDivisiveNormalization,
-- nn.SpatialContrastiveNormalization): argument checks, the convolutional
-- "weighted local sum over every plane" estimator Torch7 builds from
-- SpatialZeroPadding + SpatialConvolution(Map), and input checks that name
-- the module.
--
-- The estimator maps (N,)nInputPlane x H x W to (N,)1 x H x W. Torch7
-- replicates that map over the planes (nn.Replicate) before dividing and
-- subtracting; the modules here keep it at one plane and broadcast it with
-- a stride-0 view, which gives the same values without n copies.
local torch = require 'torch'
local nn = require 'nn'
local raise = torch._core.raise

local util = {}

-- Validates the constructor's arguments the way Torch7 does (kernel 1-D or
-- 2-D with odd sizes), with the module's name in the message.
function util.checkArgs(name, nInputPlane, kernel)
   if type(nInputPlane) ~= 'number' or nInputPlane < 1 or nInputPlane ~= math.floor(nInputPlane) then
      raise(string.format('nn.%s: nInputPlane must be a positive integer, got %s', name, tostring(nInputPlane)))
   end
   if not torch.isTensor(kernel) then
      raise(string.format('nn.%s: the averaging kernel must be a tensor, got %s', name, torch.type(kernel)))
   end
   local kdim = kernel:dim()
   if kdim ~= 1 and kdim ~= 2 then
      raise(string.format('nn.%s: averaging kernel must be 2D or 1D, got %s', name, nn.utils.shapeStr(kernel)))
   end
   if kernel:size(1) % 2 == 0 or (kdim == 2 and kernel:size(2) % 2 == 0) then
      raise(string.format('nn.%s: averaging kernel must have ODD dimensions, got %s', name, nn.utils.shapeStr(kernel)))
   end
end

-- A Sequential computing sum over planes of (kernel * x_p) with zero
-- padding so the output keeps H x W. kernel is already scaled by the
-- caller. It draws from the random stream exactly what Torch7's estimator
-- draws in its constructor (its convolutions' reset()), so the modules built
-- after this one get the same initial weights as in Torch7.
function util.estimator(nInputPlane, kernel)
   local n = nInputPlane
   local seq = nn.Sequential()
   if kernel:dim() == 2 then
      local kH, kW = kernel:size(1), kernel:size(2)
      local conv = nn.SpatialConvolution(n, 1, kW, kH, 1, 1, math.floor(kW / 2), math.floor(kH / 2))
      for i = 1, n do conv.weight[1][i]:copy(kernel) end
      conv.bias:zero()
      seq:add(conv)
   else
      -- Torch7: a per-plane horizontal SpatialConvolutionMap(oneToOne(n), k, 1)
      -- then SpatialConvolution(n, 1, 1, k) summing the planes vertically.
      -- The same kernel on every plane makes that equal to summing the
      -- planes horizontally first, then one vertical pass.
      local k = kernel:size(1)
      local pad = math.floor(k / 2)
      local h = nn.SpatialConvolution(n, 1, k, 1, 1, 1, pad, 0)
      local v = nn.SpatialConvolution(1, 1, 1, k, 1, 1, 0, pad)
      for i = 1, n do h.weight[1][i]:copy(kernel:view(1, k)) end
      v.weight[1][1]:copy(kernel:view(k, 1))
      h.bias:zero()
      v.bias:zero()
      seq:add(h):add(v)
      -- Torch7's two layers draw (n*k + n) + (n*k + 1) numbers; these drew
      -- (n*k + 1) + (k + 1).
      local extra = (n - 1) * (k + 1)
      if extra > 0 then torch.Tensor(extra):uniform() end
   end
   return seq
end

-- Checks a forward input: a tensor of the estimator's type, 3-D
-- (nInputPlane x H x W) or 4-D (N x nInputPlane x H x W), not empty.
function util.checkInput(m, input, ref)
   nn.utils.checkInputType(m, input, ref)
   local d = input:dim()
   if d ~= 3 and d ~= 4 then
      nn.utils.moduleError(m, string.format('expected a 3D (%d x H x W) or 4D (N x %d x H x W) input, got %s',
         m.nInputPlane, m.nInputPlane, d == 0 and 'an empty tensor' or nn.utils.shapeStr(input)))
   end
   if input:size(d - 2) ~= m.nInputPlane then
      nn.utils.moduleError(m, string.format('input has %d planes, expected %d (input %s)', input:size(d - 2),
         m.nInputPlane, nn.utils.shapeStr(input)))
   end
   if input:nElement() == 0 then
      nn.utils.moduleError(m, 'input ' .. nn.utils.shapeStr(input) .. ' is empty')
   end
end

-- Checks a gradOutput against the input it belongs to.
function util.checkGradOutput(m, input, gradOutput)
   if not torch.isTensor(gradOutput) then
      nn.utils.moduleError(m, 'gradOutput should be a tensor, got ' .. torch.type(gradOutput))
   end
   if not gradOutput:isSameSizeAs(input) or gradOutput._dtype ~= input._dtype then
      nn.utils.moduleError(m, string.format('gradOutput is a %s of size %s, expected the input\'s size %s (%s)',
         torch.typename(gradOutput), nn.utils.shapeStr(gradOutput), nn.utils.shapeStr(input), torch.typename(input)))
   end
end

-- The border coefficients for input's image size: the estimator applied to
-- an image of ones (1 x H x W, shared by every sample of a batch), kept in
-- cache.coef and recomputed only when H, W or the type change.
function util.coef(cache, estimator, input)
   local d = input:dim()
   local n, H, W = input:size(d - 2), input:size(d - 1), input:size(d)
   local c = cache.coef
   if not (c and c._dtype == input._dtype and c._device == input._device and c:size(2) == H and c:size(3) == W) then
      cache.ones = (cache.ones and cache.ones._dtype == input._dtype) and cache.ones or input.new()
      cache.ones:resize(n, H, W):fill(1)
      c = estimator:updateOutput(cache.ones):clone()
      cache.ones:set()
      cache.coef = c
   end
   if d == 4 then return c:view(1, 1, H, W):expand(input:size(1), 1, H, W) end
   return c
end

return util

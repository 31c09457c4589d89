-- Helpers for the conv family's specs (tests/nn/conv_*_spec.lua):
-- central-difference Jacobian checks in double and small plain-Lua
-- reference loops. Loaded with dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua').
require 'nn'
local U = {}

-- The largest |analytic - numeric| derivative of sum(module(x) .* R) with
-- respect to the input, R a fixed random tensor shaped like the output.
function U.jacobianInput(m, x, eps)
   eps = eps or 1e-6
   x = x:clone()
   local out = m:forward(x)
   local R = out.new():resizeAs(out):uniform(-1, 1)
   local function f() return m:forward(x):clone():cmul(R):sum() end
   m:zeroGradParameters()
   m:forward(x)
   local gi = m:updateGradInput(x, R):clone()
   local flat, gflat = x:view(-1), gi:contiguous():view(-1)
   local worst = 0
   for i = 1, flat:nElement() do
      local v = flat[i]
      flat[i] = v + eps
      local fp = f()
      flat[i] = v - eps
      local fm = f()
      flat[i] = v
      worst = math.max(worst, math.abs((fp - fm) / (2 * eps) - gflat[i]))
   end
   return worst
end

-- The same for every parameter tensor (weight, bias): accGradParameters
-- with scale against perturbing each parameter element.
function U.jacobianParams(m, x, scale, eps)
   eps, scale = eps or 1e-6, scale or 1
   local out = m:forward(x)
   local R = out.new():resizeAs(out):uniform(-1, 1)
   local function f() return m:forward(x):clone():cmul(R):sum() end
   m:zeroGradParameters()
   m:forward(x)
   m:backward(x, R, scale)
   local params, grads = m:parameters()
   local worst = 0
   for k, p in ipairs(params) do
      local flat, g = p:view(-1), grads[k]:contiguous():view(-1)
      for i = 1, flat:nElement() do
         local v = flat[i]
         flat[i] = v + eps
         local fp = f()
         flat[i] = v - eps
         local fm = f()
         flat[i] = v
         worst = math.max(worst, math.abs(scale * (fp - fm) / (2 * eps) - g[i]))
      end
   end
   return worst
end

-- Direct convolution of one image x (nIn, H, W) with w (nOut, nIn, kH, kW).
function U.conv2d(x, w, b, dW, dH, padW, padH, dilW, dilH)
   dilW, dilH = dilW or 1, dilH or 1
   local nIn, H, W = x:size(1), x:size(2), x:size(3)
   local nOut, kH, kW = w:size(1), w:size(3), w:size(4)
   local oH = math.floor((H + 2 * padH - (dilH * (kH - 1) + 1)) / dH) + 1
   local oW = math.floor((W + 2 * padW - (dilW * (kW - 1) + 1)) / dW) + 1
   local y = torch.zeros(nOut, oH, oW)
   for o = 1, nOut do
      for i = 1, oH do
         for j = 1, oW do
            local s = b and b[o] or 0
            for c = 1, nIn do
               for u = 1, kH do
                  for v = 1, kW do
                     local yi, xj = (i - 1) * dH - padH + (u - 1) * dilH + 1, (j - 1) * dW - padW + (v - 1) * dilW + 1
                     if yi >= 1 and yi <= H and xj >= 1 and xj <= W then s = s + x[c][yi][xj] * w[o][c][u][v] end
                  end
               end
            end
            y[o][i][j] = s
         end
      end
   end
   return y
end

-- Direct transposed convolution of x (nIn, H, W) with w (nIn, nOut, kH, kW).
function U.fullconv2d(x, w, b, dW, dH, padW, padH, adjW, adjH)
   local nIn, H, W = x:size(1), x:size(2), x:size(3)
   local nOut, kH, kW = w:size(2), w:size(3), w:size(4)
   local oH, oW = (H - 1) * dH - 2 * padH + kH + adjH, (W - 1) * dW - 2 * padW + kW + adjW
   local y = torch.zeros(nOut, oH, oW)
   for c = 1, nIn do
      for i = 1, H do
         for j = 1, W do
            for o = 1, nOut do
               for u = 1, kH do
                  for v = 1, kW do
                     local yi, xj = (i - 1) * dH - padH + u, (j - 1) * dW - padW + v
                     if yi >= 1 and yi <= oH and xj >= 1 and xj <= oW then
                        y[o][yi][xj] = y[o][yi][xj] + x[c][i][j] * w[c][o][u][v]
                     end
                  end
               end
            end
         end
      end
   end
   if b then for o = 1, nOut do y[o]:add(b[o]) end end
   return y
end

-- A non-contiguous tensor with x's values (every dimension's stride changed).
function U.noncontig(x)
   local d = x:dim()
   local t = x:clone():transpose(d - 1, d):contiguous():transpose(d - 1, d)
   assert(not t:isContiguous())
   return t
end

-- max |a - b|
function U.maxdiff(a, b)
   return (a:double() - b:double()):abs():max()
end

return U

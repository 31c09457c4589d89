-- BatchNormalization and SpatialBatchNormalization: training statistics
-- against plain formulas, running averages, evaluation, Jacobians in
-- double (training and evaluation), affine off, non-contiguous inputs,
-- messages.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')

-- per-feature mean and biased variance of x viewed as (N, F, S)
local function stats(x)
   local N, F = x:size(1), x:size(2)
   local v = x:contiguous():view(N, F, -1)
   local mean, var = torch.zeros(F), torch.zeros(F)
   local count = N * v:size(3)
   for f = 1, F do
      local s = 0
      for n = 1, N do for i = 1, v:size(3) do s = s + v[n][f][i] end end
      mean[f] = s / count
      local ss = 0
      for n = 1, N do for i = 1, v:size(3) do ss = ss + (v[n][f][i] - mean[f]) ^ 2 end end
      var[f] = ss / count
   end
   return mean, var, count
end

local function bn_ref(x, mean, var, eps, w, b)
   local N, F = x:size(1), x:size(2)
   local y = x:clone():contiguous()
   local v = y:view(N, F, -1)
   for f = 1, F do
      local sd = math.sqrt(var[f] + eps)
      for n = 1, N do for i = 1, v:size(3) do
         v[n][f][i] = (v[n][f][i] - mean[f]) / sd * (w and w[f] or 1) + (b and b[f] or 0)
      end end
   end
   return y
end

for _, cfg in ipairs { { 'BatchNormalization', { 6, 4 } }, { 'SpatialBatchNormalization', { 3, 4, 5, 3 } } } do
   local name, size = cfg[1], cfg[2]
   describe('nn.' .. name, function()
      it('normalises with batch statistics in training and updates the running ones', function()
         torch.manualSeed(1)
         local m = nn[name](4, 1e-3, 0.2)
         m.bias:uniform()
         local x = torch.randn(torch.LongStorage(size)):mul(3):add(1)
         local mean, var, count = stats(x)
         local y = m:forward(x):clone()
         assert.is_true(U.maxdiff(y, bn_ref(x, mean, var, 1e-3, m.weight, m.bias)) < 1e-12)
         assert.is_true(U.maxdiff(m.running_mean, mean * 0.2) < 1e-14)
         assert.is_true(U.maxdiff(m.running_var, var * count / (count - 1) * 0.2 + 0.8) < 1e-13)
         -- evaluation uses the running statistics
         m:evaluate()
         assert.is_true(U.maxdiff(m:forward(x), bn_ref(x, m.running_mean, m.running_var, 1e-3, m.weight, m.bias)) < 1e-12)
         -- non-contiguous input
         m:training()
         local m2 = nn[name](4, 1e-3, 0.2)
         m2.weight:copy(m.weight); m2.bias:copy(m.bias)
         assert.is_true(U.maxdiff(m2:forward(U.noncontig(x)), bn_ref(x, mean, var, 1e-3, m.weight, m.bias)) < 1e-12)
         assert.is_true(U.maxdiff(m:float():forward(x:float()), y) < 1e-5)
      end)

      it('has exact gradients in training and evaluation', function()
         torch.manualSeed(2)
         local x = torch.randn(torch.LongStorage(size))
         local m = nn[name](4)
         m.bias:uniform()
         -- the running statistics move on every forward: compare in a
         -- module whose momentum is 0
         m.momentum = 0
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
         assert.is_true(U.jacobianParams(m, x, 0.7) < 1e-7)
         m.running_mean:uniform(); m.running_var:uniform(0.5, 2)
         m:evaluate()
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
         assert.is_true(U.jacobianParams(m, x) < 1e-7)
         local plain = nn[name](4, nil, nil, false)
         assert.is_nil(plain.weight)
         assert.is_true(U.jacobianInput(plain, x) < 1e-7)
      end)

      it('names the module and the expected size in its errors', function()
         local m = nn[name](4)
         local bad = U.noncontig(torch.randn(torch.LongStorage(size))):narrow(2, 1, 3)
         assert.has_error(function() m:forward(bad) end,
            string.format('nn.%s (%dD) (4): input has 3 features, expected 4', name, #size))
         assert.has_error(function() m:forward(torch.randn(4)) end,
            string.format('nn.%s (%dD) (4): expected a %dD input, got 4', name, #size, #size))
         local one = size[1] == 6 and torch.randn(1, 4) or torch.randn(1, 4, 1, 1)
         assert.has_error(function() m:forward(one) end,
            string.format('nn.%s (%dD) (4): training needs more than one value per feature, got a batch of 1', name, #size))
      end)
   end)
end

-- nn.SpatialSubtractiveNormalization, nn.SpatialDivisiveNormalization,
-- nn.SpatialContrastiveNormalization: values against plain-Lua loops of
-- Torch7's definitions and hand-computed numbers, Jacobians in double,
-- batch vs single image, non-contiguous inputs, the random stream the
-- constructors use, messages; and the normalisation -> filter bank ->
-- non-linearity -> pooling stage of the LeCun/Ranzato lectures.
require 'nn'
require 'image'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')

-- The effective 2-D kernel (sum 1/n) of Torch7's estimators: a 2-D kernel
-- scaled by 1/(sum * n); a 1-D one used separably, the outer product of
-- k / (sum * sqrt(n)) with itself (the subtractive module's 1/(sum * n)
-- scale differs, but cancels against the border coefficients).
local function effective(kernel, n)
   if kernel:dim() == 2 then return kernel:clone():div(kernel:sum() * n) end
   local k = kernel:clone():div(kernel:sum() * math.sqrt(n))
   local kk = k:size(1)
   local e = torch.Tensor(kk, kk)
   for u = 1, kk do for v = 1, kk do e[u][v] = k[u] * k[v] end end
   return e
end

-- sum over planes p and window (u, v) of E[u][v] * f(x[p][i'][j']), zero
-- outside the image, for one image x (n, H, W)
local function wsum(x, E, i, j, f)
   local n, H, W = x:size(1), x:size(2), x:size(3)
   local kH, kW = E:size(1), E:size(2)
   local s = 0
   for p = 1, n do
      for u = 1, kH do
         for v = 1, kW do
            local ii, jj = i + u - 1 - math.floor(kH / 2), j + v - 1 - math.floor(kW / 2)
            if ii >= 1 and ii <= H and jj >= 1 and jj <= W then s = s + E[u][v] * f(x[p][ii][jj]) end
         end
      end
   end
   return s
end

local function id(a) return a end
local function one() return 1 end
local function sq(a) return a * a end

local function sub_ref(x, kernel)
   local n, H, W = x:size(1), x:size(2), x:size(3)
   local E = effective(kernel, n)
   local y = x:clone()
   for i = 1, H do
      for j = 1, W do
         local m = wsum(x, E, i, j, id) / wsum(x, E, i, j, one)
         for p = 1, n do y[p][i][j] = x[p][i][j] - m end
      end
   end
   return y
end

local function div_ref(x, kernel, th, val)
   local n, H, W = x:size(1), x:size(2), x:size(3)
   local E = effective(kernel, n)
   local y = x:clone()
   for i = 1, H do
      for j = 1, W do
         local s = math.sqrt(wsum(x, E, i, j, sq)) / wsum(x, E, i, j, one)
         if not (s > th) then s = val end
         for p = 1, n do y[p][i][j] = x[p][i][j] / s end
      end
   end
   return y
end

-- applies ref to every image of a 3-D or 4-D input
local function each(x, f)
   if x:dim() == 3 then return f(x) end
   local y = x:clone()
   for b = 1, x:size(1) do y[b]:copy(f(x[b])) end
   return y
end

local kernels = {
   ['2-D 3x3'] = function() return torch.Tensor { { 1, 2, 1 }, { 2, 4, 2 }, { 1, 2, 1 } } end,
   ['2-D 3x5'] = function() return torch.Tensor { { 1, 2, 3, 2, 1 }, { 2, 3, 4, 3, 2 }, { 1, 1, 2, 1, 1 } } end,
   ['1-D 5'] = function() return torch.Tensor { 1, 4, 6, 4, 1 } end,
   ['gaussian1D(5)'] = function() return image.gaussian1D(5) end,
}

local builders = {
   SpatialSubtractiveNormalization = function(n, k) return nn.SpatialSubtractiveNormalization(n, k) end,
   SpatialDivisiveNormalization = function(n, k) return nn.SpatialDivisiveNormalization(n, k) end,
   SpatialContrastiveNormalization = function(n, k) return nn.SpatialContrastiveNormalization(n, k) end,
}
local refs = {
   SpatialSubtractiveNormalization = function(x, k) return each(x, function(i) return sub_ref(i, k) end) end,
   SpatialDivisiveNormalization = function(x, k) return each(x, function(i) return div_ref(i, k, 1e-4, 1e-4) end) end,
   SpatialContrastiveNormalization = function(x, k)
      return each(x, function(i) return div_ref(sub_ref(i, k), k, 1e-4, 1e-4) end)
   end,
}

for name, build in pairs(builders) do
   describe('nn.' .. name, function()
      for kname, kernel in pairs(kernels) do
         it('matches the plain loops with a ' .. kname .. ' kernel, single and batch', function()
            torch.manualSeed(11)
            for _, n in ipairs { 1, 3 } do
               local m = build(n, kernel())
               local x = torch.randn(2, n, 5, 7)
               local want = refs[name](x, kernel())
               local y = m:forward(x):clone()
               assert.are.same({ 2, n, 5, 7 }, y:size():totable())
               assert.is_true(U.maxdiff(y, want) < 1e-12)
               -- batch vs single image, contiguous or not
               assert.is_true(U.maxdiff(m:forward(x[2]), y[2]) < 1e-13)
               assert.is_true(U.maxdiff(m:forward(U.noncontig(x[1])), y[1]) < 1e-13)
               assert.is_true(U.maxdiff(m:forward(U.noncontig(x)), y) < 1e-13)
            end
         end)
      end

      it('has exact input gradients (Jacobian, double), single and batch', function()
         torch.manualSeed(12)
         for kname, kernel in pairs(kernels) do
            local m = build(2, kernel())
            local e1 = U.jacobianInput(m, torch.randn(2, 4, 5))
            local e2 = U.jacobianInput(m, torch.randn(2, 2, 3, 4))
            assert.is_true(e1 < 1e-7, kname .. ': ' .. e1)
            assert.is_true(e2 < 1e-7, kname .. ': ' .. e2)
         end
      end)

      it('uses the 9x9 ones kernel by default, on images smaller than it', function()
         local m = build(1)
         assert.are.same({ 9, 9 }, m.kernel:size():totable())
         torch.manualSeed(13)
         local x = torch.randn(1, 4, 6)
         assert.is_true(U.maxdiff(m:forward(x), refs[name](x, torch.ones(9, 9))) < 1e-12)
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
      end)

      it('names itself in errors about the input', function()
         local m = build(2, kernels['2-D 3x3']())
         assert.has_error(function() m:forward(torch.randn(3, 5, 5)) end,
            'nn.' .. name .. ': input has 3 planes, expected 2 (input 3x5x5)')
         assert.has_error(function() m:forward(torch.randn(4, 3, 5, 5)) end,
            'nn.' .. name .. ': input has 3 planes, expected 2 (input 4x3x5x5)')
         assert.has_error(function() m:forward(torch.randn(5, 5)) end,
            'nn.' .. name .. ': expected a 3D (2 x H x W) or 4D (N x 2 x H x W) input, got 5x5')
         assert.has_error(function() m:forward(torch.Tensor()) end,
            'nn.' .. name .. ': expected a 3D (2 x H x W) or 4D (N x 2 x H x W) input, got an empty tensor')
         assert.has_error(function() m:forward(torch.FloatTensor(2, 5, 5)) end,
            'nn.' .. name .. ': input is torch.FloatTensor but the module is torch.DoubleTensor; call model:float() or input:double()')
         assert.has_error(function() m:forward('x') end, 'nn.' .. name .. ': input should be a tensor, got string')
         local x = torch.randn(2, 5, 5)
         m:forward(x)
         assert.has_error(function() m:backward(x, torch.randn(2, 5, 4)) end,
            'nn.' .. name .. ': gradOutput is a torch.DoubleTensor of size 2x5x4, expected the input\'s size 2x5x5 (torch.DoubleTensor)')
      end)

      it('checks its kernel as Torch7 does, and scales it in place', function()
         assert.has_error(function() build(1, torch.ones(2, 3)) end,
            'nn.' .. name .. ': averaging kernel must have ODD dimensions, got 2x3')
         assert.has_error(function() build(1, torch.ones(4)) end,
            'nn.' .. name .. ': averaging kernel must have ODD dimensions, got 4')
         assert.has_error(function() build(1, torch.ones(3, 3, 3)) end,
            'nn.' .. name .. ': averaging kernel must be 2D or 1D, got 3x3x3')
         assert.has_error(function() build(0) end, 'nn.' .. name .. ': nInputPlane must be a positive integer, got 0')
         local k = torch.ones(3, 3)
         build(2, k)
         -- 2-D kernels end up summing to 1/n whichever module scaled them
         assert.is_true(math.abs(k:sum() - 0.5) < 1e-15)
      end)

      it('works in float after :float()', function()
         torch.manualSeed(14)
         local m = build(2, kernels['1-D 5']())
         local x = torch.randn(3, 2, 6, 5)
         local y = m:forward(x):clone()
         local g = torch.randn(3, 2, 6, 5)
         local gi = m:backward(x, g):clone()
         m:float()
         assert.is_true(U.maxdiff(m:forward(x:float()), y) < 1e-4)
         assert.is_true(U.maxdiff(m:backward(x:float(), g:float()), gi) < 1e-4)
         assert.are.equal('torch.FloatTensor', torch.typename(m.output))
      end)
   end)
end

describe('local normalisation, by hand', function()
   it('subtractive: a constant image becomes zero, borders included', function()
      local m = nn.SpatialSubtractiveNormalization(2, torch.ones(3, 3))
      local y = m:forward(torch.Tensor(2, 4, 5):fill(3))
      assert.is_true(y:abs():max() < 1e-15)
   end)
   it('divisive: a constant image gives 1 inside, sqrt(coef) at the borders', function()
      -- 3x3 ones kernel: coef is 4/9 at a corner and 6/9 on an edge, the
      -- local std sqrt(coef) * c, so y = c / (c * sqrt(coef) / coef)
      local m = nn.SpatialDivisiveNormalization(1, torch.ones(3, 3))
      local y = m:forward(torch.Tensor(1, 4, 5):fill(2))
      assert.is_true(math.abs(y[1][2][3] - 1) < 1e-15)
      assert.is_true(math.abs(y[1][1][1] - 2 / 3) < 1e-15)
      assert.is_true(math.abs(y[1][1][3] - math.sqrt(6 / 9)) < 1e-15)
   end)
   it('divisive: stds not above the threshold are replaced by thresval', function()
      local m = nn.SpatialDivisiveNormalization(1, torch.ones(3, 3), 0.1, 0.5)
      local x = torch.Tensor(1, 3, 3):fill(0.01)
      local y = m:forward(x)
      assert.is_true(U.maxdiff(y, x / 0.5) < 1e-15)
      -- the gradient then is gradOutput / thresval
      local g = torch.randn(1, 3, 3)
      assert.is_true(U.maxdiff(m:backward(x, g), g / 0.5) < 1e-15)
      assert.are.equal(0, nn.SpatialDivisiveNormalization(1, nil, 0.3).thresval - 0.3)
      local c = nn.SpatialContrastiveNormalization(1, nil, 0.3)
      assert.are.equal(0.3, c.normalizer.modules[2].thresval)
      assert.are.equal(0.7, nn.SpatialContrastiveNormalization(1, nil, 0.3, 0.7).normalizer.modules[2].thresval)
   end)
   it('contrastive is subtractive then divisive with the shared kernel', function()
      torch.manualSeed(15)
      local k = image.gaussian(5, 0.3)
      local c = nn.SpatialContrastiveNormalization(3, k)
      assert.are.equal(k, c.kernel)
      local x = torch.randn(3, 6, 6)
      local s = nn.SpatialSubtractiveNormalization(3, image.gaussian(5, 0.3))
      local d = nn.SpatialDivisiveNormalization(3, image.gaussian(5, 0.3))
      assert.is_true(U.maxdiff(c:forward(x), d:forward(s:forward(x))) < 1e-14)
   end)
   it('has no parameters', function()
      assert.is_nil(nn.SpatialContrastiveNormalization(2):parameters())
      assert.is_nil(nn.SpatialSubtractiveNormalization(2):parameters())
   end)
end)

describe('local normalisation and the random stream', function()
   -- Torch7's constructors draw what their hidden convolutions' reset()
   -- draws: a 2-D kernel n*kH*kW + 1 per estimator; a 1-D one
   -- (n*k + n) + (n*k + 1) (SpatialConvolutionMap, then SpatialConvolution).
   local function after(f)
      torch.manualSeed(21)
      f()
      return torch.uniform()
   end
   local cases = {
      { function() return nn.SpatialSubtractiveNormalization(3, torch.ones(3, 5)) end, 3 * 15 + 1 },
      { function() return nn.SpatialSubtractiveNormalization(3, torch.ones(5)) end, 2 * 15 + 3 + 1 },
      { function() return nn.SpatialSubtractiveNormalization(1, torch.ones(7)) end, 2 * 7 + 1 + 1 },
      { function() return nn.SpatialDivisiveNormalization(2, torch.ones(5)) end, 2 * (2 * 10 + 2 + 1) },
      { function() return nn.SpatialContrastiveNormalization(2) end, 3 * (2 * 81 + 1) },
      { function() return nn.SpatialContrastiveNormalization(4, torch.ones(3)) end, 3 * (2 * 12 + 4 + 1) },
   }
   for i, c in ipairs(cases) do
      it('case ' .. i .. ' draws as many numbers as Torch7', function()
         assert.are.equal(after(function() torch.Tensor(c[2]):uniform() end), after(c[1]))
      end)
   end
end)

describe('the normalisation -> filter bank -> non-linearity -> pooling stage', function()
   it('runs on a 1x32x32 image and trains', function()
      torch.manualSeed(31)
      local stage = nn.Sequential()
      stage:add(nn.SpatialContrastiveNormalization(1, image.gaussian1D(7)))
      stage:add(nn.SpatialConvolution(1, 16, 5, 5))
      stage:add(nn.Tanh())
      stage:add(nn.SpatialMaxPooling(2, 2, 2, 2))
      local x = torch.rand(1, 32, 32):mul(255)
      local y = stage:forward(x)
      assert.are.same({ 16, 14, 14 }, y:size():totable())
      -- the same as the stages one by one, and the normalised image has
      -- local mean near 0 and local std near 1 away from the borders
      local n = stage.modules[1]:forward(x):clone()
      local mid = n[1]:narrow(1, 9, 16):narrow(2, 9, 16)
      assert.is_true(math.abs(mid:mean()) < 0.1)
      assert.is_true(math.abs(mid:std() - 1) < 0.25)
      local want = stage.modules[4]:forward(stage.modules[3]:forward(stage.modules[2]:forward(n)))
      assert.are.equal(0, U.maxdiff(y, want))
      -- a few SGD steps on the stage's filter bank lower an MSE loss
      local target = torch.randn(16, 14, 14):mul(0.5)
      local crit = nn.MSECriterion()
      local first, last
      for step = 1, 20 do
         local out = stage:forward(x)
         local loss = crit:forward(out, target)
         first = first or loss
         last = loss
         stage:zeroGradParameters()
         stage:backward(x, crit:backward(out, target))
         stage:updateParameters(0.5)
      end
      assert.is_true(last < 0.9 * first, first .. ' -> ' .. last)
      -- and a batch of images gives the same as one at a time
      local xb = torch.rand(3, 1, 32, 32)
      local yb = stage:forward(xb):clone()
      assert.is_true(U.maxdiff(stage:forward(xb[3]), yb[3]) < 1e-12)
   end)
end)

-- cunn, the remaining modules and criterions on CUDA tensors against the
-- CPU in double: MultiMargin, MultiLabelMargin, MultiLabelSoftMargin,
-- CosineEmbedding and L1HingeEmbedding (losses and gradients, averaged and
-- summed, contiguous and non-contiguous inputs, bad targets raising the
-- CPU's error), PReLU, RReLU, Euclidean, WeightedEuclidean, Normalize,
-- LookupTable (repeated indices, padding, scaleGradByFreq, maxNorm, index
-- tensors of every device) and SpatialConvolutionLocal (forward, backward
-- and parameter gradients). Kernels: cuda/criterion.cu, cuda/layers.cu,
-- cuda/conv_local.cu. Pending, with the reason, where no CUDA device is
-- present; NNLUA_CUNN_SPEC_CPU=1 runs the same comparisons with
-- FloatTensor in place of CudaTensor (checks the spec itself).
local torch = require 'torch'

local cu = require 'tests.cuda.cunn_util'
local nn = require 'nn'

describe('cunn (criterions and layers of criterion.cu, layers.cu, conv_local.cu)', function()
   if not cu.ok then
      it('needs a CUDA device', function() pending(cu.pending_reason) end)
      return
   end

   local FT, DT = cu.FT, cu.DT
   local LT = cu.LT
   local TOL = 2e-5

   local function close(gpu, cpu, tol) return cu.close(gpu, cpu, tol or TOL) end
   -- random doubles that are exactly floats, so both devices see one input
   local function data(f, ...) return f(torch.DoubleTensor(...)):float():double() end
   local function randn(...) return data(function(t) return t:normal(0, 1.5) end, ...) end
   local function positive(...) return data(function(t) return t:uniform(0.1, 3) end, ...) end
   local function signs(n)
      local t = torch.DoubleTensor(n)
      for i = 1, n do t[i] = i % 3 == 0 and -1 or 1 end
      return t
   end

   -- (name, view): the same values as a contiguous, transposed or narrowed
   -- tensor; base is (a, b) and the view of it (b, a) or (a, b - 2)
   local layouts = {
      { 'contiguous', function(t) return t end },
      { 'transposed', function(t) return t:t() end },
      { 'narrowed', function(t) return t:narrow(2, 2, t:size(2) - 2) end },
   }
   local function views(base, view, ty) return view(base:clone()), view(base:type(ty or FT)) end

   -- the criterion on both devices: loss and gradInput (a tensor or a table)
   local function check_crit(what, make, xc, xg, tc, tg, tol)
      local cc, cg = make():double(), make():type(FT)
      local lc, lg = cc:forward(xc, tc), cg:forward(xg, tg)
      assert.is_true(close(lg, lc, tol), what .. ': loss ' .. lg .. ' vs ' .. lc)
      local gc, gg = cc:backward(xc, tc), cg:backward(xg, tg)
      if torch.isTensor(gc) then
         assert.are.equal(torch.typename(xg), torch.typename(gg))
         assert.is_true(close(gg, gc, tol), what .. ': gradInput')
      else
         for i = 1, #gc do assert.is_true(close(gg[i], gc[i], tol), what .. ': gradInput[' .. i .. ']') end
      end
   end

   -- a module on both devices from one set of float-exact parameters:
   -- output, gradInput and every parameter gradient
   local function check_module(what, make, xc, xg, goc, gog, tol)
      local mc = make():double()
      for _, p in ipairs(mc:parameters() or {}) do p:copy(p:float():double()) end
      local mg = mc:clone():type(FT)
      mc:zeroGradParameters()
      mg:zeroGradParameters()
      local yc, yg = mc:forward(xc), mg:forward(xg)
      assert.are.equal(FT, torch.typename(yg))
      assert.is_true(close(yg, yc, tol), what .. ': output')
      local gc, gg = mc:backward(xc, goc, 0.5), mg:backward(xg, gog, 0.5)
      if torch.isTensor(gc) and gc:nElement() > 0 then assert.is_true(close(gg, gc, tol), what .. ': gradInput') end
      local _, pgc = mc:parameters()
      local _, pgg = mg:parameters()
      for i = 1, #(pgc or {}) do assert.is_true(close(pgg[i], pgc[i], tol), what .. ': gradParameters[' .. i .. ']') end
      return mc, mg
   end

   -- the same error on both devices
   local function same_error(what, fc, fg)
      local okc, ec = pcall(fc)
      local okg, eg = pcall(fg)
      assert.is_false(okc, what .. ': the CPU raised nothing')
      assert.is_false(okg, what .. ': the device raised nothing')
      local strip = function(e) return tostring(e):gsub('^.-:%d+: ', '') end
      assert.are.equal(strip(ec), strip(eg))
   end

   describe('margin and embedding criterions', function()
      local function classes(n, c)
         local t = torch.LongTensor(n)
         for i = 1, n do t[i] = torch.random(1, c) end
         return t
      end

      it('MultiMarginCriterion: p 1 and 2, weights, margin, averaged or summed, every layout, CPU or CUDA targets', function()
         torch.manualSeed(31)
         for _, l in ipairs(layouts) do
            local base = randn(9, 11)
            local xc, xg = views(base, l[2])
            local t = classes(xc:size(1), xc:size(2))
            local w = positive(xc:size(2))
            for _, avg in ipairs { true, false } do
               local what = 'MultiMargin (' .. l[1] .. (avg and ', averaged)' or ', summed)')
               local function make(p, ww, m)
                  return function()
                     local c = nn.MultiMarginCriterion(p, ww and ww:clone(), m)
                     c.sizeAverage = avg
                     return c
                  end
               end
               check_crit(what, make(1), xc, xg, t, t:type(LT))
               check_crit(what .. ' p 2, weights', make(2, w, 0.6), xc, xg, t, t)
            end
         end
         local x1 = randn(7)
         check_crit('MultiMargin 1D, number target', function() return nn.MultiMarginCriterion() end, x1, x1:type(FT), 3, 3)
      end)

      it('MultiLabelMarginCriterion: targets ended by 0, a class listed twice, every layout', function()
         torch.manualSeed(32)
         for _, l in ipairs(layouts) do
            local base = randn(6, 9)
            local xc, xg = views(base, l[2])
            local n, c = xc:size(1), xc:size(2)
            local t = torch.LongTensor(n, c):zero()
            for i = 1, n do
               for j = 1, (i % 4) + 1 do t[i][j] = torch.random(1, c) end
            end
            t[1][1], t[1][2], t[1][3] = 2, 2, 0
            for _, avg in ipairs { true, false } do
               local make = function()
                  local cr = nn.MultiLabelMarginCriterion()
                  cr.sizeAverage = avg
                  return cr
               end
               check_crit('MultiLabelMargin (' .. l[1] .. ')', make, xc, xg, t, t:type(LT))
            end
         end
      end)

      it('MultiLabelSoftMarginCriterion: weights, averaged or summed, every layout', function()
         torch.manualSeed(33)
         for _, l in ipairs(layouts) do
            local xc, xg = views(randn(7, 10), l[2])
            local y = data(function(t) return t:bernoulli(0.4) end, xc:size(1), xc:size(2))
            local w = positive(xc:size(2))
            for _, avg in ipairs { true, false } do
               check_crit('MultiLabelSoftMargin (' .. l[1] .. ')',
                  function() return nn.MultiLabelSoftMarginCriterion(nil, avg) end, xc, xg, y, y:type(FT))
               check_crit('MultiLabelSoftMargin weights (' .. l[1] .. ')',
                  function() return nn.MultiLabelSoftMarginCriterion(w:clone(), avg) end, xc, xg, y, y:type(FT))
            end
         end
      end)

      it('CosineEmbeddingCriterion: mixed 1 and -1 targets, margin, every layout', function()
         torch.manualSeed(34)
         for _, l in ipairs(layouts) do
            local a1, a2 = views(randn(8, 12), l[2])
            local b1, b2 = views(randn(8, 12), l[2])
            local y = signs(a1:size(1))
            for _, avg in ipairs { true, false } do
               local make = function()
                  local c = nn.CosineEmbeddingCriterion(-0.2)
                  c.sizeAverage = avg
                  return c
               end
               check_crit('CosineEmbedding (' .. l[1] .. ')', make, { a1, b1 }, { a2, b2 }, y, y:type(FT))
            end
         end
      end)

      it('L1HingeEmbeddingCriterion: y 1 and -1, non-contiguous pairs; ties give +-1', function()
         torch.manualSeed(35)
         for _, l in ipairs(layouts) do
            local a1, a2 = views(randn(5, 6), l[2])
            local b1, b2 = views(randn(5, 6), l[2])
            check_crit('L1Hinge y 1 (' .. l[1] .. ')', function() return nn.L1HingeEmbeddingCriterion(2) end,
               { a1, b1 }, { a2, b2 }, 1, 1)
            check_crit('L1Hinge y -1 (' .. l[1] .. ')', function() return nn.L1HingeEmbeddingCriterion(500) end,
               { a1, b1 }, { a2, b2 }, -1, torch.Tensor { -1 }:type(FT))
         end
         local x = randn(40):type(FT)
         local g = nn.L1HingeEmbeddingCriterion():type(FT):backward({ x, x }, 1)
         assert.are.equal(40, g[1]:double():abs():eq(1):sum())
         assert.is_true(close(g[2], -g[1]:double(), 0))
      end)

      it('bad targets raise the CPU\'s error', function()
         local x = randn(4, 5)
         local xg = x:type(FT)
         local t = torch.LongTensor { 1, 2, 9, 3 }
         same_error('MultiMargin', function() nn.MultiMarginCriterion():double():forward(x, t) end,
            function() nn.MultiMarginCriterion():type(FT):forward(xg, t:type(LT)) end)
         same_error('MultiMargin backward', function() nn.MultiMarginCriterion():double():backward(x, t) end,
            function() nn.MultiMarginCriterion():type(FT):backward(xg, t) end)
         local tl = torch.LongTensor(4, 5):zero()
         tl[2][1], tl[3][1] = 3, 7
         same_error('MultiLabelMargin', function() nn.MultiLabelMarginCriterion():double():forward(x, tl) end,
            function() nn.MultiLabelMarginCriterion():type(FT):forward(xg, tl:type(LT)) end)
         local y = torch.DoubleTensor { 1, -1, 0, 1 }
         same_error('CosineEmbedding', function() nn.CosineEmbeddingCriterion():double():forward({ x, x }, y) end,
            function() nn.CosineEmbeddingCriterion():type(FT):forward({ xg, xg }, y:type(FT)) end)
      end)
   end)

   describe('layers', function()
      it('PReLU, shared and per-plane weights, on 2D and 4D inputs', function()
         torch.manualSeed(41)
         local x, go = randn(3, 4, 5, 6), randn(3, 4, 5, 6)
         for _, n in ipairs { 0, 4 } do
            check_module('PReLU(' .. n .. ') 4D', function()
               local m = nn.PReLU(n)
               m.weight:uniform(-0.5, 0.5)
               return m
            end, x, x:type(FT), go, go:type(FT))
         end
         local x2, g2 = randn(7, 4), randn(7, 4)
         check_module('PReLU(4) 2D transposed input', function() return nn.PReLU(4) end, x2, x2:t():type(FT):t(), g2,
            g2:type(FT))
      end)

      it('RReLU: evaluation as the CPU; training draws slopes in [l, u) where x <= 0', function()
         torch.manualSeed(42)
         local x, go = randn(6, 9), randn(6, 9)
         local mc, mg = nn.RReLU(0.1, 0.4):double(), nn.RReLU(0.1, 0.4):type(FT)
         mc:evaluate()
         mg:evaluate()
         assert.is_true(close(mg:forward(x:type(FT)), mc:forward(x)))
         assert.is_true(close(mg:backward(x:type(FT), go:type(FT)), mc:backward(x, go)))
         mg:training()
         local xg = x:t():type(FT):t()   -- non-contiguous
         local y = mg:forward(xg):double()
         local noise = mg.noise:double()
         for i = 1, 6 do
            for j = 1, 9 do
               local v, r = x[i][j], noise[i][j]
               if v > 0 then assert.are.equal(1, r) else assert.is_true(r >= 0.1 - 1e-7 and r <= 0.4 + 1e-7) end
               assert.is_true(math.abs(y[i][j] - v * r) <= 1e-6)
            end
         end
         assert.is_true(noise:lt(1):sum() > 0)
         assert.is_true(close(mg:backward(xg, go:type(FT)), torch.cmul(go, noise), 1e-6))
      end)

      it('Euclidean and WeightedEuclidean: batches and vectors, parameter gradients', function()
         torch.manualSeed(43)
         for _, name in ipairs { 'Euclidean', 'WeightedEuclidean' } do
            local x, go = randn(5, 7), randn(5, 4)
            check_module(name .. ' batch', function() return nn[name](7, 4) end, x, x:type(FT), go, go:type(FT))
            check_module(name .. ' transposed batch', function() return nn[name](7, 4) end, x, x:t():type(FT):t(), go,
               go:type(FT))
            local v, gv = randn(7), randn(4)
            check_module(name .. ' vector', function() return nn[name](7, 4) end, v, v:type(FT), gv, gv:type(FT))
         end
      end)

      it('Normalize: p 1, 2, 3 and inf, batches (every layout) and vectors', function()
         torch.manualSeed(44)
         for _, p in ipairs { 1, 2, 3, math.huge } do
            for _, l in ipairs(layouts) do
               local xc, xg = views(randn(6, 8), l[2])
               local gc, gg = views(randn(6, 8), l[2])
               check_module('Normalize(' .. p .. ') ' .. l[1], function() return nn.Normalize(p) end, xc, xg, gc, gg, 1e-4)
            end
            local v, gv = randn(10), randn(10)
            check_module('Normalize(' .. p .. ') vector', function() return nn.Normalize(p) end, v, v:type(FT), gv,
               gv:type(FT), 1e-4)
         end
      end)

      it('LookupTable: repeated indices, padding, scaleGradByFreq, maxNorm, indices of every device', function()
         torch.manualSeed(45)
         local idx = torch.LongTensor { { 1, 3, 3, 7 }, { 2, 3, 7, 7 }, { 5, 1, 3, 3 } }
         local go = randn(3, 4, 6)
         local settings = {
            { 'plain', function(m) return m end },
            { 'padding 3', function(m) return m:setPadding(3) end },
            { 'scaleGradByFreq', function(m) return m:scaleGradByFreq() end },
            { 'maxNorm 1.5', function(m) return m:setMaxNorm(1.5) end },
            { 'maxNorm 2, normType 1', function(m) return m:setMaxNorm(2):setNormType(1) end },
         }
         for _, s in ipairs(settings) do
            for _, ig in ipairs { idx:type(LT), idx, idx:type(FT) } do
               local what = 'LookupTable ' .. s[1] .. ' (' .. torch.typename(ig) .. ' indices)'
               local mc, mg = check_module(what, function() return s[2](nn.LookupTable(8, 6)) end, idx, ig, go,
                  go:type(FT))
               assert.is_true(close(mg.weight, mc.weight), what .. ': weight after renorm')
            end
         end
         local v, gv = torch.LongTensor { 4, 4, 2 }, randn(3, 3)
         check_module('LookupTable vector', function() return nn.LookupTable(5, 3) end, v, v:type(LT), gv, gv:type(FT))
      end)

      it('LookupTable: an index out of range raises the CPU\'s error', function()
         local idx = torch.LongTensor { 1, 9, 2 }
         same_error('LookupTable', function() nn.LookupTable(5, 3):double():forward(idx) end,
            function() nn.LookupTable(5, 3):type(FT):forward(idx:type(LT)) end)
      end)

      it('SpatialConvolutionLocal: batch and single image, stride and padding, parameter gradients', function()
         torch.manualSeed(46)
         local configs = {
            { 'batch 3x3', { 2, 3, 6, 5, 3, 3 }, { 4, 2, 5, 6 } },
            { 'stride 2, padding 1', { 2, 4, 7, 6, 3, 2, 2, 1, 1, 1 }, { 3, 2, 6, 7 } },
            { 'single image', { 3, 2, 5, 5, 2, 3, 1, 2 }, { 3, 5, 5 } },
         }
         for _, c in ipairs(configs) do
            local make = function() return nn.SpatialConvolutionLocal(unpack(c[2])) end
            local x = randn(unpack(c[3]))
            local y = make():double():forward(x)
            local go = randn(y:size())
            check_module('SpatialConvolutionLocal ' .. c[1], make, x, x:type(FT), go, go:type(FT), 1e-4)
         end
      end)
   end)

   it('double precision on the device (CudaDoubleTensor) matches the CPU to 1e-10', function()
      torch.manualSeed(47)
      local x, go = randn(4, 6), randn(4, 6)
      local mc = nn.Normalize(2):double()
      local mg = nn.Normalize(2):type(DT)
      assert.is_true(close(mg:forward(x:type(DT)), mc:forward(x), 1e-10))
      assert.is_true(close(mg:backward(x:type(DT), go:type(DT)), mc:backward(x, go), 1e-10))
      local t = torch.LongTensor { 2, 6, 1, 3 }
      local cc, cg = nn.MultiMarginCriterion(2):double(), nn.MultiMarginCriterion(2):type(DT)
      assert.is_true(close(cg:forward(x:type(DT), t), cc:forward(x, t), 1e-10))
      assert.is_true(close(cg:backward(x:type(DT), t), cc:backward(x, t), 1e-10))
   end)
end)

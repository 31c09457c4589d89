-- Margin and embedding criterions (MultiMargin, MultiLabelMargin,
-- MultiLabelSoftMargin, CosineEmbedding, L1HingeEmbedding) and the
-- composite criterions (ParallelCriterion, MultiCriterion, CriterionTable):
-- losses against plain-Lua references, gradients against central
-- differences in double, batch and single-sample modes, non-contiguous
-- inputs, float against double, and the bad inputs that must raise.
require 'nn'
local spec = require 'tests.spec_util'

-- The largest |analytic - numeric| derivative of crit:forward(input, target)
-- over every element of input (a tensor or a table of tensors).
local function gradError(crit, input, target, eps)
   eps = eps or 1e-6
   crit:forward(input, target)
   local g = crit:backward(input, target)
   local xs, gs = {}, {}
   if torch.isTensor(input) then xs, gs = { input }, { g:clone() }
   else for i = 1, #input do xs[i], gs[i] = input[i], g[i]:clone() end end
   local worst = 0
   for k, x in ipairs(xs) do
      local n = x:nElement()
      local gf = gs[k]:contiguous():view(n)
      for i = 1, n do
         -- element i in row-major order, wherever the view's strides put it
         local idx, rest = {}, i - 1
         for d = x:dim(), 1, -1 do
            idx[d] = rest % x:size(d) + 1
            rest = math.floor(rest / x:size(d))
         end
         local function set(v)
            local t = x
            for d = 1, #idx - 1 do t = t:select(1, idx[d]) end
            t[idx[#idx]] = v
         end
         local function get()
            local t = x
            for d = 1, #idx - 1 do t = t:select(1, idx[d]) end
            return t[idx[#idx]]
         end
         local v = get()
         set(v + eps)
         local fp = crit:forward(input, target)
         set(v - eps)
         local fm = crit:forward(input, target)
         set(v)
         worst = math.max(worst, math.abs((fp - fm) / (2 * eps) - gf[i]))
      end
   end
   return worst
end

local function rows(x)
   if x:dim() == 1 then return { x:totable() } end
   return x:totable()
end

-- Plain-Lua references --------------------------------------------------------

local function refMultiMargin(x, y, p, w, margin, sizeAverage)
   local X, total = rows(x), 0
   local Y = type(y) == 'number' and { y } or y:totable()
   for i, r in ipairs(X) do
      local t, sum = Y[i], 0
      for d = 1, #r do
         local z = margin - r[t] + r[d]
         if d ~= t and z > 0 then sum = sum + (p == 1 and z or z * z) * (w and w[t] or 1) end
      end
      total = total + sum / #r
   end
   return sizeAverage and total / #X or total
end

local function refMultiLabelMargin(x, y, sizeAverage)
   local X, Y, total = rows(x), rows(y), 0
   for i, r in ipairs(X) do
      local targets, is = {}, {}
      for _, t in ipairs(Y[i]) do
         if t < 1 then break end
         targets[#targets + 1] = t
         is[t] = true
      end
      for _, t in ipairs(targets) do
         for d = 1, #r do
            if not is[d] then total = total + math.max(0, 1 - r[t] + r[d]) end
         end
      end
      total = total
   end
   total = total / #X[1]
   return sizeAverage and total / #X or total
end

local function refSoftMargin(x, y, w, sizeAverage)
   local X, Y, total, n = rows(x), rows(y), 0, 0
   for i, r in ipairs(X) do
      for d = 1, #r do
         local p = 1 / (1 + math.exp(-r[d]))
         total = total - (w and w[d] or 1) * (Y[i][d] * math.log(p) + (1 - Y[i][d]) * math.log(1 - p))
         n = n + 1
      end
   end
   return sizeAverage and total / n or total
end

local function refCosine(x1, x2, y, margin, sizeAverage)
   local A, B, total = rows(x1), rows(x2), 0
   local Y = type(y) == 'number' and { y } or y:totable()
   for i = 1, #A do
      local dot, na, nb = 0, 0, 0
      for d = 1, #A[i] do
         dot, na, nb = dot + A[i][d] * B[i][d], na + A[i][d] ^ 2, nb + B[i][d] ^ 2
      end
      local cos = dot / math.sqrt(na * nb)
      total = total + (Y[i] == 1 and 1 - cos or math.max(0, cos - margin))
   end
   return sizeAverage and total / #A or total
end

-- MultiMarginCriterion ----------------------------------------------------------

describe('nn.MultiMarginCriterion', function()
   it('matches a plain-Lua reference for p = 1 and 2, weights, margin, sizeAverage', function()
      torch.manualSeed(3)
      local x, y = torch.randn(5, 4), torch.LongTensor { 1, 4, 2, 2, 3 }
      local w = torch.Tensor { 0.5, 2, 1, 3 }
      for _, p in ipairs { 1, 2 } do
         for _, avg in ipairs { true, false } do
            local c = nn.MultiMarginCriterion(p, w, 0.7)
            c.sizeAverage = avg
            local ref = refMultiMargin(x, y, p, w:totable(), 0.7, avg)
            assert.is_true(math.abs(c:forward(x, y) - ref) < 1e-12, string.format('p=%d avg=%s', p, tostring(avg)))
            assert.is_true(gradError(c, x, y) < 1e-6)
         end
      end
   end)
   it('hand-computed single sample with a number target', function()
      local c = nn.MultiMarginCriterion()
      -- margins: 1 - 2 + 1 = 0 (inactive), 1 - 2 + 1.5 = 0.5 -> loss 0.5 / 3
      local x = torch.Tensor { 1, 2, 1.5 }
      assert.is_true(math.abs(c:forward(x, 2) - 0.5 / 3) < 1e-15)
      assert.are.same({ 0, -1 / 3, 1 / 3 }, c:backward(x, 2):totable())
   end)
   it('accepts double targets and non-contiguous inputs; float agrees with double', function()
      torch.manualSeed(4)
      local base = torch.randn(4, 6)
      local x = base:t() -- 6 x 4, non-contiguous
      local y = torch.Tensor { 1, 2, 3, 4, 4, 1 }
      local c = nn.MultiMarginCriterion(2)
      local ref = refMultiMargin(x, y:long(), 2, nil, 1, true)
      assert.is_true(math.abs(c:forward(x, y) - ref) < 1e-12)
      local gNon = c:backward(x, y):clone()
      assert.is_true(spec.close(gNon, c:backward(x:contiguous(), y), 1e-15))
      assert.is_true(gradError(c, x, y) < 1e-6)
      local cf = nn.MultiMarginCriterion(2):float()
      assert.is_true(math.abs(cf:forward(x:float(), y) - ref) < 1e-5)
      assert.is_true(spec.close(cf:backward(x:float(), y):double(), gNon, 1e-6))
   end)
   it('rejects bad targets and inputs with a message naming the module', function()
      local c = nn.MultiMarginCriterion()
      assert.has_error(function() c:forward(torch.randn(2, 3), torch.LongTensor { 1, 4 }) end,
         'nn.MultiMarginCriterion: target 4 is out of range for 3 classes (targets are 1..3)')
      assert.has_error(function() c:forward(torch.randn(2, 3), torch.LongTensor { 1, 2, 3 }) end,
         'nn.MultiMarginCriterion: 3 targets for an input of size 2x3 (expected 2)')
      assert.has_error(function() c:forward(torch.randn(2, 3, 4), torch.LongTensor { 1, 2 }) end,
         'nn.MultiMarginCriterion: expected a non-empty 1D (classes) or 2D (batch x classes) input, got 2x3x4')
      assert.has_error(function() nn.MultiMarginCriterion(3) end,
         'nn.MultiMarginCriterion: only p = 1 and p = 2 are supported, got 3')
      assert.has_error(function() nn.MultiMarginCriterion(1, torch.ones(2)):forward(torch.randn(3), 1) end,
         'nn.MultiMarginCriterion: weights must be a 1D torch.DoubleTensor of 3 elements (one per class), got torch.DoubleTensor of 2')
   end)
end)

-- MultiLabelMarginCriterion -----------------------------------------------------

describe('nn.MultiLabelMarginCriterion', function()
   it('matches a plain-Lua reference in batch and single-sample modes', function()
      torch.manualSeed(5)
      local x = torch.randn(3, 5)
      local y = torch.LongTensor { { 2, 5, 0, 0, 0 }, { 1, 0, 3, 0, 0 }, { 4, 3, 2, 1, 5 } }
      for _, avg in ipairs { true, false } do
         local c = nn.MultiLabelMarginCriterion()
         c.sizeAverage = avg
         assert.is_true(math.abs(c:forward(x, y) - refMultiLabelMargin(x, y, avg)) < 1e-12)
         assert.is_true(gradError(c, x, y) < 1e-6)
      end
      local c = nn.MultiLabelMarginCriterion()
      local x1, y1 = x[1], y[1]
      assert.is_true(math.abs(c:forward(x1, y1) - refMultiLabelMargin(x1, y1, true)) < 1e-12)
      assert.is_true(gradError(c, x1, y1) < 1e-6)
      -- isTarget marks the targets of the last row seen
      assert.are.same({ 0, 1, 0, 0, 1 }, c.isTarget:totable())
   end)
   it('hand-computed: targets end at the first 0', function()
      local c = nn.MultiLabelMarginCriterion()
      local x = torch.Tensor { 0.1, 0.2, 0.4, 0.8 }
      local y = torch.LongTensor { 3, 0, -1, 1 }
      -- targets {3} (the list ends at the 0): (1-(0.4-0.1)) + (1-(0.4-0.2)) + (1-(0.4-0.8))
      -- = 0.7 + 0.8 + 1.4, / 4 classes
      assert.is_true(math.abs(c:forward(x, y) - 0.725) < 1e-12)
      assert.is_true(spec.close(c:backward(x, y), torch.Tensor { 0.25, 0.25, -0.75, 0.25 }, 1e-15))
   end)
   it('non-contiguous input and double targets', function()
      torch.manualSeed(6)
      local x = torch.randn(4, 3):t()
      local y = torch.Tensor { { 1, 0, 0, 0 }, { 4, 2, 0, 0 }, { 3, 0, 0, 0 } }
      local c = nn.MultiLabelMarginCriterion()
      assert.is_true(math.abs(c:forward(x, y) - refMultiLabelMargin(x, y:long(), true)) < 1e-12)
      assert.is_true(gradError(c, x, y) < 1e-6)
   end)
   it('rejects targets out of range or of the wrong shape', function()
      local c = nn.MultiLabelMarginCriterion()
      assert.has_error(function() c:forward(torch.randn(2, 3), torch.LongTensor { { 1, 4, 0 }, { 1, 0, 0 } }) end,
         'nn.MultiLabelMarginCriterion: target 4 is out of range for 3 classes (targets are 1..3, then 0s)')
      assert.has_error(function() c:forward(torch.randn(2, 3), torch.LongTensor { 1, 2, 0 }) end,
         "nn.MultiLabelMarginCriterion: target has size 3, expected the input's size 2x3")
      assert.has_error(function() c:forward(torch.randn(2, 3), 'y') end,
         'nn.MultiLabelMarginCriterion: target should be a tensor of class indices shaped like the input, got string')
   end)
end)

-- MultiLabelSoftMarginCriterion -------------------------------------------------

describe('nn.MultiLabelSoftMarginCriterion', function()
   it('matches a plain-Lua reference, with weights and without sizeAverage', function()
      torch.manualSeed(7)
      local x = torch.randn(4, 3)
      local y = torch.Tensor { { 1, 0, 1 }, { 0, 0, 0 }, { 1, 1, 1 }, { 0, 1, 0 } }
      local w = torch.Tensor { 1, 0.5, 2 }
      for _, weights in ipairs { false, true } do
         for _, avg in ipairs { true, false } do
            local c = nn.MultiLabelSoftMarginCriterion(weights and w or nil, avg)
            local ref = refSoftMargin(x, y, weights and w:totable() or nil, avg)
            assert.is_true(math.abs(c:forward(x, y) - ref) < 1e-10)
            assert.is_true(gradError(c, x, y) < 1e-6)
         end
      end
   end)
   it('single sample, 1 x C input, non-contiguous input, float', function()
      torch.manualSeed(8)
      local x, y = torch.randn(5), torch.Tensor { 1, 0, 0, 1, 1 }
      local c = nn.MultiLabelSoftMarginCriterion()
      local ref = refSoftMargin(x, y, nil, true)
      assert.is_true(math.abs(c:forward(x, y) - ref) < 1e-10)
      assert.is_true(math.abs(c:forward(x:view(1, 5), y:view(1, 5)) - ref) < 1e-10)
      assert.are.same({ 1, 5 }, c:backward(x:view(1, 5), y:view(1, 5)):size():totable())
      local xt = torch.randn(3, 2):t()
      local yt = torch.Tensor { { 1, 0, 1 }, { 0, 1, 1 } }
      assert.is_true(math.abs(c:forward(xt, yt) - refSoftMargin(xt, yt, nil, true)) < 1e-10)
      assert.is_true(gradError(c, xt, yt) < 1e-6)
      local cf = nn.MultiLabelSoftMarginCriterion():float()
      assert.is_true(math.abs(cf:forward(x:float(), y:float()) - ref) < 1e-5)
   end)
   it('rejects a target of another size', function()
      assert.has_error(function() nn.MultiLabelSoftMarginCriterion():forward(torch.randn(2, 3), torch.zeros(2, 4)) end,
         "nn.MultiLabelSoftMarginCriterion: target has size 2x4, expected the input's size 2x3")
   end)
end)

-- CosineEmbeddingCriterion ------------------------------------------------------

describe('nn.CosineEmbeddingCriterion', function()
   it('matches a plain-Lua reference in batch mode, with and without sizeAverage', function()
      torch.manualSeed(9)
      local a, b = torch.randn(5, 4), torch.randn(5, 4)
      local y = torch.Tensor { 1, -1, -1, 1, -1 }
      for _, avg in ipairs { true, false } do
         local c = nn.CosineEmbeddingCriterion(-0.3)
         c.sizeAverage = avg
         assert.is_true(math.abs(c:forward({ a, b }, y) - refCosine(a, b, y, -0.3, avg)) < 1e-10)
         assert.is_true(gradError(c, { a, b }, y) < 1e-6)
      end
   end)
   it('hand-computed single pairs with number targets', function()
      local c = nn.CosineEmbeddingCriterion(0.5)
      local a, b = torch.Tensor { 1, 0 }, torch.Tensor { 1, 1 }
      local cos = 1 / math.sqrt(2)
      assert.is_true(math.abs(c:forward({ a, b }, 1) - (1 - cos)) < 1e-10)
      assert.is_true(math.abs(c:forward({ a, b }, -1) - (cos - 0.5)) < 1e-10)
      assert.is_true(gradError(c, { a, b }, 1) < 1e-6)
      assert.is_true(gradError(c, { a, b }, -1) < 1e-6)
      -- below the margin: no loss, no gradient
      assert.are.equal(0, nn.CosineEmbeddingCriterion(0.9):forward({ a, b }, -1))
      local g = nn.CosineEmbeddingCriterion(0.9):backward({ a, b }, -1)
      assert.are.same({ { 0, 0 }, { 0, 0 } }, { g[1]:totable(), g[2]:totable() })
   end)
   it('non-contiguous inputs and float', function()
      torch.manualSeed(10)
      local a, b = torch.randn(4, 3):t(), torch.randn(3, 4)
      local y = torch.Tensor { -1, 1, -1 }
      local c = nn.CosineEmbeddingCriterion(0.1)
      assert.is_true(math.abs(c:forward({ a, b }, y) - refCosine(a, b, y, 0.1, true)) < 1e-10)
      assert.is_true(gradError(c, { a, b }, y) < 1e-6)
      local cf = nn.CosineEmbeddingCriterion(0.1):float()
      assert.is_true(math.abs(cf:forward({ a:float(), b:float() }, y) - refCosine(a, b, y, 0.1, true)) < 1e-5)
   end)
   it('rejects mismatched pairs and bad targets', function()
      local c = nn.CosineEmbeddingCriterion()
      assert.has_error(function() c:forward({ torch.randn(2, 3), torch.randn(2, 4) }, torch.ones(2)) end,
         "nn.CosineEmbeddingCriterion: input[2] has size 2x4, expected the input's size 2x3")
      assert.has_error(function() c:forward({ torch.randn(2, 3), torch.randn(2, 3) }, torch.ones(3)) end,
         'nn.CosineEmbeddingCriterion: 3 targets for 2 pairs')
      assert.has_error(function() c:forward({ torch.randn(2, 3), torch.randn(2, 3) }, torch.Tensor { 1, 0 }) end,
         'nn.CosineEmbeddingCriterion: targets must be 1 or -1, got 0')
      assert.has_error(function() c:forward(torch.randn(2, 3), 1) end,
         'nn.CosineEmbeddingCriterion: input should be a table of two tensors {x1, x2}, got torch.DoubleTensor')
   end)
end)

-- L1HingeEmbeddingCriterion -----------------------------------------------------

describe('nn.L1HingeEmbeddingCriterion', function()
   it('hand-computed losses and gradients for y = 1 and y = -1', function()
      local a, b = torch.Tensor { 1, 2, 3 }, torch.Tensor { 2, 0, 3.5 }
      local c = nn.L1HingeEmbeddingCriterion(4)
      -- |x1 - x2|_1 = 1 + 2 + 0.5 = 3.5
      assert.are.equal(3.5, c:forward({ a, b }, 1))
      assert.are.equal(0.5, c:forward({ a, b }, -1))
      assert.are.equal(0, nn.L1HingeEmbeddingCriterion(3):forward({ a, b }, -1))
      local g = c:backward({ a, b }, 1)
      assert.are.same({ -1, 1, -1 }, g[1]:totable())
      assert.are.same({ 1, -1, 1 }, g[2]:totable())
      g = c:backward({ a, b }, -1)
      assert.are.same({ 1, -1, 1 }, g[1]:totable())
      g = nn.L1HingeEmbeddingCriterion(3):backward({ a, b }, -1)
      assert.are.same({ 0, 0, 0 }, g[1]:totable())
      assert.is_true(gradError(c, { a, b }, 1) < 1e-6)
      assert.is_true(gradError(c, { a, b }, -1) < 1e-6)
   end)
   it('draws a random sign per tie, in element order (torch.random(2))', function()
      local a, b = torch.Tensor { 1, 5, 2, 7 }, torch.Tensor { 1, 4, 2, 7 }
      torch.manualSeed(12)
      local expect = { 2 * torch.random(2) - 3, 1, 2 * torch.random(2) - 3, 2 * torch.random(2) - 3 }
      torch.manualSeed(12)
      local g = nn.L1HingeEmbeddingCriterion():backward({ a, b }, 1)
      assert.are.same(expect, g[1]:totable())
   end)
   it('non-contiguous inputs, a tensor target, float, and bad inputs', function()
      torch.manualSeed(13)
      local a, b = torch.randn(3, 2):t(), torch.randn(2, 3)
      local c = nn.L1HingeEmbeddingCriterion()
      local d = (a - b):abs():sum()
      assert.is_true(math.abs(c:forward({ a, b }, torch.Tensor { 1 }) - d) < 1e-12)
      assert.is_true(gradError(c, { a, b }, 1) < 1e-6)
      assert.is_true(math.abs(c:forward({ a:float(), b:float() }, 1) - d) < 1e-5)
      assert.has_error(function() c:forward({ torch.randn(3), torch.randn(4) }, 1) end,
         'nn.L1HingeEmbeddingCriterion: input[1] (3) and input[2] (4) must be non-empty with the same number of elements')
      assert.has_error(function() c:forward({ torch.randn(3), torch.randn(3) }, 'y') end,
         'nn.L1HingeEmbeddingCriterion: target should be 1 or -1, got string')
   end)
end)

-- Composite criterions ------------------------------------------------------------

describe('composite criterions', function()
   it('ParallelCriterion: weighted sum over input[i], target[i]', function()
      torch.manualSeed(14)
      local x1, t1 = torch.randn(3, 2), torch.randn(3, 2)
      local x2, t2 = nn.LogSoftMax():forward(torch.randn(3, 4)):clone(), torch.LongTensor { 4, 1, 2 }
      local mse, nll = nn.MSECriterion(), nn.ClassNLLCriterion()
      local pc = nn.ParallelCriterion():add(nn.MSECriterion(), 0.5):add(nn.ClassNLLCriterion())
      local expect = 0.5 * mse:forward(x1, t1) + nll:forward(x2, t2)
      assert.is_true(math.abs(pc:forward({ x1, x2 }, { t1, t2 }) - expect) < 1e-14)
      local g = pc:backward({ x1, x2 }, { t1, t2 })
      assert.is_true(spec.close(g[1], mse:backward(x1, t1) * 0.5, 1e-15))
      assert.is_true(spec.close(g[2], nll:backward(x2, t2), 1e-15))
      assert.is_true(gradError(pc, { x1, x2 }, { t1, t2 }) < 1e-6)
   end)
   it('ParallelCriterion(true) repeats the target', function()
      torch.manualSeed(15)
      local a, b, t = torch.randn(4), torch.randn(4), torch.randn(4)
      local pc = nn.ParallelCriterion(true):add(nn.MSECriterion()):add(nn.AbsCriterion(), 3)
      local expect = nn.MSECriterion():forward(a, t) + 3 * nn.AbsCriterion():forward(b, t)
      assert.is_true(math.abs(pc:forward({ a, b }, t) - expect) < 1e-14)
      assert.is_true(spec.close(pc:backward({ a, b }, t)[2], nn.AbsCriterion():backward(b, t) * 3, 1e-15))
   end)
   it('MultiCriterion: weighted sum on one input', function()
      torch.manualSeed(16)
      local x, t = torch.randn(3, 4), torch.randn(3, 4)
      local mc = nn.MultiCriterion():add(nn.MSECriterion()):add(nn.SmoothL1Criterion(), 0.25)
      local expect = nn.MSECriterion():forward(x, t) + 0.25 * nn.SmoothL1Criterion():forward(x, t)
      assert.is_true(math.abs(mc:forward(x, t) - expect) < 1e-14)
      local g = nn.MSECriterion():backward(x, t) + nn.SmoothL1Criterion():backward(x, t) * 0.25
      assert.is_true(spec.close(mc:backward(x, t), g, 1e-15))
      assert.are.same({ 1, 0.25 }, { mc.weights[1], mc.weights[2] })
      mc:float()
      assert.is_true(math.abs(mc:forward(x:float(), t:float()) - expect) < 1e-5)
   end)
   it('CriterionTable: a criterion as a module on {input, target}', function()
      local ct = nn.CriterionTable(nn.MSECriterion())
      local x, t = torch.Tensor { 1, 2 }, torch.Tensor { 0, 0 }
      assert.are.equal(2.5, ct:forward({ x, t }))
      assert.are.same({ 1, 2 }, ct:backward({ x, t })[1]:totable())
      assert.are.equal('nn.CriterionTable', tostring(ct))
   end)
   it('bad inputs name the composite and the failing criterion', function()
      local pc = nn.ParallelCriterion():add(nn.MSECriterion()):add(nn.ClassNLLCriterion())
      local ok, err = pcall(pc.forward, pc, { torch.randn(2), torch.randn(3, 4) }, { torch.randn(2), torch.LongTensor { 1, 2, 9 } })
      assert.is_false(ok)
      assert.matches('nn.ParallelCriterion %(2%): nn.ClassNLLCriterion: target 9 is out of range', err)
      assert.has_error(function() pc:forward(torch.randn(2), torch.randn(2)) end,
         'nn.ParallelCriterion: input should be a table (one entry per criterion), got torch.DoubleTensor')
      local mc = nn.MultiCriterion():add(nn.MSECriterion())
      ok, err = pcall(mc.forward, mc, torch.randn(2), torch.randn(3))
      assert.is_false(ok)
      assert.matches('nn.MultiCriterion %(1%): nn.MSECriterion', err)
      assert.has_error(function() nn.CriterionTable(nn.MSECriterion()):forward(torch.randn(2)) end,
         'nn.CriterionTable: input should be a table {input, target}, got torch.DoubleTensor')
      assert.has_error(function() nn.MultiCriterion():add(nn.Linear(2, 2)) end,
         'nn.MultiCriterion:add: expected a criterion, got nn.Linear')
   end)
   it('criterions converted with :float() keep their class-index buffers LongTensors', function()
      local x = torch.FloatTensor { { -1, -2, -3 }, { -3, -2, -1 } }
      assert.are.equal(1.5, nn.ClassNLLCriterion():float():forward(x, torch.Tensor { 1, 2 }))
      assert.are.equal(3, nn.ClassNLLCriterion():float():forward(x[1], 3))
      local mlm = nn.MultiLabelMarginCriterion():float()
      assert.is_true(math.abs(mlm:forward(x, torch.Tensor { { 1, 0, 0 }, { 3, 0, 0 } }) - 0) < 1e-7)
   end)
end)

-- Differential tests against Torch7: gradients on the kinks (bounds, ties,
-- margins) and defaults where nnlua differed. Expected values are Torch7's
-- (recorded with its nn).
require 'nn'

local x = torch.Tensor { -6, -1, -0.5, 0, 0.5, 1, 6, 7 }

local function grad(m, input, g)
   m:forward(input:clone())
   return m:backward(input:clone(), g or torch.ones(input:nElement())):totable()
end

local function close(expected, got)
   assert.are.equal(#expected, #got)
   for i = 1, #expected do assert.is_true(math.abs(expected[i] - got[i]) < 1e-12, 'element ' .. i) end
end

describe('diff: kinks as Torch7', function()
   it('HardTanh, Clamp and ReLU6 pass no gradient on their bounds', function()
      assert.are.same({ 0, 0, 1, 1, 1, 0, 0, 0 }, grad(nn.HardTanh(), x))
      assert.are.same({ 0, 0, 1, 1, 1, 0, 0, 0 }, grad(nn.Clamp(-1, 1), x))
      assert.are.same({ 0, 0, 0, 0, 1, 1, 0, 0 }, grad(nn.ReLU6(), x))
      assert.are.same({ 0, 0, 1, 1, 1, 0, 0, 0 }, grad(nn.HardTanh(-1, 1, true), x))
      assert.are.same({ 0, 0, 1, 1, 1, 0, 0, 0 }, grad(nn.HardTanh():float(), x:float(), torch.ones(8):float()))
   end)

   it('AbsCriterion\'s gradient is +1 where input equals target', function()
      local a, b = torch.Tensor { 1, 2, 3 }, torch.Tensor { 3, 2, 1 }
      close({ -1 / 3, 1 / 3, 1 / 3 }, nn.AbsCriterion():backward(a, b):totable())
      local c = nn.AbsCriterion()
      c.sizeAverage = false
      assert.are.same({ -1, 1, 1 }, c:backward(a, b):totable())
   end)

   it('MarginCriterion writes +0 where inactive', function()
      local g = nn.MarginCriterion():backward(torch.Tensor { 1, -1, 0.5 }, torch.Tensor { 1, 1, 1 })
      assert.are.equal(' 0.0000\n-0.3333\n-0.3333\n[torch.DoubleTensor of size 3]\n', tostring(g))
      assert.is_true(1 / g[1] > 0)
   end)

   it('HingeEmbeddingCriterion keeps -1 on the margin and +0 past it', function()
      local c = nn.HingeEmbeddingCriterion(1)
      local input, y = torch.Tensor { 1, 0.5, 2, 0.3 }, torch.Tensor { -1, -1, -1, 1 }
      assert.is_true(math.abs(c:forward(input, y) - 0.2) < 1e-15)
      local g = c:backward(input, y)
      assert.are.same({ -0.25, -0.25, 0, 0.25 }, g:totable())
      assert.is_true(1 / g[3] > 0)
   end)

   it('MarginRankingCriterion\'s margin defaults to 1', function()
      local c = nn.MarginRankingCriterion()
      assert.are.equal(1, c.margin)
      local input = { torch.Tensor { 1, 2 }, torch.Tensor { 2, 1 } }
      assert.are.equal(2, c:forward(input, torch.Tensor { 1, -1 }))
      local g = c:backward(input, torch.Tensor { 1, -1 })
      assert.are.same({ -0.5, 0.5 }, g[1]:totable())
      assert.are.same({ 0.5, -0.5 }, g[2]:totable())
   end)

   it('SpatialDropout and VolumetricDropout keep dropping in evaluation with stochasticInference', function()
      torch.manualSeed(3)
      local sd = nn.SpatialDropout(0.5, true)
      sd:evaluate()
      assert.is_true(sd.stochastic_inference)
      assert.are.same({ 0, 1, 0, 0, 1, 1 }, sd:forward(torch.ones(6, 1, 1)):view(-1):totable())
      torch.manualSeed(3)
      local vd = nn.VolumetricDropout(0.5, true)
      vd:evaluate()
      assert.are.same({ 0, 1, 0, 0, 1, 1 }, vd:forward(torch.ones(6, 1, 1, 1)):view(-1):totable())
      local plain = nn.SpatialDropout(0.5)
      assert.is_false(plain.stochastic_inference)
      plain:evaluate()
      assert.are.same({ 0.5, 0.5 }, plain:forward(torch.ones(2, 1, 1)):view(-1):totable())
   end)

   it('MultiLabelSoftMarginCriterion uses Torch7\'s stable form (no eps), with and without weights', function()
      local x = torch.Tensor { { 0.5, -1, 2, -0.25 }, { 3, -4, 0, 0.75 } }
      local t = torch.Tensor { { 1, 0, 1, 0 }, { 0, 1, 1, 1 } }
      local g0 = { -0.047192583599768176, 0.033617677671249388, -0.014900365252764711, 0.054727937389275241,
         0.11907176585280417, -0.12275172375473856, -0.0625, -0.040102662603075878 }
      local c = nn.MultiLabelSoftMarginCriterion()
      assert.are.equal(1.2046201960983178, c:forward(x, t))
      assert.are.same(g0, c:backward(x, t):view(-1):totable())
      local cw = nn.MultiLabelSoftMarginCriterion(torch.Tensor { 1, 2, 3, 0.5 })
      assert.are.equal(1.8908897943039424, cw:forward(x, t))
      assert.are.same({ -0.047192583599768176, 0.067235355342498776, -0.044701095758294132, 0.027363968694637621,
         0.11907176585280417, -0.24550344750947711, -0.1875, -0.020051331301537939 }, cw:backward(x, t):view(-1):totable())
      local y = torch.Tensor { { 1, -1, 1, -1 }, { -1, 1, 1, -1 } }
      assert.are.equal(1.2983701960983178, nn.SoftMarginCriterion():forward(x, y))
   end)
end)

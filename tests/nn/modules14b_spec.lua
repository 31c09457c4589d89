-- Issue 14, part B: OneHot, PairwiseDistance, MixtureTable, ModuleCriterion,
-- Maxout, ZeroGrad, ZipTable, ZipTableOneToMany, WeightedMSECriterion,
-- WhiteNoise, PixelShuffle, SpatialLogSoftMax, SpatialClassNLLCriterion,
-- LayerNormalization, ClassSimplexCriterion, DistanceRatioCriterion.
-- Each against its Torch7 recording in fixtures/torch7/nn_modules2.lua
-- (1e-10 in double), hand-computed values, central-difference gradients
-- (also through table inputs), non-contiguous inputs and bad inputs.
require 'nn'
local spec = require 'tests.spec_util'

local cases = dofile(NNLUA_FIXTURES .. '/torch7/nn_modules2.lua')
local tensor = dofile(NNLUA_ROOT .. '/tests/nn/fixture_util.lua').tensor

local function same(a, b, what, tol)
   tol = tol or 1e-10
   if type(b) == 'table' and not torch.isTensor(b) then
      assert.are.equal(#b, #a, what .. ': table length')
      for i = 1, #b do same(a[i], b[i], what .. '[' .. i .. ']', tol) end
      return
   end
   if type(b) == 'number' then
      assert.is_true(math.abs(a - b) <= tol * (1 + math.abs(b)), string.format('%s: %.17g vs %.17g', what, a, b))
      return
   end
   assert.are.same(b:size():totable(), a:size():totable(), what .. ': size')
   assert.is_true(spec.close(a, b, tol, tol), what .. ': values differ')
end

-- one recorded case, as tests/nn/fixtures_spec.lua runs them
local function runCase(c)
   torch.manualSeed(c.seed)
   local m = loadstring('return ' .. c.ctor)()
   local input = tensor(c.input)
   if c.kind == 'criterion' then
      local target = c.target
      if type(target) == 'table' then target = tensor(target) end
      same(m:forward(input, target), c.loss, 'loss')
      same(m:backward(input, target), tensor(c.gradInput), 'gradInput')
      return
   end
   if c.params then same(m:parameters() or {}, tensor(c.params), 'initial parameters') end
   if c.seedForward then torch.manualSeed(c.seedForward) end
   same(m:forward(input), tensor(c.output), 'output')
   m:zeroGradParameters()
   same(m:backward(input, tensor(c.gradOutput)), tensor(c.gradInput), 'gradInput')
   if c.gradParams then
      local _, gs = m:parameters()
      same(gs or {}, tensor(c.gradParams), 'gradParameters')
   end
end

local mine = {}
for _, n in ipairs { 'OneHot', 'PairwiseDistance', 'MixtureTable', 'ModuleCriterion', 'Maxout', 'ZeroGrad',
   'ZipTable', 'ZipTableOneToMany', 'WeightedMSECriterion', 'WhiteNoise', 'PixelShuffle', 'SpatialLogSoftMax',
   'SpatialClassNLLCriterion', 'LayerNormalization', 'ClassSimplexCriterion', 'DistanceRatioCriterion' } do
   mine[n] = true
end

describe('Torch7 recordings (nn_modules2.lua), part B classes', function()
   local n = 0
   for i, c in ipairs(cases) do
      local name = c.ctor:match('^nn%.([%w_]+)')
      if mine[name] then
         n = n + 1
         it(string.format('#%d %s', i, c.ctor), function() runCase(c) end)
      end
   end
   it('covers every recorded part B class', function() assert.is_true(n >= 16) end)
end)

-- central-difference gradient of f() with respect to tensor x (changed in place, restored)
local function numgrad(f, x)
   local g = x.new():resizeAs(x)
   local xf, gf = x:view(-1), g:view(-1)
   for i = 1, xf:nElement() do
      local v = xf[i]
      xf[i] = v + 1e-6
      local fp = f()
      xf[i] = v - 1e-6
      local fm = f()
      xf[i] = v
      gf[i] = (fp - fm) / 2e-6
   end
   return g
end

-- a module with a (possibly nested) table input: backward of a random
-- projection R of the output against central differences on every input tensor
local function checkTableGrad(m, input, tensors, grads, R)
   local function f()
      local out = m:forward(input)
      return out:clone():cmul(R):sum()
   end
   m:forward(input)
   local gi = m:backward(input, R)
   for k, x in ipairs(tensors) do
      local analytic = grads(gi)[k]:clone()
      local d = (analytic - numgrad(f, x)):abs():max()
      assert.is_true(d < 1e-5, 'input ' .. k .. ' gradient error ' .. d)
   end
end

local function criterionGrad(c, input, target, tensors, grads)
   c:forward(input, target)
   local gi = c:backward(input, target)
   for k, x in ipairs(tensors) do
      local analytic = grads(gi)[k]:clone()
      local d = (analytic - numgrad(function() return c:forward(input, target) end, x)):abs():max()
      assert.is_true(d < 1e-5, 'input ' .. k .. ' gradient error ' .. d)
   end
end

local function jacobians(m, x)
   local err = nn.Jacobian.testJacobian(m, x, -1.5, 1.5)
   assert.is_true(err < 1e-5, 'input gradient error ' .. err)
   local ps, gs = m:parameters()
   for i, p in ipairs(ps or {}) do
      local perr = nn.Jacobian.testJacobianParameters(m, x, p, gs[i], -1.5, 1.5)
      assert.is_true(perr < 1e-5, 'parameter ' .. i .. ' gradient error ' .. perr)
   end
end

-- a transposed copy: same values as x (rows x cols), non-contiguous
local function noncontig(x)
   local t = x:t():clone():t()
   assert.is_false(t:isContiguous())
   return t
end

-- optim behaviours that optim's own tests (torch/optim test/) rely on and
-- nnlua first did differently; checked with values recorded from Torch7.
require 'optim'

-- the 2-D Rosenbrock function and its gradient, minimum 0 at (1, 1); the
-- gradient is rounded in the order of optim's test function, since the
-- trajectory amplifies any rounding difference
local function rosenbrock(x)
   local a, b = x[1], x[2]
   local d = b - a * a
   local f = d * d * 100 + (1 - a) * (1 - a)
   local g = torch.Tensor { d * a * -400 + (1 - a) * -2, d * 200 }
   return f, g
end

describe('optim Torch7 suite: adamax on Rosenbrock', function()
   it('10001 steps from (0, 0) at learning rate 0.01 end where Torch7 ends', function()
      local x, config = torch.Tensor(2):zero(), { learningRate = 1e-2 }
      for _ = 1, 10001 do optim.adamax(rosenbrock, x, config) end
      -- Torch7 (optim/test/test_adamax.lua's setting) ends at these
      assert.is_true(math.abs(x[1] - 0.9999999828) < 1e-9, string.format('%.12g', x[1]))
      assert.is_true(math.abs(x[2] - 0.9999999656) < 1e-9, string.format('%.12g', x[2]))
   end)
end)

describe('optim Torch7 suite: ConfusionMatrix:farFrr', function()
   it('gives per-class and present-class FRR and FAR as Torch7', function()
      local cm = optim.ConfusionMatrix(3)
      cm.mat = torch.Tensor { { 3, 1, 0 }, { 0, 0, 0 }, { 1, 1, 2 } }
      local classFrrs, classFars, frrs, fars = cm:farFrr()
      assert.are.same({ 0.25, -1, 0.5 }, classFrrs:totable())
      assert.are.same({ 0.25, -1, 0 }, classFars:totable())
      assert.are.same({ 0.25, 0.5 }, frrs:totable())
      assert.are.same({ 0.25, 0 }, fars:totable())
      cm.mat = torch.eye(4)
      local f1, f2 = cm:farFrr()
      assert.are.equal(0, f1:sum() + f2:sum())
   end)
end)

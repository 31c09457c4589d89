-- Differential tests against Torch7: optim.checkgrad's values (recorded
-- with Torch7's optim): x steps +eps then -2 eps, and dC is opfunc's own
-- tensor, so a shared gradient buffer ends holding the last evaluation's.
require 'optim'

describe('diff: optim.checkgrad as Torch7', function()
   it('returns opfunc\'s own gradient tensor, last written at x - eps', function()
      local g = torch.zeros(2)
      local function f(x)
         g[1] = 2 * x[1] + x[2] ^ 3
         g[2] = 3 * x[2] ^ 2 + x[1]
         return x[1] ^ 2 + x[1] * x[2] + x[2] ^ 3, g
      end
      local diff, dC, dC_est = optim.checkgrad(f, torch.Tensor { 0.5, -0.25 })
      assert.are.equal(g, dC)
      local expect = { 0.10589406664714582, 0.98437498124999245, 0.68750015000002995, 0.75000000002156675,
         0.68750000005446399 }
      local got = { diff, dC[1], dC[2], dC_est[1], dC_est[2] }
      for i = 1, #expect do assert.is_true(math.abs(got[i] - expect[i]) <= 1e-12 * math.abs(expect[i]), i) end
   end)

   it('a fresh gradient per call gives the central differences', function()
      local function f2(x) return (x[1] - 1) ^ 2 + 10 * x[2] ^ 2, torch.Tensor { 2 * (x[1] - 1), 20 * x[2] } end
      local x = torch.Tensor { 0.3, 0.7 }
      local diff, _, dC_est = optim.checkgrad(f2, x, 1e-3)
      assert.is_true(math.abs(dC_est[1] - -1.3999999999998458) < 1e-13)
      assert.is_true(math.abs(dC_est[2] - 13.99999999999979) < 1e-12)
      assert.is_true(diff < 1e-13)
      assert.are.same({ 0.3, 0.7 }, x:totable())
   end)
end)

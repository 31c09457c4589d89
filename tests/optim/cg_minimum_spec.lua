-- optim.cg called again at the minimum it found: Torch7's line search
-- counts its evaluation budget down to exactly 0, which a fractional
-- maxEval (1.25 * maxIter) steps past; with nothing left to gain the search
-- then never succeeded nor failed, and Torch7's cg looped for ever.
local optim = require 'optim'

describe('optim.cg at a minimum', function()
   it('returns, and the first call keeps Torch7 values', function()
      torch.manualSeed(1)
      local p = torch.randn(10)
      local state = { maxIter = 3 }
      local function f(x) return x:dot(x), x * 2 end
      local _, fs = optim.cg(f, p, state)
      -- Torch7 printed 31.849459049069 and 1.5057012816162e-27 for this call
      assert.are.equal(2, #fs)
      assert.is_true(math.abs(fs[1] - 31.849459049069) < 1e-9)
      assert.is_true(math.abs(fs[2] - 1.5057012816162e-27) < 1e-36)
      local evals = 0
      local _, fs2, i = optim.cg(function(x) evals = evals + 1; return f(x) end, p, state)
      assert.is_true(evals <= 3 * 1.25 + 3.75 + 2, 'evaluations: ' .. evals)
      assert.is_true(fs2[#fs2] <= fs[2])
      assert.is_true(i >= 1)
   end)
end)

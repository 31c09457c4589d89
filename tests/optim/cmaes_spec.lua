-- optim.cmaes: minimises a sphere and Rosenbrock in 2 to 5 dimensions,
-- stops at maxEval, returns Torch7's (x*, {f}, evals), is reproducible
-- under torch.manualSeed, and names itself on bad input.
require 'optim'

local function sphere(x) return x:dot(x) end
local function rosenbrock(x)
   local s = 0
   for i = 1, x:size(1) - 1 do s = s + 100 * (x[i + 1] - x[i] ^ 2) ^ 2 + (1 - x[i]) ^ 2 end
   return s
end

describe('optim.cmaes', function()
   it('minimises a sphere in 2 to 5 dimensions', function()
      for n = 2, 5 do
         torch.manualSeed(n)
         local x0 = torch.Tensor(n):fill(1)
         local xs, fs, evals = optim.cmaes(sphere, x0, { sigma = 0.5 })
         assert.is_true(fs[#fs] < 1e-10, 'n = ' .. n .. ': f = ' .. fs[#fs])
         assert.is_true(xs:abs():max() < 1e-4)
         assert.are.equal(n, fs[1])                    -- f[1] is f(x0)
         assert.are.equal(0, (x0 - 1):abs():max())     -- x is not modified
         assert.is_true(evals > 0)
         assert.are.equal(fs[#fs], sphere(xs))
      end
   end)

   it('minimises Rosenbrock in 2 and 4 dimensions', function()
      for _, n in ipairs { 2, 4 } do
         torch.manualSeed(1)
         local xs, fs = optim.cmaes(rosenbrock, torch.zeros(n), { sigma = 0.5, maxEval = 20000 })
         assert.is_true(fs[#fs] < 1e-8, 'n = ' .. n .. ': f = ' .. fs[#fs])
         assert.is_true((xs - 1):abs():max() < 1e-3)
      end
   end)

   it('keeps x\'s shape and type and reads ftarget', function()
      torch.manualSeed(3)
      local x0 = torch.FloatTensor(2, 2):fill(1)
      local calls = 0
      local xs, fs = optim.cmaes(function(x)
         calls = calls + 1
         assert.are.equal('torch.FloatTensor', torch.type(x))
         assert.are.same({ 2, 2 }, { x:size(1), x:size(2) })
         return x:double():pow(2):sum()
      end, x0, { sigma = 0.3, ftarget = 1e-3 })
      assert.are.equal('torch.FloatTensor', torch.type(xs))
      assert.are.same({ 2, 2 }, { xs:size(1), xs:size(2) })
      assert.is_true(fs[#fs] <= 1e-3)
      assert.is_true(fs[#fs - 1] <= 1e-3)
      assert.is_true(calls < 1000)
   end)

   it('respects maxEval', function()
      torch.manualSeed(1)
      local calls = 0
      local popsize = 6
      local _, fs, evals = optim.cmaes(function(x)
         calls = calls + 1
         return rosenbrock(x)
      end, torch.zeros(3), { sigma = 0.5, maxEval = 50, popsize = popsize })
      -- as in Torch7: whole generations, stopping once maxEval is reached
      assert.is_true(evals >= 50 and evals < 50 + popsize)
      assert.are.equal(0, evals % popsize)
      assert.are.equal(evals + 1, calls)                    -- and f(x0)
      assert.are.equal(evals / popsize + 2, #fs)            -- f(x0), one per generation, the best
   end)

   it('is deterministic under torch.manualSeed', function()
      local function run()
         torch.manualSeed(42)
         return optim.cmaes(rosenbrock, torch.zeros(3), { sigma = 0.5, maxEval = 300 })
      end
      local x1, f1, e1 = run()
      local x2, f2, e2 = run()
      assert.are.same(f1, f2)
      assert.are.equal(e1, e2)
      assert.are.equal(0, (x1 - x2):abs():max())
      torch.manualSeed(43)
      local _, f3 = optim.cmaes(rosenbrock, torch.zeros(3), { sigma = 0.5, maxEval = 300 })
      assert.are_not.same(f1, f3)
   end)

   it('names itself on bad input', function()
      assert.has_error(function() optim.cmaes(5, torch.zeros(2)) end,
         'optim.cmaes: expected a function as opfunc, got number')
      assert.has_error(function() optim.cmaes(sphere, torch.zeros(2), { sigma = -1 }) end,
         'optim.cmaes: config.sigma should be positive, got -1')
      assert.has_error(function() optim.cmaes(sphere, torch.zeros(2), { popsize = 'x' }) end,
         'optim.cmaes: config.popsize should be a number >= 2, got x')
      assert.has_error(function() optim.cmaes(function() return 'a' end, torch.zeros(2)) end,
         'optim.cmaes: opfunc must return a number, got string')
   end)
end)

-- Differential tests against Torch7's optim: values recorded with Torch7
-- for optim.de, optim.FistaLS without doFistaUpdate, and the messages
-- adagrad/adadelta/rprop print when called with neither config nor state.
require 'optim'

local function rosen(x) return 100 * (x[2] - x[1] ^ 2) ^ 2 + (1 - x[1]) ^ 2 end

local function near(expected, got, rel)
   assert.is_true(math.abs(got - expected) <= (rel or 1e-12) * math.max(1, math.abs(expected)),
      string.format('%.17g vs %.17g', got, expected))
end

describe('diff: optim as Torch7', function()
   it('de follows Torch7\'s steps and draws', function()
      local before = torch.getRNGState()
      local cfg = { maxFEs = 3000, popsize = 20, minRegion = -2, maxRegion = 2, scaleFactor = 0.5, crossoverRate = 0.9 }
      local x1, fx = optim.de(rosen, torch.DoubleTensor(2), cfg)
      near(0.9939969922346068, x1[1])
      near(0.9879982030266633, x1[2])
      assert.are.equal(3000, fx:size(1))
      near(354.6778864312559, fx[1])
      near(11578.952724865241, fx[21])
      near(3.6137339499754105e-05, fx[3000])
      local x2, fx2 = optim.de(rosen, torch.DoubleTensor(2), { maxFEs = 100, popsize = 10, crossoverRate = 0.9, scaleFactor = 0.5 })
      near(-0.74683855855255388, x2[1])
      near(-0.25563761038938537, x2[2])
      near(49958791.851041779, fx2[11])
      near(78.544112751715275, fx2[100])
      assert.are.same(before:totable(), torch.getRNGState():totable())
   end)

   it('FistaLS without doFistaUpdate takes ISTA steps', function()
      local function f(x) local d = x:clone():add(-1) return d:dot(d) * 0.5, d end
      local x = torch.Tensor { 3, -2 }
      local _, hist = optim.FistaLS(f, function() return 0 end, function(y) return y end, x, { maxiter = 5, maxline = 5 })
      assert.are.equal(5, #hist)
      near(0.999777848161, x[1], 1e-11)
      near(0.999777848161, x[2], 1e-11)
   end)

   it('adagrad, adadelta and rprop say they initialise when given no tables', function()
      local printed = {}
      local saved = print
      _G.print = function(...) printed[#printed + 1] = table.concat({ ... }, '\t') end
      local function quad(x) local d = x:clone():add(-1) return d:dot(d) * 0.5, d end
      local ok, err = pcall(function()
         optim.adagrad(quad, torch.Tensor { 3, -2 })
         optim.adadelta(quad, torch.Tensor { 3, -2 })
         optim.rprop(quad, torch.Tensor { 3, -2 })
         optim.adagrad(quad, torch.Tensor { 3, -2 }, {})
      end)
      _G.print = saved
      assert.is_true(ok, err)
      assert.are.same({ 'no state table, ADAGRAD initializing', 'no state table, ADADELTA initializing',
         'no state table RPROP initializing' }, printed)
   end)
end)

-- optim algorithms against plain-Lua references of their formulas on a
-- separable quadratic f(x) = 0.5 sum a_i x_i^2 (so df/dx = a .* x),
-- state persistence, the fused C path against the tensor path
-- (non-contiguous and float parameters), convergence on Rosenbrock, and
-- bad inputs.
require 'optim'
local spec = require 'tests.spec_util'

local A = { 4, 1, 0.5, 2 }
local X0 = { 1, -2, 0.5, 3 }

local function quad(x)
   local g = x.new():resizeAs(x)
   local f = 0
   for i = 1, x:size(1) do
      f = f + 0.5 * A[i] * x[i] ^ 2
      g[i] = A[i] * x[i]
   end
   return f, g
end

local function totable(x)
   local t = {}
   for i = 1, x:size(1) do t[i] = x[i] end
   return t
end

-- runs `steps` calls of optim[name] and compares with ref(x, state, g)
-- (plain Lua, per element) after every call
local function against(name, config, ref, steps, tol)
   local x = torch.DoubleTensor(X0)
   local rx, rs = { unpack(X0) }, {}
   for s = 1, steps or 5 do
      local _, fs = optim[name](quad, x, config)
      local f, g = 0, {}
      for i = 1, #rx do
         f = f + 0.5 * A[i] * rx[i] ^ 2
         g[i] = A[i] * rx[i]
      end
      assert.is_true(math.abs(fs[1] - f) <= 1e-12 * math.max(1, math.abs(f)), name .. ': f before step ' .. s)
      ref(rx, rs, g, s)
      for i = 1, #rx do
         assert.is_true(math.abs(x[i] - rx[i]) <= (tol or 1e-12),
            string.format('%s step %d x[%d] = %.17g, reference %.17g', name, s, i, x[i], rx[i]))
      end
   end
end

describe('optim formulas (plain Lua references)', function()
   it('sgd: learningRate, learningRateDecay, weightDecay', function()
      local lr, lrd, wd = 0.1, 0.5, 0.01
      against('sgd', { learningRate = lr, learningRateDecay = lrd, weightDecay = wd }, function(x, st, g, s)
         local clr = lr / (1 + (s - 1) * lrd)
         for i = 1, #x do x[i] = x[i] - clr * (g[i] + wd * x[i]) end
      end)
   end)

   it('sgd: momentum with dampening (default dampening = momentum)', function()
      local lr, mom, damp = 0.05, 0.9, 0.3
      for _, d in ipairs { damp, false } do
         local cfg = { learningRate = lr, momentum = mom }
         if d then cfg.dampening = d end
         local dd = d or mom
         against('sgd', cfg, function(x, st, g, s)
            for i = 1, #x do
               st[i] = s == 1 and g[i] or mom * st[i] + (1 - dd) * g[i]
               x[i] = x[i] - lr * st[i]
            end
         end)
      end
   end)

   it('sgd: nesterov', function()
      local lr, mom = 0.05, 0.8
      against('sgd', { learningRate = lr, momentum = mom, dampening = 0, nesterov = true }, function(x, st, g, s)
         for i = 1, #x do
            st[i] = s == 1 and g[i] or mom * st[i] + g[i]
            x[i] = x[i] - lr * (g[i] + mom * st[i])
         end
      end)
   end)

   it('sgd: learningRates and weightDecays vectors', function()
      local lrs, wds = { 1, 0.5, 2, 0 }, { 0.1, 0, 0.2, 0.3 }
      against('sgd', { learningRate = 0.1, learningRates = torch.DoubleTensor(lrs), weightDecays = torch.DoubleTensor(wds) },
         function(x, st, g)
            for i = 1, #x do x[i] = x[i] - 0.1 * lrs[i] * (g[i] + wds[i] * x[i]) end
         end)
   end)

   it('adagrad', function()
      local lr = 0.3
      against('adagrad', { learningRate = lr }, function(x, st, g)
         for i = 1, #x do
            st[i] = (st[i] or 0) + g[i] * g[i]
            x[i] = x[i] - lr * g[i] / (math.sqrt(st[i]) + 1e-10)
         end
      end)
   end)

   it('rmsprop', function()
      local lr, alpha, eps = 0.01, 0.9, 1e-8
      against('rmsprop', { learningRate = lr, alpha = alpha }, function(x, st, g)
         for i = 1, #x do
            st[i] = alpha * (st[i] or 0) + (1 - alpha) * g[i] * g[i]
            x[i] = x[i] - lr * g[i] / (math.sqrt(st[i]) + eps)
         end
      end)
   end)

   it('adam (bias-corrected step)', function()
      local lr, b1, b2, eps = 0.02, 0.9, 0.999, 1e-8
      against('adam', { learningRate = lr }, function(x, st, g, t)
         for i = 1, #x do
            st[i] = st[i] or { 0, 0 }
            st[i][1] = b1 * st[i][1] + (1 - b1) * g[i]
            st[i][2] = b2 * st[i][2] + (1 - b2) * g[i] * g[i]
            local step = lr * math.sqrt(1 - b2 ^ t) / (1 - b1 ^ t)
            x[i] = x[i] - step * st[i][1] / (math.sqrt(st[i][2]) + eps)
         end
      end)
   end)

   it('adamax', function()
      local lr, b1, b2 = 0.02, 0.9, 0.999
      against('adamax', { learningRate = lr }, function(x, st, g, t)
         for i = 1, #x do
            st[i] = st[i] or { 0, 0 }
            st[i][1] = b1 * st[i][1] + (1 - b1) * g[i]
            st[i][2] = math.max(b2 * st[i][2], math.abs(g[i]) + 1e-38)
            x[i] = x[i] - lr / (1 - b1 ^ t) * st[i][1] / st[i][2]
         end
      end)
   end)

   it('adadelta', function()
      local rho, eps = 0.95, 1e-6
      against('adadelta', { rho = rho }, function(x, st, g)
         for i = 1, #x do
            st[i] = st[i] or { 0, 0 }
            st[i][1] = rho * st[i][1] + (1 - rho) * g[i] * g[i]
            local delta = math.sqrt(st[i][2] + eps) / math.sqrt(st[i][1] + eps) * g[i]
            x[i] = x[i] - delta
            st[i][2] = rho * st[i][2] + (1 - rho) * delta * delta
         end
      end)
   end)

   it('nag: gradient at the look-ahead point', function()
      local lr, mom = 0.05, 0.9
      local x = torch.DoubleTensor(X0)
      local cfg = { learningRate = lr, momentum = mom }
      local rx, v = { unpack(X0) }, { 0, 0, 0, 0 }
      for _ = 1, 5 do
         optim.nag(quad, x, cfg)
         for i = 1, 4 do
            local g = A[i] * (rx[i] + mom * v[i])
            v[i] = mom * v[i] - lr * g
            rx[i] = rx[i] + v[i]
         end
      end
      for i = 1, 4 do assert.is_true(math.abs(x[i] - rx[i]) < 1e-12) end
   end)

   it('rprop: step sizes grow, shrink on a sign flip, and are clamped', function()
      local x = torch.DoubleTensor { 1, -1 }
      local g = torch.DoubleTensor(2)
      local grads = { { 1, -1 }, { 1, 1 }, { 1, 1 } }
      local k = 0
      local cfg = { stepsize = 0.1, etaplus = 2, etaminus = 0.5, stepsizemax = 0.3 }
      local function fg() k = k + 1 g[1], g[2] = grads[k][1], grads[k][2] return 0, g end
      optim.rprop(fg, x, cfg)             -- first step: size 0.1 against the sign
      assert.is_true(spec.close(x, torch.DoubleTensor { 0.9, -0.9 }))
      optim.rprop(fg, x, cfg)             -- x1: same sign, 0.2; x2: flipped, 0.05 and no step
      assert.is_true(spec.close(x, torch.DoubleTensor { 0.7, -0.9 }))
      optim.rprop(fg, x, cfg)             -- x1: 0.4 clamped to 0.3; x2: after a skip, 0.05
      assert.is_true(spec.close(x, torch.DoubleTensor { 0.4, -0.95 }))
   end)

   it('asgd: decay, step, and the average returned third', function()
      local x = torch.DoubleTensor(X0)
      local cfg = { eta0 = 0.1, lambda = 0.01, t0 = 2 }
      local rx, ax = { unpack(X0) }, {}
      local eta, mu = 0.1, 1
      for t = 1, 5 do
         local _, fs, rax = optim.asgd(quad, x, cfg)
         for i = 1, 4 do
            rx[i] = (1 - 0.01 * eta) * rx[i] - eta * (A[i] * rx[i])
            assert.is_true(math.abs(x[i] - rx[i]) < 1e-12)
         end
         assert.is_true(type(fs[1]) == 'number' and torch.isTensor(rax))
         for i = 1, 4 do
            ax[i] = mu == 1 and x[i] or ax[i] + mu * (x[i] - ax[i])
            assert.is_true(math.abs(rax[i] - ax[i]) < 1e-12)
         end
         eta = 0.1 / (1 + 0.01 * 0.1 * t) ^ 0.75
         mu = 1 / math.max(1, t - 2)
         assert.are.equal(t, cfg.t)
      end
   end)
end)

describe('optim state', function()
   it('persists across calls: one run of 6 equals 3 + 3 with the state kept', function()
      for _, name in ipairs { 'sgd', 'adam', 'adagrad', 'rmsprop', 'adamax', 'adadelta', 'nag' } do
         local cfg = { learningRate = 0.05, momentum = 0.5 }
         local x1 = torch.DoubleTensor(X0)
         local s1 = {}
         for _ = 1, 6 do optim[name](quad, x1, cfg, s1) end
         local x2 = torch.DoubleTensor(X0)
         local s2 = {}
         for _ = 1, 3 do optim[name](quad, x2, cfg, s2) end
         for _ = 1, 3 do optim[name](quad, x2, cfg, s2) end
         assert.is_true(spec.close(x1, x2, 0), name)
         local x3 = torch.DoubleTensor(X0)
         for _ = 1, 6 do optim[name](quad, x3, cfg, {}) end   -- a fresh state each time differs
         assert.is_false(spec.close(x1, x3, 1e-12), name)
      end
   end)

   it('keeps Torch7 state fields (evalCounter, dfdx, paramVariance, m/v, t)', function()
      local x = torch.DoubleTensor(X0)
      local s = { learningRate = 0.1, momentum = 0.9 }
      optim.sgd(quad, x, s)
      optim.sgd(quad, x, s)
      assert.are.equal(2, s.evalCounter)
      assert.is_true(torch.isTensor(s.dfdx))
      local a = { learningRate = 0.1 }
      optim.adam(quad, x, a)
      assert.are.equal(1, a.t)
      assert.is_true(torch.isTensor(a.m) and torch.isTensor(a.v))
      local g = { learningRate = 0.1 }
      optim.adagrad(quad, x, g)
      assert.is_true(torch.isTensor(g.paramVariance))
      assert.are.equal(1, g.evalCounter)
   end)
end)

describe('optim fused C updates', function()
   -- the same run on contiguous doubles (fused) and on a strided view
   -- (tensor operations) must agree; float runs close to double ones
   for _, case in ipairs {
      { 'sgd', { learningRate = 0.1, momentum = 0.9, weightDecay = 0.01 } },
      { 'sgd', { learningRate = 0.1, momentum = 0.9, dampening = 0, nesterov = true } },
      { 'adam', { learningRate = 0.05 } },
      { 'adagrad', { learningRate = 0.5 } },
      { 'rmsprop', { learningRate = 0.05 } },
   } do
      it(case[1] .. ' on strided and float parameters', function()
         local name, cfg = case[1], case[2]
         local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end
         local x = torch.DoubleTensor(X0)
         local big = torch.DoubleTensor(4, 3):zero()
         local xs = big:select(2, 2)                       -- stride 3
         xs:copy(torch.DoubleTensor(X0))
         local xf = torch.FloatTensor(X0)
         local c1, c2, c3 = copy(cfg), copy(cfg), copy(cfg)
         for _ = 1, 5 do
            optim[name](quad, x, c1)
            optim[name](quad, xs, c2)
            optim[name](quad, xf, c3)
         end
         assert.is_false(xs:isContiguous())
         assert.is_true(spec.close(xs, x, 1e-14, 1e-14))
         assert.is_true(spec.close(xf, x, 1e-5, 1e-5))
         assert.are.equal(0, big:select(2, 1):abs():sum())   -- neighbours untouched
      end)
   end
end)

-- Rosenbrock in 2D, minimum 0 at (1, 1)
local function rosen(x)
   local a, b = x[1], x[2]
   local g = x.new(2)
   g[1] = -400 * a * (b - a * a) - 2 * (1 - a)
   g[2] = 200 * (b - a * a)
   return 100 * (b - a * a) ^ 2 + (1 - a) ^ 2, g
end

describe('optim on Rosenbrock', function()
   it('lbfgs with optim.lswolfe converges to (1, 1)', function()
      local x = torch.DoubleTensor { -1.2, 1 }
      local _, fs = optim.lbfgs(rosen, x, { maxIter = 100, lineSearch = optim.lswolfe })
      assert.is_true(fs[#fs] < 1e-8 and fs[#fs] < fs[1])
      assert.is_true(spec.close(x, torch.DoubleTensor { 1, 1 }, 1e-4))
   end)

   it('cg converges to (1, 1)', function()
      local x = torch.DoubleTensor { -1.2, 1 }
      local _, fs = optim.cg(rosen, x, { maxIter = 100 })
      assert.is_true(spec.close(x, torch.DoubleTensor { 1, 1 }, 1e-4))
      assert.is_true(fs[#fs] < fs[1])
   end)

   it('adam and sgd with momentum get close', function()
      local x = torch.DoubleTensor { 0, 0 }
      local s = { learningRate = 0.02 }
      for _ = 1, 3000 do optim.adam(rosen, x, s) end
      assert.is_true(spec.close(x, torch.DoubleTensor { 1, 1 }, 1e-2))
      local y = torch.DoubleTensor { 0, 0 }
      local t = { learningRate = 1e-3, momentum = 0.9, dampening = 0 }
      for _ = 1, 3000 do optim.sgd(rosen, y, t) end
      assert.is_true(spec.close(y, torch.DoubleTensor { 1, 1 }, 2e-2))
   end)

   it('de finds the minimum without gradients, reproducibly, leaving the random stream alone', function()
      torch.manualSeed(7)
      local before = torch.uniform()
      torch.manualSeed(7)
      local f = function(x) return (rosen(x)) end
      local cfg = { maxFEs = 3000, popsize = 20, minRegion = -2, maxRegion = 2 }
      local x1, fx = optim.de(f, torch.DoubleTensor(2), cfg)
      assert.are.equal(before, torch.uniform())
      local x2 = optim.de(f, torch.DoubleTensor(2), cfg)
      assert.is_true(spec.close(x1, x2, 0))
      assert.are.equal(3000, fx:size(1))
      assert.is_true(spec.close(x1, torch.DoubleTensor { 1, 1 }, 2e-2))
   end)
end)

describe('optim helpers', function()
   it('polyinterp: the minimiser of the cubic through two points', function()
      -- f(t) = (t - 1)^2 from f and f' at 0 and 3: minimum at 1
      local p = torch.DoubleTensor { { 0, 1, -2 }, { 3, 4, 4 } }
      assert.is_true(math.abs(optim.polyinterp(p) - 1) < 1e-12)
      -- bounded: (t-1)^3 - 3(t-1) = t^3 - 3t^2 + 2, local minimum at t = 2 (f = -2)
      local q = torch.DoubleTensor { { 0, 2, 0 }, { 3, 2, 9 } }
      local t, fmin = optim.polyinterp(q, 0.5, 2.5)
      assert.is_true(math.abs(t - 2) < 1e-9 and math.abs(fmin + 2) < 1e-9)
      t = optim.polyinterp(q, 2.2, 2.6)        -- the minimum is outside: the lower bound
      assert.is_true(math.abs(t - 2.2) < 1e-12)
   end)

   it('checkgrad: a right gradient checks, a wrong one does not', function()
      local f = function(x) return x:dot(x) + x[1] * x[2], x * 2 + torch.DoubleTensor { x[2], x[1], 0 } end
      local diff = optim.checkgrad(f, torch.DoubleTensor { 1, -2, 0.5 })
      assert.is_true(diff < 1e-7)
      local bad = function(x) return x:dot(x), x * 3 end
      assert.is_true(optim.checkgrad(bad, torch.DoubleTensor { 1, -2, 0.5 }) > 0.1)
   end)

   it('FistaLS solves a small lasso', function()
      -- min 0.5 ||x - b||^2 + lambda |x|_1: soft thresholding of b
      local b, lambda = torch.DoubleTensor { 3, -0.2, 1, -2 }, 0.5
      local f = function(x, mode)
         local r = x - b
         if mode == 'dx' then return 0.5 * r:dot(r), r end
         return 0.5 * r:dot(r)
      end
      local g = function(x) return lambda * x:norm(1) end
      local pl = function(x, L)
         x:apply(function(v) local s = lambda / L return v > s and v - s or (v < -s and v + s or 0) end)
      end
      local x = torch.DoubleTensor(4):zero()
      local sol, hist = optim.FistaLS(f, g, pl, x, { L = 0.5, maxiter = 200, errthres = 1e-12 })
      assert.is_true(spec.close(sol, torch.DoubleTensor { 2.5, 0, 0.5, -1.5 }, 1e-6))
      assert.is_true(#hist > 1 and hist[#hist].F <= hist[1].F)
      assert.is_true(spec.close(x, sol, 0))
   end)
end)

describe('optim bad inputs', function()
   local f = function(x) return 0, x:clone() end
   it('names the algorithm', function()
      for _, name in ipairs { 'sgd', 'asgd', 'nag', 'adagrad', 'adadelta', 'adam', 'adamax', 'rmsprop', 'rprop', 'lbfgs', 'cg' } do
         assert.has_error(function() optim[name](f, { 1, 2 }, {}) end,
            'optim.' .. name .. ': expected a tensor of parameters, got table')
         assert.has_error(function() optim[name](nil, torch.DoubleTensor(2), {}) end,
            'optim.' .. name .. ': expected a function as opfunc, got nil')
      end
   end)
   it('checks what opfunc returns', function()
      assert.has_error(function() optim.adagrad(function() return 1, 2 end, torch.DoubleTensor(2)) end,
         'optim.adagrad: opfunc must return f, df/dx (a tensor), got number')
      assert.has_error(function() optim.rmsprop(function() return 1, torch.DoubleTensor(3) end, torch.DoubleTensor(2)) end,
         'optim.rmsprop: df/dx has 3 elements, the parameters 2')
   end)
   it('rejects inconsistent settings', function()
      assert.has_error(function() optim.sgd(f, torch.DoubleTensor(2), { nesterov = true, momentum = 0.9 }) end,
         'optim.sgd: nesterov momentum requires a momentum and zero dampening')
      assert.has_error(function() optim.nag(f, torch.DoubleTensor(2), { momentum = 0 }) end,
         'optim.nag: momentum must be positive for Nesterov Accelerated Gradient, got 0')
      assert.has_error(function() optim.lbfgs(f, torch.DoubleTensor { 1, 2 }, { lineSearch = 'lswolfe' }) end,
         'optim.lbfgs: lineSearch should be a function (e.g. optim.lswolfe), got string')
      assert.has_error(function() optim.de(f, torch.DoubleTensor(2), {}) end,
         'optim.de: config.maxFEs (the number of evaluations) is required')
      assert.has_error(function() optim.polyinterp(torch.DoubleTensor(2, 2)) end,
         'optim.polyinterp: expected an N x 3 tensor of (x, f, df) rows')
   end)
end)

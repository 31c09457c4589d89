-- cunn: nn modules on CUDA tensors against the CPU in double: every
-- pointwise activation, SoftMax/LogSoftMax, ClassNLLCriterion (weights,
-- ignoreIndex, CPU or CUDA targets) and the pointwise criterions, forward
-- and backward on contiguous and non-contiguous inputs; then a small MLP
-- trained 20 SGD steps on both devices. Pending, with the reason, where no
-- CUDA device is present. NNLUA_CUNN_SPEC_CPU=1 runs the same comparisons
-- with FloatTensor in place of CudaTensor (checks the spec itself on a
-- machine without a GPU).
local torch = require 'torch'

local cu = require 'tests.cuda.cunn_util'
local as_cpu = cu.as_cpu
local nn = require 'nn'

describe('cunn', function()
   if not cu.ok then
      it('needs a CUDA device', function() pending(cu.pending_reason) end)
      return
   end

   local FT, DT = cu.FT, cu.DT
   local LT = cu.LT
   local TOL = 1e-5

   local function close(gpu, cpu, tol) return cu.close(gpu, cpu, tol or TOL) end
   -- random doubles that are exactly floats, so both devices see one input
   local function data(f, ...)
      return f(torch.DoubleTensor(...)):float():double()
   end
   local function randn(...) return data(function(t) return t:normal(0, 1.5) end, ...) end
   local function positive(...) return data(function(t) return t:uniform(0.1, 3) end, ...) end

   -- (cpu, gpu) views of one base tensor: contiguous, transposed, narrowed
   local layouts = {
      { 'contiguous', function(t) return t end },
      { 'transposed', function(t) return t:t() end },
      { 'narrowed', function(t) return t:narrow(2, 2, t:size(2) - 2) end },
   }
   local function views(base, view, ty)
      return view(base:clone()), view(base:type(ty or FT))
   end

   -- forward and backward of one module on both devices
   local function check_module(name, make, base, gobase, view, tol, ty)
      local xc, xg = views(base, view, ty)
      local gc, gg = views(gobase, view, ty)
      local mc, mg = make():double(), make():type(ty or FT)
      local yc = mc:forward(xc):clone()
      local yg = mg:forward(xg)
      assert.is_true(close(yg, yc, tol), name .. ': forward')
      local gic = mc:backward(xc, gc):clone()
      local gig = mg:backward(xg, gg)
      assert.is_true(close(gig, gic, tol), name .. ': backward')
      assert.are.equal(torch.typename(xg), torch.typename(yg))
      assert.are.equal(torch.typename(xg), torch.typename(gig))
   end

   local activations = {
      { 'Tanh', function() return nn.Tanh() end },
      { 'Sigmoid', function() return nn.Sigmoid() end },
      { 'ReLU', function() return nn.ReLU() end },
      { 'ReLU in place', function() return nn.ReLU(true) end },
      { 'Threshold', function() return nn.Threshold(0.25, -2) end },
      { 'HardTanh', function() return nn.HardTanh(-0.5, 0.75) end },
      { 'LeakyReLU', function() return nn.LeakyReLU(0.1) end },
      { 'ELU', function() return nn.ELU(0.8) end },
      { 'SoftPlus', function() return nn.SoftPlus(2, 5) end },
      { 'SoftSign', function() return nn.SoftSign() end },
      { 'SoftShrink', function() return nn.SoftShrink(0.3) end },
      { 'HardShrink', function() return nn.HardShrink(0.3) end },
      { 'TanhShrink', function() return nn.TanhShrink() end },
      { 'LogSigmoid', function() return nn.LogSigmoid() end },
      { 'ReLU6', function() return nn.ReLU6() end },
      { 'Square', function() return nn.Square() end },
      { 'Abs', function() return nn.Abs() end },
      { 'Exp', function() return nn.Exp() end },
      { 'Sqrt', function() return nn.Sqrt() end, positive },
      { 'Log', function() return nn.Log() end, positive },
      { 'Power', function() return nn.Power(2.5) end, positive },
   }

   for _, a in ipairs(activations) do
      it(a[1] .. ' matches the CPU, forward and backward, on every layout', function()
         torch.manualSeed(11)
         for _, l in ipairs(layouts) do
            local x = (a[3] or randn)(9, 13)
            check_module(a[1] .. ' (' .. l[1] .. ')', a[2], x, randn(9, 13), l[2])
         end
      end)
   end

   it('activations run on CudaDoubleTensor in double precision', function()
      torch.manualSeed(12)
      for _, name in ipairs { 'Tanh', 'Sigmoid', 'ELU', 'SoftPlus' } do
         check_module(name, function() return nn[name]() end, randn(6, 7), randn(6, 7), layouts[2][2], 1e-12, DT)
      end
   end)

   for _, name in ipairs { 'SoftMax', 'LogSoftMax', 'SoftMin' } do
      it(name .. ' matches the CPU on 1D, 2D (every layout) and 3D inputs', function()
         torch.manualSeed(13)
         for _, l in ipairs(layouts) do
            check_module(name .. ' (' .. l[1] .. ')', function() return nn[name]() end, randn(17, 10), randn(17, 10), l[2])
         end
         local id = function(t) return t end
         check_module(name .. ' 1D', function() return nn[name]() end, randn(300), randn(300), id)
         check_module(name .. ' 3D', function() return nn[name]() end, randn(5, 4, 3), randn(5, 4, 3), id)
         check_module(name .. ' 4D', function() return nn[name]() end, randn(2, 5, 3, 2), randn(2, 5, 3, 2), id)
         check_module(name .. ' double', function() return nn[name]() end, randn(8, 700), randn(8, 700), id, 1e-12, DT)
      end)
   end

   describe('ClassNLLCriterion', function()
      local function logp(n, c)
         return nn.LogSoftMax():forward(randn(n, c)):float():double()
      end
      local function targets(n, c)
         local t = torch.LongTensor(n)
         for i = 1, n do t[i] = torch.random(1, c) end
         return t
      end
      local function check(name, crit, x, xg, t, tg, tol)
         local cc, cg = crit(), crit()
         cc:double()
         cg:type(torch.typename(xg))
         local lc = cc:forward(x, t)
         local lg = cg:forward(xg, tg)
         assert.is_true(close(lg, lc, tol), name .. ': loss ' .. lg .. ' vs ' .. lc)
         assert.is_true(close(cg.total_weight, cc.total_weight, tol), name .. ': total weight')
         local gc = cc:backward(x, t):clone()
         local gg = cg:backward(xg, tg)
         assert.is_true(close(gg, gc, tol), name .. ': gradInput')
      end

      it('matches the CPU with CUDA and CPU targets, weights, ignoreIndex, sizeAverage', function()
         torch.manualSeed(14)
         local x, t = logp(33, 7), targets(33, 7)
         local w = positive(7)
         t[3], t[9] = 2, 2
         local xg = x:type(FT)
         check('plain', function() return nn.ClassNLLCriterion() end, x, xg, t, t:type(LT))
         check('CPU targets', function() return nn.ClassNLLCriterion() end, x, xg, t, t)
         check('weights', function() return nn.ClassNLLCriterion(w:clone()) end, x, xg, t, t:type(LT))
         check('sum', function() return nn.ClassNLLCriterion(w:clone(), false) end, x, xg, t, t)
         check('ignoreIndex', function() return nn.ClassNLLCriterion(w:clone(), true, 2) end, x, xg, t, t:type(LT))
         check('double', function() return nn.ClassNLLCriterion(w:clone()) end, x, x:type(DT), t, t, 1e-12)
      end)

      it('takes non-contiguous inputs, 1D inputs and number targets', function()
         torch.manualSeed(15)
         local base = logp(6, 20)
         local x = base:t()   -- 20 x 6, non-contiguous
         local xg = base:type(FT):t()
         local t = targets(20, 6)
         local w = positive(6)
         check('transposed', function() return nn.ClassNLLCriterion(w:clone()) end, x, xg, t, t:type(LT))
         local x1 = logp(1, 9)[1]
         check('1D', function() return nn.ClassNLLCriterion() end, x1, x1:type(FT), 4, 4)
      end)

      it('an out-of-range target is an error naming it', function()
         local x = logp(4, 5):type(FT)
         local t = torch.LongTensor { 1, 2, 9, 3 }
         local c = nn.ClassNLLCriterion():type(FT)
         assert.has_error(function() c:forward(x, t:type(LT)) end,
            'nn.ClassNLLCriterion: target 9 is out of range for 5 classes (targets are 1..5)')
      end)
   end)

   describe('pointwise criterions', function()
      local function probs(...) return data(function(t) return t:uniform(0.05, 0.95) end, ...) end
      local function signs(...) return data(function(t) return t:bernoulli(0.5):mul(2):add(-1) end, ...) end
      local crits = {
         { 'MSECriterion', randn, randn },
         { 'AbsCriterion', randn, randn },
         { 'SmoothL1Criterion', randn, randn },
         { 'BCECriterion', probs, probs },
         { 'DistKLDivCriterion', function(...) return probs(...):log() end, probs },
         { 'SoftMarginCriterion', randn, signs },
      }
      for _, c in ipairs(crits) do
         it(c[1] .. ' matches the CPU, loss and gradient, on every layout, averaged or summed', function()
            torch.manualSeed(16)
            for _, l in ipairs(layouts) do
               for _, avg in ipairs { true, false } do
                  local x, y = c[2](10, 12), c[3](10, 12)
                  local xc, xg = views(x, l[2])
                  local yc, yg = views(y, l[2])
                  local cc, cg = nn[c[1]](), nn[c[1]]()
                  cc.sizeAverage, cg.sizeAverage = avg, avg
                  cc:double()
                  cg:type(FT)
                  local what = c[1] .. ' (' .. l[1] .. (avg and ', averaged)' or ', summed)')
                  local lc, lg = cc:forward(xc, yc), cg:forward(xg, yg)
                  assert.is_true(close(lg, lc), what .. ': loss ' .. lg .. ' vs ' .. lc)
                  local gc = cc:backward(xc, yc):clone()
                  assert.is_true(close(cg:backward(xg, yg), gc), what .. ': gradient')
               end
            end
         end)
      end

      it('BCECriterion with weights (one per feature, expanded) matches the CPU', function()
         torch.manualSeed(17)
         local x, y, w = probs(8, 5), probs(8, 5), positive(5)
         local cc, cg = nn.BCECriterion(w:clone()), nn.BCECriterion(w:clone())
         cc:double()
         cg:type(FT)
         assert.is_true(close(cg:forward(x:type(FT), y:type(FT)), cc:forward(x, y)))
         assert.is_true(close(cg:backward(x:type(FT), y:type(FT)), cc:backward(x, y)))
      end)
   end)

   it('an MLP trained 20 SGD steps on the GPU follows the CPU', function()
      torch.manualSeed(18)
      local function model()
         return nn.Sequential():add(nn.Linear(20, 16)):add(nn.Tanh()):add(nn.Linear(16, 4)):add(nn.LogSoftMax())
      end
      local mc = model():double()
      -- float-exact weights, so that both start from one point
      local pc, gc = mc:getParameters()
      pc:copy(pc:float():double())
      local mg = mc:clone():type(FT)
      local pg, gg = mg:getParameters()
      local cc, cg = nn.ClassNLLCriterion():double(), nn.ClassNLLCriterion():type(FT)
      local x = randn(32, 20)
      local t = torch.LongTensor(32)
      for i = 1, 32 do t[i] = (i % 4) + 1 end
      local xg, tg = x:type(FT), t:type(LT)
      local function step(m, c, p, g, input, target)
         g:zero()
         local out = m:forward(input)
         local loss = c:forward(out, target)
         m:backward(input, c:backward(out, target))
         p:add(-0.2, g)
         return loss
      end
      local first, last
      for i = 1, 20 do
         local lc = step(mc, cc, pc, gc, x, t)
         local lg = step(mg, cg, pg, gg, xg, tg)
         assert.is_true(close(lg, lc, 1e-4), 'step ' .. i .. ': loss ' .. lg .. ' vs ' .. lc)
         first, last = first or lc, lc
      end
      assert.is_true(last < first, 'the loss went down')
      assert.are.equal(FT, torch.typename(pg))
      assert.is_true(close(pg, pc, 1e-4), 'parameters after 20 steps')
   end)

   it('model:cuda() and criterion:cuda() convert every tensor', function()
      if as_cpu then return pending('needs cunn: :cuda() itself') end
      local m = nn.Sequential():add(nn.Linear(5, 3)):add(nn.ReLU()):add(nn.LogSoftMax()):cuda()
      assert.are.equal('torch.CudaTensor', torch.typename(m.modules[1].weight))
      assert.are.equal('torch.CudaTensor', torch.typename(m.modules[1].gradWeight))
      local c = nn.ClassNLLCriterion(torch.ones(3)):cuda()
      local x = torch.randn(4, 5):cuda()
      local out = m:forward(x)
      assert.are.equal('torch.CudaTensor', torch.typename(out))
      local mc = m:clone():double()
      local expect = nn.ClassNLLCriterion(torch.ones(3)):forward(mc:forward(x:double()), torch.LongTensor { 1, 3, 2, 2 })
      -- targets as a CPU LongTensor, a CudaLongTensor, or a CudaTensor of indices (Torch7's cunn)
      for _, t in ipairs { torch.LongTensor { 1, 3, 2, 2 }, torch.LongTensor { 1, 3, 2, 2 }:cudaLong(),
                           torch.Tensor { 1, 3, 2, 2 }:cuda() } do
         assert.is_true(close(c:forward(out, t), expect), torch.typename(t))
         assert.are.equal('torch.CudaTensor', torch.typename(c:backward(out, t)))
      end
      m:backward(x, c:backward(out, torch.LongTensor { 1, 3, 2, 2 }))
      assert.are.equal('torch.CudaTensor', torch.typename(m.gradInput))
   end)
end)

-- nn.StochasticGradient, nn.Jacobian's whole API, nn.SparseJacobian,
-- nn.hessian (run in a child process: enable() changes the classes) and
-- getParameters() after the model changed.
local spec = require 'tests.helper'
local torch = require 'torch'
local nn = require 'nn'

local function dataset(n)
   local d = {}
   for i = 1, n do d[i] = { torch.Tensor { i / n, 1 - i / n }, torch.Tensor { 2 * i / n } } end
   function d:size() return n end
   return d
end

describe('nn.StochasticGradient', function()
   it('runs per-example SGD in order when shuffleIndices is false, as a hand-written loop', function()
      torch.manualSeed(3)
      local net = nn.Linear(2, 1)
      local ref = net:clone()
      local crit = nn.MSECriterion()
      local t = nn.StochasticGradient(net, crit)
      t.learningRate, t.maxIteration, t.shuffleIndices, t.verbose = 0.1, 3, false, false
      local errors = {}
      t.hookIteration = function(self, it, err) errors[it] = err end
      local d = dataset(5)
      local printed = {}
      local p = _G.print
      _G.print = function(s) printed[#printed + 1] = s end
      t:train(d)
      _G.print = p
      -- reference: epoch k uses rate 0.1 (no decay)
      for epoch = 1, 3 do
         local total = 0
         for i = 1, 5 do
            local out = ref:forward(d[i][1])
            total = total + (out[1] - d[i][2][1]) ^ 2
            local g = 2 * (out[1] - d[i][2][1])
            ref.weight:add(-0.1 * g, d[i][1]:view(1, 2))
            ref.bias:add(-0.1 * g)
         end
         assert.is_near(total / 5, errors[epoch], 1e-12)
      end
      assert.is_true(spec.close(net.weight, ref.weight, 1e-12))
      assert.is_true(spec.close(net.bias, ref.bias, 1e-12))
      assert.are.same({ '# StochasticGradient: training',
         '# StochasticGradient: you have reached the maximum number of iterations',
         '# training error = ' .. errors[3] }, printed)
   end)

   it('prints the current error each epoch when verbose, and the decayed rate follows Torch7', function()
      torch.manualSeed(4)
      local net = nn.Linear(2, 1)
      local t = nn.StochasticGradient(net, nn.MSECriterion())
      t.maxIteration, t.learningRateDecay = 2, 0.5
      local printed = {}
      local p = _G.print
      _G.print = function(s) printed[#printed + 1] = s end
      t:train(dataset(4))
      _G.print = p
      assert.are.equal(5, #printed)
      assert.is_truthy(printed[2]:match('^# current error = [%d%.e%-]+$'))
      assert.is_truthy(printed[3]:match('^# current error = '))
   end)

   it('rejects a dataset without size() and examples that are not tables', function()
      local t = nn.StochasticGradient(nn.Linear(2, 1), nn.MSECriterion())
      t.verbose = false
      local ok, err = pcall(t.train, t, { { torch.Tensor(2), torch.Tensor(1) } })
      assert.is_false(ok)
      assert.is_truthy(err:match('size%(%) method'))
      local d = { torch.Tensor(2) }
      function d:size() return 1 end
      local p = _G.print
      _G.print = function() end
      ok, err = pcall(t.train, t, d)
      _G.print = p
      assert.is_false(ok)
      assert.is_truthy(err:match('dataset%[1%] is a torch.DoubleTensor'))
      assert.has_error(function() nn.StochasticGradient(nn.MSECriterion(), nn.Linear(2, 1)) end)
   end)
end)

describe('nn.Jacobian', function()
   it('backward and forward agree for Linear; the Jacobian is W transposed', function()
      torch.manualSeed(5)
      local m = nn.Linear(3, 2)
      local x = torch.randn(3)
      local jb = nn.Jacobian.backward(m, x)
      local jf = nn.Jacobian.forward(m, x)
      assert.are.same({ 3, 2 }, jb:size():totable())
      assert.is_true(spec.close(jb, m.weight:t(), 1e-12))
      assert.is_true(spec.close(jf, m.weight:t(), 1e-8))
      assert.is_true(nn.Jacobian.testJacobian(m, torch.Tensor(4, 3)) < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, torch.Tensor(4, 3), m.weight, m.gradWeight) < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, torch.Tensor(4, 3), m.bias, m.gradBias) < 1e-6)
   end)

   it('backwardUpdate and forwardUpdate: param minus the output derivative', function()
      torch.manualSeed(6)
      local m = nn.Linear(2, 2)
      local x = torch.Tensor { 0.5, -1 }
      local w = m.weight:clone()
      local ju = nn.Jacobian.backwardUpdate(m, x, m.weight)
      -- column i: weight after subtracting d out_i / d weight = e_i x^T
      for i = 1, 2 do
         local want = w:clone()
         want[i]:add(-1, x)
         assert.is_true(spec.close(ju:select(2, i), want:view(4), 1e-12))
      end
      assert.is_true(spec.close(m.weight, w, 0))
      assert.is_true(spec.close(nn.Jacobian.forwardUpdate(m, x, m.weight), ju, 1e-8))
      assert.is_true(nn.Jacobian.testJacobianUpdateParameters(m, torch.Tensor(3, 2), m.weight) < 1e-6)
   end)

   it('testIO round-trips through a file; testAllUpdate reports four near-zero errors', function()
      torch.manualSeed(7)
      local m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh())
      local ef, eb = nn.Jacobian.testIO(m, torch.randn(2, 3))
      assert.are.equal(0, ef)
      assert.are.equal(0, eb)
      local errs = nn.Jacobian.testAllUpdate(nn.Linear(3, 2), torch.randn(4, 3), 'weight', 'gradWeight')
      local n = 0
      for k, v in pairs(errs) do
         n = n + 1
         assert.is_true(v < 1e-12, k .. ' ' .. v)
      end
      assert.are.equal(4, n)
   end)

   it('finds a wrong gradient', function()
      local Bad, parent = torch.class('nn.JacobianSpecBad', 'nn.Module')
      function Bad:updateOutput(x) self.output:resizeAs(x):copy(x):mul(2); return self.output end
      function Bad:updateGradInput(x, g) self.gradInput:resizeAs(g):copy(g):mul(3); return self.gradInput end
      local err = nn.Jacobian.testJacobian(nn.JacobianSpecBad(), torch.Tensor(3))
      assert.is_near(1, err, 1e-6)
   end)

   it('errors clearly on a non-contiguous parameter and a missing tensor', function()
      local m = nn.Linear(3, 3)
      local ok, err = pcall(nn.Jacobian.forward, m, torch.randn(3), m.weight:t())
      assert.is_false(ok)
      assert.is_truthy(err:match('nn.Jacobian.forward: expected a contiguous tensor'))
      ok, err = pcall(nn.Jacobian.testJacobian, m, { torch.randn(3) })
      assert.is_false(ok)
      assert.is_truthy(err:match('nn.Jacobian.testJacobian: input must be a tensor, got table'))
   end)
end)

-- a sparse linear map written for the spec: input nnz x 2 (index, value)
local SpLin, parent = torch.class('nn.TrainersSpecSparse', 'nn.Module')
function SpLin:__init(nin, nout)
   parent.__init(self)
   self.weight = torch.randn(nout, nin)
   self.bias = torch.randn(nout)
   self.gradWeight = torch.zeros(nout, nin)
   self.gradBias = torch.zeros(nout)
end
function SpLin:updateOutput(x)
   self.output:resize(self.bias:size(1)):copy(self.bias)
   for r = 1, x:size(1) do self.output:add(x[r][2], self.weight:select(2, x[r][1])) end
   return self.output
end
function SpLin:updateGradInput(x, g)
   self.gradInput:resizeAs(x):copy(x)
   for r = 1, x:size(1) do self.gradInput[r][2] = self.weight:select(2, x[r][1]):dot(g) end
   return self.gradInput
end
function SpLin:accGradParameters(x, g, scale)
   scale = scale or 1
   for r = 1, x:size(1) do self.gradWeight:select(2, x[r][1]):add(scale * x[r][2], g) end
   self.gradBias:add(scale, g)
end

describe('nn.SparseJacobian', function()
   it('checks derivatives with respect to the values of a sparse input and the parameters', function()
      torch.manualSeed(8)
      local m = nn.TrainersSpecSparse(5, 3)
      local x = torch.Tensor { { 2, 0.5 }, { 5, -1 }, { 1, 0.25 } }
      local jb = nn.SparseJacobian.backward(m, x)
      assert.are.same({ 3, 3 }, jb:size():totable())
      assert.is_true(spec.close(jb[2], m.weight:select(2, 5), 1e-12))
      assert.is_true(nn.SparseJacobian.testJacobian(m, x) < 1e-6)
      assert.is_true(nn.SparseJacobian.testJacobianParameters(m, x, m.weight, m.gradWeight) < 1e-6)
      assert.is_true(nn.SparseJacobian.testJacobianUpdateParameters(m, x, m.bias) < 1e-6)
      -- the indices are untouched
      assert.are.same({ 2, 5, 1 }, x:select(2, 1):totable())
      local ok, err = pcall(nn.SparseJacobian.testJacobian, m, torch.randn(3, 3))
      assert.is_false(ok)
      assert.is_truthy(err:match('expected a sparse input of size nnz x 2'))
   end)
end)

describe('nn.hessian', function()
   it('computes the diagonal Hessian of Linear-Tanh-Linear under MSE by hand, and the tests agree', function()
      local out, rc = spec.run_nnlua([[-e "
         require 'nn'
         nn.hessian.enable()
         torch.manualSeed(9)
         local l1, l2 = nn.Linear(3, 4), nn.Linear(4, 2)
         local net = nn.Sequential():add(l1):add(nn.Tanh()):add(l2)
         net:initDiagHessianParameters()
         local x = torch.randn(3)
         local t = torch.randn(2)
         local crit = nn.MSECriterion()
         crit:forward(net:forward(x), t)
         local dho = crit:updateDiagHessianInput(net.output, t)
         net:updateDiagHessianInput(x, dho)
         net:accDiagHessianParameters(x, dho)
         -- by hand
         local h2 = torch.Tensor(2):fill(2 / 2)
         local hin2 = torch.mv(torch.cmul(l2.weight, l2.weight):t(), h2)
         local dt = torch.tanh(l1.output):pow(2):mul(-1):add(1)
         local hin_t = torch.cmul(torch.cmul(dt, dt), hin2)
         local hin1 = torch.mv(torch.cmul(l1.weight, l1.weight):t(), hin_t)
         local hw2 = torch.ger(h2, torch.cmul(net.modules[2].output, net.modules[2].output))
         local hw1 = torch.ger(hin_t, torch.cmul(x, x))
         print(string.format('%.3g %.3g %.3g %.3g %.3g',
            (net.diagHessianInput - hin1):abs():max(), (l2.diagHessianWeight - hw2):abs():max(),
            (l1.diagHessianWeight - hw1):abs():max(), (l1.diagHessianBias - hin_t):abs():max(),
            (l2.diagHessianBias - h2):abs():max()))
         local p, g, h = net:getParameters()
         print(p:nElement(), g:nElement(), h:nElement())
         print(nn.Jacobian.testDiagHessianInput(nn.Linear(3, 2), torch.Tensor(4, 3)) < 1e-10,
               nn.Jacobian.testDiagHessianWeight(nn.Linear(3, 2), torch.Tensor(4, 3)) < 1e-10,
               nn.Jacobian.testDiagHessianBias(nn.Linear(3, 2), torch.Tensor(4, 3)) < 1e-10,
               nn.Jacobian.testDiagHessianWeight(nn.SpatialConvolution(2, 3, 3, 3), torch.Tensor(2, 5, 5)) < 1e-10)
         print(pcall(function() nn.ReLU():updateDiagHessianInput(x, x) end))
      "]])
      assert.are.equal(0, rc, out)
      local lines = {}
      for l in out:gmatch('[^\n]+') do lines[#lines + 1] = l end
      assert.are.equal('0 0 0 0 0', lines[1])
      assert.are.equal('26\t26\t26', lines[2])
      assert.are.equal('true\ttrue\ttrue\ttrue', lines[3])
      assert.is_truthy(lines[4]:match('^false\t.*nn.ReLU:updateDiagHessianInput%(%) is undefined'))
   end)
end)

describe('getParameters after the model changed', function()
   it('flattens again as Torch7 does, keeping every value; the new flat tensor aliases the model', function()
      torch.manualSeed(10)
      local net = nn.Sequential():add(nn.Linear(3, 2))
      local p1 = net:getParameters()
      local w = net.modules[1].weight:clone()
      net:add(nn.Tanh()):add(nn.Linear(2, 4))
      local p2, g2 = net:getParameters()
      assert.are.equal(8, p1:nElement())
      assert.are.equal(8 + 12, p2:nElement())
      assert.are.equal(p2:nElement(), g2:nElement())
      assert.is_true(spec.close(net.modules[1].weight, w, 0))
      p2:fill(0.5)
      assert.are.equal(0.5, net.modules[3].weight[4][2])
      assert.are.equal(0.5, net.modules[1].bias[2])
      -- called again on an unchanged model, the same storage comes back
      local p3 = net:getParameters()
      assert.is_true(torch.pointer(p3:storage()) == torch.pointer(p2:storage()) or p3:storage() == p2:storage())
   end)
end)

describe('nn.GPU', function()
   it('runs the module as it is on the CPU, with gradients, and checks its arguments', function()
      torch.manualSeed(11)
      local lin = nn.Linear(3, 2)
      local g = nn.GPU(lin:clone(), 1)
      local x, go = torch.randn(4, 3), torch.randn(4, 2)
      assert.is_true(spec.close(g:forward(x), lin:forward(x), 0))
      assert.is_true(spec.close(g:backward(x, go), lin:backward(x, go), 0))
      local err = nn.Jacobian.testJacobian(nn.GPU(nn.Tanh(), 2), torch.Tensor(3, 2))
      assert.is_true(err < 1e-6)
      assert.are.equal(2, nn.GPU(nn.Tanh(), 2).device)
      assert.is_truthy(tostring(g):match('^nn.GPU%(1%) @ nn.Linear'))
      assert.has_error(function() nn.GPU(nn.Tanh()) end)
      assert.has_error(function() nn.GPU(3, 1) end)
   end)
end)

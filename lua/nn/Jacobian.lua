-- nn.Jacobian: finite-difference checks of a module's gradients, Torch7's
-- API: testJacobian(module, input [, minval, maxval, perturbation]),
-- testJacobianParameters(module, input, param, dparam, ...),
-- testJacobianUpdateParameters(module, input, param, ...), testIO(module,
-- input). Each returns the largest absolute difference between the
-- backward-computed and the central-difference Jacobian.
local torch = require 'torch'
local nn = require 'nn'

local Jacobian = {}
nn.Jacobian = Jacobian

local function flat(t) return t:view(t:nElement()) end

-- The Jacobian d output / d x by backward: one backward per output unit.
function Jacobian.backward(module, input, param, dparam)
   local doparam = param ~= nil
   param = param or input
   local dout = module.output.new():resizeAs(module.output)
   local sdout = flat(dout)
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   for i = 1, sdout:nElement() do
      dout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      if doparam then jacobian:select(2, i):copy(flat(dparam:contiguous()))
      else jacobian:select(2, i):copy(flat(din:contiguous())) end
   end
   return jacobian
end

-- The Jacobian by central differences on x (the input or a parameter).
function Jacobian.forward(module, input, param, perturbation)
   param = param or input
   perturbation = perturbation or 1e-6
   local sin = flat(param)
   local out = module:forward(input)
   local jacobian = torch.Tensor(sin:nElement(), out:nElement())
   for i = 1, sin:nElement() do
      local orig = sin[i]
      sin[i] = orig - perturbation
      local o1 = flat(module:forward(input):contiguous()):clone()
      sin[i] = orig + perturbation
      local o2 = flat(module:forward(input):contiguous()):clone()
      sin[i] = orig
      jacobian:select(1, i):copy(o2:add(-1, o1):div(2 * perturbation))
   end
   return jacobian
end

local function fill(input, minval, maxval)
   if minval then input:uniform(minval, maxval) end
end

function Jacobian.testJacobian(module, input, minval, maxval, perturbation)
   fill(input, minval or -2, maxval or 2)
   module:forward(input)
   local jb = Jacobian.backward(module, input)
   local jf = Jacobian.forward(module, input, nil, perturbation)
   return (jf - jb):abs():max()
end

function Jacobian.testJacobianParameters(module, input, param, dparam, minval, maxval, perturbation)
   fill(input, minval or -2, maxval or 2)
   fill(param, minval or -2, maxval or 2)
   module:forward(input)
   local jb = Jacobian.backward(module, input, param, dparam)
   local jf = Jacobian.forward(module, input, param, perturbation)
   return (jf - jb):abs():max()
end

-- accUpdateGradParameters(lr) must move the parameters by -lr * gradient
function Jacobian.testJacobianUpdateParameters(module, input, param, minval, maxval)
   fill(input, minval or -2, maxval or 2)
   fill(param, minval or -2, maxval or 2)
   local before = param:clone()
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output):fill(1)
   module:zeroGradParameters()
   module:updateGradInput(input, dout)
   module:accGradParameters(input, dout)
   local _, grads = module:parameters()
   local expected = {}
   for i, g in ipairs(grads or {}) do expected[i] = g:clone() end
   param:copy(before)
   module:forward(input)
   module:updateGradInput(input, dout)
   module:accUpdateGradParameters(input, dout, 1)
   local ps = module:parameters()
   local worst = 0
   for i, p in ipairs(ps or {}) do
      if p:storage() == param:storage() then
         local want = before:clone():add(-1, expected[i])
         worst = math.max(worst, (p - want):abs():max())
      end
   end
   return worst
end

-- forward and backward give the same results twice and after a clone
function Jacobian.testIO(module, input, minval, maxval)
   fill(input, minval or -2, maxval or 2)
   local out = module:forward(input):clone()
   local dout = out.new():resizeAs(out):uniform(-1, 1)
   local din = module:backward(input, dout):clone()
   local m2 = module:clone()
   local out2 = m2:forward(input)
   local din2 = m2:backward(input, dout)
   return (out - out2):abs():max(), (din - din2):abs():max()
end

return Jacobian

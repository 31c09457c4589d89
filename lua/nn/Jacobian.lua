-- nn.Jacobian: finite-difference checks of a module's derivatives, with
-- Torch7's functions, argument orders and return values:
--
--   backward(module, input [, param, dparam])     d output / d (input|param) by backprop
--   forward(module, input [, param, perturbation]) the same by central differences
--   backwardUpdate(module, input, param)          param after accUpdateGradParameters(e_i, 1)
--   forwardUpdate(module, input, param [, pert])  param - d output_i / d param, by differences
--   backwardDiagHessian(module, input, name)      diagonal Hessian of sum(y^2)/2 (nn.hessian)
--   linearModuleDiagHessian(module, input, gradName)  the same from first derivatives
--   testJacobian(module, input [, minval, maxval, perturbation])
--   testJacobianParameters(module, input, param, dparam [, minval, maxval, perturbation])
--   testJacobianUpdateParameters(module, input, param [, minval, maxval, perturbation])
--   testDiagHessianInput/Weight/Bias(module, input [, minval, maxval])
--   testIO(module, input [, minval, maxval])       forward/backward equal after a save/load
--   testAllUpdate(module, input, weightName, gradWeightName)  table of errors per update path
--
-- Each test fills its input (and param) with values uniform in
-- [minval, maxval] (default [-2, 2]) and returns the largest absolute
-- difference (testIO: two, forward and backward; testAllUpdate: a table).
-- A Jacobian has one row per input (or parameter) element and one column
-- per output element.
local torch = require 'torch'
local nn = require 'nn'

local Jacobian = {}
nn.Jacobian = Jacobian

-- a 1-D view sharing x's elements (x must be contiguous to be perturbed)
local function flat(x, fname)
   if not x:isContiguous() then
      error(string.format('nn.Jacobian.%s: expected a contiguous tensor (got size %s with strides %s)', fname,
         table.concat(x:size():totable(), 'x'), table.concat(x:stride():totable(), ',')), 3)
   end
   return x:view(x:nElement())
end

local function check_tensor(x, what, fname)
   if not torch.isTensor(x) then
      error(string.format('nn.Jacobian.%s: %s must be a tensor, got %s', fname, what, torch.type(x)), 3)
   end
end

-- fills x (any shape) with values uniform in [minval, maxval], drawing as
-- Torch7 does (one torch.rand of x's size)
local function fill(x, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   local r = torch.rand(x:nElement()):mul(maxval - minval):add(minval)
   x:copy(r:viewAs(x))
end

-- d output / d x by backprop: column i is the gradient for output unit i
function Jacobian.backward(module, input, param, dparam)
   check_tensor(input, 'input', 'backward')
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output):zero()
   local sdout = dout:view(dout:nElement())
   local n = param and param:nElement() or input:nElement()
   local jacobian = torch.Tensor(n, dout:nElement()):zero()
   for i = 1, sdout:nElement() do
      sdout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      local col = param and dparam or din
      jacobian:select(2, i):copy(col:contiguous():view(col:nElement()))
   end
   return jacobian
end

-- column i: the parameters after one accUpdateGradParameters(input, e_i, 1)
function Jacobian.backwardUpdate(module, input, param)
   check_tensor(param, 'param', 'backwardUpdate')
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output):zero()
   local sdout = dout:view(dout:nElement())
   local jacobian = torch.Tensor(param:nElement(), dout:nElement()):zero()
   local params = module:parameters() or {}
   local saved = {}
   for j = 1, #params do saved[j] = params[j]:clone() end
   for i = 1, sdout:nElement() do
      for j = 1, #params do params[j]:copy(saved[j]) end
      sdout:zero()
      sdout[i] = 1
      module:updateGradInput(input, dout)
      module:accUpdateGradParameters(input, dout, 1)
      jacobian:select(2, i):copy(param:contiguous():view(param:nElement()))
   end
   for j = 1, #params do params[j]:copy(saved[j]) end
   return jacobian
end

-- d output / d x by central differences: row i for element i of x
local function differences(module, input, x, perturbation, fname)
   perturbation = perturbation or 1e-6
   local sin = flat(x, fname)
   local nout = module:forward(input):nElement()
   local jacobian = torch.Tensor(sin:nElement(), nout)
   local outa, outb = torch.Tensor(nout), torch.Tensor(nout)
   for i = 1, sin:nElement() do
      local orig = sin[i]
      sin[i] = orig - perturbation
      local o = module:forward(input)
      outa:copy(o:contiguous():view(nout))
      sin[i] = orig + perturbation
      o = module:forward(input)
      outb:copy(o:contiguous():view(nout))
      sin[i] = orig
      jacobian:select(1, i):copy(outb:add(-1, outa):div(2 * perturbation))
   end
   return jacobian, sin
end

function Jacobian.forward(module, input, param, perturbation)
   check_tensor(input, 'input', 'forward')
   return (differences(module, input, param or input, perturbation, 'forward'))
end

-- row i: param_i - d output / d param_i (what backwardUpdate computes)
function Jacobian.forwardUpdate(module, input, param, perturbation)
   check_tensor(param, 'param', 'forwardUpdate')
   local jacobian, sin = differences(module, input, param, perturbation, 'forwardUpdate')
   for i = 1, sin:nElement() do
      jacobian:select(1, i):mul(-1):add(sin[i])
   end
   return jacobian
end

-- The diagonal Hessian of F = sum_k y_k^2 / 2 (so d2F/dy2 = 1) with respect
-- to the input or a parameter, by the diagonal-Hessian backprop of
-- nn.hessian (call nn.hessian.enable() and module:initDiagHessianParameters()).
function Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   if not module.updateDiagHessianInput then
      error('nn.Jacobian.backwardDiagHessian: ' .. torch.typename(module)
         .. ' has no diagonal-Hessian methods; call nn.hessian.enable() first', 2)
   end
   module:forward(input)
   local ones = module.output.new():resizeAs(module.output):fill(1)
   if module.diagHessianWeight then module.diagHessianWeight:zero() end
   if module.diagHessianBias then module.diagHessianBias:zero() end
   module:updateDiagHessianInput(input, ones)
   module:accDiagHessianParameters(input, ones)
   return module[diagHessianParamName]
end

-- The same diagonal Hessian for a module linear in its input and weights
-- (Linear, convolutions): sum over outputs of (d y_k / d x_i)^2.
function Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   local gradParam = module[gradParamName]
   if not torch.isTensor(gradParam) then
      error(string.format("nn.Jacobian.linearModuleDiagHessian: %s has no tensor field '%s'",
         torch.typename(module), tostring(gradParamName)), 2)
   end
   local diag
   module:forward(input)
   local gradOutput = module.output.new():resizeAs(module.output)
   local g1 = gradOutput:view(gradOutput:nElement())
   for i = 1, g1:nElement() do
      g1:zero()
      g1[i] = 1
      if module.gradWeight then module.gradWeight:zero() end
      if module.gradBias then module.gradBias:zero() end
      module:updateGradInput(input, gradOutput)
      module:accGradParameters(input, gradOutput)
      local g = module[gradParamName]
      g = g:contiguous():view(g:nElement())
      -- sized from the first backward (gradInput is empty before one)
      diag = diag or g.new():resize(g:nElement()):zero()
      diag:addcmul(g, g)
   end
   return diag
end

function Jacobian.testJacobian(module, input, minval, maxval, perturbation)
   check_tensor(input, 'input', 'testJacobian')
   fill(input, minval, maxval)
   local jf = Jacobian.forward(module, input, input, perturbation)
   local jb = Jacobian.backward(module, input)
   return (jf - jb):abs():max()
end

function Jacobian.testJacobianParameters(module, input, param, dparam, minval, maxval, perturbation)
   check_tensor(input, 'input', 'testJacobianParameters')
   check_tensor(param, 'param', 'testJacobianParameters')
   check_tensor(dparam, 'dparam', 'testJacobianParameters')
   fill(input, minval, maxval)
   fill(param, minval, maxval)
   local jb = Jacobian.backward(module, input, param, dparam)
   local jf = Jacobian.forward(module, input, param, perturbation)
   return (jf - jb):abs():max()
end

function Jacobian.testJacobianUpdateParameters(module, input, param, minval, maxval, perturbation)
   check_tensor(input, 'input', 'testJacobianUpdateParameters')
   check_tensor(param, 'param', 'testJacobianUpdateParameters')
   fill(input, minval, maxval)
   fill(param, minval, maxval)
   local pb = Jacobian.backwardUpdate(module, input, param)
   local pf = Jacobian.forwardUpdate(module, input, param, perturbation)
   return (pf - pb):abs():max()
end

function Jacobian.testDiagHessian(module, input, gradParamName, diagHessianParamName, minval, maxval)
   fill(input, minval, maxval)
   if not module.initDiagHessianParameters then
      error('nn.Jacobian.testDiagHessian: call nn.hessian.enable() first', 2)
   end
   module:initDiagHessianParameters()
   local hb = Jacobian.backwardDiagHessian(module, input, diagHessianParamName)
   hb = hb:contiguous():view(hb:nElement())
   local hl = Jacobian.linearModuleDiagHessian(module, input, gradParamName)
   return (hb - hl):abs():max()
end

function Jacobian.testDiagHessianInput(module, input, minval, maxval)
   return Jacobian.testDiagHessian(module, input, 'gradInput', 'diagHessianInput', minval, maxval)
end

function Jacobian.testDiagHessianWeight(module, input, minval, maxval)
   return Jacobian.testDiagHessian(module, input, 'gradWeight', 'diagHessianWeight', minval, maxval)
end

function Jacobian.testDiagHessianBias(module, input, minval, maxval)
   return Jacobian.testDiagHessian(module, input, 'gradBias', 'diagHessianBias', minval, maxval)
end

-- forward and backward give the same results after the module is written
-- to a file and read back (clearState must return the module itself)
function Jacobian.testIO(module, input, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   local input2 = input:clone()
   module:forward(input)
   local go = module.output:clone()
   fill(go, minval, maxval)
   local go2 = go:clone()
   module:zeroGradParameters()
   module:updateGradInput(input, go)
   module:accGradParameters(input, go)
   local fo, bo = module.output:clone(), module.gradInput:clone()
   if module:clearState() ~= module then
      error('nn.Jacobian.testIO: ' .. torch.typename(module) .. ':clearState() did not return the module', 2)
   end
   local filename = os.tmpname()
   local f = torch.DiskFile(filename, 'w'):binary()
   f:writeObject(module)
   f:close()
   f = torch.DiskFile(filename, 'r'):binary()
   local m = f:readObject()
   f:close()
   os.remove(filename)
   m:forward(input2)
   m:zeroGradParameters()
   m:updateGradInput(input2, go2)
   m:accGradParameters(input2, go2)
   local errf = (fo - m.output):abs():max()
   local errb = bo:nElement() == 0 and 0 or (bo - m.gradInput):abs():max()
   return errf, errb
end

-- The four ways parameters are updated agree: accGradParameters then
-- updateParameters, accUpdateGradParameters, and both with a second clone
-- sharing the weight (which then moves twice).
function Jacobian.testAllUpdate(module, input, weight, gradWeight)
   local lr = torch.uniform(0.1, 1)
   local errors = {}

   local m1 = module:clone()
   local w0 = m1[weight]:clone()
   m1:forward(input)
   local gradOutput = torch.rand(m1.output:size()):typeAs(m1.output)
   m1:zeroGradParameters()
   m1:updateGradInput(input, gradOutput)
   m1:accGradParameters(input, gradOutput)
   m1:updateParameters(lr)
   errors['accGradParameters'] = (w0 - m1[gradWeight] * lr - m1[weight]):norm()

   local m2 = module:clone()
   m2:forward(input)
   m2:updateGradInput(input, gradOutput)
   m2:accUpdateGradParameters(input, gradOutput, lr)
   errors['accUpdateGradParameters'] = (m2[weight] - m1[weight]):norm()

   local want = w0 - m1[gradWeight] * (2 * lr)
   local s1, s2 = module:clone(), module:clone()
   s2:share(s1, weight)
   for _, m in ipairs { s1, s2 } do m:forward(input) end
   for _, m in ipairs { s1, s2 } do m:zeroGradParameters() end
   for _, m in ipairs { s1, s2 } do m:updateGradInput(input, gradOutput) end
   for _, m in ipairs { s1, s2 } do m:accGradParameters(input, gradOutput) end
   for _, m in ipairs { s1, s2 } do m:updateParameters(lr) end
   errors['accGradParameters [shared]'] = (want - s1[weight]):norm() + (want - s2[weight]):norm()

   local u1, u2 = module:clone(), module:clone()
   u2:share(u1, weight)
   for _, m in ipairs { u1, u2 } do m:forward(input) end
   for _, m in ipairs { u1, u2 } do m:updateGradInput(input, gradOutput) end
   for _, m in ipairs { u1, u2 } do m:accUpdateGradParameters(input, gradOutput, lr) end
   errors['accUpdateGradParameters [shared]'] = (want - u1[weight]):norm() + (want - u2[weight]):norm()
   return errors
end

return Jacobian

-- nn.SparseJacobian: nn.Jacobian's checks for modules whose input is a
-- sparse nnz x 2 tensor of (index, value) rows (nn.SparseLinear): the
-- derivatives are taken with respect to the values (column 2) only, and the
-- module's gradInput holds them in its column 2. Same functions, argument
-- orders and return values as Torch7's nn.SparseJacobian.
local torch = require 'torch'
local nn = require 'nn'

local SparseJacobian = {}
nn.SparseJacobian = SparseJacobian

local function check_sparse(input, fname)
   if not torch.isTensor(input) or input:dim() ~= 2 or input:size(2) ~= 2 then
      local got = torch.isTensor(input) and table.concat(input:size():totable(), 'x') or torch.type(input)
      error(string.format('nn.SparseJacobian.%s: expected a sparse input of size nnz x 2 (index, value), got %s',
         fname, got), 3)
   end
end

local function fill_values(input, minval, maxval)
   minval = minval or -2
   maxval = maxval or 2
   input:select(2, 2):copy(torch.rand(input:size(1)):mul(maxval - minval):add(minval))
end

function SparseJacobian.backward(module, input, param, dparam)
   check_sparse(input, 'backward')
   module:forward(input)
   local dout = module.output.new():resizeAs(module.output):zero()
   local sdout = dout:view(dout:nElement())
   local jacobian = torch.Tensor(param and param:nElement() or input:size(1), dout:nElement()):zero()
   for i = 1, sdout:nElement() do
      sdout:zero()
      sdout[i] = 1
      module:zeroGradParameters()
      local din = module:updateGradInput(input, dout)
      module:accGradParameters(input, dout)
      local col = param and dparam:contiguous():view(dparam:nElement()) or din:select(2, 2)
      jacobian:select(2, i):copy(col)
   end
   return jacobian
end

function SparseJacobian.backwardUpdate(module, input, param)
   check_sparse(input, 'backwardUpdate')
   return nn.Jacobian.backwardUpdate(module, input, param)
end

-- central differences over x (the values column, or a parameter); row i for x_i
local function differences(module, input, x, transform)
   local small = 1e-6
   local nout = module:forward(input):nElement()
   local jacobian = torch.Tensor(x:nElement(), nout)
   local outa, outb = torch.Tensor(nout), torch.Tensor(nout)
   for i = 1, x:nElement() do
      local orig = x[i]
      x[i] = orig - small
      outa:copy(module:forward(input):contiguous():view(nout))
      x[i] = orig + small
      outb:copy(module:forward(input):contiguous():view(nout))
      x[i] = orig
      outb:add(-1, outa):div(2 * small)
      if transform then outb:mul(-1):add(orig) end
      jacobian:select(1, i):copy(outb)
   end
   return jacobian
end

function SparseJacobian.forward(module, input, param)
   check_sparse(input, 'forward')
   local x = param and param:view(param:nElement()) or input:select(2, 2)
   return differences(module, input, x)
end

function SparseJacobian.forwardUpdate(module, input, param)
   check_sparse(input, 'forwardUpdate')
   return differences(module, input, param:view(param:nElement()), true)
end

function SparseJacobian.testJacobian(module, input, minval, maxval)
   check_sparse(input, 'testJacobian')
   fill_values(input, minval, maxval)
   local jf = SparseJacobian.forward(module, input)
   local jb = SparseJacobian.backward(module, input)
   return (jf - jb):abs():max()
end

function SparseJacobian.testJacobianParameters(module, input, param, dparam, minval, maxval)
   check_sparse(input, 'testJacobianParameters')
   minval, maxval = minval or -2, maxval or 2
   fill_values(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval):viewAs(param))
   local jb = SparseJacobian.backward(module, input, param, dparam)
   local jf = SparseJacobian.forward(module, input, param)
   return (jf - jb):abs():max()
end

function SparseJacobian.testJacobianUpdateParameters(module, input, param, minval, maxval)
   check_sparse(input, 'testJacobianUpdateParameters')
   minval, maxval = minval or -2, maxval or 2
   fill_values(input, minval, maxval)
   param:copy(torch.rand(param:nElement()):mul(maxval - minval):add(minval):viewAs(param))
   local pb = SparseJacobian.backwardUpdate(module, input, param)
   local pf = SparseJacobian.forwardUpdate(module, input, param)
   return (pf - pb):abs():max()
end

function SparseJacobian.testIO(module, input, minval, maxval)
   check_sparse(input, 'testIO')
   return nn.Jacobian.testIO(module, input, minval, maxval)
end

function SparseJacobian.testAllUpdate(module, input, weight, gradWeight)
   check_sparse(input, 'testAllUpdate')
   return nn.Jacobian.testAllUpdate(module, input, weight, gradWeight)
end

return SparseJacobian

-- Shared argument checks for the optim algorithms: every algorithm names
-- itself in its messages ("optim.adagrad: ..."), raised at the user's line.
local torch = require 'torch'
local core = torch._core
local C, raise = core.C, core.raise

local util = {}

-- Checks (opfunc, x) and the config/state tables.
function util.check_args(name, opfunc, x, config, state)
   if type(opfunc) ~= 'function' then
      raise(string.format('optim.%s: expected a function as opfunc, got %s', name, type(opfunc)))
   end
   if not torch.isTensor(x) then
      raise(string.format('optim.%s: expected a tensor of parameters, got %s', name, torch.type(x)))
   end
   if config ~= nil and type(config) ~= 'table' then
      raise(string.format('optim.%s: config should be a table, got %s', name, type(config)))
   end
   if state ~= nil and type(state) ~= 'table' then
      raise(string.format('optim.%s: state should be a table, got %s', name, type(state)))
   end
end

-- Calls opfunc(x) and checks that it returned f (a number) and df/dx (a
-- tensor with as many elements as x).
function util.eval(name, opfunc, x)
   local fx, dfdx = opfunc(x)
   if not torch.isTensor(dfdx) then
      raise(string.format('optim.%s: opfunc must return f, df/dx (a tensor), got %s', name, torch.type(dfdx)))
   end
   if dfdx:nElement() ~= x:nElement() then
      raise(string.format('optim.%s: df/dx has %d elements, the parameters %d', name, dfdx:nElement(), x:nElement()))
   end
   return fx, dfdx
end

-- True when the fused C update op ('nl_adagrad_step') applies: x's device
-- serves it (nl_supports), float or double, contiguous, the same type,
-- device and size for every tensor given.
function util.fusable(op, x, ...)
   if (x._dtype ~= C.NL_FLOAT and x._dtype ~= C.NL_DOUBLE) or not x:isContiguous() then
      return false
   end
   local n = x:nElement()
   for i = 1, select('#', ...) do
      local t = select(i, ...)
      if not t or t._device ~= x._device or t._dtype ~= x._dtype or not t:isContiguous() or t:nElement() ~= n then
         return false
      end
   end
   return C.nl_supports(x, op) ~= 0
end

-- A zero tensor of x's type with dfdx's sizes (Torch7's
-- torch.Tensor():typeAs(x):resizeAs(dfdx):zero()).
function util.zeros_like(x, dfdx)
   return x.new():resizeAs(dfdx):zero()
end

return util

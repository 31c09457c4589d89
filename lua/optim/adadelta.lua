-- optim.adadelta (Zeiler 2012), Torch7's formulas and state:
-- config: rho (0.9), eps (1e-6); state: evalCounter, paramVariance,
-- paramStd, delta, accDelta.
--   var = rho var + (1-rho) g^2
--   delta = sqrt(accDelta + eps) / sqrt(var + eps) * g;  x -= delta
--   accDelta = rho accDelta + (1-rho) delta^2
local torch = require 'torch'
local util = require 'optim._util'

local function adadelta(opfunc, x, config, state)
   util.check_args('adadelta', opfunc, x, config, state)
   -- Torch7 said so on stdout when called with neither table
   if config == nil and state == nil then print('no state table, ADADELTA initializing') end
   config = config or {}
   state = state or config
   local rho = config.rho or 0.9
   local eps = config.eps or 1e-6
   state.evalCounter = state.evalCounter or 0

   local fx, dfdx = util.eval('adadelta', opfunc, x)
   if not state.paramVariance then
      state.paramVariance = util.zeros_like(x, dfdx)
      state.paramStd = util.zeros_like(x, dfdx)
      state.delta = util.zeros_like(x, dfdx)
      state.accDelta = util.zeros_like(x, dfdx)
   end
   state.paramVariance:mul(rho):addcmul(1 - rho, dfdx, dfdx)
   state.paramStd:resizeAs(state.paramVariance):copy(state.paramVariance):add(eps):sqrt()
   state.delta:resizeAs(state.paramVariance):copy(state.accDelta):add(eps):sqrt():cdiv(state.paramStd):cmul(dfdx)
   x:add(-1, state.delta)
   state.accDelta:mul(rho):addcmul(1 - rho, state.delta, state.delta)
   state.evalCounter = state.evalCounter + 1
   return x, { fx }
end

return adadelta

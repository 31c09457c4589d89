-- optim.rmsprop (Tieleman & Hinton), Torch7's formulas and state:
-- config: learningRate (1e-2), alpha (0.99), epsilon (1e-8); state: m.
--   m = alpha m + (1-alpha) g^2;  x -= lr * g / (sqrt(m) + epsilon)
-- One fused C pass for contiguous float/double parameters.
local torch = require 'torch'
local core = torch._core
local C, check = core.C, core.check
local util = require 'optim._util'

local function rmsprop(opfunc, x, config, state)
   util.check_args('rmsprop', opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-2
   local alpha = config.alpha or 0.99
   local epsilon = config.epsilon or 1e-8

   local fx, dfdx = util.eval('rmsprop', opfunc, x)
   state.m = state.m or util.zeros_like(x, dfdx)
   if util.fusable('nl_rmsprop_step', x, dfdx, state.m) then
      check(C.nl_rmsprop_step(x, dfdx, state.m, lr, alpha, epsilon))
   else
      state.tmp = state.tmp or x.new():resizeAs(dfdx)
      state.m:mul(alpha):addcmul(1 - alpha, dfdx, dfdx)
      state.tmp:sqrt(state.m):add(epsilon)
      x:addcdiv(-lr, dfdx, state.tmp)
   end
   return x, { fx }
end

return rmsprop

-- optim.adamax (Kingma & Ba, section 7), Torch7's formulas and state:
-- config: learningRate (0.002), beta1 (0.9), beta2 (0.999), epsilon
-- (1e-38); state: t, m, u.
--   m = b1 m + (1-b1) g;  u = max(b2 u, |g| + eps)
--   x -= lr / (1 - b1^t) * m / u
local torch = require 'torch'
local util = require 'optim._util'

local function adamax(opfunc, x, config, state)
   util.check_args('adamax', opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 0.002
   local beta1 = config.beta1 or 0.9
   local beta2 = config.beta2 or 0.999
   local epsilon = config.epsilon or 1e-38

   local fx, dfdx = util.eval('adamax', opfunc, x)
   state.t = (state.t or 0) + 1
   state.m = state.m or util.zeros_like(x, dfdx)
   state.u = state.u or util.zeros_like(x, dfdx)
   state.absg = state.absg or x.new():resizeAs(dfdx)

   state.m:mul(beta1):add(1 - beta1, dfdx)
   state.absg:copy(dfdx):abs():add(epsilon)
   state.u:mul(beta2):cmax(state.absg)
   local stepSize = lr / (1 - beta1 ^ state.t)
   x:addcdiv(-stepSize, state.m, state.u)
   return x, { fx }
end

return adamax

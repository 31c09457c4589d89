-- optim.adam (Kingma & Ba), Torch7's formulas and state: learningRate
-- (1e-3), learningRateDecay (0), beta1 (0.9), beta2 (0.999), epsilon
-- (1e-8), weightDecay (0); state.t, state.m, state.v, state.denom.
-- The moment updates and the step are one fused C pass wherever the
-- parameters' device serves it (nl_supports), else tensor operations.
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise

local function adam(opfunc, x, config, state)
   if type(opfunc) ~= 'function' then raise('optim.adam: expected a function as opfunc, got ' .. type(opfunc)) end
   if not torch.isTensor(x) then raise('optim.adam: expected a tensor of parameters, got ' .. torch.type(x)) end
   config = config or {}
   state = state or config
   local lr = config.learningRate or 0.001
   local lrd = config.learningRateDecay or 0
   local b1 = config.beta1 or 0.9
   local b2 = config.beta2 or 0.999
   local eps = config.epsilon or 1e-8
   local wd = config.weightDecay or 0

   local fx, dfdx = opfunc(x)
   if not torch.isTensor(dfdx) then raise('optim.adam: opfunc must return f, df/dx (a tensor)') end
   if wd ~= 0 then dfdx:add(wd, x) end
   state.t = state.t or 0
   state.m = state.m or x.new(dfdx:size()):zero()
   state.v = state.v or x.new(dfdx:size()):zero()
   state.denom = state.denom or x.new(dfdx:size()):zero()
   state.t = state.t + 1
   local clr = lr / (1 + state.t * lrd)
   local bc1 = 1 - b1 ^ state.t
   local bc2 = 1 - b2 ^ state.t
   local stepSize = clr * math.sqrt(bc2) / bc1
   if x:isContiguous() and dfdx:isContiguous() and C.nl_supports(x, 'nl_adam_step') ~= 0 then
      check(C.nl_adam_step(x, dfdx, state.m, state.v, b1, b2, eps, stepSize))
   else
      state.m:mul(b1):add(1 - b1, dfdx)
      state.v:mul(b2):addcmul(1 - b2, dfdx, dfdx)
      state.denom:copy(state.v):sqrt():add(eps)
      x:addcdiv(-stepSize, state.m, state.denom)
   end
   return x, { fx }
end

return adam

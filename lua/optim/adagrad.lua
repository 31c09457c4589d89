-- optim.adagrad (Duchi et al.), Torch7's formulas and state:
-- config: learningRate (1e-3), learningRateDecay (0); state: evalCounter,
-- paramVariance (the sum of squared gradients).
--   var += g^2;  x -= clr * g / (sqrt(var) + 1e-10)
-- One fused C pass for contiguous float/double parameters.
local torch = require 'torch'
local core = torch._core
local C, check = core.C, core.check
local util = require 'optim._util'

local function adagrad(opfunc, x, config, state)
   util.check_args('adagrad', opfunc, x, config, state)
   -- Torch7 said so on stdout when called with neither table
   if config == nil and state == nil then print('no state table, ADAGRAD initializing') end
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter

   local fx, dfdx = util.eval('adagrad', opfunc, x)
   local clr = lr / (1 + nevals * lrd)
   state.paramVariance = state.paramVariance or util.zeros_like(x, dfdx)
   if util.fusable('nl_adagrad_step', x, dfdx, state.paramVariance) then
      check(C.nl_adagrad_step(x, dfdx, state.paramVariance, clr))
   else
      state.paramStd = state.paramStd or x.new():resizeAs(dfdx)
      state.paramVariance:addcmul(1, dfdx, dfdx)
      state.paramStd:sqrt(state.paramVariance):add(1e-10)
      x:addcdiv(-clr, dfdx, state.paramStd)
   end
   state.evalCounter = state.evalCounter + 1
   return x, { fx }
end

return adagrad

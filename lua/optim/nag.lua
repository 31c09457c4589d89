-- optim.nag: SGD with Nesterov's accelerated gradient (Sutskever et al.,
-- 2013), Torch7's semantics: the gradient is taken at x + momentum * v.
-- config: learningRate (1e-3), learningRateDecay (0), weightDecay (0),
-- momentum (0.9, must be positive), learningRates (a tensor); state:
-- evalCounter, dfdx (the velocity v), x_copy.
local torch = require 'torch'
local raise = torch._core.raise
local util = require 'optim._util'

local function nag(opfunc, x, config, state)
   util.check_args('nag', opfunc, x, config, state)
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   local mom = config.momentum or 0.9
   local lrs = config.learningRates
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter
   if mom <= 0 then raise('optim.nag: momentum must be positive for Nesterov Accelerated Gradient, got ' .. mom) end

   -- look ahead along the velocity, take the gradient there
   if not state.x_copy then state.x_copy = x:clone()
   else state.x_copy:resizeAs(x):copy(x) end
   if state.dfdx then x:add(mom, state.dfdx) end
   local fx, dfdx = util.eval('nag', opfunc, x)

   if wd ~= 0 then dfdx:add(wd, x) end
   local clr = lr / (1 + nevals * lrd)
   if not state.dfdx then state.dfdx = dfdx.new():resizeAs(dfdx):zero()
   else state.dfdx:mul(mom) end
   if lrs then
      state.deltaParameters = state.deltaParameters or x.new():resizeAs(dfdx)
      state.deltaParameters:copy(lrs):cmul(dfdx)
      state.dfdx:add(-clr, state.deltaParameters)
   else
      state.dfdx:add(-clr, dfdx)
   end
   state.x_copy:add(state.dfdx)
   x:copy(state.x_copy)
   state.evalCounter = state.evalCounter + 1
   return x, { fx }
end

return nag

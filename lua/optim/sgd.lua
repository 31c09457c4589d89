-- optim.sgd: stochastic gradient descent, Torch7's semantics and state.
-- config/state: learningRate (1e-3), learningRateDecay (0), weightDecay
-- (0), weightDecays (a tensor), momentum (0), dampening (= momentum),
-- nesterov (false), learningRates (a tensor); state.evalCounter and the
-- momentum buffer state.dfdx persist in the table passed in.
-- The common case (scalar rates) is one fused C pass over the parameters,
-- wherever the parameters' device serves it (nl_supports); otherwise the
-- same update as tensor operations.
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise

local function sgd(opfunc, x, config, state)
   if type(opfunc) ~= 'function' then raise('optim.sgd: expected a function as opfunc, got ' .. type(opfunc)) end
   if not torch.isTensor(x) then raise('optim.sgd: expected a tensor of parameters, got ' .. torch.type(x)) end
   config = config or {}
   state = state or config
   local lr = config.learningRate or 1e-3
   local lrd = config.learningRateDecay or 0
   local wd = config.weightDecay or 0
   local mom = config.momentum or 0
   local damp = config.dampening or mom
   local nesterov = config.nesterov or false
   local lrs = config.learningRates
   local wds = config.weightDecays
   state.evalCounter = state.evalCounter or 0
   local nevals = state.evalCounter
   if nesterov and (mom <= 0 or damp ~= 0) then
      raise('optim.sgd: nesterov momentum requires a momentum and zero dampening')
   end

   local fx, dfdx = opfunc(x)
   if not torch.isTensor(dfdx) then raise('optim.sgd: opfunc must return f, df/dx (a tensor), got ' .. torch.type(dfdx)) end
   local clr = lr / (1 + nevals * lrd)

   local fused = not lrs and not wds and (x._dtype == C.NL_FLOAT or x._dtype == C.NL_DOUBLE)
      and x:isContiguous() and dfdx:isContiguous() and dfdx._dtype == x._dtype and dfdx:nElement() == x:nElement()
      and C.nl_supports(x, 'nl_sgd_step') ~= 0
   if fused then
      local init = 0
      if mom ~= 0 and not state.dfdx then
         state.dfdx = dfdx:clone()
         init = 1
      end
      check(C.nl_sgd_step(x, dfdx, mom ~= 0 and state.dfdx or nil, clr, wd, mom, damp, nesterov and 1 or 0, init))
   else
      if wd ~= 0 then dfdx:add(wd, x)
      elseif wds then
         state.decayParameters = state.decayParameters or x.new(x:size())
         state.decayParameters:copy(wds):cmul(x)
         dfdx:add(state.decayParameters)
      end
      if mom ~= 0 then
         if not state.dfdx then state.dfdx = dfdx:clone()
         else state.dfdx:mul(mom):add(1 - damp, dfdx) end
         if nesterov then dfdx:add(mom, state.dfdx) else dfdx = state.dfdx end
      end
      if lrs then
         state.deltaParameters = state.deltaParameters or x.new(x:size())
         state.deltaParameters:copy(lrs):cmul(dfdx)
         x:add(-clr, state.deltaParameters)
      else
         x:add(-clr, dfdx)
      end
   end
   state.evalCounter = state.evalCounter + 1
   return x, { fx }
end

return sgd

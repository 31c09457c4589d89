-- optim.rprop (Riedmiller), Torch7's semantics: per-parameter step sizes
-- grow by etaplus while the gradient keeps its sign and shrink by
-- etaminus when it flips (that step is then skipped).
-- config: stepsize (0.1), etaplus (1.2), etaminus (0.5), stepsizemax
-- (50), stepsizemin (1e-6), niter (1); state: delta, stepsize (a tensor
-- after the first call), sign buffers. Returns x and the niter f values.
local torch = require 'torch'
local util = require 'optim._util'

local function rprop(opfunc, x, config, state)
   util.check_args('rprop', opfunc, x, config, state)
   -- Torch7 said so on stdout when called with neither table
   if config == nil and state == nil then print('no state table RPROP initializing') end
   config = config or {}
   state = state or config
   local stepsize = config.stepsize or 0.1
   local etaplus = config.etaplus or 1.2
   local etaminus = config.etaminus or 0.5
   local stepsizemax = config.stepsizemax or 50.0
   local stepsizemin = config.stepsizemin or 1e-06
   local niter = config.niter or 1

   local hfx = {}
   for _ = 1, niter do
      local fx, dfdx = util.eval('rprop', opfunc, x)
      if not torch.isTensor(state.delta) then
         -- config and state may be one table: stepsize turns into a tensor
         state.delta = dfdx.new():resizeAs(dfdx):zero()
         state.stepsize = dfdx.new():resizeAs(dfdx):fill(stepsize)
         state.sign = dfdx.new():resizeAs(dfdx)
      end
      local sign = state.sign
      -- sign of g * previous g: +1 grow, -1 shrink, 0 keep
      sign:cmul(dfdx, state.delta):sign()
      local psign, nsign, zsign = sign:gt(0), sign:lt(0), sign:eq(0)
      sign:maskedFill(psign, etaplus)
      sign:maskedFill(nsign, etaminus)
      sign:maskedFill(zsign, 1)
      state.stepsize:cmul(sign):clamp(stepsizemin, stepsizemax)
      -- a flipped sign: no step this time, and no sign memory
      dfdx:maskedFill(nsign, 0)
      sign:sign(dfdx)
      x:addcmul(-1, sign, state.stepsize)
      state.delta:copy(dfdx)
      hfx[#hfx + 1] = fx
   end
   return x, hfx
end

return rprop

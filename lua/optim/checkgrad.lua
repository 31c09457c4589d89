-- optim.checkgrad(opfunc, x [, eps]): compares opfunc's gradient with
-- central differences (step eps, 1e-7). Returns the relative error
-- ||dC - dC_est|| / ||dC + dC_est||, the gradient and its estimate.
local torch = require 'torch'
local raise = torch._core.raise

local function checkgrad(opfunc, x, eps)
   if type(opfunc) ~= 'function' then raise('optim.checkgrad: expected a function as opfunc, got ' .. type(opfunc)) end
   if not torch.isTensor(x) or x:dim() ~= 1 then raise('optim.checkgrad: expected a 1D tensor of parameters') end
   local _, dC = opfunc(x)
   if not torch.isTensor(dC) or dC:nElement() ~= x:nElement() then
      raise('optim.checkgrad: opfunc must return f, df/dx (a tensor of x\'s size)')
   end
   -- as Torch7: dC is opfunc's own tensor (a shared gradient buffer ends
   -- holding the last evaluation's gradient), and x steps +eps, then -2 eps
   dC:resize(x:size())
   eps = eps or 1e-7
   local dC_est = dC.new():resizeAs(dC)
   for i = 1, x:size(1) do
      local xi = x[i]
      x[i] = x[i] + eps
      local C1 = opfunc(x)
      if torch.isTensor(C1) then C1 = C1:clone() end
      x[i] = x[i] - 2 * eps
      local C2 = opfunc(x)
      x[i] = xi
      dC_est[i] = (C1 - C2) / (2 * eps)
   end
   local diff = torch.norm(dC - dC_est) / torch.norm(dC + dC_est)
   return diff, dC, dC_est
end

return checkgrad

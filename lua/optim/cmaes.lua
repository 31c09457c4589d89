-- optim.cmaes: the Covariance Matrix Adaptation Evolution Strategy, as
-- Torch7's optim.cmaes (N. Hansen's pure CMA-ES: weighted recombination of
-- the best mu of lambda samples, cumulative step-size adaptation, rank-one
-- and rank-mu covariance updates). Derivative-free: opfunc(x) is called
-- for its value only.
--
--   x*, {f}, evals = optim.cmaes(opfunc, x [, config [, state]])
--
-- config (state defaults to config, as in Torch7):
--   sigma           initial step size, the standard deviation in each
--                   coordinate (0.5 when absent; Torch7 requires it)
--   maxEval         evaluations budget (1e3 * N^2); as in Torch7 the last
--                   generation may take up to popsize - 1 more
--   ftarget         stop once the best value of a generation is <= ftarget
--   ftol            stop when a generation's values span less than ftol
--                   (1e-12, Torch7's fixed tolfun)
--   popsize         lambda, samples per generation (4 + floor(3 ln N))
--   mu              parents for recombination (popsize / 2)
--   min_iterations  generations run at least (1)
--   verb_disp       print progress every verb_disp generations (0: never)
-- Returns the best point found (x's shape and type), the table of values
-- (f[1] at x, then the best of each generation, then the best overall) and
-- the number of evaluations. x itself is not modified, as in Torch7.
-- Samples come from torch.randn, so torch.manualSeed makes a run
-- reproducible; the covariance's eigendecomposition uses torch.symeig.
local torch = require 'torch'
local raise = torch._core.raise
local util = require 'optim._util'

local function number_or(name, v, default, min)
   if v == nil then return default end
   if type(v) ~= 'number' or v ~= v or (min and v < min) then
      raise(string.format('optim.cmaes: config.%s should be a number%s, got %s', name,
         min and (' >= ' .. min) or '', tostring(v)))
   end
   return v
end

local function cmaes(opfunc, x, config, state)
   util.check_args('cmaes', opfunc, x, config, state)
   config = config or {}
   state = state or config
   local N = x:nElement()
   if N < 1 then raise('optim.cmaes: x has no elements') end
   local xmean = x:clone():double():view(-1)
   local sigma = number_or('sigma', state.sigma, 0.5)
   if sigma <= 0 then raise('optim.cmaes: config.sigma should be positive, got ' .. sigma) end
   local maxEval = number_or('maxEval', tonumber(state.maxEval), 1e3 * N ^ 2, 1)
   local ftarget = number_or('ftarget', state.ftarget, nil)
   local ftol = number_or('ftol', state.ftol, 1e-12)
   local lambda = math.floor(number_or('popsize', state.popsize, 4 + math.floor(3 * math.log(N)), 2))
   local mu_f = number_or('mu', state.mu, lambda / 2, 1)
   local mu = math.floor(mu_f)
   if mu > lambda then raise(string.format('optim.cmaes: config.mu (%g) exceeds popsize (%d)', mu_f, lambda)) end
   local min_iterations = number_or('min_iterations', state.min_iterations, 1)
   local verb_disp = number_or('verb_disp', state.verb_disp, 0)

   -- recombination weights: log(mu + 1/2) - log(i), normalised
   local weights = torch.DoubleTensor(mu)
   for i = 1, mu do weights[i] = math.log(mu_f + 0.5) - math.log(i) end
   weights:div(weights:sum())
   local mueff = weights:sum() ^ 2 / weights:dot(weights)

   -- adaptation constants (Hansen's defaults)
   local cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
   local cs = (mueff + 2) / (N + mueff + 5)
   local c1 = 2 / ((N + 1.3) ^ 2 + mueff)
   local cmu = math.min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ^ 2 + mueff))
   local damps = 2 * mueff / lambda + 0.3 + cs

   -- the state is double whatever the default tensor type (x may be float)
   local function eye(n) return torch.DoubleTensor(n, n):zero():diag():fill(1):diag() end
   local pc, ps = torch.DoubleTensor(N):zero(), torch.DoubleTensor(N):zero()
   local B, D = eye(N), torch.DoubleTensor(N):fill(1)
   local C, invsqrtC = eye(N), eye(N)
   local eigeneval, counteval = 0, 0
   local fitvals = torch.DoubleTensor(lambda):zero()
   local sorted = fitvals
   local bestx, bestf = nil, nil

   local function eval(v)
      local candidate = v:clone():viewAs(x):typeAs(x)
      local f = opfunc(candidate)
      if type(f) ~= 'number' then
         raise(string.format('optim.cmaes: opfunc must return a number, got %s', torch.type(f)))
      end
      return f
   end
   local f_hist = { eval(xmean) }

   -- lambda samples m + sigma * B * D * N(0, I), one per row
   local function ask()
      if counteval - eigeneval > lambda / (c1 + cmu) / N / 10 then
         eigeneval = counteval
         C = torch.triu(C) + torch.triu(C, 1):t()
         local e
         e, B = torch.symeig(C, 'V')
         D = e:cmax(0):sqrt()
         invsqrtC = B * torch.diag(torch.pow(D, -1)) * B:t()
      end
      local arx = torch.DoubleTensor(lambda, N)
      for k = 1, lambda do
         local z = torch.DoubleTensor(N):normal():cmul(D)
         arx[k]:copy(xmean):add(sigma, B * z)
      end
      return arx
   end

   local function tell(arx)
      counteval = counteval + lambda
      local xold = xmean:clone()
      local idx
      sorted, idx = torch.sort(fitvals)
      local sel = arx:index(1, idx:narrow(1, 1, mu))
      f_hist[#f_hist + 1] = sorted[1]
      if bestf == nil or sorted[1] < bestf then
         bestf, bestx = sorted[1], sel[1]:clone()
      end

      xmean:mv(sel:t(), weights)
      local y = xmean - xold
      local z = invsqrtC * y
      ps:mul(1 - cs):add(math.sqrt(cs * (2 - cs) * mueff) / sigma, z)
      local hsig = ps:dot(ps) / (1 - (1 - cs) ^ (2 * counteval / lambda)) / N < 2 + 4 / (N + 1) and 1 or 0
      pc:mul(1 - cc):add(hsig * math.sqrt(cc * (2 - cc) * mueff) / sigma, y)

      -- C = (1 - c1a - cmu) C + c1 pc pc^T + cmu sum_k w_k y_k y_k^T / sigma^2
      local c1a = c1 - (1 - hsig ^ 2) * c1 * cc * (2 - cc)
      local Y = sel - xold:view(1, N):expand(mu, N)
      local WY = torch.cmul(Y, weights:view(mu, 1):expand(mu, N))
      C:mul(1 - c1a - cmu):addr(c1, pc, pc):addmm(cmu / sigma ^ 2, Y:t(), WY)

      sigma = sigma * math.exp(math.min(0.6, (cs / damps) * (ps:dot(ps) / N - 1) / 2))
   end

   local function stop()
      if counteval == 0 then return nil end
      if counteval >= maxEval then return 'evals' end
      if ftarget and sorted[1] <= ftarget then return 'ftarget' end
      if D:max() > 1e7 * D:min() then return 'condition' end
      if lambda > 1 and sorted[lambda] - sorted[1] < ftol then return 'tolfun' end
      if sigma * D:max() < 1e-11 then return 'tolx' end
      return nil
   end

   local iteration = 0
   while stop() == nil or iteration < min_iterations do
      iteration = iteration + 1
      local arx = ask()
      for i = 1, lambda do fitvals[i] = eval(arx[i]) end
      tell(arx)
      if verb_disp > 0 and (iteration <= 2 or iteration % verb_disp == 0) then
         print(string.format('%d: axis ratio %6.1f, step %8.1e, f %g', counteval, D:max() / D:min(),
            sigma * math.sqrt(torch.diag(C):max()), sorted[1]))
      end
   end
   if verb_disp > 0 then
      print('termination by ' .. tostring(stop()) .. ', best f-value = ' .. tostring(bestf))
   end
   f_hist[#f_hist + 1] = bestf
   return bestx:viewAs(x):typeAs(x), f_hist, counteval
end

return cmaes

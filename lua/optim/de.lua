-- optim.de: differential evolution (DE/best/1/bin), derivative-free.
-- config: popsize (10 D), scaleFactor (0.5), crossoverRate (0.9), maxFEs
-- (function evaluations, required), minRegion (-30), maxRegion (30),
-- seed (1). opfunc(x) is called for its value only. The draws come from
-- the global generator, seeded with config.seed and restored afterwards,
-- so a run is reproducible and leaves the caller's random stream as it
-- was. Returns the best point found and the tensor of all values.
-- (Torch7's version keeps the largest value as "best"; this one the
-- smallest, which is what a minimiser needs.)
local torch = require 'torch'
local raise = torch._core.raise
local util = require 'optim._util'

local function de(opfunc, x, config)
   util.check_args('de', opfunc, x, config)
   config = config or {}
   local maxFEs = tonumber(config.maxFEs)
   if not maxFEs or maxFEs < 1 then raise('optim.de: config.maxFEs (the number of evaluations) is required') end
   local xmean = x:clone():view(-1)
   local D = xmean:size(1)
   local popsize = config.popsize or 10 * D
   local F = config.scaleFactor or 0.5
   local CR = config.crossoverRate or 0.9
   local hi = config.maxRegion or 30
   local lo = config.minRegion or -30
   if popsize < 3 then raise('optim.de: popsize should be at least 3, got ' .. popsize) end

   local saved = torch.getRNGState()
   torch.manualSeed(config.seed or 1)
   local fx = x.new(maxFEs):zero()
   local pop = x.new(popsize, D):uniform(lo, hi)
   local child = x.new(D)
   local fitness = {}
   local fes = 0
   local function eval(p)
      local v = opfunc(p:viewAs(x))
      fes = fes + 1
      if fes <= maxFEs then fx[fes] = v end
      return v
   end
   for i = 1, popsize do fitness[i] = eval(pop[i]) end
   local best = 1
   for i = 2, popsize do if fitness[i] < fitness[best] then best = i end end
   local best_solution = pop[best]:clone()
   local best_fitness = fitness[best]

   while fes < maxFEs do
      for i = 1, popsize do
         if fes >= maxFEs then break end
         local r1, r2
         repeat r1 = torch.random(1, popsize) until r1 ~= i
         repeat r2 = torch.random(1, popsize) until r2 ~= r1 and r2 ~= i
         local jrand = torch.random(1, D)
         local pi, p1, p2 = pop[i], pop[r1], pop[r2]
         for j = 1, D do
            if torch.uniform() < CR or j == jrand then
               child[j] = best_solution[j] + F * (p1[j] - p2[j])
            else
               child[j] = pi[j]
            end
         end
         local fc = eval(child)
         if fc <= fitness[i] then
            pi:copy(child)
            fitness[i] = fc
            if fc < best_fitness then
               best_fitness = fc
               best_solution:copy(child)
            end
         end
      end
   end
   torch.setRNGState(saved)
   return best_solution:viewAs(x), fx:narrow(1, 1, math.min(fes, maxFEs))
end

return de

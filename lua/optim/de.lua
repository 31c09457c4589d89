-- optim.de: differential evolution (DE/best/1/bin), derivative-free, as
-- Torch7's optim.de computes it. config: popsize (10 D), scaleFactor,
-- crossoverRate, maxFEs (function evaluations, required), minRegion
-- (-30), maxRegion (30), seed (1; nnlua's addition). opfunc(x) is called
-- for its value only, on rows of the population. The draws come from a
-- private torch.Generator seeded with config.seed, so a run is
-- reproducible and leaves the caller's random stream alone. Torch7's
-- steps are kept: the initial "best" is the population's largest value,
-- a gene crosses over when its draw is below crossoverRate or when
-- i == jrand (Torch7 compared the member's index), and the population is
-- replaced after each whole generation. Returns the best point found and
-- the tensor of the maxFEs values (a last generation that runs past
-- maxFEs is evaluated, its values beyond maxFEs not kept).
local torch = require 'torch'
local raise = torch._core.raise
local util = require 'optim._util'

local function de(opfunc, x, config)
   util.check_args('de', opfunc, x, config)
   config = config or {}
   local maxFEs = tonumber(config.maxFEs)
   if not maxFEs or maxFEs < 1 then raise('optim.de: config.maxFEs (the number of evaluations) is required') end
   local D = x:nElement()
   local popsize = config.popsize or 10 * D
   local F = config.scaleFactor or 0.5
   local CR = config.crossoverRate or 0.9
   local hi = config.maxRegion or 30
   local lo = config.minRegion or -30
   if popsize < 3 then raise('optim.de: popsize should be at least 3, got ' .. popsize) end

   local gen = torch.Generator()
   torch.manualSeed(gen, config.seed or 1)
   local fx = x.new(maxFEs):zero()
   local pop = x.new(popsize, D):uniform(gen, lo, hi)
   local children = x.new(popsize, D)
   local fitness = x.new(popsize)
   local children_fitness = x.new(popsize)
   local fes = 1
   local function record(v)
      if fes <= maxFEs then fx[fes] = v end
      fes = fes + 1
   end
   for i = 1, popsize do
      fitness[i] = opfunc(pop[i])
      record(fitness[i])
   end
   local best_fitness, index = fitness:max(1)
   best_fitness = best_fitness[1]
   local best_solution = pop[index[1]]:clone()

   while fes < maxFEs do
      for i = 1, popsize do
         local r1, r2
         repeat r1 = torch.random(gen, 1, popsize) until r1 ~= i
         repeat r2 = torch.random(gen, 1, popsize) until r2 ~= r1 and r2 ~= i
         local jrand = torch.random(gen, 1, D)
         local child, pi, p1, p2 = children[i], pop[i], pop[r1], pop[r2]
         for j = 1, D do
            if torch.uniform(gen, 0, 1) < CR or i == jrand then
               child[j] = best_solution[j] + F * (p1[j] - p2[j])
            else
               child[j] = pi[j]
            end
         end
         children_fitness[i] = opfunc(child)
         record(children_fitness[i])
      end
      for i = 1, popsize do
         if children_fitness[i] <= fitness[i] then
            pop[i]:copy(children[i])
            fitness[i] = children_fitness[i]
            if fitness[i] < best_fitness then
               best_fitness = fitness[i]
               best_solution:copy(children[i])
            end
         end
      end
   end
   return best_solution, fx
end

return de

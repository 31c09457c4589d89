-- distlearn.AllReduceEA(tree, tau, alpha): elastic averaging SGD
-- (Zhang, Choromanska, LeCun, "Deep learning with Elastic Averaging SGD",
-- 2015) on an all-reduce, with torch-distlearn's API. Each node trains on
-- its own data with its own optimizer; every tau steps it moves alpha of
-- the way towards a center variable that every node keeps identical, and
-- the center moves by the sum of the nodes' elastic differences:
--
--   delta_i = alpha * (x_i - center);  x_i -= delta_i;  center += sum_i delta_i
--
--   local ea = distlearn.AllReduceEA(tree, 10, 0.2)
--   ... after each optimizer step: ea.averageParameters(params)
--   ... at the end of an epoch:    ea.synchronizeCenter(params)
local torch = require 'torch'

local function AllReduceEA(tree, tau, alpha)
   tree = tree or require('distlearn').tree()
   if type(tau) ~= 'number' or tau < 1 or tau % 1 ~= 0 then
      torch._core.raise('distlearn.AllReduceEA: tau should be a positive integer (steps between averagings), got ' ..
         tostring(tau))
   end
   if type(alpha) ~= 'number' or alpha <= 0 or alpha >= 1 then
      torch._core.raise('distlearn.AllReduceEA: alpha should be a number in (0, 1), got ' .. tostring(alpha))
   end
   local step = 0
   local center, delta, flat

   local function start(params)
      center, delta, flat = {}, {}, {}
      tree.walkTable(params, function(p)
         table.insert(flat, p)
         table.insert(center, p:clone())
         table.insert(delta, p:clone())
      end)
      -- one center for every node: rank 0's initial parameters
      tree.scatter(center)
   end

   local function elastic()
      for i, p in ipairs(flat) do
         delta[i]:copy(p):add(-1, center[i]):mul(alpha)
         p:add(-1, delta[i])
      end
      tree.allReduce(delta, function(a, b) return a:add(b) end)
      for i = 1, #center do center[i]:add(delta[i]) end
   end

   local function averageParameters(params)
      if not center then start(params) end
      step = step + 1
      if step % tau == 0 then elastic() end
      return params
   end

   -- One last elastic step, rank 0's center on every node (floating-point
   -- drift), and the parameters set to it: the model EASGD returns.
   local function synchronizeCenter(params)
      if not center then start(params) end
      elastic()
      tree.scatter(center)
      for i, p in ipairs(flat) do p:copy(center[i]) end
      step = 0
      return params
   end

   return {
      averageParameters = averageParameters,
      synchronizeCenter = synchronizeCenter,
      center = function() return center end,
   }
end

return AllReduceEA

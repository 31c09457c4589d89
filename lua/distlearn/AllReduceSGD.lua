-- distlearn.AllReduceSGD(tree): torch-distlearn's synchronous data-parallel
-- SGD. Each node computes the gradients of its shard of the minibatch;
-- sumAndNormalizeGradients all-reduces them (sum, then scale by 1/N) so
-- that every node takes the same step. Called with dot syntax, as in
-- torch-distlearn:
--
--   local sgd = distlearn.AllReduceSGD(tree)     -- tree: distlearn.tree()
--   sgd.synchronizeParameters(params)            -- rank 0's on every node
--   ... in feval: sgd.sumAndNormalizeGradients(gradParams [, share])
--
-- share (an nnlua extension): this node's fraction of the minibatch
-- (local samples / batch samples). With shares that differ (a batch that
-- does not divide evenly), the result is sum(share_i * grad_i): exactly
-- the gradient of the whole batch under a size-averaged criterion.
local torch = require 'torch'

local function AllReduceSGD(tree)
   tree = tree or require('distlearn').tree()
   local steps = 0

   local function sumGradients(grads)
      tree.allReduce(grads, function(a, b) return a:add(b) end)
      steps = steps + 1
      return grads
   end

   local function sumAndNormalizeGradients(grads, share)
      if share ~= nil then
         if type(share) ~= 'number' or share < 0 or share > 1 then
            torch._core.raise('distlearn.AllReduceSGD.sumAndNormalizeGradients: share should be a number in ' ..
               '[0, 1] (local samples / batch samples), got ' .. tostring(share))
         end
         local w = share * tree.numNodes
         if w ~= 1 then tree.walkTable(grads, function(g) g:mul(w) end) end
      end
      local _, n = tree.allReduce(grads, function(a, b) return a:add(b) end)
      if n > 1 then tree.walkTable(grads, function(g) g:mul(1 / n) end) end
      steps = steps + 1
      return grads
   end

   -- The same parameters on every node: rank 0's. Training with the summed
   -- gradients keeps them equal; this also removes any drift and starts a
   -- run from one initialisation.
   local function synchronizeParameters(params)
      tree.scatter(params)
      steps = 0
      return params
   end

   return {
      sumGradients = sumGradients,
      sumAndNormalizeGradients = sumAndNormalizeGradients,
      synchronizeParameters = synchronizeParameters,
      steps = function() return steps end,
   }
end

return AllReduceSGD

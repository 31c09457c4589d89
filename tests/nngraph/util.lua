-- Helpers for the nngraph specs: comparing nested tables of tensors, and
-- a gradient check by central differences through modules whose inputs
-- and outputs are tensors or nested tables of them.
local U = {}

-- the tensors of a nested table, in a fixed order (depth first, by index)
function U.leaves(x, out)
   out = out or {}
   if torch.isTensor(x) then
      out[#out + 1] = x
   else
      for i = 1, #x do U.leaves(x[i], out) end
   end
   return out
end

-- largest absolute difference between two nested structures; errors when
-- their shapes differ
function U.maxdiff(a, b)
   local la, lb = U.leaves(a), U.leaves(b)
   assert(#la == #lb, 'different numbers of tensors: ' .. #la .. ' and ' .. #lb)
   local m = 0
   for i = 1, #la do
      assert(la[i]:isSameSizeAs(lb[i]), 'tensor ' .. i .. ' differs in size')
      if la[i]:nElement() > 0 then m = math.max(m, (la[i]:double() - lb[i]:double()):abs():max()) end
   end
   return m
end

-- deep copy of a nested structure of tensors
function U.copy(x)
   if torch.isTensor(x) then return x:clone() end
   local r = {}
   for i = 1, #x do r[i] = U.copy(x[i]) end
   return r
end

-- random tensors shaped like x (a tensor or nested table)
function U.randomLike(x)
   if torch.isTensor(x) then return x.new(x:size()):uniform(-1, 1) end
   local r = {}
   for i = 1, #x do r[i] = U.randomLike(x[i]) end
   return r
end

local function dot(a, b)
   local s = 0
   local la, lb = U.leaves(a), U.leaves(b)
   for i = 1, #la do s = s + la[i]:dot(lb[i]) end
   return s
end

-- gradcheck(m, input): the largest difference between the gradients
-- backward gives (of the loss <output, R> for a fixed random R) and
-- central differences, over every input element and every parameter.
-- Inputs and parameters must be contiguous double tensors; skip[i] leaves
-- out the i-th input tensor (class indices, say).
function U.gradcheck(m, input, eps, skip)
   eps = eps or 1e-6
   local R = U.randomLike(m:forward(input))
   local function loss() return dot(m:forward(input), R) end
   m:zeroGradParameters()
   m:forward(input)
   local gradInput = U.copy(m:backward(input, R))
   local params, gradParams = m:parameters()
   params, gradParams = params or {}, gradParams or {}
   local analytic = {}
   for i = 1, #gradParams do analytic[i] = gradParams[i]:clone() end

   local worst = 0
   local function check(t, g)
      local flat, gflat = t:view(t:nElement()), g:contiguous():view(g:nElement())
      for j = 1, flat:nElement() do
         local orig = flat[j]
         flat[j] = orig + eps
         local lp = loss()
         flat[j] = orig - eps
         local lm = loss()
         flat[j] = orig
         worst = math.max(worst, math.abs((lp - lm) / (2 * eps) - gflat[j]))
      end
   end
   local xs, gs = U.leaves(input), U.leaves(gradInput)
   for i = 1, #xs do
      if not (skip and skip[i]) then check(xs[i], gs[i]) end
   end
   for i = 1, #params do check(params[i], analytic[i]) end
   return worst
end

return U

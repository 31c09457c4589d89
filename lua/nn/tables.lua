-- nn.tables: connection tables for SpatialConvolutionMap and
-- SpatialFullConvolutionMap: K x 2 tensors of (input plane, output
-- plane) rows, 1-based.
local torch = require 'torch'
local nn = require 'nn'

nn.tables = nn.tables or {}

local function positive(name, ...)
   for i, v in ipairs { ... } do
      if type(v) ~= 'number' or v < 1 or v ~= math.floor(v) then
         torch._core.raise(string.format('nn.tables.%s: expected positive integer arguments, got argument %d = %s', name,
            i, tostring(v)))
      end
   end
end

-- every input plane to every output plane, input varying fastest
function nn.tables.full(nin, nout)
   positive('full', nin, nout)
   local t = torch.Tensor(nin * nout, 2)
   local r = 1
   for j = 1, nout do
      for i = 1, nin do
         t[r][1], t[r][2] = i, j
         r = r + 1
      end
   end
   return t
end

-- plane i to plane i
function nn.tables.oneToOne(nfeat)
   positive('oneToOne', nfeat)
   local t = torch.Tensor(nfeat, 2)
   for i = 1, nfeat do t[i][1], t[i][2] = i, i end
   return t
end

-- nto distinct input planes for each of nout output planes: consecutive
-- chunks of a random permutation of the inputs, a new permutation drawn
-- when the whole chunks of the current one are used (Torch7's draws)
function nn.tables.random(nin, nout, nto)
   positive('random', nin, nout, nto)
   if nto > nin then
      torch._core.raise(string.format('nn.tables.random: nto (%d) exceeds the number of input planes (%d)', nto, nin))
   end
   local t = torch.Tensor(nto * nout, 2)
   local perm = torch.randperm(nin)
   local chunks, c = math.floor(nin / nto), 0
   for i = 1, nout do
      for j = 1, nto do
         local r = (i - 1) * nto + j
         t[r][1], t[r][2] = perm[c * nto + j], i
      end
      c = c + 1
      if c == chunks then
         perm = torch.randperm(nin)
         c = 0
      end
   end
   return t
end

return nn.tables

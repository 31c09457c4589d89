-- nngraph.nest(x): one node standing for a nested structure of nodes,
-- e.g. nngraph.nest({a, {b}, c}) outputs {a, {b}, c}'s values.
local torch = require 'torch'
local nn = require 'nn'
local utils = require 'nngraph.utils'

local function nest(x)
   if utils.isNode(x) then return x end
   if type(x) ~= 'table' or torch.typename(x) or #x == 0 then
      error('nngraph.nest: expected a node or a non-empty list of nodes, got ' .. torch.type(x), 0)
   end
   if #x == 1 then return nngraph.JustTable()(nest(x[1])) end
   local parts = {}
   for i, v in ipairs(x) do parts[i] = nest(v) end
   return nn.Identity()(parts)
end

function nngraph.nest(...)
   local n = select('#', ...)
   if n > 1 then error('nngraph.nest: use {input1, input2} to pass several inputs', 2) end
   local x = ...
   if x == nil then error('nngraph.nest: pass an input', 2) end
   local ok, res = pcall(nest, x)
   if not ok then error(res, 2) end
   return res
end

return nngraph.nest

-- nngraph: graphs of nn modules (Torch7's nngraph). Calling a module on
-- nodes makes a node: `h = nn.Linear(4, 6)(x)`, `s = nn.CAddTable()({a, b})`,
-- `x = nn.Identity()()` for an input; nn.gModule(inputs, outputs) turns
-- the graph into a module. Loading this package makes modules callable
-- that way (as in Torch7): m(tensor) is an error, use m:forward(tensor).
local torch = require 'torch'
local nn = require 'nn'
require 'graph'

-- busted re-requires packages per spec file: the classes are made once
local reg = debug.getregistry()
if reg.nnlua_nngraph then
   package.loaded.nngraph = reg.nnlua_nngraph
   _G.nngraph = reg.nnlua_nngraph
   return reg.nnlua_nngraph
end
local nngraph = {}
reg.nnlua_nngraph = nngraph
package.loaded.nngraph = nngraph
_G.nngraph = nngraph

local utils = require 'nngraph.utils'
local core = torch._core
local raise = core.raise

require 'nngraph.node'
require 'nngraph.nest'
require 'nngraph.JustElement'
require 'nngraph.JustTable'
require 'nngraph.ModuleFromCriterion'
require 'nngraph.gmodule'
require 'nngraph.graphinspecting'

local Module = torch.getmetatable('nn.Module')
local Criterion = torch.getmetatable('nn.Criterion')

-- m(), m(node), m({node1, node2}): a node running m on those inputs.
function Module:__call__(...)
   local n = select('#', ...)
   local name = nn.utils.moduleName(self)
   if n > 1 then raise(name .. ': use {input1, input2} to pass multiple inputs.') end
   local input = ...
   if n == 1 and input == nil then raise(name .. ': ' .. utils.expectingNodeErrorMessage(nil, 'inputs', 1)) end
   if type(input) == 'table' and not torch.typename(input) and next(input) == nil then
      raise(name .. ': cannot pass an empty table of inputs. To indicate no incoming connections, leave the '
         .. 'second set of parens blank.')
   end
   if not utils.istable(input) then input = { input } end
   local count = utils.tableMaxN(input)
   for i = 1, count do
      if not utils.isNode(input[i]) then
         local msg = name .. ': ' .. utils.expectingNodeErrorMessage(input[i], 'inputs', i)
         if torch.isTensor(input[i]) then
            msg = msg .. " (with nngraph loaded, calling a module makes a graph node: use m:forward(input) to run it)"
         end
         raise(msg)
      end
   end
   local node = nngraph.Node({ module = self })
   for i = 1, count do
      local ok, err = pcall(node.add, node, input[i], true)
      if not ok then raise(name .. ': ' .. tostring(err)) end
   end
   return node
end

-- criterion(node) or criterion({prediction, target}): the loss as a node
function Criterion:__call__(...)
   return nn.ModuleFromCriterion(self)(...)
end

-- -m is m(); a - m is m(a)
Module.__unm__ = function(m) return m() end
Module.__sub__ = function(prev, nxt) return nxt(prev) end

return nngraph

-- nngraph.Node: a graph.Node whose data describes one step of a gModule:
--   data.module       the nn.Module run at this node (absent: identity)
--   data.mapindex     its input nodes' data in order, and data -> position
--   data.reverseMap   the nodes that take this node as an input
--   data.annotations  name, description, graphAttributes, and _debugLabel
--                     ('[file.lua]:line_' where the node was made)
--   data.nSplitOutputs / data.selectindex   the nodes node:split() makes
-- During a forward pass data.input holds the inputs, during a backward
-- pass data.gradOutput the gradients to sum (Torch7's layout, so gModules
-- saved by Torch7 load and run).
local torch = require 'torch'
local utils = require 'nngraph.utils'

local Node, parent = torch.class('nngraph.Node', 'graph.Node')

function Node:__init(data)
   parent.__init(self, data)
   data.annotations = data.annotations or {}
   data.mapindex = data.mapindex or {}
   data.reverseMap = data.reverseMap or {}
   if not data.annotations._debugLabel then
      data.annotations._debugLabel = utils.callerLabel()
   end
end

-- add(input, domap): the input node becomes a child; with domap its
-- position among this node's inputs is recorded, and the input learns
-- that this node consumes it.
function Node:add(child, domap)
   parent.add(self, child)
   if domap then
      local mapindex = self.data.mapindex
      local d = child.data
      if mapindex[d] then
         error(string.format('nngraph: the same node (made at %s) is passed twice as an input of one node; '
            .. 'pass it once, or through nn.Identity()', utils.labelLocation(d.annotations._debugLabel)), 0)
      end
      mapindex[#mapindex + 1] = d
      mapindex[d] = #mapindex
      d.reverseMap[self] = true
   end
end

-- split(n): n nodes, each one element of this node's table output.
function Node:split(noutput)
   if type(noutput) ~= 'number' or noutput < 1 or noutput % 1 ~= 0 then
      error('nngraph.Node:split: expected a positive number of outputs, got ' .. tostring(noutput), 2)
   end
   if noutput == 1 then return nngraph.JustElement()(self) end
   local label = self.data.annotations._debugLabel
   local at = utils.callerLabel():gsub('_$', '')
   local mnode = nngraph.Node({ nSplitOutputs = noutput,
      annotations = { _debugLabel = label .. ' split at ' .. at .. '-mnode' } })
   mnode:add(self, true)
   local outs = {}
   for i = 1, noutput do
      local node = nngraph.Node({ selectindex = i, input = {}, annotations = { _debugLabel = label .. '-' .. i } })
      node:add(mnode, true)
      outs[i] = node
   end
   return unpack(outs)
end

-- annotate{name=, description=, graphAttributes=}: returns the node.
function Node:annotate(annotations)
   if type(annotations) ~= 'table' then
      error('nngraph.Node:annotate: expected a table such as {name = ..., description = ...}, got '
         .. torch.type(annotations), 2)
   end
   for k, v in pairs(annotations) do self.data.annotations[k] = v end
   return self
end

function Node:graphNodeName()
   local name = self.data.annotations.name
   if name then return name .. ' (' .. self.id .. ')' end
   return 'Node' .. self.id
end

function Node:graphNodeAttributes()
   local a = self.data.annotations
   a.graphAttributes = a.graphAttributes or {}
   if not a.graphAttributes.tooltip then a.graphAttributes.tooltip = a._debugLabel end
   return a.graphAttributes
end

-- The text Graphviz shows in the node: its data fields (module, input,
-- gradOutput, ...), sorted by name, one per line.
function Node:label()
   local keys = {}
   for k in pairs(self.data) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   local lines = {}
   for _, k in ipairs(keys) do
      local v = self.data[k]
      if k == 'mapindex' then
         if #v > 1 then
            local ids = {}
            for i, d in ipairs(v) do ids[i] = 'Node' .. (d.forwardNodeId or '') end
            lines[#lines + 1] = 'mapindex = {' .. table.concat(ids, ',') .. '}'
         end
      elseif k ~= 'forwardNodeId' and k ~= 'annotations' and k ~= 'reverseMap' then
         lines[#lines + 1] = tostring(k) .. ' = ' .. utils.describe(v)
      end
   end
   local desc = self.data.annotations.description
   return (desc and ('desc = ' .. desc .. '\\n') or '') .. table.concat(lines, '\\l')
end

-- a - m: the module m applied to this node
Node.__sub__ = function(prev, nxt) return nxt(prev) end

return Node

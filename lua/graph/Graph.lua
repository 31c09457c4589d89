-- graph.Graph: a list of nodes and a list of edges (each list also maps
-- its elements to their positions, Torch7's saved layout). Nodes get their
-- `id` from the order they enter the graph.
local torch = require 'torch'
local graph = require 'graph'

local Graph = torch.class('graph.Graph')

function Graph:__init()
   self.nodes = {}
   self.edges = {}
end

-- a new object of obj's class (Torch7's obj.new)
local function new_like(obj, ...)
   return getmetatable(obj).__constructor(...)
end

local function insert_indexed(list, x)
   if not list[x] then
      list[#list + 1] = x
      list[x] = #list
   end
end

-- add(edge) or add({edge, ...}): records the edge, its two nodes, and
-- makes `to` a child of `from`.
function Graph:add(edge)
   if type(edge) ~= 'table' then
      error('graph.Graph:add: expected a graph.Edge or a list of them, got ' .. torch.type(edge), 2)
   end
   if not torch.typename(edge) then
      for _, e in ipairs(edge) do self:add(e) end
      return
   end
   insert_indexed(self.edges, edge)
   insert_indexed(self.nodes, edge.from)
   insert_indexed(self.nodes, edge.to)
   edge.from:add(edge.to)
   edge.from.id = self.nodes[edge.from]
   edge.to.id = self.nodes[edge.to]
end

-- A graph with new nodes over the same data, and the same edges.
function Graph:clone()
   local g = graph.Graph()
   local copies = {}
   for i, n in ipairs(self.nodes) do copies[i] = new_like(n, n.data) end
   for _, e in ipairs(self.edges) do
      g:add(new_like(e, copies[self.nodes[e.from]], copies[self.nodes[e.to]]))
   end
   return g
end

-- The graph with every edge turned around (new nodes, same data); also
-- returns the map old node -> new node.
function Graph:reverse()
   local rg, map = graph.Graph(), {}
   for _, e in ipairs(self.edges) do
      map[e.from] = map[e.from] or new_like(e.from, e.from.data)
      map[e.to] = map[e.to] or new_like(e.to, e.to.data)
      rg:add(new_like(e, map[e.to], map[e.from]))
   end
   return rg, map
end

function Graph:hasCycle()
   local roots = self:roots()
   if #roots == 0 then return #self.edges > 0 end
   for _, root in ipairs(roots) do
      if root:hasCycle() then return true end
   end
   return false
end

-- The nodes in an order where every node comes after all the nodes that
-- point to it (roots first); also returns the reversed graph and its
-- roots.
function Graph:topsort()
   local rg, map = self:reverse()
   local back = {}
   for old, new in pairs(map) do back[new] = old end
   local roots = rg:roots()
   if #roots == 0 then error('graph.Graph:topsort: the graph has cycles', 2) end
   local start = roots[1]
   if #roots > 1 then
      start = graph.Node('dummy_root')
      for _, r in ipairs(roots) do start:add(r) end
   end
   local sorted = {}
   start:dfs(function(node) sorted[#sorted + 1] = back[node] end)
   if #sorted ~= #self.nodes then error('graph.Graph:topsort: the graph has cycles', 2) end
   return sorted, rg, roots
end

-- Nodes with no edge coming in (roots) or going out (leaves), in the
-- order of self.nodes.
local function ends(self, keep_field, drop_field)
   local cand = {}
   for _, e in ipairs(self.edges) do cand[e[keep_field]] = true end
   for _, e in ipairs(self.edges) do cand[e[drop_field]] = nil end
   local list = {}
   for n in pairs(cand) do list[#list + 1] = n end
   table.sort(list, function(a, b) return self.nodes[a] < self.nodes[b] end)
   return list
end

function Graph:roots() return ends(self, 'from', 'to') end
function Graph:leaves() return ends(self, 'to', 'from') end

-- Graphviz text: one line per node (its name, label and attributes) and
-- one per edge.
function Graph:todot(title)
   local out = { 'digraph G {\n' }
   if title then out[#out + 1] = 'labelloc="t";\nlabel="' .. title .. '";\n' end
   out[#out + 1] = 'node [shape = oval]; '
   local names = {}
   for _, node in ipairs(self.nodes) do
      local name = node.graphNodeName and node:graphNodeName() or ('Node' .. node.id)
      names[node] = 'n' .. node.id
      local attrs = ''
      if node.graphNodeAttributes then attrs = graph._attributeString(node:graphNodeAttributes()) end
      out[#out + 1] = '\n' .. names[node] .. '[label=' .. graph._dotEscape(name .. '\n' .. node:label()) .. attrs .. '];'
   end
   out[#out + 1] = '\n'
   for _, e in ipairs(self.edges) do
      out[#out + 1] = names[e.from] .. ' -> ' .. names[e.to] .. ';\n'
   end
   out[#out + 1] = '}'
   return table.concat(out)
end

return Graph

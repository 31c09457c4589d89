-- graph.Node: a node holding `data` and its `children`. The children table
-- is both a list (in the order they were added) and a map child -> index,
-- the layout Torch7 saves. `visited` and `marked` are scratch flags of the
-- traversals; `id` is the position the node got in a graph.Graph.
local torch = require 'torch'
local graph = require 'graph'

local Node = torch.class('graph.Node')

function Node:__init(data)
   self.data = data
   self.id = 0
   self.children = {}
   self.visited = false
   self.marked = false
end

-- add(child) or add({child1, child2, ...}); a child already present is
-- not added twice.
function Node:add(child)
   if type(child) == 'table' and not torch.typename(child) then
      for _, c in ipairs(child) do self:add(c) end
      return
   end
   local children = self.children
   if not children[child] then
      children[#children + 1] = child
      children[child] = #children
   end
end

-- Depth-first walk calling pre(node) on the way down and post(node) on
-- the way up; nodes whose `visited` flag is set are skipped. An explicit
-- stack, so deep graphs (long unrolled chains) do not exhaust Lua's.
function Node:visit(pre, post)
   if self.visited then return end
   local stack = { { node = self, i = 0 } }
   if pre then pre(self) end
   while #stack > 0 do
      local top = stack[#stack]
      local node = top.node
      top.i = top.i + 1
      local child = node.children[top.i]
      if child then
         if not child.visited then
            if pre then pre(child) end
            stack[#stack + 1] = { node = child, i = 0 }
         end
      else
         stack[#stack] = nil
         if post then post(node) end
      end
   end
end

function Node:label()
   return tostring(self.data)
end

-- The graph of everything reachable from this node, edges in
-- breadth-first order.
function Node:graph()
   local g = graph.Graph()
   self:bfs(function(node)
      for _, child in ipairs(node.children) do g:add(graph.Edge(node, child)) end
   end)
   return g
end

-- dfs(f): f(node) for every reachable node, children before parents.
-- dfs_dirty leaves the `visited` flags set and returns the nodes.
function Node:dfs_dirty(func)
   local seen = {}
   self:visit(function(node) node.visited = true end, function(node)
      func(node)
      seen[#seen + 1] = node
   end)
   return seen
end

function Node:dfs(func)
   for _, node in ipairs(self:dfs_dirty(func)) do node.visited = false end
end

-- bfs(f): f(node) in breadth-first order from this node.
function Node:bfs_dirty(func)
   local queue, head, tail, seen = { self }, 1, 1, {}
   self.marked = true
   while head <= tail do
      local node = queue[head]
      queue[head] = nil
      head = head + 1
      seen[#seen + 1] = node
      func(node)
      for _, child in ipairs(node.children) do
         if not child.marked then
            child.marked = true
            tail = tail + 1
            queue[tail] = child
         end
      end
   end
   return seen
end

function Node:bfs(func)
   for _, node in ipairs(self:bfs_dirty(func)) do node.marked = false end
end

-- True when a cycle is reachable from this node: a depth-first walk that
-- meets a node still on its current path.
function Node:hasCycle()
   local onPath, done = {}, {}
   local stack = { { node = self, i = 0 } }
   onPath[self] = true
   while #stack > 0 do
      local top = stack[#stack]
      top.i = top.i + 1
      local child = top.node.children[top.i]
      if child then
         if onPath[child] then return true end
         if not done[child] then
            onPath[child] = true
            stack[#stack + 1] = { node = child, i = 0 }
         end
      else
         onPath[top.node] = nil
         done[top.node] = true
         stack[#stack] = nil
      end
   end
   return false
end

return Node

-- The graph package: nodes, edges, graphs, their algorithms, and the
-- Graphviz text and files.
require 'graph'

local function ids(list)
   local r = {}
   for i, n in ipairs(list) do r[i] = n.data end
   return r
end

-- a -> b, a -> c, b -> d, c -> d
local function diamond()
   local a, b, c, d = graph.Node('a'), graph.Node('b'), graph.Node('c'), graph.Node('d')
   local g = graph.Graph()
   g:add(graph.Edge(a, b))
   g:add({ graph.Edge(a, c), graph.Edge(b, d), graph.Edge(c, d) })
   return g, a, b, c, d
end

describe('graph', function()
   it('nodes keep their children as a list and a map, without repeats', function()
      local a, b = graph.Node(1), graph.Node(2)
      a:add(b)
      a:add(b)
      a:add({ graph.Node(3), graph.Node(4) })
      assert.are.equal(3, #a.children)
      assert.are.equal(1, a.children[b])
      assert.are.equal('1', a:label())
   end)

   it('a graph numbers nodes in the order they arrive and finds roots and leaves', function()
      local g, a, b, c, d = diamond()
      assert.are.equal(4, #g.nodes)
      assert.are.equal(4, #g.edges)
      assert.are.same({ 1, 2, 3, 4 }, { a.id, b.id, c.id, d.id })
      assert.are.same({ 'a' }, ids(g:roots()))
      assert.are.same({ 'd' }, ids(g:leaves()))
      assert.is_false(g:hasCycle())
   end)

   it('topsort puts every node after the nodes that point to it', function()
      local g = diamond()
      local sorted = g:topsort()
      assert.are.equal(4, #sorted)
      local pos = {}
      for i, n in ipairs(sorted) do pos[n] = i end
      for _, e in ipairs(g.edges) do assert.is_true(pos[e.from] < pos[e.to]) end
      assert.are.same({ 'a', 'b', 'c', 'd' }, ids(sorted))
   end)

   it('reverse and clone make new nodes over the same data', function()
      local g = diamond()
      local r = g:reverse()
      assert.are.same({ 'd' }, ids(r:roots()))
      assert.are.same({ 'a' }, ids(r:leaves()))
      assert.are_not.equal(g.nodes[1], r.nodes[1])
      local c = g:clone()
      assert.are.same(ids(g.nodes), ids(c.nodes))
      assert.are_not.equal(g.nodes[1], c.nodes[1])
      assert.are.equal(4, #c.edges)
   end)

   it('cycles are found, and topsort refuses them', function()
      local a, b, c = graph.Node('a'), graph.Node('b'), graph.Node('c')
      local g = graph.Graph()
      g:add({ graph.Edge(a, b), graph.Edge(b, c), graph.Edge(c, b) })
      assert.is_true(g:hasCycle())
      assert.has_error(function() g:topsort() end)
   end)

   it('bfs and dfs visit every node once and leave no flags set', function()
      local g, a = diamond()
      local seen = {}
      a:bfs(function(n) seen[#seen + 1] = n.data end)
      assert.are.same({ 'a', 'b', 'c', 'd' }, seen)
      seen = {}
      a:dfs(function(n) seen[#seen + 1] = n.data end)
      assert.are.same({ 'd', 'b', 'c', 'a' }, seen)
      for _, n in ipairs(g.nodes) do
         assert.is_false(n.visited)
         assert.is_false(n.marked)
      end
      -- Node:graph rebuilds the same edges from a root
      assert.are.equal(4, #a:graph().edges)
   end)

   it('a long chain sorts without exhausting the stack', function()
      local g, prev = graph.Graph(), graph.Node(0)
      for i = 1, 20000 do
         local n = graph.Node(i)
         g:add(graph.Edge(prev, n))
         prev = n
      end
      local sorted = g:topsort()
      assert.are.equal(20001, #sorted)
      assert.are.equal(0, sorted[1].data)
      assert.are.equal(20000, sorted[20001].data)
   end)

   it('todot writes Graphviz text: title, nodes with labels, edges', function()
      local a, b = graph.Node('x'), graph.Node('y z')
      local g = graph.Graph()
      g:add(graph.Edge(a, b))
      assert.are.equal('digraph G {\nlabelloc="t";\nlabel="T";\nnode [shape = oval]; \n'
         .. 'n1[label="Node1\\nx"];\nn2[label="Node2\\ny z"];\nn1 -> n2;\n}', g:todot('T'))
      assert.are.equal('abc', graph._dotEscape('abc'))
      assert.are.equal('"a\\"b\\nc"', graph._dotEscape('a"b\nc'))
   end)

   it('graph.dot writes name.dot, and name.svg with Graphviz', function()
      local g = diamond()
      local base = os.tmpname()
      local dot, svg = graph.dot(g, 'diamond', base)
      assert.are.equal(base .. '.dot', dot)
      local f = io.open(dot)
      assert.are.equal(g:todot('diamond'), f:read('*a'))
      f:close()
      os.remove(dot)
      os.remove(base)
      if not graph.hasDot() then
         pending('Graphviz (Debian package graphviz, in scripts/setup) is not installed here')
         return
      end
      f = io.open(svg)
      local text = f:read('*a')
      f:close()
      os.remove(svg)
      assert.is_truthy(text:find('<svg', 1, true))
      assert.is_truthy(text:find('diamond', 1, true))
   end)

   it('graph.dot refuses what is not a graph', function()
      assert.has_error(function() graph.dot({}, 't', '/tmp/x') end, 'graph.dot: expected a graph.Graph (gmodule.fg or gmodule.bg), got table')
   end)
end)

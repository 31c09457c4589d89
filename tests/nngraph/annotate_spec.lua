-- Node annotations (name, description, graphAttributes, the line that made
-- the node), nngraph.annotateNodes, and the pictures of fg and bg.
require 'nngraph'

local HERE = debug.getinfo(1, 'S').short_src

local function find_node(g, name)
   for _, node in ipairs(g.fg.nodes) do
      if node.data.annotations.name == name then return node end
   end
end

describe('nngraph annotations', function()
   it('annotate sets name, description and graphAttributes, and returns the node', function()
      local x = nn.Identity()()
      local h = nn.Linear(2, 3)(x)
      assert.are.equal(h, h:annotate { name = 'hidden', description = 'the hidden layer',
         graphAttributes = { color = 'red', style = 'filled' } })
      local g = nn.gModule({ x }, { h })
      local node = find_node(g, 'hidden')
      assert.are.equal('hidden (' .. node.id .. ')', node:graphNodeName())
      local attrs = node:graphNodeAttributes()
      assert.are.equal('red', attrs.color)
      -- the tooltip is where the node was made
      assert.is_truthy(attrs.tooltip:find('[' .. HERE .. ']:', 1, true))
      local dot = g.fg:todot('g')
      assert.is_truthy(dot:find('label="hidden (' .. node.id .. ')\\ndesc = the hidden layer', 1, true))
      assert.is_truthy(dot:find('color=red style=filled tooltip=', 1, true))
   end)

   it('every node records the file and line that made it', function()
      local line = debug.getinfo(1, 'l').currentline + 1
      local x = nn.Identity()()
      assert.are.equal('[' .. HERE .. ']:' .. line .. '_', x.data.annotations._debugLabel)
      local a, b = nn.SplitTable(1)(x):split(2)
      assert.is_truthy(a.data.annotations._debugLabel:match('%-1$'))
      assert.is_truthy(b.data.annotations._debugLabel:match('%-2$'))
   end)

   it('annotateNodes names nodes after the local variables holding them', function()
      local input = nn.Identity()()
      local hidden = nn.Tanh()(nn.Linear(3, 4)(input))
      local kept = nn.Sigmoid()(hidden):annotate { name = 'explicit' }
      nngraph.annotateNodes()
      local g = nn.gModule({ input }, { kept })
      assert.are.equal('input', input.data.annotations.name)
      assert.are.equal('hidden', hidden.data.annotations.name)
      assert.are.equal('explicit', kept.data.annotations.name)
      assert.is_truthy(find_node(g, 'hidden'))
   end)

   it('the forward and backward graphs have the same nodes, edges reversed', function()
      local x = nn.Identity()()
      local y = nn.Tanh()(nn.Linear(2, 2)(x))
      local g = nn.gModule({ x }, { y })
      assert.are.equal(#g.fg.nodes, #g.bg.nodes)
      assert.are.equal(#g.fg.edges, #g.bg.edges)
      assert.are.equal(g.innode.data, g.fg:roots()[1].data)
      assert.are.equal(g.outnode.data, g.bg:roots()[1].data)
      assert.are.equal(g.innode.data, g.forwardnodes[1].data)
      assert.are.equal(g.outnode.data, g.backwardnodes[1].data)
      -- labels show what a node holds after a forward pass
      g:forward(torch.randn(3, 2))
      local dot = g.fg:todot()
      assert.is_truthy(dot:find('input = {Tensor[3x2]}', 1, true))
      assert.is_truthy(dot:find('module = nn.Linear(2 -> 2)', 1, true))
   end)

   it('graph.dot writes the forward and backward graphs of a gModule', function()
      local x = nn.Identity()()
      local g = nn.gModule({ x }, { nn.Tanh()(x) })
      local base = os.tmpname()
      for _, which in ipairs { 'fg', 'bg' } do
         local dot, svg = graph.dot(g[which], which, base .. which)
         local f = io.open(dot)
         local text = f:read('*a')
         f:close()
         assert.is_truthy(text:find('label="' .. which .. '"', 1, true))
         assert.is_truthy(text:find('module = nn.Tanh', 1, true))
         os.remove(dot)
         if svg then
            f = io.open(svg)
            assert.is_truthy(f:read('*a'):find('<svg', 1, true))
            f:close()
            os.remove(svg)
         end
      end
      os.remove(base)
   end)

   it('without a file name the picture goes to a notebook sink when there is one', function()
      local display = require 'nnlua.display'
      local x = nn.Identity()()
      local g = nn.gModule({ x }, { nn.Tanh()(x) })
      local got
      display.set_sink(function(bundle) got = bundle end)
      local ok, err = pcall(nngraph.display, g)
      display.set_sink(nil)
      assert.is_true(ok, tostring(err))
      assert.is_truthy(got['text/plain']:find('digraph G', 1, true))
      if graph.hasDot() then assert.is_truthy(got['text/html']:find('<svg', 1, true)) end
      assert.has_error(function() nngraph.display(nn.Linear(2, 2)) end,
         'nngraph.display: expected an nn.gModule, got nn.Linear')
   end)
end)

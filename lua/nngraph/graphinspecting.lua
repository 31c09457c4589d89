-- Looking at graphs: names for nodes from the variables that hold them
-- (nngraph.annotateNodes), a picture of the graph with the node that
-- failed in red (nngraph.setDebug), and nngraph.display.
local torch = require 'torch'
local graph = require 'graph'
local utils = require 'nngraph.utils'

-- annotateNodes([level]): every local variable of the calling function
-- (or the function `level` calls up) that holds a node names that node,
-- unless it already has a name.
function nngraph.annotateNodes(stackLevel)
   stackLevel = stackLevel or 1
   for i = 1, math.huge do
      local name, value = debug.getlocal(stackLevel + 1, i)
      if not name then break end
      if utils.isNode(value) and not value.data.annotations.name then
         value:annotate({ name = name })
      end
   end
end

-- The forward graph as Graphviz text with the node holding `failed`'s
-- data filled red.
local function dot_with_failure(g, title, failed)
   local text = g:todot(title)
   for _, node in ipairs(g.nodes) do
      if failed and node.data == failed.data then
         return (text:gsub('}%s*$', '')) .. string.format('n%d[style=filled, fillcolor=red];\n}', node.id)
      end
   end
   return text
end

-- With debugging on, a graph that fails while running saves its forward
-- graph (the failing node in red) as <name>.dot and <name>.svg, name
-- being gmodule.name or nngraph_<N>in_<M>out, and says so in the error.
local function save_failure(gm, node)
   local nIn = gm.nInputs or #gm.innode.children
   local prefix = gm.name or string.format('nngraph_%din_%dout', nIn, #gm.outnode.children)
   local f = io.open(prefix .. '.svg', 'r')
   if f then
      f:close()
      prefix = prefix .. '_' .. os.tmpname():match('[^/]*$')
   end
   local text = dot_with_failure(gm.fg, prefix, node)
   local out = io.open(prefix .. '.dot', 'w')
   if not out then return '' end
   out:write(text)
   out:close()
   local saved = prefix .. '.dot'
   if graph.hasDot() and os.execute(string.format("dot -Tsvg -o '%s.svg' '%s.dot' 2>/dev/null", prefix, prefix)) == 0 then
      saved = prefix .. '.svg'
   end
   io.stderr:write('saving ' .. saved .. '\n')
   return ' (graph saved in ' .. saved .. ')'
end

function nngraph.setDebug(enable)
   nngraph._debugFailure = enable and save_failure or nil
end

-- display(gmodule): the forward graph, in a notebook or as an SVG file.
function nngraph.display(gmodule)
   if torch.typename(gmodule) ~= 'nn.gModule' then
      error('nngraph.display: expected an nn.gModule, got ' .. torch.type(gmodule), 2)
   end
   return graph.dot(gmodule.fg, gmodule.name or 'nn.gModule')
end

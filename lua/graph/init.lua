-- graph: directed graphs made of nodes and edges (Torch7's graph package).
-- graph.Node keeps its children (a list, and a child -> position map);
-- graph.Edge is a from/to pair; graph.Graph holds node and edge lists and
-- runs the algorithms nngraph needs (reverse, topological sort, roots,
-- leaves, cycles) and writes Graphviz text (todot, graph.dot).
local torch = require 'torch'

-- busted re-requires packages per spec file: the classes are made once
local reg = debug.getregistry()
if reg.nnlua_graph then
   package.loaded.graph = reg.nnlua_graph
   _G.graph = reg.nnlua_graph
   return reg.nnlua_graph
end
local graph = {}
reg.nnlua_graph = graph
package.loaded.graph = graph
_G.graph = graph

require 'graph.Node'
require 'graph.Edge'
require 'graph.Graph'
require 'graph.graphviz'

return graph

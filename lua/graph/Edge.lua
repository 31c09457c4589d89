-- graph.Edge: a directed edge, the fields `from` and `to` (and an optional
-- `weight`), as Torch7 stores it.
local torch = require 'torch'

local Edge = torch.class('graph.Edge')

function Edge:__init(from, to, weight)
   self.from = from
   self.to = to
   self.weight = weight
end

return Edge

-- nn.gModule(inputs, outputs): a module made of a directed acyclic graph
-- of nngraph nodes. The graph is kept twice, as Torch7 keeps it: `bg`
-- (edges from each node to its inputs, rooted at `outnode`, the node that
-- gathers the outputs) and its reverse `fg` (rooted at `innode`, which
-- hands out the inputs). forward runs `forwardnodes` (fg in topological
-- order), backward runs `backwardnodes` (bg in topological order). Each
-- node's data.input collects its inputs by position (data.mapindex), and
-- data.gradOutput the gradients its consumers send back, summed into
-- data.gradOutputBuffer when there are several.
local torch = require 'torch'
local nn = require 'nn'
local utils = require 'nngraph.utils'
local nesting = require 'nngraph.nesting'
local core = torch._core
local raise = core.raise

local gModule, parent = torch.class('nn.gModule', 'nn.Container')

local function where(node)
   return utils.labelLocation(node.data.annotations._debugLabel) or '?'
end

-- 'node 5 'h1' (made at spec.lua:34)'
local function node_title(node)
   local a = node.data.annotations
   local s = 'node ' .. tostring(node.data.forwardNodeId or node.id)
   if a.name then s = s .. " '" .. tostring(a.name) .. "'" end
   return s .. ' (made at ' .. where(node) .. ')'
end

local function build_error(msg)
   raise('nn.gModule: ' .. msg)
end

-- A copy of module m that shares its parameters and their gradients (and
-- a batch normalisation's running statistics): a module used at two
-- nodes gets one of these for its second use, since a module keeps the
-- output and gradInput of its last call.
local function shared_copy(m)
   local c = m:clone()
   local p, gp = m:parameters()
   local cp, cgp = c:parameters()
   if p then
      for i = 1, #p do
         cp[i]:set(p[i])
         cgp[i]:set(gp[i])
      end
   end
   local mods, cmods = m:listModules(), c:listModules()
   for i = 1, #mods do
      for _, f in ipairs { 'running_mean', 'running_var', 'running_std' } do
         if torch.isTensor(mods[i][f]) and torch.isTensor(cmods[i][f]) then cmods[i][f]:set(mods[i][f]) end
      end
   end
   return c
end

local function check_list(list, what)
   if not utils.istable(list) then
      build_error(string.format('expected a list of %s nodes, e.g. nn.gModule({x}, {y}), got %s', what:sub(1, -2),
         torch.type(list)))
   end
   local n = utils.tableMaxN(list)
   if n == 0 then
      build_error(string.format('no %s given (%s[1] is nil: a node used before it is defined?)', what, what))
   end
   local seen = {}
   for i = 1, n do
      local node = list[i]
      if not utils.isNode(node) then build_error(utils.expectingNodeErrorMessage(node, what, i)) end
      if seen[node] then
         build_error(string.format('%s[%d] and %s[%d] are the same node (made at %s); pass it once, or '
            .. 'through nn.Identity()', what, seen[node], what, i, where(node)))
      end
      seen[node] = i
   end
   return n
end

-- The two graphs and the node orders, after checking that every input is
-- used, every node is reachable from the inputs, and no node hangs off the
-- graph without reaching an output.
local function build_graph(self, inputs, nIn, innode, outnode)
   self.bg = outnode:graph()
   for i = 1, nIn do
      if not self.bg.nodes[inputs[i]] then
         build_error(string.format('inputs[%d] (made at %s) is not used: no output depends on it', i, where(inputs[i])))
      end
   end
   for _, leaf in ipairs(self.bg:leaves()) do
      if leaf ~= innode then
         build_error(string.format('%s has no inputs and is not among the graph\'s inputs, so it cannot be '
            .. 'reached from them; list it in nn.gModule\'s inputs', node_title(leaf)))
      end
   end
   self.fg = self.bg:reverse()
   local roots = self.fg:roots()
   self.innode = roots[1]
   assert(#roots == 1 and self.innode.data == innode.data, 'nn.gModule: the forward graph should start at its input node')
   self.outnode = outnode
   self.verbose = false
   self.nInputs = nIn

   self.forwardnodes = self.fg:topsort()
   self.backwardnodes = self.bg:topsort()

   local inGraph = {}
   for _, node in ipairs(self.forwardnodes) do inGraph[node.data] = true end
   local used = {}
   for _, node in ipairs(self.forwardnodes) do
      local d = node.data
      if d.nSplitOutputs and d.nSplitOutputs ~= #node.children then
         build_error(string.format('%d of split(%d) outputs from the node made at %s are unused',
            d.nSplitOutputs - #node.children, d.nSplitOutputs, where(node)))
      end
      for consumer in pairs(d.reverseMap) do
         if not inGraph[consumer.data] then
            build_error(string.format('the node made at %s takes the node made at %s as an input but does not '
               .. 'connect to any output of the graph', where(consumer), where(node)))
         end
      end
   end
   for _, node in ipairs(self.forwardnodes) do
      local d = node.data
      d.forwardNodeId = node.id
      if d.module then
         if used[d.module] then d.module = shared_copy(d.module) end
         used[d.module] = true
         self:add(d.module)
      end
   end
end

function gModule:__init(inputs, outputs)
   parent.__init(self)
   local nIn = check_list(inputs, 'inputs')
   local nOut = check_list(outputs, 'outputs')
   for i = 1, nIn do
      local node = inputs[i]
      local c = #node.children
      if c == 1 and node.children[1].data.module == nil and node.children[1].data.input then
         build_error(string.format('inputs[%d] (made at %s) is already the input of the nn.gModule made at %s; '
            .. 'a graph needs input nodes of its own', i, where(node), where(node.children[1])))
      elseif c > 0 then
         build_error(string.format('inputs[%d] (made at %s) takes %d input(s) of its own; a graph input is a node '
            .. 'made with no inputs, such as nn.Identity()()', i, where(node), c))
      end
   end

   -- outnode gathers the outputs; innode hands out the inputs (split
   -- into one node per input when there are several)
   local outnode = nngraph.Node({ input = {} })
   for i = 1, nOut do outnode:add(outputs[i], true) end
   local innode = nngraph.Node({ input = {} })
   if nIn == 1 then
      inputs[1]:add(innode, true)
   else
      local splits = { innode:split(nIn) }
      for i = 1, nIn do inputs[i]:add(splits[i], true) end
   end
   -- a graph that fails the checks leaves the user's nodes as they were,
   -- so that they can be wired again
   local ok, err = pcall(build_graph, self, inputs, nIn, innode, outnode)
   if not ok then
      for i = 1, nOut do outputs[i].data.reverseMap[outnode] = nil end
      for i = 1, nIn do
         local node = inputs[i]
         local child = table.remove(node.children)
         node.children[child] = nil
         local d = table.remove(node.data.mapindex)
         node.data.mapindex[d] = nil
      end
      error(err, 0)
   end

   self.output = nil
   self.gradInput = nil
   if #self.outnode.children > 1 then self.output = self.outnode.data.input end
end

-- Running -----------------------------------------------------------------------

-- A module's error inside the graph, re-raised naming the node, where it
-- was made, what it was given, and the module.
local function node_error(self, node, phase, input, msg, gradOutput)
   if type(msg) ~= 'string' then error(msg, 0) end
   local src, rest = msg:match('^(.-):%d+: (.*)$')
   local body = (src and not (core.libroot and src:sub(1, #core.libroot) == core.libroot)) and rest or msg
   local m = node.data.module
   if m and not body:match('^nn%.') and not body:match('^nngraph%.') then
      body = nn.utils.moduleName(m) .. ': ' .. body
   end
   local saved = nngraph._debugFailure and nngraph._debugFailure(self, node) or ''
   local given = 'input ' .. utils.describe(input, true)
   if gradOutput ~= nil then given = given .. ' and gradOutput ' .. utils.describe(gradOutput, true) end
   raise(string.format('nn.gModule: %s, %s with %s: %s%s', node_title(node), phase, given, body, saved))
end

-- The value a node passes to its module: nothing for a node without
-- inputs, the one input itself, or the list of them.
local function node_input(node)
   local input = node.data.input
   if input == nil then return {} end
   if #input == 1 then return input[1] end
   return input
end

local function call_module(self, node, phase, f, ...)
   local ok, res = pcall(f, node.data.module, ...)
   if not ok then node_error(self, node, phase, (...), res, select(2, ...)) end
   return res
end

local function clear_list(t)
   if t then
      for k in pairs(t) do t[k] = nil end
   end
end

-- The sum of the gradients a node received (one of them as it is).
local function total_grad(node)
   local d = node.data
   local gos = d.gradOutput
   if #gos == 1 then return gos[1] end
   if #gos == 0 then error('nngraph: ' .. node_title(node) .. ' received no gradient', 0) end
   local buf = d.gradOutputBuffer
   if buf == nil or torch.isTensor(buf) ~= torch.isTensor(gos[1]) then
      buf = nesting.cloneNested(gos[1])
      d.gradOutputBuffer = buf
   else
      nesting.resizeNestedAs(buf, gos[1])
      nesting.copyNested(buf, gos[1])
   end
   for i = 2, #gos do nesting.addNestedTo(buf, gos[i]) end
   return buf
end

function gModule:updateOutput(input)
   return self:runForwardFunction('updateOutput', input)
end

-- runForwardFunction(func, input): the forward pass with func(module,
-- input) (or module[func](module, input) for a name) at each node.
function gModule:runForwardFunction(func, input)
   local fname = 'updateOutput'
   if type(func) == 'string' then
      fname = func
      func = function(m, x) return m[fname](m, x) end
   end
   local nInputs = self.nInputs or #self.innode.children
   if nInputs <= 1 then
      input = { input }
   elseif type(input) ~= 'table' or torch.typename(input) then
      raise(string.format('nn.gModule: expected a table of %d inputs, got %s', nInputs, torch.type(input)))
   elseif #input ~= nInputs then
      raise(string.format('nn.gModule: got %d inputs instead of %d', #input, nInputs))
   end
   for _, node in ipairs(self.forwardnodes) do clear_list(node.data.input) end
   local innode = self.innode
   innode.data.input = innode.data.input or {}
   for i, x in ipairs(input) do innode.data.input[i] = x end

   for _, node in ipairs(self.forwardnodes) do
      local d = node.data
      local out
      if d.selectindex then
         local x = d.input[1]
         if type(x) ~= 'table' then
            node_error(self, node, 'split', x, 'split() expects a table, got ' .. torch.type(x))
         end
         out = x[d.selectindex]
      else
         local x = node_input(node)
         if d.module then out = call_module(self, node, fname, func, x) else out = x end
         if d.nSplitOutputs and (type(out) ~= 'table' or #out ~= d.nSplitOutputs) then
            node_error(self, node, 'split', out, string.format('split(%d) cannot split %s', d.nSplitOutputs,
               type(out) == 'table' and (#out .. ' outputs') or torch.type(out)))
         end
      end
      for _, child in ipairs(node.children) do
         local cd = child.data
         cd.input = cd.input or {}
         local idx = cd.mapindex[d]
         assert(cd.input[idx] == nil, 'nngraph: each input should have one source')
         cd.input[idx] = out
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end

   self.output = self.outnode.data.input
   if #self.outnode.children == 1 then self.output = self.output[1] end
   return self.output
end

local function check_grad_count(self, gradOutput)
   local n = #self.outnode.children
   if n > 1 and (type(gradOutput) ~= 'table' or torch.typename(gradOutput) or #gradOutput ~= n) then
      raise(string.format('nn.gModule: got %s gradOutputs instead of %d',
         type(gradOutput) == 'table' and not torch.typename(gradOutput) and tostring(#gradOutput)
         or ('a ' .. torch.type(gradOutput) .. ' as'), n))
   end
end

local function check_forward_done(self, fname)
   local given = self.innode.data.input
   if given == nil or next(given) == nil then
      raise('nn.gModule: ' .. fname .. ' needs the values of a forward pass: call forward(input) first')
   end
end

function gModule:updateGradInput(input, gradOutput)
   check_grad_count(self, gradOutput)
   check_forward_done(self, 'updateGradInput')
   for _, node in ipairs(self.backwardnodes) do clear_list(node.data.gradOutput) end
   local outnode = self.outnode
   outnode.data.gradOutput = outnode.data.gradOutput or {}
   outnode.data.gradOutput[1] = gradOutput

   for _, node in ipairs(self.backwardnodes) do
      local d = node.data
      if d.selectindex then
         -- the gradient of one element of the split node's table
         local go = total_grad(node)
         local child = node.children[1]
         local cd = child.data
         cd.gradOutput = cd.gradOutput or {}
         cd.gradOutput[1] = cd.gradOutput[1] or {}
         assert(cd.gradOutput[1][d.selectindex] == nil, 'nngraph: a split output received two gradients')
         cd.gradOutput[1][d.selectindex] = go
      else
         local go = total_grad(node)
         local gi = go
         if d.module then gi = call_module(self, node, 'updateGradInput', d.module.updateGradInput, node_input(node), go) end
         local single = #node.children == 1
         for _, child in ipairs(node.children) do
            local cd = child.data
            cd.gradOutput = cd.gradOutput or {}
            local g = gi
            if not single then
               if type(gi) ~= 'table' then
                  node_error(self, node, 'updateGradInput', node_input(node), string.format(
                     'the node has %d inputs but its gradInput is a %s, not a table', #node.children, torch.type(gi)))
               end
               g = gi[d.mapindex[cd]]
            end
            cd.gradOutput[#cd.gradOutput + 1] = g
         end
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end

   self.gradInput = self.innode.data.gradOutput[1]
   return self.gradInput
end

function gModule:accGradParameters(input, gradOutput, scale)
   check_grad_count(self, gradOutput)
   check_forward_done(self, 'accGradParameters')
   for _, node in ipairs(self.backwardnodes) do
      local d = node.data
      if d.module then
         local go = d.gradOutput[1]
         if #d.gradOutput > 1 then go = d.gradOutputBuffer end
         call_module(self, node, 'accGradParameters', d.module.accGradParameters, node_input(node), go, scale)
      end
      if self.verbose then print(' V : ' .. node:label()) end
   end
end

-- State, types, copies ------------------------------------------------------------

local function clear_nodes(self)
   for _, node in ipairs(self.forwardnodes or {}) do clear_list(node.data.input) end
   for _, node in ipairs(self.backwardnodes or {}) do
      clear_list(node.data.gradOutput)
      node.data.gradOutputBuffer = nil
   end
end

-- type(t): the modules converted (tensors shared between them stay
-- shared); the values held at the nodes are dropped, the next forward
-- makes them again.
function gModule:type(typename, tensorCache)
   if not typename then return self._type end
   clear_nodes(self)
   return parent.type(self, typename, tensorCache or {})
end

function gModule:clearState()
   clear_nodes(self)
   local ret = parent.clearState(self)
   if #self.outnode.children > 1 then self.output = self.outnode.data.input end
   return ret
end

-- updateParameters(lr): each parameter tensor moved once, even when two
-- modules of the graph share it (a module used at two nodes, or clones
-- made with clone('weight', ...)): their one gradient already holds the
-- sum of both uses.
function gModule:updateParameters(learningRate)
   local params, grads = self:parameters()
   local done = {}
   for i = 1, #(params or {}) do
      local p = params[i]
      local key = tostring(nn.utils.storageKey(p)) .. ':' .. p:storageOffset() .. ':' .. p:nElement()
      if not done[key] then
         done[key] = true
         p:add(-learningRate, grads[i])
      end
   end
end

function gModule:replace(callback)
   local out = callback(self)
   local index = {}
   for i, m in ipairs(self.modules) do index[m] = i end
   for _, node in ipairs(self.forwardnodes) do
      local m = node.data.module
      if m then
         node.data.module = m:replace(callback)
         self.modules[index[m]] = node.data.module
      end
   end
   return out
end

-- map(other, f): f(module, otherModule) for the modules at the same nodes
-- of two gModules of one structure.
function gModule:map(gm, func)
   for i, node in ipairs(self.forwardnodes) do
      local other = gm.forwardnodes[i]
      if not other or (node.data.module ~= nil) ~= (other.data.module ~= nil) then
         raise('nn.gModule:map: the other gModule has a different structure')
      end
      if node.data.module then func(node.data.module, other.data.module) end
   end
end

-- Loading: the fields as saved; `modules` is rebuilt from the nodes for
-- files from nngraph versions that did not store it.
function gModule:read(file)
   local data = file:readObject()
   for k, v in pairs(data) do self[k] = v end
   if not self.modules then
      self.modules = {}
      for _, node in ipairs(self.forwardnodes) do
         if node.data.module then self.modules[#self.modules + 1] = node.data.module end
      end
   end
end

function gModule:__tostring__()
   return self.name or torch.type(self)
end

return gModule

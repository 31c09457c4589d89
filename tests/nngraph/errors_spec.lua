-- Bad wiring and bad inputs: each is a Lua error at the caller's line
-- that says what is wrong and where the node involved was made.
require 'nngraph'

-- the message of f's error; f must not end in a tail call, so that the
-- error's position is this file
local function message(f)
   local ok, err = pcall(f)
   assert.is_false(ok, 'expected an error')
   return tostring(err)
end

local function has(msg, ...)
   for _, s in ipairs { ... } do
      assert.is_truthy(msg:find(s, 1, true), 'message lacks "' .. s .. '": ' .. msg)
   end
end

local HERE = debug.getinfo(1, 'S').short_src .. ':'
local function line_of(pattern)
   -- the line of this file where `pattern` occurs
   local n = 0
   for l in io.lines(NNLUA_ROOT .. '/tests/nngraph/errors_spec.lua') do
      n = n + 1
      if l:find(pattern, 1, true) then return n end
   end
end

describe('nngraph wiring errors', function()
   it('a node used before it is defined (a nil input) is named by position', function()
      local msg = message(function()
         local y = nn.Linear(2, 3)(undefined_node)
         return y
      end)
      has(msg, HERE, 'nn.Linear(2 -> 3): inputs[1] is nil (typo / bad index?)')
      local a = nn.Identity()()
      msg = message(function()
         local y = nn.CAddTable()({ a, undefined_node, a })
         return y
      end)
      has(msg, 'nn.CAddTable: inputs[2] is nil (typo / bad index?)')
   end)

   it('a tensor, a module or several arguments where a node is expected', function()
      local msg = message(function()
         local y = nn.Linear(2, 3)(torch.randn(2))
         return y
      end)
      has(msg, HERE, 'inputs[1] should be an nngraph.Node but is of type torch.DoubleTensor', 'm:forward(input)')
      msg = message(function()
         local y = nn.Linear(2, 3)(nn.Linear(3, 2))
         return y
      end)
      has(msg, 'inputs[1] is an nn.Module, specifically a nn.Linear', 'Did you forget a second set of parens')
      msg = message(function()
         local y = nn.CAddTable()(nn.Identity()(), nn.Identity()())
         return y
      end)
      has(msg, 'use {input1, input2} to pass multiple inputs')
      msg = message(function()
         local y = nn.CAddTable()({})
         return y
      end)
      has(msg, 'cannot pass an empty table of inputs')
      local a = nn.Identity()()
      msg = message(function()
         local y = nn.CAddTable()({ a, a })
         return y
      end)
      has(msg, 'is passed twice as an input of one node')
   end)

   it('without nngraph m(x) is forward, as in Torch7; loading nngraph makes it build nodes', function()
      local spec = require 'tests.spec_util'
      local out, rc = spec.run_nnlua([[-e "require 'nn'; local m = nn.MulConstant(2); print(m(torch.ones(2))[1]); ]]
         .. [[require 'nngraph'; print(pcall(m, torch.ones(2)))"]])
      assert.are.equal(0, rc, out)
      assert.is_truthy(out:match('^2\nfalse\t.-inputs%[1%] should be an nngraph.Node'), out)
   end)

   it('gModule arguments: nil, empty, not lists, repeated, not inputs', function()
      local x = nn.Identity()()
      local msg = message(function()
         local g = nn.gModule({ x }, { undefined_node })
         return g
      end)
      has(msg, HERE, 'nn.gModule: no outputs given (outputs[1] is nil: a node used before it is defined?)')
      msg = message(function()
         local g = nn.gModule({ x }, { undefined_node, nn.Tanh()(x) })
         return g
      end)
      has(msg, 'nn.gModule: outputs[1] is nil (typo / bad index?)')
      msg = message(function()
         local g = nn.gModule(x, { nn.Tanh()(x) })
         return g
      end)
      has(msg, 'nn.gModule: expected a list of input nodes, e.g. nn.gModule({x}, {y}), got nngraph.Node')
      msg = message(function()
         local g = nn.gModule({ x, x }, { x })
         return g
      end)
      has(msg, 'inputs[1] and inputs[2] are the same node')
      msg = message(function()
         local g = nn.gModule({ x }, { nn.Linear(2, 2) })
         return g
      end)
      has(msg, 'outputs[1] is an nn.Module')
      local y = nn.Identity()()
      local h = nn.Tanh()(y) -- line: h is not an input
      msg = message(function()
         local g = nn.gModule({ h }, { nn.Sigmoid()(h) })
         return g
      end)
      has(msg, 'nn.gModule: inputs[1] (made at ' .. HERE .. line_of('line: h is not an input') .. ') takes 1 input(s)')
      local z = nn.Identity()()
      local first = nn.gModule({ z }, { nn.Tanh()(z) }) -- line: first graph
      msg = message(function()
         local g = nn.gModule({ z }, { first.outnode.children[1] })
         return g
      end)
      has(msg, 'is already the input of the nn.gModule made at ' .. HERE .. line_of('line: first graph'))
   end)

   it('an unused input, an unreachable node, a dangling consumer, an unused split output', function()
      local x1, x2 = nn.Identity()(), nn.Identity()() -- line: two inputs
      local t = nn.MulConstant(2)(x1)
      local msg = message(function()
         local g = nn.gModule({ x1, x2 }, { t })
         return g
      end)
      has(msg, 'nn.gModule: inputs[2] (made at ' .. HERE .. line_of('line: two inputs') .. ') is not used')
      -- the failed attempt left the nodes as they were: wiring them again works
      local fixed = nn.gModule({ x1 }, { t })
      assert.are.same({ 6 }, fixed:forward(torch.Tensor { 3 }):totable())

      local x, z = nn.Identity()(), nn.Identity()() -- line: z is no input
      msg = message(function()
         local g = nn.gModule({ x }, { nn.CAddTable()({ x, z }) })
         return g
      end)
      has(msg, 'made at ' .. HERE .. line_of('line: z is no input') .. ') has no inputs and is not among the graph\'s inputs')

      local u = nn.Identity()()
      local v = nn.Tanh()(u)
      local dangling = nn.Sigmoid()(v) -- line: dangling
      msg = message(function()
         local g = nn.gModule({ u }, { v })
         return g
      end)
      has(msg, 'the node made at ' .. HERE .. line_of('line: dangling') .. ' takes the node made at', 'does not connect to any output')

      local w = nn.Identity()()
      local s1, s2 = nn.SplitTable(2)(w):split(2) -- line: split
      msg = message(function()
         local g = nn.gModule({ w }, { s1 })
         return g
      end)
      has(msg, '1 of split(2) outputs from the node made at ' .. HERE .. line_of('line: split') .. ' are unused')
   end)
end)

describe('nngraph run-time errors', function()
   it('a size mismatch names the node, its name, where it was made, its input and the module', function()
      local x = nn.Identity()()
      local h = nn.Linear(3, 4)(x):annotate { name = 'hidden' }
      local y = nn.Linear(5, 2)(nn.Tanh()(h)) -- line: decoder
      local g = nn.gModule({ x }, { y })
      local msg = message(function()
         local out = g:forward(torch.randn(2, 3))
         return out
      end)
      has(msg, HERE, 'nn.gModule: node', 'made at ' .. HERE .. line_of('line: decoder'), 'updateOutput with input Tensor[2x4]',
         'nn.Linear(5 -> 2): ')
      msg = message(function()
         local out = g:forward(torch.randn(2, 7))
         return out
      end)
      has(msg, "'hidden' (made at " .. HERE, 'with input Tensor[2x7]', 'nn.Linear(3 -> 4): ')
      -- inside a container the container's prefix comes first
      local seq = nn.Sequential():add(g)
      msg = message(function()
         local out = seq:forward(torch.randn(2, 7))
         return out
      end)
      has(msg, HERE, "nn.Sequential (1): nn.gModule: node", "'hidden'")
   end)

   it('a module failing in backward names the node, its input and gradOutput', function()
      local x = nn.Identity()()
      local g = nn.gModule({ x }, { nn.Linear(3, 2)(x) }) -- line: backward
      g:forward(torch.randn(4, 3))
      local msg = message(function()
         local gi = g:backward(torch.randn(4, 3), torch.randn(4, 5))
         return gi
      end)
      has(msg, HERE, 'made at ' .. HERE .. line_of('line: backward'),
         'updateGradInput with input Tensor[4x3] and gradOutput Tensor[4x5]: nn.Linear(3 -> 2): ')
   end)

   it('a mismatch between two branches names the joining node', function()
      local x = nn.Identity()()
      local y = nn.CAddTable()({ nn.Linear(3, 4)(x), x }) -- line: join
      local g = nn.gModule({ x }, { y })
      local msg = message(function()
         local out = g:forward(torch.randn(2, 3))
         return out
      end)
      has(msg, 'made at ' .. HERE .. line_of('line: join'), 'with input {Tensor[2x4],Tensor[2x3]}', 'nn.CAddTable')
   end)

   it('wrong numbers of inputs and gradOutputs, backward before forward', function()
      local a, b = nn.Identity()(), nn.Identity()()
      local g = nn.gModule({ a, b }, { nn.CAddTable()({ a, b }), nn.Tanh()(a) })
      local msg = message(function()
         local out = g:forward(torch.randn(2))
         return out
      end)
      has(msg, HERE, 'nn.gModule: expected a table of 2 inputs, got torch.DoubleTensor')
      msg = message(function()
         local out = g:forward({ torch.randn(2) })
         return out
      end)
      has(msg, 'nn.gModule: got 1 inputs instead of 2')
      msg = message(function()
         local gi = g:backward({ torch.randn(2), torch.randn(2) }, { torch.randn(2) })
         return gi
      end)
      has(msg, 'nn.gModule: got 1 gradOutputs instead of 2')
      msg = message(function()
         local gi = g:backward({ torch.randn(2), torch.randn(2) }, { torch.randn(2), torch.randn(2) })
         return gi
      end)
      has(msg, 'call forward(input) first')
   end)

   it('split() of a table of another length', function()
      local x = nn.Identity()()
      local p, q = nn.SplitTable(2)(x):split(2) -- line: split two
      local g = nn.gModule({ x }, { p, q })
      local msg = message(function()
         local out = g:forward(torch.randn(2, 3))
         return out
      end)
      has(msg, 'made at ' .. HERE .. line_of('line: split two'), 'split(2) cannot split 3 outputs')
      local ok = pcall(function() g:forward(torch.randn(4, 2)) end)
      assert.is_true(ok)
   end)

   it('setDebug saves the graph with the failing node marked', function()
      local dir = os.tmpname()
      os.remove(dir)
      os.execute("mkdir -p '" .. dir .. "'")
      local x = nn.Identity()()
      local g = nn.gModule({ x }, { nn.Linear(5, 2)(x) })
      g.name = dir .. '/failing'
      nngraph.setDebug(true)
      local msg = message(function()
         local out = g:forward(torch.randn(2, 3))
         return out
      end)
      nngraph.setDebug(false)
      has(msg, 'graph saved in ' .. dir .. '/failing.')
      local f = io.open(dir .. '/failing.dot')
      local text = f:read('*a')
      f:close()
      has(text, 'fillcolor=red')
      os.execute("rm -rf '" .. dir .. "'")
   end)
end)

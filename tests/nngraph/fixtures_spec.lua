-- gModules saved by Torch7's nngraph (../shared/fixtures/t7/gmodule_*.t7,
-- binary and ascii; see the fixtures README): they load, and forward and
-- backward reproduce the outputs and gradients Torch7 computed.
require 'nngraph'
local U = dofile(NNLUA_ROOT .. '/tests/nngraph/util.lua')
local spec = require 'tests.spec_util'

local dir = NNLUA_FIXTURES .. '/t7/'

-- relative to the recorded values' scale
local function close(a, b)
   local la, lb = U.leaves(a), U.leaves(b)
   assert.are.equal(#lb, #la)
   for i = 1, #la do
      assert.are.same(lb[i]:size():totable(), la[i]:size():totable())
      local scale = math.max(1, lb[i]:clone():abs():max())
      assert.is_true((la[i] - lb[i]):abs():max() <= 1e-6 * scale, 'tensor ' .. i .. ' differs')
   end
end

local cases = {
   -- name, inputs, outputs, modules, nodes
   { 'gmodule_two_io', 2, 2, 10, 15 },
   { 'gmodule_lstm_step', 3, 2, 17, 28 },
}

describe('gModules saved by Torch7', function()
   for _, c in ipairs(cases) do
      for _, suffix in ipairs { '.t7', '.ascii.t7' } do
         local file = c[1] .. suffix
         it(file .. ' loads and reproduces Torch7\'s forward and backward', function()
            local d = torch.load(dir .. file)
            local m = d.model
            assert.are.equal('nn.gModule', torch.type(m))
            assert.are.equal(c[2], m.nInputs)
            assert.are.equal(c[3], #m.outnode.children)
            assert.are.equal(c[4], #m.modules)
            assert.are.equal(c[5], #m.forwardnodes)
            assert.are.equal(c[5], #m.backwardnodes)
            assert.are.equal('graph.Graph', torch.type(m.fg))
            assert.are.equal('nngraph.Node', torch.type(m.innode))
            -- Torch7's labels name the line of its script that made each node
            local labels = 0
            for _, node in ipairs(m.forwardnodes) do
               if node.data.module then
                  assert.is_truthy(node.data.annotations._debugLabel:match('^%[make_graph_fixtures%.lua%]:%d+_$'))
                  labels = labels + 1
               end
            end
            assert.are.equal(c[4], labels)
            m:zeroGradParameters()
            close(m:forward(d.input), d.output)
            close(m:backward(d.input, d.gradOutput), d.gradInput)
            local _, gradParams = m:parameters()
            close(gradParams, d.gradParams)
            -- a second pass gives the same values (the node buffers are reused)
            m:zeroGradParameters()
            close(m:forward(d.input), d.output)
            close(m:backward(d.input, d.gradOutput), d.gradInput)
         end)
      end
   end

   it('the loaded graph keeps working as a module: clone, float, save again', function()
      local d = torch.load(dir .. 'gmodule_lstm_step.t7')
      local c = d.model:clone()
      close(c:forward(d.input), d.output)
      local f = torch.deserialize(torch.serialize(d.model))
      close(f:forward(d.input), d.output)
      c:float()
      local fin = { d.input[1]:float(), d.input[2]:float(), d.input[3]:float() }
      local out = c:forward(fin)
      assert.are.equal('torch.FloatTensor', out[1]:type())
      assert.is_true(U.maxdiff(out, d.output) < 1e-5)
   end)

   it('torch.load finds nngraph by itself (a fresh nnlua process)', function()
      local code = "local d = torch.load('" .. dir .. "gmodule_two_io.t7'); "
         .. "local o = d.model:forward(d.input); "
         .. "print(torch.type(d.model), (o[1] - d.output[1]):abs():max(), (o[2] - d.output[2]):abs():max())"
      local out, rc = spec.run_nnlua("-e \"" .. code .. "\"")
      assert.are.equal(0, rc, out)
      assert.are.equal('nn.gModule\t0\t0\n', out)
   end)
end)

-- torch.save/torch.load of gModules, binary and ascii, to files and to
-- strings: the graph, its annotations and its shared parameters survive,
-- and the loaded module computes what the saved one did.
require 'nngraph'
local U = dofile(NNLUA_ROOT .. '/tests/nngraph/util.lua')

local function model()
   local a, b = nn.Identity()(), nn.Identity()()
   local lin = nn.Linear(3, 3)
   local h = lin(nn.Tanh()(lin(a))):annotate { name = 'twice' }
   local p1, p2 = nn.SplitTable(2)(nn.Reshape(2, 3)(nn.JoinTable(2)({ h, b }))):split(2)
   return nn.gModule({ a, b }, { nn.CMulTable()({ p1, p2 }), h })
end

local function run(g, input, gradOutput)
   g:zeroGradParameters()
   local out = U.copy(g:forward(input))
   local gi = U.copy(g:backward(input, gradOutput))
   local _, gp = g:parameters()
   return out, gi, U.copy(gp)
end

describe('saving and loading gModules', function()
   for _, format in ipairs { 'binary', 'ascii' } do
      it('a ' .. format .. ' file round trip keeps structure, values and sharing', function()
         torch.manualSeed(41)
         local g = model()
         local input = { torch.randn(2, 3), torch.randn(2, 3) }
         local go = { torch.randn(2, 3), torch.randn(2, 3) }
         local o1, gi1, gp1 = run(g, input, go)
         local name = os.tmpname()
         torch.save(name, g, format)
         local l = torch.load(name, format)
         os.remove(name)
         assert.are.equal('nn.gModule', torch.type(l))
         assert.are.equal(#g.forwardnodes, #l.forwardnodes)
         assert.are.equal(#g.modules, #l.modules)
         assert.are.equal(2, l.nInputs)
         local names = 0
         for _, node in ipairs(l.forwardnodes) do
            if node.data.annotations.name == 'twice' then names = names + 1 end
            -- node data refers to the same module objects as the module list
            if node.data.module then
               local found = false
               for _, m in ipairs(l.modules) do found = found or m == node.data.module end
               assert.is_true(found)
            end
         end
         assert.are.equal(1, names)
         local o2, gi2, gp2 = run(l, input, go)
         assert.are.equal(0, U.maxdiff(o1, o2))
         assert.are.equal(0, U.maxdiff(gi1, gi2))
         assert.are.equal(0, U.maxdiff(gp1, gp2))
         -- the two uses of one Linear still share its weight after loading
         local lins = l:findModules('nn.Linear')
         lins[1].weight[1][1] = 3
         assert.are.equal(3, lins[2].weight[1][1])
      end)
   end

   it('serialize/deserialize and MemoryFile copies are independent of the original', function()
      torch.manualSeed(42)
      local g = model()
      local input = { torch.randn(2, 3), torch.randn(2, 3) }
      local out = U.copy(g:forward(input))
      for _, format in ipairs { 'binary', 'ascii' } do
         local c = torch.deserialize(torch.serialize(g, format), format)
         assert.are.equal(0, U.maxdiff(c:forward(input), out))
         c:getParameters():zero()
         assert.is_true(U.maxdiff(g:forward(input), out) == 0)
      end
   end)

   it('clone() copies; clone with names shares those tensors', function()
      torch.manualSeed(43)
      local g = model()
      local input = { torch.randn(2, 3), torch.randn(2, 3) }
      local out = U.copy(g:forward(input))
      local copy = g:clone()
      local shared = g:clone('weight', 'bias', 'gradWeight', 'gradBias')
      assert.are.equal(0, U.maxdiff(copy:forward(input), out))
      assert.are.equal(0, U.maxdiff(shared:forward(input), out))
      -- (getParameters would move g's parameters to a new storage, away from
      -- the clones: char-rnn flattens before cloning)
      for _, t in ipairs(g:parameters()) do t:add(0.5) end
      -- the plain copy kept the old weights, the shared clone sees the new
      assert.are.equal(0, U.maxdiff(copy:forward(input), out))
      assert.are.equal(0, U.maxdiff(shared:forward(input), g:forward(input)))
      assert.is_true(U.maxdiff(shared:forward(input), out) > 0)
      -- gradients accumulate in the one shared storage
      local go = { torch.ones(2, 3), torch.ones(2, 3) }
      g:zeroGradParameters()
      g:forward(input)
      g:backward(input, go)
      local _, gp = g:parameters()
      local once = U.copy(gp)
      shared:forward(input)
      shared:backward(input, go)
      for i = 1, #gp do assert.is_true(U.maxdiff(gp[i], once[i] * 2) < 1e-12) end
   end)
end)

-- Every module and criterion of the Torch7 fixture survives torch.save /
-- torch.load (binary and ascii) after a forward and backward: the loaded
-- copy has the same type and parameters and computes the same output and
-- gradients, and every tensor field (running statistics, buffers) is
-- equal (stochastic modules compared from the same seed). Nothing a user saved comes back different.
require 'nn'
local spec = require 'tests.spec_util'

local F = dofile(NNLUA_ROOT .. '/tests/nn/fixture_util.lua')
local cases, tensor = F.cases, F.tensor

local function same(a, b, what)
   if type(b) == 'table' and not torch.isTensor(b) then
      assert.are.equal(#b, #a, what .. ': table length')
      for i = 1, #b do same(a[i], b[i], what .. '[' .. i .. ']') end
      return
   end
   if type(b) == 'number' then
      assert.are.equal(b, a, what)
      return
   end
   assert.are.same(b:size():totable(), a:size():totable(), what .. ': size')
   assert.is_true(spec.close(a, b, 0, 0), what .. ': values differ')
end

local function copy(x)
   if torch.isTensor(x) then return x:clone() end
   if type(x) == 'table' then
      local r = {}
      for k, v in pairs(x) do r[k] = copy(v) end
      return r
   end
   return x
end

local function roundtrip(m, mode)
   local f = os.tmpname()
   torch.save(f, m, mode)
   local r = torch.load(f, mode)
   os.remove(f)
   return r
end

describe('saved modules', function()
   for i, c in ipairs(cases) do
      it(string.format('#%d %s comes back the same', i, c.ctor), function()
         torch.manualSeed(c.seed)
         local m = loadstring('return ' .. c.ctor)()
         local input = tensor(c.input)
         for _, mode in ipairs { 'binary', 'ascii' } do
            if c.kind == 'criterion' then
               local target = type(c.target) == 'table' and tensor(c.target) or c.target
               local loss = m:forward(input, target)
               local gi = copy(m:backward(input, target))
               local r = roundtrip(m, mode)
               assert.are.equal(torch.typename(m), torch.typename(r))
               same(r:forward(input, target), loss, mode .. ' loss')
               same(r:backward(input, target), gi, mode .. ' gradInput')
            else
               -- stochastic modules: the same seed before each forward
               local function seed() if c.seedForward then torch.manualSeed(c.seedForward) end end
               if c.evaluate then m:evaluate() end
               seed()
               local out = copy(m:forward(input))
               m:zeroGradParameters()
               local gi = copy(m:backward(input, tensor(c.gradOutput)))
               local r = roundtrip(m, mode)
               assert.are.equal(torch.typename(m), torch.typename(r))
               same(r:parameters() or {}, m:parameters() or {}, mode .. ' parameters')
               -- every tensor field (running statistics, buffers, noise) too
               for k, v in pairs(m) do
                  if torch.isTensor(v) then same(r[k], v, mode .. ' field ' .. k) end
               end
               seed()
               same(r:forward(input), out, mode .. ' output')
               r:zeroGradParameters()
               same(r:backward(input, tensor(c.gradOutput)), gi, mode .. ' gradInput')
            end
         end
      end)
   end
end)

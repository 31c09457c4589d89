-- Every case recorded from Torch7 in fixtures/torch7/nn_modules.lua whose
-- class nnlua has: the constructor after torch.manualSeed(seed) gives the
-- same initial parameters, and forward/backward give the same output,
-- gradInput and parameter gradients, within 1e-10 in double. Cases whose
-- class is not implemented are pending with that reason.
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
      assert.is_true(math.abs(a - b) <= 1e-10 * (1 + math.abs(b)), string.format('%s: %.17g vs %.17g', what, a, b))
      return
   end
   assert.are.same(b:size():totable(), a:size():totable(), what .. ': size')
   assert.is_true(spec.close(a, b, 1e-10, 1e-10), what .. ': values differ')
end

describe('Torch7 nn fixtures', function()
   for i, c in ipairs(cases) do
      local name = c.ctor:match('^nn%.([%w_]+)')
      it(string.format('#%d %s', i, c.ctor), function()
         if not nn[name] then return pending('nn.' .. name .. ' is not implemented yet') end
         torch.manualSeed(c.seed)
         local m = loadstring('return ' .. c.ctor)()
         local input = tensor(c.input)
         if c.kind == 'criterion' then
            local target = c.target
            if type(target) == 'table' then target = tensor(target) end
            local loss = m:forward(input, target)
            same(loss, c.loss, 'loss')
            same(m:backward(input, target), tensor(c.gradInput), 'gradInput')
            return
         end
         if c.params then
            local ps = m:parameters() or {}
            same(ps, tensor(c.params), 'initial parameters')
         end
         if c.evaluate then m:evaluate() end
         if c.forwardTwice then m:forward(input) end
         if c.seedForward then torch.manualSeed(c.seedForward) end
         local out = m:forward(input)
         same(out, tensor(c.output), 'output')
         if c.evaluateOutput then
            m:evaluate()
            same(m:forward(input), tensor(c.evaluateOutput), 'evaluate output')
            m:training()
            if c.seedForward then torch.manualSeed(c.seedForward) end
            m:forward(input)
         end
         m:zeroGradParameters()
         local gi = m:backward(input, tensor(c.gradOutput))
         same(gi, tensor(c.gradInput), 'gradInput')
         if c.gradParams then
            local _, gs = m:parameters()
            same(gs or {}, tensor(c.gradParams), "gradParameters")
         end
      end)
   end
end)

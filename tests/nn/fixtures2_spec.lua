-- Every case recorded from Torch7 in fixtures/torch7/nn_modules2.lua whose
-- class nnlua has: the constructor after torch.manualSeed(seed) gives the
-- same initial parameters, and forward/backward give the same output,
-- gradInput and parameter gradients, within 1e-10 in double. Cases whose
-- class is not implemented are pending with that reason.
require 'nn'
local spec = require 'tests.spec_util'

local F = dofile(NNLUA_ROOT .. '/tests/nn/fixture_util.lua')
local cases = dofile(NNLUA_FIXTURES .. '/torch7/nn_modules2.lua')

-- F.tensor, keeping ByteTensor records (masks) as ByteTensors
local function tensor(t)
   if t.type == nil then
      local r = {}
      for i, v in ipairs(t) do r[i] = tensor(v) end
      return r
   end
   local x = F.tensor(t)
   if t.type == 'torch.ByteTensor' then return x:byte() end
   return x
end

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
   assert.are.equal(torch.type(b), torch.type(a), what .. ': type')
   assert.is_true(spec.close(a:double(), b:double(), 1e-10, 1e-10), what .. ': values differ')
end

-- the class a constructor names, and the other classes its expression uses
local function classes(ctor)
   local names = {}
   for name in ctor:gmatch('nn%.([%w_]+)') do
      if name:match('^%u') then names[#names + 1] = name end
   end
   return names
end

-- recorded corner cases of classes nnlua has, whose behaviour it lacks
local gaps = {
}

describe('Torch7 nn fixtures (nn_modules2)', function()
   for i, c in ipairs(cases) do
      it(string.format('#%d %s', i, c.ctor), function()
         for _, name in ipairs(classes(c.ctor)) do
            if not nn[name] then return pending('nn.' .. name .. ' is not implemented yet') end
         end
         if gaps[c.ctor] then return pending(c.ctor .. ': ' .. gaps[c.ctor]) end
         if c.ctor:match('nn%.tables') and not nn.tables then return pending('nn.tables is not implemented yet') end
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
            same(gs or {}, tensor(c.gradParams), 'gradParameters')
         end
      end)
   end
end)

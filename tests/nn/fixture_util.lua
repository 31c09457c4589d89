-- Reading fixtures/torch7/nn_modules.lua and nn_modules2.lua for the specs:
-- their cases, their recorded tensors ({type, size, data}, or lists of
-- them) as tensors, and one case run against its recording.
--   local F = dofile(NNLUA_ROOT .. '/tests/nn/fixture_util.lua')
local spec = require 'tests.spec_util'
local assert = require 'luassert'   -- busted's assert (a dofile'd chunk sees the global one)
local F = {}

F.cases = dofile(NNLUA_FIXTURES .. '/torch7/nn_modules.lua')

function F.tensor(t)
   if t.type == nil then
      local r = {}
      for i, v in ipairs(t) do r[i] = F.tensor(v) end
      return r
   end
   if #t.size == 0 then return torch.Tensor() end
   local x = torch.Tensor(#t.data)
   for i, v in ipairs(t.data) do x[i] = v end
   x = x:view(torch.LongStorage(t.size))
   if t.type == 'torch.LongTensor' then return x:long() end
   if t.type == 'torch.ByteTensor' then return x:byte() end
   return x
end

-- asserts a (a result) equals b (a recording) within 1e-10: numbers,
-- tensors or nested tables of them; check_type: the tensor types too
function F.same(a, b, what, check_type)
   if type(b) == 'table' and not torch.isTensor(b) then
      assert.are.equal(#b, #a, what .. ': table length')
      for i = 1, #b do F.same(a[i], b[i], what .. '[' .. i .. ']', check_type) end
      return
   end
   if type(b) == 'number' then
      assert.is_true(math.abs(a - b) <= 1e-10 * (1 + math.abs(b)), string.format('%s: %.17g vs %.17g', what, a, b))
      return
   end
   assert.are.same(b:size():totable(), a:size():totable(), what .. ': size')
   if check_type then assert.are.equal(torch.type(b), torch.type(a), what .. ': type') end
   assert.is_true(spec.close(a:double(), b:double(), 1e-10, 1e-10), what .. ': values differ')
end

-- Runs recorded case c: the constructor after manualSeed(seed) gives the
-- recorded initial parameters; forward and backward give the recorded
-- output, gradInput and parameter gradients (loss and gradInput for a
-- criterion), with the case's evaluate/seedForward/forwardTwice steps.
function F.run(c, check_type)
   local same = function(a, b, what) F.same(a, b, what, check_type) end
   local tensor = F.tensor
   torch.manualSeed(c.seed)
   local m = loadstring('return ' .. c.ctor)()
   local input = tensor(c.input)
   if c.kind == 'criterion' then
      local target = c.target
      if type(target) == 'table' then target = tensor(target) end
      same(m:forward(input, target), c.loss, 'loss')
      same(m:backward(input, target), tensor(c.gradInput), 'gradInput')
      return
   end
   if c.params then same(m:parameters() or {}, tensor(c.params), 'initial parameters') end
   if c.evaluate then m:evaluate() end
   if c.forwardTwice then m:forward(input) end
   if c.seedForward then torch.manualSeed(c.seedForward) end
   same(m:forward(input), tensor(c.output), 'output')
   if c.evaluateOutput then
      m:evaluate()
      same(m:forward(input), tensor(c.evaluateOutput), 'evaluate output')
      m:training()
      if c.seedForward then torch.manualSeed(c.seedForward) end
      m:forward(input)
   end
   m:zeroGradParameters()
   same(m:backward(input, tensor(c.gradOutput)), tensor(c.gradInput), 'gradInput')
   if c.gradParams then
      local _, gs = m:parameters()
      same(gs or {}, tensor(c.gradParams), 'gradParameters')
   end
end

return F

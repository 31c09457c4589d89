-- Differential tests against Torch7: module and criterion API behaviour
-- where nnlua differed. Expected values are Torch7's (recorded with its nn).
require 'nn'

local function same(expected, t)
   assert.are.same(expected, t:totable())
end

describe('diff: API as Torch7', function()
   it('a fresh module has no train field until training()/evaluate()', function()
      local m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh())
      assert.is_nil(m.train)
      assert.is_nil(m:get(1).train)
      -- modules with a training mode set it themselves, as in Torch7
      assert.is_true(nn.Dropout().train)
      assert.is_true(nn.BatchNormalization(3).train)
      assert.is_true(nn.RReLU().train)
      assert.is_true(nn.SpatialDropout().train)
      m:evaluate()
      assert.is_false(m.train)
      assert.is_false(m:get(2).train)
      m:training()
      assert.is_true(m:get(1).train)
   end)

   it('ClassNLLCriterion:forward returns the loss and the total weight', function()
      local lsm = torch.Tensor { { -1, -2, -0.5 }, { -0.1, -3, -2 } }
      local t = torch.LongTensor { 2, 1 }
      local cases = {
         { nn.ClassNLLCriterion(), 1.05, 2 },
         { nn.ClassNLLCriterion(torch.Tensor { 1, 3, 2 }), 1.525, 4 },
         { nn.ClassNLLCriterion(nil, false), 2.1, 2 },
         { nn.ClassNLLCriterion(nil, true, 2), 0.1, 1 },
      }
      for _, c in ipairs(cases) do
         local loss, total = c[1]:forward(lsm, t)
         assert.is_true(math.abs(loss - c[2]) < 1e-12)
         assert.are.equal(c[3], total)
      end
      local loss, total = nn.ClassNLLCriterion():forward(lsm[1], 3)
      assert.are.same({ 0.5, 1 }, { loss, total })
      loss, total = nn.SpatialClassNLLCriterion():forward(torch.Tensor(1, 3, 1, 2):fill(-1), torch.LongTensor(1, 1, 2):fill(2))
      assert.are.same({ 1, 2 }, { loss, total })
      -- CrossEntropyCriterion returns the loss alone
      assert.are.equal(1, select('#', nn.CrossEntropyCriterion():forward(torch.randn(2, 3), torch.LongTensor { 1, 2 })))
   end)

   it('Reshape keeps a first size of 1 as a batch of one', function()
      same({ 1, 4 }, nn.Reshape(4):forward(torch.Tensor { { 1, 2, 3, 4 } }):size())
      same({ 1, 2, 2 }, nn.Reshape(2, 2):forward(torch.Tensor { { 1, 2, 3, 4 } }):size())
      same({ 4 }, nn.Reshape(4):forward(torch.Tensor { { 1, 2 }, { 3, 4 } }):size())
      same({ 4 }, nn.Reshape(4, false):forward(torch.Tensor { { 1, 2, 3, 4 } }):size())
      same({ 1, 4 }, nn.Reshape(4):backward(torch.Tensor { { 1, 2, 3, 4 } }, torch.ones(1, 4)):size())
   end)

   it('CAdd broadcasts a bias of the input rank along its size-1 dimensions', function()
      local m = nn.CAdd(2, 1)
      m.bias:copy(torch.Tensor { { 1 }, { 2 } })
      local x = torch.Tensor { { 1, 2, 3 }, { 4, 5, 6 } }
      same({ { 2, 3, 4 }, { 6, 7, 8 } }, m:forward(x))
      m:zeroGradParameters()
      m:backward(x, torch.Tensor { { 1, 2, 3 }, { 4, 5, 6 } })
      same({ { 6 }, { 15 } }, m.gradBias)
      same({ { 1, 2, 3 }, { 4, 5, 6 } }, m.gradInput)
      assert.has_error(function() nn.CAdd(2, 2):forward(torch.randn(2, 3)) end)
   end)

   it('CMul broadcasts a weight of the input rank along its size-1 dimensions', function()
      local x = torch.Tensor { { 1, 2, 3 }, { 4, 5, 6 } }
      local c = nn.CMul(1, 3)
      c.weight:copy(torch.Tensor { { 1, 2, 3 } })
      same({ { 1, 4, 9 }, { 4, 10, 18 } }, c:forward(x))
      c:zeroGradParameters()
      local gi = c:backward(x, torch.Tensor { { 1, 1, 1 }, { 2, 2, 2 } })
      same({ { 9, 12, 15 } }, c.gradWeight)
      same({ { 1, 2, 3 }, { 2, 4, 6 } }, gi)
      local c3 = nn.CMul(2, 1, 1)
      c3.weight:copy(torch.Tensor { 2, 3 }:view(2, 1, 1))
      local x3 = torch.range(1, 8):view(2, 2, 2)
      same({ { { 2, 4 }, { 6, 8 } }, { { 15, 18 }, { 21, 24 } } }, c3:forward(x3))
      c3:zeroGradParameters()
      c3:backward(x3, torch.ones(2, 2, 2))
      same({ { { 10 } }, { { 26 } } }, c3.gradWeight)
   end)

   it('nn.Parallel() builds without dimensions (as in Torch7\'s docs) and says so at forward', function()
      local mlp = nn.Sequential():add(nn.Linear(10, 20)):add(nn.Tanh())
      local p = nn.Parallel():add(mlp):add(nn.ReLU())
      local names = {}
      for _, m in ipairs(p:listModules()) do names[#names + 1] = torch.type(m) end
      assert.are.same({ 'nn.Parallel', 'nn.Sequential', 'nn.Linear', 'nn.Tanh', 'nn.ReLU' }, names)
      local ok, err = pcall(function() p:forward(torch.randn(2, 10)) end)
      assert.is_false(ok)
      assert.matches('nn.Parallel.*without input and output dimensions', err)
   end)

   it('Narrow follows Torch7\'s rules for negative offsets and lengths', function()
      local x = torch.range(1, 12):view(3, 4)
      local cases = { -- dimension, offset, length -> size, sum (Torch7's)
         { 2, -2, 2, { 3, 2 }, 33 }, { 2, -1, 1, { 3, 3 }, 54 }, { 2, -3, 1, { 3, 3 }, 54 },
         { 2, 1, -1, { 3, 4 }, 78 }, { 2, 2, -2, { 3, 2 }, 39 }, { -1, 2, 2, { 3, 2 }, 39 }, { 1, -1, 1, { 2, 4 }, 36 },
      }
      for _, c in ipairs(cases) do
         local o = nn.Narrow(c[1], c[2], c[3]):forward(x)
         assert.are.same(c[4], o:size():totable())
         assert.are.equal(c[5], o:sum())
      end
      local m = nn.Narrow(2, -2, 1)
      m:forward(x)
      assert.are.equal(9, m:backward(x, torch.ones(3, 3)):sum())
      assert.are.same({ 1, 1, 1, 0 }, m.gradInput[1]:totable())
   end)

   it('Squeeze, Unsqueeze and Transpose have setNumInputDims (simple.md\'s example)', function()
      local input = torch.zeros(5, 2, 4, 3)
      same({ 5, 2, 4, 3, 1 }, nn.Unsqueeze(4, 3):forward(input):size())
      local u = nn.Unsqueeze(2)
      assert.are.equal(u, u:setNumInputDims(3))
      same({ 5, 2, 1, 4, 3 }, u:forward(input):size())
      same({ 2, 1, 4, 3 }, nn.Unsqueeze(2):setNumInputDims(3):forward(torch.zeros(2, 4, 3)):size())
      same({ 5, 3 }, nn.Squeeze(2):setNumInputDims(2):forward(torch.zeros(5, 3, 1)):size())
      same({ 3 }, nn.Squeeze(2):setNumInputDims(2):forward(torch.zeros(3, 1)):size())
      local t = nn.Transpose({ 1, 2 }):setNumInputDims(2)
      same({ 5, 4, 3 }, t:forward(torch.zeros(5, 3, 4)):size())
      same({ 5, 3, 4 }, t:backward(torch.zeros(5, 3, 4), torch.zeros(5, 4, 3)):size())
      same({ 4, 3 }, t:forward(torch.zeros(3, 4)):size())
   end)

   it('an empty Sequential passes its input forward and says so on backward', function()
      local x = torch.ones(2)
      local s = nn.Sequential()
      assert.are.equal(x, s:forward(x))
      local ok, err = pcall(function() s:backward(x, x) end)
      assert.is_false(ok)
      assert.matches('diff_api_spec.lua:%d+: nn.Sequential: backward of an empty Sequential', err)
      ok, err = pcall(function() s:updateGradInput(x, x) end)
      assert.matches('nn.Sequential: updateGradInput of an empty Sequential', err)
   end)

   it('LayerNormalization has Torch7\'s modules and values; CSubTable subtracts in element order', function()
      local m = nn.LayerNormalization(3)
      assert.are.equal(6, #m.modules)
      assert.are.equal(2, #m.modules[1].modules[2].modules)
      local x = torch.Tensor { { 1, 2, 4 }, { -1, 0.5, 3 } }
      local o = m:forward(x):view(-1):totable()
      local eo = { -0.94942532654705947, 0.83074716072867671, 1.186781658183824, -0.93979342348432116,
         -0.93979342348432116, 1.1106649550269247 }
      local g = m:backward(x, torch.Tensor { { 1, 0, 0 }, { 0, 1, 0 } }):view(-1):totable()
      local eg = { 0.12236178905119294, -0.1885415749305045, -0.10830844874478507, -0.22246568284029489,
         0.29014891178751651, 0.10680500567687502 }
      for i = 1, 6 do
         assert.is_true(math.abs(o[i] - eo[i]) < 1e-14, 'output ' .. i)
         assert.is_true(math.abs(g[i] - eg[i]) < 1e-14, 'gradInput ' .. i)
      end
      local d = nn.CSubTable():forward({ torch.Tensor { { 1, 2, 3 }, { 4, 5, 6 } }, torch.Tensor { { 1, 2 }, { 3, 4 }, { 5, 6 } }:t() })
      assert.are.same({ { 0, -1, -2 }, { 2, 1, 0 } }, d:totable())
   end)
end)

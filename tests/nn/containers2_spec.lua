-- Parallel, MapTable, FlattenTable, CMaxTable, CMinTable: values against
-- hand computations and plain-Lua loops, gradients against central
-- differences (nn.Jacobian where the input is a tensor), batch and
-- single-sample inputs, non-contiguous inputs, and bad inputs.
require 'nn'
local spec = require 'tests.spec_util'

-- The largest |analytic - numeric| derivative of sum(m(input) .* R) over
-- the elements of a table input of tensors (R: random, shaped like the
-- output, a tensor or a table of tensors).
local function tableJacobian(m, input, eps)
   eps = eps or 1e-6
   local function dotR(out, R)
      if torch.isTensor(out) then return out:dot(R) end
      local s = 0
      for i = 1, #out do s = s + dotR(out[i], R[i]) end
      return s
   end
   local function rand(out)
      if torch.isTensor(out) then return out.new():resizeAs(out):uniform(-1, 1) end
      local r = {}
      for i = 1, #out do r[i] = rand(out[i]) end
      return r
   end
   local R = rand(m:forward(input))
   m:zeroGradParameters()
   m:forward(input)
   local gi = m:backward(input, R)
   local gcopy = {}
   for i = 1, #input do gcopy[i] = gi[i]:clone() end
   local worst = 0
   for k = 1, #input do
      local x = input[k]
      local g = gcopy[k]:contiguous():view(x:nElement())
      for i = 1, x:nElement() do
         -- element i in row-major order, through the view's own strides
         local t, rest = x, i - 1
         local idx = {}
         for dd = x:dim(), 1, -1 do
            idx[dd] = rest % x:size(dd) + 1
            rest = math.floor(rest / x:size(dd))
         end
         for dd = 1, #idx - 1 do t = t:select(1, idx[dd]) end
         local j = idx[#idx]
         local v = t[j]
         t[j] = v + eps
         local fp = dotR(m:forward(input), R)
         t[j] = v - eps
         local fm = dotR(m:forward(input), R)
         t[j] = v
         worst = math.max(worst, math.abs((fp - fm) / (2 * eps) - g[i]))
      end
   end
   return worst
end

describe('nn.Parallel', function()
   it('applies child i to slice i and joins along the output dimension', function()
      torch.manualSeed(21)
      local l1, l2 = nn.Linear(3, 2), nn.Linear(3, 4)
      local m = nn.Parallel(1, 1):add(l1):add(l2)
      local x = torch.randn(2, 3)
      local y = m:forward(x)
      assert.are.same({ 6 }, y:size():totable())
      local expect = torch.cat(l1:forward(x[1]), l2:forward(x[2]), 1)
      assert.is_true(spec.close(y, expect, 1e-14))
      assert.is_true(nn.Jacobian.testJacobian(m, x) < 1e-6)
      local ps, gs = m:parameters()
      assert.are.equal(4, #ps)
      for i = 1, #ps do assert.is_true(nn.Jacobian.testJacobianParameters(m, x, ps[i], gs[i]) < 1e-6) end
   end)
   it('batches: slices along dimension 2, outputs joined along dimension 2', function()
      torch.manualSeed(22)
      local m = nn.Parallel(2, 2):add(nn.Linear(4, 3)):add(nn.Tanh()):add(nn.Linear(4, 1))
      local x = torch.randn(5, 3, 4)
      local y = m:forward(x)
      assert.are.same({ 5, 8 }, y:size():totable())
      assert.is_true(spec.close(y:narrow(2, 4, 4), torch.tanh(x:select(2, 2)), 1e-14))
      assert.is_true(nn.Jacobian.testJacobian(m, x) < 1e-6)
      -- a non-contiguous input gives the same output and gradient
      local xt = x:transpose(1, 3):contiguous():transpose(1, 3)
      assert.is_false(xt:isContiguous())
      assert.is_true(spec.close(m:forward(xt), y, 1e-14))
      local g = torch.randn(5, 8)
      local gi = m:backward(x, g):clone()
      assert.is_true(spec.close(m:backward(xt, g), gi, 1e-14))
   end)
   it('prints like Torch7', function()
      local m = nn.Parallel(1, 1):add(nn.Tanh()):add(nn.Sequential():add(nn.Tanh()))
      -- Torch7 draws the last branch with a corner (checked against Torch7's nn)
      assert.matches('^nn.Parallel {\n  input\n    |`%-> %(1%): nn.Tanh\n     `%-> %(2%): nn.Sequential', tostring(m))
      assert.matches('\n     %.%.%. %-> output\n}$', tostring(m))
   end)
   it('rejects a slice count that does not match its children', function()
      local m = nn.Parallel(1, 1):add(nn.Tanh()):add(nn.Tanh())
      assert.has_error(function() m:forward(torch.randn(3, 2)) end,
         'nn.Parallel: input of size 3x2 has 3 slices along dimension 1 for 2 modules')
      assert.has_error(function() nn.Parallel(3, 1):add(nn.Tanh()):forward(torch.randn(3, 2)) end,
         'nn.Parallel: input of size 3x2 has no dimension 3')
      assert.has_error(function()
         nn.Parallel(1, 2):add(nn.Reshape(2, 3)):add(nn.Reshape(3, 2)):forward(torch.randn(2, 6))
      end, 'nn.Parallel: module 2 gave an output of size 3x2; the outputs must agree except along dimension 2')
      local ok, err = pcall(function() nn.Parallel(1, 1):add(nn.Linear(5, 2)):forward(torch.randn(1, 3)) end)
      assert.is_false(ok)
      assert.matches('nn.Parallel %(1%): nn.Linear%(5 %-> 2%): input has 3 elements, expected 5', err)
   end)
end)

describe('nn.MapTable', function()
   it('maps one module over a table; clones share parameters and gradients', function()
      torch.manualSeed(23)
      local lin = nn.Linear(3, 2)
      local m = nn.MapTable(lin)
      local xs = { torch.randn(3), torch.randn(3), torch.randn(4, 3) }
      local y = m:forward(xs)
      assert.are.equal(3, #y)
      for i = 1, 3 do assert.is_true(spec.close(y[i], torch.Tensor():resizeAs(y[i]):copy(lin:clone():forward(xs[i])), 1e-14)) end
      assert.are.equal(3, #m.modules)
      for i = 2, 3 do
         assert.are.equal(lin.weight:storage(), m.modules[i].weight:storage())
         assert.are.equal(lin.gradBias:storage(), m.modules[i].gradBias:storage())
      end
      -- gradients of all three uses accumulate into the one weight
      local gs = { torch.randn(2), torch.randn(2), torch.randn(4, 2) }
      m:zeroGradParameters()
      m:backward(xs, gs)
      local expect = torch.ger(gs[1], xs[1]) + torch.ger(gs[2], xs[2]) + torch.mm(gs[3]:t(), xs[3])
      assert.is_true(spec.close(lin.gradWeight, expect, 1e-13))
      assert.is_true(tableJacobian(m, xs) < 1e-6)
      -- updateParameters moves the shared weight once
      local w, gw = lin.weight:clone(), lin.gradWeight:clone()
      m:updateParameters(0.1)
      assert.is_true(spec.close(lin.weight, w - gw * 0.1, 1e-14))
      -- getParameters sees one copy of the shared parameters
      local p = m:getParameters()
      assert.are.equal(8, p:nElement())
   end)
   it('unshared clones, resize and printing', function()
      local m = nn.MapTable(nn.Linear(2, 2), false)
      m:forward({ torch.randn(2), torch.randn(2) })
      assert.are_not.equal(m.modules[1].weight:storage(), m.modules[2].weight:storage())
      assert.is_true(spec.close(m.modules[1].weight, m.modules[2].weight, 0))
      m:resize(1)
      assert.are.equal(1, #m.modules)
      assert.are.equal('nn.MapTable {\n  nn.Linear(2 -> 2)\n}', tostring(m))
   end)
   it('bad inputs name the MapTable', function()
      local m = nn.MapTable(nn.Linear(2, 2))
      assert.has_error(function() m:forward(torch.randn(2)) end,
         'nn.MapTable: input should be a table, got torch.DoubleTensor')
      local ok, err = pcall(function() m:forward({ torch.randn(2), torch.randn(3) }) end)
      assert.is_false(ok)
      assert.matches('nn.MapTable %(2%): nn.Linear%(2 %-> 2%): input has 3 elements, expected 2', err)
      assert.has_error(function() m:add(nn.Tanh()) end, 'nn.MapTable:add: MapTable holds a single module')
   end)
end)

describe('nn.FlattenTable', function()
   it('flattens depth-first and rebuilds the nesting for gradInput', function()
      local a, b, c, d = torch.randn(2), torch.randn(3), torch.randn(1), torch.randn(2, 2)
      local m = nn.FlattenTable()
      local input = { a, { b, { c } }, d }
      local out = m:forward(input)
      assert.are.equal(4, #out)
      assert.are.equal(a, out[1])
      assert.are.equal(b, out[2])
      assert.are.equal(c, out[3])
      assert.are.equal(d, out[4])
      local gs = { torch.randn(2), torch.randn(3), torch.randn(1), torch.randn(2, 2) }
      local gi = m:backward(input, gs)
      assert.are.equal(gs[1], gi[1])
      assert.are.equal(gs[2], gi[2][1])
      assert.are.equal(gs[3], gi[2][2][1])
      assert.are.equal(gs[4], gi[3])
      -- a new structure rebuilds the output
      out = m:forward({ { a }, b })
      assert.are.equal(2, #out)
      assert.are.equal(a, out[1])
   end)
   it('inside a network: gradients reach every input', function()
      torch.manualSeed(24)
      local m = nn.Sequential():add(nn.FlattenTable()):add(nn.JoinTable(1))
      local xs = { torch.randn(2), { torch.randn(3), torch.randn(1) } }
      local R = torch.randn(6)
      m:forward(xs)
      local gi = m:backward(xs, R)
      assert.are.same(R:narrow(1, 3, 3):totable(), gi[2][1]:totable())
      assert.are.same(R:narrow(1, 6, 1):totable(), gi[2][2]:totable())
   end)
   it('bad inputs name the module', function()
      assert.has_error(function() nn.FlattenTable():forward(torch.randn(2)) end,
         'nn.FlattenTable: input should be a table, got torch.DoubleTensor')
      local m = nn.FlattenTable()
      m:forward({ torch.randn(2), torch.randn(2) })
      assert.has_error(function() m:backward({ torch.randn(2), torch.randn(2) }, { torch.randn(2) }) end,
         'nn.FlattenTable: gradOutput has 1 entries for 2 flattened inputs')
   end)
end)

describe('nn.CMaxTable and nn.CMinTable', function()
   local function naive(xs, better)
      local n = xs[1]:nElement()
      local out, idx = {}, {}
      local flat = {}
      for i = 1, #xs do flat[i] = xs[i]:contiguous():view(n) end
      for e = 1, n do
         out[e], idx[e] = flat[1][e], 1
         for i = 2, #xs do
            if better(flat[i][e], out[e]) then out[e], idx[e] = flat[i][e], i end
         end
      end
      return out, idx
   end
   for _, case in ipairs { { 'CMaxTable', function(a, b) return a > b end }, { 'CMinTable', function(a, b) return a < b end } } do
      local name, better = case[1], case[2]
      it(name .. ' matches a plain-Lua loop; the gradient goes to the winner', function()
         torch.manualSeed(25)
         local xs = { torch.randn(3, 4), torch.randn(4, 3):t(), torch.randn(3, 4) }
         local m = nn[name]()
         local y = m:forward(xs)
         local out, idx = naive(xs, better)
         assert.are.same(out, y:contiguous():view(12):totable())
         local g = torch.randn(3, 4)
         local gi = m:backward(xs, g)
         local gf = g:view(12)
         for i = 1, 3 do
            local gv = gi[i]:contiguous():view(12)
            for e = 1, 12 do assert.are.equal(idx[e] == i and gf[e] or 0, gv[e]) end
         end
         assert.is_true(tableJacobian(m, xs) < 1e-6)
      end)
      it(name .. ': ties go to the first input; single vectors; float', function()
         local a, b = torch.Tensor { 1, 2, 3 }, torch.Tensor { 1, 5, 0 }
         local m = nn[name]()
         m:forward({ a, b })
         local gi = m:backward({ a, b }, torch.Tensor { 7, 8, 9 })
         assert.are.equal(7, gi[1][1])
         assert.are.equal(0, gi[2][1])
         local yf = nn[name]():float():forward({ a:float(), b:float() })
         -- converted after use: its mask buffer stays a ByteTensor
         local mf = nn[name]()
         mf:forward({ a, b })
         mf:float()
         assert.are.same(yf:totable(), mf:forward({ a:float(), b:float() }):totable())
         assert.are.same(name == 'CMaxTable' and { 7, 0, 9 } or { 7, 8, 0 }, mf:backward({ a:float(), b:float() }, torch.FloatTensor { 7, 8, 9 })[1]:totable())
         assert.are.equal('torch.FloatTensor', torch.typename(yf))
         assert.are.same(name == 'CMaxTable' and { 1, 5, 3 } or { 1, 2, 0 }, yf:totable())
      end)
      it(name .. ' rejects mismatched inputs', function()
         assert.has_error(function() nn[name]():forward({ torch.randn(2), torch.randn(3) }) end,
            'nn.' .. name .. ': input[2] is a torch.DoubleTensor of size 3, input[1] a torch.DoubleTensor of size 2')
         assert.has_error(function() nn[name]():forward(torch.randn(2)) end,
            'nn.' .. name .. ': expected a non-empty table of tensors, got torch.DoubleTensor')
      end)
   end
end)

describe('ConcatTable and Parallel print as Torch7', function()
   -- recorded from Torch7's nn (the last branch is drawn with a corner)
   it('draws every branch, nested modules indented under it', function()
      local c = nn.ConcatTable():add(nn.Identity()):add(nn.Sequential():add(nn.Identity()):add(nn.Tanh()))
      assert.are.equal(table.concat({
         'nn.ConcatTable {',
         '  input',
         '    |`-> (1): nn.Identity',
         '     `-> (2): nn.Sequential {',
         '           [input -> (1) -> (2) -> output]',
         '           (1): nn.Identity',
         '           (2): nn.Tanh',
         '         }',
         '     ... -> output',
         '}' }, '\n'), tostring(c))
      local p = nn.Parallel(1, 1):add(nn.Sequential():add(nn.Identity())):add(nn.Identity())
      assert.are.equal(table.concat({
         'nn.Parallel {',
         '  input',
         '    |`-> (1): nn.Sequential {',
         '    |      [input -> (1) -> output]',
         '    |      (1): nn.Identity',
         '    |    }',
         '     `-> (2): nn.Identity',
         '     ... -> output',
         '}' }, '\n'), tostring(p))
   end)
end)

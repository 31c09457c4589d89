-- Issue 14, part A: Bottle, CAddTensorTable, CReLU, Collapse, Constant,
-- Convert, CosineDistance, DotProduct, GatedLinearUnit, Index, L1Penalty,
-- MM, MV, MaskedSelect, Decorator, DontCast, NaN, PrintSize, Profile.
-- Values against hand computations or plain-Lua loops, gradients against
-- central differences in double, non-contiguous inputs against contiguous
-- ones, and the messages of bad inputs.
require 'nn'

local TOL = 1e-6

local function maxdiff(a, b)
   if torch.isTensor(a) then
      assert.are.same(b:size():totable(), a:size():totable())
      return (a:double() - b:double()):abs():max()
   end
   local d = 0
   for i = 1, #b do d = math.max(d, maxdiff(a[i], b[i])) end
   return d
end

local function close(a, b, tol)
   local d = maxdiff(a, b)
   assert.is_true(d <= (tol or 1e-12), 'difference ' .. d)
end

-- raises a message containing msg
local function raises(fn, msg)
   local ok, err = pcall(fn)
   assert.is_false(ok, 'expected an error containing: ' .. msg)
   assert.is_truthy(tostring(err):find(msg, 1, true), 'got: ' .. tostring(err))
end

local function clone(x)
   if torch.isTensor(x) then return x:clone() end
   local r = {}
   for i, v in ipairs(x) do r[i] = clone(v) end
   return r
end

local function randLike(x)
   if torch.isTensor(x) then return x.new():resizeAs(x):uniform(-1, 1) end
   local r = {}
   for i, v in ipairs(x) do r[i] = randLike(v) end
   return r
end

local function dot(a, b)
   if torch.isTensor(a) then return a:dot(b) end
   local s = 0
   for i = 1, #a do s = s + dot(a[i], b[i]) end
   return s
end

-- the DoubleTensor leaves of a (nested) table input, with their gradients
local function leaves(x, g, out)
   out = out or {}
   if torch.isTensor(x) then
      if torch.type(x) == 'torch.DoubleTensor' then out[#out + 1] = { x, g } end
      return out
   end
   for i = 1, #x do leaves(x[i], g[i], out) end
   return out
end

-- The largest |analytic - numeric| derivative of sum(m(input) .* R) over
-- every double element of the (contiguous) input, a tensor or nested table.
local function jacobian(m, input)
   local R = randLike(m:forward(input))
   m:forward(input)
   local gi = clone(m:backward(input, R))
   local worst = 0
   for _, leaf in ipairs(leaves(input, gi)) do
      local x, g = leaf[1]:view(-1), leaf[2]:contiguous():view(-1)
      for i = 1, x:nElement() do
         local v = x[i]
         x[i] = v + 1e-6
         local fp = dot(m:forward(input), R)
         x[i] = v - 1e-6
         local fm = dot(m:forward(input), R)
         x[i] = v
         worst = math.max(worst, math.abs((fp - fm) / 2e-6 - g[i]))
      end
   end
   return worst
end

-- forward and backward on a non-contiguous copy agree with the contiguous input
local function sameOnNonContiguous(m, input, gradOutput)
   local out = clone(m:forward(input))
   local gi = clone(m:backward(input, gradOutput))
   local function nc(x)
      if not torch.isTensor(x) then
         local r = {}
         for i, v in ipairs(x) do r[i] = nc(v) end
         return r
      end
      if x:dim() < 2 or torch.type(x) ~= 'torch.DoubleTensor' then return x end
      local d = x:dim()
      local t = x:transpose(d - 1, d):clone():transpose(d - 1, d)
      assert.is_false(t:isContiguous())
      return t
   end
   local xin = nc(input)
   close(m:forward(xin), out)
   close(m:backward(xin, gradOutput), gi)
end

describe('nn.Bottle', function()
   it('applies a 2D module over the leading dimensions', function()
      local lin = nn.Linear(5, 3)
      local m = nn.Bottle(lin)
      local x = torch.randn(2, 4, 5)
      local y = m:forward(x)
      assert.are.same({ 2, 4, 3 }, y:size():totable())
      close(y, lin:forward(x:view(8, 5)):view(2, 4, 3))
      -- an input with nInputDim dimensions passes straight through
      close(m:forward(torch.ones(3, 5)), lin:forward(torch.ones(3, 5)))
   end)
   it('has the gradients of its module', function()
      local m = nn.Bottle(nn.Linear(4, 2))
      local x = torch.randn(2, 3, 4)
      assert.is_true(jacobian(m, x) < TOL)
      local ps, gs = m:parameters()
      assert.are.equal(2, #ps)
      for i = 1, 2 do
         assert.is_true(nn.Jacobian.testJacobianParameters(m, x, ps[i], gs[i]) < 1e-5)
      end
      sameOnNonContiguous(m, x, torch.randn(2, 3, 2))
   end)
   it('names itself in a bad input', function()
      raises(function() nn.Bottle(nn.Linear(4, 2)):forward(torch.randn(4)) end,
         'nn.Bottle: expected at least 2 dimensions, got a tensor of size 4')
      assert.are.equal('nn.Bottle @ nn.Linear(4 -> 2)', tostring(nn.Bottle(nn.Linear(4, 2))))
      raises(function() nn.Bottle(3) end, 'nn.Bottle: expected a module as argument 1')
   end)
end)

describe('nn.CAddTensorTable', function()
   it('adds the tensor to every tensor of the table', function()
      local m = nn.CAddTensorTable()
      local t = torch.Tensor { 1, 2, 3 }
      local y = m:forward({ t, { torch.Tensor { 10, 20, 30 }, torch.Tensor { -1, -1, -1 } } })
      close(y, { torch.Tensor { 11, 22, 33 }, torch.Tensor { 0, 1, 2 } })
      local gi = m:backward({ t, { t, t } }, { torch.Tensor { 1, 0, 2 }, torch.Tensor { 3, 1, 1 } })
      close(gi, { torch.Tensor { 4, 1, 3 }, { torch.Tensor { 1, 0, 2 }, torch.Tensor { 3, 1, 1 } } })
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local m = nn.CAddTensorTable()
      local x = { torch.randn(3, 4), { torch.randn(3, 4), torch.randn(3, 4), torch.randn(3, 4) } }
      assert.is_true(jacobian(m, x) < TOL)
      sameOnNonContiguous(m, x, { torch.randn(3, 4), torch.randn(3, 4), torch.randn(3, 4) })
   end)
   it('rejects a bad input', function()
      raises(function() nn.CAddTensorTable():forward(torch.randn(3)) end,
         'nn.CAddTensorTable: expected input {tensor, {tensor, ...}}')
      raises(function() nn.CAddTensorTable():forward({ torch.randn(3), { torch.randn(4) } }) end,
         'nn.CAddTensorTable: input[2][1] should be a tensor of size 3')
   end)
end)

describe('nn.CReLU', function()
   it('concatenates ReLU(x) and ReLU(-x) along the features', function()
      local m = nn.CReLU(1)
      close(m:forward(torch.Tensor { 1, -2, 0 }), torch.Tensor { 1, 0, 0, 0, 2, 0 })
      local y = m:forward(torch.Tensor { { 1, -2 }, { -3, 4 } })
      close(y, torch.Tensor { { 1, 0, 0, 2 }, { 0, 4, 3, 0 } })
      local gi = m:backward(torch.Tensor { { 1, -2 }, { -3, 4 } }, torch.Tensor { { 1, 2, 3, 4 }, { 5, 6, 7, 8 } })
      close(gi, torch.Tensor { { 1, -4 }, { -7, 6 } })
      -- 3D feature maps: channels double
      assert.are.same({ 2, 6, 4, 4 }, nn.CReLU(3):forward(torch.randn(2, 3, 4, 4)):size():totable())
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local m = nn.CReLU(3)
      local x = torch.randn(2, 3, 2, 2)
      assert.is_true(jacobian(m, x) < TOL)
      sameOnNonContiguous(m, x, torch.randn(2, 6, 2, 2))
   end)
   it('rejects a bad input', function()
      raises(function() nn.CReLU(3):forward(torch.randn(4, 4)) end,
         'nn.CReLU: expected at least 3 dimensions, got a tensor of size 4x4')
      raises(function() nn.CReLU() end, 'nn.CReLU: expected the number of non-batch input dimensions')
   end)
end)

describe('nn.Collapse', function()
   it('flattens the non-batch dimensions', function()
      local x = torch.randn(2, 3, 4)
      close(nn.Collapse(2):forward(x), x:view(2, 12))
      close(nn.Collapse(3):forward(x), x:view(24))
      local m = nn.Collapse(2)
      m:forward(x)
      assert.are.same({ 2, 3, 4 }, m:backward(x, torch.randn(2, 12)):size():totable())
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local x = torch.randn(2, 3, 4)
      assert.is_true(jacobian(nn.Collapse(2), x) < TOL)
      sameOnNonContiguous(nn.Collapse(2), x, torch.randn(2, 12))
   end)
   it('rejects a bad input', function()
      raises(function() nn.Collapse(3):forward(torch.randn(4, 4)) end,
         'nn.Collapse: expected at least 3 dimensions, got a tensor of size 4x4')
   end)
end)

describe('nn.Constant', function()
   it('gives its value, repeated over a batch, and a zero gradient', function()
      close(nn.Constant(2.5):forward(torch.randn(3)), torch.Tensor { 2.5 })
      close(nn.Constant(2.5, 1):forward(torch.randn(2, 3)), torch.Tensor { { 2.5 }, { 2.5 } })
      local v = torch.Tensor { { 1, 2 }, { 3, 4 } }
      local m = nn.Constant(v, 1)
      local y = m:forward(torch.randn(3, 5))
      assert.are.same({ 3, 2, 2 }, y:size():totable())
      close(y[3], v)
      local x = torch.randn(3, 5):t()
      close(m:backward(x, y), torch.zeros(5, 3))
   end)
   it('rejects a bad value', function()
      raises(function() nn.Constant('a') end, 'nn.Constant: expected a number or a tensor as argument 1')
   end)
end)

describe('nn.Convert', function()
   it('flattens, permutes, selects and adds axes', function()
      local x = torch.randn(2, 3, 4, 5)
      close(nn.Convert('bchw', 'bf'):forward(x), x:view(2, 60))
      close(nn.Convert('bchw', 'bhwc'):forward(x), x:permute(1, 3, 4, 2))
      close(nn.Convert('chw', 'f'):forward(x[1]), x[1]:view(60))
      close(nn.Convert('bf', 'b'):forward(torch.Tensor { { 1 }, { 2 } }), torch.Tensor { 1, 2 })
      close(nn.Convert('b', 'bt'):forward(torch.Tensor { 1, 2 }), torch.Tensor { { 1 }, { 2 } })
      close(nn.Convert('hwcb', 'bf'):forward(x), x:transpose(1, 4):contiguous():view(5, 24))
   end)
   it('converts the input type to its own', function()
      local m = nn.Convert()
      local x = torch.randn(3, 4):float()
      local y = m:forward(x)
      assert.are.equal('torch.DoubleTensor', torch.type(y))
      close(y, x:double())
      assert.are.equal('torch.FloatTensor', torch.type(m:backward(x, torch.ones(3, 4))))
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local x = torch.randn(2, 3, 2, 2)
      assert.is_true(jacobian(nn.Convert('bchw', 'bf'), x) < TOL)
      assert.is_true(jacobian(nn.Convert('bchw', 'bwhc'), x) < TOL)
      sameOnNonContiguous(nn.Convert('bchw', 'bf'), x, torch.randn(2, 12))
   end)
   it('rejects bad shapes', function()
      raises(function() nn.Convert(nil, 'bf') end, 'nn.Convert: expected an input shape when an output shape is given')
      raises(function() nn.Convert('bf', 'bchw'):forward(torch.randn(2, 12)) end,
         'nn.Convert: unrecognized conversion of shape bf to bchw')
      raises(function() nn.Convert('bf', 'b'):forward(torch.randn(2, 3)) end,
         'nn.Convert: cannot convert shape bf to b when there is more than one feature')
   end)
end)

local function pairInput(n, d)
   return { torch.randn(n, d), torch.randn(n, d) }
end

describe('nn.CosineDistance', function()
   it('gives the cosine similarity of each pair', function()
      local m = nn.CosineDistance()
      close(m:forward({ torch.Tensor { 1, 0 }, torch.Tensor { 1, 1 } }), torch.Tensor { math.sqrt(0.5) })
      local x = pairInput(4, 5)
      local y = m:forward(x)
      for i = 1, 4 do
         local a, b = x[1][i], x[2][i]
         assert.is_true(math.abs(y[i] - a:dot(b) / (a:norm() * b:norm())) < 1e-12)
      end
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local m = nn.CosineDistance()
      assert.is_true(jacobian(m, pairInput(4, 5)) < TOL)
      assert.is_true(jacobian(m, { torch.randn(5), torch.randn(5) }) < TOL)
      sameOnNonContiguous(m, pairInput(4, 5), torch.randn(4))
   end)
   it('rejects a bad input', function()
      raises(function() nn.CosineDistance():forward({ torch.randn(3), torch.randn(4) }) end,
         'nn.CosineDistance: expected two vectors or two N x D batches of one size, got 3 and 4')
      raises(function() nn.CosineDistance():forward(torch.randn(3)) end,
         'nn.CosineDistance: expected a table of two tensors')
   end)
end)

describe('nn.DotProduct', function()
   it('gives the dot product of each pair', function()
      local m = nn.DotProduct()
      close(m:forward({ torch.Tensor { 1, 2, 3 }, torch.Tensor { 4, 5, 6 } }), torch.Tensor { 32 })
      close(m:forward({ torch.Tensor { { 1, 2 }, { 3, 4 } }, torch.Tensor { { 1, 1 }, { 2, 0 } } }), torch.Tensor { 3, 6 })
      local gi = m:backward({ torch.Tensor { { 1, 2 }, { 3, 4 } }, torch.Tensor { { 1, 1 }, { 2, 0 } } }, torch.Tensor { 1, 2 })
      close(gi, { torch.Tensor { { 1, 1 }, { 4, 0 } }, torch.Tensor { { 1, 2 }, { 6, 8 } } })
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local m = nn.DotProduct()
      assert.is_true(jacobian(m, pairInput(4, 5)) < TOL)
      sameOnNonContiguous(m, pairInput(4, 5), torch.randn(4))
   end)
   it('rejects a bad input', function()
      raises(function() nn.DotProduct():forward({ torch.randn(2, 3), torch.randn(3, 2) }) end,
         'nn.DotProduct: expected two vectors or two N x D batches of one size, got 2x3 and 3x2')
   end)
end)

describe('nn.GatedLinearUnit', function()
   local function sig(v) return 1 / (1 + math.exp(-v)) end
   it('gates the first half by the sigmoid of the second', function()
      local y = nn.GatedLinearUnit():forward(torch.Tensor { { 1, 2, 0, -1 } })
      close(y, torch.Tensor { { 1 * sig(0), 2 * sig(-1) } })
      local y1 = nn.GatedLinearUnit(1):forward(torch.Tensor { { 1, 2 }, { 3, -4 } })
      close(y1, torch.Tensor { { sig(3), 2 * sig(-4) } })
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      assert.is_true(jacobian(nn.GatedLinearUnit(), torch.randn(3, 6)) < TOL)
      assert.is_true(jacobian(nn.GatedLinearUnit(2), torch.randn(2, 4, 3)) < TOL)
      sameOnNonContiguous(nn.GatedLinearUnit(2), torch.randn(3, 6), torch.randn(3, 3))
   end)
   it('rejects an odd size', function()
      raises(function() nn.GatedLinearUnit():forward(torch.randn(2, 3)) end,
         'nn.GatedLinearUnit: dimension 2 of input (size 2x3) should be even, got 3')
   end)
end)

describe('nn.Index', function()
   it('indexes along its dimension and scatters the gradient back', function()
      local t = torch.Tensor { { 1, 2 }, { 3, 4 }, { 5, 6 } }
      local idx = torch.LongTensor { 3, 1, 3 }
      local m = nn.Index(1)
      close(m:forward({ t, idx }), torch.Tensor { { 5, 6 }, { 1, 2 }, { 5, 6 } })
      local gi = m:backward({ t, idx }, torch.Tensor { { 1, 1 }, { 2, 2 }, { 3, 3 } })
      close(gi[1], torch.Tensor { { 2, 2 }, { 0, 0 }, { 4, 4 } })
      close(gi[2], torch.zeros(3))
      close(nn.Index(2):forward({ t, torch.LongTensor { 2 } }), torch.Tensor { { 2 }, { 4 }, { 6 } })
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local x = { torch.randn(5, 3), torch.LongTensor { 2, 5, 2 } }
      assert.is_true(jacobian(nn.Index(1), x) < TOL)
      sameOnNonContiguous(nn.Index(1), x, torch.randn(3, 3))
   end)
   it('rejects a bad input', function()
      raises(function() nn.Index(1):forward({ torch.randn(3), torch.Tensor { 1 } }) end,
         'nn.Index: expected input {tensor, LongTensor index}')
      raises(function() nn.Index(3):forward({ torch.randn(3), torch.LongTensor { 1 } }) end,
         'nn.Index: dimension 3 out of range for a tensor of size 3')
   end)
end)

describe('nn.L1Penalty', function()
   it('passes the input and adds the L1 gradient', function()
      local x = torch.Tensor { { 1, -2 }, { 0, 3 } }
      local m = nn.L1Penalty(0.5)
      assert.are.equal(x, m:forward(x))
      assert.are.equal(3, m.loss)
      close(m:backward(x, torch.ones(2, 2)), torch.Tensor { { 1.5, 0.5 }, { 1, 1.5 } })
      local avg = nn.L1Penalty(0.5, true, false)
      avg:forward(x)
      assert.are.equal(0.75, avg.loss)
      close(avg:backward(x, torch.ones(2, 2)), torch.Tensor { { 0.125, -0.125 }, { 0, 0.125 } })
   end)
   it('takes non-contiguous input', function()
      sameOnNonContiguous(nn.L1Penalty(0.1), torch.randn(3, 4), torch.randn(3, 4))
   end)
   it('rejects a bad weight', function()
      raises(function() nn.L1Penalty() end, 'nn.L1Penalty: expected a number l1weight as argument 1')
   end)
end)

describe('nn.MM', function()
   it('multiplies, transposing as asked, in single and batch mode', function()
      local a, b = torch.randn(3, 4), torch.randn(4, 5)
      close(nn.MM():forward({ a, b }), torch.mm(a, b), 1e-12)
      close(nn.MM(true, false):forward({ a:t():clone(), b }), torch.mm(a, b), 1e-12)
      close(nn.MM(false, true):forward({ a, b:t():clone() }), torch.mm(a, b), 1e-12)
      close(nn.MM(true, true):forward({ a:t():clone(), b:t():clone() }), torch.mm(a, b), 1e-12)
      local A, B = torch.randn(2, 3, 4), torch.randn(2, 4, 5)
      local y = nn.MM():forward({ A, B })
      close(y[2], torch.mm(A[2], B[2]), 1e-12)
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      for _, tr in ipairs { { false, false }, { true, false }, { false, true }, { true, true } } do
         local m = nn.MM(tr[1], tr[2])
         local a = tr[1] and torch.randn(4, 3) or torch.randn(3, 4)
         local b = tr[2] and torch.randn(5, 4) or torch.randn(4, 5)
         assert.is_true(jacobian(m, { a, b }) < TOL)
         local A = tr[1] and torch.randn(2, 4, 3) or torch.randn(2, 3, 4)
         local B = tr[2] and torch.randn(2, 5, 4) or torch.randn(2, 4, 5)
         assert.is_true(jacobian(m, { A, B }) < TOL)
         sameOnNonContiguous(m, { A, B }, torch.randn(2, 3, 5))
      end
   end)
   it('rejects mismatched sizes', function()
      raises(function() nn.MM():forward({ torch.randn(3, 4), torch.randn(5, 2) }) end,
         'nn.MM: sizes do not match: 3x4 times 5x2')
      raises(function() nn.MM():forward({ torch.randn(3, 4), torch.randn(2, 4, 2) }) end,
         'nn.MM: expected two matrices or two batches of matrices, got 3x4 and 2x4x2')
   end)
end)

describe('nn.MV', function()
   it('multiplies matrices by vectors, transposing as asked', function()
      local M, v = torch.Tensor { { 1, 2 }, { 3, 4 }, { 5, 6 } }, torch.Tensor { 1, -1 }
      close(nn.MV():forward({ M, v }), torch.Tensor { -1, -1, -1 })
      close(nn.MV(true):forward({ M, torch.Tensor { 1, 0, 1 } }), torch.Tensor { 6, 8 })
      local Ms, vs = torch.randn(2, 3, 4), torch.randn(2, 4)
      close(nn.MV():forward({ Ms, vs })[2], torch.mv(Ms[2], vs[2]), 1e-12)
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      assert.is_true(jacobian(nn.MV(), { torch.randn(3, 4), torch.randn(4) }) < TOL)
      assert.is_true(jacobian(nn.MV(true), { torch.randn(4, 3), torch.randn(4) }) < TOL)
      assert.is_true(jacobian(nn.MV(), { torch.randn(2, 3, 4), torch.randn(2, 4) }) < TOL)
      assert.is_true(jacobian(nn.MV(true), { torch.randn(2, 4, 3), torch.randn(2, 4) }) < TOL)
      sameOnNonContiguous(nn.MV(), { torch.randn(2, 3, 4), torch.randn(2, 4) }, torch.randn(2, 3))
   end)
   it('rejects mismatched sizes', function()
      raises(function() nn.MV():forward({ torch.randn(3, 4), torch.randn(3) }) end,
         'nn.MV: expected a matrix and a vector or batches of them with matching sizes, got 3x4 and 3')
   end)
end)

describe('nn.MaskedSelect', function()
   it('selects the masked elements and scatters the gradient back', function()
      local x = torch.Tensor { { 1, 2 }, { 3, 4 } }
      local mask = torch.ByteTensor { { 1, 0 }, { 0, 1 } }
      local m = nn.MaskedSelect()
      close(m:forward({ x, mask }), torch.Tensor { 1, 4 })
      local gi = m:backward({ x, mask }, torch.Tensor { 7, 9 })
      close(gi[1], torch.Tensor { { 7, 0 }, { 0, 9 } })
      assert.are.equal('torch.ByteTensor', torch.type(gi[2]))
      assert.are.equal(0, gi[2]:double():sum())
   end)
   it('has central-difference gradients and takes non-contiguous input', function()
      local x = { torch.randn(3, 4), torch.randn(3, 4):gt(0) }
      assert.is_true(jacobian(nn.MaskedSelect(), x) < TOL)
      local out = nn.MaskedSelect():forward(x)
      sameOnNonContiguous(nn.MaskedSelect(), x, torch.randn(out:nElement()))
   end)
   it('rejects a bad mask', function()
      raises(function() nn.MaskedSelect():forward({ torch.randn(3), torch.randn(3) }) end,
         'nn.MaskedSelect: expected input {tensor, ByteTensor mask}')
      raises(function() nn.MaskedSelect():forward({ torch.randn(3), torch.ByteTensor(4):fill(1) }) end,
         'nn.MaskedSelect: mask of size 4 does not match input of size 3')
   end)
end)

describe('nn.Decorator', function()
   it('passes every call and its parameters through', function()
      torch.manualSeed(1)
      local lin = nn.Linear(3, 2)
      local m = nn.Decorator(lin)
      local x = torch.randn(4, 3)
      close(m:forward(x), lin.output)
      assert.is_true(jacobian(m, x) < TOL)
      local ps = m:parameters()
      assert.are.equal(lin.weight, ps[1])
      assert.are.equal('nn.Decorator @ ' .. tostring(lin), tostring(m))
      raises(function() nn.Decorator(1) end, 'nn.Decorator: expected a module as argument 1')
   end)
end)

describe('nn.DontCast', function()
   it('keeps its module\'s type and casts what crosses it', function()
      local m = nn.Sequential():add(nn.DontCast(nn.Linear(3, 2), true)):add(nn.Tanh())
      m:float()
      assert.are.equal('torch.DoubleTensor', torch.type(m:get(1).modules[1].weight))
      local x = torch.randn(4, 3):float()
      local y = m:forward(x)
      assert.are.equal('torch.FloatTensor', torch.type(y))
      local gi = m:backward(x, torch.ones(4, 2):float())
      assert.are.equal('torch.FloatTensor', torch.type(gi))
      local lin = m:get(1).modules[1]
      close(y, torch.tanh(lin:forward(x:double())), 1e-6)
   end)
   it('needs the type when it cannot tell it', function()
      raises(function() nn.DontCast(nn.ConcatTable(), true) end, 'nn.DontCast: cannot tell the module\'s tensor type')
   end)
end)

describe('nn.NaN', function()
   it('passes values through and names the source of a NaN', function()
      local m = nn.NaN(nn.Linear(3, 2), 7)
      local x = torch.randn(2, 3)
      close(m:forward(x), m.modules[1].output)
      assert.are.equal(0, tostring(m):find('nn.NaN(7) @ ', 1, true) and 0 or 1)
      x[1][1] = 0 / 0
      raises(function() m:forward(x) end, 'NaN found in input of module :\nnn.NaN(7) @ nn.Linear(3 -> 2)')
      m.modules[1].weight[1][1] = 0 / 0
      raises(function() m:forward(torch.randn(2, 3)) end, 'NaN found in parameters of module')
      local s = nn.NaN(nn.Sqrt())
      raises(function() s:forward(torch.Tensor { -1 }) end, 'NaN found in output of module')
      local g = nn.NaN(nn.Identity())
      raises(function() g:backward(torch.ones(2), torch.Tensor { 1, 0 / 0 }) end, 'NaN found in gradOutput of module')
   end)
end)

describe('nn.PrintSize', function()
   it('prints the sizes and passes the tensors through', function()
      local printed = {}
      local oldprint = print
      _G.print = function(...) printed[#printed + 1] = { ... } end
      local m = nn.PrintSize('here')
      local x = torch.randn(2, 3)
      local ok, err = pcall(function()
         assert.are.equal(x, m:forward(x))
         assert.are.equal(x, m:backward(x, x))
      end)
      _G.print = oldprint
      assert.is_true(ok, err)
      assert.are.equal('here:input\n', printed[1][1])
      assert.are.same({ 2, 3 }, printed[1][2]:totable())
      assert.are.equal('here:gradOutput\n', printed[2][1])
   end)
end)

describe('nn.Profile', function()
   it('prints the time of every print_interval passes', function()
      local printed = {}
      local oldprint = print
      _G.print = function(s) printed[#printed + 1] = s end
      local lin = nn.Linear(3, 2)
      local m = nn.Profile(lin, 2, 'lin')
      local x = torch.randn(4, 3)
      local ok, err = pcall(function()
         for _ = 1, 4 do
            m:forward(x)
            m:backward(x, torch.ones(4, 2))
         end
      end)
      _G.print = oldprint
      assert.is_true(ok, err)
      assert.are.equal(4, #printed)
      assert.is_truthy(printed[1]:match('^lin took [%d.]+ seconds for 2 forward passes$'))
      assert.is_truthy(printed[2]:match('^lin took [%d.]+ seconds for 2 backward passes$'))
      close(m.output, lin:forward(x))
      local c = m:clone()
      close(c:forward(x), m.output)
   end)
end)

describe('issue 14 part A modules', function()
   it('survive torch.save/torch.load and :float()', function()
      local cases = {
         { nn.Bottle(nn.Linear(5, 3)), torch.randn(2, 4, 5) },
         { nn.CReLU(1), torch.randn(2, 4) },
         { nn.Collapse(2), torch.randn(2, 3, 4) },
         { nn.Constant(2.5, 1), torch.randn(2, 3) },
         { nn.Convert('bchw', 'bf'), torch.randn(2, 3, 2, 2) },
         { nn.CosineDistance(), pairInput(4, 5) },
         { nn.DotProduct(), pairInput(4, 5) },
         { nn.GatedLinearUnit(), torch.randn(3, 6) },
         { nn.Index(1), { torch.randn(5, 3), torch.LongTensor { 1, 2 } } },
         { nn.L1Penalty(0.1), torch.randn(3, 4) },
         { nn.MM(), { torch.randn(3, 4), torch.randn(4, 5) } },
         { nn.MV(), { torch.randn(3, 4), torch.randn(4) } },
         { nn.MaskedSelect(), { torch.randn(3, 4), torch.randn(3, 4):gt(0) } },
         { nn.CAddTensorTable(), { torch.randn(3), { torch.randn(3), torch.randn(3) } } },
         { nn.Decorator(nn.Linear(3, 2)), torch.randn(2, 3) },
         { nn.NaN(nn.Linear(3, 2)), torch.randn(2, 3) },
         { nn.Profile(nn.Linear(3, 2), 1000), torch.randn(2, 3) },
      }
      local function float(x)
         if torch.isTensor(x) then return torch.type(x) == 'torch.DoubleTensor' and x:float() or x end
         local r = {}
         for i, v in ipairs(x) do r[i] = float(v) end
         return r
      end
      local f = os.tmpname()
      for _, c in ipairs(cases) do
         local m, x = c[1], c[2]
         local y = clone(m:forward(x))
         torch.save(f, m)
         close(torch.load(f):forward(x), y)
         local mf = m:clone():float()
         local xf = float(x)
         local yf = mf:forward(xf)
         close(yf, y, 1e-5)
         mf:backward(xf, yf)
      end
      os.remove(f)
      local gi = nn.MaskedSelect():float():backward({ torch.FloatTensor(2):fill(1), torch.ByteTensor { 1, 0 } },
         torch.FloatTensor { 3 })
      assert.are.equal('torch.FloatTensor', torch.type(gi[1]))
      assert.are.equal('torch.ByteTensor', torch.type(gi[2]))
   end)
end)

-- The cudnn package (lua/cudnn): cudnn.torch's names as subclasses of the
-- nn modules, on CPU tensors here (the CUDA convolutions they reach on a
-- GPU are compared with the CPU by the conformance harness, cases in
-- tests/conformance/cases/conv*.lua). Checks: every name and its nn
-- parent, constructor fields, outputs and gradients equal to nn's, the
-- grouped convolution against separate convolutions of the plane blocks
-- and against finite differences, cudnn.convert both ways (parameters
-- kept, exclusion_fn, nngraph), the switches, and errors.
require 'nn'
local cudnn = require 'cudnn'

local function maxdiff(a, b) return (a - b):abs():max() end

-- same parameters in m2 as in m1
local function copy_params(m1, m2)
   local p1, p2 = m1:parameters(), m2:parameters()
   for i = 1, #(p1 or {}) do p2[i]:copy(p1[i]) end
end

describe('cudnn', function()
   it("is what require 'cudnn' returns, also as the global", function()
      assert.are.equal(cudnn, require 'cudnn')
      assert.are.equal(cudnn, _G.cudnn)
      assert.is_function(cudnn.convert)
   end)

   local names = {
      'SpatialConvolution', 'SpatialFullConvolution', 'SpatialDilatedConvolution', 'VolumetricConvolution',
      'VolumetricFullConvolution', 'VolumetricDilatedConvolution', 'TemporalConvolution', 'ReLU', 'Tanh', 'Sigmoid',
      'SoftMax', 'LogSoftMax', 'SpatialSoftMax', 'SpatialLogSoftMax', 'SpatialMaxPooling', 'SpatialAveragePooling',
      'VolumetricMaxPooling', 'VolumetricAveragePooling', 'BatchNormalization', 'SpatialBatchNormalization',
      'VolumetricBatchNormalization', 'SpatialCrossMapLRN',
   }
   it('has cudnn.torch\'s module names, each a subclass of the nn module of that name', function()
      local args = {
         SpatialConvolution = { 2, 3, 3, 3 }, SpatialFullConvolution = { 2, 3, 3, 3 },
         SpatialDilatedConvolution = { 2, 3, 3, 3 }, VolumetricConvolution = { 2, 3, 2, 2, 2 },
         VolumetricFullConvolution = { 2, 3, 2, 2, 2 }, VolumetricDilatedConvolution = { 2, 3, 2, 2, 2 },
         TemporalConvolution = { 4, 3, 2 }, SpatialMaxPooling = { 2, 2 }, SpatialAveragePooling = { 2, 2 },
         VolumetricMaxPooling = { 2, 2, 2 }, VolumetricAveragePooling = { 2, 2, 2 }, BatchNormalization = { 4 },
         SpatialBatchNormalization = { 4 }, VolumetricBatchNormalization = { 4 }, SpatialCrossMapLRN = { 3 },
      }
      for _, name in ipairs(names) do
         assert(cudnn[name], 'cudnn.' .. name .. ' is missing')
         local m = cudnn[name](unpack(args[name] or {}))
         assert.are.equal('cudnn.' .. name, torch.typename(m))
         assert(torch.isTypeOf(m, 'nn.' .. name), 'cudnn.' .. name .. ' is not an nn.' .. name)
      end
      local c = cudnn.ClippedReLU(6)
      assert.are.equal('cudnn.ClippedReLU', torch.typename(c))
      assert.are.equal(6, c.ceiling)
   end)

   it('SpatialConvolution takes Torch7 cudnn\'s arguments and keeps its fields', function()
      local m = cudnn.SpatialConvolution(4, 6, 3, 2, 2, 1, 1, 0, 2)
      assert.are.same({ 4, 6, 3, 2, 2, 1, 1, 0, 2 },
         { m.nInputPlane, m.nOutputPlane, m.kW, m.kH, m.dW, m.dH, m.padW, m.padH, m.groups })
      assert.are.same({ 6, 2, 2, 3 }, m.weight:size():totable())
      assert.are.same({ 6, 2, 2, 3 }, m.gradWeight:size():totable())
      assert.are.same({ 6 }, m.bias:size():totable())
      local d = cudnn.SpatialConvolution(3, 5, 3, 3)
      assert.are.same({ 1, 1, 1, 0, 0 }, { d.groups, d.dW, d.dH, d.padW, d.padH })
      assert.are.same({ 5, 3, 3, 3 }, d.weight:size():totable())
      assert.are.equal(m, m:fastest())
      assert.is_true(m.fastest_mode)
      assert.are.equal(m, m:setMode('CUDNN_CONVOLUTION_FWD_ALGO_GEMM', nil, nil))
      assert.are.equal('CUDNN_CONVOLUTION_FWD_ALGO_GEMM', m.fmode)
      assert.is_nil(m:resetMode().fmode)
      assert.matches('2 groups', tostring(m))
   end)

   it('rejects groups that do not divide the planes, naming the module', function()
      assert.has_error(function() cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 0, 0, 3) end,
         'cudnn.SpatialConvolution: 3 groups must divide the 4 input and 6 output planes')
      assert.has_error(function() cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 0, 0, 0) end,
         'cudnn.SpatialConvolution: groups must be a positive integer, got 0')
      local m = cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 0, 0, 2)
      local ok, err = pcall(function() return m:forward(torch.randn(2, 3, 5, 5)) end)
      assert.is_false(ok)
      assert.matches('input has 3 planes, expected 4', err)
   end)

   -- forward, backward and parameter gradients of cudnn.X equal nn.X's
   local same = {
      { 'SpatialConvolution', { 3, 4, 3, 2, 2, 1, 1, 0 }, { 2, 3, 7, 6 } },
      { 'SpatialFullConvolution', { 3, 2, 3, 3, 2, 2, 1, 1, 1, 1 }, { 2, 3, 4, 4 } },
      { 'SpatialDilatedConvolution', { 2, 3, 3, 3, 1, 1, 1, 1, 2, 2 }, { 2, 2, 7, 7 } },
      { 'VolumetricConvolution', { 2, 3, 2, 3, 3, 1, 1, 1, 1, 1, 1 }, { 2, 2, 4, 5, 5 } },
      { 'VolumetricFullConvolution', { 2, 3, 2, 2, 2, 2, 2, 2, 0, 0, 0, 1, 1, 1 }, { 2, 2, 2, 3, 3 } },
      { 'VolumetricDilatedConvolution', { 2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2 }, { 2, 2, 5, 5, 5 } },
      { 'TemporalConvolution', { 4, 3, 3, 2 }, { 2, 9, 4 } },
      { 'SpatialMaxPooling', { 3, 3, 2, 2, 1, 1 }, { 2, 3, 7, 7 } },
      { 'SpatialAveragePooling', { 3, 3, 2, 2, 1, 1 }, { 2, 3, 7, 7 } },
      { 'SpatialBatchNormalization', { 3 }, { 4, 3, 3, 3 } },
      { 'SpatialCrossMapLRN', { 3, 0.001, 0.75, 1 }, { 2, 5, 3, 3 } },
      { 'Tanh', {}, { 3, 4 } }, { 'ReLU', {}, { 3, 4 } }, { 'Sigmoid', {}, { 3, 4 } },
      { 'SoftMax', {}, { 3, 4 } }, { 'LogSoftMax', {}, { 3, 4 } },
   }
   for _, c in ipairs(same) do
      it(c[1] .. ' gives nn.' .. c[1] .. '\'s output and gradients', function()
         torch.manualSeed(7)
         local a, b = nn[c[1]](unpack(c[2])), cudnn[c[1]](unpack(c[2]))
         copy_params(a, b)
         a:zeroGradParameters()
         b:zeroGradParameters()
         local x = torch.randn(unpack(c[3]))
         local ya, yb = a:forward(x), b:forward(x)
         assert.are.same(ya:size():totable(), yb:size():totable())
         assert.are.equal(0, maxdiff(ya, yb))
         local go = torch.randn(ya:size())
         local ga, gb = a:backward(x, go), b:backward(x, go)
         assert.are.equal(0, maxdiff(ga, gb))
         local pa, gpa = a:parameters()
         local pb, gpb = b:parameters()
         for i = 1, #(gpa or {}) do assert.are.equal(0, maxdiff(gpa[i], gpb[i])) end
         assert.are.equal(#(pa or {}), #(pb or {}))
      end)
   end

   -- groups: the same as one convolution per block of planes
   local function blocks(m, x, go)
      local G, nIn, nOut = m.groups, m.nInputPlane, m.nOutputPlane
      local bi, bo = nIn / G, nOut / G
      local ys, gis, gws, gbs = {}, {}, {}, {}
      for g = 1, G do
         local c = nn.SpatialConvolution(bi, bo, m.kW, m.kH, m.dW, m.dH, m.padW, m.padH)
         c.weight:copy(m.weight:narrow(1, (g - 1) * bo + 1, bo))
         c.bias:copy(m.bias:narrow(1, (g - 1) * bo + 1, bo))
         c:zeroGradParameters()
         local xi = x:narrow(2, (g - 1) * bi + 1, bi)
         ys[g] = c:forward(xi):clone()
         gis[g] = c:backward(xi, go:narrow(2, (g - 1) * bo + 1, bo), 0.5):clone()
         gws[g], gbs[g] = c.gradWeight:clone(), c.gradBias:clone()
      end
      return torch.cat(ys, 2), torch.cat(gis, 2), torch.cat(gws, 1), torch.cat(gbs, 1)
   end

   it('with groups computes one convolution per block of planes (forward, gradInput, gradWeight, gradBias)', function()
      torch.manualSeed(3)
      local m = cudnn.SpatialConvolution(6, 4, 3, 2, 2, 1, 1, 1, 2)
      local x = torch.randn(3, 6, 6, 5)
      local y = m:forward(x)
      assert.are.same({ 3, 4, 7, 3 }, y:size():totable())
      local go = torch.randn(y:size())
      m:zeroGradParameters()
      local gi = m:backward(x, go, 0.5)
      local ey, egi, egw, egb = blocks(m, x, go)
      assert.is_true(maxdiff(y, ey) < 1e-12)
      assert.is_true(maxdiff(gi, egi) < 1e-12)
      assert.is_true(maxdiff(m.gradWeight, egw) < 1e-12)
      assert.is_true(maxdiff(m.gradBias, egb) < 1e-12)
      -- one image, no batch dimension; a non-contiguous input
      local x1 = torch.randn(5, 6, 6):transpose(1, 2)
      assert.is_true(maxdiff(m:forward(x1), m:forward(x1:contiguous())) < 1e-12)
      assert.are.same({ 4, 6, 3 }, m.output:size():totable())
   end)

   it('with groups passes the finite-difference gradient check', function()
      torch.manualSeed(5)
      local m = cudnn.SpatialConvolution(2, 4, 3, 3, 1, 1, 1, 1, 2)
      local x = torch.randn(2, 2, 4, 3)
      assert.is_true(nn.Jacobian.testJacobian(m, x) < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight) < 1e-6)
      assert.is_true(nn.Jacobian.testJacobianParameters(m, x, m.bias, m.gradBias) < 1e-6)
   end)

   it('ClippedReLU clips at 0 and at its ceiling', function()
      local y = cudnn.ClippedReLU(2):forward(torch.Tensor { -1, 0.5, 2, 3 })
      assert.are.same({ 0, 0.5, 2, 2 }, y:totable())
   end)

   describe('convert', function()
      local function model()
         return nn.Sequential()
            :add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1))
            :add(nn.SpatialBatchNormalization(4))
            :add(nn.ReLU(true))
            :add(nn.SpatialMaxPooling(2, 2, 2, 2))
            :add(nn.SpatialConvolutionMM(4, 2, 3, 3))
            :add(nn.Tanh())
            :add(nn.View(-1):setNumInputDims(3))
            :add(nn.Linear(2, 3))
            :add(nn.LogSoftMax())
      end

      it('turns nn modules into cudnn ones and back, keeping parameters and outputs', function()
         torch.manualSeed(11)
         local net = model()
         net:evaluate()
         local x = torch.randn(2, 3, 6, 6)
         local before = net:forward(x):clone()
         local w1 = net:get(1).weight
         assert.are.equal(net, cudnn.convert(net, cudnn))
         local want = { 'cudnn.SpatialConvolution', 'cudnn.SpatialBatchNormalization', 'cudnn.ReLU',
            'cudnn.SpatialMaxPooling', 'cudnn.SpatialConvolution', 'cudnn.Tanh', 'nn.View', 'nn.Linear',
            'cudnn.LogSoftMax' }
         for i, t in ipairs(want) do assert.are.equal(t, torch.typename(net:get(i))) end
         assert.are.equal(w1, net:get(1).weight)
         assert.are.equal(1, net:get(1).groups)
         assert.is_true(net:get(3).inplace)
         assert.are.equal(0, maxdiff(before, net:forward(x)))
         cudnn.convert(net, nn)
         want[5] = 'nn.SpatialConvolution'
         for i, t in ipairs(want) do assert.are.equal((t:gsub('^cudnn%.', 'nn.')), torch.typename(net:get(i))) end
         assert.are.equal(0, maxdiff(before, net:forward(x)))
         -- training still works after the round trip
         net:training()
         net:zeroGradParameters()
         net:forward(x)
         net:backward(x, torch.randn(2, 3))
         assert.is_true(net:get(1).gradWeight:abs():sum() > 0)
      end)

      it('leaves the modules exclusion_fn picks', function()
         local net = model()
         cudnn.convert(net, cudnn, function(m) return torch.typename(m) == 'nn.ReLU' end)
         assert.are.equal('nn.ReLU', torch.typename(net:get(3)))
         assert.are.equal('cudnn.Tanh', torch.typename(net:get(6)))
         -- a module itself
         local c = nn.SpatialConvolution(2, 2, 3, 3)
         assert.are.equal(c, cudnn.convert(c, cudnn))
         assert.are.equal('cudnn.SpatialConvolution', torch.typename(c))
      end)

      it('converts the modules of an nngraph', function()
         require 'nngraph'
         local inp = nn.Identity()()
         local h = nn.ReLU()(nn.SpatialConvolution(1, 2, 3, 3)(inp))
         local g = nn.gModule({ inp }, { h })
         local x = torch.randn(1, 1, 5, 5)
         local before = g:forward(x):clone()
         cudnn.convert(g, cudnn)
         local types = {}
         for _, node in ipairs(g.forwardnodes) do
            local m = node.data.module
            if m then types[torch.typename(m)] = true end
         end
         assert.is_true(types['cudnn.SpatialConvolution'])
         assert.is_true(types['cudnn.ReLU'])
         assert.are.equal(0, maxdiff(before, g:forward(x)))
      end)

      it('refuses what has no counterpart and bad arguments, naming itself', function()
         local net = nn.Sequential():add(cudnn.SpatialConvolution(4, 4, 3, 3, 1, 1, 0, 0, 2))
         assert.has_error(function() cudnn.convert(net, nn) end,
            'cudnn.convert: a cudnn.SpatialConvolution with 2 groups has no nn equivalent (nn.SpatialConvolution ' ..
            'has no groups); exclude it with exclusion_fn')
         assert.has_error(function() cudnn.convert(net, 'cudnn') end,
            'cudnn.convert: expected the destination package cudnn or nn as the second argument, got cudnn')
         assert.has_error(function() cudnn.convert(nil, cudnn) end,
            'cudnn.convert: expected a module as the first argument, got nil')
      end)
   end)

   it('has Torch7\'s switches and accessors', function()
      assert.is_boolean(cudnn.benchmark)
      assert.is_false(cudnn.fastest)
      assert.is_boolean(cudnn.verbose)
      assert.is_boolean(cudnn.allowTF32)
      assert.is_number(cudnn.version)
      assert.is_true(cudnn.version == 0 or cudnn.version >= 90000)
      assert.is_nil(cudnn.getHandle())
      assert.is_string(cudnn.info())
      local n = cudnn.calls()
      assert.is_number(n.cudnn)
      assert.is_number(n.fallback)
   end)
end)

-- The oneDNN engine of float SpatialConvolution(MM) (runtime/onednn/,
-- chosen by runtime/nn/conv_engine.c, driven from Lua by nnlua.conv):
-- output, gradInput, gradWeight and gradBias against the im2col + GEMM
-- engine on several shapes (stride, padding, dilation, batch 1 and N,
-- a 3D input, non-contiguous input), accumulation with a scale, the
-- reordered-weight cache after in-place updates, the auto choice, double
-- tensors staying on the GEMM, and one LeNet training step per engine.
-- libdnnl-dev is in scripts/setup, so these run wherever the suite runs.
require 'nn'
local conv = require 'nnlua.conv'
local S = require 'tests.spec_util'

-- |a - b| <= 1e-4 * (1 + max |b|): float sums of up to ~1e5 terms in a
-- different order
local function near(a, b)
   local scale = 1 + b:double():abs():max()
   return (a:double() - b:double()):abs():max() <= 1e-4 * scale
end

-- forward, gradInput, gradWeight, gradBias of one step on engine e
local function step(e, m, x, go, scale)
   conv.engine(e)
   m:zeroGradParameters()
   local y = m:forward(x):clone()
   local gi = m:backward(x, go, scale):clone()
   return { y, gi, m.gradWeight:clone(), m.gradBias and m.gradBias:clone() }
end

local function out_size(H, k, d, p, dil) return math.floor((H + 2 * p - dil * (k - 1) - 1) / d) + 1 end

describe('nnlua.conv oneDNN engine', function()
   local saved
   before_each(function()
      saved = conv.engine()
      conv.reset()
   end)
   after_each(function() conv.engine(saved) end)

   it('loads libnnlua_dnnl.so from beside libnnlua.so', function()
      local ok, where = conv.available()
      assert.is_true(ok, where)
      assert.truthy(where:match('libnnlua_dnnl%.so$'))
   end)

   local cases = {
      -- name, nIn, nOut, kW, kH, dW, dH, padW, padH, H, W, N (0: a 3D input), dil
      { 'LeNet conv1 shape', 1, 8, 5, 5, 1, 1, 0, 0, 28, 28, 4, 1 },
      { 'LeNet conv2 shape', 8, 16, 5, 5, 1, 1, 0, 0, 12, 12, 4, 1 },
      { 'stride 2, padding 1', 3, 5, 3, 3, 2, 2, 1, 1, 9, 9, 3, 1 },
      { 'unequal kernel, stride and padding', 4, 6, 3, 2, 2, 1, 1, 2, 7, 8, 2, 1 },
      { 'stride that skips the last columns', 2, 3, 4, 3, 3, 2, 1, 0, 5, 8, 2, 1 },
      { 'batch of one', 3, 7, 3, 3, 1, 1, 1, 1, 10, 10, 1, 1 },
      { '3D input', 3, 7, 3, 3, 1, 1, 1, 1, 10, 10, 0, 1 },
      { 'dilation 2', 3, 4, 3, 3, 1, 1, 2, 2, 11, 11, 2, 2 },
   }
   for _, c in ipairs(cases) do
      local name, nIn, nOut, kW, kH, dW, dH, padW, padH, H, W, N, dil = unpack(c)
      for _, variant in ipairs { 'contiguous', 'non-contiguous' } do
         it(string.format('matches the GEMM engine: %s, %s input', name, variant), function()
            torch.manualSeed(3)
            local m = dil > 1 and nn.SpatialDilatedConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH, dil, dil)
               or nn.SpatialConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH)
            m:float()
            local oH, oW = out_size(H, kH, dH, padH, dil), out_size(W, kW, dW, padW, dil)
            local x = N > 0 and torch.FloatTensor(N, nIn, H, W) or torch.FloatTensor(nIn, H, W)
            local go = N > 0 and torch.FloatTensor(N, nOut, oH, oW) or torch.FloatTensor(nOut, oH, oW)
            x:uniform(-1, 1)
            go:uniform(-1, 1)
            if variant == 'non-contiguous' then
               -- the same values, strided: transposed storage, read back transposed
               x = x:transpose(x:dim() - 1, x:dim()):contiguous():transpose(x:dim() - 1, x:dim())
               go = go:transpose(1, 2):contiguous():transpose(1, 2)
               assert.is_false(x:isContiguous())
            end
            local a = step('gemm', m, x, go)
            local b = step('onednn', m, x, go)
            -- forward, backward-data and backward-weights each ran on oneDNN
            assert.are.equal(3, conv.calls().onednn)
            for i = 1, 4 do
               assert.are.same(a[i]:size():totable(), b[i]:size():totable())
               assert.is_true(near(b[i], a[i]), ({ 'output', 'gradInput', 'gradWeight', 'gradBias' })[i])
            end
            -- and the values are a convolution's, not zeros
            assert.is_true(b[1]:abs():max() > 0.1 and b[3]:abs():max() > 0.1)
         end)
      end
   end

   it('accumulates parameter gradients with the scale, with and without a bias', function()
      for _, bias in ipairs { true, false } do
         torch.manualSeed(4)
         local m = nn.SpatialConvolutionMM(3, 4, 3, 3, 1, 1, 1, 1):float()
         if not bias then m:noBias() end
         local x = torch.FloatTensor(2, 3, 6, 6):uniform(-1, 1)
         local go = torch.FloatTensor(2, 4, 6, 6):uniform(-1, 1)
         local function grads(e)
            conv.engine(e)
            m:zeroGradParameters()
            m:forward(x)
            m:accGradParameters(x, go, 0.5)
            m:accGradParameters(x, go, 0.25)
            return m.gradWeight:clone(), m.gradBias and m.gradBias:clone()
         end
         local gw, gb = grads('gemm')
         local dw, db = grads('onednn')
         assert.are.same({ 4, 27 }, dw:size():totable())
         assert.is_true(near(dw, gw))
         if bias then assert.is_true(near(db, gb)) else assert.is_nil(db) end
         -- 0.75 times one unscaled gradient
         m:zeroGradParameters()
         m:accGradParameters(x, go, 1)
         assert.is_true(near(dw, m.gradWeight:clone():mul(0.75)))
      end
   end)

   it('sees weights updated in place and weights replaced (the reordered-weight cache)', function()
      torch.manualSeed(5)
      local m = nn.SpatialConvolution(16, 16, 3, 3, 1, 1, 1, 1):float()
      local x = torch.FloatTensor(2, 16, 8, 8):uniform(-1, 1)
      local function fwd(e)
         conv.engine(e)
         return m:forward(x):clone()
      end
      local y0 = fwd('onednn')
      assert.is_true(near(y0, fwd('gemm')))
      -- an optimiser's in-place update: same storage, new values
      m.weight:mul(-2):add(0.01)
      local y1 = fwd('onednn')
      assert.is_true(near(y1, fwd('gemm')))
      assert.is_false(near(y1, y0))
      -- a single element changed
      m.weight[3][5][2][2] = m.weight[3][5][2][2] + 1
      assert.is_true(near(fwd('onednn'), fwd('gemm')))
      -- a new weight tensor
      m.weight = m.weight:clone():uniform(-1, 1)
      assert.is_true(near(fwd('onednn'), fwd('gemm')))
      -- the gradient with respect to the input uses the current weights too
      local go = torch.FloatTensor(2, 16, 8, 8):uniform(-1, 1)
      conv.engine('onednn')
      m:forward(x)
      local gi = m:updateGradInput(x, go):clone()
      conv.engine('gemm')
      assert.is_true(near(gi, m:updateGradInput(x, go)))
   end)

   it('auto times both engines once per shape and direction, then runs the chosen one', function()
      torch.manualSeed(6)
      -- 2 * 8 * 32 * 16*9 * 16*16 = 19 MFLOP a direction: above auto's floor
      local m = nn.SpatialConvolution(16, 32, 3, 3, 1, 1, 1, 1):float()
      local x = torch.FloatTensor(8, 16, 16, 16):uniform(-1, 1)
      local go = torch.FloatTensor(8, 32, 16, 16):uniform(-1, 1)
      local ref = step('gemm', m, x, go)
      conv.reset()
      local first = step('auto', m, x, go)
      local c1 = conv.calls()
      -- each direction: a warm-up, one to three timed runs of each engine, the call
      assert.is_true(c1.onednn >= 6 and c1.gemm >= 3, string.format('%d %d', c1.gemm, c1.onednn))
      for i = 1, 4 do assert.is_true(near(first[i], ref[i])) end
      -- the timing runs left the accumulated gradients as one step's
      local again = step('auto', m, x, go)
      local c2 = conv.calls()
      assert.are.equal(3, (c2.gemm - c1.gemm) + (c2.onednn - c1.onednn))
      for i = 1, 4 do assert.is_true(near(again[i], ref[i])) end
   end)

   it('runs small layers in auto, and double tensors always, on the GEMM engine', function()
      local m = nn.SpatialConvolution(2, 3, 3, 3)
      local x = torch.randn(2, 2, 6, 6)
      local go = torch.randn(2, 3, 4, 4)
      conv.engine('onednn')
      m:forward(x)
      m:backward(x, go)
      assert.are.same({ gemm = 3, onednn = 0 }, conv.calls())
      conv.reset()
      m:float()
      conv.engine('auto')
      m:forward(x:float())
      m:backward(x:float(), go:float())
      assert.are.same({ gemm = 3, onednn = 0 }, conv.calls())
   end)

   it('trains a LeNet step alike on both engines', function()
      local function lenet()
         torch.manualSeed(7)
         local net = nn.Sequential()
         net:add(nn.SpatialConvolution(1, 8, 5, 5)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
         net:add(nn.SpatialConvolutionMM(8, 16, 5, 5)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
         net:add(nn.View(16 * 4 * 4)):add(nn.Linear(16 * 4 * 4, 10)):add(nn.LogSoftMax())
         return net:float()
      end
      torch.manualSeed(8)
      local x = torch.FloatTensor(16, 1, 28, 28):uniform(0, 1)
      local y = torch.LongTensor(16):random(1, 10)
      local crit = nn.ClassNLLCriterion():float()
      local function train(e)
         conv.engine(e)
         local net = lenet()
         local p, gp = net:getParameters()
         local losses = {}
         for i = 1, 3 do
            gp:zero()
            losses[i] = crit:forward(net:forward(x), y)
            net:backward(x, crit:backward(net.output, y))
            p:add(-0.1, gp)
         end
         return p, losses
      end
      local pg, lg = train('gemm')
      local before = conv.calls().onednn
      local pd, ld = train('onednn')
      -- two convolutions, three directions, three steps
      assert.are.equal(18, conv.calls().onednn - before)
      assert.is_true(S.close(ld[3], lg[3], 1e-4, 1e-4), ld[3] .. ' vs ' .. lg[3])
      assert.is_true(lg[3] < lg[1])
      assert.is_true(near(pd, pg))
   end)

   it('rejects an unknown engine name', function()
      assert.has_error(function() conv.engine('fast') end,
         "nnlua.conv.engine: expected 'auto', 'gemm' or 'onednn', got fast")
   end)

   it('takes its default from NNLUA_CONV_ENGINE', function()
      local out, rc = S.run_nnlua_env('NNLUA_CONV_ENGINE=gemm',
         [[-e "print('engine', require('nnlua.conv').engine())"]])
      assert.are.equal(0, rc, out)
      assert.truthy(out:match('engine\tgemm'), out)
   end)
end)

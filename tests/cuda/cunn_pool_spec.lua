-- cunn: the pooling, padding, upsampling, LRN and batch-normalisation
-- modules on CUDA tensors against the same modules on the CPU in double
-- (kernels in cuda/pool.cu, cuda/spatial.cu, cuda/batchnorm.cu): forward,
-- backward and, for the max poolings, the indices, on contiguous,
-- transposed and narrowed inputs; batch normalisation in training and
-- evaluation with its running statistics and parameter gradients; then a
-- small convolution-free net (pooling, padding, batch norm, upsampling)
-- trained a few steps on both devices. Pending, with the reason, where no
-- CUDA device is present. NNLUA_CUNN_SPEC_CPU=1 runs the same comparisons
-- with FloatTensor in place of CudaTensor (checks the spec itself on a
-- machine without a GPU).
local torch = require 'torch'

local cu = require 'tests.cuda.cunn_util'
local nn = require 'nn'

describe('cunn pooling and image modules', function()
   if not cu.ok then
      it('needs a CUDA device', function() pending(cu.pending_reason) end)
      return
   end

   local FT, DT = cu.FT, cu.DT
   local TOL = 1e-5

   local function close(gpu, cpu, tol) return cu.close(gpu, cpu, tol or TOL) end
   -- random doubles that are exactly floats, so both devices see one input
   local function randn(sizes)
      return torch.DoubleTensor(torch.LongStorage(sizes)):normal(0, 1.5):float():double()
   end

   -- a tensor of sizes in one of three layouts: (cpu view, device view)
   -- of one base tensor with the same values
   local function swap_last(sizes)
      local s = { unpack(sizes) }
      s[#s - 1], s[#s] = s[#s], s[#s - 1]
      return s
   end
   local function widen_last(sizes)
      local s = { unpack(sizes) }
      s[#s] = s[#s] + 3
      return s
   end
   local layouts = {
      contiguous = function(sizes, ty)
         local b = randn(sizes)
         return b, b:type(ty)
      end,
      transposed = function(sizes, ty)
         local b, d = randn(swap_last(sizes)), #sizes
         return b:transpose(d - 1, d), b:type(ty):transpose(d - 1, d)
      end,
      narrowed = function(sizes, ty)
         local b, d = randn(widen_last(sizes)), #sizes
         return b:narrow(d, 2, sizes[d]), b:type(ty):narrow(d, 2, sizes[d])
      end,
   }
   local layout_names = { 'contiguous', 'transposed', 'narrowed' }

   -- forward and backward of make() on both devices; indices compared
   -- when the module keeps them. Returns the two modules.
   local function check_module(name, make, sizes, layout, tol, ty)
      ty = ty or FT
      local xc, xg = layouts[layout](sizes, ty)
      assert.is_false(layout ~= 'contiguous' and xg:isContiguous(), name .. ': the ' .. layout .. ' input is contiguous')
      local mc, mg = make():double(), make():type(ty)
      local yc = mc:forward(xc):clone()
      local yg = mg:forward(xg)
      local what = name .. ' (' .. layout .. ')'
      assert.is_true(close(yg, yc, tol), what .. ': forward')
      assert.are.equal(ty, torch.typename(yg))
      if mc.indices and mc.indices:nElement() > 0 then
         assert.is_true(close(mg.indices:double(), mc.indices:double(), 0), what .. ': indices')
      end
      local gc, gg = layouts[layout](yc:size():totable(), ty)
      local gic = mc:backward(xc, gc):clone()
      local gig = mg:backward(xg, gg)
      assert.is_true(close(gig, gic, tol), what .. ': backward')
      assert.are.equal(ty, torch.typename(gig))
      return mc, mg
   end

   local modules = {
      { 'SpatialMaxPooling 3x3/2 pad 1', function() return nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1) end, { 2, 3, 9, 8 } },
      { 'SpatialMaxPooling 3x2/2x1 ceil', function() return nn.SpatialMaxPooling(3, 2, 2, 1, 1, 0):ceil() end,
        { 3, 7, 6 } },
      { 'SpatialMaxPooling 3x3/1 (overlapping)', function() return nn.SpatialMaxPooling(3, 3, 1, 1) end, { 2, 2, 6, 7 } },
      { 'SpatialAveragePooling 3x3/2 pad 1', function() return nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1) end,
        { 2, 3, 9, 8 } },
      { 'SpatialAveragePooling ceil, padding excluded',
        function() return nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):ceil():setCountExcludePad() end, { 2, 3, 7, 6 } },
      { 'SpatialAdaptiveMaxPooling 3x2', function() return nn.SpatialAdaptiveMaxPooling(3, 2) end, { 2, 3, 7, 5 } },
      { 'SpatialAdaptiveMaxPooling 5x7 (cells overlap)', function() return nn.SpatialAdaptiveMaxPooling(5, 7) end,
        { 2, 3, 4, 3 } },
      { 'SpatialAdaptiveAveragePooling 4x3', function() return nn.SpatialAdaptiveAveragePooling(4, 3) end,
        { 2, 3, 9, 7 } },
      { 'SpatialDilatedMaxPooling', function() return nn.SpatialDilatedMaxPooling(3, 2, 2, 1, 1, 0, 2, 2) end,
        { 2, 3, 9, 7 } },
      { 'SpatialDilatedMaxPooling ceil', function() return nn.SpatialDilatedMaxPooling(2, 2, 2, 2, 1, 1, 2, 1):ceil() end,
        { 3, 7, 6 } },
      { 'VolumetricMaxPooling', function() return nn.VolumetricMaxPooling(2, 2, 2, 2, 2, 2) end, { 2, 2, 4, 5, 5 } },
      { 'VolumetricMaxPooling pad ceil', function() return nn.VolumetricMaxPooling(3, 3, 2, 2, 2, 1, 1, 1, 1):ceil() end,
        { 2, 2, 5, 6, 7 } },
      { 'VolumetricAveragePooling', function() return nn.VolumetricAveragePooling(2, 3, 3, 2, 2, 2, 1, 1, 1) end,
        { 2, 2, 4, 5, 5 } },
      { 'VolumetricDilatedMaxPooling',
        function() return nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2) end, { 2, 2, 5, 5, 5 } },
      { 'TemporalMaxPooling 3/2', function() return nn.TemporalMaxPooling(3, 2) end, { 2, 9, 5 } },
      { 'TemporalMaxPooling 3/1 (overlapping)', function() return nn.TemporalMaxPooling(3, 1) end, { 8, 6 } },
      { 'SpatialZeroPadding (with a crop)', function() return nn.SpatialZeroPadding(2, -1, 1, 3) end, { 2, 3, 5, 6 } },
      { 'SpatialReflectionPadding', function() return nn.SpatialReflectionPadding(2, 1, 1, 3) end, { 2, 3, 5, 6 } },
      { 'SpatialReplicationPadding', function() return nn.SpatialReplicationPadding(4, 0, 2, 5) end, { 2, 3, 5, 6 } },
      { 'SpatialUpSamplingNearest 3', function() return nn.SpatialUpSamplingNearest(3) end, { 2, 3, 4, 5 } },
      { 'SpatialUpSamplingBilinear 2', function() return nn.SpatialUpSamplingBilinear(2) end, { 2, 3, 4, 5 } },
      { 'SpatialUpSamplingBilinear to 9x4', function() return nn.SpatialUpSamplingBilinear({ oheight = 9, owidth = 4 }) end,
        { 3, 5, 6 } },
      { 'SpatialCrossMapLRN 3', function() return nn.SpatialCrossMapLRN(3, 0.01, 0.75, 1) end, { 2, 5, 4, 6 }, 1e-4 },
      { 'SpatialCrossMapLRN 4', function() return nn.SpatialCrossMapLRN(4, 0.2, 0.5, 1.5) end, { 6, 3, 5 }, 1e-4 },
   }

   for _, m in ipairs(modules) do
      it(m[1] .. ' matches the CPU, forward and backward, on every layout', function()
         torch.manualSeed(21)
         for _, l in ipairs(layout_names) do check_module(m[1], m[2], m[3], l, m[4]) end
      end)
   end

   it('runs in double precision on CudaDoubleTensor', function()
      torch.manualSeed(22)
      for _, i in ipairs { 1, 4, 11, 17, 21, 23 } do
         check_module(modules[i][1], modules[i][2], modules[i][3], 'transposed', 1e-12, DT)
      end
   end)

   it('SpatialMaxUnpooling inverts a SpatialMaxPooling on the device as on the CPU', function()
      torch.manualSeed(23)
      for _, l in ipairs(layout_names) do
         local xc, xg = layouts[l]({ 2, 3, 8, 6 }, FT)
         local pc, pg = nn.SpatialMaxPooling(2, 2):double(), nn.SpatialMaxPooling(2, 2):type(FT)
         local uc, ug = nn.SpatialMaxUnpooling(pc), nn.SpatialMaxUnpooling(pg)
         uc:double()
         ug:type(FT)
         local yc, yg = uc:forward(pc:forward(xc)), ug:forward(pg:forward(xg))
         assert.is_true(close(yg, yc), l .. ': forward')
         local gc, gg = layouts[l]({ 2, 3, 8, 6 }, FT)
         assert.is_true(close(ug:backward(pg.output, gg), uc:backward(pc.output, gc)), l .. ': backward')
      end
   end)

   it('VolumetricMaxUnpooling inverts a VolumetricMaxPooling on the device as on the CPU', function()
      torch.manualSeed(28)
      for _, l in ipairs(layout_names) do
         local xc, xg = layouts[l]({ 2, 2, 4, 6, 6 }, FT)
         local pc, pg = nn.VolumetricMaxPooling(2, 2, 2):double(), nn.VolumetricMaxPooling(2, 2, 2):type(FT)
         local uc, ug = nn.VolumetricMaxUnpooling(pc), nn.VolumetricMaxUnpooling(pg)
         uc:double()
         ug:type(FT)
         local yc, yg = uc:forward(pc:forward(xc)), ug:forward(pg:forward(xg))
         assert.is_true(close(yg, yc), l .. ': forward')
         local gc, gg = layouts[l]({ 2, 2, 4, 6, 6 }, FT)
         assert.is_true(close(ug:backward(pg.output, gg), uc:backward(pc.output, gc)), l .. ': backward')
      end
   end)

   it('SpatialFractionalMaxPooling and VolumetricFractionalMaxPooling match the CPU with the same samples', function()
      torch.manualSeed(24)
      local function run(make, sizes, nsamples)
         for _, l in ipairs(layout_names) do
            local xc, xg = layouts[l](sizes, FT)
            local mc, mg = make():double(), make():type(FT)
            local n = #sizes == nsamples + 2 and sizes[1] or 1
            local s = torch.DoubleTensor(n, sizes[#sizes - nsamples], nsamples):uniform():float():double()
            mc.randomSamples, mg.randomSamples = s:clone(), s:type(FT)
            mc:fixPoolingRegions()
            mg:fixPoolingRegions()
            local yc, yg = mc:forward(xc):clone(), mg:forward(xg)
            assert.is_true(close(yg, yc), l .. ': forward')
            assert.is_true(close(mg.indices:double(), mc.indices:double(), 0), l .. ': indices')
            local gc, gg = layouts[l](yc:size():totable(), FT)
            assert.is_true(close(mg:backward(xg, gg), mc:backward(xc, gc)), l .. ': backward')
         end
      end
      run(function() return nn.SpatialFractionalMaxPooling(2, 3, 4, 3) end, { 2, 3, 7, 8 }, 2)
      run(function() return nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 4, 2) end, { 2, 2, 5, 6, 7 }, 3)
   end)

   it('a corrupted max-pool index is the CPU\'s error on the device', function()
      local m = nn.SpatialMaxPooling(2, 2):type(FT)
      local x = randn({ 2, 4, 4 }):type(FT)
      m:forward(x)
      m.indices:fill(99)
      assert.has_error(function() m:backward(x, m.output:clone()) end, 'nn.SpatialMaxPooling(2x2, 2,2): corrupted indices')
   end)

   describe('BatchNormalization', function()
      -- training: output, running statistics, gradInput, gradWeight and
      -- gradBias; then evaluation with the running statistics
      local function check_bn(name, make, sizes, affine)
         for _, l in ipairs(layout_names) do
            local what = name .. ' (' .. l .. ')'
            local xc, xg = layouts[l](sizes, FT)
            local mc = make()
            mc:double()
            if affine then
               mc.weight:copy(randn({ sizes[2] }))
               mc.bias:copy(randn({ sizes[2] }))
            end
            local mg = mc:clone():type(FT)
            local yc, yg = mc:forward(xc):clone(), mg:forward(xg)
            assert.is_true(close(yg, yc, 1e-4), what .. ': training forward')
            assert.is_true(close(mg.running_mean, mc.running_mean, 1e-4), what .. ': running mean')
            assert.is_true(close(mg.running_var, mc.running_var, 1e-4), what .. ': running variance')
            local gc, gg = layouts[l](sizes, FT)
            if affine then
               mc:zeroGradParameters()
               mg:zeroGradParameters()
            end
            assert.is_true(close(mg:backward(xg, gg), mc:backward(xc, gc), 1e-4), what .. ': training backward')
            if affine then
               assert.is_true(close(mg.gradWeight, mc.gradWeight, 1e-4), what .. ': gradWeight')
               assert.is_true(close(mg.gradBias, mc.gradBias, 1e-4), what .. ': gradBias')
            end
            mc:evaluate()
            mg:evaluate()
            assert.is_true(close(mg:forward(xg), mc:forward(xc), 1e-4), what .. ': evaluation forward')
            assert.is_true(close(mg:backward(xg, gg), mc:backward(xc, gc), 1e-4), what .. ': evaluation backward')
         end
      end

      it('BatchNormalization (affine and not) matches the CPU', function()
         torch.manualSeed(25)
         check_bn('BatchNormalization', function() return nn.BatchNormalization(7) end, { 300, 7 }, true)
         check_bn('BatchNormalization without affine', function() return nn.BatchNormalization(5, 1e-3, 0.2, false) end,
            { 9, 5 }, false)
      end)

      it('SpatialBatchNormalization and VolumetricBatchNormalization match the CPU', function()
         torch.manualSeed(26)
         check_bn('SpatialBatchNormalization', function() return nn.SpatialBatchNormalization(4) end, { 3, 4, 9, 11 }, true)
         -- 2640 values per feature: several blocks per feature on the device
         check_bn('SpatialBatchNormalization (large planes)', function() return nn.SpatialBatchNormalization(3) end,
            { 4, 3, 33, 20 }, true)
         check_bn('VolumetricBatchNormalization', function() return nn.VolumetricBatchNormalization(3) end,
            { 2, 3, 3, 4, 5 }, true)
      end)
   end)

   it('a small net (batch norm, pooling, padding, upsampling) trained 10 SGD steps follows the CPU', function()
      torch.manualSeed(27)
      local function model()
         return nn.Sequential()
            :add(nn.SpatialBatchNormalization(3))
            :add(nn.SpatialReplicationPadding(1, 1, 1, 1))
            :add(nn.SpatialMaxPooling(3, 3, 2, 2):ceil())
            :add(nn.SpatialUpSamplingNearest(2))
            :add(nn.SpatialAveragePooling(2, 2, 2, 2))
            :add(nn.View(-1):setNumInputDims(3))
            :add(nn.Linear(3 * 5 * 5, 4))
            :add(nn.LogSoftMax())
      end
      local mc = model():double()
      local pc, gc = mc:getParameters()
      pc:copy(pc:float():double())
      local mg = mc:clone():type(FT)
      local pg, gg = mg:getParameters()
      local cc, cg = nn.ClassNLLCriterion():double(), nn.ClassNLLCriterion():type(FT)
      local x = randn({ 8, 3, 9, 9 })
      local t = torch.LongTensor(8)
      for i = 1, 8 do t[i] = (i % 4) + 1 end
      local xg, tg = x:type(FT), t
      local function step(m, c, p, g, input, target)
         g:zero()
         local out = m:forward(input)
         local loss = c:forward(out, target)
         m:backward(input, c:backward(out, target))
         p:add(-0.1, g)
         return loss
      end
      local first, last
      for i = 1, 10 do
         local lc = step(mc, cc, pc, gc, x, t)
         local lg = step(mg, cg, pg, gg, xg, tg)
         assert.is_true(close(lg, lc, 1e-4), 'step ' .. i .. ': loss ' .. lg .. ' vs ' .. lc)
         first, last = first or lc, lc
      end
      assert.is_true(last < first, 'the loss went down')
      assert.is_true(close(pg, pc, 1e-4), 'parameters after 10 steps')
   end)
end)

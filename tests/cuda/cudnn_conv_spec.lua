-- cudnn's convolutions on CUDA tensors against the CPU (double): every
-- convolution class (groups, dilation, adj, 3D, temporal), forward, input
-- gradient and parameter gradients, on contiguous and non-contiguous
-- inputs, three ways: cuDNN with the heuristic's algorithms, cuDNN with
-- the timed ones (cudnn.benchmark) and im2col + cuBLAS (cudnn.enabled =
-- false); the library's counters show which path ran. Float with TF32
-- off (close to the CPU) and on (within TF32's rounding); then a small
-- convolutional net converted with cudnn.convert trained 5 SGD steps on
-- both devices. Pending, with the reason, where no CUDA device is present.
-- NNLUA_CUDNN_SPEC_CPU=1 runs the same comparisons with CPU tensors in
-- place of CUDA ones (checks the spec itself on a machine without a GPU).
local torch = require 'torch'

local as_cpu = os.getenv('NNLUA_CUDNN_SPEC_CPU') == '1'
local ok, why = true, nil
if not as_cpu then ok, why = pcall(require, 'cunn') end
require 'nn'
local cudnn = require 'cudnn'

describe('cudnn convolutions on CUDA', function()
   if not ok then
      it('needs a CUDA device', function() pending('no CUDA device here: ' .. tostring(why)) end)
      return
   end
   local DT = as_cpu and 'torch.DoubleTensor' or 'torch.CudaDoubleTensor'
   local FT = as_cpu and 'torch.FloatTensor' or 'torch.CudaTensor'

   local function maxrel(gpu, cpu)
      local d = (gpu:double() - cpu):abs():max()
      return d / math.max(1, torch.abs(cpu):max())
   end

   -- a non-contiguous view holding x's values
   local function strided(x)
      local big = x.new(x:size(1), 2, unpack(x:size():totable(), 2))
      big:select(2, 1):copy(x)
      return big:select(2, 1)
   end

   local cases = {
      { 'SpatialConvolution', { 3, 8, 3, 3, 1, 1, 1, 1 }, { 4, 3, 12, 11 } },
      { 'SpatialConvolution', { 6, 9, 3, 2, 2, 1, 1, 0, 3 }, { 3, 6, 9, 8 } },
      { 'SpatialConvolution', { 4, 4, 3, 3, 1, 1, 1, 1, 4 }, { 2, 4, 7, 7 } },
      { 'SpatialFullConvolution', { 4, 3, 3, 3, 2, 2, 1, 1, 1, 1 }, { 2, 4, 5, 6 } },
      { 'SpatialDilatedConvolution', { 3, 5, 3, 3, 1, 1, 2, 2, 2, 2 }, { 2, 3, 9, 9 } },
      { 'VolumetricConvolution', { 2, 4, 3, 3, 3, 1, 2, 1, 1, 1, 1 }, { 2, 2, 5, 6, 6 } },
      { 'VolumetricFullConvolution', { 3, 2, 2, 3, 3, 2, 1, 2, 0, 1, 1, 1, 0, 1 }, { 2, 3, 3, 4, 4 } },
      { 'VolumetricDilatedConvolution', { 2, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2 }, { 2, 2, 6, 6, 6 } },
      { 'TemporalConvolution', { 5, 4, 3, 2 }, { 3, 11, 5 } },
   }

   -- forward, gradInput, gradWeight, gradBias of module m on x with go
   local function run(m, x, go)
      m:zeroGradParameters()
      local y = m:forward(x):clone()
      local gi = m:backward(x, go, 0.5):clone()
      return y, gi, m.gradWeight:clone(), m.gradBias and m.gradBias:clone()
   end

   local function compare(c, T, tol)
      torch.manualSeed(17)
      local cpu = cudnn[c[1]](unpack(c[2]))
      local dev = cpu:clone():type(T)
      local x = torch.randn(unpack(c[3]))
      local y0 = cpu:forward(x)
      local go = torch.randn(y0:size())
      local want = { run(cpu, x, go) }
      for _, layout in ipairs { 'contiguous', 'strided' } do
         local xd, god = x:type(T), go:type(T)
         if layout == 'strided' then xd, god = strided(xd), strided(god) end
         local got = { run(dev, xd, god) }
         for i, what in ipairs { 'output', 'gradInput', 'gradWeight', 'gradBias' } do
            if want[i] then
               local e = maxrel(got[i], want[i])
               assert(e < tol, ('%s %s (%s): %s differs from the CPU by %g'):format(c[1],
                  table.concat(c[2], ','), layout, what, e))
            end
         end
      end
   end

   local modes = {
      { 'cuDNN, heuristic', { enabled = true, benchmark = false } },
      { 'cuDNN, benchmark', { enabled = true, benchmark = true } },
      { 'im2col + cuBLAS', { enabled = false, benchmark = false } },
   }
   for _, mode in ipairs(modes) do
      it('every convolution matches the CPU in double: ' .. mode[1], function()
         for k, v in pairs(mode[2]) do cudnn[k] = v end
         cudnn.allowTF32 = false
         cudnn.calls(true)
         for _, c in ipairs(cases) do compare(c, DT, 1e-10) end
         local n = cudnn.calls()
         if not as_cpu then
            if mode[2].enabled and cudnn.version > 0 then
               assert(n.cudnn > 0, 'cuDNN served no pass (' .. cudnn.info() .. ')')
            else
               assert(n.fallback > 0 and n.cudnn == 0, 'the fallback did not serve every pass')
            end
         end
         cudnn.enabled, cudnn.benchmark = true, false
      end)
   end

   it('every convolution matches the CPU in float, TF32 off and on', function()
      cudnn.allowTF32 = false
      for _, c in ipairs(cases) do compare(c, FT, 1e-4) end
      cudnn.allowTF32 = true
      for _, c in ipairs(cases) do compare(c, FT, 2e-2) end
      cudnn.allowTF32 = false
   end)

   it('a converted convolutional net trains as on the CPU', function()
      torch.manualSeed(23)
      local net = nn.Sequential()
         :add(nn.SpatialConvolution(1, 6, 5, 5)):add(nn.ReLU()):add(nn.SpatialConvolution(6, 6, 2, 2, 2, 2))
         :add(nn.SpatialConvolution(6, 8, 3, 3)):add(nn.Tanh())
         :add(nn.View(-1):setNumInputDims(3)):add(nn.Linear(8 * 4 * 4, 10)):add(nn.LogSoftMax())
      local x, t = torch.randn(8, 1, 16, 16), torch.LongTensor(8):random(1, 10)
      local dnet = cudnn.convert(net:clone(), cudnn):type(DT)
      local crit, dcrit = nn.ClassNLLCriterion(), nn.ClassNLLCriterion():type(DT)
      local xd, td = x:type(DT), as_cpu and t or t:type('torch.CudaLongTensor')
      for _ = 1, 5 do
         for _, p in ipairs { { net, crit, x, t }, { dnet, dcrit, xd, td } } do
            local m, c, xi, ti = unpack(p)
            m:zeroGradParameters()
            local y = m:forward(xi)
            c:forward(y, ti)
            m:backward(xi, c:backward(y, ti))
            m:updateParameters(0.1)
         end
      end
      local p1, p2 = net:getParameters(), dnet:getParameters()
      assert(maxrel(p2, p1) < 1e-9, 'parameters differ after 5 steps')
   end)
end)

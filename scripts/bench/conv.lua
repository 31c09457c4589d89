-- scripts/bench/conv.lua: forward + backward (gradInput and parameter
-- gradients) of one batch through convolution layers, float, 2 threads:
--   LeNet conv1  1 -> 32, 5x5 on 28x28, batch 128
--   LeNet conv2 32 -> 64, 5x5 on 12x12 (the pooled conv1 maps), batch 128
--   VGG block  64 -> 64, 3x3 pad 1 on 32x32, batch 128
-- Each layer runs on both CPU engines (nnlua.conv: im2col + GEMM, and
-- oneDNN when build/libnnlua_dnnl.so loads), timed interleaved in this run
-- (best of rounds), with the ratio gemm/onednn (above 1: oneDNN faster).
-- For each: milliseconds per batch, GFLOP/s (3 GEMMs' worth:
-- 2*nOut*K*oH*oW*N each, K = nIn*kH*kW), and the ratio to OpenBLAS sgemm
-- on the equivalent im2col matrices (nOut x K) (K x N*oH*oW), timed in this
-- run: 1.00 means the layer runs at GEMM speed. With python3-torch
-- installed, the same layers in PyTorch (OMP_WAIT_POLICY=passive, 2
-- threads) side by side.
--   build/nnlua scripts/bench/conv.lua [-nopytorch]
require 'nn'
local conv = require 'nnlua.conv'

torch.setnumthreads(2)
torch.manualSeed(1)

local B = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
local skip_torch = B.nopytorch(arg)

local layers = {
   { name = 'LeNet conv1 1->32 5x5 28x28', nIn = 1, nOut = 32, k = 5, pad = 0, H = 28, N = 128 },
   { name = 'LeNet conv2 32->64 5x5 12x12', nIn = 32, nOut = 64, k = 5, pad = 0, H = 12, N = 128 },
   { name = 'VGG 64->64 3x3 pad1 32x32', nIn = 64, nOut = 64, k = 3, pad = 1, H = 32, N = 128 },
}

local time = B.best
local engines = { 'gemm' }
local has_dnnl, where = conv.available()
if has_dnnl then engines[2] = 'onednn' else print('oneDNN engine not loaded (' .. where .. '): GEMM engine only') end

local results = {}
for i, L in ipairs(layers) do
   local oH = L.H + 2 * L.pad - L.k + 1
   local K, P = L.nIn * L.k * L.k, L.N * oH * oH
   L.flop = 3 * 2 * L.nOut * K * P
   local m = nn.SpatialConvolution(L.nIn, L.nOut, L.k, L.k, 1, 1, L.pad, L.pad):float()
   local x = torch.FloatTensor(L.N, L.nIn, L.H, L.H):uniform(-1, 1)
   local go = torch.FloatTensor(L.N, L.nOut, oH, oH):uniform(-1, 1)
   local budget = L.flop > 5e9 and 0.6 or 0.3
   local function step()
      m:zeroGradParameters()
      m:forward(x)
      m:backward(x, go)
   end
   -- both engines, interleaved: the best of three rounds each
   local te = {}
   for _ = 1, 3 do
      for _, e in ipairs(engines) do
         conv.engine(e)
         te[e] = math.min(te[e] or math.huge, time(step, budget / 3))
      end
   end
   conv.engine('auto')
   local t = te.gemm
   -- the same three products as single GEMMs on the im2col-shaped matrices
   local W, col, out = torch.FloatTensor(L.nOut, K):uniform(), torch.FloatTensor(K, P):uniform(), torch.FloatTensor(L.nOut, P):uniform()
   local dcol, dW = torch.FloatTensor(K, P), torch.FloatTensor(L.nOut, K)
   local g = time(function()
      out:mm(W, col)
      dcol:mm(W:t(), out)
      dW:mm(out, col:t())
   end, budget)
   if te.onednn then t = math.min(t, te.onednn) end
   results[i] = { t = t, g = g }
   print(string.format('%-30s gemm   %8.2f ms  %6.1f GFLOP/s | sgemm %8.2f ms %6.1f GFLOP/s | nnlua/sgemm time %.2f',
      L.name, te.gemm * 1e3, L.flop / te.gemm * 1e-9, g * 1e3, L.flop / g * 1e-9, te.gemm / g))
   if te.onednn then
      print(string.format('%-30s onednn %8.2f ms  %6.1f GFLOP/s | gemm/onednn time %.2f (above 1: oneDNN is faster)',
         L.name, te.onednn * 1e3, L.flop / te.onednn * 1e-9, te.gemm / te.onednn))
   end
   collectgarbage()
end

if skip_torch then return end
if not B.has_pytorch() then
   print('python3-torch is not installed: no PyTorch comparison')
   return
end
local script = [[
import time, torch
torch.set_num_threads(2)
torch.manual_seed(1)
for name, nIn, nOut, k, pad, H, N in LAYERS:
    m = torch.nn.Conv2d(nIn, nOut, k, padding=pad)
    x = torch.rand(N, nIn, H, H) * 2 - 1
    x.requires_grad_(True)
    oH = H + 2 * pad - k + 1
    go = torch.rand(N, nOut, oH, oH) * 2 - 1
    def step():
        m.zero_grad(); x.grad = None
        y = m(x); y.backward(go)
    step()
    flop = 3 * 2 * nOut * nIn * k * k * N * oH * oH
    budget = 1.2 if flop > 5e9 else 0.6
    best = 1e9
    for _ in range(3):
        n, t0 = 0, time.time()
        while True:
            step(); n += 1
            if time.time() - t0 >= budget: break
        best = min(best, (time.time() - t0) / n)
    print('pytorch %s: %.2f ms %.1f GFLOP/s' % (name, best * 1e3, flop / best * 1e-9))
]]
local spec = {}
for _, L in ipairs(layers) do
   spec[#spec + 1] = string.format("('%s', %d, %d, %d, %d, %d, %d)", L.name, L.nIn, L.nOut, L.k, L.pad, L.H, L.N)
end
script = script:gsub('LAYERS', '[' .. table.concat(spec, ', ') .. ']')
local out = B.run_pytorch(script)
for i, L in ipairs(layers) do
   local ms = out:match('pytorch ' .. L.name:gsub('%p', '%%%0') .. ': ([%d.]+) ms')
   if ms then
      print(string.format('%-30s pytorch %8.2f ms  %6.1f GFLOP/s | pytorch/nnlua time %.2f (nnlua: the faster engine; above 1: nnlua is faster)',
         L.name, tonumber(ms), L.flop / (tonumber(ms) * 1e-3) * 1e-9, tonumber(ms) * 1e-3 / results[i].t))
   else
      io.write(out)
   end
end

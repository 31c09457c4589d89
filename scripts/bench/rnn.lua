-- scripts/bench/rnn.lua: one forward + backward of a 2-layer LSTM over a
-- batch of 50 sequences of 50 steps (input size = hidden size; float; 2
-- threads), hidden 128 and 512, three ways in one run:
--   nngraph      char-rnn's LSTM step as an nngraph gModule
--                (nn.lstm_util.graphCell), cloned per step through
--                torch.MemoryFile with shared parameters, as char-rnn does
--   nn modules   the same step from plain nn containers (Linear i2h and
--                h2h, CAddTable, Narrow, Sigmoid, Tanh, CMulTable;
--                nn.lstm_util.referenceCell), cloned the same way
--   fused        nn.SeqLSTM per layer (one input GEMM for all steps, one
--                recurrent GEMM and one cell kernel per step)
--   PyTorch      torch.nn.LSTM(H, H, num_layers=2) on the same sizes, in
--                Debian's python3-torch (OMP_WAIT_POLICY=passive, 2 threads)
-- Each figure is the best of 3 timings of repeated batches: seconds per
-- batch (forward of both layers and backward to the inputs and weights).
--   build/nnlua scripts/bench/rnn.lua [-nopytorch] [-sizes 128,512] [-threads 2]
require 'nn'
local bench = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
local U = nn.lstm_util

local T, N, L = 50, 50, 2
local sizes, threads = { 128, 512 }, 2
for i, a in ipairs(arg) do
   if a == '-sizes' and arg[i + 1] then
      sizes = {}
      for s in arg[i + 1]:gmatch('%d+') do sizes[#sizes + 1] = tonumber(s) end
   elseif a == '-threads' and arg[i + 1] then
      threads = tonumber(arg[i + 1])
   end
end
torch.setnumthreads(threads)
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(1)

local function budget(H) return H >= 512 and 2 or 0.5 end

local function graph_built(H, make)
   local layers = {}
   for l = 1, L do
      local cell = make(H, H)
      cell:float()
      local p, g = cell:getParameters()
      layers[l] = { clones = U.cloneManyTimes(cell, T), p = p, g = g }
   end
   local x = torch.randn(T, N, H)
   local go = torch.randn(T, N, H)
   local zero = torch.zeros(N, H)
   local inputs = {}
   return function()
      -- forward: layer by layer, step by step
      local below = {}
      for t = 1, T do below[t] = x[t] end
      for l = 1, L do
         local c, h = zero, zero
         inputs[l] = {}
         for t = 1, T do
            inputs[l][t] = { below[t], c, h }
            local o = layers[l].clones[t]:forward(inputs[l][t])
            c, h = o[1], o[2]
            below[t] = h
         end
      end
      -- backward: top layer first, back in time
      local above = {}
      for t = 1, T do above[t] = go[t] end
      for l = L, 1, -1 do
         layers[l].g:zero()
         local gc, gh = zero, zero
         for t = T, 1, -1 do
            local gi = layers[l].clones[t]:backward(inputs[l][t], { gc, torch.add(gh, above[t]) })
            above[t] = gi[1]
            gc, gh = gi[2], gi[3]
         end
      end
   end
end

local function fused(H)
   local model = nn.Sequential()
   for _ = 1, L do model:add(nn.SeqLSTM(H, H)) end
   model:float()
   local x = torch.randn(T, N, H)
   local go = torch.randn(T, N, H)
   return function()
      model:zeroGradParameters()
      model:forward(x)
      model:backward(x, go)
   end
end

local pysrc = [[
import time, torch
torch.set_num_threads(%d)
torch.manual_seed(1)
T, N, L = %d, %d, %d
for H in [%s]:
    lstm = torch.nn.LSTM(H, H, num_layers=L)
    x = torch.randn(T, N, H, requires_grad=True)
    go = torch.randn(T, N, H)
    def step():
        lstm.zero_grad()
        x.grad = None
        y, _ = lstm(x)
        y.backward(go)
    step()
    budget = 2.0 if H >= 512 else 0.5
    best = 1e9
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while True:
            step(); n += 1
            if time.perf_counter() - t0 >= budget: break
        best = min(best, (time.perf_counter() - t0) / n)
    print("PYTORCH %%d %%.6f" %% (H, best))
]]

local py = {}
if not bench.nopytorch(arg) then
   if bench.has_pytorch() then
      local list = {}
      for _, H in ipairs(sizes) do list[#list + 1] = tostring(H) end
      local out = bench.run_pytorch(string.format(pysrc, threads, T, N, L, table.concat(list, ', ')))
      for H, s in out:gmatch('PYTORCH (%d+) ([%d.e-]+)') do py[tonumber(H)] = tonumber(s) end
      if next(py) == nil then print('PyTorch run failed:\n' .. out) end
   else
      print('(no python3-torch: PyTorch column skipped; apt-get install python3-torch)')
   end
end

print(string.format('LSTM forward+backward per batch: %d layers, batch %d, %d steps, float, %d threads', L, N, T,
   torch.getnumthreads()))
print(string.format('%-8s %14s %14s %14s %14s %10s', 'hidden', 'nngraph', 'nn modules', 'fused', 'PyTorch',
   'fused/PT'))
for _, H in ipairs(sizes) do
   local ng = bench.best(graph_built(H, U.graphCell), budget(H))
   collectgarbage()
   local g = bench.best(graph_built(H, U.referenceCell), budget(H))
   collectgarbage()
   local f = bench.best(fused(H), budget(H))
   collectgarbage()
   local p = py[H]
   print(string.format('%-8d %11.1f ms %11.1f ms %11.1f ms %14s %10s', H, ng * 1e3, g * 1e3, f * 1e3,
      p and string.format('%.1f ms', p * 1e3) or '-', p and string.format('%.2f', f / p) or '-'))
end

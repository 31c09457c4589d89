-- scripts/bench/lenet.lua: one Fashion-MNIST LeNet epoch (conv 32@5x5, ReLU,
-- maxpool 2, conv 64@5x5, ReLU, maxpool 2, 1024-200-10, LogSoftMax,
-- ClassNLL; batch 128, float, 2 threads; SGD lr 0.05, momentum 0.9
-- undamped, learning-rate decay 1e-3) written the way the lectures write
-- it: each step indexes a new batch out of the training tensor, runs the
-- full model:backward (the images' gradient included, as Torch7 computes
-- it) inside a feval handed to optim.sgd.
-- The epoch runs once per CPU convolution engine (nnlua.conv: 'gemm' is
-- im2col + OpenBLAS, 'onednn' oneDNN's direct convolution, 'auto' the
-- per-shape choice), each on its own copy of the same initial model,
-- interleaved batch by batch (an engine's epoch time is the sum of its
-- steps); then the ratios of the best epochs, measured in this run. With python3-torch installed, the same model and loop in
-- PyTorch (OMP_WAIT_POLICY=passive, 2 threads; images without
-- requires_grad, so PyTorch skips the first layer's input gradient).
--   build/nnlua scripts/bench/lenet.lua [epochs=1] [-engines gemm,onednn,auto] [-nopytorch]
require 'nn'
require 'optim'
local conv = require 'nnlua.conv'
local data = require 'nnlua.data'
local bench = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
local wall = bench.wall

local epochs = tonumber(arg[1]) or 1
local engines = { 'gemm', 'onednn', 'auto' }
for i, a in ipairs(arg) do
   if a == '-engines' then
      engines = {}
      for e in (arg[i + 1] or ''):gmatch('[^,]+') do engines[#engines + 1] = e end
   end
end
local has_dnnl, where = conv.available()
if not has_dnnl then
   print('oneDNN engine not loaded (' .. where .. '): GEMM engine only')
   engines = { 'gemm' }
end

torch.setnumthreads(2)
local train = data.load('train', nil, { normalize = true })
local test = data.load('test', nil, { normalize = true })
local N = train:size()
local trainData = train.data:view(N, 1, 28, 28)
local trainLabels = train.labels
local B = 128

local function lenet()
   torch.manualSeed(1)
   return nn.Sequential()
      :add(nn.SpatialConvolution(1, 32, 5, 5)):add(nn.ReLU(true)):add(nn.SpatialMaxPooling(2, 2, 2, 2))
      :add(nn.SpatialConvolution(32, 64, 5, 5)):add(nn.ReLU(true)):add(nn.SpatialMaxPooling(2, 2, 2, 2))
      :add(nn.View(1024)):add(nn.Linear(1024, 200)):add(nn.ReLU(true)):add(nn.Linear(200, 10))
      :add(nn.LogSoftMax()):float()
end

-- one run per engine: its model, optimiser state, best epoch
local runs = {}
for i, e in ipairs(engines) do
   local model = lenet()
   local params, gradParams = model:getParameters()
   runs[i] = { engine = e, model = model, params = params, gradParams = gradParams, best = math.huge,
               config = { learningRate = 0.05, momentum = 0.9, dampening = 0, learningRateDecay = 1e-3 } }
end
local criterion = nn.ClassNLLCriterion():float()

-- one lecture-style step of run r on the batch idx; returns its seconds
local function step(r, idx)
   conv.engine(r.engine)
   local model, params, gradParams = r.model, r.params, r.gradParams
   local t0 = wall()
   local inputs = trainData:index(1, idx)
   local targets = trainLabels:index(1, idx)
   local function feval(x)
      if x ~= params then params:copy(x) end
      gradParams:zero()
      local outputs = model:forward(inputs)
      local loss = criterion:forward(outputs, targets)
      model:backward(inputs, criterion:backward(outputs, targets))
      return loss, gradParams
   end
   optim.sgd(feval, params, r.config)
   return wall() - t0
end

local function accuracy(model)
   model:evaluate()
   local correct = 0
   for x, y in data.batches(test, 1000, false) do
      local _, p = model:forward(x:view(x:size(1), 1, 28, 28)):max(2)
      correct = correct + p:select(2, 1):eq(y):sum()
   end
   model:training()
   return correct / test:size()
end

-- The engines take turns batch by batch, so that a change in the machine's
-- load reaches all of them alike; a run's epoch time is the sum of its
-- steps.
for e = 1, epochs do
   torch.manualSeed(100 + e)
   local shuffle = torch.randperm(N):long()
   for _, r in ipairs(runs) do r.secs = 0 end
   for t = 1, N, B do
      local idx = shuffle:narrow(1, t, math.min(B, N - t + 1))
      for _, r in ipairs(runs) do r.secs = r.secs + step(r, idx) end
   end
   for _, r in ipairs(runs) do
      r.best = math.min(r.best, r.secs)
      print(string.format('lecture-style LeNet epoch %d, engine %-6s: %6.2f s (%4.0f images/s), test accuracy %.2f%%',
         e, r.engine, r.secs, N / r.secs, accuracy(r.model) * 100))
   end
end
conv.engine('auto')

local by = {}
for _, r in ipairs(runs) do by[r.engine] = r.best end
if by.gemm and by.onednn then
   print(string.format('gemm / onednn epoch time = %.2f (above 1: the oneDNN engine is faster)', by.gemm / by.onednn))
end
if by.gemm and by.auto then
   print(string.format('gemm / auto epoch time = %.2f', by.gemm / by.auto))
end

if bench.nopytorch(arg) then return end
if not bench.has_pytorch() then
   print('python3-torch is not installed: no PyTorch comparison')
   return
end
local script = [[
import gzip, time, numpy as np, torch
nn = torch.nn
torch.set_num_threads(2)
torch.manual_seed(1)
def idx(p):
    with gzip.open(p) as f: d = f.read()
    nd = d[3]; dims = [int.from_bytes(d[4+4*i:8+4*i], 'big') for i in range(nd)]
    return np.frombuffer(d, np.uint8, offset=4+4*nd).reshape(dims)
D = '/usr/share/datasets/fashion-mnist/'
X = torch.from_numpy(idx(D + 'train-images-idx3-ubyte.gz').reshape(-1, 1, 28, 28).astype(np.float32) / 255)
Y = torch.from_numpy(idx(D + 'train-labels-idx1-ubyte.gz').astype(np.int64))
m = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(True), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(True),
                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 200), nn.ReLU(True), nn.Linear(200, 10),
                  nn.LogSoftmax(1))
opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1 / (1 + step * 1e-3))
crit = nn.NLLLoss()
for e in range(EPOCHS):
    t0 = time.time()
    perm = torch.randperm(60000)
    for i in range(0, 60000, 128):
        idxs = perm[i:i+128]
        opt.zero_grad()
        loss = crit(m(X[idxs]), Y[idxs])
        loss.backward()
        opt.step()
        sched.step()
    print('pytorch LeNet epoch %d: %.2f s' % (e + 1, time.time() - t0))
]]
local out = bench.run_pytorch(script:gsub('EPOCHS', tostring(epochs)))
io.write(out)
local pt = math.huge
for t in out:gmatch('pytorch LeNet epoch %d+: ([%d.]+) s') do pt = math.min(pt, tonumber(t)) end
if pt < math.huge then
   for _, r in ipairs(runs) do
      print(string.format('PyTorch / nnlua (%s) epoch time = %.2f (above 1: nnlua is faster)', r.engine, pt / r.best))
   end
end

-- scripts/bench/train.lua: Fashion-MNIST training epochs (batch 128, float,
-- 2 threads) of
--   * the reference MLP (784-1000-10, Tanh, LogSoftMax, ClassNLL, SGD lr 0.1),
--   * or, with -model lenet, the LeNet of examples/train.lua (conv 32@5x5,
--     ReLU, maxpool 2, conv 64@5x5, ReLU, maxpool 2, 1024-200-10; SGD lr
--     0.05, momentum 0.9 undamped, learning-rate decay 1e-3 per step).
-- Three loops take turns batch by batch in one run, so that a change in the
-- machine's load reaches all of them alike (a loop's epoch time is the sum
-- of its steps):
--   lecture  what users run, the headline: each step indexes a new batch
--            out of the training tensor (trainData:index(1, idx)), runs the
--            full model:backward (the images' gradient included, as Torch7
--            computes it) inside a feval closure handed to optim.sgd;
--   tuned    the same model with the batch indexed into a reused buffer
--            and no gradient for the images (first module's gradInput =
--            nil, as PyTorch's autograd skips it): a labelled second line;
--   bound    the floor: the step's heavy products alone on fixed buffers.
--            MLP: the six GEMMs of the lecture step (forward, input and
--            weight gradients of both Linear layers). LeNet: the two
--            convolutions' own kernels (updateOutput, updateGradInput,
--            accGradParameters with the engine nnlua picks; im2col included
--            when that engine is the GEMM one) and the Linear layers'
--            GEMMs. epoch / bound is the cost of everything else: batch
--            copies, activations, pooling, loss, zeroing, the optimiser,
--            Lua, memory.
-- Then, with python3-torch installed, the same loop in PyTorch (Debian's
-- 1.13, OMP_WAIT_POLICY=passive, 2 threads) with the input without and with
-- requires_grad (the second computes the images' gradient as Torch7 does).
--   build/nnlua scripts/bench/train.lua [epochs=1] [-model mlp|lenet] [-nopytorch]
require 'nn'
require 'optim'
local data = require 'nnlua.data'

local epochs = tonumber(arg[1]) or 1
local bench = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
local wall = bench.wall
local skip_torch, lenet = bench.nopytorch(arg), false
for i, a in ipairs(arg) do
   if a == '-model' then lenet = arg[i + 1] == 'lenet' or arg[i + 1] == 'convnet' end
end
torch.setnumthreads(2)

local train = data.load('train', nil, { normalize = true })
local test = data.load('test', nil, { normalize = true })
local N, B = train:size(), 128
local trainData = lenet and train.data:view(N, 1, 28, 28) or train.data:view(N, 784)
local trainLabels = train.labels
local F = torch.FloatTensor

local function build()
   torch.manualSeed(1)
   if lenet then
      return nn.Sequential()
         :add(nn.SpatialConvolution(1, 32, 5, 5)):add(nn.ReLU(true)):add(nn.SpatialMaxPooling(2, 2, 2, 2))
         :add(nn.SpatialConvolution(32, 64, 5, 5)):add(nn.ReLU(true)):add(nn.SpatialMaxPooling(2, 2, 2, 2))
         :add(nn.View(1024)):add(nn.Linear(1024, 200)):add(nn.ReLU(true)):add(nn.Linear(200, 10))
         :add(nn.LogSoftMax()):float()
   end
   return nn.Sequential():add(nn.Linear(784, 1000)):add(nn.Tanh()):add(nn.Linear(1000, 10))
      :add(nn.LogSoftMax()):float()
end
local function config()
   if lenet then return { learningRate = 0.05, momentum = 0.9, dampening = 0, learningRateDecay = 1e-3 } end
   return { learningRate = 0.1 }
end
local criterion = nn.ClassNLLCriterion():float()

-- the lecture loop's step, as a lecture script writes it
local lecture = { model = build(), config = config(), secs = 0, best = math.huge, name = 'lecture' }
lecture.params, lecture.gradParams = lecture.model:getParameters()
function lecture.step(idx)
   local model, params, gradParams = lecture.model, lecture.params, lecture.gradParams
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
   optim.sgd(feval, params, lecture.config)
end

-- the tuned step: reused batch buffers, no gradient for the images
local tuned = { model = build(), config = config(), secs = 0, best = math.huge, name = 'tuned' }
tuned.params, tuned.gradParams = tuned.model:getParameters()
tuned.model:get(1).gradInput = nil
tuned.x, tuned.y = trainData.new(), trainLabels.new()
function tuned.step(idx)
   local model, params, gradParams = tuned.model, tuned.params, tuned.gradParams
   local x, y = tuned.x:index(trainData, 1, idx), tuned.y:index(trainLabels, 1, idx)
   optim.sgd(function()
      gradParams:zero()
      local out = model:forward(x)
      local f = criterion:forward(out, y)
      model:backward(x, criterion:backward(out, y))
      return f, gradParams
   end, params, tuned.config)
end

-- the bound: the heavy products of one lecture step on fixed buffers
local bound = { secs = 0, best = math.huge, name = 'bound' }
do
   local prods = {}   -- { result, a, b } for result = a * b (beta 0) or result += a * b
   local function mm(m, k, n, ta, tb, acc)
      local a = ta and F(k, m):fill(0.01):t() or F(m, k):fill(0.01)
      local b = tb and F(n, k):fill(0.01):t() or F(k, n):fill(0.01)
      prods[#prods + 1] = { F(m, n):zero(), a, b, acc and 1 or 0 }
   end
   -- a Linear I -> O at batch B: forward x W^T, input gradient go W, weight gradient gW += go^T x
   local function linear(I, O, input_grad)
      mm(B, I, O, false, true)
      if input_grad then mm(B, O, I, false, false) end
      mm(O, B, I, true, false, true)
   end
   local convs = {}
   if lenet then
      -- the convolutions' own kernels with nnlua's engine choice
      for _, c in ipairs { { 1, 32, 28, true }, { 32, 64, 12, true } } do
         local m = nn.SpatialConvolution(c[1], c[2], 5, 5):float()
         local x = F(B, c[1], c[3], c[3]):uniform()
         local y = m:forward(x)
         convs[#convs + 1] = { m = m, x = x, go = y:clone():uniform(), input_grad = c[4] }
      end
      linear(1024, 200, true)
      linear(200, 10, true)
   else
      linear(784, 1000, true)
      linear(1000, 10, true)
   end
   function bound.step()
      for _, c in ipairs(convs) do
         c.m:updateOutput(c.x)
         if c.input_grad then c.m:updateGradInput(c.x, c.go) end
         c.m:accGradParameters(c.x, c.go)
      end
      for _, p in ipairs(prods) do p[1]:addmm(p[4], p[1], 1, p[2], p[3]) end
   end
end

local function accuracy(model)
   model:evaluate()
   local correct = 0
   for x, y in data.batches(test, 1000, false) do
      x = lenet and x:view(x:size(1), 1, 28, 28) or x:view(x:size(1), 784)
      local _, p = model:forward(x):max(2)
      correct = correct + p:select(2, 1):eq(y):sum()
   end
   model:training()
   return correct / test:size()
end

local loops = { lecture, tuned, bound }
local what = lenet and 'LeNet' or 'MLP'
for e = 1, epochs do
   torch.manualSeed(100 + e)
   local shuffle = torch.randperm(N):long()
   for _, l in ipairs(loops) do l.secs = 0 end
   for t = 1, N, B do
      local idx = shuffle:narrow(1, t, math.min(B, N - t + 1))
      for _, l in ipairs(loops) do
         local t0 = wall()
         l.step(idx)
         l.secs = l.secs + wall() - t0
      end
   end
   for _, l in ipairs(loops) do l.best = math.min(l.best, l.secs) end
   print(string.format('nnlua %s epoch %d, lecture-style (indexed batch, full backward, optim.sgd): %.2f s (%.0f images/s), test accuracy %.2f%%',
      what, e, lecture.secs, N / lecture.secs, accuracy(lecture.model) * 100))
   print(string.format('nnlua %s epoch %d, tuned (reused batch buffer, no image gradient):           %.2f s, test accuracy %.2f%%',
      what, e, tuned.secs, accuracy(tuned.model) * 100))
   print(string.format('bound: the %s of one epoch alone on fixed buffers: %.2f s',
      lenet and 'convolution kernels and Linear GEMMs' or 'six GEMMs', bound.secs))
end
print(string.format('lecture epoch / bound = %.2f; tuned epoch / bound = %.2f (best epochs, same run)',
   lecture.best / bound.best, tuned.best / bound.best))

if skip_torch then return end
if not bench.has_pytorch() then
   print('python3-torch is not installed: no PyTorch comparison')
   return
end
local script = [[
import gzip, time, numpy as np, torch
torch.set_num_threads(2)
def idx(p):
    with gzip.open(p) as f: d = f.read()
    nd = d[3]; dims = [int.from_bytes(d[4+4*i:8+4*i], 'big') for i in range(nd)]
    return np.frombuffer(d, np.uint8, offset=4+4*nd).reshape(dims)
D = '/usr/share/datasets/fashion-mnist/'
X = torch.from_numpy(idx(D + 'train-images-idx3-ubyte.gz').reshape(-1, 784).astype(np.float32) / 255)
Y = torch.from_numpy(idx(D + 'train-labels-idx1-ubyte.gz').astype(np.int64))
nn = torch.nn
if LENET: X = X.view(-1, 1, 28, 28)
for req in (False, True):
    torch.manual_seed(1)
    if LENET:
        m = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(True), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(True),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 200), nn.ReLU(True), nn.Linear(200, 10),
                          nn.LogSoftmax(1))
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
        # Torch7's learningRateDecay: lr / (1 + step * decay), stepped per batch
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1 / (1 + step * 1e-3))
    else:
        m = nn.Sequential(nn.Linear(784, 1000), nn.Tanh(), nn.Linear(1000, 10), nn.LogSoftmax(1))
        opt = torch.optim.SGD(m.parameters(), lr=0.1)
        sched = None
    crit = nn.NLLLoss()
    for e in range(EPOCHS):
        t0 = time.time()
        perm = torch.randperm(60000)
        for i in range(0, 60000, 128):
            idxs = perm[i:i+128]
            x = X[idxs]
            if req: x.requires_grad_(True)
            opt.zero_grad()
            loss = crit(m(x), Y[idxs])
            loss.backward()
            opt.step()
            if sched: sched.step()
        print('pytorch epoch %d (input requires_grad=%s): %.2f s' % (e + 1, req, time.time() - t0))
]]
script = script:gsub('EPOCHS', tostring(epochs)):gsub('LENET', lenet and 'True' or 'False')
local out = bench.run_pytorch(script)
io.write(out)
local pt = {}
for req, t in out:gmatch('requires_grad=(%a+)%): ([%d.]+) s') do
   pt[req] = math.min(pt[req] or math.huge, tonumber(t))
end
if pt.False and pt.True then
   print(string.format('PyTorch epoch / nnlua lecture epoch = %.2f (input without requires_grad), %.2f (with); above 1: nnlua is faster',
      pt.False / lecture.best, pt.True / lecture.best))
end

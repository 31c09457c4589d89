-- scripts/bench/train.lua: training epochs on Fashion-MNIST, batch 128,
-- float, 2 threads, of
--   * the reference MLP (784-1000-10, Tanh, LogSoftMax, ClassNLL, lr 0.1), or
--   * with -model lenet, the LeNet of examples/train.lua (conv 32@5x5, ReLU,
--     maxpool 2, conv 64@5x5, ReLU, maxpool 2, 1024-200-10; SGD lr 0.05,
--     momentum 0.9 undamped, learning rate decay 1e-3 per step),
-- against
--   * the pure GEMM time of the same matrix products, measured in this run
--     (the floor for any implementation on this machine), and
--   * the same model and loop in PyTorch (Debian's python3-torch), when
--     installed, given its best setting here (OMP_WAIT_POLICY=passive, 2
--     threads).
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
torch.manualSeed(1)

local train = data.load('train', nil, { normalize = true })
local test = data.load('test', nil, { normalize = true })
local B = 128

local model, state
if lenet then
   model = nn.Sequential()
      :add(nn.SpatialConvolution(1, 32, 5, 5)):add(nn.ReLU(true)):add(nn.SpatialMaxPooling(2, 2, 2, 2))
      :add(nn.SpatialConvolution(32, 64, 5, 5)):add(nn.ReLU(true)):add(nn.SpatialMaxPooling(2, 2, 2, 2))
      :add(nn.View(1024)):add(nn.Linear(1024, 200)):add(nn.ReLU(true)):add(nn.Linear(200, 10))
      :add(nn.LogSoftMax()):float()
   model:get(1).gradInput = nil   -- no gradient for the images, as PyTorch's autograd skips it
   state = { learningRate = 0.05, momentum = 0.9, dampening = 0, learningRateDecay = 1e-3 }
else
   model = nn.Sequential():add(nn.Reshape(784)):add(nn.Linear(784, 1000)):add(nn.Tanh())
      :add(nn.Linear(1000, 10)):add(nn.LogSoftMax()):float()
   model:get(2).gradInput = nil   -- no gradient for the images, as PyTorch's autograd skips it
   state = { learningRate = 0.1 }
end
local crit = nn.ClassNLLCriterion():float()
local params, grads = model:getParameters()

local function accuracy()
   model:evaluate()
   local correct = 0
   for x, y in data.batches(test, 1000, false) do
      if lenet then x = x:view(x:size(1), 1, 28, 28) end
      local _, p = model:forward(x):max(2)
      correct = correct + p:select(2, 1):eq(y):sum()
   end
   model:training()
   return correct / test:size()
end

local epoch_times = {}
local accs = {}
for e = 1, epochs do
   local t0 = wall()
   for x, y in data.batches(train, B, true) do
      if lenet then x = x:view(x:size(1), 1, 28, 28) end
      optim.sgd(function()
         grads:zero()
         local out = model:forward(x)
         local f = crit:forward(out, y)
         model:backward(x, crit:backward(out, y))
         return f, grads
      end, params, state)
   end
   epoch_times[e] = wall() - t0
   accs[e] = accuracy()
   print(string.format('nnlua epoch %d: %.2f s, test accuracy %.2f%%', e, epoch_times[e], accs[e] * 100))
end

-- the same products with torch.mm on preallocated buffers: per batch,
-- forward x*W1', h*W2'; backward go2*W2 (the images need no gradient);
-- gradients go1'*x, go2'*h
local function gemm_epoch()
   local x, W1, W2 = torch.FloatTensor(B, 784):fill(0.1), torch.FloatTensor(1000, 784):fill(0.01), torch.FloatTensor(10, 1000):fill(0.01)
   local h, o, go2, go1 = torch.FloatTensor(B, 1000), torch.FloatTensor(B, 10), torch.FloatTensor(B, 10):fill(0.1), torch.FloatTensor(B, 1000):fill(0.1)
   local gi1, gi2, gW1, gW2 = torch.FloatTensor(B, 784), torch.FloatTensor(B, 1000), torch.FloatTensor(1000, 784), torch.FloatTensor(10, 1000)
   local nb = math.ceil(train:size() / B)
   local t0 = wall()
   for _ = 1, nb do
      h:mm(x, W1:t()); o:mm(h, W2:t())
      gi2:mm(go2, W2)
      gW1:addmm(go1:t(), x); gW2:addmm(go2:t(), h)
   end
   return wall() - t0
end
-- LeNet: the im2col products of both convolutions (forward, weight
-- gradient; input gradient of conv2 only) and of the two Linear layers
local function gemm_epoch_lenet()
   local F = torch.FloatTensor
   local mats = {
      -- conv1: W (32x25) * cols (25 x B*576); gW += gO (32 x B*576) * cols'
      { F(32, B * 576), F(32, 25):fill(0.01), F(25, B * 576):fill(0.1), 'nn' },
      { F(32, 25), F(32, B * 576):fill(0.01), F(25, B * 576):fill(0.1), 'nt' },
      -- conv2: W (64x800) * cols (800 x B*64); gcols = W' gO; gW += gO cols'
      { F(64, B * 64), F(64, 800):fill(0.01), F(800, B * 64):fill(0.1), 'nn' },
      { F(800, B * 64), F(64, 800):fill(0.01), F(64, B * 64):fill(0.1), 'tn' },
      { F(64, 800), F(64, B * 64):fill(0.01), F(800, B * 64):fill(0.1), 'nt' },
      -- Linear 1024->200 and 200->10: forward, input gradient, weight gradient
      { F(B, 200), F(B, 1024):fill(0.1), F(200, 1024):fill(0.01), 'nt' },
      { F(B, 1024), F(B, 200):fill(0.1), F(200, 1024):fill(0.01), 'nn' },
      { F(200, 1024), F(B, 200):fill(0.1), F(B, 1024):fill(0.01), 'tn' },
      { F(B, 10), F(B, 200):fill(0.1), F(10, 200):fill(0.01), 'nt' },
      { F(B, 200), F(B, 10):fill(0.1), F(10, 200):fill(0.01), 'nn' },
      { F(10, 200), F(B, 10):fill(0.1), F(B, 200):fill(0.01), 'tn' },
   }
   for _, m in ipairs(mats) do
      local a = m[4]:sub(1, 1) == 't' and m[2]:t() or m[2]
      local b = m[4]:sub(2, 2) == 't' and m[3]:t() or m[3]
      m.a, m.b = a, b
   end
   local nb = math.ceil(train:size() / B)
   local t0 = wall()
   for _ = 1, nb do
      for _, m in ipairs(mats) do m[1]:mm(m.a, m.b) end
   end
   return wall() - t0
end
local g = lenet and gemm_epoch_lenet() or gemm_epoch()
local best = math.huge
for _, t in ipairs(epoch_times) do best = math.min(best, t) end
print(string.format('pure GEMM time of the same products: %.2f s; nnlua epoch / GEMM = %.2f', g, best / g))

if skip_torch then return end
if not bench.has_pytorch() then
   print('python3-torch is not installed: no PyTorch comparison')
   return
end
local script = [[
import gzip, time, numpy as np, torch
torch.set_num_threads(2)
torch.manual_seed(1)
def idx(p):
    with gzip.open(p) as f: d = f.read()
    nd = d[3]; dims = [int.from_bytes(d[4+4*i:8+4*i], 'big') for i in range(nd)]
    return np.frombuffer(d, np.uint8, offset=4+4*nd).reshape(dims)
D = '/usr/share/datasets/fashion-mnist/'
X = torch.from_numpy(idx(D + 'train-images-idx3-ubyte.gz').reshape(-1, 784).astype(np.float32) / 255)
Y = torch.from_numpy(idx(D + 'train-labels-idx1-ubyte.gz').astype(np.int64))
Xt = torch.from_numpy(idx(D + 't10k-images-idx3-ubyte.gz').reshape(-1, 784).astype(np.float32) / 255)
Yt = torch.from_numpy(idx(D + 't10k-labels-idx1-ubyte.gz').astype(np.int64))
if LENET:
    nn = torch.nn
    X, Xt = X.view(-1, 1, 28, 28), Xt.view(-1, 1, 28, 28)
    m = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(True), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(True),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 200), nn.ReLU(True), nn.Linear(200, 10),
                      nn.LogSoftmax(1))
    opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
    # Torch7's learningRateDecay: lr / (1 + step * decay), stepped per batch
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1 / (1 + step * 1e-3))
else:
    m = torch.nn.Sequential(torch.nn.Linear(784, 1000), torch.nn.Tanh(), torch.nn.Linear(1000, 10), torch.nn.LogSoftmax(1))
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    sched = None
crit = torch.nn.NLLLoss()
for e in range(EPOCHS):
    t0 = time.time()
    perm = torch.randperm(60000)
    for i in range(0, 60000, 128):
        idxs = perm[i:i+128]
        opt.zero_grad()
        loss = crit(m(X[idxs]), Y[idxs])
        loss.backward()
        opt.step()
        if sched: sched.step()
    t = time.time() - t0
    with torch.no_grad(): acc = (m(Xt).argmax(1) == Yt).float().mean().item()
    print('pytorch epoch %d: %.2f s, test accuracy %.2f%%' % (e + 1, t, acc * 100))
]]
script = script:gsub('EPOCHS', tostring(epochs)):gsub('LENET', lenet and 'True' or 'False')
local out = bench.run_pytorch(script)
io.write(out)
local pt = math.huge
for t in out:gmatch('pytorch epoch %d+: ([%d.]+) s') do pt = math.min(pt, tonumber(t)) end
if pt < math.huge then
   print(string.format('PyTorch epoch / nnlua epoch = %.2f (above 1: nnlua is faster)', pt / best))
end

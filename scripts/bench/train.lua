-- scripts/bench/train.lua: one training epoch of the reference MLP
-- (784-1000-10, Tanh, LogSoftMax, ClassNLL, batch 128, lr 0.1, float,
-- 2 threads) on Fashion-MNIST, against
--   * the pure GEMM time of the same matrix products, measured in this run
--     (the floor for any implementation on this machine), and
--   * the same model and loop in PyTorch (Debian's python3-torch), when
--     installed, given its best setting here (OMP_WAIT_POLICY=passive, 2
--     threads).
--   build/nnlua scripts/bench/train.lua [epochs=1] [-nopytorch]
require 'nn'
require 'optim'
local ffi = require 'ffi'
local data = require 'nnlua.data'

local epochs = tonumber(arg[1]) or 1
local skip_torch = false
for _, a in ipairs(arg) do if a == '-nopytorch' then skip_torch = true end end
torch.setnumthreads(2)
torch.manualSeed(1)

ffi.cdef 'typedef struct { long tv_sec; long tv_nsec; } nl_trbench_ts; int clock_gettime(int, nl_trbench_ts *);'
local ts = ffi.new('nl_trbench_ts')
local function wall()
   ffi.C.clock_gettime(1, ts)
   return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local train = data.load('train', nil, { normalize = true })
local test = data.load('test', nil, { normalize = true })
local B = 128

local model = nn.Sequential():add(nn.Reshape(784)):add(nn.Linear(784, 1000)):add(nn.Tanh())
   :add(nn.Linear(1000, 10)):add(nn.LogSoftMax()):float()
model:get(2).gradInput = nil   -- no gradient for the images, as PyTorch's autograd skips it
local crit = nn.ClassNLLCriterion():float()
local params, grads = model:getParameters()
local state = { learningRate = 0.1 }

local function accuracy()
   model:evaluate()
   local correct = 0
   for x, y in data.batches(test, 1000, false) do
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
local g = gemm_epoch()
local best = math.huge
for _, t in ipairs(epoch_times) do best = math.min(best, t) end
print(string.format('pure GEMM time of the same products: %.2f s; nnlua epoch / GEMM = %.2f', g, best / g))

if skip_torch then return end
local py = io.popen('/usr/bin/python3 -c "import torch" 2>/dev/null && echo yes')
local has = py:read('*a'):match('yes')
py:close()
if not has then
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
m = torch.nn.Sequential(torch.nn.Linear(784, 1000), torch.nn.Tanh(), torch.nn.Linear(1000, 10), torch.nn.LogSoftmax(1))
opt = torch.optim.SGD(m.parameters(), lr=0.1)
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
    t = time.time() - t0
    with torch.no_grad(): acc = (m(Xt).argmax(1) == Yt).float().mean().item()
    print('pytorch epoch %d: %.2f s, test accuracy %.2f%%' % (e + 1, t, acc * 100))
]]
script = script:gsub('EPOCHS', tostring(epochs))
local f = io.open('/tmp/nnlua_bench_train.py', 'w')
f:write(script)
f:close()
local p = io.popen('OMP_WAIT_POLICY=passive OMP_NUM_THREADS=2 /usr/bin/python3 /tmp/nnlua_bench_train.py 2>&1')
local out = p:read('*a')
p:close()
io.write(out)
local pt = math.huge
for t in out:gmatch('pytorch epoch %d+: ([%d.]+) s') do pt = math.min(pt, tonumber(t)) end
if pt < math.huge then
   print(string.format('PyTorch epoch / nnlua epoch = %.2f (above 1: nnlua is faster)', pt / best))
end

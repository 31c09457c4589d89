-- scripts/bench/lecture.lua: one Fashion-MNIST MLP epoch (784-1000-10,
-- Tanh, LogSoftMax, ClassNLL, batch 128, float, lr 0.1, 2 threads) written
-- the way the lectures write it: each step indexes a new batch out of the
-- training tensor (trainData:index(1, idx)), runs the full model:backward
-- (every gradient Torch7 computes, the images' included) inside a feval
-- closure handed to optim.sgd. No buffers reused, no gradient skipped: this
-- is the figure a user's script gets.
--   build/nnlua scripts/bench/lecture.lua [epochs=1]
require 'nn'
require 'optim'
local data = require 'nnlua.data'
local bench = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
local wall = bench.wall
local epochs = tonumber(arg[1]) or 1

torch.setnumthreads(2)
torch.manualSeed(1)
local train = data.load('train', nil, { normalize = true })
local test = data.load('test', nil, { normalize = true })
local trainData = train.data:view(train:size(), 784)
local trainLabels = train.labels
local B = 128

local model = nn.Sequential():add(nn.Linear(784, 1000)):add(nn.Tanh()):add(nn.Linear(1000, 10)):add(nn.LogSoftMax())
model:float()
local criterion = nn.ClassNLLCriterion():float()
local params, gradParams = model:getParameters()
local config = { learningRate = 0.1 }

for e = 1, epochs do
   local t0 = wall()
   local shuffle = torch.randperm(train:size()):long()
   for t = 1, train:size(), B do
      local idx = shuffle:narrow(1, t, math.min(B, train:size() - t + 1))
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
      optim.sgd(feval, params, config)
   end
   local secs = wall() - t0
   model:evaluate()
   local _, p = model:forward(test.data:view(test:size(), 784)):max(2)
   local acc = p:select(2, 1):eq(test.labels):sum() / test:size()
   model:training()
   print(string.format('lecture-style MLP epoch %d: %.2f s (%.0f images/s), test accuracy %.2f%%', e, secs,
      train:size() / secs, acc * 100))
end

-- The same loop in PyTorch 1.13 (Debian's python3-torch, 2 threads, passive
-- OpenMP waits) when it is installed, run after nnlua: the batch indexed
-- out of the training tensor each step, both without and with
-- requires_grad on the input (Torch7's backward computes the input's
-- gradient, as the second PyTorch line does).
if bench.nopytorch and bench.nopytorch(arg) then return end
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
for req in (False, True):
    torch.manual_seed(1)
    m = torch.nn.Sequential(torch.nn.Linear(784, 1000), torch.nn.Tanh(), torch.nn.Linear(1000, 10), torch.nn.LogSoftmax(1))
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    crit = torch.nn.NLLLoss()
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
        t = time.time() - t0
        print('pytorch epoch %d (input requires_grad=%s): %.2f s' % (e + 1, req, t))
]]
io.write(bench.run_pytorch((script:gsub('EPOCHS', tostring(epochs)))))

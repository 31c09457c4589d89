-- scripts/bench/nn.lua: forward + backward time of one batch through the
-- MLP's layers, float, 2 threads:
--   Linear 784 -> 1000, batch 128 (forward, gradInput, gradWeight/gradBias)
--   Tanh, ReLU, LogSoftMax on 128 x 1000
--   ClassNLLCriterion on 128 x 1000 log-probabilities
-- Each is compared with the pure matrix-product time of the Linear layer
-- (its three addmm calls on the same shapes) measured in this run: the
-- Linear row's ratio says how close the layer comes to GEMM speed, the
-- others what fraction of that GEMM time they add. With python3-torch
-- installed, the same layers in PyTorch (OMP_WAIT_POLICY=passive, 2
-- threads) side by side.
--   build/nnlua scripts/bench/nn.lua [-nopytorch] [seconds-per-case]
require 'nn'
local B = dofile(arg[0]:match('^(.*)/') .. '/util.lua')

local skip_torch, budget = B.nopytorch(arg), 0.5
for _, a in ipairs(arg or {}) do if tonumber(a) then budget = tonumber(a) end end
torch.setnumthreads(2)
torch.manualSeed(1)

-- seconds per call: best of three measurements of at least `budget` seconds
local function time(fn) return B.best(fn, budget) end

local N, IN, OUT = 128, 784, 1000
local x = torch.FloatTensor(N, IN):uniform(-1, 1)
local h = torch.FloatTensor(N, OUT):uniform(-2, 2)
local go = torch.FloatTensor(N, OUT):uniform(-1, 1)
local target = torch.LongTensor(N):random(1, OUT)

local cases = {}
local function case(name, fn) cases[#cases + 1] = { name = name, fn = fn } end

local lin = nn.Linear(IN, OUT):float()
case('Linear 784->1000', function()
   lin:zeroGradParameters()
   lin:forward(x)
   lin:backward(x, go)
end)
for _, name in ipairs { 'Tanh', 'ReLU', 'LogSoftMax' } do
   local m = nn[name]():float()
   case(name .. ' 128x1000', function()
      m:forward(h)
      m:backward(h, go)
   end)
end
local logp = nn.LogSoftMax():float():forward(h):clone()
local nll = nn.ClassNLLCriterion():float()
case('ClassNLLCriterion 128x1000', function()
   nll:forward(logp, target)
   nll:backward(logp, target)
end)

-- The Linear layer's three products alone: y = x W^T, gx = gy W, gW = gy^T x.
local W, y = lin.weight:clone(), torch.FloatTensor(N, OUT)
local gx, gW = torch.FloatTensor(N, IN), torch.FloatTensor(OUT, IN)
local function products()
   y:addmm(0, y, 1, x, W:t())
   gx:addmm(0, gx, 1, go, W)
   gW:addmm(0, gW, 1, go:t(), x)
end

-- the products are timed before and after the layers (the best counts), so
-- a machine that speeds up or slows down during the run biases no column
local gemm = time(products)
for _, c in ipairs(cases) do
   c.t = time(c.fn)
   collectgarbage()
end
gemm = math.min(gemm, time(products))

-- PyTorch, same layers and shapes --------------------------------------------------

local pt = {}
local has = not skip_torch and B.has_pytorch()
if has then
   local script = [[
import time, torch
torch.set_num_threads(2)
torch.manual_seed(1)
N, IN, OUT, BUDGET = 128, 784, 1000, %f
x = torch.rand(N, IN) * 2 - 1
h = (torch.rand(N, OUT) * 4 - 2).requires_grad_(True)
go = torch.rand(N, OUT) * 2 - 1
target = torch.randint(0, OUT, (N,))
lin = torch.nn.Linear(IN, OUT)
xg = x.clone().requires_grad_(True)
def timeit(fn):
    fn()
    best = 1e9
    for _ in range(3):
        n, t0 = 0, time.time()
        while True:
            fn(); n += 1
            if time.time() - t0 >= BUDGET: break
        best = min(best, (time.time() - t0) / n)
    return best
def linear():
    lin.zero_grad(); xg.grad = None
    lin(xg).backward(go)
def act(f):
    def step():
        h.grad = None
        f(h).backward(go)
    return step
logp = torch.log_softmax(h.detach(), 1).requires_grad_(True)
def nll():
    logp.grad = None
    torch.nn.functional.nll_loss(logp, target).backward()
for name, fn in [('Linear 784->1000', linear), ('Tanh 128x1000', act(torch.tanh)), ('ReLU 128x1000', act(torch.relu)),
                 ('LogSoftMax 128x1000', act(lambda t: torch.log_softmax(t, 1))), ('ClassNLLCriterion 128x1000', nll)]:
    print('pytorch %%s: %%.4f ms' %% (name, timeit(fn) * 1e3))
]]
   local out = B.run_pytorch(string.format(script, budget))
   for _, c in ipairs(cases) do
      pt[c.name] = tonumber(out:match('pytorch ' .. c.name:gsub('%p', '%%%0') .. ': ([%d.]+) ms'))
   end
   if not next(pt) then io.write('PyTorch run failed:\n', out) end
end

-- Table ----------------------------------------------------------------------------

print(string.format('float, batch %d, %d threads; pure addmm (the Linear layer\'s 3 products): %.3f ms', N,
   torch.getnumthreads and torch.getnumthreads() or 2, gemm * 1e3))
print(string.format('%-28s %12s %12s %14s %16s', 'layer (forward+backward)', 'nnlua ms', '/ addmm', 'pytorch ms',
   'pytorch / nnlua'))
for _, c in ipairs(cases) do
   local p = pt[c.name]
   print(string.format('%-28s %12.3f %12.2f %14s %16s', c.name, c.t * 1e3, c.t / gemm,
      p and string.format('%.3f', p) or '-', p and string.format('%.2f', p * 1e-3 / c.t) or '-'))
end
if not has and not skip_torch then print('(python3-torch is not installed: no PyTorch comparison)') end
print('/ addmm: the time over the pure addmm time; pytorch / nnlua above 1: nnlua is faster')

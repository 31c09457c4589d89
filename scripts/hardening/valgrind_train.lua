-- A short training run for `make valgrind`: an MLP for a few batches on
-- random data (forward, backward, SGD step), a save/load round trip, a few
-- steps of a small convnet with every spatial kernel family (convolution,
-- transposed convolution, pooling, batch norm, LRN, padding, upsampling)
-- and of the table and embedding modules, then every tensor freed.
require 'nn'
if torch.manualSeed then torch.manualSeed(1) end
local x = torch.Tensor(32, 20)
local y = torch.LongTensor(32)
for i = 1, 32 do
   y[i] = (i % 5) + 1
   for j = 1, 20 do x[i][j] = ((i * 7 + j * 3) % 11) / 11 - 0.5 end
end
local steps = 0
if nn.Linear and nn.Tanh and nn.LogSoftMax and nn.ClassNLLCriterion then
   local model = nn.Sequential():add(nn.Linear(20, 16)):add(nn.Tanh()):add(nn.Linear(16, 5)):add(nn.LogSoftMax())
   local crit = nn.ClassNLLCriterion()
   local params, grads = model:getParameters()
   for _ = 1, 20 do
      grads:zero()
      local out = model:forward(x)
      crit:forward(out, y)
      model:backward(x, crit:backward(out, y))
      params:add(-0.1, grads)
      steps = steps + 1
   end
   if torch.save and torch.load then
      local f = os.tmpname()
      torch.save(f, model)
      local m2 = torch.load(f)
      os.remove(f)
      assert(m2:forward(x):dist(model:forward(x)) == 0)
   end
else
   -- tensor work only, until nn's layers exist
   local a = x:t():contiguous()
   for _ = 1, 20 do
      local b = a:clone():narrow(1, 2, 5):t()
      x:copy(x)
      b:fill(1)
      steps = steps + 1
   end
end

-- a small convnet through the spatial kernels, 2 threads
torch.setnumthreads(2)
local conv = nn.Sequential()
   :add(nn.SpatialReflectionPadding(1, 1, 1, 1))
   :add(nn.SpatialConvolution(2, 4, 3, 3))
   :add(nn.SpatialBatchNormalization(4)):add(nn.ReLU())
   :add(nn.SpatialCrossMapLRN(3))
   :add(nn.SpatialMaxPooling(2, 2, 2, 2):ceil())
   :add(nn.SpatialFullConvolution(4, 3, 3, 3, 2, 2, 1, 1, 1, 1))
   :add(nn.SpatialUpSamplingBilinear(2))
   :add(nn.SpatialAveragePooling(4, 4, 4, 4))
   :add(nn.View(-1):setNumInputDims(3))
   :add(nn.Linear(3 * 5 * 4, 5)):add(nn.LogSoftMax())
local ci = torch.Tensor(6, 2, 9, 8):uniform()
local cy = torch.LongTensor(6):random(1, 5)
local crit = nn.ClassNLLCriterion()
local p, g = conv:getParameters()
for _ = 1, 3 do
   g:zero()
   local out = conv:forward(ci)
   crit:forward(out, cy)
   conv:backward(ci, crit:backward(out, cy))
   p:add(-0.1, g)
   steps = steps + 1
end
-- embeddings, table modules and a margin criterion
local emb = nn.Sequential():add(nn.LookupTable(10, 4)):add(nn.SplitTable(2))
   :add(nn.MapTable(nn.Linear(4, 3))):add(nn.JoinTable(2)):add(nn.PReLU())
local idx = torch.LongTensor(5, 3):random(1, 10)
local mm = nn.MultiMarginCriterion()
local eo = emb:forward(idx)
mm:forward(eo, torch.LongTensor(5):random(1, 9))
emb:backward(idx, mm:backward(eo, torch.LongTensor(5):random(1, 9)))
steps = steps + 1
print('valgrind run: ' .. steps .. ' steps')

-- A short training run for `make valgrind`: an MLP for a few batches on
-- random data (forward, backward, SGD step), a save/load round trip when
-- torch.save exists, then every tensor freed before exit.
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
print('valgrind run: ' .. steps .. ' steps')

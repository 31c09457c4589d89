-- scripts/hardening/soak.lua: 20,000 training steps of an MLP with no
-- collectgarbage() in the loop; samples the runtime's native byte count
-- and the process RSS every 1,000 steps and prints the curve. Run by
-- tests/hardening/soak_spec.lua (which asserts a plateau) and by hand:
--   nnlua scripts/hardening/soak.lua [steps]
require 'nn'
require 'optim'
local steps = tonumber(arg and arg[1]) or 20000
torch.manualSeed(1)

local function rss_kb()
   local f = io.open('/proc/self/statm')
   if not f then return 0 end
   local _, res = f:read('*l'):match('(%d+)%s+(%d+)')
   f:close()
   return tonumber(res) * 4
end

local model = nn.Sequential():add(nn.Linear(64, 128)):add(nn.Tanh()):add(nn.Linear(128, 10)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local params, grads = model:getParameters()
local state = { learningRate = 0.05, momentum = 0.9 }
local x = torch.randn(32, 64)
local y = torch.LongTensor(32):random(1, 10)
for step = 1, steps do
   -- fresh tensors each step, as careless scripts make them
   local input = x + torch.randn(32, 64):mul(0.01)
   optim.sgd(function()
      grads:zero()
      local out = model:forward(input)
      local f = crit:forward(out, y)
      model:backward(input, crit:backward(out, y))
      return f, grads
   end, params, state)
   if step % 1000 == 0 then
      local live, peak = torch.memoryUsage()
      print(string.format('step %6d  native %8.1f KB  peak %8.1f KB  rss %8d KB', step, live / 1024, peak / 1024, rss_kb()))
      io.stdout:flush()
   end
end

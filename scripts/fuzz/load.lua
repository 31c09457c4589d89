-- scripts/fuzz/load.lua: a mutation fuzzer for torch.load's reader, run by
-- `make fuzz`. Seeds are Torch7's fixture files and freshly serialised
-- objects (binary and ascii); each round flips bytes, truncates, splices
-- or repeats a slice, and loads the result. A Lua error is the expected
-- outcome for a bad file; a crash kills this process, which make fuzz
-- reports (with the input saved in build/fuzz-out/). Usage:
--   nnlua scripts/fuzz/load.lua SECONDS SEED
require 'nn'
local seconds, seed = tonumber(arg[1]) or 30, tonumber(arg[2]) or os.time()
math.randomseed(seed)

local seeds = {}
local fixtures = os.getenv('NNLUA_FIXTURES') or ((arg[0]:match('^(.*)/scripts/') or '.') .. '/../shared/fixtures')
local p = io.popen('ls ' .. fixtures .. '/t7/*.t7 2>/dev/null')
for f in p:lines() do
   local h = io.open(f, 'rb')
   seeds[#seeds + 1] = { h:read('*a'), f:match('ascii') and 'ascii' or 'binary' }
   h:close()
end
p:close()
local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
for _, fmt in ipairs { 'binary', 'ascii' } do
   seeds[#seeds + 1] = { torch.serialize({ m, torch.randn(3, 4):t(), 'x', true, { 1, 2 } }, fmt), fmt }
end

local function mutate(s)
   local n = #s
   local kind = math.random(4)
   if kind == 1 then
      for _ = 1, math.random(1, 8) do
         local i = math.random(n)
         s = s:sub(1, i - 1) .. string.char(math.random(0, 255)) .. s:sub(i + 1)
      end
      return s
   elseif kind == 2 then
      return s:sub(1, math.random(n) - 1)
   elseif kind == 3 then
      -- a plausible large or negative count
      local pos = math.random(math.max(n - 4, 1))
      local v = string.char(({ 0xff, 0x7f, 0x80, 0x00 })[math.random(4)])
      return s:sub(1, pos - 1) .. v:rep(4) .. s:sub(pos + 4)
   end
   local a = math.random(n)
   local len = math.random(0, math.min(64, n - a))
   return s:sub(1, a + len - 1) .. s:sub(a, a + len - 1) .. s:sub(a + len)
end

local t0, rounds, errors = os.clock(), 0, 0
local out = os.getenv('FUZZ_OUT') or 'build/fuzz-out'
os.execute('mkdir -p ' .. out)
while os.clock() - t0 < seconds do
   local s = seeds[math.random(#seeds)]
   local data = mutate(s[1])
   -- keep the input that is being tried, so a crash leaves it behind
   local f = io.open(out .. '/current.t7', 'wb')
   f:write(data)
   f:close()
   local ok = pcall(torch.deserialize, data, s[2])
   if not ok then errors = errors + 1 end
   rounds = rounds + 1
end
os.remove(out .. '/current.t7')
print(string.format('fuzz: %d inputs, %d rejected with an error, 0 crashes (seed %d)', rounds, errors, seed))

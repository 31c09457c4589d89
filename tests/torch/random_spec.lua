-- Random numbers: Torch7's streams (the recorded fixture and a plain-Lua
-- MT19937 reference), distribution moments on large samples, ranges,
-- reproducibility, state save/restore, element order on non-contiguous
-- tensors, float tensors, and the messages of bad arguments.
local torch = require 'torch'
local bit = require 'bit'
local spec = require 'tests.spec_util'

-- Runs build/nnlua with args from directory dir: output (stdout and
-- stderr) and exit status.
local function run_in(dir, args)
   local root = NNLUA_ROOT:sub(1, 1) == '/' and NNLUA_ROOT or os.getenv('PWD') .. '/' .. NNLUA_ROOT
   local nnlua = root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
   local p = io.popen('cd ' .. dir .. ' && ' .. nnlua .. ' ' .. args .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return (out:gsub('rc=%d+%s*$', '')), rc
end

-- Plain-Lua MT19937 with Torch7's seeding: the reference stream.
local function mt_reference(seed)
   local N, M = 624, 397
   local mt, idx = {}, N + 1
   local function u32(x) return x % 4294967296 end
   local function mul32(a, b)   -- (a * b) mod 2^32 without losing bits
      local ah, al = math.floor(a / 65536), a % 65536
      return u32((ah * b % 65536) * 65536 + al * b)
   end
   mt[0] = u32(seed)
   for i = 1, N - 1 do
      local p = mt[i - 1]
      mt[i] = u32(mul32(1812433253, u32(bit.bxor(p, bit.rshift(p, 30)))) + i)
   end
   local function twist()
      for i = 0, N - 1 do
         local y = u32(bit.bor(bit.band(mt[i], 0x80000000), bit.band(mt[(i + 1) % N], 0x7fffffff)))
         local v = bit.rshift(y, 1)
         if y % 2 == 1 then v = bit.bxor(v, 0x9908b0df) end
         mt[i] = u32(bit.bxor(mt[(i + M) % N], v))
      end
      idx = 0
   end
   local function next32()
      if idx >= N then twist() end
      local y = mt[idx]
      idx = idx + 1
      y = bit.bxor(y, bit.rshift(y, 11))
      y = bit.bxor(y, bit.band(bit.lshift(y, 7), 0x9d2c5680))
      y = bit.bxor(y, bit.band(bit.lshift(y, 15), 0xefc60000))
      y = bit.bxor(y, bit.rshift(y, 18))
      return u32(y)
   end
   local r = { next32 = next32 }
   function r.unit() return next32() / 4294967296 end
   local cached
   function r.normal(mean, std)
      if not cached then
         local x, y = r.unit(), r.unit()
         local rho = math.sqrt(-2 * math.log(1 - y))
         cached = { x, rho }
         return rho * math.cos(2 * math.pi * x) * std + mean
      end
      local x, rho = cached[1], cached[2]
      cached = nil
      return rho * math.sin(2 * math.pi * x) * std + mean
   end
   return r
end

local function values(t)
   local c = t:contiguous()
   local s, o, out = c:storage(), c:storageOffset(), {}
   for i = 1, c:nElement() do out[i] = s[o + i - 1] end
   return out
end

local function moments(t)
   local v = values(t)
   local n, sum, sq = #v, 0, 0
   for i = 1, n do sum = sum + v[i] end
   local mean = sum / n
   for i = 1, n do sq = sq + (v[i] - mean) ^ 2 end
   return mean, math.sqrt(sq / (n - 1)), v
end

describe('Torch7 fixture', function()
   it('rng.lua prints exactly rng.expected', function()
      local dir = NNLUA_FIXTURES .. '/torch7'
      local out, rc = run_in(dir, 'rng.lua')
      local f = assert(io.open(dir .. '/rng.expected'))
      local expected = f:read('*a')
      f:close()
      assert.are.equal(0, rc)
      assert.are.equal(expected, out)
   end)
end)

describe('generator streams', function()
   it('rand follows MT19937 with Torch7 seeding, one 32-bit draw per double', function()
      for _, seed in ipairs { 1, 123456, 4294967297, 0 } do
         torch.manualSeed(seed)
         local ref = mt_reference(seed % 4294967296)
         local got = values(torch.rand(1500))   -- past a twist of the state (624 words)
         for i = 1, #got do
            local want = ref.unit()
            if got[i] ~= want then
               error(string.format('seed %d: value %d is %.17g, reference %.17g', seed, i, got[i], want))
            end
         end
      end
   end)

   it('randn and normal use Box-Muller with the cached second value', function()
      torch.manualSeed(7)
      local ref = mt_reference(7)
      local a = values(torch.randn(5))            -- odd count: the pair stays half used
      local b = torch.normal(2, 3)
      local c = values(torch.Tensor(4):normal(-1, 0.5))
      for i = 1, 5 do assert.are.equal(ref.normal(0, 1), a[i]) end
      assert.are.equal(ref.normal(2, 3), b)
      for i = 1, 4 do assert.are.equal(ref.normal(-1, 0.5), c[i]) end
   end)

   it('uniform, exponential, cauchy, bernoulli, geometric, random map one draw each', function()
      torch.manualSeed(99)
      local ref = mt_reference(99)
      assert.are.equal(ref.unit() * 5 - 2, torch.uniform(-2, 3))
      assert.are.equal(-1 / 2 * math.log(1 - ref.unit()), torch.exponential(2))
      assert.are.equal(1 + 2 * math.tan(math.pi * (ref.unit() - 0.5)), torch.cauchy(1, 2))
      assert.are.equal(ref.unit() <= 0.3 and 1 or 0, torch.bernoulli(0.3))
      assert.are.equal(math.floor(math.log(1 - ref.unit()) / math.log(0.25)) + 1, torch.geometric(0.25))
      assert.are.equal(ref.next32(), torch.random())
      assert.are.equal(ref.next32() % 10 + 1, torch.random(10))
      assert.are.equal(ref.next32() % 11 - 5, torch.random(-5, 5))
      local t = values(torch.Tensor(3):random(3, 7))
      for i = 1, 3 do assert.are.equal(ref.next32() % 5 + 3, t[i]) end
   end)

   it('randperm swaps as Torch7 and gives a permutation of 1..n', function()
      torch.manualSeed(5)
      local ref = mt_reference(5)
      local n = 50
      local want = {}
      for i = 1, n do want[i] = i end
      for i = 1, n - 1 do
         local z = ref.next32() % (n - i + 1)
         want[i], want[i + z] = want[i + z], want[i]
      end
      local p = torch.randperm(n)
      assert.are.equal('torch.DoubleTensor', torch.type(p))
      assert.are.same(want, values(p))
      local seen = {}
      for _, v in ipairs(values(torch.randperm(1000))) do
         assert.is_nil(seen[v])
         seen[v] = true
         assert.is_true(v >= 1 and v <= 1000)
      end
      assert.are.equal('torch.LongTensor', torch.type(torch.randperm(3, 'torch.LongTensor')))
      local res = torch.IntTensor()
      assert.are.equal(res, torch.randperm(res, 4))
      assert.are.same({ 4 }, res:size():totable())
   end)
end)

describe('distributions on large samples', function()
   local n = 100000
   before_each(function() torch.manualSeed(2024) end)

   it('uniform(a, b): mean, spread and range', function()
      local m, s, v = moments(torch.Tensor(n):uniform(-3, 5))
      assert.is_true(math.abs(m - 1) < 0.05, 'mean ' .. m)
      assert.is_true(math.abs(s - 8 / math.sqrt(12)) < 0.03, 'std ' .. s)
      for i = 1, n do assert.is_true(v[i] >= -3 and v[i] < 5) end
      local m0 = moments(torch.rand(n))
      assert.is_true(math.abs(m0 - 0.5) < 0.01)
   end)

   it('normal(mean, std) and randn', function()
      local m, s = moments(torch.Tensor(n):normal(3, 2))
      assert.is_true(math.abs(m - 3) < 0.03, 'mean ' .. m)
      assert.is_true(math.abs(s - 2) < 0.03, 'std ' .. s)
      local m1, s1 = moments(torch.randn(n))
      assert.is_true(math.abs(m1) < 0.015 and math.abs(s1 - 1) < 0.015)
   end)

   it('exponential(lambda): mean 1/lambda, positive', function()
      local m, s, v = moments(torch.Tensor(n):exponential(4))
      assert.is_true(math.abs(m - 0.25) < 0.005, 'mean ' .. m)
      assert.is_true(math.abs(s - 0.25) < 0.01, 'std ' .. s)
      for i = 1, n do assert.is_true(v[i] >= 0) end
      assert.is_true(math.abs(moments(torch.Tensor(n):exponential()) - 1) < 0.02)
   end)

   it('bernoulli(p): mean p, values 0 or 1, any tensor type', function()
      local m, _, v = moments(torch.ByteTensor(n):bernoulli(0.3))
      assert.is_true(math.abs(m - 0.3) < 0.01, 'mean ' .. m)
      for i = 1, n do assert.is_true(v[i] == 0 or v[i] == 1) end
      assert.is_true(math.abs(moments(torch.Tensor(n):bernoulli()) - 0.5) < 0.01)
      local ones = values(torch.LongTensor(10):bernoulli(1))
      local zeros = values(torch.IntTensor(10):bernoulli(0))
      for i = 1, 10 do assert.are.equal(1, ones[i]) assert.are.equal(0, zeros[i]) end
   end)

   it('bernoulli with a tensor of probabilities draws per element', function()
      local p = torch.Tensor(2, n / 2)
      p[1]:fill(0.1)
      p[2]:fill(0.9)
      local r = torch.Tensor(2, n / 2):bernoulli(p:float())
      assert.is_true(math.abs(moments(r[1]) - 0.1) < 0.01)
      assert.is_true(math.abs(moments(r[2]) - 0.9) < 0.01)
      torch.manualSeed(3)
      local ref = mt_reference(3)
      local q = torch.Tensor { { 0.2, 0.7 }, { 0.5, 0.9 } }:t()   -- non-contiguous probabilities
      local got = values(torch.Tensor(2, 2):bernoulli(q))
      local qv = { 0.2, 0.5, 0.7, 0.9 }
      for i = 1, 4 do assert.are.equal(ref.unit() <= qv[i] and 1 or 0, got[i]) end
   end)

   -- Torch7 draws floor(log(1-u) / log(p)) + 1: P(k) = p^(k-1) (1-p), so
   -- the mean is 1/(1-p) (p is the probability of going on)
   it('geometric(p): Torch7 semantics, mean 1/(1-p), integers >= 1', function()
      local m, _, v = moments(torch.Tensor(n):geometric(0.8))
      assert.is_true(math.abs(m - 5) < 0.1, 'mean ' .. m)
      for i = 1, n do assert.is_true(v[i] >= 1 and v[i] % 1 == 0) end
   end)

   it('cauchy(median, sigma): median and quartiles', function()
      local _, _, v = moments(torch.Tensor(n):cauchy(2, 3))
      table.sort(v)
      assert.is_true(math.abs(v[n / 2] - 2) < 0.1, 'median ' .. v[n / 2])
      assert.is_true(math.abs(v[n / 4] - (2 - 3)) < 0.15, 'first quartile ' .. v[n / 4])
      assert.is_true(math.abs(v[3 * n / 4] - (2 + 3)) < 0.15, 'third quartile ' .. v[3 * n / 4])
   end)

   it('logNormal(mean, std): the mean and std of log(result), as Torch7', function()
      local x = torch.Tensor(n):logNormal(2, 0.5)
      for i = 1, n do assert.is_true(x[i] > 0) end
      local m, s = moments(x:log())
      assert.is_true(math.abs(m - 2) < 0.02, 'mean ' .. m)
      assert.is_true(math.abs(s - 0.5) < 0.02, 'std ' .. s)
   end)

   it('random: ranges per form and per type', function()
      local _, _, v = moments(torch.Tensor(n):random(1, 100))
      local lo, hi = math.huge, -math.huge
      for i = 1, n do lo, hi = math.min(lo, v[i]), math.max(hi, v[i]) end
      assert.are.same({ 1, 100 }, { lo, hi })
      _, _, v = moments(torch.IntTensor(1000):random(-3, 3))
      lo, hi = math.huge, -math.huge
      for i = 1, 1000 do lo, hi = math.min(lo, v[i]), math.max(hi, v[i]) end
      assert.are.same({ -3, 3 }, { lo, hi })
      _, _, v = moments(torch.ByteTensor(5000):random())
      hi = 0
      for i = 1, 5000 do assert.is_true(v[i] >= 0 and v[i] <= 255) hi = math.max(hi, v[i]) end
      assert.are.equal(255, hi)
      _, _, v = moments(torch.CharTensor(1000):random())
      for i = 1, 1000 do assert.is_true(v[i] >= 0 and v[i] <= 127) end
      _, _, v = moments(torch.LongTensor(1000):random(6))
      for i = 1, 1000 do assert.is_true(v[i] >= 1 and v[i] <= 6) end
      for _ = 1, 100 do
         local x = torch.random()
         assert.is_true(x >= 0 and x < 2 ^ 32 and x % 1 == 0)
      end
   end)
end)

describe('seeds and state', function()
   it('manualSeed replays the streams; initialSeed reports the seed', function()
      torch.manualSeed(42)
      assert.are.equal(42, torch.initialSeed())
      local a, an = values(torch.rand(10)), torch.normal()
      torch.manualSeed(42)
      assert.are.same(a, values(torch.rand(10)))
      assert.are.equal(an, torch.normal())
      torch.manualSeed(43)
      assert.are_not.same(a, values(torch.rand(10)))
   end)

   it('seed() reseeds randomly and can be replayed with manualSeed', function()
      local s1 = torch.seed()
      local a = values(torch.rand(5))
      local s2 = torch.seed()
      assert.are_not.equal(s1, s2)
      assert.are.equal(s2, torch.initialSeed())
      torch.manualSeed(s1)
      assert.are.same(a, values(torch.rand(5)))
   end)

   it('getRNGState/setRNGState restore the stream, with the cached normal', function()
      torch.manualSeed(11)
      torch.normal()                 -- leaves the second value of a pair cached
      local st = torch.getRNGState()
      assert.are.equal('torch.ByteTensor', torch.type(st))
      assert.are.same({ 5048 }, st:size():totable())  -- Torch7's THGenerator bytes
      local a, b = torch.normal(), values(torch.rand(700))
      torch.rand(3)
      assert.are.equal(st, torch.setRNGState(st))
      assert.are.equal(a, torch.normal())
      assert.are.same(b, values(torch.rand(700)))
      local res = torch.ByteTensor()
      assert.are.equal(res, torch.getRNGState(res))
      assert.are.same({ 5048 }, res:size():totable())
   end)

   it('manualSeed resets the cached normal value', function()
      torch.manualSeed(8)
      local x = torch.normal()
      torch.manualSeed(8)
      assert.are.equal(x, torch.normal())
   end)
end)

describe('tensor fills', function()
   it('fill non-contiguous tensors in their element order', function()
      torch.manualSeed(17)
      local c = torch.rand(4, 3)
      torch.manualSeed(17)
      local base = torch.Tensor(3, 4):zero()
      local t = base:t()                      -- 4x3 view, strides 1, 4
      t:uniform()
      assert.is_true(spec.close(c, t, 0))
      torch.manualSeed(17)
      local big = torch.Tensor(4, 6):zero()
      big:narrow(2, 2, 3):uniform()           -- a narrowed view: others untouched
      assert.is_true(spec.close(c:narrow(2, 1, 3), big:narrow(2, 2, 3), 0))
      assert.are.same({ 0, 0, 0, 0 }, values(big:select(2, 1)))
   end)

   it('float tensors round the double draw, with float parameters', function()
      torch.manualSeed(21)
      local d = torch.DoubleTensor(6):uniform(-0.1, 0.1)
      torch.manualSeed(21)
      local f = torch.FloatTensor(6):uniform(-0.1, 0.1)
      local fa, fb = torch.FloatTensor { -0.1 }[1], torch.FloatTensor { 0.1 }[1]
      torch.manualSeed(21)
      local ref = mt_reference(21)
      local fv = values(f)
      for i = 1, 6 do
         local want = torch.FloatTensor { ref.unit() * (fb - fa) + fa }[1]
         assert.are.equal(want, fv[i])
      end
      assert.is_true(spec.close(d, f:double(), 1e-7))
      assert.are.equal('torch.FloatTensor', torch.type(torch.FloatTensor(3):normal()))
   end)

   it('torch.rand/randn take sizes, a LongStorage, a result or a type name', function()
      assert.are.same({ 2, 3 }, torch.rand(2, 3):size():totable())
      assert.are.same({ 4, 1 }, torch.randn(torch.LongStorage { 4, 1 }):size():totable())
      assert.are.same({ 2 }, torch.rand({ 2 }):size():totable())
      local r = torch.FloatTensor()
      assert.are.equal(r, torch.rand(r, 5))
      assert.are.same({ 5 }, r:size():totable())
      assert.are.equal('torch.FloatTensor', torch.type(torch.randn(3, 'torch.FloatTensor')))
      local t = torch.Tensor()
      assert.are.equal(t, t:rand(2, 2))
      assert.are.same({ 2, 2 }, t:size():totable())
      local u = torch.Tensor(3)
      assert.are.equal(u, torch.uniform(u, 1, 2))
      for _, x in ipairs(values(u)) do assert.is_true(x >= 1 and x < 2) end
   end)

   it('methods return the tensor; empty tensors draw nothing', function()
      local t = torch.Tensor(3)
      for _, m in ipairs { 'uniform', 'normal', 'exponential', 'cauchy', 'logNormal', 'bernoulli', 'random' } do
         assert.are.equal(t, t[m](t))
      end
      assert.are.equal(t, t:geometric(0.5))
      torch.manualSeed(1)
      torch.Tensor():uniform()
      local a = torch.uniform()
      torch.manualSeed(1)
      assert.are.equal(a, torch.uniform())
   end)
end)

describe('bad arguments', function()
   it('name the function and the argument', function()
      local t = torch.Tensor(3)
      assert.has_error(function() t:uniform('a') end, 'uniform: the lower bound should be a number, got string')
      assert.has_error(function() t:normal(0, {}) end, 'normal: the standard deviation should be a number, got table')
      assert.has_error(function() torch.randperm(-1) end, 'randperm: n must be strictly positive, got -1')
      assert.has_error(function() torch.randperm(0) end, 'randperm: n must be strictly positive, got 0')
      assert.has_error(function() torch.randperm('x') end, 'torch.randperm: n should be a number, got string')
      assert.has_error(function() t:bernoulli(1.5) end, 'bernoulli: probability must be >= 0 and <= 1, got 1.5')
      assert.has_error(function() torch.bernoulli(-0.1) end, 'bernoulli: probability must be >= 0 and <= 1, got -0.1')
      assert.has_error(function() t:bernoulli(torch.Tensor { 0.5, 2, 0.1 }) end,
         'bernoulli: probability must be >= 0 and <= 1, got 2')
      assert.has_error(function() t:bernoulli(torch.Tensor(4):fill(0.5)) end,
         'bernoulli: sizes do not match: 3 (3 elements) and 4 (4 elements)')
      assert.has_error(function() t:bernoulli(torch.LongTensor { 1, 0, 1 }) end,
         'bernoulli: probabilities should be a torch.FloatTensor or torch.DoubleTensor, got torch.LongTensor')
      assert.has_error(function() t:normal(0, 0) end, 'normal: standard deviation must be strictly positive, got 0')
      assert.has_error(function() torch.logNormal(1, -2) end, 'logNormal: standard deviation must be strictly positive, got -2')
      assert.has_error(function() t:geometric(1) end, 'geometric: probability must be > 0 and < 1, got 1')
      assert.has_error(function() t:geometric() end, 'geometric: the probability p should be a number, got nil')
      assert.has_error(function() t:exponential(0) end, 'exponential: rate must be strictly positive, got 0')
      assert.has_error(function() t:random(5, 1) end, 'random: upper bound must be larger than lower bound, got [5, 1]')
      assert.has_error(function() torch.random(0) end, 'random: upper bound must be strictly positive, got 0')
      assert.has_error(function() torch.random(1e19) end, 'random: upper bound 1e+19 is beyond the 64-bit integers')
      assert.has_error(function() torch.Tensor(2):random(-1 / 0, 3) end,
         'random: bounds [-inf, 3] are beyond the 64-bit integers')
      assert.matches('random: upper bound must be strictly positive, got %-?nan', select(2, pcall(torch.random, 0 / 0)))
      assert.has_error(function() torch.random('a') end, 'torch.random: the upper bound should be a number, got string')
      assert.has_error(function() torch.LongTensor(2):uniform() end,
         'uniform: expected a torch.FloatTensor or torch.DoubleTensor, got torch.LongTensor')
      assert.has_error(function() torch.manualSeed('x') end, 'torch.manualSeed: the seed should be a number, got string')
      assert.has_error(function() torch.manualSeed(1.5) end, 'torch.manualSeed: the seed should be an integer, got 1.5')
      assert.has_error(function() torch.setRNGState(torch.ByteTensor(10)) end,
         'setRNGState: the state has 10 bytes (size 10), expected 5048')
      assert.has_error(function() torch.setRNGState(torch.ByteTensor(5048):zero()) end,
         'setRNGState: invalid RNG state (not made by getRNGState)')
      assert.has_error(function() torch.setRNGState(torch.Tensor(5048)) end,
         'setRNGState: expected a torch.ByteTensor, got torch.DoubleTensor')
      assert.has_error(function() torch.setRNGState(nil) end,
         'torch.setRNGState: expected a torch.ByteTensor made by torch.getRNGState, got nil')
      assert.has_error(function() torch.getRNGState(torch.Tensor()) end,
         'torch.getRNGState: expected a torch.ByteTensor to fill or nothing, got torch.DoubleTensor')
      assert.has_error(function() torch.rand() end, 'torch.rand: expected sizes (numbers, a table or a LongStorage)')
      assert.has_error(function() torch.rand(2, 'torch.NoTensor') end, 'torch.rand: unknown tensor type torch.NoTensor')
      assert.has_error(function() torch.ByteTensor():rand(2) end,
         'torch.rand: expected a torch.FloatTensor or torch.DoubleTensor, got torch.ByteTensor')
      assert.has_error(function() torch.randn(-1) end, 'torch.randn: resize: negative size -1 in dimension 1')
      assert.matches(':%d+: torch.randperm: .*cannot allocate', select(2, pcall(torch.randperm, 1e15)))
   end)
end)

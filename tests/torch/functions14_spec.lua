-- Torch7 functions of issue 14 (lua/torch/TensorExtra.lua): the recorded
-- functions.lua fixture line by line, and hand-computed values, Torch7's
-- draws, non-contiguous inputs and the messages of bad arguments for
-- multinomial, the alias method, bit operations, cfmod/cremainder, bhistc,
-- Storage:string, the view/expand function forms, numel, setheaptracking,
-- isSetTo, real, math on Lua numbers, torch.Generator and
-- conv2/xcorr2/conv3/xcorr3.
local torch = require 'torch'

local fixdir = NNLUA_FIXTURES .. '/torch7'

local function read(path)
   local f = assert(io.open(path))
   local s = f:read('*a')
   f:close()
   return s
end

local function lines(s)
   local t = {}
   for l in s:gmatch('([^\n]*)\n') do t[#t + 1] = l end
   return t
end

local function vals(t) return t:contiguous():view(-1):totable() end

-- Runs functions.lua one statement (one line) at a time in an environment
-- of its own, its locals made globals of that environment, so that a call
-- not implemented yet fails only its own line. Returns label -> printed line.
local function run_fixture()
   local src = lines(read(fixdir .. '/functions.lua'))
   local printed = {}
   local env = setmetatable({}, { __index = _G })
   env.print = function(...)
      local parts = {}
      for i = 1, select('#', ...) do parts[i] = tostring((select(i, ...))) end
      local l = table.concat(parts, '\t')
      printed[l:match('^([^\t]*)')] = l
   end
   local default = torch.getdefaulttensortype()
   for i, l in ipairs(src) do
      l = l:gsub('^local function (%w+)', 'function %1'):gsub('^local ', '')
      if l:find('^function show') then
         -- the show function spans lines up to its `end`
         local j = i
         local body = {}
         repeat body[#body + 1] = src[j]:gsub('^local function', 'function'); j = j + 1 until src[j - 1] == 'end'
         l = table.concat(body, '\n')
      elseif not l:find('^%s') and l ~= 'end' then
         local chunk = assert(loadstring(l, '=functions.lua:' .. i))
         setfenv(chunk, env)
         pcall(chunk)
      end
      if l:find('^function show') then
         local chunk = assert(loadstring(l, '=functions.lua:' .. i))
         setfenv(chunk, env)
         chunk()
      end
   end
   torch.setdefaulttensortype(default)
   return printed
end

describe('functions.lua fixture', function()
   it('build/nnlua prints exactly functions.expected', function()
      local root = NNLUA_ROOT:sub(1, 1) == '/' and NNLUA_ROOT or os.getenv('PWD') .. '/' .. NNLUA_ROOT
      local nnlua = root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
      local p = io.popen('cd ' .. fixdir .. ' && ' .. nnlua .. ' functions.lua 2>&1; echo "rc=$?"')
      local out = p:read('*a')
      p:close()
      assert.are.equal('rc=0', (out:match('rc=%d+')))
      assert.are.equal(read(fixdir .. '/functions.expected'), (out:gsub('rc=%d+%s*$', '')))
   end)
   local expected = lines(read(fixdir .. '/functions.expected'))
   local printed = run_fixture()
   -- lines of this part of issue 14 and those already implemented before it
   local owned = {
      'multinomial with replacement', 'multinomial without replacement', 'multinomial matrix',
      'conv2 V', 'conv2 F', 'xcorr2 V', 'xcorr2 F', 'conv3 V', 'xcorr3 V', 'conv2 batched',
      'generator uniform', 'generator randn', 'generator replay equal', 'default stream unaffected',
      'bitand', 'bitor', 'bitxor', 'cbitand', 'cbitor', 'cbitxor', 'lshift', 'rshift', 'clshift', 'crshift',
      'fmod', 'remainder', 'cfmod', 'cremainder', 'lerp', 'histc', 'bhistc', 'numel',
      'storage from string', 'storage to string', 'view function form', 'expand function form',
      'repeatTensor function form', 'split 1', 'split 2', 'split 3', 'chunk 1', 'chunk 2', 'chunk 3',
      'isTensor', 'isTypeOf', 'isSameSizeAs', 'cmul same nElement, other shape', 'max 1-D',
      'median', 'kthvalue value', 'mode value', 'linspace one point', 'logspace', 'range fractional',
      'half round trip', 'half from float 1/3',
   }
   for _, label in ipairs(owned) do
      it('prints the recorded line: ' .. label, function()
         local want
         for _, l in ipairs(expected) do
            if l:match('^([^\t]*)') == label then want = l end
         end
         assert.is_not_nil(want)
         assert.are.equal(want, printed[label])
      end)
   end
   it('prints every other line it gets to as recorded', function()
      for _, l in ipairs(expected) do
         local label = l:match('^([^\t]*)')
         if printed[label] then assert.are.equal(l, printed[label]) end
      end
   end)
end)

describe('torch.multinomial', function()
   before_each(function() torch.setdefaulttensortype('torch.DoubleTensor') end)

   it('draws Torch7\'s samples: inverse CDF by binary search on uniform draws', function()
      -- u = 0.222 0.055 0.871 0.831 0.207 after manualSeed(5); cumulative 0.1 0.3 0.6 1
      torch.manualSeed(5)
      local s = torch.multinomial(torch.Tensor{0.1, 0.2, 0.3, 0.4}, 5, true)
      assert.are.equal('torch.LongTensor', torch.typename(s))
      assert.are.same({ 2, 1, 4, 4, 2 }, s:totable())
   end)

   it('normalises unnormalised weights and takes float tensors', function()
      torch.manualSeed(5)
      local a = torch.multinomial(torch.FloatTensor{1, 2, 3, 4}, 5, true)
      assert.are.same({ 2, 1, 4, 4, 2 }, a:totable())
   end)

   it('without replacement draws each category once', function()
      torch.manualSeed(3)
      local s = torch.multinomial(torch.Tensor{0.2, 0.3, 0.5, 0.1, 0.9}, 5)
      local seen = {}
      for _, v in ipairs(s:totable()) do seen[v] = (seen[v] or 0) + 1 end
      for k = 1, 5 do assert.are.equal(1, seen[k]) end
      -- recorded from Torch7
      assert.are.same({ 5, 1, 3, 4, 2 }, s:totable())
   end)

   it('samples each row of a matrix, and a non-contiguous one', function()
      torch.manualSeed(3)
      local p = torch.Tensor{{0.2, 0.3, 0.5, 0.1, 0.9}, {1, 1, 1, 1, 1}}
      local a = torch.multinomial(p, 5)
      torch.manualSeed(3)
      local b = torch.multinomial(p:t():contiguous():t(), 5)
      assert.are.same({ 2, 5 }, a:size():totable())
      assert.are.same(vals(a), vals(b))
      assert.are.same({ 5, 1, 3, 4, 2 }, a[1]:totable())
   end)

   it('never draws a zero-probability category', function()
      torch.manualSeed(1)
      local s = torch.multinomial(torch.Tensor{0, 1, 0, 3}, 1000, true)
      for _, v in ipairs(s:totable()) do assert.is_true(v == 2 or v == 4) end
   end)

   it('matches the probabilities on a large sample', function()
      torch.manualSeed(2)
      local s = torch.multinomial(torch.Tensor{0.1, 0.2, 0.3, 0.4}, 20000, true)
      local h = torch.histc(s:double(), 4, 1, 4):div(20000)
      for k, p in ipairs { 0.1, 0.2, 0.3, 0.4 } do assert.is_true(math.abs(h[k] - p) < 0.015) end
   end)

   it('fills a given result tensor', function()
      local res = torch.LongTensor()
      torch.manualSeed(5)
      local r = torch.multinomial(res, torch.Tensor{0.1, 0.2, 0.3, 0.4}, 3, true)
      assert.are.equal(res, r)
      assert.are.same({ 2, 1, 4 }, res:totable())
   end)

   it('raises on bad arguments, naming the function', function()
      local p = torch.Tensor{0.5, 0.5}
      assert.has_error(function() torch.multinomial(p, 3) end,
         'torch.multinomial: cannot draw 3 samples from 2 categories without replacement')
      assert.has_error(function() torch.multinomial(torch.Tensor{0, 0}, 1) end,
         'torch.multinomial: invalid distribution (sum of probabilities <= 0)')
      assert.has_error(function() torch.multinomial(p, 0) end,
         'torch.multinomial: the number of samples should be a positive integer, got 0')
      assert.has_error(function() torch.multinomial(torch.IntTensor{1, 2}, 1) end,
         'torch.multinomial: probabilities should be a torch.FloatTensor or torch.DoubleTensor, got torch.IntTensor')
      assert.has_error(function() torch.multinomial(torch.Tensor{-1, 2}, 1) end,
         'torch.multinomial: probabilities should be non-negative, got -1')
   end)
end)

describe('torch.multinomialAliasSetup / multinomialAlias', function()
   before_each(function() torch.setdefaulttensortype('torch.DoubleTensor') end)

   it('sets up Torch7\'s tables J and q', function()
      -- recorded from Torch7
      local st = torch.multinomialAliasSetup(torch.Tensor{0.1, 0.2, 0.3, 0.4})
      assert.are.same({ 4, 4, 1, 3 }, st[1]:totable())
      assert.is_true(require('tests.spec_util').close(st[2], torch.Tensor{0.4, 0.8, 1, 0.8}, 1e-12))
      local st2 = torch.multinomialAliasSetup(torch.Tensor{0.5, 0.05, 0.05, 0.15, 0.25})
      assert.are.same({ 1, 1, 5, 5, 1 }, st2[1]:totable())
      assert.is_true(require('tests.spec_util').close(st2[2], torch.Tensor{1, 1, 0.25, 0.75, 1}, 1e-12))
   end)

   it('reuses the tensors of a given state and takes a non-contiguous vector', function()
      local J, q = torch.LongTensor(), torch.Tensor()
      local p = torch.Tensor{{0.1, 0}, {0.2, 0}, {0.3, 0}, {0.4, 0}}:select(2, 1)
      local st = torch.multinomialAliasSetup(p, { J, q })
      assert.are.equal(J, st[1])
      assert.are.equal(q, st[2])
      assert.are.same({ 4, 4, 1, 3 }, J:totable())
   end)

   it('draws: a uniform category, kept with probability q, else its alias', function()
      -- manualSeed(1): (r, u) = (1.67, 0.997) (2.88, 0.933) (0.00, 0.128) (1.21, 0.999)
      local st = torch.multinomialAliasSetup(torch.Tensor{0.1, 0.2, 0.3, 0.4})
      torch.manualSeed(1)
      local out = torch.multinomialAlias(torch.LongTensor(4), st)
      assert.are.same({ 4, 3, 1, 4 }, out:totable())
   end)

   it('matches the probabilities on a large sample', function()
      torch.manualSeed(4)
      local st = torch.multinomialAliasSetup(torch.Tensor{0.1, 0.2, 0.3, 0.4})
      local out = torch.multinomialAlias(torch.LongTensor(40000), st)
      local h = torch.histc(out:double(), 4, 1, 4):div(40000)
      for k, p in ipairs { 0.1, 0.2, 0.3, 0.4 } do assert.is_true(math.abs(h[k] - p) < 0.012) end
   end)

   it('fills a non-contiguous output', function()
      local st = torch.multinomialAliasSetup(torch.Tensor{0.1, 0.2, 0.3, 0.4})
      local big = torch.LongTensor(4, 2):zero()
      torch.manualSeed(1)
      torch.multinomialAlias(big:select(2, 1), st)
      assert.are.same({ 4, 3, 1, 4 }, big:select(2, 1):totable())
      assert.are.same({ 0, 0, 0, 0 }, big:select(2, 2):totable())
   end)

   it('raises on bad arguments', function()
      assert.has_error(function() torch.multinomialAliasSetup(torch.Tensor(2, 2)) end,
         'torch.multinomialAliasSetup: expected a vector of probabilities, got torch.DoubleTensor')
      assert.has_error(function() torch.multinomialAlias(torch.Tensor(3), {}) end,
         'torch.multinomialAlias: expected a torch.LongTensor to fill, got torch.DoubleTensor')
      assert.has_error(function() torch.multinomialAlias(torch.LongTensor(3), {}) end,
         'torch.multinomialAlias: expected the state {J, q} made by torch.multinomialAliasSetup')
   end)
end)

describe('bit operations', function()
   it('on every integer type, with Torch7\'s unsigned shifts', function()
      assert.are.same({ 2147483644, 3 }, torch.IntTensor{-8, 7}:rshift(1):totable())
      assert.are.same({ 32764, 3 }, torch.ShortTensor{-8, 7}:rshift(1):totable())
      assert.are.same({ -16, -56 }, torch.CharTensor{-8, 100}:lshift(1):totable())
      assert.are.same({ 254, 12 }, torch.ByteTensor{255, 6}:lshift(1):totable())
      local l = torch.LongTensor{5, -8}:lshift(40)
      assert.are.equal(5 * 2 ^ 40, l[1])
      assert.are.equal(-8 * 2 ^ 40, l[2])
      assert.are.equal(9223372036854775804LL, torch.LongTensor{-8}:rshift(1):data()[0])
      assert.are.same({ 9, 9 }, torch.LongTensor{12, 10}:cbitxor(torch.LongTensor{5, 3}):totable())
      assert.are.same({ 4, 2 }, torch.IntTensor{12, 10}:bitand(6.7):totable())
      assert.are.same({ 8, 2 }, torch.ByteTensor{12, 10}:cbitand(torch.ByteTensor{10, 6}):totable())
   end)

   it('method forms into a result, function forms, and non-contiguous operands', function()
      local x = torch.IntTensor{{12, 0}, {10, 0}, {7, 0}}:select(2, 1)
      local res = torch.IntTensor()
      assert.are.equal(res, res:bitor(x, 1))
      assert.are.same({ 13, 11, 7 }, res:totable())
      assert.are.same({ 13, 11, 7 }, torch.bitor(x, 1):totable())
      local y = torch.IntTensor{{1, 2, 3}}:t():select(2, 1)
      assert.are.same({ 24, 40, 56 }, torch.clshift(x, y):totable())
      -- in place on a non-contiguous tensor writes through the view
      local m = torch.IntTensor{{12, 1}, {10, 1}}
      m:select(2, 1):bitxor(5)
      assert.are.same({ { 9, 1 }, { 15, 1 } }, m:totable())
   end)

   it('shifts floating tensors by powers of two', function()
      assert.are.same({ 12, 20 }, torch.Tensor{3, 5}:lshift(2):totable())
      assert.are.same({ 1.5, 1.25 }, torch.Tensor{3, 5}:crshift(torch.Tensor{1, 2}):totable())
   end)

   it('raises on bad arguments', function()
      assert.has_error(function() torch.Tensor{12}:bitand(6) end,
         'bitand: only supported for integer tensors (Byte, Char, Short, Int, Long), got torch.DoubleTensor')
      assert.has_error(function() torch.IntTensor{12}:bitand(torch.IntTensor{1}) end,
         'bitand: expected a number operand, got torch.IntTensor')
      assert.has_error(function() torch.IntTensor{12}:cbitand(3) end,
         'cbitand: expected a tensor operand, got number')
      assert.has_error(function() torch.IntTensor{12, 1}:cbitor(torch.IntTensor{1}) end,
         'cbitor: operands have 2 and 1 elements')
      assert.has_error(function() torch.IntTensor{12}:cbitor(torch.LongTensor{1}) end,
         'cbitor: operands should have the type of the result, torch.IntTensor')
   end)
end)

describe('cfmod, cremainder, bhistc', function()
   it('cfmod and cremainder take a tensor operand, contiguous or not', function()
      local f = torch.Tensor{-5.5, -3, 3, 5.5, 7}
      local d = torch.Tensor{{2, -2, 2.5, -2.5, 3}}:t():select(2, 1)
      assert.are.same({ -1.5, -1, 0.5, 0.5, 1 }, torch.cfmod(f, d):totable())
      assert.are.same({ 0.5, -1, 0.5, -2, 1 }, torch.cremainder(f, d):totable())
      local g = f:clone()
      g:cfmod(d)
      assert.are.same({ -1.5, -1, 0.5, 0.5, 1 }, g:totable())
      assert.has_error(function() torch.cfmod(f, 2) end, 'cfmod: expected a tensor operand, got number')
   end)

   it('bhistc counts each row', function()
      local x = torch.Tensor{{1, 2, 2, 3}, {5, 5, 5, 9}}
      assert.are.same({ { 3, 1, 0, 0 }, { 0, 0, 3, 1 } }, torch.bhistc(x, 4, 1, 9):totable())
      assert.are.same({ { 3, 1, 0, 0 }, { 0, 0, 3, 1 } }, torch.bhistc(x:t():contiguous():t(), 4, 1, 9):totable())
      -- min = max: each row's own range
      assert.are.same({ { 1, 2, 1 }, { 3, 0, 1 } }, torch.bhistc(x, 3):totable())
      assert.has_error(function() torch.bhistc(torch.Tensor(3), 2) end, 'bhistc: expected a matrix, got 1 dimensions')
   end)
end)

describe('Storage:string', function()
   it('both directions, with embedded zeros', function()
      local s = torch.ByteStorage():string('abc\0d')
      assert.are.same({ 97, 98, 99, 0, 100 }, s:totable())
      assert.are.equal('abc\0d', s:string())
      assert.are.equal('hi', torch.CharStorage{104, 105}:string())
      assert.are.equal('', torch.CharStorage():string())
      assert.are.equal(0, torch.CharStorage(3):string(''):size())
   end)
   it('raises for other storages and non-strings', function()
      assert.has_error(function() torch.FloatStorage(2):string() end,
         'torch.FloatStorage:string: only torch.ByteStorage and torch.CharStorage hold strings')
      assert.has_error(function() torch.ByteStorage():string(3) end,
         'torch.ByteStorage:string: expected a string, got number')
   end)
end)

describe('function forms and small queries', function()
   before_each(function() torch.setdefaulttensortype('torch.DoubleTensor') end)

   it('torch.view and torch.expand, with and without a result', function()
      local v = torch.view(torch.range(1, 6), 2, 3)
      assert.are.same({ { 1, 2, 3 }, { 4, 5, 6 } }, v:totable())
      local res = torch.Tensor()
      assert.are.equal(res, torch.view(res, torch.range(1, 6), torch.LongStorage{3, 2}))
      assert.are.same({ { 1, 2 }, { 3, 4 }, { 5, 6 } }, res:totable())
      local e = torch.expand(torch.Tensor{{1}, {2}}, 2, 3)
      assert.are.same({ { 1, 1, 1 }, { 2, 2, 2 } }, e:totable())
      assert.are.equal(0, e:stride(2))
      assert.has_error(function() torch.view(3, 2) end, 'torch.view: expected a tensor, got number')
   end)

   it('torch.numel and torch.setheaptracking', function()
      assert.are.equal(12, torch.numel(torch.Tensor(3, 4)))
      assert.are.equal(3, torch.numel(torch.Tensor(3, 4):select(2, 1)))
      assert.has_error(function() torch.numel(3) end, 'torch.numel: expected a tensor, got number')
      assert.has_no.errors(function() torch.setheaptracking(true); torch.setheaptracking(false) end)
      assert.has_error(function() torch.setheaptracking('yes') end,
         'torch.setheaptracking: expected a boolean, got string')
   end)

   it('isSetTo and real', function()
      local x = torch.Tensor(4, 4)
      assert.is_true(x:isSetTo(x))
      assert.is_true(x:isSetTo(torch.Tensor():set(x)))
      assert.is_false(x:isSetTo(x:t()))
      assert.is_false(x:isSetTo(torch.Tensor(4, 4)))
      assert.is_false(x:isSetTo(x:narrow(1, 2, 2)))
      assert.are.equal('torch.DoubleTensor', torch.typename(torch.IntTensor(2):real()))
      assert.has_error(function() x:isSetTo(3) end, 'isSetTo: expected a tensor, got number')
   end)

   it('math on Lua numbers returns numbers', function()
      assert.are.equal(math.sin(0.5), torch.sin(0.5))
      assert.are.equal(2, torch.abs(-2))
      assert.are.equal(-3, torch.round(-2.5))
      assert.are.equal(3, torch.round(2.5))
      assert.are.equal(-1, torch.trunc(-1.5))
      assert.are.equal(-0.25, torch.frac(-1.25))
      assert.are.equal(0.5, torch.sigmoid(0))
      assert.are.equal(0.5, torch.rsqrt(4))
      assert.are.equal(8, torch.pow(2, 3))
      assert.are.equal(math.atan2(1, 2), torch.atan2(1, 2))
      assert.are.equal(1.5, torch.lerp(1, 2, 0.5))
      -- tensors still go to the tensor forms
      assert.are.same({ 2 }, torch.abs(torch.Tensor{-2}):totable())
      assert.are.same({ 9 }, torch.pow(torch.Tensor{3}, 2):totable())
   end)
end)

describe('torch.Generator', function()
   before_each(function() torch.setdefaulttensortype('torch.DoubleTensor') end)

   it('streams of its own: seeded like the default one, leaving it untouched', function()
      torch.manualSeed(42)
      local want = torch.rand(3)
      local after = torch.rand(2)
      torch.manualSeed(42)
      local g = torch.Generator()
      assert.are.equal('torch.Generator', torch.typename(g))
      torch.manualSeed(g, 42)
      assert.are.equal(42, torch.initialSeed(g))
      assert.are.equal(42, torch.initialSeed())
      assert.are.same(want:totable(), torch.rand(g, 3):totable())
      -- the default stream did not move
      assert.are.same(want:totable(), torch.rand(3):totable())
      assert.are.same(after:totable(), torch.rand(2):totable())
   end)

   it('Torch7\'s values for seed 123; every random function takes it', function()
      local g = torch.Generator()
      torch.manualSeed(g, 123)
      local r = torch.rand(g, 3)
      assert.are.equal(0.69646918727084994, r[1])
      assert.are.equal(0.42847092496231, tonumber(string.format('%.14g', torch.uniform(g))))
      local t = torch.Tensor(2):uniform(g, 0, 1)
      assert.are.equal(0.2269, tonumber(string.format('%.4f', t[1])))
      assert.are.same({ 2, 2, 2 }, torch.multinomial(g, torch.Tensor{0.5, 0.5}, 3, true):totable())
      local res = torch.Tensor()
      assert.are.equal(res, torch.randn(res, g, 2))
      assert.are.equal(4, torch.randperm(g, 4):nElement())
      assert.is_true(torch.random(g, 1, 6) >= 1)
   end)

   it('getRNGState and setRNGState replay its stream', function()
      local g = torch.Generator()
      torch.manualSeed(g, 9)
      local st = torch.getRNGState(g)
      local a = torch.rand(g, 4)
      torch.setRNGState(g, st)
      assert.are.same(a:totable(), torch.rand(g, 4):totable())
      -- the saved state is a copy
      torch.rand(g, 4)
      torch.setRNGState(g, st)
      assert.are.same(a:totable(), torch.rand(g, 4):totable())
   end)

   it('an error inside leaves the default stream as it was', function()
      local g = torch.Generator()
      torch.manualSeed(7)
      local want = torch.rand(2)
      torch.manualSeed(7)
      assert.has_error(function() torch.multinomial(g, torch.Tensor{0, 0}, 1) end,
         'torch.multinomial: invalid distribution (sum of probabilities <= 0)')
      assert.has_error(function() torch.setRNGState(g, torch.ByteTensor(3)) end)
      assert.are.same(want:totable(), torch.rand(2):totable())
   end)
end)

-- Recorded from Torch7 (%.12g) on inputs made of sin/cos of ranges.
local conv_recorded = {
   ['conv2 mv V'] = { '3x3x3', { -1.25377123267, -0.809913904449, -0.357964184212, 1.00114879923, 1.44018068394, 1.86482275931, 3.0109526888, 3.33766881284, 3.63103605339, 0.382291107935, 0.744081957771, 1.09843818665, 2.08207562978, 2.37255384694, 2.63932629033, 3.27209542254, 3.42014180868, 3.53401526841, 1.04807330655, 0.409548548303, -0.23306828366, -2.12144333444, -2.71677173145, -3.28495504337, -4.77155665924, -5.17793154062, -5.53257024164 } },
   ['conv2 mv F'] = { '3x5x7', { -0.642110208364, -1.27865629181, -1.81162207253, -1.43328042817, -1.04061791954, -0.724941649764, -0.374699360026, -0.635652084052, -1.06577082476, -1.25377123267, -0.809913904449, -0.357964184212, -0.311921241881, -0.215299568659, 0.409483437708, 0.767413335313, 1.00114879923, 1.44018068394, 1.86482275931, 0.916469009426, 0.241444174346, 1.35436313268, 2.41270794643, 3.0109526888, 3.33766881284, 3.63103605339, 1.92047568425, 0.639073962811, 0.46593456435, 0.528915561428, 0.166112141135, 0.310314542491, 0.451416383515, -0.184241618116, -0.346112900695, 0.643201077116, 1.03624035995, 1.16674532782, 1.20931801187, 1.23980759008, 0.824577602079, 0.406437048847, 0.283111876489, 0.387913177275, 0.382291107935, 0.744081957771, 1.09843818665, 0.942081304289, 0.571040565404, 0.499737879965, 1.19975343577, 2.08207562978, 2.37255384694, 2.63932629033, 2.2857168364, 1.37350313022, 0.594010621458, 1.71785221033, 3.27209542254, 3.42014180868, 3.53401526841, 3.0697291698, 1.83968422616, 1.05922171776, 2.3459366515, 3.7056810781, 3.80088272938, 3.85810721683, 2.8390162943, 1.49275197517, 0.296025444955, 0.721090372584, 1.18383584035, 0.782587273392, 0.373519353087, 0.281264307667, 0.15600931908, 0.483319150729, 0.857047853118, 1.04807330655, 0.409548548303, -0.23306828366, -0.194980871482, -0.091958061974, -0.678375502892, -1.41296011492, -2.12144333444, -2.71677173145, -3.28495504337, -2.14633599612, -0.980479792874, -1.67398017423, -3.33702616811, -4.77155665924, -5.17793154062, -5.53257024164, -3.57219321281, -1.62894587505, -1.03586597559, -1.79118479557, -2.16001390034, -2.35544109303, -2.52733349692, -1.3433371088, -0.457086491433 } },
   ['xcorr2 mv V'] = { '3x3x3', { -3.23509376213, -2.74929410744, -2.23602441481, -0.583741998763, -0.0138396101704, 0.556201059233, 2.21053016461, 2.72500330634, 3.21224911579, 2.51587011613, 2.93731000794, 3.3294012691, 4.29210455688, 4.53112412379, 4.72487019625, 5.01748210972, 5.01556102566, 4.96352611376, 1.88138907337, 1.16882685493, 0.444586104916, -1.72569441692, -2.4242051571, -3.09849404068, -4.91026772824, -5.42370719955, -5.88295478137 } },
   ['xcorr2 map F'] = { '2x5x7', { -0.0603545187613, -0.147619111057, -0.224356683928, -0.298852558975, -0.370362398041, -0.0968158088246, 0.0434702923949, -0.296963811159, -0.38300877922, -0.188827372998, -0.0362295584775, 0.116730249815, 0.55623038291, 0.523279080955, -0.287706654872, -0.105644875023, 0.562571820892, 0.701888404179, 0.834191950545, 1.16616940204, 0.874970900501, -0.208008875352, 0.197584579074, 1.17623381265, 1.26815960628, 1.34741436832, 1.49058947997, 1.01243932793, 0.444471914423, 1.1791088567, 2.097275652, 2.06449530914, 2.01108721158, 1.55374900914, 0.847762856319, -0.23223189455, -0.734669596506, -1.41708549946, -1.31416717601, -1.19811812854, -0.931410947056, -0.507564244392, -0.986620754352, -2.0670262802, -3.04626638913, -2.71306454896, -2.35275466463, -1.45137131452, -0.629397211115, -0.517565518892, -0.936048825081, -1.14631381966, -0.715728014349, -0.277990891312, 0.0843160184975, 0.177308628355, 0.0782078063216, 0.424106028261, 1.03429635197, 1.45684370006, 1.86483474747, 1.59935984956, 0.940603131749, 0.434689502555, 0.955704260225, 1.49904519863, 1.72864926146, 1.94098123227, 1.33012286393, 0.64456186002 } },
   ['conv3 mv V'] = { '2x2x2x2', { 0.528975921089, -0.981236003744, -3.82565566315, -5.04646536198, -5.48883875283, -4.34456722963, -1.58893522607, -0.087433097797, -5.21872529512, -5.8858202113, -6.49882255862, -6.42029152061, 1.22648922497, 2.47098226526, 4.61875083313, 5.43640160558 } },
   ['xcorr3 mv F'] = { '2x4x6x4', { 0.36857185701, 0.77653783528, 0.506130902859, 0.256963850676, 0.615882854359, 1.16956543583, 0.626101615385, 0.26467269499, 0.509419698294, 0.779031949572, 0.0904292475381, -0.0651925724115, -0.536586010818, -1.26999540091, -1.88758150965, -1.03476891154, -0.709918534833, -1.43602401845, -1.87931980172, -0.932612196676, -0.456497935386, -0.845397742799, -1.05295159559, -0.486517748529, -0.159962715986, -0.559752774235, -0.428007086239, -0.292890114504, -0.69426547746, -1.64046678799, -1.27610631588, -0.6611048875, -1.20840896185, -2.36257865839, -1.69878802217, -0.686994818366, -0.280277249972, -0.197194029545, 0.580745512925, 0.58976919549, 0.453493893787, 1.21432672439, 1.86486411846, 1.1245480198, 0.552851179637, 1.22244285256, 1.53948117183, 0.826869613076, 0.292269475166, 0.82274942274, 0.792543813741, 0.535961841797, 0.958436207719, 2.33729416601, 2.26628013483, 1.3243170468, 1.74887524134, 3.83887933514, 3.62465276425, 1.89039206783, 1.37553065807, 2.7769906547, 2.17734872938, 0.969229139576, 0.792746274151, 1.3986469774, 0.710260709472, 0.207026261284, 0.20480520877, 0.259336447897, -0.16162777179, -0.156790022806, -0.00949596953424, -0.107619357312, 0.0718262162501, -0.0419544339061, -0.0884556057769, -0.440093363272, -0.226113019575, -0.283420165545, -0.335506671527, -1.08400168582, -0.943704022862, -0.682418714227, -0.0833651443135, -0.557334308351, -0.326665598057, -0.28087198746, -0.165830994289, -0.518141860253, -0.147785067525, -0.0976370866665, -0.077846629332, -0.19412829421, 0.0847616627419, 0.0572176957823, -0.272107353931, -0.388238022262, -0.518382281682, -0.231404089357, -0.241052856096, -0.312248374002, -0.611760857245, -0.31948451101, -0.0387726949597, -0.0780465453113, -0.544629463304, -0.384898071863, -0.60460165141, -1.39492175182, -1.74473265206, -1.06576071075, -0.95426616163, -2.04200085791, -2.3102521006, -1.28120848319, -0.715750727407, -1.4677786349, -1.58440884527, -0.834926083312, 0.712226618934, 1.14833164555, 1.10066442467, 0.447495653929, 0.727391515707, 0.929871196496, 0.838134278782, 0.267961377959, 0.00642733725907, -0.50221080121, -0.506591459278, -0.316326686725, -0.174449227782, -0.455394682757, -0.401858302087, -0.037915440427, 0.262153308304, 0.681516815307, 0.891538736508, 0.665854291659, 0.410693311615, 0.978119972218, 1.12986173101, 0.697401708654, -0.556538966926, -0.931012915136, -1.04828321495, -0.412113531612, -0.722178020993, -0.934561323402, -0.986737029922, -0.240643695786, -0.219773189676, 0.32139710824, 0.39299630481, 0.500216550785, -0.0512885719063, 0.486962311103, 0.505582992683, 0.368935056191, 0.026562565216, 0.257703068832, -0.00377548945758, -0.0515102705294, -0.0633524667719, -0.139057606516, -0.393813955961, -0.276321975805, 0.515678191295, 1.01173169974, 1.23932476101, 0.610964791813, 1.00221036121, 1.85975797375, 2.13707070335, 0.990352542713, 1.14613351206, 1.94587405423, 2.07892226061, 0.864291517398, 1.26479887947, 2.09437841774, 1.97617018029, 0.837544664128, 0.866188508246, 1.41493124166, 1.40714523818, 0.638421598951, 0.416455040269, 0.702696473914, 0.754565289916, 0.37576964218 } },
   ['conv3 map V'] = { '2x2x2x2', { -4.76633926472, -5.70225439046, -6.86384296032, -7.04320753376, 0.00959014664952, 1.40920955164, 3.98634748802, 5.06112366251, 5.2953151858, 4.72101838671, 3.03818729717, 1.99674217178, -5.49842889948, -5.75377678127, -5.57528271409, -5.14855676031 } },
   ['conv3 F'] = { '4x6x4', { -0.144220485078, -0.380091143821, -0.600808768106, -0.27682208277, -0.562630620406, -1.02724694353, -1.17408808991, -0.407536605379, -0.791492858621, -1.05007530819, -0.859257963545, -0.0375123115086, -0.596672403931, -0.383828524015, -0.118170300579, 0.345616112008, 0.18080198649, 0.912409452088, 0.930872786415, 0.677196495221, 0.343694188846, 0.882718244627, 0.768456956, 0.428711668657, -0.208387268295, 0.0199000116002, 0.578547074513, 0.472967314476, 0.731137699199, 2.15793180599, 2.96662632529, 1.6607562106, 2.35320220877, 5.09400240657, 5.54225292421, 2.64236169516, 3.12718961219, 5.76683588675, 5.53421491764, 2.27220254972, 1.68235002034, 2.53910841073, 2.1593781667, 0.59394229102, 0.382052330691, 0.233114955329, 0.0356254695316, -0.221339666688, 1.12640969392, 1.88603926804, 1.43353825327, 0.514355390963, 1.12709690893, 1.30451311897, 0.360883378417, -0.221427785308, -0.317650482922, -1.88702925436, -2.93841067229, -1.83916117649, -2.03348575292, -4.6524929743, -5.24685880609, -2.59308298904, -1.58613835511, -2.99130002662, -3.02971693344, -1.20963412987, -0.589481847895, -0.827550530543, -0.700136202145, -0.102282710226, -0.800426351754, -1.65816149163, -1.49330330746, -0.74198549953, -1.48571505093, -2.78846371404, -2.29147155057, -1.00259246098, -1.48275178652, -2.35090047998, -1.51671567975, -0.436489244607, -0.185574967028, 0.297386993558, 1.20498231778, 0.888110272061, 0.426265390056, 1.17094089946, 1.7428807186, 0.943695669444, 0.403060662831, 0.836514965714, 1.04709345867, 0.482828888275 } },
}

describe('torch.conv2 / xcorr2 / conv3 / xcorr3', function()
   before_each(function() torch.setdefaulttensortype('torch.DoubleTensor') end)
   local spec = require 'tests.spec_util'
   local function check(name, t)
      local r = conv_recorded[name]
      assert.are.equal(r[1], table.concat(t:size():totable(), 'x'))
      assert.is_true(spec.close(t, torch.Tensor(r[2]), 1e-10, 1e-10), name)
   end
   local x3 = torch.range(1, 40):view(2, 4, 5):mul(0.1):sin()
   local k4 = torch.range(1, 36):view(3, 2, 2, 3):mul(0.37):cos()
   local y4 = torch.range(1, 72):view(2, 3, 4, 3):mul(0.2):sin()
   local k5 = torch.range(1, 48):view(2, 2, 2, 3, 2):mul(0.3):cos()

   it('hand-computed: one plane, valid and full', function()
      local x = torch.range(1, 9):view(3, 3)
      local k = torch.Tensor{{1, 2}, {3, 4}}
      -- xcorr: x[i][j]*1 + x[i][j+1]*2 + x[i+1][j]*3 + x[i+1][j+1]*4
      assert.are.same({ { 37, 47 }, { 67, 77 } }, torch.xcorr2(x, k):totable())
      -- conv flips the kernel: weights 4 3 2 1
      assert.are.same({ { 23, 33 }, { 53, 63 } }, torch.conv2(x, k):totable())
      local f = torch.conv2(torch.Tensor{{1}}, k, 'F')
      assert.are.same({ { 1, 2 }, { 3, 4 } }, f:totable())
      assert.are.same({ { 4, 3 }, { 2, 1 } }, torch.xcorr2(torch.Tensor{{1}}, k, 'F'):totable())
   end)

   it('Torch7\'s values for planes x kernels (3D x 4D), maps (3D x 3D), and 3-D', function()
      check('conv2 mv V', torch.conv2(x3, k4))
      check('conv2 mv F', torch.conv2(x3, k4, 'F'))
      check('xcorr2 mv V', torch.xcorr2(x3, k4))
      check('xcorr2 map F', torch.xcorr2(x3, k4[1], 'F'))
      check('conv3 mv V', torch.conv3(y4, k5))
      check('xcorr3 mv F', torch.xcorr3(y4, k5, 'F'))
      check('conv3 map V', torch.conv3(y4, k5[1]))
      check('conv3 F', torch.conv3(y4[1], k5[1][2], 'F'))
   end)

   it('non-contiguous inputs, a result tensor, the method form, other types', function()
      check('conv2 mv V', torch.conv2(x3:transpose(2, 3):contiguous():transpose(2, 3), k4:transpose(3, 4):contiguous():transpose(3, 4)))
      local res = torch.Tensor()
      assert.are.equal(res, torch.xcorr2(res, x3, k4))
      check('xcorr2 mv V', res)
      check('conv3 mv V', torch.Tensor():conv3(y4, k5))
      local fl = torch.conv2(x3:float(), k4:float())
      assert.are.equal('torch.FloatTensor', torch.typename(fl))
      assert.is_true(spec.close(fl, torch.conv2(x3, k4), 1e-5))
      -- full: x padded by one zero; out[i][j] = xp[i+1][j] + 2 xp[i+1][j+1]
      assert.are.same({ { 2, 5, 2 }, { 6, 11, 4 }, { 0, 0, 0 } },
         torch.xcorr2(torch.IntTensor{{1, 2}, {3, 4}}, torch.IntTensor{{0, 0}, {1, 2}}, 'F'):totable())
   end)

   it('raises on bad arguments, naming the function', function()
      assert.has_error(function() torch.conv2(torch.Tensor(2, 5, 5), torch.Tensor(2, 2)) end,
         'torch.conv2: expected input/kernel of 2D/2D, 3D/3D or 3D/4D, got 2x5x5 and 2x2')
      assert.has_error(function() torch.conv2(torch.Tensor(2, 5, 5), torch.Tensor(3, 2, 2)) end,
         'torch.conv2: 2 input planes for 3 kernels (2x5x5 and 3x2x2)')
      assert.has_error(function() torch.conv2(torch.Tensor(2, 5, 5), torch.Tensor(4, 3, 2, 2)) end,
         'torch.conv2: kernel 4x3x2x2 expects 3 input planes, got 2x5x5')
      assert.has_error(function() torch.xcorr2(torch.Tensor(2, 2), torch.Tensor(3, 3)) end,
         'torch.xcorr2: input 1x2x2 is smaller than kernel 1x1x3x3')
      assert.has_error(function() torch.conv3(torch.Tensor(3, 3, 3), torch.Tensor(2, 2, 2), 'X') end,
         "torch.conv3: mode should be 'V' or 'F', got X")
      assert.has_error(function() torch.conv2(torch.Tensor(3, 3), torch.FloatTensor(2, 2)) end,
         'torch.conv2: input and kernel types differ: torch.DoubleTensor and torch.FloatTensor')
      assert.has_error(function() torch.xcorr3(3, torch.Tensor(2, 2, 2)) end,
         'torch.xcorr3: expected an input and a kernel tensor, got number and torch.DoubleTensor')
   end)
end)

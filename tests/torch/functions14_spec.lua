-- Torch7 functions of issue 14 (lua/torch/TensorExtra.lua): the recorded
-- functions.lua fixture line by line, and hand-computed values, Torch7's
-- draws, non-contiguous inputs and the messages of bad arguments for
-- multinomial, the alias method, bit operations, cfmod/cremainder, bhistc,
-- Storage:string, the view/expand function forms, numel, setheaptracking,
-- isSetTo, real, math on Lua numbers and torch.Generator.
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
   local expected = lines(read(fixdir .. '/functions.expected'))
   local printed = run_fixture()
   -- lines of this part of issue 14 and those already implemented before it
   local owned = {
      'multinomial with replacement', 'multinomial without replacement', 'multinomial matrix',
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

-- torch.Timer, torch.CmdLine, torch.Tester / torch.TestSuite: behaviour,
-- printed output (help, test report), exit statuses and messages.
local torch = require 'torch'

-- Runs build/nnlua on a script text with arguments: output and status.
local function run_script(text, args)
   local root = NNLUA_ROOT:sub(1, 1) == '/' and NNLUA_ROOT or os.getenv('PWD') .. '/' .. NNLUA_ROOT
   local nnlua = root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
   local tmp = os.tmpname()
   local f = assert(io.open(tmp, 'w'))
   f:write(text)
   f:close()
   local p = io.popen(nnlua .. ' ' .. tmp .. ' ' .. (args or '') .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   os.remove(tmp)
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return (out:gsub('rc=%d+%s*$', '')), rc, tmp
end

local function busy(seconds)
   local t0 = os.clock()
   local x = 0
   while os.clock() - t0 < seconds do x = x + 1 end
   return x
end

describe('torch.Timer', function()
   it('measures real, user and sys time while running', function()
      local t = torch.Timer()
      busy(0.05)
      local a = t:time()
      assert.is_true(a.real >= 0.04 and a.real < 5, 'real ' .. a.real)
      assert.is_true(a.user >= 0 and a.sys >= 0)
      assert.is_true(a.user + a.sys >= 0.04, 'user ' .. a.user .. ' sys ' .. a.sys)   -- busy() burns CPU time
      assert.are.equal('torch.Timer', torch.type(t))
   end)

   it('stop freezes, resume continues, reset zeroes', function()
      local t = torch.Timer()
      busy(0.02)
      assert.are.equal(t, t:stop())
      local frozen = t:time().real
      busy(0.03)
      assert.are.equal(frozen, t:time().real)
      assert.are.equal(t, t:resume())
      busy(0.02)
      local later = t:time().real
      assert.is_true(later >= frozen + 0.015 and later < frozen + 0.03 + 1, 'later ' .. later)
      assert.are.equal(t, t:reset())
      assert.is_true(t:time().real < 0.01)
      t:stop():reset()
      busy(0.01)
      assert.are.equal(0, t:time().real)   -- a stopped timer stays stopped after reset
   end)

   it('names itself in a misuse', function()
      assert.has_error(function() torch.Timer.time({}) end,
         'torch.Timer:time: expected a torch.Timer as self (use timer:time())')
   end)
end)

local function make_cmd()
   local cmd = torch.CmdLine()
   cmd:text()
   cmd:text('Training')
   cmd:text('Options:')
   cmd:option('-lr', 0.1, 'learning rate')
   cmd:option('-cuda', false, 'use CUDA')
   cmd:option('-name', 'run', 'experiment name')
   cmd:argument('-data', 'data file')
   cmd:text()
   return cmd
end

describe('torch.CmdLine', function()
   it('parses options, flags and arguments, with defaults', function()
      local cmd = make_cmd()
      assert.are.same({ lr = 0.5, cuda = true, name = 'run', data = 'x.t7' },
         cmd:parse { '-lr', '0.5', 'x.t7', '-cuda' })
      assert.are.same({ lr = 0.1, cuda = false, name = 'b', data = 'y' }, cmd:parse { '-name', 'b', 'y' })
      assert.are.same({ lr = 0.1, cuda = false, name = 'run' }, cmd:default())
   end)

   it('string() names a run from its non-default options', function()
      local cmd = make_cmd()
      local params = cmd:parse { '-lr', '0.5', '-cuda', 'f' }
      local quiet = _G.print
      _G.print = function() end
      local s = cmd:string('exp', params, { data = true })
      local s2 = cmd:string('exp', cmd:parse { 'f' }, { data = true })
      local s3 = cmd:string('exp', cmd:parse { 'f' }, {})
      _G.print = quiet
      assert.are.equal('exp,cuda=t,lr=0.5', s)
      assert.are.equal('exp', s2)
      assert.are.equal('exp,data=f', s3)
   end)

   it('rejects bad declarations', function()
      local cmd = torch.CmdLine()
      assert.has_error(function() cmd:option('-x') end, 'option -x has no default value')
      assert.has_error(function() cmd:option('-x', 1, 'help', 'string') end, 'option -x has wrong default type value')
      assert.has_error(function() cmd:text(3) end, 'torch.CmdLine:text: expected a string, got number')
   end)

   it('-h prints the help and exits 0', function()
      local out, rc, path = run_script([[
local cmd = torch.CmdLine()
cmd:text('Training')
cmd:option('-lr', 0.1, 'learning rate')
cmd:option('-cuda', false, 'use CUDA')
cmd:argument('-data', 'data file')
cmd:parse(arg)
print('not reached')
]], '-h')
      assert.are.equal(0, rc)
      assert.are.equal('Usage: ' .. path .. ' [options] <data>\nTraining\n'
         .. '  -lr    learning rate [0.1]\n  -cuda  use CUDA [false]\n  <data> data file\n', out)
   end)

   it('bad command lines print the error and the help, and exit 1', function()
      local script = [[
local cmd = torch.CmdLine()
cmd:option('-lr', 0.1, 'learning rate')
cmd:argument('-data', 'data file')
io.stderr:setvbuf('no') io.stdout:setvbuf('no')
cmd:parse(arg)
print('not reached')
]]
      local out, rc = run_script(script, '-lr abc f')
      assert.are.equal(1, rc)
      assert.matches('invalid type for option %-lr %(should be number%)', out)
      assert.matches('Usage: %[options%] <data>', out)
      out, rc = run_script(script, '')
      assert.are.equal(1, rc)
      assert.matches('not enough arguments', out)
      out, rc = run_script(script, 'a b')
      assert.are.equal(1, rc)
      assert.matches('invalid argument: b', out)
      out, rc = run_script(script, '-lr')
      assert.are.equal(1, rc)
      assert.matches('missing argument for option %-lr', out)
   end)

   it('log() copies print() to a file, with addTime and silent', function()
      local log = os.tmpname()
      local out, rc = run_script(string.format([[
local cmd = torch.CmdLine()
cmd:option('-lr', 0.1, 'learning rate')
local p = cmd:parse(arg)
cmd:addTime('exp', '%%Y')
cmd:log(%q, p)
print('loss', 1.5)
cmd:silent()
print('hidden')
]], log), '-lr 2')
      assert.are.equal(0, rc)
      assert.matches('loss\t1.5', out)
      assert.is_nil(out:find('hidden'))
      local f = assert(io.open(log))
      local text = f:read('*a')
      f:close()
      os.remove(log)
      local year = os.date('%Y')
      assert.matches(year .. '%[exp%]:  %[program started on', text)
      assert.matches('%[command line arguments%]', text)
      assert.matches('lr 2', text)
      assert.matches(year .. '%[exp%]:  loss 1.5 \n', text)
      assert.matches('hidden', text)
   end)
end)

describe('torch.Tester', function()
   local function quietly(f)
      local w = io.write
      io.write = function() end
      local ok, err = pcall(f)
      io.write = w
      return ok, err
   end

   it('counts passing and failing assertions per test and raises at the end', function()
      local tester = torch.Tester()
      local tests = torch.TestSuite()
      function tests.good()
         tester:assert(true)
         tester:eq({ 1, { 2, 'a' } }, { 1, { 2, 'a' } })
         tester:assertTensorEq(torch.Tensor { 1, 2 }, torch.Tensor { 1, 2.5 }, 0.5)
         tester:assertTableEq({ a = torch.Tensor { 1 } }, { a = torch.Tensor { 1 } })
         tester:assertlt(1, 2)
         tester:assertge(2, 2)
         tester:assertalmosteq(1, 1 + 1e-9, 1e-6)
         tester:assertError(function() error('x') end)
         tester:assertErrorMsg(function() error('boom', 0) end, 'boom')
         tester:assertErrorPattern(function() error('boom at 3') end, 'at %d')
         tester:assertNoError(function() end)
         tester:ne(1, 2)
         tester:assertTensorNe(torch.Tensor { 1 }, torch.Tensor { 2 })
      end
      function tests.bad()
         tester:asserteq(1, 2, 'numbers differ')
         tester:assertTableEq({ a = 1 }, { a = 2 })
         tester:assertTensorEq(torch.Tensor { 1, 2 }, torch.Tensor { 1, 3 })
         tester:eq(torch.Tensor { 1 }, torch.FloatTensor { 1 })
      end
      function tests.raises() error('kaboom') end
      tester:add(tests)
      local ok, err = quietly(function() tester:run() end)
      assert.is_false(ok)
      assert.matches('An error was found while running tests!', err)
      assert.are.equal(13, tester.assertionPass.good)
      assert.are.equal(0, tester.assertionFail.good)
      assert.are.equal(4, tester.assertionFail.bad)
      assert.are.equal(1, tester.testError.raises)
      assert.are.equal(17, tester.countasserts)
      local msgs = table.concat(tester.errors, '\n')
      assert.matches('numbers differ\nEQ failed: 1 ~= 2', msgs)
      assert.matches('At table location a: EQ failed: 1 ~= 2', msgs)
      assert.matches('TensorEQ%(==%) violation: max diff=1, tolerance=0', msgs)
      assert.matches('The tensors have different types', msgs)
      assert.matches('Function call failed\n.*kaboom', msgs)
   end)

   it('prints a line per test and a summary, as Torch7', function()
      local out, rc = run_script([[
local tester = torch.Tester()
tester:add(function() tester:assert(1 == 1) end, 'alpha')
tester:add(function() tester:assert(false, 'nope') end, 'beta')
tester:add(function() end, 'gamma')
tester:disable('gamma')
tester:run()
]])
      assert.are.equal(1, rc)
      local dots = function(name) return string.rep('.', 80 - 6 - 2 - 4 - #name) end
      assert.are.equal('Running 3 tests\n', out:sub(1, 16))
      assert.is_truthy(out:find('1/3 alpha ' .. dots('alpha') .. ' [WAIT]\r1/3 alpha ' .. dots('alpha') .. ' [PASS]\n', 1, true))
      assert.is_truthy(out:find('2/3 beta ' .. dots('beta') .. ' [FAIL]\n', 1, true))
      assert.is_truthy(out:find('3/3 gamma ' .. dots('gamma') .. ' [SKIP]\n', 1, true))
      assert.is_truthy(out:find('Completed 2 asserts in 3 tests with 1 failure and 0 errors and 1 disabled\n'
         .. string.rep('-', 80) .. '\nbeta\nnope\nBOOL violation condition=false\n', 1, true))
      assert.matches('An error was found while running tests!', out)
   end)

   it('runs tests by name pattern, with set-up and tear-down', function()
      local tester, log = torch.Tester(), {}
      tester:add({
         _setUp = function(name) log[#log + 1] = 'up ' .. name end,
         _tearDown = function(name) log[#log + 1] = 'down ' .. name end,
         one = function() tester:assert(true) end,
         two = function() tester:assert(true) end,
      })
      local ok = quietly(function() tester:run('one') end)
      assert.is_true(ok)
      assert.are.same({ 'up one', 'down one' }, log)
      assert.are.equal(1, #tester.warnings)   -- a plain table instead of a TestSuite
   end)

   it('rejects misuse with messages', function()
      local tester = torch.Tester()
      tester:add(function() end, 'x')
      assert.has_error(function() tester:add(function() end, 'x') end, 'Test with name x already exists!')
      assert.has_error(function() tester:add(3) end, 'torch.Tester:add: expected a function or a table of functions, got number')
      assert.has_error(function() tester:disable('nope') end, "Unrecognized test 'nope'")
      assert.has_error(function() tester:run('zzz') end, "Couldn't find test 'zzz'")
      local suite = torch.TestSuite()
      suite.a = function() end
      assert.has_error(function() suite.a = function() end end, 'Test a is already defined.')
      assert.has_error(function() tester:assertTensorEq(1, torch.Tensor()) end,
         'torch.Tester: first argument should be a Tensor, got number')
   end)
end)

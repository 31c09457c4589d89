-- The nnlua program: arg table, -e, -l, errors, exit status, piped stdin.
local spec = require 'tests.spec_util'

describe('nnlua host', function()
   local tmp = os.tmpname()
   after_each(function() os.remove(tmp) end)

   it('runs a script with Torch7\'s arg table', function()
      local f = assert(io.open(tmp, 'w'))
      f:write("print(arg[0] == ... and 'x' or 'y', arg[1], arg[2], #arg, select('#', ...))\n")
      f:close()
      local out, rc = spec.run_nnlua(tmp .. ' a b')
      assert.are.equal(0, rc)
      assert.are.equal('y\ta\tb\t2\t2\n', out)
   end)

   it('preloads torch and runs -e', function()
      local out, rc = spec.run_nnlua("-e \"print(torch.Tensor(2,3):nElement())\"")
      assert.are.equal(0, rc)
      assert.are.equal('6\n', out)
   end)

   it('exits non-zero with a traceback on an uncaught error', function()
      local f = assert(io.open(tmp, 'w'))
      f:write("local t = torch.Tensor(3)\nlocal x = t:narrow(1, 3, 2)\n")
      f:close()
      local out, rc = spec.run_nnlua(tmp)
      assert.are.equal(1, rc)
      assert.matches(':2: narrow: elements 3 to 4 are out of range', out, 1, true)
      assert.matches('stack traceback', out, 1, true)
   end)

   it('runs piped stdin as a script', function()
      local p = io.popen("echo 'print(1+1)' | " .. NNLUA_ROOT .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua 2>&1')
      local out = p:read('*a')
      p:close()
      assert.are.equal('2\n', out)
   end)

   it('rejects an unknown option with usage', function()
      local out, rc = spec.run_nnlua('-Z')
      assert.are.equal(1, rc)
      assert.matches('usage: nnlua', out, 1, true)
   end)

   it('says what was wrong with a command line', function()
      local out, rc = spec.run_nnlua('--bogus')
      assert.are.equal(1, rc)
      assert.matches("^nnlua: unrecognized option '%-%-bogus'\nusage: nnlua", out)
      out, rc = spec.run_nnlua('-e')
      assert.are.equal(1, rc)
      assert.matches("^nnlua: '%-e' needs an argument\nusage: nnlua", out)
   end)

   it('prints help and the version on stdout and exits 0', function()
      for _, o in ipairs { '-h', '--help' } do
         local out, rc = spec.run_nnlua(o .. ' 2>/dev/null')
         assert.are.equal(0, rc)
         assert.matches('^usage: nnlua %[options%] %[script %[args%]%]\n', out)
         assert.matches('%-h, %-%-help', out)
      end
      for _, o in ipairs { '-v', '--version' } do
         local out, rc = spec.run_nnlua(o .. ' 2>/dev/null </dev/null')
         assert.are.equal(0, rc)
         assert.matches('^nnlua %d+%.%d+ %(LuaJIT [^)]+%)\n$', out)
      end
      local out, rc = spec.run_nnlua("-v -e 'print(6 * 7)'")
      assert.are.equal(0, rc)
      assert.matches('^nnlua [^\n]+\n42\n$', out)
   end)

   it('torch.CmdLine puts a bad option on stderr as a whole line and exits 1', function()
      local f = os.tmpname()
      local h = io.open(f, 'w')
      h:write("local cmd = torch.CmdLine()\ncmd:option('-lr', 0.1, 'learning rate')\nprint(cmd:parse(arg).lr)\n")
      h:close()
      -- stderr alone (stdout, with the help, discarded)
      local exe = NNLUA_ROOT .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
      local p = io.popen('(' .. exe .. ' ' .. f .. ' -bogus 1 >/dev/null; echo "rc=$?" >&2) 2>&1')
      local err = p:read('*a')
      p:close()
      os.remove(f)
      local rc = tonumber(err:match('rc=(%d+)%s*$'))
      err = err:gsub('rc=%d+%s*$', '')
      assert.are.equal(1, rc)
      assert.are.equal('\ninvalid argument: -bogus\n', err)   -- Torch7's words
      local out = spec.run_nnlua("-e \"local c = torch.CmdLine(); c:option('-lr', 0.1, 'rate'); print(c:parse({'-lr', '0.5'}).lr)\"")
      assert.are.equal('0.5\n', out)
   end)

   it('refuses an absurd size and CUDA without cutorch with clear messages', function()
      local out, rc = spec.run_nnlua("-e 'x = torch.Tensor(1e30)'")
      assert.are.equal(1, rc)
      assert.matches('%(command line%):1: tensor constructor: size 1e%+30 in dimension 1 is too large', out)
      out = spec.run_nnlua("-e 'x = torch.zeros(2, 0/0)'")
      assert.matches('size nan in dimension 2 is too large', out, 1, true)
      out = spec.run_nnlua("-e 'torch.memoryUsage(torch.Tensor(3))'")
      assert.matches('torch.memoryUsage: device should be 0 (CPU) or 1 (CUDA), got torch.DoubleTensor', out, 1, true)
      out, rc = spec.run_nnlua("-e 'x = torch.Tensor(3):cuda()'")
      assert.are.equal(1, rc)
      assert.matches("torch.DoubleTensor:cuda%(%): CUDA tensors need require 'cutorch' first", out)
   end)
   -- runs a script in the background, sends SIGINT after `after` seconds
   local function interrupt(script, after)
      local f = assert(io.open(tmp, 'w'))
      f:write(script)
      f:close()
      local exe = NNLUA_ROOT .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
      local p = io.popen(string.format('(%s %s & P=$!; sleep %s; kill -INT $P; wait $P; echo "rc=$?") 2>&1', exe, tmp, after))
      local out = p:read('*a')
      p:close()
      return out:gsub('rc=%d+%s*$', ''), tonumber(out:match('rc=(%d+)%s*$'))
   end

   it('stops a training loop on one Ctrl-C with one line naming the script line, exit 130', function()
      local out, rc = interrupt("require 'nn'\nlocal m = nn.Sequential():add(nn.Linear(10, 10)):add(nn.Tanh())\n"
         .. "local x = torch.randn(4, 10)\nwhile true do\n   m:forward(x)\nend\n", 1.5)
      assert.are.equal(130, rc)
      assert.matches('^nnlua: interrupted at [^\n]+:5\n$', out)
   end)

   it('stops a compiled pure-Lua loop on one Ctrl-C', function()
      local out, rc = interrupt('local n = 0\nwhile true do n = n + 1 end\n', 1)
      assert.are.equal(130, rc)
      assert.matches('^nnlua: interrupted', out)
   end)
   it('refuses an allocation larger than the memory available now, with the figures', function()
      local f = assert(io.open('/proc/meminfo'))
      local avail
      for line in f:lines() do avail = avail or tonumber(line:match('^MemAvailable:%s+(%d+) kB')) end
      f:close()
      if not avail then return pending('no MemAvailable in /proc/meminfo') end
      -- twice what is available, in floats: never allocated, never paged
      local n = math.floor(avail * 1024 * 2 / 4)
      local out, rc = spec.run_nnlua(string.format("-e 'x = torch.FloatTensor(%d)'", n))
      assert.are.equal(1, rc)
      assert.is_truthy(out:match('cannot allocate [%d%.]+ GB: only [%d%.]+ GB of this machine') or
         out:match("cannot allocate [%d%.]+ GB: more than this machine's memory"), out)
   end)
end)

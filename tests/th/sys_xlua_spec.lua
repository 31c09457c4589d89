-- sys and xlua: Torch7's helpers with values (split, execute, clock,
-- tic/toc, formatTime, the progress bar's layout, OptionParser, Profiler,
-- table2string, unpack, envparams).
local sys = require 'sys'
local xlua = require 'xlua'
local paths = require 'paths'

-- output written with io.write and print while f runs
local function capture(f)
   local out = {}
   local w, p = io.write, _G.print
   io.write = function(...) for i = 1, select('#', ...) do out[#out + 1] = tostring((select(i, ...))) end end
   _G.print = function(...)
      local t = {}
      for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
      out[#out + 1] = table.concat(t, '\t') .. '\n'
   end
   local ok, err = pcall(f)
   io.write, _G.print = w, p
   assert(ok, err)
   return table.concat(out)
end

describe('sys', function()
   it('splits as Torch7 (an empty first piece dropped, inner ones kept)', function()
      assert.are.same({ 'a', 'b', '', 'c' }, sys.split('a,b,,c', ','))
      assert.are.same({ 'a', 'b' }, sys.split(',a,b,', ','))
      assert.are.same({ 'x', 'y' }, sys.split('x  y', ' +'))
      assert.are.same({ 'a', 'b' }, ('a:b'):split(':'))
   end)

   it('runs commands and returns their trimmed output', function()
      assert.are.equal('hi', sys.execute('echo "  hi  "'))
      assert.matches('nnlua_none', sys.execute('ls /nnlua_none'))   -- stderr too
      assert.are.equal('42', sys.fexecute('echo "  42  "'))
      local d = paths.tmpname()
      os.remove(d)
      paths.mkdir(d)
      io.open(d .. '/f1', 'w'):close()
      assert.are.equal('f1', sys.ls(d))
      paths.rmall(d, 'yes')
      assert.has_error(function() sys.execute(3) end, 'sys.execute: expected a command string, got number')
   end)

   it('measures wall time with clock, tic/toc and sleep', function()
      local c = sys.clock()
      assert.is_true(math.abs(c - os.time()) < 2)
      sys.tic()
      sys.sleep(0.02)
      local dt = sys.toc()
      assert.is_true(dt >= 0.019 and dt < 1, tostring(dt))
   end)

   it('knows the system, the file it is called from, the dirname/concat of paths', function()
      assert.are.equal('linux', sys.uname())
      assert.are.equal('linux', sys.OS)
      local dir, name = sys.fpath()
      assert.are.equal('sys_xlua_spec.lua', name)
      assert.matches('/tests/th$', dir)
      assert.are.equal(paths.dirname, sys.dirname)
      assert.are.equal(paths.concat, sys.concat)
      assert.is_true(sys.isNaN(0 / 0))
      assert.is_false(sys.isNaN(1))
   end)

   it('has Torch7\'s ANSI colours, blank when stdout is not a terminal', function()
      assert.are.equal('\27[0;31m', sys.ANSI_COLORS.red)
      assert.are.equal('\27[1;35m', sys.ANSI_COLORS.Magenta)
      assert.are.equal('\27[0m', sys.ANSI_COLORS.none)
      local tty = require('ffi').C.isatty(1) == 1
      assert.are.equal(tty and '\27[0;31m' or '', sys.COLORS.red)
      local n = 0
      for _ in pairs(sys.COLORS) do n = n + 1 end
      assert.are.equal(25, n)
   end)
end)

describe('xlua', function()
   it('formats durations as Torch7', function()
      assert.are.same({ '0ms', '12ms', '1m5s', '1h1m', '1D1h' },
         { xlua.formatTime(0), xlua.formatTime(0.0123), xlua.formatTime(65.5), xlua.formatTime(3700), xlua.formatTime(90000) })
   end)

   it('draws Torch7\'s progress bar: count in the middle, ETA then total time', function()
      local l = xlua.progress_line(5, 10, 80, 1, 0.2)
      -- as Torch7's xlua drew them at 80 columns (46 bar cells, the count
      -- written over the middle of the bar)
      assert.are.equal(' [==================== 5/10 ....................]  ETA: 1s | Step: 200ms', l)
      l = xlua.progress_line(6, 10, 80, 1, 0.2)
      assert.are.equal(' [==================== 6/10 >...................]  ETA: 800ms | Step: 200ms', l)
      l = xlua.progress_line(10, 10, 80, 2.5, 0.25)
      assert.are.equal(' [==================== 10/10 ==================>]  Tot: 2s500ms | Step: 250ms', l)
      assert.has_error(function() xlua.progress(1, 0) end, 'xlua.progress: expected (current, total) numbers with total > 0')
   end)

   it('prints tables in Torch7\'s xlua format', function()
      assert.are.equal('{[a] = 1,\n [b] = x}\n', capture(function() xlua.print({ b = 'x', a = 1 }) end))
      assert.are.equal('s    2\n', capture(function() xlua.print('s', 2) end))
      assert.are.equal('{1,"a",x={2}}', xlua.table2string({ 1, 'a', x = { 2 } }))
      assert.are.equal('{\n   k : 1\n}', xlua.table2string({ k = 1 }, true))
   end)

   it('parses options with OptionParser', function()
      local old = _G.arg
      _G.arg = { [0] = 'train.lua', '-s', 'res', '-v', 'pos', '--rate=0.5' }
      local op = xlua.OptionParser('%prog -s DIR [options]')
      op:option { '-s', '--save', action = 'store', dest = 'save', default = 'out', help = 'folder' }
      op:option { '-v', action = 'store_true', dest = 'v', help = 'verbose' }
      op:option { '-r', '--rate', action = 'store', dest = 'rate', help = 'rate' }
      op:option { '-n', action = 'store', dest = 'n', default = 3, help = 'count' }
      local o, a = op:parse()
      local help = capture(function() op:help() end)
      local summary = op:tostring(true)
      _G.arg = old
      assert.are.same({ 'res', true, '0.5', 3, true }, { o.save, o.v, o.rate, o.n, o.__main__ })
      assert.are.same({ 'pos' }, a)
      assert.are.equal('Usage: train.lua -s DIR [options]\n\nOptions:\n' ..
         '  -h, --help            show this help message and exit\n' ..
         '  -s SAVE, --save=SAVE  folder [default = out]\n' ..
         '  -v                    verbose\n' ..
         '  -r RATE, --rate=RATE  rate\n' ..
         '  -n N                  count [default = 3]\n', help)
      assert.are.equal('-s=res,-v=true,-r=0.5,-n=3', summary)
   end)

   it('times named events with Profiler', function()
      local p = xlua.Profiler()
      p:start('step')
      local r, c = p:lap('step')
      assert.is_true(r >= 0 and c >= 0)
      assert.matches('^%$ real | cpu: [%d.]+ | [%d.]+ <step>$', p:format('step'))
      assert.matches('^%$ profiler report:\n%$ real [%d.]+ | cpu [%d.]+ <step>$', p:formatAll())
      assert.has_error(function() p:lap('other') end, "xlua.Profiler:real: no event 'other' (call start('other') first)")
      assert.are.equal('', capture(function() xlua.Profiler('off'):printAll() end))
   end)

   it('unpacks named and positional arguments with defaults', function()
      local defs = { { arg = 'path', type = 'string', help = 'file', req = true },
                     { arg = 'mode', type = 'string', help = 'mode', default = 'tidy' } }
      local args, path, mode = xlua.unpack({ { path = 'a.csv' } }, 'f', 'desc', unpack(defs))
      assert.are.same({ 'a.csv', 'tidy' }, { path, mode })
      assert.are.equal('a.csv', args.path)
      args, path, mode = xlua.unpack({ 'b.csv', 'raw' }, 'f', 'desc', unpack(defs))
      assert.are.same({ 'b.csv', 'raw' }, { path, mode })
      local msg
      capture(function() msg = select(2, pcall(xlua.unpack, { { mode = 'x' } }, 'f', 'desc', unpack(defs))) end)
      assert.matches('<f> missing argument: path', msg, 1, true)
   end)

   it('reads parameters from the environment, requires quietly, splices tables', function()
      local p = xlua.envparams({ HOME = 'x', NNLUA_SPEC_UNSET = 2 })
      assert.are.same({ os.getenv('HOME'), 2 }, { p.HOME, p.NNLUA_SPEC_UNSET })
      local res
      local out = capture(function() res = xlua.require('nnlua_no_such_package') end)
      assert.is_false(res)
      assert.matches("warning: <nnlua_no_such_package> could not be loaded (is it installed?)", out, 1, true)
      assert.are.equal(require('sys'), xlua.require('sys'))
      assert.are.same({ { 1, 4 }, { 2, 3 } }, { table.splice({ 1, 2, 3, 4 }, 2, 2) })
      assert.are.same({ 1, 2, 3 }, table.prune({ 1, 2, 1, 3, 2 }))
      assert.are.equal(math.pi, string.tosymbol('math.pi'))
   end)
end)

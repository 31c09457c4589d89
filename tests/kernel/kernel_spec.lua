-- The Jupyter kernel driven by Debian's jupyter_client (a real client):
-- tests/kernel/client_check.py runs every exchange once against a kernel
-- installed in a private folder and prints what came back as JSON; the
-- cases below assert it.
local cjson = require 'cjson'
local J = dofile(NNLUA_ROOT .. '/tests/kernel/jupyter_env.lua')

describe('nnlua kernel (jupyter_client)', function()
   local env, res, raw, log

   local function cell(name)
      local c = res.cells[name]
      assert.is_table(c, 'no cell ' .. name)
      return c
   end
   -- the iopub messages of type t of a cell
   local function of_type(c, t)
      local out = {}
      for _, m in ipairs(c.iopub) do if m.type == t then out[#out + 1] = m.content end end
      return out
   end
   local function stdout(c)
      local s = {}
      for _, m in ipairs(of_type(c, 'stream')) do if m.name == 'stdout' then s[#s + 1] = m.text end end
      return table.concat(s)
   end
   local function result(c)
      local r = of_type(c, 'execute_result')
      assert.are.equal(1, #r)
      return r[1].data['text/plain']
   end

   lazy_setup(function()
      env = J.setup()
      raw = J.sh(env.prefix .. ' NNLUA_KERNEL_OUTPUT_LIMIT=10000 ' .. J.python .. ' '
         .. J.quote(NNLUA_ROOT .. '/tests/kernel/client_check.py') .. ' nnlua')
      local line = raw:match('(%{"[^\n]*)%s*$')
      local ok, v = pcall(cjson.decode, line or '')
      res = ok and v or nil
      -- what the kernel and Python wrote besides the JSON (the kernel's log)
      log = line and raw:sub(1, #raw - #line - 1) or raw:sub(1, 4000)
   end)
   lazy_teardown(function() J.teardown(env) end)

   it('installs the kernelspecs nnlua and itorch', function()
      assert.are.equal(0, env.install_rc)
      for name, display in pairs { nnlua = 'nnlua (Lua, Torch7)', itorch = 'iTorch (nnlua)' } do
         local ks = cjson.decode(J.read(env.kernels .. '/' .. name .. '/kernel.json'))
         assert.are.equal(display, ks.display_name)
         assert.are.equal('lua', ks.language)
         assert.are.equal('--kernel', ks.argv[2])
         assert.are.equal('{connection_file}', ks.argv[3])
         assert.truthy(ks.argv[1]:match('^/.*/nnlua$'), ks.argv[1])
      end
      local out, rc = J.sh(env.prefix .. ' jupyter kernelspec list')
      assert.are.equal(0, rc, out)
      assert.truthy(out:match('\n%s+nnlua%s+' .. env.kernels:gsub('%p', '%%%0') .. '/nnlua'), out)
      assert.truthy(out:match('\n%s+itorch%s+'), out)
   end)

   it('refuses a bad --install-kernel option with a message', function()
      local out, rc = J.sh(NNLUA_ROOT .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua --install-kernel --bogus')
      assert.are.equal(1, rc)
      assert.truthy(out:find("nnlua --install-kernel: unrecognized option '--bogus'", 1, true), out)
   end)

   it('ran the client script', function()
      assert.is_table(res, log)
   end)

   it('answers kernel_info', function()
      local ki = res.kernel_info
      assert.are.equal('ok', ki.status)
      assert.are.equal('5.3', ki.protocol_version)
      assert.are.equal('nnlua', ki.implementation)
      assert.are.equal('lua', ki.language_info.name)
      assert.are.equal('.lua', ki.language_info.file_extension)
   end)

   it('streams print, io.write and io.stderr', function()
      local c = cell('stream')
      assert.are.equal('ok', c.reply.status)
      assert.are.equal(1, c.reply.execution_count)
      local input = of_type(c, 'execute_input')[1]
      assert.are.equal(1, input.execution_count)
      assert.are.equal('hello\t42\na1\n', stdout(c))
      local err = of_type(c, 'stream')
      assert.are.same({ name = 'stderr', text = 'warn\n' }, err[#err])
   end)

   it('shows the last expression as execute_result, in Torch7\'s formats', function()
      assert.are.equal('42', result(cell('result')))
      assert.are.equal(2, of_type(cell('result'), 'execute_result')[1].execution_count)
      assert.are.equal(' 1\n 2\n 3\n[torch.DoubleTensor of size 3]\n', result(cell('tensor')))
      assert.are.equal('{\n  a : 1\n  b : "s"\n}', result(cell('table')))
      -- th's environment: sys and xlua as globals (the kernel's own FFI
      -- declarations do not take libc names from them)
      assert.are.equal('true', result(cell('sys_clock')))
      -- print as th's (recorded from th), and Lua's plain print after setprintlevel(0)
      local pt = stdout(cell('print_table'))
      local tree = '{\n  1 : 1\n  2 : "a"\n}\n'
      assert.are.equal(tree, pt:sub(1, #tree))
      assert.truthy(pt:sub(#tree + 1):match('^table: 0x%x+\n$'), pt)
      assert.are.equal(0, #of_type(cell('quiet'), 'execute_result'))
      assert.are.equal('ok', cell('quiet').reply.status)
   end)

   it('reports errors with a trimmed traceback, and the kernel goes on', function()
      local c = cell('error')
      assert.are.equal('error', c.reply.status)
      assert.are.equal('LuaError', c.reply.ename)
      assert.are.equal('cell[6]:2: boom', c.reply.evalue)
      assert.are.same({ 'cell[6]:2: boom', 'stack traceback:', '\tcell[6]:2: in main chunk' }, c.reply.traceback)
      assert.are.same(c.reply.traceback, of_type(c, 'error')[1].traceback)
      local s = cell('syntax')
      assert.are.equal('SyntaxError', s.reply.ename)
      assert.are.equal("cell[7]:1: unexpected symbol near '='", s.reply.evalue)
      -- a function defined in an earlier cell: both cells' frames
      assert.are.same({ 'cell[8]:2: inner', 'stack traceback:', "\tcell[8]:2: in function 'f'", '\tcell[9]:1: in main chunk' },
         cell('call_f').reply.traceback)
      -- a module's error names it and the sizes, at the user's line
      assert.are.same({ 'cell[10]:3: nn.Linear(3 -> 2): input has 5 elements, expected 3', 'stack traceback:',
         '\tcell[10]:3: in main chunk' }, cell('module_error').reply.traceback)
      -- state from before the errors is still there
      assert.are.equal('43', result(cell('after_error')))
   end)

   it('keeps a silent execution quiet and out of the count', function()
      local c = cell('silent')
      assert.are.equal('ok', c.reply.status)
      assert.are.same({}, c.iopub)
      assert.are.equal(11, c.reply.execution_count)
      assert.are.equal('5', result(cell('after_silent')))
      assert.are.equal(12, cell('after_silent').reply.execution_count)
      -- store_history = false: shown, but the count stays
      assert.are.equal('7', result(cell('nohistory')))
      assert.are.equal(12, cell('nohistory').reply.execution_count)
      assert.are.equal(13, cell('display').reply.execution_count)
   end)

   it('turns a display bundle into display_data (PNG in base64)', function()
      local d = of_type(cell('display'), 'display_data')
      assert.are.equal(1, #d)
      assert.are.equal('iVBORw0K', d[1].data['image/png'])   -- base64 of '\137PNG\r\n'
      assert.are.equal('a picture', d[1].data['text/plain'])
      assert.are.equal(3, d[1].metadata.width)
   end)

   it('bounds the output of a runaway loop and says how much it dropped', function()
      local c = cell('bounded')
      assert.are.equal('ok', c.reply.status)
      assert.are.equal(10000, #stdout(c))
      local last = of_type(c, 'stream')
      last = last[#last]
      assert.are.equal('stderr', last.name)
      -- 100000 lines of 100 bytes and 'still here\n', less the 10000 shown
      assert.truthy(last.text:find('; 9990011 bytes not shown]', 1, true), last.text)
      assert.are.equal('next cell\n', stdout(cell('after_bounded')))
   end)

   it('shows the REPL\'s help for ?name', function()
      assert.are.equal('torch.randn([res,] m [, n, k, ...])\n\nTensor of normally distributed numbers (mean 0, std 1).\n',
         stdout(cell('help')))
   end)

   it('gathers many lines into few messages and loses none', function()
      local c = cell('many_lines')
      local want = {}
      for i = 1, 2000 do want[i] = tostring(i) end   -- 8893 bytes: under the spec's limit
      assert.are.equal(table.concat(want, '\n') .. '\n', stdout(c))
      assert.is_true(#of_type(c, 'stream') < 20, #of_type(c, 'stream') .. ' messages')
      local d = of_type(cell('many_images'), 'display_data')
      assert.are.equal(1500, #d)
      assert.are.equal('p1500', d[1500].data['text/plain'])
   end)

   it('sends valid UTF-8 for any bytes printed', function()
      assert.are.equal('caf\195\169 \239\191\189\n', stdout(cell('utf8')))
   end)

   it('aborts requests queued behind a failed cell unless stop_on_error is false', function()
      assert.are.equal('stop', cell('stop_first').reply.evalue:match('stop$'))
      assert.are.same({ status = 'aborted' }, cell('stop_second').reply)
      assert.are.equal('true', result(cell('after_stop')))
      assert.are.equal('error', cell('nostop_first').reply.status)
      assert.are.equal('ok', cell('nostop_second').reply.status)
      assert.are.equal('ran', result(cell('after_nostop')))
   end)

   it('asks the frontend for io.read with input_request', function()
      assert.are.equal('input_request', res.input_request.type)
      assert.are.equal(false, res.input_request.content.password)
      assert.are.equal('got typed words\n', stdout(cell('input')))
      local c = cell('noinput')
      assert.are.equal('error', c.reply.status)
      assert.truthy(c.reply.evalue:find('io.read: this frontend does not accept input', 1, true))
   end)

   it('completes globals, fields and tensor methods', function()
      local c = res.complete
      assert.are.equal('ok', c.status)
      assert.are.same({ 'Tensor', 'TestSuite', 'Tester' }, c.matches)
      assert.are.equal(10, c.cursor_start)
      assert.are.equal(12, c.cursor_end)
      local m = res.complete_method
      assert.are.same({ 'resize', 'resizeAs' }, m.matches)
      assert.are.equal(3, m.cursor_start)
      assert.are.same({}, res.complete_global.matches)
   end)

   it('inspects with the REPL\'s help text, or the value', function()
      assert.is_true(res.inspect.found)
      assert.are.equal('torch.randn([res,] m [, n, k, ...])\n\nTensor of normally distributed numbers (mean 0, std 1).',
         res.inspect.data['text/plain'])
      assert.is_true(res.inspect_value.found)
      assert.are.equal('x: number\n42', res.inspect_value.data['text/plain'])
      assert.is_false(res.inspect_none.found)
   end)

   it('tells complete, incomplete and invalid code apart', function()
      local ic = res.is_complete
      assert.are.equal('incomplete', ic['for i = 1, 3 do'].status)
      assert.are.equal('incomplete', ic['f('].status)
      assert.are.equal('complete', ic['x = 1'].status)
      assert.are.equal('complete', ic['x + 1'].status)
      assert.are.equal('invalid', ic['x = = 1'].status)
   end)

   it('drops a message signed with another key, and garbage frames', function()
      assert.are.equal('untouched', result(cell('after_forged')))
      assert.truthy(log:find('dropped a message on shell: bad signature', 1, true), log)
      assert.truthy(log:find('dropped a message on shell: a frame is not a JSON object', 1, true), log)
      assert.truthy(log:find('dropped a message on shell: no <IDS|MSG> delimiter', 1, true), log)
   end)

   it('ignores an interrupt between cells', function()
      assert.are.equal('42', result(cell('after_idle_interrupt')))
   end)

   it('answers the heartbeat from its own thread while a cell runs', function()
      assert.are.equal('ping-nnlua', res.heartbeat_during_loop)
   end)

   it('stops `while true do end` on interrupt and keeps its state', function()
      local c = cell('interrupted')
      assert.are.equal('error', c.reply.status)
      assert.are.equal('Interrupted', c.reply.ename)
      assert.are.equal('42', result(cell('after_interrupt')))
      assert.are.equal(cell('interrupted').reply.execution_count + 2, cell('count').reply.execution_count)
   end)

   it('restarts as a new process with fresh state, shuts down, and exits without its parent', function()
      assert.is_true(res.restart_new_pid)
      assert.are.equal('true', result(cell('after_restart')))
      assert.are.equal(1, cell('after_restart').reply.execution_count)
      assert.is_false(res.alive_after_shutdown)
      assert.is_true(res.orphan_alive_before)
      assert.is_number(res.orphan_exit_s)
      assert.is_true(res.orphan_exit_s < 2)
   end)

   it('starts and answers an empty cell quickly', function()
      print(string.format('\n  kernel start (client to ready) %.2f s, empty cell round trip %.1f ms, restart %.2f s',
         res.start_s, res.empty_cell_s * 1000, res.restart_s))
      assert.is_true(res.start_s < 10)
      assert.is_true(res.empty_cell_s < 0.5)
   end)
end)

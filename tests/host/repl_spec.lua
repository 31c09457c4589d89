-- The REPL: its Lua core (evaluation, auto-print, completion, continuation,
-- help) and an end-to-end session in a real terminal (tmux).
local torch = require 'torch'
local repl = require 'nnlua.repl'

describe('repl core', function()
   it('evaluates expressions and =expr', function()
      local ok, res = repl.eval('1 + 1')
      assert.is_true(ok)
      assert.are.equal(2, res[1])
      ok, res = repl.eval('= 2 * 3, "x"')
      assert.are.same({ 6, 'x' }, { res[1], res[2] })
      assert.are.equal(2, res.n)
   end)

   it('runs statements and keeps globals', function()
      assert.is_true((repl.eval('repl_spec_x = torch.Tensor{4, 5}')))
      local ok, res = repl.eval('repl_spec_x[2]')
      assert.is_true(ok)
      assert.are.equal(5, res[1])
      repl_spec_x = nil
   end)

   it('reports errors with a trimmed traceback', function()
      local ok, msg = repl.eval('torch.Tensor(3):narrow(1, 3, 5)')
      assert.is_false(ok)
      assert.matches('^stdin:1: narrow: elements 3 to 7 are out of range', msg)
      assert.is_nil(msg:find('torch/core.lua', 1, true))
      ok, msg = repl.eval('x = = 1')
      assert.is_false(ok)
      assert.matches('unexpected symbol', msg)
   end)

   it('knows when a chunk is incomplete', function()
      assert.is_true(repl.incomplete('for i = 1, 3 do'))
      assert.is_true(repl.incomplete('x = {'))
      assert.is_false(repl.incomplete('x'))
      assert.is_false(repl.incomplete('for i = 1, 3 do end'))
      assert.is_false(repl.incomplete('x = = 1'))
   end)

   it('prints tensors with the tensor printer and tables as trees with cycles marked', function()
      local t = torch.Tensor { 1, 2 }
      assert.are.equal(tostring(t), repl.format_results({ n = 1, t }))
      local tbl = { a = 1, b = { c = 'x' } }
      tbl.b.self = tbl
      local s = repl.show(tbl)
      assert.matches('a : 1', s, 1, true)
      assert.matches('c : "x"', s, 1, true)
      assert.matches('<cycle:', s, 1, true)
      assert.are.equal('{...}', repl.show({ { { { 1 } } } }, 1):match('{%.%.%.}'))
   end)

   it('completes globals, fields and tensor methods', function()
      local c = repl.complete('torch.setdefaulttens')
      assert.are.same({ 'setdefaulttensortype' }, c)
      _G.repl_spec_t = torch.Tensor(2)
      c = repl.complete('repl_spec_t:nar')
      assert.are.same({ 'narrow' }, c)
      _G.repl_spec_t = nil
      c = repl.complete('torc')
      assert.is_truthy(#c >= 1 and c[1] == 'torch')
   end)

   it('completes inside nested fields and index brackets without calling anything', function()
      require 'nn'
      _G.repl_spec_m = nn.Sequential():add(nn.Linear(2, 2))
      local c, wl = repl.complete('repl_spec_m.modules[1].we')
      assert.are.same({ 'weight' }, c)
      assert.are.equal(2, wl)
      assert.are.same({ 'bias' }, (repl.complete('print(repl_spec_m.modules[1].bi')))
      assert.are.same({ 'updateGradInput' }, (repl.complete('x = repl_spec_m.modules[1]:updateGr')))
      local called = false
      _G.repl_spec_f = function() called = true return {} end
      repl.complete('repl_spec_f().x')
      assert.is_false(called)
      _G.repl_spec_m, _G.repl_spec_f = nil, nil
   end)

   it('shows help for known names', function()
      assert.matches('torch.randn%(%[res,%] m', repl.help('torch.randn'))
      assert.matches('no help for', repl.help('torch.nothing_here'))
   end)
end)

describe('repl in a terminal', function()
   local has_tmux = os.execute('command -v tmux >/dev/null 2>&1') == 0
   local exe = NNLUA_ROOT .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
   local session = 'nnlua_spec_' .. tostring(os.time()) .. tostring(math.random(1e6))

   local function sh(cmd)
      local p = io.popen(cmd .. ' 2>&1')
      local out = p:read('*a')
      p:close()
      return out
   end
   local function screen() return sh('tmux capture-pane -p -t ' .. session) end
   local function wait_for(pat)
      for _ = 1, 100 do
         local s = screen()
         if s:find(pat, 1, true) then return s end
         sh('sleep 0.1')
      end
      return screen()
   end

   it('edits, completes with Tab, auto-prints, recovers from errors and Ctrl-C', function()
      if not has_tmux then return pending('tmux is not installed') end
      sh(string.format("HOME=/tmp tmux new-session -d -s %s -x 120 -y 40 '%s'", session, exe))
      finally(function() sh('tmux kill-session -t ' .. session) end)
      wait_for('nnlua>')
      sh('tmux send-keys -t ' .. session .. " 'x = torch.Tensor{{1,2},{3,4}}' Enter")
      sh('tmux send-keys -t ' .. session .. " 'x:transp' Tab")
      local s = wait_for('x:transpose')
      assert.matches('x:transpose', s, 1, true)
      sh('tmux send-keys -t ' .. session .. " '(1,2)' Enter")
      s = wait_for('[torch.DoubleTensor of size 2x2]')
      assert.matches('[torch.DoubleTensor of size 2x2]', s, 1, true)
      sh('tmux send-keys -t ' .. session .. " 'x:narrow(1, 5, 1)' Enter")
      s = wait_for('out of range')
      assert.matches('stdin:1: narrow:', s, 1, true)
      sh('tmux send-keys -t ' .. session .. " 'while true do end' Enter")
      sh('sleep 0.3')
      sh('tmux send-keys -t ' .. session .. ' C-c')
      s = wait_for('interrupted')
      assert.matches('interrupted', s, 1, true)
      sh('tmux send-keys -t ' .. session .. " '= 40 + 2' Enter")
      s = wait_for('42')
      assert.matches('\n42', s, 1, true)
   end)

   it('keeps its state through Ctrl-C at a continuation prompt, writes history as it goes, runs $ cmd, leaves on exit', function()
      if not has_tmux then return pending('tmux is not installed') end
      local home = os.tmpname()
      os.remove(home)
      sh('mkdir -p ' .. home)
      finally(function() sh('tmux kill-session -t ' .. session .. '; rm -rf ' .. home) end)
      sh(string.format("HOME=%s tmux new-session -d -s %s -x 120 -y 40 '%s'", home, session, exe))
      wait_for('nnlua>')
      sh('tmux send-keys -t ' .. session .. " 'y = 7' Enter")
      -- Ctrl-C at the prompt with typed text: the text is dropped, a fresh
      -- prompt comes at once, and the next line runs
      sh('tmux send-keys -t ' .. session .. " 'abc'")
      sh('sleep 0.2')
      sh('tmux send-keys -t ' .. session .. ' C-c')
      sh('sleep 0.2')
      sh('tmux send-keys -t ' .. session .. " 'x2 = 99' Enter")
      sh('tmux send-keys -t ' .. session .. " '= x2 + y' Enter")
      wait_for('\n106')
      assert.matches('\n106', sh('tmux capture-pane -p -t ' .. session), 1, true)
      sh('tmux send-keys -t ' .. session .. " 'for i = 1, 2 do' Enter")
      wait_for('>>')
      sh('tmux send-keys -t ' .. session .. ' C-c')
      sh('sleep 0.3')
      -- readline returns at the next Enter; the interrupted statement is
      -- dropped there and the session goes on (it used to exit here)
      sh('tmux send-keys -t ' .. session .. ' Enter')
      wait_for('nnlua>')
      sh('tmux send-keys -t ' .. session .. " '= y * 6' Enter")
      local s = wait_for('\n42')
      assert.matches('\n42', s, 1, true)
      -- Ctrl-C while a large tensor prints: back at the prompt, state kept
      sh('tmux send-keys -t ' .. session .. " 'big = torch.zeros(3000, 3000)' Enter")
      -- (wait until it is made: on a loaded machine that takes a while)
      sh('tmux send-keys -t ' .. session .. " '= 12345 * 2' Enter")
      wait_for('\n24690')
      sh('tmux send-keys -t ' .. session .. " '= big' Enter")
      sh('sleep 0.5')
      sh('tmux send-keys -t ' .. session .. ' C-c')
      sh('sleep 0.5')
      sh('tmux send-keys -t ' .. session .. ' Enter')
      sh('tmux send-keys -t ' .. session .. " '= y + big:size(1)' Enter")
      s = wait_for('\n3007')
      assert.matches('\n3007', s, 1, true)
      sh('tmux send-keys -t ' .. session .. " '$ echo shell-$((6*7))' Enter")
      s = wait_for('shell-42')
      assert.matches('\nshell-42', s, 1, true)
      -- the history is on disk before the session ends
      local f = io.open(home .. '/.nnlua_history')
      local hist = f and f:read('*a') or ''
      if f then f:close() end
      assert.matches('y = 7', hist, 1, true)
      sh('tmux send-keys -t ' .. session .. " 'exit' Enter")
      local gone = false
      for _ = 1, 50 do
         if sh('tmux has-session -t ' .. session .. ' && echo alive'):find('alive') == nil then gone = true break end
         sh('sleep 0.1')
      end
      assert.is_true(gone)
   end)
end)

-- nnlua.kernel.handlers: what the kernel answers on its shell and control
-- channels (kernel_info, execute, complete, inspect, is_complete, history,
-- comm_info, interrupt, shutdown), and how a cell's output reaches iopub.
local zmq = require 'nnlua.kernel.zmq'
local protocol = require 'nnlua.kernel.protocol'
local crypto = require 'nnlua.kernel.crypto'
local evaluate = require 'nnlua.kernel.evaluate'
local kio = require 'nnlua.kernel.io'
local repl = require 'nnlua.repl'

local H = {}
local handlers = {}
local EMPTY = protocol.empty_array

local count = 0         -- execution_count
local current           -- the execute_request being run (parent of iopub output)

-- MIME types whose bundle data are bytes (base64 in JSON)
local binary = { ['image/png'] = true, ['image/jpeg'] = true, ['image/gif'] = true }

function H.setup(k)
   local session = k.session
   function k.publish(msg_type, content, parent)
      -- buffered stream text goes first: the notebook shows output in order
      if msg_type ~= 'stream' and k.io then k.io.flush() end
      local m = session:msg(msg_type, content, parent or current)
      local ok, err = zmq.send(k.iopub, session:serialize(m))
      if not ok then k.log('cannot publish %s: %s', msg_type, err) end
   end
   function k.reply(sock, req, msg_type, content)
      local m = session:msg(msg_type, content, req)
      local ok, err = zmq.send(sock, session:serialize(m, req.identities))
      if not ok then k.log('cannot send %s: %s', msg_type, err) end
   end
   -- input_request on the stdin channel, to the client of the running cell
   local function ask(prompt, password)
      local req = current
      if not req or req.content.allow_stdin ~= true then
         error('io.read: this frontend does not accept input (the request said allow_stdin = false)', 0)
      end
      k.io.flush()
      local m = session:msg('input_request', { prompt = prompt or '', password = password or false }, req)
      zmq.send(k.stdin, session:serialize(m, req.identities))
      while true do
         local ready = zmq.poll({ k.stdin }, 1000)
         if ready and ready[1] then
            local parts = zmq.recv(k.stdin, zmq.DONTWAIT)
            local msg, why = parts and session:deserialize(parts)
            if not msg then
               k.log('dropped a message on stdin: %s', tostring(why))
            elseif msg.header.msg_type == 'input_reply' then
               local v = msg.content.value
               return type(v) == 'string' and v or ''
            end
         end
      end
   end
   k.io = kio.install(function(name, text)
      k.publish('stream', { name = name, text = protocol.utf8(text) })
   end, ask, { limit = tonumber(os.getenv('NNLUA_KERNEL_OUTPUT_LIMIT')) })
   require('nnlua.display').set_sink(function(bundle, metadata)
      local data = {}
      for mime, v in pairs(bundle) do
         if type(v) == 'string' then
            data[mime] = binary[mime] and crypto.base64(v) or protocol.utf8(v)
         end
      end
      k.publish('display_data', { data = data, metadata = metadata or {}, transient = {} })
   end)
   -- as in iTorch, `itorch` is a global in every notebook, required or not
   local ok, it = pcall(require, 'itorch')
   if ok and rawget(_G, 'itorch') == nil then rawset(_G, 'itorch', it) end
   if not ok then k.log('cannot load itorch: %s', tostring(it)) end
end

-- One message from sock, or nil (a malformed or wrongly signed message is
-- dropped with a log line).
local function receive(k, sock, channel)
   local parts, errno = zmq.recv(sock, zmq.DONTWAIT)
   if not parts then
      if errno ~= zmq.EINTR then k.log('cannot read the %s channel (errno %d)', channel, errno) end
      return nil
   end
   local msg, why = k.session:deserialize(parts)
   if not msg then k.log('dropped a message on %s: %s', channel, why) end
   return msg
end

-- Answers one message, between busy and idle statuses; a failing handler
-- is logged: nothing here stops the kernel. `abort`: an execute_request is
-- answered 'aborted' without running.
local function handle(k, sock, channel, msg, abort)
   local t = msg.header.msg_type
   local h = handlers[t]
   if abort and t == 'execute_request' then
      h = function() k.reply(sock, msg, 'execute_reply', { status = 'aborted' }) end
   end
   if not h then
      k.log('ignored %s on %s', t, channel)
      return
   end
   k.publish('status', { execution_state = 'busy' }, msg)
   local ok, err = pcall(h, k, sock, msg)
   if not ok then k.log('%s failed: %s', t, tostring(err)) end
   current = nil
   k.publish('status', { execution_state = 'idle' }, msg)
end

-- Receives one message on sock and answers it. After a cell that failed
-- (with stop_on_error), the execute requests that were queued behind it
-- when it failed (k.queued) are aborted, as "Run All" in a notebook
-- expects: later cells do not run on a state the failed one left half
-- made. Requests sent after its reply are not touched.
function H.dispatch(k, sock, channel)
   local msg = receive(k, sock, channel)
   if not msg then return end
   handle(k, sock, channel, msg)
   local queued = k.queued
   k.queued = nil
   for _, m in ipairs(queued or {}) do handle(k, sock, channel, m, true) end
end

-- The messages waiting on sock now.
local function drain(k, sock, channel)
   local list = {}
   while true do
      local ready = zmq.poll({ sock }, 0)
      if not (ready and ready[1]) then return list end
      list[#list + 1] = receive(k, sock, channel)
   end
end

function handlers.kernel_info_request(k, sock, req)
   k.reply(sock, req, 'kernel_info_reply', {
      status = 'ok',
      protocol_version = protocol.version,
      implementation = 'nnlua',
      implementation_version = '0.1',
      language_info = {
         name = 'lua', version = '5.1', mimetype = 'text/x-lua', file_extension = '.lua',
         pygments_lexer = 'lua', codemirror_mode = 'lua',
      },
      banner = 'nnlua: Torch7-style deep learning on LuaJIT (' .. jit.version .. ')',
      help_links = EMPTY,
   })
end

-- The message handler of a cell: the message and the user's frames of
-- the traceback (the kernel's own, nnlua's packages' and C frames
-- dropped). A module that failed in user code left the traceback taken
-- where it failed (nn.utils.failureTraceback): that one is used.
local function traceback(e)
   local msg
   if type(e) == 'string' then msg = e
   else
      local mt = getmetatable(e)
      msg = (mt and mt.__tostring) and tostring(e) or ('(error object is a ' .. type(e) .. ' value)')
   end
   local where = debug.getregistry()['nnlua.traceback']
   local tb = type(e) == 'string' and where and where(e) or debug.traceback('', 2)
   local lib = require('torch')._core.libroot
   local frames = {}
   for line in tb:gmatch('[^\n]+') do
      if line:sub(1, 1) == '\t' and not line:find('nnlua/kernel/', 1, true) and not line:find('%[C%]')
         and not line:find('(tail call)', 1, true) and not (lib and line:find(lib, 1, true)) and #frames < 20 then
         frames[#frames + 1] = line
      end
   end
   return { message = msg, frames = frames }
end

local function error_content(err, syntax)
   local e = type(err) == 'table' and err or { message = tostring(err), frames = {} }
   local ename = syntax and 'SyntaxError' or (e.message:match('interrupted!$') and 'Interrupted') or 'LuaError'
   local lines = { protocol.utf8(e.message) }
   if #e.frames > 0 then
      lines[2] = 'stack traceback:'
      for _, fr in ipairs(e.frames) do lines[#lines + 1] = protocol.utf8(fr) end
   end
   return { status = 'error', ename = ename, evalue = protocol.utf8(e.message), traceback = lines }
end

-- Runs a cell with interrupts armed and a count hook that sends buffered
-- output while the cell computes (hooks run in interpreted code only: the
-- cell's own, not JIT-compiled library loops, which keep their speed; an
-- interrupt replaces the hook); returns ok, values-or-error, syntax.
local function run_cell(k, code, name)
   k.arm()
   local tick = k.io.tick
   debug.sethook(function() pcall(tick) end, '', 1000)
   local ok, a, b, c = pcall(evaluate.run, code, traceback, name)
   k.disarm()
   if not ok then return false, traceback(a) end   -- an interrupt that landed outside the cell
   return a, b, c
end

function handlers.execute_request(k, sock, req)
   local c = req.content
   local code = type(c.code) == 'string' and c.code or ''
   local silent = c.silent == true
   local store = not silent and c.store_history ~= false
   local n = store and count + 1 or count
   current = req
   if not silent then k.publish('execute_input', { code = code, execution_count = n }) end
   k.io.begin_cell()
   local ok, res, syntax
   local topic = code:match('^%s*%?%s*([%w_%.:]+)%s*$')
   if topic then
      -- `?name`: the REPL's help text
      ok, res = true, { n = 0 }
      print(repl.help((topic:gsub(':', '.'))))
   else
      ok, res, syntax = run_cell(k, code, '=cell[' .. n .. ']')
   end
   local reply
   if ok and res.n > 0 and not silent then
      local okf, text = pcall(evaluate.format, res)
      if okf then
         k.publish('execute_result', { execution_count = n, data = { ['text/plain'] = protocol.utf8(text) },
                                      metadata = {} })
      else
         ok, res = false, { message = 'cannot print the result: ' .. tostring(text), frames = {} }
      end
   end
   local dropped = k.io.end_cell()
   if dropped > 0 then
      k.publish('stream', { name = 'stderr', text = string.format(
         '\n[nnlua kernel: output limit of %d bytes per cell reached; %d bytes not shown]\n', k.io.limit, dropped) })
   end
   if ok then
      reply = { status = 'ok', execution_count = n, payload = EMPTY, user_expressions = {} }
      if type(c.user_expressions) == 'table' then
         for name, expr in pairs(c.user_expressions) do
            local f = type(expr) == 'string' and loadstring('return ' .. expr)
            local okv, v = pcall(f or error, 'not an expression')
            reply.user_expressions[name] = okv and
               { status = 'ok', data = { ['text/plain'] = protocol.utf8(repl.show(v)) }, metadata = {} } or
               error_content({ message = tostring(v), frames = {} })
         end
      end
   else
      reply = error_content(res, syntax)
      k.publish('error', { ename = reply.ename, evalue = reply.evalue, traceback = reply.traceback })
      reply.execution_count = n
      -- before the reply: what the client sends after it is not aborted
      if c.stop_on_error ~= false and not silent then k.queued = drain(k, sock, 'shell') end
   end
   count = n
   current = nil
   k.reply(sock, req, 'execute_reply', reply)
end

-- The text before the cursor (the protocol counts code points).
local function before_cursor(code, pos)
   if type(pos) ~= 'number' then return code end
   return code:sub(1, protocol.byte_offset(code, pos))
end

function handlers.complete_request(k, sock, req)
   local code = type(req.content.code) == 'string' and req.content.code or ''
   local pos = type(req.content.cursor_pos) == 'number' and req.content.cursor_pos or protocol.char_count(code)
   local line = before_cursor(code, pos):match('[^\n]*$')
   local ok, matches, wl = pcall(repl.complete, line)
   if not ok then matches, wl = {}, 0 end
   local start = pos - protocol.char_count(line:sub(#line - wl + 1))
   k.reply(sock, req, 'complete_reply', {
      status = 'ok', matches = #matches > 0 and matches or EMPTY,
      cursor_start = start, cursor_end = pos, metadata = {},
   })
end

function handlers.inspect_request(k, sock, req)
   local code = type(req.content.code) == 'string' and req.content.code or ''
   local pos = type(req.content.cursor_pos) == 'number' and req.content.cursor_pos or protocol.char_count(code)
   local left = before_cursor(code, pos)
   local right = code:sub(#left + 1)
   local name = (left:match('[%w_%.:]*$') or '') .. (right:match('^[%w_]*') or '')
   if name == '' then name = left:match('([%w_%.:]+)%s*%([^()]*$') or '' end
   name = name:gsub(':', '.'):gsub('^%.+', ''):gsub('%.+$', '')
   local text
   if name ~= '' then
      local okh, help = pcall(repl.help, name)
      if okh and not help:match('^no help for') then
         text = help
      else
         local f = loadstring('return ' .. name)
         local okv, v = pcall(f or error)
         if okv and v ~= nil then
            local s = repl.show(v)
            if #s > 4000 then s = s:sub(1, 4000) .. '\n...' end
            text = name .. ': ' .. (require('torch').typename(v) or type(v)) .. '\n' .. s
         end
      end
   end
   k.reply(sock, req, 'inspect_reply', {
      status = 'ok', found = text ~= nil,
      data = text and { ['text/plain'] = protocol.utf8(text) } or {}, metadata = {},
   })
end

function handlers.is_complete_request(k, sock, req)
   local code = type(req.content.code) == 'string' and req.content.code or ''
   local status
   if loadstring(code) or loadstring('return ' .. code:gsub('^%s*=', '')) then status = 'complete'
   elseif repl.incomplete(code) then status = 'incomplete'
   else status = 'invalid' end
   k.reply(sock, req, 'is_complete_reply', status == 'incomplete' and { status = status, indent = '' }
      or { status = status })
end

function handlers.history_request(k, sock, req)
   k.reply(sock, req, 'history_reply', { status = 'ok', history = EMPTY })
end

function handlers.comm_info_request(k, sock, req)
   k.reply(sock, req, 'comm_info_reply', { status = 'ok', comms = {} })
end

-- With interrupt_mode 'message' a frontend asks here; nothing runs while
-- this loop reads messages, so there is nothing to stop.
function handlers.interrupt_request(k, sock, req)
   k.reply(sock, req, 'interrupt_reply', { status = 'ok' })
end

function handlers.shutdown_request(k, sock, req)
   k.reply(sock, req, 'shutdown_reply', { status = 'ok', restart = req.content.restart == true })
   k.running = false
end

return H

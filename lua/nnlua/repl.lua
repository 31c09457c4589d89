-- nnlua.repl: the interactive loop of `nnlua` (th's experience): line
-- editing and persistent history through readline (FFI), multi-line input,
-- auto-printing of expressions (tensors with Torch7's format, tables as a
-- depth-limited tree), tab completion, `?name` help, errors with a short
-- traceback, Ctrl-C back to the prompt, Ctrl-D to exit.
-- The evaluation core (eval, complete, incomplete, show) is plain Lua and
-- has specs; `run` adds the terminal.
local ffi = require 'ffi'
local jit = require 'jit'
local torch = require 'torch'

local repl = {}

-- Printing and evaluation -------------------------------------------------------
-- Values print as th's print does (nnlua.pretty); chunks compile through
-- nnlua.eval, which the notebook kernel shares.
local pretty = require 'nnlua.pretty'
local evaluator = require 'nnlua.eval'

local function is_identifier(k) return type(k) == 'string' and k:match('^[%a_][%w_]*$') end

-- One value as the REPL prints it (a table as a tree, `depth` levels).
function repl.show(v, depth)
   return pretty.value(v, depth)
end

-- True when the chunk is syntactically incomplete (more lines would help).
repl.incomplete = evaluator.incomplete

local function short_traceback(err)
   -- a module failure in user code: the traceback taken where it failed
   local where = debug.getregistry()['nnlua.traceback']
   local tb = where and where(err) or debug.traceback(tostring(err), 3)
   local out = {}
   local lib = torch._core.libroot
   for line in tb:gmatch('[^\n]+') do
      if lib and line:sub(1, 1) == '\t' and line:find(lib, 1, true) then line = '' end
      if line == '' then goto continue end
      -- keep the message and the user's frames; drop the REPL's own and C frames
      if not line:match('nnlua/repl%.lua') and not line:match('nnlua/eval%.lua') and not line:match('%[C%]')
         and not line:match('xpcall') then
         out[#out + 1] = line
      end
      ::continue::
   end
   if #out == 2 and out[2]:match('stack traceback') then out[2] = nil end
   return table.concat(out, '\n')
end

-- Compiles and runs a chunk; `=expr`, bare expressions and a chunk ending
-- in one return values (a trailing `;` keeps them from printing).
-- Returns ok, {n=, values...} or false, message.
function repl.eval(chunk)
   local f, err = evaluator.compile(chunk, '=stdin')
   if not f then return false, err end
   -- interpreted, so that Ctrl-C's hook can stop a loop typed here (hooks
   -- do not run inside compiled traces); heavy work runs in C anyway
   jit.off(f, true)
   local function finish(ok, ...)
      if not ok then return false, (...) end
      return true, { n = select('#', ...), ... }
   end
   return finish(xpcall(f, short_traceback))
end

-- Text shown for results: what print(values...) writes, without its last
-- newline.
function repl.format_results(values)
   return (pretty.format(unpack(values, 1, values.n or #values)):gsub('\n$', ''))
end

-- Completion -------------------------------------------------------------------

local function method_names(v, acc)
   acc = acc or {}
   if torch.isTensor(v) then
      local cls = torch._core.class_of(v)
      for k in pairs(torch._core.TensorBase) do acc[k] = true end
      for k in pairs(cls) do acc[k] = true end
   elseif torch.isStorage(v) then
      for k in pairs(torch._core.StorageBase) do acc[k] = true end
   elseif type(v) == 'table' then
      local seen = {}
      local t = v
      while type(t) == 'table' and not seen[t] do
         seen[t] = true
         for k in pairs(t) do if type(k) == 'string' then acc[k] = true end end
         local mt = getmetatable(t)
         t = mt and rawget(mt, '__index')
      end
   end
   return acc
end

-- Candidates for the word before the cursor: globals, fields after '.',
-- methods after ':', file names inside a string.
function repl.complete(line)
   local str = line:match('[\'"]([^\'"]*)$')
   if str and select(2, line:gsub('[\'"]', '')) % 2 == 1 then
      local dir, base = str:match('^(.*/)([^/]*)$')
      dir, base = dir or '', base or str
      local out = {}
      local p = io.popen('ls -1a ' .. (dir == '' and '.' or ("'" .. dir:gsub("'", "") .. "'")) .. ' 2>/dev/null')
      if p then
         for name in p:lines() do
            if name:sub(1, #base) == base and name ~= '.' and name ~= '..' then out[#out + 1] = dir .. name end
         end
         p:close()
      end
      table.sort(out)
      return out, #str
   end
   -- the expression before the cursor: names, fields, methods and index
   -- brackets (m.modules[1].we, t['key'].x); no calls, so completing
   -- never runs user code
   local i = #line
   while i > 0 do
      local ch = line:sub(i, i)
      if ch:match('[%w_%.:]') then
         i = i - 1
      elseif ch == ']' then
         local depth, j = 0, i
         while j > 0 do
            local cj = line:sub(j, j)
            if cj == ']' then depth = depth + 1 elseif cj == '[' then depth = depth - 1 end
            if depth == 0 then break end
            j = j - 1
         end
         if j == 0 or line:sub(j, i):find('[()]') then break end
         i = j - 1
      else
         break
      end
   end
   local expr = line:sub(i + 1)
   if expr:match('^[%.:%[]') then expr = expr:gsub('^[%.:%[]+', '') end
   local prefix, sep, word = expr:match('^(.-)([%.:])([%w_]*)$')
   local names = {}
   if sep then
      local ok, obj = pcall(function()
         local f = loadstring('return ' .. prefix)
         return f and f()
      end)
      if not ok or obj == nil then return {}, #word end
      method_names(obj, names)
   else
      word = expr
      for k in pairs(_G) do if type(k) == 'string' then names[k] = true end end
      for _, kw in ipairs { 'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function',
         'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while' } do
         names[kw] = true
      end
   end
   local out = {}
   for k in pairs(names) do
      if is_identifier(k) and k:sub(1, #word) == word and not (sep and k:match('^__')) then out[#out + 1] = k end
   end
   table.sort(out)
   return out, #word
end

-- Help -----------------------------------------------------------------------

function repl.help(name)
   local docs = require 'nnlua.docs'
   local f = loadstring('return ' .. name)
   local ok, obj = pcall(f or function() end)
   local d = docs.lookup(name, ok and obj or nil)
   if not d then return 'no help for ' .. name end
   return d.usage .. '\n\n' .. d.doc
end
_G.help = function(x)
   local docs = require 'nnlua.docs'
   local d = docs.lookup(type(x) == 'string' and x or nil, x)
   print(d and (d.usage .. '\n\n' .. d.doc) or ('no help for ' .. tostring(x)))
end

-- The terminal loop ----------------------------------------------------------------

local rl
local function load_readline()
   if rl ~= nil then return rl end
   rl = false
   local ok = pcall(ffi.cdef, [[
      char *readline(const char *prompt);
      void add_history(const char *line);
      int read_history(const char *file);
      int write_history(const char *file);
      int history_truncate_file(const char *file, int lines);
      int append_history(int n, const char *file);
      void free(void *p);
      typedef char **(*nl_rl_completion_fn)(const char *text, int start, int end);
      typedef char *(*nl_rl_generator_fn)(const char *text, int state);
      char **rl_completion_matches(const char *text, nl_rl_generator_fn gen);
      extern nl_rl_completion_fn rl_attempted_completion_function;
      extern int rl_attempted_completion_over;
      extern const char *rl_basic_word_break_characters;
      extern char *rl_line_buffer;
      extern int rl_completion_append_character;
      char *strdup(const char *s);
   ]])
   if not ok then return false end
   -- the callback interface (Ctrl-C at the prompt drops the typed text)
   pcall(ffi.cdef, [[
      typedef void (*nl_rl_vcpfunc_t)(char *line);
      void rl_callback_handler_install(const char *prompt, nl_rl_vcpfunc_t handler);
      void rl_callback_read_char(void);
      void rl_callback_handler_remove(void);
      void rl_callback_sigcleanup(void);
      void rl_free_line_state(void);
      int rl_replace_line(const char *text, int clear_undo);
      extern int rl_catch_signals;
      struct nl_pollfd { int fd; short events; short revents; };
      int nl_repl_poll(struct nl_pollfd *fds, unsigned long nfds, int timeout) __asm__("poll");
   ]])
   for _, name in ipairs { 'readline.so.8', 'readline' } do
      local ok2, lib = pcall(ffi.load, name)
      if ok2 then rl = lib break end
   end
   return rl
end

function repl.run()
   jit.off(repl.run)
   local home = os.getenv('HOME') or '.'
   local histfile = home .. '/.nnlua_history'
   local lib = load_readline()
   local timing = os.getenv('NNLUA_TIME') ~= nil
   local write = io.write
   if lib then
      lib.read_history(histfile)
      local matches
      local gen = ffi.cast('nl_rl_generator_fn', function(text, state)
         if state == 0 then
            local line = ffi.string(lib.rl_line_buffer)
            local cands, wl = repl.complete(line)
            matches = {}
            local typed = ffi.string(text)
            for _, c in ipairs(cands) do
               -- readline replaces the word it split; rebuild it from ours
               matches[#matches + 1] = typed:sub(1, #typed - wl) .. c
            end
         end
         local m = matches[state + 1]
         if not m then return nil end
         return ffi.C.strdup(m)
      end)
      lib.rl_basic_word_break_characters = " \t\n\"\\'><=;:+-*/%^~#{}()[].,"
      lib.rl_attempted_completion_function = ffi.cast('nl_rl_completion_fn', function(text, start, stop)
         lib.rl_attempted_completion_over = 1
         lib.rl_completion_append_character = 0
         return lib.rl_completion_matches(text, gen)
      end)
   end
   -- readline through its callback interface: returns the line, nil at
   -- end of input, or false when Ctrl-C dropped what was typed
   local cb_line, cb_done
   local handler = lib and _nnlua_sigint_read and pcall(function() return lib.rl_callback_read_char end)
      and ffi.cast('nl_rl_vcpfunc_t', function(p)
         cb_done = true
         if p == nil then cb_line = nil else cb_line = ffi.string(p) ffi.C.free(p) end
         lib.rl_callback_handler_remove()
      end)
   local pfd = ffi.new('struct nl_pollfd[1]')
   pfd[0].fd, pfd[0].events = 0, 1
   local function readline_cb(prompt)
      lib.rl_catch_signals = 0
      _nnlua_sigint_read()
      cb_line, cb_done = nil, false
      lib.rl_callback_handler_install(prompt, handler)
      while not cb_done do
         local r = ffi.C.nl_repl_poll(pfd, 1, -1)
         if _nnlua_read_interrupted() then
            lib.rl_free_line_state()
            pcall(function() lib.rl_callback_sigcleanup() end)
            lib.rl_replace_line('', 0)
            lib.rl_callback_handler_remove()
            write('\n')
            return false
         end
         if r > 0 then lib.rl_callback_read_char() end
      end
      return cb_line
   end
   local function readline(prompt)
      if handler then return readline_cb(prompt) end
      if lib then
         local p = lib.readline(prompt)
         if p == nil then return nil end
         local s = ffi.string(p)
         ffi.C.free(p)
         return s
      end
      write(prompt)
      io.stdout:flush()
      return io.read('*l')
   end
   print('nnlua: Torch7-style deep learning on LuaJIT. ?name or help(obj) for help, $ cmd for the shell, Ctrl-D or exit to quit.')
   while true do
      if _nnlua_arm_sigint then _nnlua_arm_sigint() end
      local ok, line = pcall(readline, 'nnlua> ')
      if not ok then write('\n') line = '' end
      if line == false then line = '' end   -- Ctrl-C: a fresh prompt
      if line == nil then write('\n') break end
      local chunk = line
      while repl.incomplete(chunk) do
         -- Ctrl-C at a continuation prompt drops the statement, keeps the session
         local okm, more = pcall(readline, '    >> ')
         if not okm then write('\n') chunk = '' break end
         if more == false then chunk = '' break end
         if more == nil then break end
         chunk = chunk .. '\n' .. more
      end
      if chunk:match('^%s*exit%s*$') or chunk:match('^%s*quit%s*$') then break end
      if chunk:match('%S') then
         if lib then
            -- appended as it is entered: a crash or a kill loses nothing
            lib.add_history(chunk)
            if lib.append_history(1, histfile) ~= 0 then lib.write_history(histfile) end
         end
         if chunk:match('^%s*%$') then
            os.execute((chunk:match('^%s*%$%s*(.-)%s*$')))   -- `$ ls`: a shell command, as trepl had
         elseif chunk:match('^%s*:time%s*$') then
            timing = not timing
            print('timing ' .. (timing and 'on' or 'off'))
         elseif chunk:match('^%s*%?') then
            print(repl.help(chunk:match('^%s*%?%s*(.-)%s*$')))
         else
            if _nnlua_arm_sigint then _nnlua_arm_sigint() end
            local t0 = os.clock()
            local okc, ok2, res = pcall(repl.eval, chunk)
            if not okc then print(tostring(ok2))
            elseif ok2 then
               -- printing a large tensor can be interrupted too: protected
               if res.n > 0 then
                  local okp, perr = pcall(function() write(pretty.format(unpack(res, 1, res.n))) end)
                  if not okp then write('\n') print(tostring(perr)) end
               end
            else
               print(res)
            end
            if timing then print(string.format('(%.3f s)', os.clock() - t0)) end
         end
      end
   end
   if lib then lib.history_truncate_file(histfile, 1000) end
end

return repl

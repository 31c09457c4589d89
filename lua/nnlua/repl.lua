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

-- Printing -------------------------------------------------------------------

local function is_identifier(k) return type(k) == 'string' and k:match('^[%a_][%w_]*$') end

local function key_str(k)
   if is_identifier(k) then return k end
   if type(k) == 'string' then return string.format('[%q]', k) end
   return '[' .. tostring(k) .. ']'
end

-- A readable tree of a value, at most `depth` levels, cycles marked.
function repl.show(v, depth, indent, seen)
   depth, indent, seen = depth or 3, indent or '', seen or {}
   local tv = type(v)
   if tv == 'string' then return string.format('%q', v) end
   if tv ~= 'table' then
      if torch.isTensor(v) or torch.isStorage(v) then
         local s = tostring(v)
         return indent == '' and s or (torch.typename(v) .. ' - size: ' .. (torch.isTensor(v) and
            (v:dim() > 0 and table.concat(v:size():totable(), 'x') or 'empty') or tostring(#v)))
      end
      return tostring(v)
   end
   local mt = getmetatable(v)
   if mt and rawget(mt, '__tostring') and torch.typename(v) and v.__tostring__ then
      return tostring(v)
   end
   if seen[v] then return '<cycle: ' .. tostring(v) .. '>' end
   if depth <= 0 then return '{...}' end
   seen[v] = true
   local keys = {}
   for k in pairs(v) do keys[#keys + 1] = k end
   if #keys == 0 then seen[v] = nil return '{}' end
   table.sort(keys, function(a, b)
      local ta, tb = type(a), type(b)
      if ta ~= tb then return ta < tb end
      if ta == 'number' or ta == 'string' then return a < b end
      return tostring(a) < tostring(b)
   end)
   local lines = { '{' }
   local inner = indent .. '  '
   for i, k in ipairs(keys) do
      if i > 50 then lines[#lines + 1] = inner .. '... (' .. (#keys - 50) .. ' more)' break end
      lines[#lines + 1] = inner .. key_str(k) .. ' : ' .. repl.show(v[k], depth - 1, inner, seen)
   end
   lines[#lines + 1] = indent .. '}'
   seen[v] = nil
   return table.concat(lines, '\n')
end

-- Evaluation -------------------------------------------------------------------

-- True when the chunk is syntactically incomplete (more lines would help).
function repl.incomplete(chunk)
   if loadstring('return ' .. chunk:gsub('^%s*=', ''), '=stdin') then return false end
   local f, err = loadstring(chunk, '=stdin')
   if f then return false end
   return err:match("'<eof>'$") ~= nil or err:match('<eof>$') ~= nil
end

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
      if not line:match('nnlua/repl%.lua') and not line:match('%[C%]') and not line:match('xpcall') then
         out[#out + 1] = line
      end
      ::continue::
   end
   if #out == 2 and out[2]:match('stack traceback') then out[2] = nil end
   return table.concat(out, '\n')
end

-- Compiles and runs a chunk; `=expr` and bare expressions return values.
-- Returns ok, {values...} or false, message.
function repl.eval(chunk)
   local src = chunk:gsub('^%s*=', '')
   -- pack(...) keeps the expression's calls inside this chunk's frame (a
   -- bare `return f()` would be a tail call and errors would lose the line)
   local f = loadstring('return __nnlua_pack(' .. src .. '\n)', '=stdin')
   if not f then
      local err
      f, err = loadstring(src, '=stdin')
      if not f then return false, err end
   end
   _G.__nnlua_pack = function(...) return ... end
   -- interpreted, so that Ctrl-C's hook can stop a loop typed here (hooks
   -- do not run inside compiled traces); heavy work runs in C anyway
   jit.off(f, true)
   local res = { xpcall(f, short_traceback) }
   if not res[1] then return false, res[2] end
   return true, { n = select('#', unpack(res)) - 1, unpack(res, 2, select('#', unpack(res))) }
end

-- Text shown for results (one line per value).
function repl.format_results(values)
   local parts = {}
   for i = 1, values.n or #values do parts[#parts + 1] = repl.show(values[i]) end
   return table.concat(parts, '\n')
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
   local expr = line:match('([%w_%.:]*)$') or ''
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
   local function readline(prompt)
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
      if line == nil then write('\n') break end
      local chunk = line
      while repl.incomplete(chunk) do
         -- Ctrl-C at a continuation prompt drops the statement, keeps the session
         local okm, more = pcall(readline, '    >> ')
         if not okm then write('\n') chunk = '' break end
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
                  local okp, perr = pcall(function() print(repl.format_results(res)) end)
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

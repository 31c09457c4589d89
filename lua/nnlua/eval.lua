-- nnlua.eval: compiles a chunk of code typed at the REPL or in a notebook
-- cell so that, when it ends in a bare expression, running it returns that
-- expression's values (th's auto-print, for chunks of several statements).
--
--   local eval = require 'nnlua.eval'
--   f, err = eval.compile(src [, chunkname])
--      f: a function; calling it runs the chunk and returns the values of its
--         last statement when that is an expression (`x`, `a, b`, `f(x)`,
--         `t:size(1)`; a leading `=` as in `= x` is allowed), nothing when
--         it is not (`x = 1`, `for ... end`) or when the chunk ends in `;`
--         (th's way to keep a value from being printed). An explicit
--         `return ...` returns its values as usual.
--      nil, message: a syntax error (Lua's message, for `chunkname`).
--   ok, values = eval.run(src [, chunkname [, handler]])
--      compiles and runs under xpcall(handler or debug.traceback); values
--      is { n = count, ... }; on failure ok is false and values the message.
--   eval.incomplete(src) -> true when the chunk only lacks more lines
--      (an unfinished `for`, table or string), for continuation prompts.
--
-- Line numbers in errors are the chunk's own: the `return` is inserted at
-- the start of the last statement, on its line. The last statement is found
-- by splitting at line breaks and `;` from the end: the split is used when
-- the part before it compiles alone and the rest compiles as an expression
-- list (and, when the whole chunk compiles as it is, also as a statement, so
-- that `x = 1\n-1` keeps meaning `x = 0`).
local eval = {}

local loadstring = loadstring

-- Candidate split points from the end: positions of '\n' and ';' (at most
-- `limit`, so a long cell costs a bounded number of compiles).
local function split_points(src, limit)
   local pts = {}
   for i = #src, 1, -1 do
      local c = src:byte(i)
      if c == 10 or c == 59 then
         pts[#pts + 1] = i
         if #pts >= limit then break end
      end
   end
   pts[#pts + 1] = 0
   return pts
end

local function compiles(s) return loadstring(s, '=probe') ~= nil end

function eval.compile(src, chunkname)
   if type(src) ~= 'string' then
      error('nnlua.eval.compile: expected the source as a string, got ' .. type(src), 2)
   end
   chunkname = chunkname or '=stdin'
   src = src:gsub('^(%s*)=', '%1')
   if src:match(';%s*$') then return loadstring(src, chunkname) end
   -- select(1, ...) keeps the expression's calls in this frame (a bare
   -- `return f()` is a tail call, and an error would lose its line)
   local whole = loadstring('return select(1, ' .. src .. '\n)', chunkname)
   if whole then return whole end
   local plain, err = loadstring(src, chunkname)
   for _, p in ipairs(split_points(src, 200)) do
      local head, tail = src:sub(1, p), src:sub(p + 1)
      if tail:match('%S') and compiles('return ' .. tail) and (not plain or compiles(tail))
         and (p == 0 or compiles(head)) then
         local f = loadstring(head .. ' return select(1, ' .. tail .. '\n)', chunkname)
         if f then return f end
      end
   end
   if plain then return plain end
   return nil, err
end

local function finish(ok, ...)
   if not ok then return false, (...) end
   return true, { n = select('#', ...), ... }
end

function eval.run(src, chunkname, handler)
   local f, err = eval.compile(src, chunkname)
   if not f then return false, err end
   return finish(xpcall(f, handler or debug.traceback))
end

function eval.incomplete(src)
   src = src:gsub('^(%s*)=', '%1')
   if loadstring('return ' .. src, '=stdin') then return false end
   local f, err = loadstring(src, '=stdin')
   if f then return false end
   return err:match("'<eof>'$") ~= nil or err:match('<eof>$') ~= nil
end

return eval

-- nnlua.kernel.evaluate: runs a notebook cell. A cell is a chunk of
-- statements whose last line(s) may be a bare expression: its values are
-- the cell's result (shown as execute_result), as th shows them at its
-- prompt. A trailing ';' keeps a last call quiet.
--
-- This is the kernel's own "last expression" handling, kept behind
-- evaluate.run and evaluate.format so that a shared evaluator can replace
-- both in one place.
local jit = require 'jit'
local repl = require 'nnlua.repl'

local evaluate = {}

local function pack(...) return { n = select('#', ...), ... } end

-- The function to run for code, and whether it returns the last
-- expression's values packed: the statements, with the last expression
-- (if any) turned into a return of its values. The pack function comes in
-- as the chunk's vararg, on the first line, so line numbers stay the user's.
-- Returns f, packed or nil, message.
local P = 'local __nnlua_cell_pack = ...; '
function evaluate.compile(code, chunkname)
   chunkname = chunkname or '=cell'
   local src = code:gsub('%s+$', '')
   -- the whole cell as one expression (`x`, `t:size()`, `=x`)
   local expr_src = src:gsub('^%s*=', '')
   local f = loadstring(P .. 'return __nnlua_cell_pack(' .. expr_src .. '\n)', chunkname)
   if f then return f, true end
   local stmts, err = loadstring(code, chunkname)
   if src:match(';$') then return stmts, stmts and false or err end
   -- the longest run of last lines that is an expression, after statements
   -- that compile on their own
   local lines = {}
   for line in (src .. '\n'):gmatch('([^\n]*)\n') do lines[#lines + 1] = line end
   for i = #lines, 2, -1 do
      local head = table.concat(lines, '\n', 1, i - 1)
      local tail = table.concat(lines, '\n', i, #lines)
      if tail:match('%S') and loadstring(head, chunkname) then
         local g = loadstring(P .. head .. '\nreturn __nnlua_cell_pack(' .. tail .. '\n)', chunkname)
         if g then return g, true end
      end
   end
   if not stmts then return nil, err end
   return stmts, false
end

-- Runs code; returns true and the list of result values ({n = 0} when the
-- cell ends in a statement), or false and the error (message with a
-- trimmed traceback; a third value true for a syntax error). `handler` is
-- xpcall's message handler.
function evaluate.run(code, handler, chunkname)
   local f, packed = evaluate.compile(code, chunkname)
   if not f then return false, packed, true end
   -- interpreted: the interrupt hook cannot stop a loop running as a
   -- compiled trace
   jit.off(f, true)
   -- results go through a call, not a tail return, so that an error in the
   -- expression keeps the cell's line in the traceback
   local res = pack(xpcall(f, handler, pack))
   if not res[1] then return false, res[2] end
   if packed then return true, res[2] end
   return true, { n = res.n - 1, unpack(res, 2, res.n) }
end

-- The text shown for a cell's results: tensors and modules in Torch7's
-- format, tables as a tree.
function evaluate.format(values)
   return repl.format_results(values)
end

return evaluate

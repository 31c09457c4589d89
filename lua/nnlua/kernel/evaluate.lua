-- nnlua.kernel.evaluate: runs a notebook cell. A cell is a chunk of
-- statements whose last one may be a bare expression: its values are the
-- cell's result (shown as execute_result), as th shows them at its prompt;
-- a trailing ';' keeps a last call quiet. The compiling is nnlua.eval's
-- (shared with the REPL), the printing nnlua.repl's (th's print).
local jit = require 'jit'
local eval = require 'nnlua.eval'
local repl = require 'nnlua.repl'

local evaluate = {}

local function pack(...) return { n = select('#', ...), ... } end

-- Runs code; returns true and the list of result values ({n = 0} when the
-- cell ends in a statement), or false and the error (for a syntax error,
-- Lua's message and a third value true). `handler` is xpcall's message
-- handler.
function evaluate.run(code, handler, chunkname)
   local f, err = eval.compile(code, chunkname or '=cell')
   if not f then return false, err, true end
   -- interpreted: the interrupt hook cannot stop a loop running as a
   -- compiled trace
   jit.off(f, true)
   local res = pack(xpcall(f, handler))
   if not res[1] then return false, res[2] end
   return true, { n = res.n - 1, unpack(res, 2, res.n) }
end

-- The text shown for a cell's results: tensors and modules in Torch7's
-- format, tables as a tree.
function evaluate.format(values)
   return repl.format_results(values)
end

return evaluate

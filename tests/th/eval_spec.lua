-- nnlua.eval: a chunk ending in a bare expression returns its values (the
-- REPL's and the notebook kernel's auto-print), line numbers kept.
local eval = require 'nnlua.eval'

local function run(src)
   local ok, v = eval.run(src)
   assert(ok, v)
   return v
end

describe('nnlua.eval', function()
   after_each(function() eval_spec_x, eval_spec_y = nil, nil end)

   it('returns the values of a bare expression, of =expr and of a call', function()
      assert.are.same({ n = 1, 2 }, run('1 + 1'))
      assert.are.same({ n = 2, 6, 'x' }, run('= 2 * 3, "x"'))
      assert.are.same({ n = 1, 7 }, run('math.max(1,\n  7)'))
      assert.are.same({ n = 2, 3, nil }, run('3, nil'))
   end)

   it('returns the last expression after statements, split at a line or a ;', function()
      assert.are.same({ n = 1, 2 }, run('eval_spec_x = 1\neval_spec_x + 1'))
      assert.are.same({ n = 1, 5 }, run('eval_spec_x = 1; eval_spec_x * 5'))
      assert.are.same({ n = 2, 3, 9 }, run('local t = {}\nfor i = 1, 3 do t[i] = i * i end\n#t, t[3]'))
      assert.are.same({ n = 1, 6 }, run('local a = 2 -- two\na * 3 -- six'))
   end)

   it('returns nothing for statements and for a chunk ending in ;', function()
      assert.are.same({ n = 0 }, run('eval_spec_x = 5'))
      assert.are.same({ n = 0 }, run('for i = 1, 2 do eval_spec_y = i end'))
      assert.are.equal(2, eval_spec_y)
      assert.are.same({ n = 0 }, run('math.max(1, 2);'))
      assert.are.same({ n = 1, 4 }, run('do end return 4'))
   end)

   it('keeps the meaning of a chunk that already compiles', function()
      -- `x = 1\n-1` is `x = 1 - 1` in Lua: no value, x is 0
      assert.are.same({ n = 0 }, run('eval_spec_x = 1\n-1'))
      assert.are.equal(0, eval_spec_x)
   end)

   it('reports errors at the chunk\'s own line numbers', function()
      local ok, msg = eval.run('eval_spec_x = 1\nerror("boom")')
      assert.is_false(ok)
      assert.matches('^stdin:2: boom', msg)
      ok, msg = eval.run('local a = 1\n\nnil + a', '=cell')
      assert.is_false(ok)
      assert.matches('^cell:3: attempt to perform arithmetic', msg)
      ok, msg = eval.run('x = = 1')
      assert.is_false(ok)
      assert.matches("^stdin:1: unexpected symbol near '='", msg)
      assert.has_error(function() eval.compile(3) end, 'nnlua.eval.compile: expected the source as a string, got number')
   end)

   it('tells an unfinished chunk from a wrong one', function()
      assert.is_true(eval.incomplete('for i = 1, 3 do'))
      assert.is_true(eval.incomplete('t = {'))
      assert.is_true(eval.incomplete('s = [[abc'))
      assert.is_false(eval.incomplete('x'))
      assert.is_false(eval.incomplete('x = = 1'))
      assert.is_false(eval.incomplete('for i = 1, 3 do end'))
   end)
end)

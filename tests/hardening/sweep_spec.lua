-- Bad-input sweep: scripts/hardening/sweep.lua calls every tensor method,
-- torch function, nn module and criterion with generated bad arguments in
-- child processes, so a crash fails this spec instead of killing busted.
local spec = require 'tests.spec_util'

local PARTS = 4

describe('bad-input sweep', function()
   local totals = { calls = 0, errors = 0, unnamed = 0 }
   local unnamed = {}
   for part = 1, PARTS do
      it('part ' .. part .. ' of ' .. PARTS .. ' runs without a crash', function()
         local out, rc = spec.run_nnlua('scripts/hardening/sweep.lua ' .. part .. ' ' .. PARTS)
         assert.are.equal(0, rc, 'the sweep process died:\n' .. out:sub(-2000))
         local calls, errors, ret, un = out:match('sweep: (%d+) calls, (%d+) errors, (%d+) returned, (%d+) unnamed')
         assert.is_not_nil(calls, out:sub(-2000))
         totals.calls = totals.calls + tonumber(calls)
         totals.errors = totals.errors + tonumber(errors)
         totals.unnamed = totals.unnamed + tonumber(un)
         for line in out:gmatch('unnamed: [^\n]+') do unnamed[#unnamed + 1] = line end
         assert.is_true(tonumber(calls) > 100)
      end)
   end
   it('every error names the function or module that raised it', function()
      assert.is_true(totals.calls > 0)
      assert.are.same({}, unnamed)
   end)
end)

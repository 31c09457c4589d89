-- Thread determinism: scripts/hardening/threads.lua computes tensor ops and
-- nn modules with 1 thread and with 2 and 3 threads and compares them (bit
-- for bit for nnlua's own kernels, within 1e-4 relative where OpenBLAS's
-- GEMM is involved). Run in a child process, which sets its own threads.
local spec = require 'tests.spec_util'

describe('thread determinism', function()
   for _, n in ipairs({ 2, 3 }) do
      it('1 vs ' .. n .. ' threads give the same results', function()
         local out, rc = spec.run_nnlua('scripts/hardening/threads.lua ' .. n)
         local cases, differ = out:match('threads: (%d+) cases, (%d+) differ')
         assert.is_not_nil(cases, out:sub(-2000))
         assert.is_true(tonumber(cases) >= 18)
         assert.are.equal('0', differ, out)
         assert.are.equal(0, rc)
         -- the whole-tensor reductions are among the bit-exact cases
         assert.is_truthy(out:find('sum, mean, norm, max of all elements%s+identical'))
      end)
   end
end)

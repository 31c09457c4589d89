-- Memory soak: 20,000 MLP training steps that allocate fresh tensors every
-- step and never call collectgarbage(); native bytes and RSS must level
-- off after warm-up (Torch7 needed manual collection here).
local spec = require 'tests.spec_util'

describe('memory soak', function()
   it('20,000 training steps plateau without collectgarbage()', function()
      local out, rc = spec.run_nnlua('scripts/hardening/soak.lua 20000')
      assert.are.equal(0, rc, out)
      local rss, native = {}, {}
      for step, live, r in out:gmatch('step%s+(%d+)%s+native%s+([%d.]+) KB.-rss%s+(%d+) KB') do
         rss[tonumber(step)] = tonumber(r)
         native[tonumber(step)] = tonumber(live)
      end
      assert.is_not_nil(rss[5000], out)
      assert.is_not_nil(rss[20000], out)
      -- after warm-up, resident memory grows by less than 10% over 15,000 steps
      assert.is_true(rss[20000] <= rss[5000] * 1.1 + 1024,
         string.format('RSS grew from %d KB to %d KB', rss[5000], rss[20000]))
      for step, live in pairs(native) do
         assert.is_true(live < 300 * 1024, string.format('native bytes at step %d: %.0f KB', step, live))
      end
   end)
end)

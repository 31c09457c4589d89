-- Native memory stays bounded without collectgarbage(): the runtime counts
-- live bytes and the Lua side collects when they pass a soft limit.
local torch = require 'torch'

describe('memory accounting', function()
   it('counts storage bytes and releases them with their last view', function()
      collectgarbage()
      local before = torch.memoryUsage()
      local t = torch.FloatTensor(1000)
      local v = t:narrow(1, 1, 10)
      assert.are.equal(before + 4000, (torch.memoryUsage()))
      t = nil
      collectgarbage()
      assert.are.equal(before + 4000, (torch.memoryUsage()))  -- v still holds it
      v = nil
      collectgarbage()
      assert.are.equal(before, (torch.memoryUsage()))
   end)

   it('2000 allocations of 8 MB stay under a bound with no manual collection', function()
      local peak = 0
      for i = 1, 2000 do
         local t = torch.FloatTensor(2 * 1024 * 1024)
         t[1] = i
         local live = torch.memoryUsage()
         if live > peak then peak = live end
      end
      -- soft limit 256 MB, plus one allocation in flight
      assert.is_true(peak < 400 * 2 ^ 20, 'peak live bytes ' .. peak)
   end)

   it('garbage beside a large working set is bounded by the allocation budget, and blocks are reused', function()
      collectgarbage()
      local data = torch.FloatTensor(20000, 784):fill(1)   -- 63 MB live: soft limit about 256 MB
      local base = torch.memoryUsage()
      local heap = collectgarbage('count')
      local perm = torch.randperm(20000):long()
      local peak = 0
      for _ = 1, 3 do
         for t = 1, 20000 - 127, 128 do
            local batch = data:index(1, perm:narrow(1, t, 128))   -- 0.4 MB garbage a step
            assert(batch[1][1] == 1)
            local live = torch.memoryUsage()
            if live > peak then peak = live end
         end
      end
      -- 94 MB of batches: without the budget all of it stayed live (under the
      -- 256 MB soft limit); with it at most the budget (64 MB, or more when
      -- earlier specs left a large working set or Lua heap) and a batch
      local budget = math.max(64 * 2 ^ 20, base / 4, heap * 4096)
      assert.is_true(peak - base < budget + 2 * 2 ^ 20, 'garbage peak ' .. (peak - base) .. ', budget ' .. budget)
      assert.is_true(torch._core.C.nl_mem_cached() > 0)
   end)

   it('refuses an absurd allocation with a clear error', function()
      assert.has_error(function() torch.DoubleTensor(1e6, 1e6) end)
      local ok, err = pcall(function() torch.DoubleTensor(1e6, 1e6) end)
      assert.is_false(ok)
      assert.matches('cannot allocate 8e%+03 GB', err)
      assert.matches('memory_spec.lua', err)   -- raised at the caller's line
   end)
end)

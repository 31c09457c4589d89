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

   it('refuses an absurd allocation with a clear error', function()
      assert.has_error(function() torch.DoubleTensor(1e6, 1e6) end)
      local ok, err = pcall(function() torch.DoubleTensor(1e6, 1e6) end)
      assert.is_false(ok)
      assert.matches('cannot allocate 8e%+03 GB', err)
      assert.matches('memory_spec.lua', err)   -- raised at the caller's line
   end)
end)

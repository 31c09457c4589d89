-- Differences from Torch7 found by running the same programs under both
-- (torch.Storage views, the Tensor(storage, offset, size, stride, ...)
-- constructor, storage:string()). Expected values are Torch7's output.
local torch = require 'torch'

describe('torch.Storage(s, offset, size) shares s', function()
   it('is a view: writes through either show in the other (Torch7)', function()
      local s = torch.DoubleStorage(5)
      for i = 1, 5 do s[i] = i end
      local v = torch.DoubleStorage(s, 2, 3)
      assert.are.same({ 2, 3, 4 }, v:totable())
      v[1] = 100
      assert.are.equal(100, s[2])           -- Torch7: 100
      s[3] = 50
      assert.are.equal(50, v[2])            -- Torch7: 50
      assert.are.equal(3, v:size())
      -- (s, offset): to the end
      local v2 = torch.DoubleStorage(s, 3)
      assert.are.equal(3, v2:size())
      assert.are.equal(50, v2[1])
      -- a tensor on the view fills the parent's range
      torch.Tensor(v):fill(7)
      assert.are.same({ 1, 7, 7, 7, 5 }, s:totable())   -- Torch7's printed storage
   end)

   it('keeps its parent alive and cannot be resized', function()
      local v
      do
         local s = torch.FloatStorage(4):fill(3)
         v = torch.FloatStorage(s, 2, 2)
      end
      collectgarbage() collectgarbage()
      assert.are.same({ 3, 3 }, v:totable())
      assert.has_error(function() v:resize(10) end)
      local vv = torch.FloatStorage(v, 2, 1)      -- a view of a view
      vv[1] = 9
      assert.are.equal(9, v[2])
   end)

   it('refuses ranges outside the storage and other types, with the sizes', function()
      local s = torch.DoubleStorage(5)
      local ok, err = pcall(function() return torch.DoubleStorage(s, 5, 3) end)
      assert.is_false(ok)
      assert.truthy(tostring(err):find('size 5', 1, true))
      assert.has_error(function() return torch.DoubleStorage(s, 0, 1) end)
      assert.has_error(function() return torch.FloatStorage(s, 1, 1) end)
   end)

   it('the parent cannot grow under its views (no dangling view)', function()
      local s = torch.DoubleStorage(4):fill(1)
      local v = torch.DoubleStorage(s, 1, 2)
      s:resize(3)                                  -- shrinking keeps the block
      assert.has_error(function() s:resize(1000) end)
      v[1] = 2
      assert.are.equal(2, s[1])
   end)
end)

describe('torch.Tensor(storage, offset, size1, stride1, size2, stride2)', function()
   it('takes every size/stride pair (Torch7)', function()
      local s = torch.DoubleStorage { 1, 2, 3, 4, 5 }
      local t = torch.Tensor(s, 1, 2, 2, 2, 1)
      assert.are.same({ 2, 2 }, t:size():totable())
      assert.are.same({ { 1, 2 }, { 3, 4 } }, t:totable())
      local u = torch.Tensor(s, 2, torch.LongStorage { 2, 2 })
      assert.are.same({ { 2, 3 }, { 4, 5 } }, u:totable())
   end)
end)

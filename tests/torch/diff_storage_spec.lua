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

describe('torch.XStorage(filename [, shared [, size]]) maps a file', function()
   local tmp
   before_each(function()
      tmp = os.tmpname()
      local f = io.open(tmp, 'wb') f:write('hello mmap\n') f:close()
   end)
   after_each(function() os.remove(tmp) end)
   local function contents()
      local f = io.open(tmp, 'rb') local s = f:read('*a') f:close() return s
   end

   it('reads the whole file, or size elements of it (Torch7)', function()
      local s = torch.CharStorage(tmp)
      assert.are.equal(11, s:size())
      assert.are.equal('hello mmap\n', s:string())
      assert.are.equal(104, torch.ByteStorage(tmp, false)[1])
      assert.are.equal('hello', torch.CharStorage(tmp, false, 5):string())
      assert.are.equal(2, torch.IntStorage(tmp):size())        -- 11 bytes: two ints
   end)

   it('shared: writes reach the file; private: they do not', function()
      local p = torch.CharStorage(tmp, false)
      p[1] = 72
      p = nil
      collectgarbage() collectgarbage()
      assert.are.equal('hello mmap\n', contents())
      local s = torch.CharStorage(tmp, true)
      s[1] = 72
      s = nil
      collectgarbage() collectgarbage()
      assert.are.equal('Hello mmap\n', contents())             -- Torch7: Hello mmap
      local g = torch.CharStorage(tmp, true, 13)               -- shared grows the file
      g[12], g[13] = 65, 66
      g = nil
      collectgarbage() collectgarbage()
      assert.are.equal('Hello mmap\nAB', contents())
   end)

   it('a private mapping larger than the file, or a missing file, is an error naming it', function()
      local ok, err = pcall(torch.CharStorage, tmp, false, 20)
      assert.is_false(ok)
      assert.truthy(tostring(err):find(tmp, 1, true))
      ok, err = pcall(torch.CharStorage, '/nonexistent/dir/file')
      assert.is_false(ok)
      assert.truthy(tostring(err):find('/nonexistent/dir/file', 1, true))
      assert.has_error(function() torch.CharStorage(tmp):resize(100) end)
   end)
end)

-- The hot tensor entry points must compile into a bounded set of traces.
-- LuaJIT 2.1 compiles `{ ... }` of five or more values into a trace whose
-- table-size guard fails on every call: each call then grew a new side
-- trace until the machine-code area overflowed and every trace was flushed
-- (in a training loop every few hundred steps). These count the traces a
-- loop of such calls leaves.
local jutil = require 'jit.util'

local function traces_after(fn)
   jit.flush()
   fn()
   local n = 0
   while jutil.traceinfo(n + 1) do n = n + 1 end
   return n
end

describe('traces of hot calls', function()
   it('res:addmm(beta, M, alpha, A, B) in a loop leaves a bounded number of traces', function()
      local a, b = torch.FloatTensor(4, 4):fill(1), torch.FloatTensor(4, 4):fill(2)
      local r = torch.FloatTensor(4, 4)
      local n = traces_after(function()
         for _ = 1, 3000 do r:addmm(0, r, 1, a, b) end
      end)
      assert.is_true(n < 40, 'traces: ' .. n)
      assert.are.equal(8, r[1][1])
   end)

   it('torch.addmm(res, beta, M, alpha, A, B) and addmv/addr forms too', function()
      local a, v = torch.DoubleTensor(3, 3):fill(1), torch.DoubleTensor(3):fill(1)
      local r, rv = torch.DoubleTensor(3, 3):zero(), torch.DoubleTensor(3):zero()
      local n = traces_after(function()
         for _ = 1, 3000 do
            torch.addmm(r, 0, r, 2, a, a)
            rv:addmv(0, rv, 1, a, v)
            r:addr(0, r, 1, v, v)
         end
      end)
      assert.is_true(n < 60, 'traces: ' .. n)
      assert.are.equal(1, r[2][2])
      assert.are.equal(3, rv[3])
   end)

   it('sub and permute with many arguments', function()
      local t = torch.FloatTensor(4, 5, 6):zero()
      local s, p
      local n = traces_after(function()
         for _ = 1, 3000 do
            s = t:sub(1, 2, 2, 4, 3, 6)
            p = t:permute(3, 1, 2)
         end
      end)
      assert.is_true(n < 40, 'traces: ' .. n)
      assert.are.same({ 2, 3, 4 }, s:size():totable())
      assert.are.same({ 6, 4, 5 }, p:size():totable())
   end)

   it('image.crop/scale per sample (data augmentation loops)', function()
      require 'image'
      local img = torch.FloatTensor(3, 12, 12):uniform()
      local c, s
      local n = traces_after(function()
         for _ = 1, 3000 do
            c = image.crop(img, 2, 3, 10, 11)
            s = image.scale(c, 6, 6, 'simple')
         end
      end)
      assert.is_true(n < 60, 'traces: ' .. n)
      assert.are.same({ 3, 8, 8 }, c:size():totable())
      assert.are.equal(img[2][4][3], c[2][1][1])
      assert.are.same({ 3, 6, 6 }, s:size():totable())
   end)

   it('addmm still parses every documented argument form', function()
      local A, B = torch.DoubleTensor({ { 1, 2 }, { 3, 4 } }), torch.DoubleTensor({ { 1, 0 }, { 0, 1 } })
      local M = torch.DoubleTensor(2, 2):fill(1)
      assert.are.same({ { 2, 3 }, { 4, 5 } }, torch.addmm(M, A, B):totable())
      assert.are.same({ { 3, 5 }, { 7, 9 } }, torch.addmm(M, 2, A, B):totable())
      assert.are.same({ { 5, 7 }, { 9, 11 } }, torch.addmm(3, M, 2, A, B):totable())
      local r = torch.DoubleTensor(2, 2)
      assert.are.same({ { 5, 7 }, { 9, 11 } }, torch.addmm(r, 3, M, 2, A, B):totable())
      assert.are.same({ { 5, 7 }, { 9, 11 } }, r:totable())
      assert.are.same({ { 2, 4 }, { 6, 8 } }, M:clone():zero():addmm(2, A, B):totable())
      assert.has_error(function() M:addmm(A, 'x') end, 'addmm: invalid arguments: DoubleTensor DoubleTensor string; expected [beta,] [M,] [alpha,] A (matrix), B (matrix)')
      assert.has_error(function() M:addmm(1, A, B, B, B) end)
   end)
end)

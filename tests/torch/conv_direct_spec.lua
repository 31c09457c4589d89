-- torch.conv2/xcorr2/conv3/xcorr3 through the direct C kernel
-- (runtime/math_conv.c). Expected values were printed by Torch7 for the
-- same calls after torch.manualSeed(3) (nnlua's random streams are
-- Torch7's); functions14_spec.lua checks more recorded results.
local function near(a, b) assert.is_true(math.abs(a - b) < 1e-9, a .. ' vs ' .. b) end

describe('torch.conv2 and friends (direct kernel)', function()
   local x, k, x3, k4, k3, v, kv
   before_each(function()
      torch.manualSeed(3)
      x = torch.randn(7, 9); k = torch.randn(3, 4)
      x3 = torch.randn(3, 6, 7); k4 = torch.randn(2, 3, 2, 3); k3 = torch.randn(3, 2, 2)
      v = torch.randn(5, 6, 7); kv = torch.randn(2, 3, 2)
   end)

   it('matches Torch7 on 2-D, 3-D x 4-D, map and 3-D volumes', function()
      near(torch.conv2(x, k):sum(), 21.675827510735)
      near(torch.conv2(x, k, 'F'):sum(), 28.878828626092)
      near(torch.xcorr2(x, k):sum(), 21.944235907246)
      near(torch.conv2(x, k)[2][3], -0.85726994616768)
      near(torch.xcorr2(x, k, 'F')[4][5], 3.0918639618619)
      assert.are.same({ 2, 5, 5 }, torch.conv2(x3, k4):size():totable())
      near(torch.conv2(x3, k4)[2][3][4], -3.5374698436376)
      near(torch.xcorr2(x3, k4, 'F')[1][2][2], 4.3678031960327)
      near(torch.conv2(x3, k3)[3][2][4], -1.8521867939539)
      near(torch.xcorr2(x3, k3, 'F')[2][1][1], 2.106490670416)
      near(torch.conv3(v, kv)[2][3][4], 0.58671525839481)
      near(torch.xcorr3(v, kv, 'F')[3][3][3], 6.4841636400857)
      assert.are.same({ 4, 4, 6 }, torch.conv3(v, kv):size():totable())
   end)

   it('integer tensors, result arguments and the method forms', function()
      local xi, ki = torch.IntTensor(5, 5):fill(2), torch.IntTensor(2, 2):fill(3)
      local ci = torch.conv2(xi, ki)
      assert.are.equal('torch.IntTensor', torch.type(ci))
      assert.are.same({ 4, 4 }, ci:size():totable())
      assert.are.equal(24, ci[3][2])
      local r = torch.Tensor()
      assert.are.equal(r, torch.conv2(r, x, k))
      assert.are.same({ 5, 6 }, r:size():totable())
      -- a non-contiguous result is filled through a copy
      local r2 = torch.Tensor(12, 9):t()
      torch.xcorr2(r2, x, k, 'F')
      assert.are.same({ 9, 12 }, r2:size():totable())
      near(r2:sum(), 28.878828626092)
      -- x:conv2(k) returns a new tensor; res:conv2(x, k) fills res
      assert.are.same({ 5, 6 }, x:conv2(k):size():totable())
      local r3 = torch.Tensor(1)
      r3:xcorr2(x, k, 'F')
      assert.are.same({ 9, 12 }, r3:size():totable())
   end)

   it('non-contiguous inputs give the contiguous result', function()
      local xt = x:t()   -- 9x7 view
      local ref = torch.conv2(xt:contiguous(), k, 'F')
      assert.are.equal(0, (torch.conv2(xt, k, 'F') - ref):abs():max())
      local k4s = k4:transpose(3, 4):contiguous():transpose(3, 4)
      assert.is_false(k4s:isContiguous())
      assert.are.equal(0, (torch.xcorr2(x3, k4s) - torch.xcorr2(x3, k4)):abs():max())
      -- a column of a wide tensor
      local big = torch.randn(6, 7, 2):select(3, 2)
      assert.are.equal(0, (torch.xcorr2(big, k) - torch.xcorr2(big:clone(), k)):abs():max())
   end)

   it('matches a naive loop on a larger image', function()
      local img, ker = torch.randn(20, 23), torch.randn(4, 5)
      local out = torch.xcorr2(img, ker)
      local y, xx = 7, 11
      local s = 0
      for i = 1, 4 do for j = 1, 5 do s = s + img[y + i - 1][xx + j - 1] * ker[i][j] end end
      near(out[y][xx], s)
      local c = torch.conv2(img, ker, 'F')
      -- full convolution: the first corner is img(1,1) ker(1,1), the last img(20,23) ker(4,5)
      near(c[1][1], img[1][1] * ker[1][1])
      near(c[23][27], img[20][23] * ker[4][5])
   end)

   it('bad input raises clear errors', function()
      assert.has_error(function() torch.conv2(torch.randn(2, 2), torch.randn(3, 3)) end,
         'torch.conv2: input 1x2x2 is smaller than kernel 1x1x3x3')
      assert.has_error(function() torch.conv2(x, k, 'X') end, "torch.conv2: mode should be 'V' or 'F', got X")
      assert.has_error(function() torch.conv2(x, k:float()) end)
      assert.has_error(function() torch.conv2(x3, torch.randn(2, 4, 2, 2)) end)
      assert.has_error(function() torch.conv2(torch.randn(2, 3), torch.randn(2, 2, 2, 2, 2)) end)
      assert.has_error(function() torch.conv2(x, x, k) end,
         'torch.conv2: the result tensor shares memory with the input or the kernel')
   end)
end)

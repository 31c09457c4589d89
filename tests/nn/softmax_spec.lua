-- Float SoftMax/LogSoftMax use a vectorised exp (runtime/nn/softmax.c):
-- values and gradients against the double kernels (libm exp) over a wide
-- input range, contiguous rows and the (N, C, H, W) channel layout.
require 'nn'

local function maxrel(a, b, floor)
   local d = (a:double() - b):abs()
   return d:cdiv(b:clone():abs():add(floor)):max()
end

describe('float SoftMax and LogSoftMax', function()
   it('agree with double over inputs in [-90, 90]', function()
      torch.manualSeed(4)
      local x = torch.DoubleTensor(64, 300):uniform(-90, 90)
      x:select(2, 7):fill(-200)   -- far below the float range of exp
      local xf = x:float()
      local xd = xf:double()      -- the same values in double
      local go = torch.DoubleTensor(64, 300):uniform(-1, 1)
      for _, name in ipairs { 'SoftMax', 'LogSoftMax' } do
         local md, mf = nn[name](), nn[name]():float()
         local yd = md:forward(xd)
         local yf = mf:forward(xf)
         local gd = md:backward(xd, go)
         local gf = mf:backward(xf, go:float())
         if name == 'SoftMax' then
            -- relative to the row's largest output: float rounding of x - max
            local e1, e2 = (yf:double() - yd):abs():max(), (gf:double() - gd):abs():max()
            assert.is_true(e1 < 1e-6, name .. ' output ' .. e1)
            assert.is_true(e2 < 1e-6, name .. ' gradInput ' .. e2)
         else
            local e1, e2 = maxrel(yf, yd, 1), maxrel(gf, gd, 1)
            assert.is_true(e1 < 1e-6, name .. ' output ' .. e1)
            assert.is_true(e2 < 1e-5, name .. ' gradInput ' .. e2)
         end
      end
   end)

   it('the exp itself is within a few ulp of libm on contiguous rows', function()
      -- a row whose max is 0 gives SoftMax = exp(x) / sum; check exp(x) through
      -- LogSoftMax's backward with gradOutput e1: gradInput = e1 - exp(y) * 1
      -- (outputs y = x - logsumexp stay above -87.3, the float exp's lower clamp)
      local x = torch.linspace(-80, 0, 4001):float():view(1, -1)
      local m = nn.LogSoftMax():float()
      local y = m:forward(x)
      local go = torch.FloatTensor(1, 4001):zero()
      go[1][1] = 1
      local gi = m:backward(x, go)
      -- every element but the first (which carries the 1) is -exp(y)
      local e = torch.exp(y:double()):narrow(2, 2, 4000)   -- libm in double
      local got = gi:double():mul(-1):narrow(2, 2, 4000)
      local rel = (got - e):abs():cdiv(e):max()
      assert.is_true(rel < 4e-7, 'max relative error ' .. rel)
   end)

   it('gives the same results on a non-contiguous input', function()
      torch.manualSeed(6)
      local x = torch.FloatTensor(300, 64):uniform(-20, 20):t()   -- 64 x 300, transposed
      local go = torch.FloatTensor(64, 300):uniform(-1, 1)
      for _, name in ipairs { 'SoftMax', 'LogSoftMax' } do
         local a, b = nn[name]():float(), nn[name]():float()
         local ya, yb = a:forward(x), b:forward(x:contiguous())
         assert.are.equal(0, (ya - yb):abs():max())
         assert.are.equal(0, (a:backward(x, go) - b:backward(x:contiguous(), go)):abs():max())
      end
   end)

   it('rejects inputs it cannot normalise, naming the module and the size', function()
      assert.has_error(function() nn.LogSoftMax():float():forward(torch.FloatTensor(2, 2, 2, 2, 2)) end,
         'nn.LogSoftMax: expected a 1D, 2D, 3D or 4D input, got a tensor of size 2x2x2x2x2')
      assert.has_error(function() nn.SoftMax():float():forward(torch.LongTensor(3)) end,
         'nn.SoftMax: input is torch.LongTensor; expected a FloatTensor or DoubleTensor (call :float() or :double())')
   end)

   it('keeps the channel layout of a 4D input', function()
      torch.manualSeed(5)
      local x = torch.DoubleTensor(2, 5, 3, 4):uniform(-10, 10)
      local yf = nn.SoftMax():float():forward(x:float())
      local ref = torch.exp(x)
      ref:cdiv(ref:sum(2):expandAs(ref))
      assert.is_true((yf:double() - ref):abs():max() < 1e-6)
   end)
end)

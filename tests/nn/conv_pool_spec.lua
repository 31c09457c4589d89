-- Spatial max/average/adaptive pooling and max unpooling: forward against
-- plain loops, output sizes in floor and ceil mode with padding, Jacobians
-- in double, batch vs single image, non-contiguous inputs, messages.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')

-- Torch7's output size, with the last window starting inside the image
local function osize(n, k, d, pad, ceil)
   local o = (ceil and math.ceil or math.floor)((n - k + 2 * pad) / d) + 1
   if pad > 0 and (o - 1) * d >= n + pad then o = o - 1 end
   return o
end

-- reference pooling of one plane (H x W tensor); avg divisor counts the
-- padded window (clipped to the padded image) or only the image part
local function pool_plane(x, kW, kH, dW, dH, padW, padH, ceil, mode, include_pad)
   local H, W = x:size(1), x:size(2)
   local oH, oW = osize(H, kH, dH, padH, ceil), osize(W, kW, dW, padW, ceil)
   local y = torch.Tensor(oH, oW)
   for i = 1, oH do
      for j = 1, oW do
         local hs, ws = (i - 1) * dH - padH, (j - 1) * dW - padW
         local he, we = math.min(hs + kH, H + padH), math.min(ws + kW, W + padW)
         local pool = (he - hs) * (we - ws)
         hs, ws, he, we = math.max(hs, 0), math.max(ws, 0), math.min(he, H), math.min(we, W)
         local best, s = -math.huge, 0
         for a = hs + 1, he do
            for b = ws + 1, we do
               best = math.max(best, x[a][b])
               s = s + x[a][b]
            end
         end
         if mode == 'max' then y[i][j] = best
         else y[i][j] = s / (include_pad and pool or (he - hs) * (we - ws)) end
      end
   end
   return y
end

local function pool_ref(x, ...)
   local planes = x:view(-1, x:size(x:dim() - 1), x:size(x:dim()))
   local outs = {}
   for p = 1, planes:size(1) do outs[p] = pool_plane(planes[p], ...) end
   local sz = x:size():totable()
   sz[#sz - 1], sz[#sz] = outs[1]:size(1), outs[1]:size(2)
   local y = torch.Tensor(torch.LongStorage(sz))
   local yv = y:view(-1, outs[1]:size(1), outs[1]:size(2))
   for p = 1, #outs do yv[p]:copy(outs[p]) end
   return y
end

local geoms = {
   -- kW, kH, dW, dH, padW, padH, ceil, H, W
   { 2, 2, 2, 2, 0, 0, false, 6, 5 },
   { 3, 3, 2, 2, 0, 0, true, 6, 5 },
   { 3, 3, 2, 2, 1, 1, false, 7, 7 },
   { 3, 2, 2, 1, 1, 1, true, 8, 7 },
   { 2, 3, 3, 2, 1, 1, true, 5, 9 },
   { 1, 1, 1, 1, 0, 0, false, 3, 4 },
}

describe('nn.SpatialMaxPooling', function()
   for _, g in ipairs(geoms) do
      local kW, kH, dW, dH, padW, padH, ceil, H, W = unpack(g)
      it('matches plain loops and has exact gradients (' .. table.concat(g, ',', 1, 6) .. (ceil and ',ceil' or '') .. ')', function()
         torch.manualSeed(1)
         local m = nn.SpatialMaxPooling(kW, kH, dW, dH, padW, padH)
         if ceil then m:ceil() end
         local x = torch.randn(2, 3, H, W)
         local ref = pool_ref(x, kW, kH, dW, dH, padW, padH, ceil, 'max')
         assert.are.same(ref:size():totable(), m:forward(x):size():totable())
         assert.are.equal(0, U.maxdiff(m:forward(x), ref))
         assert.are.equal(0, U.maxdiff(m:forward(x[2]), ref[2]))
         assert.are.equal(0, U.maxdiff(m:forward(U.noncontig(x)), ref))
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
         assert.are.equal(0, U.maxdiff(m:float():forward(x:float()), ref:float()))
      end)
   end
   it('ceil and floor give Torch7 output sizes', function()
      local m = nn.SpatialMaxPooling(3, 3, 2, 2)
      assert.are.same({ 3, 3, 3 }, m:forward(torch.randn(3, 8, 8)):size():totable())
      m:ceil()
      assert.are.same({ 3, 4, 4 }, m:forward(torch.randn(3, 8, 8)):size():totable())
      m:floor()
      assert.are.same({ 3, 3, 3 }, m:forward(torch.randn(3, 8, 8)):size():totable())
   end)
   it('names the module in its errors', function()
      local m = nn.SpatialMaxPooling(3, 3, 2, 2)
      assert.has_error(function() m:forward(torch.randn(3, 2, 8)) end,
         'nn.SpatialMaxPooling(3x3, 2,2): input image 2x8 is smaller than the 3x3 kernel')
      assert.has_error(function() m:forward(torch.randn(8, 8)) end,
         'nn.SpatialMaxPooling(3x3, 2,2): expected a 3D or 4D input, got 8x8')
      assert.has_error(function() nn.SpatialMaxPooling(3, 3, 1, 1, 2, 2):forward(torch.randn(1, 8, 8)) end,
         'nn.SpatialMaxPooling(3x3, 1,1, 2,2): padding should be at most half the kernel size')
   end)
end)

describe('nn.SpatialAveragePooling', function()
   for _, g in ipairs(geoms) do
      local kW, kH, dW, dH, padW, padH, ceil, H, W = unpack(g)
      for _, include in ipairs { true, false } do
         it('matches plain loops and has exact gradients (' .. table.concat(g, ',', 1, 6) .. (ceil and ',ceil' or '')
            .. (include and '' or ', exclude pad') .. ')', function()
            torch.manualSeed(2)
            local m = nn.SpatialAveragePooling(kW, kH, dW, dH, padW, padH)
            if ceil then m:ceil() end
            if not include then m:setCountExcludePad() end
            local x = torch.randn(2, 3, H, W)
            local ref = pool_ref(x, kW, kH, dW, dH, padW, padH, ceil, 'avg', include)
            assert.is_true(U.maxdiff(m:forward(x), ref) < 1e-14)
            assert.is_true(U.maxdiff(m:forward(U.noncontig(x[1])), ref[1]) < 1e-14)
            assert.is_true(U.jacobianInput(m, x) < 1e-8)
         end)
      end
   end
end)

describe('nn.SpatialAdaptiveMaxPooling and nn.SpatialAdaptiveAveragePooling', function()
   local function adaptive_ref(x, oW, oH, max)
      local H, W = x:size(x:dim() - 1), x:size(x:dim())
      local planes = x:contiguous():view(-1, H, W)
      local y = torch.Tensor(planes:size(1), oH, oW)
      for p = 1, planes:size(1) do
         for i = 0, oH - 1 do
            for j = 0, oW - 1 do
               local hs, he = math.floor(i * H / oH), math.ceil((i + 1) * H / oH)
               local ws, we = math.floor(j * W / oW), math.ceil((j + 1) * W / oW)
               local win = planes[p]:narrow(1, hs + 1, he - hs):narrow(2, ws + 1, we - ws)
               y[p][i + 1][j + 1] = max and win:max() or win:sum() / win:nElement()
            end
         end
      end
      local sz = x:size():totable()
      sz[#sz - 1], sz[#sz] = oH, oW
      return y:view(torch.LongStorage(sz))
   end
   for _, c in ipairs { { 2, 3, 7, 5 }, { 3, 3, 3, 3 }, { 4, 2, 5, 9 }, { 1, 1, 4, 6 } } do
      local oW, oH, H, W = unpack(c)
      it('match plain loops and have exact gradients (' .. table.concat(c, ',') .. ')', function()
         torch.manualSeed(3)
         local x = torch.randn(2, 3, H, W)
         for _, max in ipairs { true, false } do
            local m = max and nn.SpatialAdaptiveMaxPooling(oW, oH) or nn.SpatialAdaptiveAveragePooling(oW, oH)
            local ref = adaptive_ref(x, oW, oH, max)
            assert.is_true(U.maxdiff(m:forward(x), ref) < 1e-14)
            assert.is_true(U.maxdiff(m:forward(U.noncontig(x[2])), ref[2]) < 1e-14)
            assert.is_true(U.jacobianInput(m, x) < 1e-8)
         end
      end)
   end
end)

describe('max pooling after :float() (indices converted with the module)', function()
   for _, name in ipairs { 'SpatialAdaptiveMaxPooling', 'SpatialMaxPooling' } do
      it(name .. ' keeps working and matches the double module', function()
         torch.manualSeed(5)
         local m = name == 'SpatialMaxPooling' and nn.SpatialMaxPooling(2, 2, 2, 2) or nn.SpatialAdaptiveMaxPooling(3, 2)
         local x = torch.randn(2, 3, 6, 4)
         local y, gi = m:forward(x):clone(), m:backward(x, torch.ones(m.output:size())):clone()
         m:float()
         local yf = m:forward(x:float())
         assert.are.equal('torch.FloatTensor', torch.type(yf))
         assert.is_true(U.maxdiff(yf:double(), y) < 1e-6)
         assert.is_true(U.maxdiff(m:backward(x:float(), torch.ones(yf:size()):float()):double(), gi) < 1e-6)
         assert.are.equal('torch.LongTensor', torch.type(m.indices))
      end)
   end
end)

describe('nn.SpatialMaxUnpooling', function()
   it('puts values back where the pooling found them', function()
      torch.manualSeed(4)
      local pool = nn.SpatialMaxPooling(2, 2, 2, 2)
      local unpool = nn.SpatialMaxUnpooling(pool)
      local x = torch.randn(2, 3, 6, 4)
      local y = pool:forward(x)
      local z = unpool:forward(y)
      assert.are.same(x:size():totable(), z:size():totable())
      -- each 2x2 window keeps its max, zeros elsewhere
      local ref = x:clone():zero()
      for n = 1, 2 do for c = 1, 3 do for i = 1, 3 do for j = 1, 2 do
         local win = x[n][c]:narrow(1, 2 * i - 1, 2):narrow(2, 2 * j - 1, 2)
         for a = 1, 2 do for b = 1, 2 do
            if win[a][b] == y[n][c][i][j] then ref[n][c][2 * i - 2 + a][2 * j - 2 + b] = win[a][b] end
         end end
      end end end end
      assert.are.equal(0, U.maxdiff(z, ref))
      assert.is_true(U.jacobianInput(unpool, y) < 1e-8)
      assert.has_error(function() unpool:forward(torch.randn(2, 3, 2, 2)) end,
         'nn.SpatialMaxUnpooling associated to nn.SpatialMaxPooling(2x2, 2,2): input 2x3x2x2 does not match the '
            .. "pooling module's indices 2x3x3x2 (run the pooling forward first)")
   end)
end)

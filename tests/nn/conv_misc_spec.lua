-- Padding, upsampling, cross-map LRN, SpatialSoftMax, SpatialDropout:
-- values against plain loops, Jacobians in double, batch vs single
-- image, non-contiguous inputs, messages.
require 'nn'
local U = dofile(NNLUA_ROOT .. '/tests/nn/conv_util.lua')

-- reference padding of x (..., H, W) by l, r, t, b with a source-index rule
local function pad_ref(x, l, r, t, b, src)
   local H, W = x:size(x:dim() - 1), x:size(x:dim())
   local planes = x:contiguous():view(-1, H, W)
   local oH, oW = H + t + b, W + l + r
   local y = torch.zeros(planes:size(1), oH, oW)
   for p = 1, planes:size(1) do
      for i = 1, oH do
         for j = 1, oW do
            local si, sj = src(i - t, H), src(j - l, W)
            if si and sj then y[p][i][j] = planes[p][si][sj] end
         end
      end
   end
   local sz = x:size():totable()
   sz[#sz - 1], sz[#sz] = oH, oW
   return y:view(torch.LongStorage(sz))
end
local rules = {
   SpatialZeroPadding = function(i, n) if i >= 1 and i <= n then return i end end,
   SpatialReflectionPadding = function(i, n)
      if i < 1 then return 2 - i elseif i > n then return 2 * n - i end
      return i
   end,
   SpatialReplicationPadding = function(i, n) return math.max(1, math.min(n, i)) end,
}

describe('padding modules', function()
   for name, rule in pairs(rules) do
      it(name .. ' matches plain loops and has exact gradients', function()
         torch.manualSeed(1)
         local pads = { { 1, 2, 1, 0 }, { 2, 0, 0, 3 }, { 0, 0, 0, 0 } }
         if name == 'SpatialZeroPadding' then pads[#pads + 1] = { -1, 2, 1, -2 } end
         for _, p in ipairs(pads) do
            local m = nn[name](unpack(p))
            local x = torch.randn(2, 3, 4, 5)
            local ref = pad_ref(x, p[1], p[2], p[3], p[4], rule)
            assert.are.equal(0, U.maxdiff(m:forward(x), ref))
            assert.are.equal(0, U.maxdiff(m:forward(U.noncontig(x[2])), ref[2]))
            assert.is_true(U.jacobianInput(m, x) < 1e-8)
         end
      end)
   end
   it('reflection needs pads smaller than the image', function()
      assert.has_error(function() nn.SpatialReflectionPadding(4, 0, 0, 0):forward(torch.randn(2, 3, 4)) end,
         'nn.SpatialReflectionPadding(l=4, r=0, t=0, b=0): padding 4,0,0,0 must be smaller than the input image 3x4')
      assert.has_error(function() nn.SpatialZeroPadding(1):forward(torch.randn(3, 4)) end,
         'nn.SpatialZeroPadding(l=1, r=1, t=1, b=1): expected a 3D (C x H x W) or 4D (N x C x H x W) input, got 3x4')
   end)
end)

describe('upsampling modules', function()
   it('SpatialUpSamplingNearest repeats pixels', function()
      torch.manualSeed(2)
      local m = nn.SpatialUpSamplingNearest(3)
      local x = torch.randn(2, 2, 3, 4)
      local y = m:forward(x):clone()
      assert.are.same({ 2, 2, 9, 12 }, y:size():totable())
      for i = 1, 9 do for j = 1, 12 do
         assert.are.equal(x[2][1][math.floor((i - 1) / 3) + 1][math.floor((j - 1) / 3) + 1], y[2][1][i][j])
      end end
      assert.are.equal(0, U.maxdiff(m:forward(U.noncontig(x[1])), y[1]))
      assert.is_true(U.jacobianInput(m, x) < 1e-8)
      assert.has_error(function() m:backward(x, torch.randn(2, 2, 9, 11)) end,
         'nn.SpatialUpSamplingNearest: gradOutput is a torch.DoubleTensor of size 2x2x9x11, expected the '
            .. "output's size (9x12 planes of the input's torch.DoubleTensor)")
   end)
   it('SpatialUpSamplingBilinear interpolates with corners aligned', function()
      torch.manualSeed(3)
      local x = torch.randn(2, 2, 3, 4)
      for _, m in ipairs { nn.SpatialUpSamplingBilinear(2), nn.SpatialUpSamplingBilinear({ oheight = 5, owidth = 7 }) } do
         local y = m:forward(x):clone()
         local oH, oW = y:size(3), y:size(4)
         for i = 0, oH - 1 do for j = 0, oW - 1 do
            local yr, xr = i * 2 / (oH - 1), j * 3 / (oW - 1)
            local y0, x0 = math.min(math.floor(yr), 2), math.min(math.floor(xr), 3)
            local y1, x1 = math.min(y0 + 1, 2), math.min(x0 + 1, 3)
            local a, b = yr - y0, xr - x0
            local p = x[1][2]
            local v = (1 - a) * ((1 - b) * p[y0 + 1][x0 + 1] + b * p[y0 + 1][x1 + 1]) + a * ((1 - b) * p[y1 + 1][x0 + 1] + b * p[y1 + 1][x1 + 1])
            assert.is_true(math.abs(v - y[1][2][i + 1][j + 1]) < 1e-6)
         end end
         assert.is_true(U.maxdiff(m:forward(x[2]), y[2]) < 1e-14)
         assert.is_true(U.jacobianInput(m, x) < 1e-8)
      end
   end)
end)

describe('nn.SpatialCrossMapLRN', function()
   it('matches the formula and has exact gradients', function()
      torch.manualSeed(4)
      for _, size in ipairs { 1, 3, 5 } do
         local m = nn.SpatialCrossMapLRN(size, 0.5, 0.75, 2)
         local x = torch.randn(2, 6, 3, 2)
         local y = m:forward(x):clone()
         local h = (size - 1) / 2
         for n = 1, 2 do for c = 1, 6 do for i = 1, 3 do for j = 1, 2 do
            local s = 0
            for d = math.max(1, c - h), math.min(6, c + h) do s = s + x[n][d][i][j] ^ 2 end
            local v = x[n][c][i][j] * (2 + 0.5 / size * s) ^ -0.75
            assert.is_true(math.abs(v - y[n][c][i][j]) < 1e-13)
         end end end end
         assert.is_true(U.maxdiff(m:forward(U.noncontig(x[1])), y[1]) < 1e-14)
         assert.is_true(U.jacobianInput(m, x) < 1e-7)
      end
   end)
end)

describe('nn.SpatialSoftMax and nn.SpatialDropout', function()
   it('SpatialSoftMax normalises across channels', function()
      local x = torch.randn(2, 4, 3, 3)
      local y = nn.SpatialSoftMax():forward(x)
      local e = x[2]:select(2, 2):select(2, 3):clone():exp()
      assert.is_true(U.maxdiff(y[2]:select(2, 2):select(2, 3), e / e:sum()) < 1e-14)
      assert.is_true(U.jacobianInput(nn.SpatialSoftMax(), x) < 1e-8)
   end)
   it('SpatialDropout drops whole maps in training and scales in evaluation', function()
      torch.manualSeed(5)
      local m = nn.SpatialDropout(0.5)
      local x = torch.randn(4, 8, 3, 3):add(10)
      local y = m:forward(x):clone()
      for n = 1, 4 do for c = 1, 8 do
         local s = y[n][c]
         assert.is_true(s:eq(0):sum() == 9 or U.maxdiff(s, x[n][c]) == 0)
      end end
      local go = torch.randn(4, 8, 3, 3)
      local gi = m:backward(x, go)
      assert.are.equal(0, U.maxdiff(gi, go:clone():cmul(y:ne(0):double())))
      m:evaluate()
      assert.are.equal(0, U.maxdiff(m:forward(x), x * 0.5))
      m:training()
      assert.has_error(function() m:forward(torch.randn(3, 3)) end,
         'nn.SpatialDropout(0.500000): expected a 3D (C x H x W) or 4D (N x C x H x W) input, got 3x3')
   end)
end)

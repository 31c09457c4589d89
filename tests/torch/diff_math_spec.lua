-- Differences from Torch7 found by running the same programs under both:
-- float rounding of cumsum/cumprod (Torch7 accumulates in double), norm on
-- floats (powf terms and root), pow's special exponents (x*x*x, 1/(x*x),
-- 1/x), number ^ tensor (double pow), var/std over a whole tensor (mean
-- first, then the squares), std of one element (NaN). The expected strings
-- are what Torch7 printed for the same calls ('%.9g' for floats).
local torch = require 'torch'

local function f(t)
   t = t:contiguous():view(-1)
   local o = {}
   for i = 1, t:nElement() do o[i] = string.format('%.9g', t[i]) end
   return table.concat(o, ',')
end

describe('float math rounds as Torch7', function()
   local x = torch.FloatTensor { -4.3278799057006836, 1.7310000658035278, 3.0999999046325684, 0.1 }

   it('cumsum and cumprod accumulate in double', function()
      assert.are.equal('-4.32787991,-2.59687996,0.503120065,0.603120089', f(x:cumsum()))
      assert.are.equal('-4.32787991,-7.49156046,-23.2238369,-2.32238364', f(x:cumprod()))
      local y = torch.FloatTensor(1000)
      for i = 1, 1000 do y[i] = math.sin(i) * 3 end
      assert.are.equal('2.44190812', string.format('%.9g', y:cumsum()[1000]))
   end)

   it('pow with exponents 3, -2, -1 and number ^ tensor', function()
      assert.are.equal('-81.0635529,5.1867013,29.7909985,0.00100000005', f(torch.pow(x, 3)))
      assert.are.equal('0.0533887297,0.333738118,0.104058273,99.9999924', f(torch.pow(x, -2)))
      assert.are.equal('-0.231060013,0.577700734,0.322580665,10', f(torch.pow(x, -1)))
      assert.are.equal('0.0497941524,3.31957841,8.57418728,1.07177341', f(torch.pow(2, x)))
      local z = torch.FloatTensor(500)
      for i = 1, 500 do z[i] = math.cos(i * 0.37) * 2 + 0.01 end
      assert.are.equal('6.58815527,3.28759146,0.727356195,0.0070055048,-0.158498958,-1.72413445',
         f(torch.pow(z, 3):narrow(1, 1, 6)))
      assert.are.equal('29.6068644 1656254.04', string.format('%.9g %.9g', torch.pow(z, 3):sum(), torch.pow(z, -2):sum()))
      assert.are.equal('775.384903', string.format('%.9g', torch.pow(2, z):sum()))
   end)

   it('norm: whole tensor and along a dimension', function()
      assert.are.equal('4.87759113 6.55190277 5.59883069', string.format('%.9g %.9g %.9g', x:norm(3), x:norm(1.5), x:norm(2)))
      assert.are.equal('4.41828251,3.10003471', f(x:view(2, 2):norm(3, 2)))
      assert.are.equal('5.32358408,1.73388612', f(x:view(2, 2):norm(2, 1)))
      local y = torch.FloatTensor(1000)
      for i = 1, 1000 do y[i] = math.sin(i) * 3 end
      assert.are.equal('22.5477924 34.7859764', string.format('%.9g %.9g', y:norm(3), y:norm(2.5)))
   end)
end)

describe('var and std as Torch7', function()
   it('over a whole tensor: the mean first, then the squares around it', function()
      local x = torch.FloatTensor { -4.3278799057006836, 1.7310000658035278, 3.0999999046325684, 0.1 }
      assert.are.equal('10.418655553809518', string.format('%.17g', x:double():var()))
      local y = torch.FloatTensor(1000)
      for i = 1, 1000 do y[i] = math.sin(i) * 3 end
      assert.are.equal('4.5062333981415073 2.1217274011388376',
         string.format('%.17g %.17g', y:double():var(), y:double():std(true)))
   end)

   it('of one element (unbiased) is NaN', function()
      local s = torch.Tensor { 5 }:std()
      assert.is_true(s ~= s)                                  -- Torch7: nan
      local v = torch.FloatTensor { { 5 } }:var(1)[1][1]
      assert.is_true(v ~= v)                                  -- Torch7: nan
      assert.are.equal(0, torch.Tensor { 5 }:std(true))
   end)
end)

-- nn.init: weight statistics per scheme, biases zeroed, bad schemes.
require 'nn'

describe('nn.init', function()
   it('gives each scheme its variance and zero biases', function()
      torch.manualSeed(1)
      local m = nn.Sequential():add(nn.Linear(400, 300)):add(nn.ReLU()):add(nn.SpatialConvolution(3, 8, 5, 5))
      local expect = {
         heuristic = 1 / 400 / 3, xavier = 2 / 700, xavier_caffe = 1 / 400, kaiming = 2 / 400,
      }
      for scheme, var in pairs(expect) do
         local _, n = nn.init(m, scheme)
         assert.are.equal(2, n)
         local w = m:get(1).weight
         assert.is_true(math.abs(w:var() / var - 1) < 0.05, scheme .. ' variance ' .. w:var() .. ' vs ' .. var)
         assert.are.equal(0, m:get(1).bias:abs():sum())
         assert.are.equal(0, m:get(3).bias:abs():sum())
      end
      assert.has_error(function() nn.init(m, 'magic') end,
         "nn.init: unknown scheme 'magic' (heuristic, xavier, xavier_caffe, kaiming)")
   end)
end)

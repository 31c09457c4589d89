-- Every case recorded from Torch7 in fixtures/torch7/nn_modules.lua whose
-- class nnlua has: the constructor after torch.manualSeed(seed) gives the
-- same initial parameters, and forward/backward give the same output,
-- gradInput and parameter gradients, within 1e-10 in double. Cases whose
-- class is not implemented are pending with that reason.
require 'nn'

local F = dofile(NNLUA_ROOT .. '/tests/nn/fixture_util.lua')

describe('Torch7 nn fixtures', function()
   for i, c in ipairs(F.cases) do
      local name = c.ctor:match('^nn%.([%w_]+)')
      it(string.format('#%d %s', i, c.ctor), function()
         if not nn[name] then return pending('nn.' .. name .. ' is not implemented yet') end
         F.run(c)
      end)
   end
end)

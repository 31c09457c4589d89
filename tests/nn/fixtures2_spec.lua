-- Every case recorded from Torch7 in fixtures/torch7/nn_modules2.lua whose
-- class nnlua has: the constructor after torch.manualSeed(seed) gives the
-- same initial parameters, and forward/backward give the same output,
-- gradInput and parameter gradients, within 1e-10 in double. Cases whose
-- class is not implemented are pending with that reason.
require 'nn'

local F = dofile(NNLUA_ROOT .. '/tests/nn/fixture_util.lua')
local cases = dofile(NNLUA_FIXTURES .. '/torch7/nn_modules2.lua')

-- the class a constructor names, and the other classes its expression uses
local function classes(ctor)
   local names = {}
   for name in ctor:gmatch('nn%.([%w_]+)') do
      if name:match('^%u') then names[#names + 1] = name end
   end
   return names
end

describe('Torch7 nn fixtures (nn_modules2)', function()
   for i, c in ipairs(cases) do
      it(string.format('#%d %s', i, c.ctor), function()
         for _, name in ipairs(classes(c.ctor)) do
            if not nn[name] then return pending('nn.' .. name .. ' is not implemented yet') end
         end
         if c.ctor:match('nn%.tables') and not nn.tables then return pending('nn.tables is not implemented yet') end
         F.run(c, true)
      end)
   end
end)

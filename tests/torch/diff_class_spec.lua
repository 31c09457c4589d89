-- Differences from Torch7 found by running the same programs under both:
-- operators of torch.class objects (Torch7's luaT forwards <, <=, %, ^,
-- +, -, *, /, unary -, .., call to __lt__, __le__, __mod__, ...). Expected
-- values are Torch7's output for the same program.
local torch = require 'torch'

describe('torch.class operators as Torch7', function()
   local A = torch.class('DiffClassOpA')
   function A:__init(v) self.v = v end
   function A:__lt__(b) return self.v < b.v end
   function A:__le__(b) return self.v <= b.v end
   function A:__add__(b) return DiffClassOpA(self.v + (type(b) == 'number' and b or b.v)) end
   function A:__call__(x) return self.v * x end
   function A:__mod__(b) return self.v % b end
   function A:__pow__(b) return self.v ^ b end
   torch.class('DiffClassOpC')

   it('forward to the __op__ methods', function()
      -- Torch7: true false 3 20 1 8
      assert.is_true(DiffClassOpA(1) < DiffClassOpA(2))
      assert.is_false(DiffClassOpA(3) <= DiffClassOpA(2))
      assert.are.equal(3, (DiffClassOpA(1) + 2).v)
      assert.are.equal(20, DiffClassOpA(4)(5))
      assert.are.equal(1, DiffClassOpA(7) % 3)
      assert.are.equal(8, DiffClassOpA(2) ^ 3)
   end)

   it('a missing operator is an error naming the class, also for a call with a number', function()
      local ok, err = pcall(function() return DiffClassOpC()(1) end)
      assert.is_false(ok)
      assert.truthy(tostring(err):find('DiffClassOpC', 1, true))
      assert.truthy(tostring(err):find('call', 1, true))
      ok, err = pcall(function() return DiffClassOpC() < DiffClassOpC() end)
      assert.is_false(ok)
      assert.truthy(tostring(err):find('DiffClassOpC', 1, true))
   end)
end)

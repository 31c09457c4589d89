-- A failure inside a user's own module keeps the user's line, names the
-- module and its place in the containers, and nnlua prints the traceback
-- taken where it failed; failures of nnlua's modules keep the caller's line.
local spec = require 'tests.helper'

local function script(name, body)
   local dir = os.tmpname()
   os.remove(dir)
   os.execute('mkdir -p ' .. dir)
   local f = assert(io.open(dir .. '/' .. name, 'w'))
   f:write(body)
   f:close()
   local out, rc = spec.run_nnlua(dir .. '/' .. name)
   os.execute('rm -rf ' .. dir)
   return out, rc
end

describe('errors inside user modules', function()
   it('start at the line of the user module, with the container path', function()
      local out, rc = script('deep5.lua', [[
require 'nn'
local Bad, parent = torch.class('nn.SpecBad', 'nn.Module')
function Bad:updateOutput(input)
   self.output = self.foo.bar + input
   return self.output
end
local model = nn.Sequential():add(nn.Linear(3, 3)):add(nn.SpecBad())
model:forward(torch.randn(3))
]])
      assert.are.equal(1, rc)
      assert.is_truthy(out:match("deep5%.lua:4: in nn%.SpecBad %(module 2 of nn%.Sequential%): attempt to index field 'foo'"), out)
      -- the traceback keeps the failing frame and the script's call
      assert.is_truthy(out:match('stack traceback:\n\t[^\n]*deep5%.lua:4: in function'), out)
      assert.is_truthy(out:match('deep5%.lua:8: in main chunk'), out)
   end)

   it('name every enclosing container, and keep the line of a library call the module made', function()
      local out, rc = script('deep6.lua', [[
require 'nn'
local Bad, parent = torch.class('nn.SpecBad2', 'nn.Module')
function Bad:updateOutput(input)
   local w = torch.randn(2, 2)
   self.output = torch.mm(w, input)
   return self.output
end
local inner = nn.Sequential():add(nn.Identity()):add(nn.SpecBad2())
local model = nn.Sequential():add(inner)
local ok, err = pcall(model.forward, model, torch.randn(3, 3))
print(err)
]])
      assert.are.equal(0, rc)
      assert.is_truthy(out:match(
         'deep6%.lua:5: in nn%.SpecBad2 %(module 2 of nn%.Sequential, in module 1 of nn%.Sequential%): [^\n]*size mismatch'), out)
   end)

   it('locate a module run directly, and a tail call in the module does not hide the line', function()
      local out, rc = script('deep7.lua', [[
require 'nn'
local Bad, parent = torch.class('nn.SpecBad3', 'nn.Module')
local function helper(x)
   return x.nothing.here
end
function Bad:updateOutput(input)
   return helper(self)
end
nn.SpecBad3():forward(torch.randn(3))
]])
      assert.are.equal(1, rc)
      assert.is_truthy(out:match("deep7%.lua:4: in nn%.SpecBad3: attempt to index field 'nothing'"), out)
   end)

   it("leave nnlua's own module errors at the caller's line with the container path", function()
      local out, rc = script('deep8.lua', [[
require 'nn'
local model = nn.Sequential():add(nn.Linear(3, 3)):add(nn.Linear(4, 2))
model:forward(torch.randn(3))
]])
      assert.are.equal(1, rc)
      assert.is_truthy(out:match('deep8%.lua:3: nn%.Sequential %(2%): nn%.Linear%(4 %-> 2%): input has 3 elements, expected 4'), out)
   end)
end)

-- Differences from Torch7 found by running the same programs under both:
-- torch.* utilities, tensor % number, torch.typename's results, File's
-- readBool/writeBool/isWritableObject, the writeObject hook, torch.save's
-- referenced flag and torch.load's 'b32'/'b64', quiet DiskFile opening,
-- Tester's failure locations, optim.cmaes under a float default type.
-- Expected values are Torch7's output.
local torch = require 'torch'

describe('torch utilities as Torch7', function()
   it('isequal compares tables and objects by address', function()
      local t = torch.Tensor(2)
      assert.is_true(torch.isequal(t, t))
      assert.is_false(torch.isequal({}, {}))      -- Torch7: false
      assert.is_false(torch.isequal(1, 1))        -- Torch7: false
      assert.is_false(torch.isequal(torch.Tensor{1}, torch.Tensor{1}))
   end)

   it('functional fill/zero/permute/viewAs/expandAs/totable', function()
      local t = torch.Tensor(2, 3):fill(1)
      assert.are.equal(t, torch.fill(t, 3))       -- returns t
      assert.are.equal(3, t[1][1])
      assert.are.equal(t, torch.zero(t))
      assert.are.same({ 3, 2 }, torch.permute(t, 2, 1):size():totable())
      assert.are.same({ 2, 3 }, torch.viewAs(torch.Tensor(6), t):size():totable())
      assert.are.same({ 2, 3 }, torch.expandAs(torch.Tensor(1, 3), t):size():totable())
      assert.are.same({ { 1, 2 } }, torch.totable(torch.Tensor { { 1, 2 } }))
   end)

   it('tic/toc, version(obj), getconstructortable, data, setmetatable', function()
      local t0 = torch.tic()
      assert.are.equal('number', type(t0))
      local dt = torch.toc(t0)
      assert.is_true(dt >= 0 and dt < 5)
      assert.are.equal(1, torch.version(torch.Tensor()))   -- Torch7: 1
      assert.is_nil(torch.version({}))                      -- Torch7: nil
      assert.are.equal(torch.DoubleTensor, torch.getconstructortable('torch.DoubleTensor'))
      local x = torch.Tensor { 1, 2, 3 }
      assert.are.equal(2, torch.data(x:narrow(1, 2, 1))[0])
      assert.are.equal('number', type(torch.data(x, true)))
      local o = torch.setmetatable({ a = 1 }, 'torch.Timer')
      assert.are.equal('torch.Timer', torch.type(o))
      assert.has_error(function() torch.setmetatable({}, 'Nope.X') end)
      local e = torch.getenv(x)
      assert.are.equal(e, torch.getenv(x))
   end)

   it('typename returns nothing for values without a class', function()
      assert.are.equal(0, select('#', torch.typename({})))   -- Torch7 printed one nil for (1, {})
      assert.are.equal(0, select('#', torch.typename(1)))
      assert.are.equal('torch.DoubleTensor', torch.typename(torch.Tensor()))
   end)

   it('tensor % number is the remainder (sign of the divisor)', function()
      -- Torch7: {-5, 5.5} % 3 = {1, 2.5}; IntTensor {-5, 5} % 3 = {1, 2}
      assert.are.same({ 1, 2.5 }, (torch.Tensor { -5, 5.5 } % 3):totable())
      local r = torch.IntTensor { -5, 5 } % 3
      assert.are.equal('torch.IntTensor', torch.type(r))
      assert.are.same({ 1, 2 }, r:totable())
      assert.has_error(function() return 7 % torch.Tensor { 3 } end)
   end)
end)

describe('torch.File as Torch7', function()
   local tmp = os.tmpname()
   after_each(function() os.remove(tmp) end)

   it('writeBool/readBool write an int 1 or 0', function()
      local f = torch.DiskFile(tmp, 'w')
      f:writeBool(true) f:writeBool(false)
      f:close()
      local fh = io.open(tmp) local txt = fh:read('*a') fh:close()
      assert.are.equal('1\n0\n', txt)                       -- Torch7's ascii file
      f = torch.DiskFile(tmp, 'r')
      assert.is_true(f:readBool())
      assert.is_false(f:readBool())
      f:close()
   end)

   it('isWritableObject gives the type tag', function()
      local f = torch.MemoryFile()
      assert.are.equal(0, f:isWritableObject(nil))
      assert.are.equal(1, f:isWritableObject(1))
      assert.are.equal(2, f:isWritableObject('x'))
      assert.are.equal(3, f:isWritableObject({}))
      assert.are.equal(4, f:isWritableObject(torch.Tensor()))
      assert.are.equal(5, f:isWritableObject(false))
      assert.are.equal(8, f:isWritableObject(function() end))
      assert.is_nil(f:isWritableObject(print))
   end)

   it('writeObject(obj, name, hook) writes hook(x) for every object', function()
      local f = torch.MemoryFile():binary()
      f:writeObject({ a = torch.DoubleTensor { 1, 2 } }, nil, function(x)
         if torch.isTensor(x) then return x:float() end
         return x
      end)
      f:seek(1)
      local o = f:readObject()
      assert.are.equal('torch.FloatTensor', torch.type(o.a))
      assert.are.same({ 1, 2 }, o.a:totable())
   end)

   it('save(file, obj, mode, referenced=false) writes shared objects twice', function()
      local t = torch.Tensor { 1, 2 }
      torch.save(tmp, { t, t }, 'binary', false)
      local o = torch.load(tmp)
      assert.are_not.equal(torch.pointer(o[1]), torch.pointer(o[2]))
      torch.save(tmp, { t, t })
      o = torch.load(tmp, 'binary', true)
      assert.are.equal(torch.pointer(o[1]), torch.pointer(o[2]))
      assert.are.same({ 1, 2 }, torch.load(tmp, 'b64')[1]:totable())
      torch.saveobj(tmp, { 7 })
      assert.are.same({ 7 }, torch.loadobj(tmp))
      assert.has_error(function() torch.loadobj(1) end, 'torch.loadobj: expected a file name, got number')
   end)

   it('DiskFile(name, mode, quiet) returns nil for a file it cannot open', function()
      assert.is_nil(torch.DiskFile('/nonexistent/dir/x', 'r', true))   -- Torch7: nil
      assert.has_error(function() torch.DiskFile('/nonexistent/dir/x', 'r') end)
   end)
end)

describe('torch.Tester reports where an assertion failed as Torch7', function()
   it('with the traceback lines down to the test', function()
      local tester = torch.Tester()
      local tests = torch.TestSuite()
      function tests.testFail()
         tester:eq(torch.Tensor { 1, 2 }, torch.Tensor { 1, 3 }, 'tensors differ', 1e-5)
      end
      tester:add(tests)
      local out = {}
      local old = io.write
      io.write = function(...) for _, s in ipairs { ... } do out[#out + 1] = tostring(s) end end
      local oldprint = print
      print = function(...) end
      pcall(function() tester:run() end)
      io.write, print = old, oldprint
      local msg = tester.errors[1]
      -- Torch7: "testFail\ntensors differ\nTensorEQ(==) violation: max diff=1, tolerance=1e-05\n
      --          stack traceback:\n\t<file>:<line>: in function <<file>:<line>>"
      assert.truthy(msg:find('^testFail\ntensors differ\nTensorEQ%(==%) violation: max diff=1, tolerance=1e%-05\n'
         .. 'stack traceback:\n\t[^\n]*diff_utility_spec.lua:%d+: in function <[^\n]*diff_utility_spec.lua:%d+>$'), msg)
   end)
end)

describe('optim.cmaes with the default tensor type set to float', function()
   it('runs and returns x\'s type (Torch7 failed)', function()
      require 'optim'
      local old = torch.getdefaulttensortype()
      torch.setdefaulttensortype('torch.FloatTensor')
      local ok, xs, fs = pcall(function()
         torch.manualSeed(1)
         return optim.cmaes(function(x) return x:dot(x) end, torch.Tensor { 1, 2 }, { sigma = 0.5, maxEval = 300 })
      end)
      torch.setdefaulttensortype(old)
      assert.is_true(ok, tostring(xs))
      assert.are.equal('torch.FloatTensor', torch.type(xs))
      assert.is_true(xs:norm() < 0.05, 'norm ' .. tostring(xs:norm()))
      assert.is_true(fs[#fs] < 1e-3)
   end)
end)

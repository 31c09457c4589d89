-- The device gate (runtime/backend.h) itself: one error naming the
-- function, the devices or the device and the type, whatever entry point
-- is called; a backend's supports(op, dtype) is asked; nl_supports answers
-- Lua's capability questions; Half is a storage type. Runs on the stand-in
-- backend (tests/standin/), so it needs no GPU.
local ffi = require 'ffi'
local torch = require 'torch'
local loader = require 'nnlua_loader'
local C = torch._core.C
local builder = dofile(NNLUA_ROOT .. '/tests/conformance/builder.lua')

pcall(ffi.cdef, [[
int nl_standin_init(void);
int64_t nl_standin_calls(int op);
void nl_standin_refuse(int op, int dtype);
]])

local function op_index(name)
   for i = 0, C.nl_op_count() - 1 do
      if ffi.string(C.nl_op_name(i)) == name then return i end
   end
end

describe('the device gate', function()
   local S = ffi.load(loader.libdir .. '/libnnlua_standin.so')
   assert(S.nl_standin_init() == 0)
   local cpu, dev = builder.new(C.NL_CPU, 'contig'), builder.new(C.NL_TESTDEV, 'contig')
   local function err() return ffi.string(C.nl_last_error()) end

   it('refuses tensors of two devices, naming both', function()
      -- a front function's own type check comes first and names both types
      assert.are.equal(-1, C.nl_addmv(dev.out(), 0, dev{4}, 1, cpu{4, 3}, dev{3}))
      assert.are.equal('nl_addmv: tensor types differ: torch.DoubleTensor (test device) and torch.DoubleTensor', err())
      -- where types may differ (a LongTensor index), the gate names the devices
      assert.are.equal(-1, C.nl_index_fill(dev{4, 3}, 0, cpu.long({2}, 1, 4), 1.5))
      assert.are.equal('indexFill: tensors on different devices (standin and CPU): copy one with :type() or :cuda()/:float()',
         err())
   end)

   it('sends every tensor of a call to the backend and counts it once', function()
      local op = op_index('nl_index_add')
      local before = tonumber(S.nl_standin_calls(op))
      local t = dev{4, 3}
      assert.are.equal(0, C.nl_index_add(t, 0, dev.long({2}, 1, 4), dev{2, 3}))
      assert.are.equal(before + 1, tonumber(S.nl_standin_calls(op)))
   end)

   it('asks the backend whether it serves a dtype, and names function, device and type when not', function()
      local op = op_index('nl_unary')
      S.nl_standin_refuse(op, C.NL_FLOAT)
      local ok, msg = pcall(function()
         assert.are.equal(-1, C.nl_unary(dev.out('float'), dev({3}, 'float'), C.NL_U_EXP, 0, 0))
         local m1 = err()
         -- the double kernel is still served
         assert.are.equal(0, C.nl_unary(dev.out(), dev{3}, C.NL_U_EXP, 0, 0))
         return m1
      end)
      S.nl_standin_refuse(-1, -1)
      assert(ok, msg)
      assert.are.equal('exp: not available on standin for torch.FloatTensor (test device)', msg)
   end)

   it('answers nl_supports for Lua without device numbers', function()
      local x = dev({5}, 'float')
      assert.are.equal(1, C.nl_supports(cpu({5}, 'float'), 'nl_sgd_step'))
      assert.are.equal(1, C.nl_supports(x, 'nl_sgd_step'))
      assert.are.equal(0, C.nl_supports(x, 'nl_no_such_function'))
      S.nl_standin_refuse(op_index('nl_sgd_step'), C.NL_FLOAT)
      local answer = C.nl_supports(x, 'nl_sgd_step')
      S.nl_standin_refuse(-1, -1)
      assert.are.equal(0, answer)
   end)

   it('treats Half as a storage type: copy and fill pass, math is refused by name', function()
      local h = cpu({4}, 'half')
      assert.are.equal(0, C.nl_fill(h, 0.5))
      assert.are.equal(-1, C.nl_unary(cpu.out('half'), h, C.NL_U_EXP, 0, 0))
      assert.are.equal('exp: torch.HalfTensor is a storage type (copy, fill, indexing): convert it with :float() for math',
         err())
      assert.are.equal(-1, C.nl_addmm(cpu.out('half'), 0, cpu({2, 2}, 'half'), 1, cpu({2, 2}, 'half'), cpu({2, 2}, 'half')))
      assert.matches('torch.HalfTensor is a storage type', err())
   end)

   it('runs a device call with a CPU temporary nowhere: a kernel that needs one makes it on the device', function()
      -- LookupTable's non-contiguous gradOutput is copied: the copy must be
      -- on gradOutput's device, or the nested calls would mix devices
      local go = dev{4, 4}
      local gw = dev.contig(dev{5, 4})
      assert.are.equal(0, C.nl_fill(gw, 0))
      assert.are.equal(0, C.nl_tensor_transpose(go, go, 0, 1))   -- a transposed view: not contiguous
      local input = dev.long({4}, 1, 5)
      assert.are.equal(0, C.nl_lookup_table_acc_grad(gw, dev.out("long"), input, go, 0, -1, 1), err())
   end)
end)
